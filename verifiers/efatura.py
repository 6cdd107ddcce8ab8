"""e-Fatura / e-Arşiv (UBL-TR 1.2) reader -> InvoiceFacts with the EInvoice part, parser locked down.

lxml runs with resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False; any
DOCTYPE is refused before parsing (UBL-TR has none, and an internal subset is how XXE and
"billion laughs" arrive), the size and the nesting depth are capped, and every amount must be
an xsd:decimal (no NaN, Infinity or exponent), so a hostile file gives a DOC_UNREADABLE
finding naming the field and line, never an exception.

Amounts are read exactly as written (Decimal, never rounded; PriceAmount has up to 8
decimals) and a written 0.00 is a value, not a missing field. The checks on these facts
(arithmetic, taxes, withholding, exemptions, type/profile) live in verifiers.efatura_checks,
the mali mühür in verifiers.efatura_seal, GİB's XSD/schematron in verifiers.efatura_schema.
"""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from evrak import limits
from evrak.facts import AllowanceCharge, EInvoice, EInvoiceLine, MonetaryTotal, TaxPart, Withholding
from evrak.findings import Certainty, Evidence, Finding
from verifiers import gib_codes
from verifiers.efatura_checks import check_efatura, zero_rate_explained
from verifiers.efatura_schema import schema_issues
from verifiers.efatura_seal import verify_seal
from verifiers.invoice import InvoiceFacts, InvoiceLine, KdvPart
from verifiers.text import unreadable

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
MAX_XML_BYTES = limits.MAX_XML_BYTES
MAX_DEPTH = limits.MAX_XML_DEPTH
MAX_LINES = limits.MAX_INVOICE_LINES
# xsd:decimal: optional sign, digits, optional fraction; no exponent, no NaN/INF (bounded length)
_DECIMAL = re.compile(r"[+-]?(\d{1,18}(\.\d{0,20})?|\.\d{1,20})")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_comments=False)


def _depth(root: etree._Element) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        if d > MAX_DEPTH:
            return d
        stack.extend((c, d + 1) for c in el)
    return deepest


class _Reader:
    """Holds the file name and the bad values met, so every amount names its field and line."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.bad: list[str] = []

    def x(self, ctx, path: str):
        r = ctx.xpath(path, namespaces=NS)
        return r[0] if r else None

    def text(self, ctx, path: str) -> str | None:
        n = self.x(ctx, path)
        return n.text.strip() if n is not None and n.text and n.text.strip() else None

    def dec(self, ctx, path: str) -> Decimal | None:
        """The exact Decimal written at `path`; None when absent or empty; a bad value is noted."""
        n = self.x(ctx, path)
        if n is None or n.text is None or not n.text.strip():
            return None
        raw = n.text.strip()
        if not _DECIMAL.fullmatch(raw):
            self.bad.append(f"{etree.QName(n).localname} = '{raw[:40]}' (satır {n.sourceline})")
            return None
        try:
            return Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            self.bad.append(f"{etree.QName(n).localname} = '{raw[:40]}' (satır {n.sourceline})")
            return None

    def ev(self, ctx, path: str, value) -> Evidence:
        n = self.x(ctx, path)
        line = f" (satır {n.sourceline})" if n is not None and n.sourceline else ""
        return Evidence(file=self.file, text=f"{path}{line}", value=None if value is None else str(value))

    def allowances(self, ctx) -> list[AllowanceCharge]:
        out = []
        for ac in ctx.xpath("cac:AllowanceCharge", namespaces=NS):
            amount = self.dec(ac, "cbc:Amount")
            if amount is None:
                continue
            factor = self.dec(ac, "cbc:MultiplierFactorNumeric")
            out.append(AllowanceCharge(
                charge=(self.text(ac, "cbc:ChargeIndicator") or "false").lower() == "true", amount=amount,
                reason=self.text(ac, "cbc:AllowanceChargeReason"),
                percent=factor * 100 if factor is not None else None, base=self.dec(ac, "cbc:BaseAmount")))
        return out

    def taxes(self, ctx) -> list[TaxPart]:
        out = []
        for sub in ctx.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS):
            amount = self.dec(sub, "cbc:TaxAmount")
            if amount is None:
                continue
            code = self.text(sub, "cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode")
            written = self.text(sub, "cac:TaxCategory/cac:TaxScheme/cbc:Name")
            ex_code = self.text(sub, "cac:TaxCategory/cbc:TaxExemptionReasonCode")
            ex_text = self.text(sub, "cac:TaxCategory/cbc:TaxExemptionReason")
            if ex_code in gib_codes.EXEMPTIONS and gib_codes.EXEMPTIONS[ex_code].text:
                ex_text = gib_codes.EXEMPTIONS[ex_code].text
            tax = gib_codes.TAX_TYPES.get(code or "")
            out.append(TaxPart(
                code=code, name=gib_codes.tax_name(code, written), amount=amount,
                base=self.dec(sub, "cbc:TaxableAmount"), percent=self.dec(sub, "cbc:Percent"),
                withheld=tax is not None and tax.effect == gib_codes.Effect.WITHHELD,
                exemption_code=ex_code, exemption=ex_text))
        return out

    def withholdings(self, ctx, taxes: list[TaxPart]) -> list[Withholding]:
        """Both forms: cac:WithholdingTaxTotal (6xx/8xx) and the older 9015 inside cac:TaxTotal."""
        out = []
        for sub in ctx.xpath("cac:WithholdingTaxTotal/cac:TaxSubtotal", namespaces=NS):
            amount = self.dec(sub, "cbc:TaxAmount")
            if amount is None:
                continue
            code = self.text(sub, "cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode")
            written = self.text(sub, "cac:TaxCategory/cac:TaxScheme/cbc:Name")
            known = gib_codes.WITHHOLDING_TYPES.get(code or "")
            pct = self.dec(sub, "cbc:Percent")
            out.append(Withholding(code=code, name=known.name if known else (written or "KDV tevkifatı"),
                                   amount=amount, percent=pct, share=gib_codes.withholding_share(pct),
                                   base=self.dec(sub, "cbc:TaxableAmount")))
        for t in taxes:
            if t.code == gib_codes.KDV_WITHHOLDING_OLD:
                out.append(Withholding(code=t.code, name=gib_codes.TAX_TYPES[t.code].name, amount=t.amount,
                                       percent=t.percent, share=gib_codes.withholding_share(t.percent),
                                       base=t.base))
        return out


def _party(r: _Reader, inv, path: str) -> tuple[str | None, str | None]:
    """(name, VKN/TCKN) of a party; a person's name when there is no PartyName."""
    pid = r.text(inv, f"{path}/cac:PartyIdentification/cbc:ID[@schemeID='VKN' or @schemeID='TCKN']")
    name = r.text(inv, f"{path}/cac:PartyName/cbc:Name")
    if name is None:
        parts = [r.text(inv, f"{path}/cac:Person/cbc:FirstName"), r.text(inv, f"{path}/cac:Person/cbc:FamilyName")]
        name = " ".join(p for p in parts if p) or None
    return name, pid


def _refuse(file: str, why: str) -> tuple[None, list[Finding]]:
    return None, [Finding("DOC_UNREADABLE", f"Belge okunamadı ({file}): {why}",
                          evidence=[Evidence(file=file, text=why[:120])])]


def parse_locked(data: bytes, file: str) -> tuple[etree._Element | None, list[Finding]]:
    """The document root, or a DOC_UNREADABLE finding: size, DOCTYPE/ENTITY, syntax, depth."""
    if len(data) > MAX_XML_BYTES:
        return None, [unreadable(file, f"XML dosyası çok büyük ({len(data) // (1024 * 1024)} MB; en çok "
                                       f"{MAX_XML_BYTES // (1024 * 1024)} MB)")]
    upper = data[:65536].upper()
    if b"<!ENTITY" in upper or b"<!DOCTYPE" in upper or b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return _refuse(file, "XML, varlık (ENTITY/DOCTYPE) tanımı içeriyor; güvenlik nedeniyle işlenmedi "
                             "(XXE / billion laughs)")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        msg = str(exc.msg or exc)
        if "depth" in msg.lower():
            return _refuse(file, f"XML çok derin iç içe öğe içeriyor (en çok {MAX_DEPTH} düzey)")
        return None, [unreadable(file, f"XML bozuk ({msg})")]
    except (ValueError, etree.LxmlError) as exc:
        return None, [unreadable(file, f"XML okunamadı ({exc})")]
    if root.getroottree().docinfo.internalDTD is not None:
        return _refuse(file, "XML, DOCTYPE tanımı içeriyor; güvenlik nedeniyle işlenmedi")
    if _depth(root) > MAX_DEPTH:
        return _refuse(file, f"XML çok derin iç içe öğe içeriyor (en çok {MAX_DEPTH} düzey)")
    return root, []


def read_efatura(data: bytes, file: str, *, trust_dir: Path | str | None = None,
                 schema: bool = True) -> tuple[InvoiceFacts | None, list[Finding]]:
    """Read a UBL-TR invoice and run its own checks (arithmetic, taxes, seal).

    `trust_dir`: roots the mali mühür must chain to (the --trust folder); EVRAK_TRUST_DIR
    when not given. `schema`: validate against GİB's XSD and schematron (facts for staff).
    """
    root, findings = parse_locked(data, file)
    if root is None:
        return None, findings
    inv = root if etree.QName(root).localname == "Invoice" else next(iter(root.iter(f"{{{NS['inv']}}}Invoice")), None)
    if inv is None:
        return None, [unreadable(file, "UBL-TR Invoice öğesi yok (e-Fatura değil)")]
    if len(inv.xpath("cac:InvoiceLine", namespaces=NS)) > MAX_LINES:
        return None, [unreadable(file, f"faturada {MAX_LINES} kalemden fazla satır var")]
    r = _Reader(file)
    try:
        facts = _read(r, inv)
    except (ArithmeticError, ValueError, TypeError, etree.LxmlError) as exc:  # D29: never a traceback
        return None, [unreadable(file, f"e-Fatura okunamadı ({type(exc).__name__}: {exc})")]
    ein = facts.einvoice
    assert ein is not None
    if r.bad:
        findings.append(Finding(
            "DOC_UNREADABLE",
            f"Belge okunamadı ({file}): geçersiz ya da eksik değer: {'; '.join(r.bad[:5])}"
            + (f" ve {len(r.bad) - 5} değer daha" if len(r.bad) > 5 else "") + "; bu alanlar hesaba katılmadı",
            evidence=[Evidence(file=file, text=b) for b in r.bad[:5]], subject="e_fatura"))
    trust = trust_dir if trust_dir is not None else os.environ.get("EVRAK_TRUST_DIR") or None
    # inside a GİB envelope (zarf) the invoice is checked as the standalone document it was sealed as
    # (a deep copy drops the envelope's namespace declarations, which c14n would otherwise include)
    own = data if inv is root else etree.tostring(copy.deepcopy(inv), encoding="UTF-8")
    try:
        ein.seal, seal_findings = verify_seal(inv, own, file, trust_dir=Path(trust) if trust else None)
    except Exception as exc:  # a seal that breaks the verifier is "cannot verify" (D29), not a crash
        ein.seal.present, ein.seal.problem = True, f"{type(exc).__name__}: {exc}"
        seal_findings = [Finding("EFATURA_SEAL_INVALID", f"{file}: mali mühür doğrulanamadı ({ein.seal.problem})",
                                 evidence=[Evidence(file=file)], subject="e_fatura", certainty=Certainty.UNREAD)]
    findings += seal_findings
    if schema:
        ein.schema_checked, ein.schema_issues = schema_issues(own, file)
    if not r.bad:
        findings += check_efatura(facts, file)
    return facts, findings


def _read(r: _Reader, inv) -> InvoiceFacts:
    file = r.file
    facts = InvoiceFacts(kind="e_fatura")
    ein = facts.einvoice = EInvoice()
    ev = facts.evidence

    def put(name: str, value, path: str) -> None:
        if value is not None:
            setattr(facts, name, value)
            ev[name] = r.ev(inv, path, value)

    put("number", r.text(inv, "cbc:ID"), "cbc:ID")
    ein.uuid = r.text(inv, "cbc:UUID")
    put("ettn", ein.uuid, "cbc:UUID")
    ein.customization = r.text(inv, "cbc:CustomizationID")
    profile = r.text(inv, "cbc:ProfileID")
    put("profile", profile, "cbc:ProfileID")
    ein.profile = profile
    if profile in gib_codes.PROFILES:
        ein.profile_name = gib_codes.PROFILES[profile].name
        ein.archive = gib_codes.PROFILES[profile].archive
    ein.invoice_type = r.text(inv, "cbc:InvoiceTypeCode")
    if ein.invoice_type in gib_codes.INVOICE_TYPES:
        ein.invoice_type_name = gib_codes.INVOICE_TYPES[ein.invoice_type].name
    if ein.invoice_type:
        ev["invoice_type"] = r.ev(inv, "cbc:InvoiceTypeCode", ein.invoice_type)
    issued = r.text(inv, "cbc:IssueDate")
    try:
        put("issued_on", date.fromisoformat(issued) if issued else None, "cbc:IssueDate")
    except ValueError:
        r.bad.append(f"IssueDate = '{issued[:20]}'")
    currency = r.text(inv, "cbc:DocumentCurrencyCode")
    put("currency", currency, "cbc:DocumentCurrencyCode")
    ein.currency = currency
    rate = r.dec(inv, "cac:PricingExchangeRate/cbc:CalculationRate")
    if rate is not None and rate > 0:
        ein.exchange_rate = rate
        ev["exchange_rate"] = r.ev(inv, "cac:PricingExchangeRate/cbc:CalculationRate", rate)
    sp = "cac:AccountingSupplierParty/cac:Party"
    name, sid = _party(r, inv, sp)
    put("supplier_id", sid, f"{sp}/cac:PartyIdentification/cbc:ID")
    put("supplier", name, f"{sp}/cac:PartyName/cbc:Name")
    cp = "cac:AccountingCustomerParty/cac:Party"
    bname, bid = _party(r, inv, cp)
    put("buyer_id", bid, f"{cp}/cac:PartyIdentification/cbc:ID")
    put("buyer", bname, f"{cp}/cac:PartyName/cbc:Name")
    ein.export_buyer = r.text(inv, "cac:BuyerCustomerParty/cac:Party/cac:PartyName/cbc:Name")

    for line in inv.xpath("cac:InvoiceLine", namespaces=NS):
        amount = r.dec(line, "cbc:LineExtensionAmount")
        qty = r.dec(line, "cbc:InvoicedQuantity")
        price = r.dec(line, "cac:Price/cbc:PriceAmount")
        taxes = r.taxes(line)
        kdv = next((t for t in taxes if t.code == gib_codes.KDV), None)
        qn = r.x(line, "cbc:InvoicedQuantity")
        if amount is None and r.x(line, "cbc:LineExtensionAmount") is None:
            r.bad.append(f"InvoiceLine {r.text(line, 'cbc:ID') or ''}: LineExtensionAmount yok "
                         f"(satır {line.sourceline})")
        allowances = r.allowances(line)
        net_discount = sum((a.amount if not a.charge else -a.amount for a in allowances), Decimal(0))
        facts.lines.append(InvoiceLine(
            description=r.text(line, "cac:Item/cbc:Name") or "", quantity=qty, unit_price=price,
            amount=amount if amount is not None else Decimal(0),
            kdv_rate=_rate(kdv.percent) if kdv is not None else None,
            evidence=Evidence(file=file, text=f"cac:InvoiceLine {r.text(line, 'cbc:ID') or ''} "
                                              f"(satır {line.sourceline})".replace("  ", " "),
                              value=None if amount is None else str(amount)),
            discount=net_discount if allowances else None))
        ein.lines.append(EInvoiceLine(
            line_id=r.text(line, "cbc:ID"), unit_code=qn.get("unitCode") if qn is not None else None,
            gross=qty * price if qty is not None and price is not None else None,
            allowances=allowances, taxes=taxes, withholdings=r.withholdings(line, taxes)))

    ein.allowances = r.allowances(inv)
    ein.taxes = r.taxes(inv)
    ein.withholdings = r.withholdings(inv, ein.taxes)
    for t in ein.taxes:
        if t.code == gib_codes.KDV:
            facts.kdv.append(KdvPart(_rate(t.percent), t.amount,
                                     Evidence(file=file, text="cac:TaxTotal/cac:TaxSubtotal (0015)",
                                              value=str(t.amount))))
    if facts.kdv:
        facts.kdv_total = sum((p.amount for p in facts.kdv), Decimal(0))
        ev["kdv_total"] = Evidence(file=file, text="cac:TaxTotal (0015)", value=str(facts.kdv_total))
    codes = {}
    for t in [*ein.taxes, *(t for ln in ein.lines for t in ln.taxes)]:
        if t.exemption_code and t.exemption_code not in codes:
            codes[t.exemption_code] = f"{t.exemption_code} {t.exemption or ''}".strip()
    ein.exemptions = list(codes.values())
    ein.zero_rate_explained = zero_rate_explained(facts)
    withheld = [w.amount for w in ein.withholdings] + [t.amount for t in ein.taxes
                                                       if t.withheld and t.code != gib_codes.KDV_WITHHOLDING_OLD]
    if withheld:
        ein.withholding_total = sum(withheld, Decimal(0))
    shares = {w.share for w in ein.withholdings if w.share}
    if len(shares) == 1:
        ein.withholding_share = shares.pop()

    lmt = "cac:LegalMonetaryTotal"
    tot = ein.totals = MonetaryTotal(
        line_extension=r.dec(inv, f"{lmt}/cbc:LineExtensionAmount"),
        allowance_total=r.dec(inv, f"{lmt}/cbc:AllowanceTotalAmount"),
        charge_total=r.dec(inv, f"{lmt}/cbc:ChargeTotalAmount"),
        tax_exclusive=r.dec(inv, f"{lmt}/cbc:TaxExclusiveAmount"),
        tax_inclusive=r.dec(inv, f"{lmt}/cbc:TaxInclusiveAmount"),
        payable_rounding=r.dec(inv, f"{lmt}/cbc:PayableRoundingAmount"),
        payable=r.dec(inv, f"{lmt}/cbc:PayableAmount"))
    if tot.allowance_total is not None:
        put("discount_total", tot.allowance_total, f"{lmt}/cbc:AllowanceTotalAmount")
    # a written 0.00 is a value: fall back only when the field is absent
    if tot.tax_exclusive is not None:
        put("net_total", tot.tax_exclusive, f"{lmt}/cbc:TaxExclusiveAmount")
    else:
        put("net_total", tot.line_extension, f"{lmt}/cbc:LineExtensionAmount")
    # the tax-inclusive total is what the purchase costs; with tevkifat the supplier is paid less
    if tot.tax_inclusive is not None:
        put("grand_total", tot.tax_inclusive, f"{lmt}/cbc:TaxInclusiveAmount")
    else:
        put("grand_total", tot.payable, f"{lmt}/cbc:PayableAmount")
    put("payable", tot.payable, f"{lmt}/cbc:PayableAmount")
    if ein.exchange_rate is not None and currency and currency.upper() not in ("TRY", "TL"):
        k = ein.exchange_rate
        ein.tl = MonetaryTotal(**{name: (None if v is None else v * k) for name, v in vars(tot).items()})
    return facts


def _rate(pct: Decimal | None) -> Decimal | None:
    """A percent as written ("20", "20.00") -> Decimal("20")."""
    if pct is None:
        return None
    return pct.to_integral_value() if pct == pct.to_integral_value() else pct.normalize()
