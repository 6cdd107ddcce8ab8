"""e-Fatura / e-Arşiv (UBL-TR 1.2) reader -> InvoiceFacts, with the parser locked down.

lxml runs with resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, so an
uploaded XML cannot read local files (XXE) or blow up memory (billion laughs); any DOCTYPE
with entity declarations is refused with a finding before the document is used at all.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from evrak.findings import Evidence, Finding
from evrak.money import quantize
from verifiers.invoice import InvoiceFacts, InvoiceLine, KdvPart
from verifiers.text import unreadable

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
MAX_XML_BYTES = 20 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False)


def _dec(node) -> Decimal | None:
    if node is None or node.text is None:
        return None
    try:
        return quantize(Decimal(node.text.strip()))
    except InvalidOperation:
        return None


def _pct(node) -> Decimal | None:
    """A KDV percent as written ("20", "20.00") -> Decimal("20"); None when absent or not a number."""
    if node is None or not node.text:
        return None
    try:
        d = Decimal(node.text.strip())
    except InvalidOperation:
        return None
    return d.to_integral_value() if d == d.to_integral_value() else d.normalize()


def read_efatura(data: bytes, file: str) -> tuple[InvoiceFacts | None, list[Finding]]:
    if len(data) > MAX_XML_BYTES:
        return None, [unreadable(file, "XML dosyası çok büyük")]
    head = data[:4096]
    if b"<!ENTITY" in head.upper() or (b"<!DOCTYPE" in head.upper() and b"[" in head):
        return None, [Finding(
            "DOC_UNREADABLE",
            f"Belge okunamadı ({file}): XML, varlık (ENTITY/DOCTYPE) tanımı içeriyor; güvenlik nedeniyle "
            "işlenmedi (XXE / billion laughs)", evidence=[Evidence(file=file, text="<!DOCTYPE ... <!ENTITY")])]
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        return None, [unreadable(file, f"XML bozuk ({exc.msg})")]
    inv = root if etree.QName(root).localname == "Invoice" else next(iter(root.iter(f"{{{NS['inv']}}}Invoice")), None)
    if inv is None:
        return None, [unreadable(file, "UBL-TR Invoice öğesi yok (e-Fatura değil)")]
    facts = InvoiceFacts(kind="e_fatura")
    ev = facts.evidence

    def x(path: str, ctx=inv):
        r = ctx.xpath(path, namespaces=NS)
        return r[0] if r else None

    def put(name: str, value, path: str) -> None:
        if value is not None:
            setattr(facts, name, value)
            ev[name] = Evidence(file=file, text=path, value=str(value))

    idn = x("cbc:ID")
    put("number", idn.text.strip() if idn is not None and idn.text else None, "cbc:ID")
    prof = x("cbc:ProfileID")
    facts.profile = prof.text.strip() if prof is not None and prof.text else None
    d = x("cbc:IssueDate")
    try:
        put("issued_on", date.fromisoformat(d.text.strip()) if d is not None and d.text else None, "cbc:IssueDate")
    except ValueError:
        pass
    cur = x("cbc:DocumentCurrencyCode")
    put("currency", cur.text.strip() if cur is not None and cur.text else None, "cbc:DocumentCurrencyCode")
    sp = "cac:AccountingSupplierParty/cac:Party"
    sid = x(f"{sp}/cac:PartyIdentification/cbc:ID[@schemeID='VKN' or @schemeID='TCKN']")
    put("supplier_id", sid.text.strip() if sid is not None and sid.text else None, f"{sp}/…/cbc:ID")
    name = x(f"{sp}/cac:PartyName/cbc:Name")
    if name is None:
        fn, ln = x(f"{sp}/cac:Person/cbc:FirstName"), x(f"{sp}/cac:Person/cbc:FamilyName")
        text = " ".join(n.text.strip() for n in (fn, ln) if n is not None and n.text) or None
    else:
        text = name.text.strip() if name.text else None
    put("supplier", text, f"{sp}/cac:PartyName/cbc:Name")
    cp = "cac:AccountingCustomerParty/cac:Party"
    bid = x(f"{cp}/cac:PartyIdentification/cbc:ID[@schemeID='VKN' or @schemeID='TCKN']")
    put("buyer_id", bid.text.strip() if bid is not None and bid.text else None, f"{cp}/…/cbc:ID")
    bname = x(f"{cp}/cac:PartyName/cbc:Name")
    put("buyer", bname.text.strip() if bname is not None and bname.text else None, f"{cp}/cac:PartyName/cbc:Name")
    for line in inv.xpath("cac:InvoiceLine", namespaces=NS):
        amount = _dec(x("cbc:LineExtensionAmount", line))
        if amount is None:
            continue
        q = x("cbc:InvoicedQuantity", line)
        try:
            qty = Decimal(q.text.strip()) if q is not None and q.text else None
        except InvalidOperation:
            qty = None
        pct = x("cac:TaxTotal/cac:TaxSubtotal/cbc:Percent", line)
        desc = x("cac:Item/cbc:Name", line)
        facts.lines.append(InvoiceLine(
            description=desc.text.strip() if desc is not None and desc.text else "",
            quantity=qty, unit_price=_dec(x("cac:Price/cbc:PriceAmount", line)), amount=amount,
            kdv_rate=_pct(pct),
            evidence=Evidence(file=file, text="cac:InvoiceLine", value=str(amount))))
    for sub in inv.xpath("cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode='0015']",
                         namespaces=NS):
        amt = _dec(x("cbc:TaxAmount", sub))
        pct = x("cbc:Percent", sub)
        if amt is not None:
            rate = _pct(pct)
            facts.kdv.append(KdvPart(rate, amt, Evidence(file=file, text="cac:TaxTotal/cac:TaxSubtotal",
                                                         value=str(amt))))
    if facts.kdv:
        facts.kdv_total = sum((p.amount for p in facts.kdv), Decimal(0))
        ev["kdv_total"] = Evidence(file=file, text="cac:TaxTotal (0015)", value=str(facts.kdv_total))
    lmt = "cac:LegalMonetaryTotal"
    put("net_total", _dec(x(f"{lmt}/cbc:TaxExclusiveAmount")) or _dec(x(f"{lmt}/cbc:LineExtensionAmount")),
        f"{lmt}/cbc:TaxExclusiveAmount")
    # TEVKIFAT: PayableAmount is below TaxInclusiveAmount; the arithmetic is on the latter
    put("grand_total", _dec(x(f"{lmt}/cbc:TaxInclusiveAmount")) or _dec(x(f"{lmt}/cbc:PayableAmount")),
        f"{lmt}/cbc:TaxInclusiveAmount")
    return facts, []
