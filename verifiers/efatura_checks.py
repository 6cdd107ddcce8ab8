"""The checks of an e-invoice on its own facts: line and document arithmetic with allowances
and charges, every tax by GİB code, withholding (tevkifat, stopaj), exemptions, type.

Tolerances are D7's (0.01 per line, 0.05 per document, scaled by the number of lines), applied
to the exact amounts as written. UBL-TR has two conventions for discounts, both issued by
integrators and both accepted by GİB: the document LineExtensionAmount is the sum of the lines
after their discounts (UBL) or before them, with the line discounts counted again in
AllowanceTotalAmount (many Turkish integrators); a check accepts either, never both at once
for the same figure. Every message names the document's currency (never "TL" for EUR/USD).
"""

from __future__ import annotations

from decimal import Decimal

from evrak.dates import format_datetime
from evrak.facts import EInvoiceLine
from evrak.findings import Evidence, Finding
from evrak.money import format_number
from verifiers import gib_codes
from verifiers.invoice import DOC_TOLERANCE, LINE_TOLERANCE, InvoiceFacts

ZERO = Decimal(0)


def money(value: Decimal, currency: str | None) -> str:
    """'1.234,56 EUR'; more decimals where the document wrote them (13,29591797 TRY)."""
    cur = "TL" if not currency or currency.upper() in ("TRY", "TL") else currency.upper()
    exp = value.normalize().as_tuple().exponent
    places = max(2, min(8, -exp)) if isinstance(exp, int) else 2
    return f"{format_number(value, places)} {cur}"


def _pct(p: Decimal) -> str:
    n = p.normalize()
    return f"%{n:f}".replace(".", ",")


def _near(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) <= tol


def check_efatura(facts: InvoiceFacts, file: str) -> list[Finding]:
    """PROFORMA_ARITHMETIC (subject e_fatura) and EFATURA_RETURN_INVOICE. What is not a problem
    (withholding, a coded exemption, the seal, schema messages) goes to `einvoice_notes`."""
    ein = facts.einvoice
    if ein is None:
        return []
    cur = ein.currency
    out: list[Finding] = []

    def arith(msg: str, evidence: list[Evidence]) -> None:
        out.append(Finding("PROFORMA_ARITHMETIC", f"{file}: {msg}", evidence=evidence, subject="e_fatura"))

    def ev(name: str) -> list[Evidence]:
        return [facts.evidence[name]] if name in facts.evidence else [Evidence(file=file)]

    n = max(1, len(facts.lines))
    doc_tol = max(DOC_TOLERANCE, LINE_TOLERANCE * n)

    # -- lines: quantity x price - allowances + charges = line amount; each tax = base x percent
    line_kdv: dict[Decimal, Decimal] = {}
    # a reader that knows no line details (a QR code) leaves ein.lines empty: lines then check as plain
    extras = ein.lines if len(ein.lines) == len(facts.lines) else [
        EInvoiceLine(gross=ln.quantity * ln.unit_price if ln.quantity is not None and ln.unit_price is not None
                     else None) for ln in facts.lines]
    for ln, ex in zip(facts.lines, extras, strict=True):
        lev = [ln.evidence] if ln.evidence else []
        if ex.gross is not None:
            allow = sum((a.amount for a in ex.allowances if not a.charge), ZERO)
            charge = sum((a.amount for a in ex.allowances if a.charge), ZERO)
            expected = ex.gross - allow + charge
            if not _near(expected, ln.amount, LINE_TOLERANCE):
                parts = f"{ln.quantity:f} × {money(ln.unit_price, cur)}"
                if allow:
                    parts += f" − iskonto {money(allow, cur)}"
                if charge:
                    parts += f" + artırım {money(charge, cur)}"
                arith(f"Kalem tutarı tutmuyor: {ln.description or ex.line_id}: {parts} = {money(expected, cur)}, "
                      f"belgede {money(ln.amount, cur)}", lev)
        for t in ex.taxes:
            if _by_percent(t) and not _near(t.base * t.percent / 100, t.amount, LINE_TOLERANCE):
                arith(f"Kalem vergisi tutmuyor: {ln.description or ex.line_id}: {t.name} "
                      f"{money(t.base, cur)} × {_pct(t.percent)} = {money(t.base * t.percent / 100, cur)}, "
                      f"belgede {money(t.amount, cur)}", lev)
            if t.code == gib_codes.KDV and t.percent is not None:
                line_kdv[t.percent.normalize()] = line_kdv.get(t.percent.normalize(), ZERO) + t.amount
        kdv_line = sum((t.amount for t in ex.taxes if t.code == gib_codes.KDV), ZERO)
        for w in ex.withholdings:
            _check_withholding(w, kdv_line, cur, LINE_TOLERANCE, lev, arith, ln.description or ex.line_id)

    # -- document totals
    tot = ein.totals
    sum_lines = sum((ln.amount for ln in facts.lines), ZERO)
    grosses = [ex.gross for ex in extras]
    sum_gross = sum((g for g in grosses if g is not None), ZERO) if all(g is not None for g in grosses) else None
    doc_allow = sum((a.amount for a in ein.allowances if not a.charge), ZERO)
    doc_charge = sum((a.amount for a in ein.allowances if a.charge), ZERO)
    if facts.lines and tot.line_extension is not None:
        ok = [sum_lines] + ([sum_gross] if sum_gross is not None else [])
        if not any(_near(tot.line_extension, c, doc_tol) for c in ok):
            arith(f"Kalemlerin toplamı ({money(sum_lines, cur)}) mal/hizmet toplamıyla "
                  f"({money(tot.line_extension, cur)}) tutmuyor", ev("net_total"))
    if tot.tax_exclusive is not None and tot.line_extension is not None:
        # absent totals: the document's own allowance/charge elements (none: zero)
        at = tot.allowance_total if tot.allowance_total is not None else doc_allow
        ct = tot.charge_total if tot.charge_total is not None else doc_charge
        expected = tot.line_extension - at + ct
        if not _near(expected, tot.tax_exclusive, doc_tol):
            arith(f"Vergi hariç tutar tutmuyor: mal/hizmet toplamı {money(tot.line_extension, cur)} − iskonto "
                  f"{money(at, cur)} + artırım {money(ct, cur)} = {money(expected, cur)}, belgede "
                  f"{money(tot.tax_exclusive, cur)}", ev("net_total"))
        elif facts.lines:
            # the lines after their own discounts, less/plus the document's (or restated line) discounts
            ok = [sum_lines - doc_allow + doc_charge, sum_lines]
            if not any(_near(tot.tax_exclusive, c, doc_tol) for c in ok):
                arith(f"Vergi hariç tutar ({money(tot.tax_exclusive, cur)}) kalemlerin toplamıyla "
                      f"({money(sum_lines, cur)}, belge iskontosu {money(doc_allow, cur)}, artırımı "
                      f"{money(doc_charge, cur)}) tutmuyor", ev("net_total"))

    # -- document taxes: each subtotal, and KDV per rate against the lines
    for t in ein.taxes:
        if _by_percent(t) and t.code != gib_codes.KDV_WITHHOLDING_OLD \
                and not _near(t.base * t.percent / 100, t.amount, doc_tol):
            arith(f"{t.name} tutarı tutmuyor: {money(t.base, cur)} × {_pct(t.percent)} = "
                  f"{money(t.base * t.percent / 100, cur)}, belgede {money(t.amount, cur)}",
                  [Evidence(file=file, text="cac:TaxTotal/cac:TaxSubtotal", value=str(t.amount))])
    # a document discount lowers the KDV base after the lines: then the lines' KDV is not the total's
    base_as_lines = tot.tax_exclusive is None or _near(tot.tax_exclusive, sum_lines, doc_tol)
    if line_kdv and base_as_lines:
        doc_kdv: dict[Decimal, Decimal] = {}
        for t in ein.taxes:
            if t.code == gib_codes.KDV and t.percent is not None:
                doc_kdv[t.percent.normalize()] = doc_kdv.get(t.percent.normalize(), ZERO) + t.amount
        for rate, amount in doc_kdv.items():
            if rate in line_kdv and not _near(line_kdv[rate], amount, doc_tol):
                arith(f"KDV {_pct(rate)} toplamı ({money(amount, cur)}) kalemlerdeki KDV'lerin toplamıyla "
                      f"({money(line_kdv[rate], cur)}) tutmuyor", ev("kdv_total"))
    kdv_doc = sum((t.amount for t in ein.taxes if t.code == gib_codes.KDV), ZERO)
    for w in ein.withholdings:
        _check_withholding(w, kdv_doc, cur, doc_tol, ev("payable"), arith, None)

    added = sum((t.amount for t in ein.taxes if not t.withheld), ZERO)
    stopaj = sum((t.amount for t in ein.taxes if t.withheld and t.code != gib_codes.KDV_WITHHOLDING_OLD), ZERO)
    kdv_withheld = sum((w.amount for w in ein.withholdings), ZERO)
    # some integrators write the tax-inclusive amount already less the KDV withheld; then it is payable
    net_inclusive = bool(kdv_withheld) and tot.tax_exclusive is not None and tot.tax_inclusive is not None and any(
        _near(tot.tax_inclusive, tot.tax_exclusive + added - kdv_withheld - s, doc_tol) for s in (ZERO, stopaj))
    if tot.tax_exclusive is not None and tot.tax_inclusive is not None and ein.taxes and not net_inclusive:
        ok = [tot.tax_exclusive + added, tot.tax_exclusive + added - stopaj]
        if not any(_near(tot.tax_inclusive, c, doc_tol) for c in ok):
            arith(f"Toplam tutmuyor: vergi hariç {money(tot.tax_exclusive, cur)} + vergiler {money(added, cur)} = "
                  f"{money(tot.tax_exclusive + added, cur)}, belgede vergiler dahil toplam "
                  f"{money(tot.tax_inclusive, cur)}", ev("grand_total"))
    if tot.tax_inclusive is not None and tot.payable is not None:
        rounding = tot.payable_rounding or ZERO
        withheld = ZERO if net_inclusive else kdv_withheld
        ok = [tot.tax_inclusive - withheld - stopaj + rounding, tot.tax_inclusive - withheld + rounding]
        if not any(_near(tot.payable, c, doc_tol) for c in ok):
            what = f" − tevkifat {money(kdv_withheld + stopaj, cur)}" if kdv_withheld + stopaj else ""
            what += f" + yuvarlama {money(rounding, cur)}" if rounding else ""
            arith(f"Ödenecek tutar tutmuyor: vergiler dahil {money(tot.tax_inclusive, cur)}{what} = "
                  f"{money(ok[0], cur)}, belgede ödenecek {money(tot.payable, cur)}", ev("payable"))

    # -- type: a return invoice is not a sale
    itype = gib_codes.INVOICE_TYPES.get(ein.invoice_type or "")
    if itype is not None and itype.is_return:
        out.append(Finding("EFATURA_RETURN_INVOICE",
                           f"{file}: fatura tipi {itype.code} ({itype.name}): {itype.meaning}; satış faturası ya da "
                           "teklif yerine geçmez", evidence=ev("invoice_type"), subject="e_fatura"))
    return out


def _by_percent(t) -> bool:
    """A tax computed as base x percent; a 0 % non-KDV tax with an amount is a per-unit tax
    (ÖTV (I) list: TL per litre, PerUnitAmount), which has no percent to check."""
    if t.percent is None or t.base is None:
        return False
    return not (t.percent == 0 and t.code != gib_codes.KDV)


def _zero_rate_exemptions(facts: InvoiceFacts) -> list[str]:
    """'301 KDVK 11/1-a mal ihracatı' for each legal exemption code on a 0 % KDV."""
    ein = facts.einvoice
    assert ein is not None
    out: dict[str, str] = {}
    for t in [*ein.taxes, *(t for ln in ein.lines for t in ln.taxes)]:
        code = t.exemption_code
        if t.code == gib_codes.KDV and code and code not in gib_codes.NOT_AN_EXEMPTION \
                and (t.percent is None or t.percent == 0) and code not in out:
            out[code] = f"{code} {t.exemption or ''}".strip()
    return list(out.values())


def zero_rate_explained(facts: InvoiceFacts) -> bool:
    return bool(_zero_rate_exemptions(facts))


def _check_withholding(w, kdv: Decimal, cur: str | None, tol: Decimal, evidence: list[Evidence], arith,
                       where: str | None) -> None:
    """Withheld = KDV x share; the base some integrators write is the KDV, others the net: either."""
    if w.percent is None:
        return
    cands = [kdv * w.percent / 100] + ([w.base * w.percent / 100] if w.base is not None else [])
    if kdv == 0 and w.base is None:
        return
    if not any(_near(c, w.amount, tol) for c in cands):
        at = f"{where}: " if where else ""
        arith(f"{at}Tevkifat tutmuyor: {w.code or ''} KDV {money(kdv, cur)} × {w.share or _pct(w.percent)} = "
              f"{money(cands[0], cur)}, belgede {money(w.amount, cur)}", evidence)


def einvoice_notes(facts: InvoiceFacts) -> list[str]:
    """Facts staff should see, as Turkish notes: withholding and its share, coded exemptions,
    the mali mühür, the TL equivalent of a foreign-currency invoice, GİB schema messages."""
    ein = facts.einvoice
    if ein is None:
        return []
    cur = ein.currency
    tot = ein.totals
    out: list[str] = []
    itype = gib_codes.INVOICE_TYPES.get(ein.invoice_type or "")
    prof = gib_codes.PROFILES.get(ein.profile or "")
    if itype or prof:
        out.append("e-Fatura senaryosu/tipi: " + " / ".join(
            f"{x.code} ({x.name}: {x.meaning})" for x in (prof, itype) if x is not None))
    if ein.withholding_total:
        parts = [f"{w.code} {w.name}" + (f" ({w.share})" if w.share else "") + f": {money(w.amount, cur)}"
                 for w in ein.withholdings]
        parts += [f"{t.name}: {money(t.amount, cur)}" for t in ein.taxes
                  if t.withheld and t.code != gib_codes.KDV_WITHHOLDING_OLD]
        pay = f"; satıcıya ödenecek {money(tot.payable, cur)}" if tot.payable is not None else ""
        inc = f", vergiler dahil toplam {money(tot.tax_inclusive, cur)}" if tot.tax_inclusive is not None else ""
        out.append(f"Tevkifatlı fatura: {'; '.join(parts)}{pay}{inc}.")
    if itype is not None and itype.withholding and not ein.withholdings:
        out.append(f"Fatura tipi {itype.code} ama faturada KDV tevkifatı (WithholdingTaxTotal ya da 9015) yok; "
                   "ödenecek tutar kontrol edilmeli.")
    for text in _zero_rate_exemptions(facts):
        out.append(f"KDV %0, yasal istisna: {text}.")
    if ein.tl is not None and ein.exchange_rate is not None:
        total = ein.tl.tax_inclusive if ein.tl.tax_inclusive is not None else ein.tl.payable
        if total is not None:
            out.append(f"Döviz cinsinden fatura ({cur}); faturadaki kur {format_number(ein.exchange_rate, 4)} TL, "
                       f"vergiler dahil toplamın TL karşılığı {money(total, 'TRY')}.")
    seal = ein.seal
    if not seal.present:
        out.append("Mali mühür (XAdES imzası) yok: imzasız bir kopya ya da taslak olabilir; belgenin bütünlüğü ve "
                   "düzenleyeni doğrulanamadı.")
    elif seal.valid:
        who = f"VKN {seal.vkn}" if seal.vkn else (f"TCKN {seal.tckn}" if seal.tckn else (seal.subject or "?"))
        when = f", mühür zamanı {format_datetime(seal.signed_at)} (beyan)" if seal.signed_at else ""
        same = ""
        if seal.vkn and facts.supplier_id and seal.vkn != facts.supplier_id:
            same = f"; dikkat: satıcının VKN'si {facts.supplier_id}"
        crl = "" if seal.revocation_checked else "; iptal durumu denetlenmedi (güven klasöründe SİL yok)"
        out.append(f"Mali mühür geçerli: {who} ({seal.subject or ''}){when}{same}{crl}.")
    if ein.schema_issues:
        out.append(f"GİB şema/şematron kontrolü {len(ein.schema_issues)} uyarı verdi (personel için bilgi): "
                   + " | ".join(ein.schema_issues[:3]) + (" | ..." if len(ein.schema_issues) > 3 else ""))
    return out


def render_einvoice(ein) -> list[str]:
    """The e-invoice part of the facts as indented Turkish lines (document.render_text)."""
    cur = ein.currency
    tot = ein.totals
    out = ["  e-Fatura:"]
    head = [x for x in (ein.profile and f"senaryo {ein.profile}", ein.invoice_type and f"tip {ein.invoice_type}",
                        ein.uuid and f"ETTN {ein.uuid}", ein.archive and "e-Arşiv") if x]
    if head:
        out.append("    " + ", ".join(head))
    names = (("line_extension", "mal/hizmet toplamı"), ("allowance_total", "toplam iskonto"),
             ("charge_total", "toplam artırım"), ("tax_exclusive", "vergi hariç"),
             ("tax_inclusive", "vergiler dahil"), ("payable_rounding", "yuvarlama"), ("payable", "ödenecek"))
    amounts = [f"{label} {money(getattr(tot, key), cur)}" for key, label in names if getattr(tot, key) is not None]
    if amounts:
        out.append("    " + "; ".join(amounts))
    if ein.exchange_rate is not None:
        out.append(f"    kur {format_number(ein.exchange_rate, 4)} TL/{cur}")
    for t in ein.taxes:
        rate = f" {_pct(t.percent)}" if t.percent is not None else ""
        ex = f", istisna {t.exemption_code}" if t.exemption_code else ""
        kind = " (kesinti)" if t.withheld else ""
        out.append(f"    vergi {t.name}{rate}: {money(t.amount, cur)}{kind}{ex}")
    for w in ein.withholdings:
        out.append(f"    tevkifat {w.code} {w.share or ''}: {money(w.amount, cur)}")
    for a in ein.allowances:
        out.append(f"    belge {'artırımı' if a.charge else 'iskontosu'}: {money(a.amount, cur)}")
    seal = ein.seal
    state = "yok" if not seal.present else ("geçerli" if seal.valid else ("doğrulanamadı" if seal.valid is None
                                                                             else "geçersiz"))
    out.append(f"    mali mühür: {state}" + (f" (VKN {seal.vkn})" if seal.vkn else ""))
    return out
