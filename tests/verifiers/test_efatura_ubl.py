"""UBL-TR invoices built here (lxml, from the UBL 2.1 / UBL-TR element order), read back:
totals, allowances and charges, every tax, withholding in both forms, exemptions, currencies,
8-decimal prices, zero totals, e-Arşiv; and the four real İZİBİZ invoices of ../shared.

The builder computes a correct invoice the way an integrator does (kuruş rounding per
amount); tests then read it back and assert the facts, or tamper one figure and assert the
finding. Nothing here is copied from the fixtures.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from efatura_kontrol.belge import yukle
from lxml import etree

from evrak.facts import EInvoice, MonetaryTotal, TaxPart, Withholding
from evrak.manifest import load_manifest
from evrak.profiles import load_profile
from tests.verifiers.helpers import rules, write
from verifiers import gib_codes
from verifiers.document import read_document
from verifiers.efatura import read_efatura
from verifiers.efatura_checks import check_efatura, einvoice_notes
from verifiers.efatura_qr import einvoice_from_qr
from verifiers.invoice import InvoiceFacts, InvoiceLine
from verifiers.prescreen import documents
from verifiers.prescreen.context import CheckContext
from verifiers.qrcode import parse_payload

D = Decimal
NS = {
    None: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
OTV_CODES = {"0071", "0073", "0074", "0075", "0076", "0077", "9077"}
SUPPLIER_VKN = "4540536920"  # checksum-valid
BUYER_VKN = "3297552117"
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real" / "efatura"


def r2(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), ROUND_HALF_UP)


def _q(tag: str) -> str:
    pre, _, local = tag.rpartition(":")
    return f"{{{NS[pre or None]}}}{local}"


def sub(parent, tag: str, text=None, **attrs):
    el = etree.SubElement(parent, _q(tag), {k: str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = str(text)
    return el


@dataclass
class Tax:
    code: str
    percent: Decimal
    base: Decimal | None = None  # None: the line amount (a special base for OZELMATRAH)
    exemption: str | None = None
    amount: Decimal | None = None  # a per-unit tax (ÖTV (I) list): written at percent 0


@dataclass
class L:
    """One line: quantity x price, its allowances (-) and charges (+), KDV and other taxes."""

    qty: Decimal
    price: Decimal
    kdv: Decimal = field(default_factory=lambda: D(20))
    name: str = "Kalem"
    allowances: list[Decimal] = field(default_factory=list)
    charges: list[Decimal] = field(default_factory=list)
    taxes: list[Tax] = field(default_factory=list)  # besides KDV; ÖTV is in the KDV base
    kdv_exemption: str | None = None
    kdv_base: Decimal | None = None  # özel matrah
    withholding: tuple[str, Decimal] | None = None  # (6xx/8xx code, percent)

    @property
    def gross(self) -> Decimal:
        return self.qty * self.price

    @property
    def amount(self) -> Decimal:
        return r2(self.gross - sum(self.allowances, D(0)) + sum(self.charges, D(0)))


@dataclass
class Built:
    xml: bytes
    net: Decimal
    taxes: dict[str, Decimal]
    tax_inclusive: Decimal
    withheld: Decimal
    payable: Decimal


def _money(parent, tag: str, value: Decimal, cur: str):
    return sub(parent, tag, value, currencyID=cur)


def _subtotal(tt, base, amount, percent, code, cur, exemption=None):
    st = sub(tt, "cac:TaxSubtotal")
    _money(st, "cbc:TaxableAmount", base, cur)
    _money(st, "cbc:TaxAmount", amount, cur)
    sub(st, "cbc:Percent", percent)
    cat = sub(st, "cac:TaxCategory")
    if exemption:
        sub(cat, "cbc:TaxExemptionReasonCode", exemption)
        sub(cat, "cbc:TaxExemptionReason", gib_codes.EXEMPTIONS[exemption].text if exemption in gib_codes.EXEMPTIONS
            else "?")
    ts = sub(cat, "cac:TaxScheme")
    known = gib_codes.TAX_TYPES.get(code)
    sub(ts, "cbc:Name", known.short if known else gib_codes.WITHHOLDING_TYPES[code].name)
    sub(ts, "cbc:TaxTypeCode", code)
    return st


def _party(parent, tag: str, vkn: str, name: str, person: bool = False):
    p = sub(sub(parent, tag), "cac:Party")
    sub(sub(p, "cac:PartyIdentification"), "cbc:ID", vkn, schemeID="TCKN" if len(vkn) == 11 else "VKN")
    if not person:
        sub(sub(p, "cac:PartyName"), "cbc:Name", name)
    addr = sub(p, "cac:PostalAddress")
    sub(addr, "cbc:CitySubdivisionName", "Antakya")
    sub(addr, "cbc:CityName", "Hatay")
    sub(sub(addr, "cac:Country"), "cbc:Name", "Türkiye")
    sub(sub(sub(p, "cac:PartyTaxScheme"), "cac:TaxScheme"), "cbc:Name", "Antakya")
    if person:
        per = sub(p, "cac:Person")
        first, _, last = name.partition(" ")
        sub(per, "cbc:FirstName", first)
        sub(per, "cbc:FamilyName", last)


def build(lines: list[L], *, profile: str = "TEMELFATURA", itype: str = "SATIS", currency: str = "TRY",
          rate: Decimal | None = None, doc_allowances: tuple[Decimal, ...] = (), doc_charges: tuple[Decimal, ...] = (),
          withholding_form: str = "new", stopaj: Decimal | None = None, gross_convention: bool = False,
          number: str = "ABC2026000000001", issued: date = date(2026, 3, 2), buyer: tuple[str, str] | None = None,
          seal_placeholder: bool = False, rounding: Decimal | None = None) -> Built:
    """A UBL-TR 1.2 invoice, amounts computed as an integrator would (kuruş per amount).

    `withholding_form`: "new" = cac:WithholdingTaxTotal, "old" = code 9015 inside cac:TaxTotal.
    `gross_convention`: document LineExtensionAmount before line discounts, line discounts in
    AllowanceTotalAmount (the common Turkish form) instead of UBL's after-discount sum.
    """
    cur = currency
    inv = etree.Element(_q("Invoice"), nsmap=NS)
    ext = sub(sub(sub(inv, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent")
    if seal_placeholder:
        sub(ext, "ds:Signature", Id="placeholder")
    for tag, value in (("cbc:UBLVersionID", "2.1"), ("cbc:CustomizationID", "TR1.2"), ("cbc:ProfileID", profile),
                       ("cbc:ID", number), ("cbc:CopyIndicator", "false"),
                       ("cbc:UUID", "3f2b1c9e-8d7a-4e21-9b6f-0a1b2c3d4e5f"), ("cbc:IssueDate", issued.isoformat()),
                       ("cbc:InvoiceTypeCode", itype), ("cbc:DocumentCurrencyCode", cur),
                       ("cbc:LineCountNumeric", len(lines))):
        sub(inv, tag, value)
    sig = sub(inv, "cac:Signature")
    sub(sig, "cbc:ID", SUPPLIER_VKN, schemeID="VKN_TCKN")
    signatory = sub(sig, "cac:SignatoryParty")
    sub(sub(signatory, "cac:PartyIdentification"), "cbc:ID", SUPPLIER_VKN, schemeID="VKN")
    address = sub(signatory, "cac:PostalAddress")
    sub(address, "cbc:CitySubdivisionName", "Antakya")
    sub(address, "cbc:CityName", "Hatay")
    sub(sub(address, "cac:Country"), "cbc:Name", "Türkiye")
    sub(sub(sub(sig, "cac:DigitalSignatureAttachment"), "cac:ExternalReference"), "cbc:URI", "#Signature")
    _party(inv, "cac:AccountingSupplierParty", SUPPLIER_VKN, "ÖRNEK MAKİNA SANAYİ VE TİCARET A.Ş.")
    bid, bname = buyer or (BUYER_VKN, "ALICI TEKSTİL LTD. ŞTİ.")
    _party(inv, "cac:AccountingCustomerParty", bid, bname, person=len(bid) == 11)

    # -- compute
    net_lines = sum((ln.amount for ln in lines), D(0))
    doc_allow, doc_charge = sum(doc_allowances, D(0)), sum(doc_charges, D(0))
    tax_exclusive = net_lines - doc_allow + doc_charge
    line_allow = sum((a for ln in lines for a in ln.allowances), D(0))
    line_charge = sum((c for ln in lines for c in ln.charges), D(0))
    taxes: dict[tuple[str, Decimal, str | None], list[Decimal]] = {}  # (code, pct, exemption) -> [base, amount]
    line_taxes = []
    line_wh = []
    for ln in lines:
        factor = tax_exclusive / net_lines if doc_allow or doc_charge else D(1)
        amount = ln.amount * factor
        parts = []
        otv = D(0)
        for t in ln.taxes:
            base = t.base if t.base is not None else amount
            a = t.amount if t.amount is not None else r2(base * t.percent / 100)
            parts.append((t.code, t.percent, r2(base), a, t.exemption))
            if t.code in OTV_CODES:
                otv += a  # ÖTV is in the KDV base
        kbase = ln.kdv_base if ln.kdv_base is not None else r2(amount) + otv
        kdv = r2(kbase * ln.kdv / 100)
        parts.insert(0, ("0015", ln.kdv, kbase, kdv, ln.kdv_exemption))
        line_taxes.append(parts)
        for code, pct, base, a, ex in parts:
            k = taxes.setdefault((code, pct, ex), [D(0), D(0)])
            k[0] += base
            k[1] += a
        line_wh.append((ln.withholding[0], ln.withholding[1], kdv, r2(kdv * ln.withholding[1] / 100))
                       if ln.withholding else None)
    added = sum((v[1] for (code, _, _), v in taxes.items()
                 if gib_codes.TAX_TYPES[code].effect == gib_codes.Effect.ADDED), D(0))
    stopaj_amount = r2(tax_exclusive * stopaj / 100) if stopaj is not None else D(0)
    kdv_withheld = sum((w[3] for w in line_wh if w), D(0))
    tax_inclusive = tax_exclusive + added
    payable = tax_inclusive - kdv_withheld - stopaj_amount + (rounding or D(0))

    # -- document level
    if rate is not None:
        per = sub(inv, "cac:PricingExchangeRate")
        sub(per, "cbc:SourceCurrencyCode", cur)
        sub(per, "cbc:TargetCurrencyCode", "TRY")
        sub(per, "cbc:CalculationRate", rate)
    for value, charge in [*((a, False) for a in doc_allowances), *((c, True) for c in doc_charges)]:
        ac = sub(inv, "cac:AllowanceCharge")
        sub(ac, "cbc:ChargeIndicator", "true" if charge else "false")
        sub(ac, "cbc:AllowanceChargeReason", "Artırım" if charge else "Belge iskontosu")
        _money(ac, "cbc:Amount", value, cur)
    # (the pricing exchange rate element follows AllowanceCharge in UBL; move it after)
    if rate is not None:
        per = inv.find(_q("cac:PricingExchangeRate"))
        inv.remove(per)
        inv.append(per)
    tt = sub(inv, "cac:TaxTotal")
    total_tax = sum((v[1] for v in taxes.values()), D(0)) + stopaj_amount
    _money(tt, "cbc:TaxAmount", total_tax, cur)
    for (code, pct, ex), (base, a) in taxes.items():
        _subtotal(tt, base, a, pct, code, cur, ex)
    if stopaj is not None:
        _subtotal(tt, tax_exclusive, stopaj_amount, stopaj, "0003", cur)
    wh_by_code: dict[tuple[str, Decimal], list[Decimal]] = {}
    for w in line_wh:
        if w:
            k = wh_by_code.setdefault((w[0], w[1]), [D(0), D(0)])
            k[0] += w[2]
            k[1] += w[3]
    if wh_by_code and withholding_form == "old":
        for (_code, pct), (base, a) in wh_by_code.items():
            _subtotal(tt, base, a, pct, "9015", cur)
    if wh_by_code and withholding_form == "new":
        wt = sub(inv, "cac:WithholdingTaxTotal")
        _money(wt, "cbc:TaxAmount", kdv_withheld, cur)
        for (code, pct), (base, a) in wh_by_code.items():
            _subtotal(wt, base, a, pct, code, cur)
    lmt = sub(inv, "cac:LegalMonetaryTotal")
    if gross_convention:
        _money(lmt, "cbc:LineExtensionAmount", r2(sum((ln.gross for ln in lines), D(0))), cur)
    else:
        _money(lmt, "cbc:LineExtensionAmount", net_lines, cur)
    _money(lmt, "cbc:TaxExclusiveAmount", tax_exclusive, cur)
    _money(lmt, "cbc:TaxInclusiveAmount", tax_inclusive, cur)
    at = doc_allow + (line_allow if gross_convention else D(0))
    ct = doc_charge + (line_charge if gross_convention else D(0))
    _money(lmt, "cbc:AllowanceTotalAmount", at, cur)
    _money(lmt, "cbc:ChargeTotalAmount", ct, cur)
    if rounding is not None:
        _money(lmt, "cbc:PayableRoundingAmount", rounding, cur)
    _money(lmt, "cbc:PayableAmount", payable, cur)

    # -- lines
    for i, (ln, parts, w) in enumerate(zip(lines, line_taxes, line_wh, strict=True), 1):
        il = sub(inv, "cac:InvoiceLine")
        sub(il, "cbc:ID", i)
        sub(il, "cbc:InvoicedQuantity", ln.qty, unitCode="C62")
        _money(il, "cbc:LineExtensionAmount", ln.amount, cur)
        for value, charge in [*((a, False) for a in ln.allowances), *((c, True) for c in ln.charges)]:
            ac = sub(il, "cac:AllowanceCharge")
            sub(ac, "cbc:ChargeIndicator", "true" if charge else "false")
            sub(ac, "cbc:MultiplierFactorNumeric", (value / ln.gross).quantize(D("0.0001")) if ln.gross else 0)
            _money(ac, "cbc:Amount", value, cur)
            _money(ac, "cbc:BaseAmount", r2(ln.gross), cur)
        ltt = sub(il, "cac:TaxTotal")
        _money(ltt, "cbc:TaxAmount", sum((p[3] for p in parts), D(0)), cur)
        for code, pct, base, a, ex in parts:
            _subtotal(ltt, base, a, pct, code, cur, ex)
        if w and withholding_form == "new":
            lwt = sub(il, "cac:WithholdingTaxTotal")
            _money(lwt, "cbc:TaxAmount", w[3], cur)
            _subtotal(lwt, w[2], w[3], w[1], w[0], cur)
        sub(sub(il, "cac:Item"), "cbc:Name", ln.name)
        _money(sub(il, "cac:Price"), "cbc:PriceAmount", ln.price, cur)
    xml = etree.tostring(inv, xml_declaration=True, encoding="UTF-8")
    tax_codes: dict[str, Decimal] = {}
    for (code, _, _), (_, a) in taxes.items():
        tax_codes[code] = tax_codes.get(code, D(0)) + a
    return Built(xml, tax_exclusive, tax_codes, tax_inclusive, kdv_withheld + stopaj_amount, payable)


def tamper(xml: bytes, path: str, value: str, index: int = 0) -> bytes:
    root = etree.fromstring(xml)
    nodes = root.xpath(path, namespaces={k: v for k, v in NS.items() if k})
    nodes[index].text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def read(xml: bytes, tmp_path, name: str = "fatura.xml"):
    return read_document(write(tmp_path, name, xml))


def arithmetic(res) -> list[str]:
    return [f.message for f in res.findings if f.rule == "PROFORMA_ARITHMETIC"]


# --- plain, discounts and charges -------------------------------------------------------------


def test_plain_invoice_all_totals(tmp_path):
    b = build([L(D(2), D("1500.00"), D(20)), L(D(10), D("12.50"), D(10)), L(D(1), D("99.99"), D(1))])
    res = read(b.xml, tmp_path)
    f, e = res.facts, res.facts.einvoice
    assert res.findings == []
    assert f.net_total == b.net == D("3224.99") and e.totals.tax_exclusive == b.net
    assert f.kdv_total == b.taxes["0015"] and f.grand_total == b.tax_inclusive and f.payable == b.payable
    assert e.totals.allowance_total == D("0.00") and e.totals.charge_total == D("0.00")
    assert {p.rate for p in f.kdv} == {D(20), D(10), D(1)}
    assert e.invoice_type == "SATIS" and e.profile == "TEMELFATURA" and not e.archive
    assert e.withholding_total is None and e.withholding_share is None


def test_line_discounts_applied_not_reported(tmp_path):
    lines = [L(D(3), D("1000.00"), allowances=[D("300.00")]), L(D(1), D("500.00"), allowances=[D("50.00"), D("45.00")]),
             L(D(4), D("25.00"), charges=[D("10.00")])]
    b = build(lines)
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == []
    assert [ln.amount for ln in res.facts.lines] == [D("2700.00"), D("405.00"), D("110.00")]
    assert [sum(a.amount for a in ex.allowances if not a.charge) for ex in e.lines] == [D(300), D(95), D(0)]
    assert e.lines[2].allowances[0].charge and e.lines[2].allowances[0].amount == D("10.00")
    assert e.lines[0].gross == D("3000.00")
    assert [ln.discount for ln in res.facts.lines] == [D(300), D(95), D(-10)]  # the PDF reader's field too


def test_gross_convention_with_line_discounts_in_allowance_total(tmp_path):
    b = build([L(D(1), D("179683"), allowances=[D("44920.75")])], gross_convention=True)
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == []
    assert e.totals.line_extension == D("179683.00") and e.totals.allowance_total == D("44920.75")
    assert res.facts.net_total == D("134762.25") and res.facts.kdv_total == D("26952.45")


def test_document_allowance_and_charge(tmp_path):
    b = build([L(D(10), D("100.00")), L(D(5), D("40.00"))], doc_allowances=(D("120.00"),), doc_charges=(D("20.00"),))
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == []
    assert [(a.charge, a.amount) for a in e.allowances] == [(False, D("120.00")), (True, D("20.00"))]
    assert e.totals.allowance_total == D("120.00") and e.totals.charge_total == D("20.00")
    assert res.facts.net_total == D("1100.00")


def test_discounted_line_with_wrong_amount_is_reported_in_its_currency(tmp_path):
    b = build([L(D(2), D("100.00"), allowances=[D("20.00")])], currency="EUR", rate=D("35.1234"))
    bad = tamper(b.xml, "//cac:InvoiceLine/cbc:LineExtensionAmount", "200.00")
    msgs = arithmetic(read(bad, tmp_path))
    assert any("Kalem tutarı tutmuyor" in m and "iskonto 20,00 EUR" in m and "180,00 EUR" in m for m in msgs), msgs
    assert not any(" TL" in m for m in msgs)


def test_tax_exclusive_mismatch(tmp_path):
    b = build([L(D(1), D("100.00"))], doc_allowances=(D("10.00"),))
    bad = tamper(b.xml, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "100.00")
    msgs = arithmetic(read(bad, tmp_path))
    assert any("Vergi hariç tutar tutmuyor" in m and "iskonto 10,00 TL" in m for m in msgs), msgs


def test_eight_decimal_unit_price_is_not_rounded(tmp_path):
    b = build([L(D(1536), D("13.29591797"), D(20))])
    res = read(b.xml, tmp_path)
    ln = res.facts.lines[0]
    assert ln.unit_price == D("13.29591797") and ln.quantity == D(1536)
    assert res.facts.einvoice.lines[0].gross == D("20422.53000192")  # exact, not 13.30 x 1536 = 20428.80
    assert ln.amount == D("20422.53")
    assert res.findings == []
    # a line amount computed from the rounded price is caught, and the message shows the 8 decimals
    bad = tamper(b.xml, "//cac:InvoiceLine/cbc:LineExtensionAmount", "20428.80")
    assert any("13,29591797 TL" in m for m in arithmetic(read(bad, tmp_path)))


def test_fully_discounted_invoice_zero_is_a_value(tmp_path):
    b = build([L(D(1), D("100.00"), allowances=[D("100.00")])])
    res = read(b.xml, tmp_path)
    f, e = res.facts, res.facts.einvoice
    assert f.net_total == D("0.00") and e.totals.tax_exclusive == D("0.00")  # not the 100 before discount
    assert f.grand_total == D("0.00") and f.payable == D("0.00") and f.kdv_total == D("0.00")
    assert res.findings == []


def test_payable_rounding(tmp_path):
    b = build([L(D(3), D("33.33"))], rounding=D("0.02"))
    res = read(b.xml, tmp_path)
    assert res.facts.einvoice.totals.payable_rounding == D("0.02") and res.findings == []
    assert res.facts.payable == res.facts.grand_total + D("0.02")


# --- taxes --------------------------------------------------------------------------------------


def test_otv_and_damga_vergisi_by_code(tmp_path):
    lines = [L(D(1), D("1000000.00"), D(20), name="Binek araç", taxes=[Tax("9077", D(80))]),
             L(D(1), D("10000.00"), D(20), name="Sözleşme", taxes=[Tax("1047", D("0.948"))])]
    b = build(lines)
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == [], arithmetic(res)
    names = {t.code: t.name for t in e.taxes}
    assert names["9077"].startswith("ÖTV 2. LİSTE") and names["1047"] == "DAMGA V (1047)"
    assert {t.code: t.amount for t in e.taxes} == b.taxes
    assert res.facts.grand_total == b.tax_inclusive  # ÖTV and damga in the total, KDV on price + ÖTV
    assert b.taxes["0015"] == D("360000.00") + D("2000.00")


def test_per_unit_otv_at_zero_percent(tmp_path):
    b = build([L(D(1000), D("40.00"), D(20), name="Motorin", taxes=[Tax("0071", D(0), amount=D("2500.00"))])])
    res = read(b.xml, tmp_path)
    assert res.findings == [], arithmetic(res)
    assert res.facts.kdv_total == D("8500.00") and res.facts.grand_total == D("42500.00") + D("8500.00")


def test_document_discount_on_lines_taxed_before_it(tmp_path):
    """Lines carry KDV on their own amounts; the document discount lowers the total's base."""
    b = build([L(D(1), D("1000.00"))], doc_allowances=(D("100.00"),))
    root = etree.fromstring(b.xml)
    ns = {k: v for k, v in NS.items() if k}
    line_tax = root.xpath("//cac:InvoiceLine/cac:TaxTotal//cbc:TaxAmount", namespaces=ns)
    for el in line_tax:
        el.text = "200.00"
    for el in root.xpath("//cac:InvoiceLine/cac:TaxTotal//cbc:TaxableAmount", namespaces=ns):
        el.text = "1000.00"
    res = read(etree.tostring(root), tmp_path)
    assert res.findings == [], arithmetic(res)
    assert res.facts.kdv_total == D("180.00")


def test_missing_line_amount_is_unreadable_not_zero(tmp_path):
    root = etree.fromstring(build([L(D(1), D("10.00"))]).xml)
    el = root.find(".//{*}InvoiceLine/{*}LineExtensionAmount")
    el.getparent().remove(el)
    res = read(etree.tostring(root), tmp_path)
    assert rules(res.findings) == ["DOC_UNREADABLE"] and "LineExtensionAmount yok" in res.findings[0].message


def test_ozel_iletisim_vergisi(tmp_path):
    b = build([L(D(12), D("250.00"), D(20), name="İnternet", taxes=[Tax("4080", D("7.5"))])])
    res = read(b.xml, tmp_path)
    assert res.findings == [] and {t.code for t in res.facts.einvoice.taxes} == {"0015", "4080"}
    bad = tamper(b.xml, "/*/cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode='4080']"
                        "/cbc:TaxAmount", "999.00")
    msgs = arithmetic(read(bad, tmp_path))
    assert any("Ö.İLETİŞİM V (4080) tutarı tutmuyor" in m for m in msgs), msgs


def test_stopaj_is_withheld_from_payable(tmp_path):
    b = build([L(D(1), D("10000.00"), D(20), name="Hal ürünü")], stopaj=D(2))
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == [], arithmetic(res)
    st = next(t for t in e.taxes if t.code == "0003")
    assert st.withheld and st.amount == D("200.00") and st.name == "GV STOPAJI (0003)"
    assert e.withholding_total == D("200.00") and res.facts.payable == D("11800.00")
    assert any("Tevkifatlı fatura" in n and "GV STOPAJI (0003): 200,00 TL" in n for n in res.notes)


def test_kdv_per_rate_against_lines(tmp_path):
    b = build([L(D(1), D("100.00"), D(20)), L(D(1), D("100.00"), D(10))])
    bad = tamper(b.xml, "/*/cac:TaxTotal/cac:TaxSubtotal[cbc:Percent='10']/cbc:TaxAmount", "12.00")
    msgs = arithmetic(read(bad, tmp_path))
    assert any("KDV (0015) tutarı tutmuyor" in m or "KDV %10" in m for m in msgs), msgs


# --- withholding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["new", "old"])
def test_partial_withholding_both_forms(tmp_path, form):
    b = build([L(D(1), D("2000.00"), D(20), name="Danışmanlık", withholding=("602", D(90)))],
              itype="TEVKIFAT", withholding_form=form)
    res = read(b.xml, tmp_path)
    f, e = res.facts, res.facts.einvoice
    assert res.findings == [], arithmetic(res)
    assert f.kdv_total == D("400.00") and f.grand_total == D("2400.00")
    assert e.withholding_total == D("360.00") and e.withholding_share == "9/10"
    assert f.payable == D("2040.00") == f.grand_total - e.withholding_total
    code = "602" if form == "new" else "9015"
    assert [w.code for w in e.withholdings] == [code]
    assert any("Tevkifatlı fatura" in n and "(9/10)" in n for n in res.notes)


def test_full_withholding_and_partial_on_two_lines(tmp_path):
    b = build([L(D(1), D("1000.00"), withholding=("801", D(100)), name="Yapım"),
               L(D(1), D("500.00"), withholding=("624", D(20)), name="Yük taşıma")], itype="TEVKIFAT")
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == [], arithmetic(res)
    assert {w.code: w.share for w in e.withholdings} == {"801": "10/10", "624": "2/10"}
    assert e.withholding_share is None  # two shares: no single share to state
    assert e.withholding_total == D("200.00") + D("20.00")
    assert res.facts.payable == D("1800.00") - D("220.00")


def test_tax_inclusive_written_net_of_withholding(tmp_path):
    """Integrators that write TaxInclusiveAmount = payable under tevkifat (2400 - 360 = 2040)."""
    b = build([L(D(1), D("2000.00"), withholding=("602", D(90)))], itype="TEVKIFAT")
    xml = tamper(b.xml, "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "2040.00")
    res = read(xml, tmp_path)
    assert arithmetic(res) == []
    bad = tamper(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount", "1680.00")  # withheld twice
    assert any("Ödenecek tutar tutmuyor" in m for m in arithmetic(read(bad, tmp_path)))


def test_payable_ignoring_withholding_is_reported(tmp_path):
    b = build([L(D(1), D("1000.00"), withholding=("603", D(70)))], itype="TEVKIFAT")
    bad = tamper(b.xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount", "1200.00")
    msgs = arithmetic(read(bad, tmp_path))
    assert any("Ödenecek tutar tutmuyor" in m and "tevkifat 140,00 TL" in m for m in msgs), msgs


# --- exemptions, types, profiles --------------------------------------------------------------------


@pytest.mark.parametrize("itype, code, family", [
    ("ISTISNA", "301", "tam"), ("ISTISNA", "308", "tam"), ("ISTISNA", "230", "kismi"), ("ISTISNA", "350", "diger"),
    ("IHRACKAYITLI", "701", "ihrac_kayitli"), ("SGK", "501", "sgk"),
])
def test_zero_rate_with_exemption_code_is_accepted_and_shown(tmp_path, itype, code, family):
    b = build([L(D(2), D("5000.00"), D(0), kdv_exemption=code, name="Makine")], itype=itype)
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert gib_codes.EXEMPTIONS[code].family == family
    assert res.findings == [], [f.message for f in res.findings]
    assert e.zero_rate_explained and e.exemptions[0].startswith(code)
    assert any(n.startswith(f"KDV %0, yasal istisna: {code} ") for n in res.notes)


def test_otv_exemption_on_an_exported_car(tmp_path):
    """The ÖTV family (1xx) sits on the ÖTV subtotal; KDV has its own code."""
    b = build([L(D(1), D("900000.00"), D(0), kdv_exemption="301", name="Binek araç",
                 taxes=[Tax("9077", D(0), exemption="101")])], itype="ISTISNA", profile="IHRACAT")
    res = read(b.xml, tmp_path)
    e = res.facts.einvoice
    assert res.findings == [], [f.message for f in res.findings]
    assert [x.split()[0] for x in e.exemptions] == ["301", "101"]
    assert gib_codes.EXEMPTIONS["101"].family == "otv" and "ÖTV ihracat" in e.exemptions[1]
    assert next(t for t in e.taxes if t.code == "9077").exemption_code == "101"


def test_zero_rate_without_code_falls_back_to_d8_incentive_rule(tmp_path):
    b = build([L(D(1), D("5000.00"), D(0))])
    p = write(tmp_path, "f.xml", b.xml)
    assert rules(read_document(p).findings) == ["PROFORMA_KDV_RATE"]
    assert read_document(p, incentive_certificate=True).findings[0].severity == "info"


@pytest.mark.parametrize("code", ["351", "555"])
def test_codes_that_do_not_exempt(tmp_path, code):
    b = build([L(D(1), D("5000.00"), D(0), kdv_exemption=code)])
    res = read(b.xml, tmp_path)
    assert not res.facts.einvoice.zero_rate_explained and rules(res.findings) == ["PROFORMA_KDV_RATE"]


def test_ozel_matrah(tmp_path):
    b = build([L(D(1), D("10000.00"), D(20), name="Altın bilezik", kdv_base=D("500.00"), kdv_exemption="805")],
              itype="OZELMATRAH")
    res = read(b.xml, tmp_path)
    assert res.findings == [], arithmetic(res)
    assert res.facts.kdv_total == D("100.00") and res.facts.grand_total == D("10100.00")
    assert res.facts.einvoice.exemptions[0].startswith("805 Altından")


def test_return_invoice_is_not_an_offer(tmp_path):
    res = read(build([L(D(1), D("100.00"))], itype="IADE").xml, tmp_path)
    assert rules(res.findings) == ["EFATURA_RETURN_INVOICE"] and "İade" in res.findings[0].message


def test_earsiv_to_a_person(tmp_path):
    b = build([L(D(1), D("750.00"), D(10))], profile="EARSIVFATURA", buyer=("17291716060", "AYŞE YILMAZ"))
    res = read(b.xml, tmp_path)
    f, e = res.facts, res.facts.einvoice
    assert res.findings == []
    assert e.archive and e.profile_name == "e-Arşiv fatura" and f.buyer_id == "17291716060"
    assert e.schema_checked and e.schema_issues == []  # checked with GİB's e-Arşiv rules, not e-Fatura's
    assert any("EARSIVFATURA" in n for n in res.notes)


# --- currency -------------------------------------------------------------------------------------


@pytest.mark.parametrize("cur, rate", [("USD", D("32.8841")), ("EUR", D("35.1234"))])
def test_foreign_currency_amounts_and_tl_equivalent(tmp_path, cur, rate):
    b = build([L(D(4), D("1250.00"), D(20))], currency=cur, rate=rate)
    res = read(b.xml, tmp_path)
    f, e = res.facts, res.facts.einvoice
    assert res.findings == []
    assert f.currency == cur and e.exchange_rate == rate
    assert f.grand_total == D("6000.00") and e.tl.tax_inclusive == D("6000.00") * rate
    note = next(n for n in res.notes if n.startswith("Döviz"))
    assert cur in note and "TL" in note
    bad = tamper(b.xml, "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "6100.00")
    msgs = arithmetic(read(bad, tmp_path))
    assert msgs and all(cur in m and " TL" not in m for m in msgs), msgs


# --- GİB code lists and schema ----------------------------------------------------------------------


def test_code_tables_cover_gib_lists():
    """Every code in GİB's schematron code lists (as shipped by efatura-kontrol) has a name here."""
    lists = json.loads((Path(yukle.__code__.co_filename).parent / "ekler" / "kodlar.json").read_text())["listeler"]
    assert set(lists["TaxType"]) <= set(gib_codes.TAX_TYPES)
    assert set(lists["WithholdingTaxType"]) <= set(gib_codes.WITHHOLDING_TYPES)
    assert set(lists["TaxExemptionReasonCodeType"]) <= set(gib_codes.EXEMPTIONS)
    assert set(lists["InvoiceTypeCodeList"]) <= set(gib_codes.INVOICE_TYPES)
    assert set(lists["ProfileIDType"]) | set(lists["ProfileIDTypeEarchive"]) <= set(gib_codes.PROFILES)
    shares = {f"{c}{s}" for c, w in gib_codes.WITHHOLDING_TYPES.items() for s in w.shares}
    assert set(lists["WithholdingTaxTypeWithPercent"]) <= shares


def test_unconfirmed_exemption_title_shows_the_invoice_text(tmp_path):
    b = build([L(D(1), D("100.00"), D(0), kdv_exemption="341")], itype="ISTISNA")
    xml = tamper(b.xml, "/*/cac:TaxTotal//cbc:TaxExemptionReason", "341 - Faturadaki açıklama")
    e = read(xml, tmp_path).facts.einvoice
    assert e.exemptions == ["341 341 - Faturadaki açıklama"] and e.zero_rate_explained
    assert all(x.family in gib_codes.FAMILIES for x in gib_codes.EXEMPTIONS.values())


def test_schema_messages_are_facts_not_findings(tmp_path):
    b = build([L(D(1), D("100.00"))], number="X-1")
    facts, findings = read_efatura(b.xml, "f.xml")
    e = facts.einvoice
    assert e.schema_checked and any("InvoiceIDCheck" in s for s in e.schema_issues), e.schema_issues
    assert findings == []


def test_type_and_code_mismatches_are_schema_facts_and_notes(tmp_path):
    res = read(build([L(D(1), D("100.00"), D(0), kdv_exemption="301")], itype="SATIS").xml, tmp_path)
    e = res.facts.einvoice
    assert any("TaxExemptionReasonCodeCheck" in s and "'301'" in s for s in e.schema_issues), e.schema_issues
    assert res.findings == []  # the 0 % itself is explained by 301; the type is for staff to judge
    assert any(n.startswith("GİB şema/şematron kontrolü 1 uyarı") for n in res.notes)
    res = read(build([L(D(1), D("100.00"))], itype="TEVKIFAT").xml, tmp_path)
    assert any(n.startswith("Fatura tipi TEVKIFAT ama") for n in res.notes) and res.findings == []


def test_built_invoices_pass_gib_xsd_and_schematron():
    """The builder writes UBL-TR as GİB validates it (so the other tests are about real shapes)."""
    for b in (build([L(D(1), D("100.00"))]),
              build([L(D(1), D("100.00"), withholding=("602", D(90)))], itype="TEVKIFAT", currency="USD",
                    rate=D("30"), doc_allowances=(D(1),))):
        facts, _ = read_efatura(b.xml, "f.xml")
        assert facts.einvoice.schema_checked and facts.einvoice.schema_issues == []


# --- the real İZİBİZ invoices (../shared) --------------------------------------------------------------


def _real(name: str):
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"shared fixtures not present: {path} (run from the project checkout next to shared/)")
    return read_document(path)


def test_real_fatura_5_three_rates():
    res = _real("izibiz-FATURA_5.xml")
    f = res.facts
    assert (f.profile, f.einvoice.invoice_type, f.number, f.issued_on, f.currency, f.supplier_id) == (
        "TICARIFATURA", "SATIS", "DMY2018625161605", date(2018, 6, 25), "TRY", "4840847211")
    assert len(f.lines) == 3 and {p.rate: p.amount for p in f.kdv} == {D(8): D(8), D(1): D(1), D(18): D(18)}
    assert (f.net_total, f.kdv_total, f.grand_total, f.payable) == (D(300), D(27), D(327), D(327))
    assert res.findings == []


def test_real_fatura_9_line_allowances():
    res = _real("izibiz-FATURA_9.xml")
    f = res.facts
    assert f.einvoice.invoice_type == "SATIS" and f.issued_on == date(2018, 6, 28)
    assert f.lines[0].quantity == 1 and f.lines[0].unit_price == D(10) and f.lines[0].amount == D("7.20")
    assert [a.amount for a in f.einvoice.lines[0].allowances] == [D(1), D("1.8")]
    assert (f.net_total, f.kdv_total, f.grand_total) == (D("7.20"), D("1.30"), D("8.50"))
    assert res.findings == []


def test_real_fatura_13_withholding():
    res = _real("izibiz-FATURA_13.xml")
    f, e = res.facts, res.facts.einvoice
    assert e.invoice_type == "TEVKIFAT"
    assert (f.net_total, f.kdv_total, f.grand_total, f.payable) == (D(2000), D(360), D(2360), D(2036))
    assert [(w.code, w.percent, w.amount) for w in e.withholdings] == [("602", D(90), D(324))]
    assert e.withholding_share == "9/10" and e.withholding_total == D(324)
    assert res.findings == []


def test_real_fatura_18_export_exemption():
    res = _real("izibiz-FATURA_18.xml")
    f, e = res.facts, res.facts.einvoice
    assert (e.profile, e.invoice_type) == ("IHRACAT", "ISTISNA")
    assert f.buyer_id == "1460415308" and e.export_buyer and "İZİBİZ" in e.export_buyer
    assert e.exemptions == ["301 KDVK 11/1-a mal ihracatı"] and e.zero_rate_explained
    assert f.grand_total == D(100) and f.kdv_total == D(0)
    assert res.findings == []


# --- the fact shape without XML (an e-Fatura PDF's QR code), and random damage ------------------


def test_check_efatura_on_qr_shaped_facts_without_line_details():
    """A reader that only knows totals and KDV (GİB's QR payload) fills EInvoice without lines."""
    facts = InvoiceFacts(kind="e_fatura", currency="USD", lines=[InvoiceLine("A", D(2), D("50.00"), D("100.00"))])
    facts.einvoice = EInvoice(
        currency="USD", invoice_type="TEVKIFAT",
        totals=MonetaryTotal(line_extension=D("100.00"), tax_exclusive=D("100.00"), tax_inclusive=D("120.00"),
                             payable=D("102.00")),
        taxes=[TaxPart("0015", "KDV (0015)", D("20.00"), D("100.00"), D(20))],
        withholdings=[Withholding("602", "Etüt", D("18.00"), D(90), "9/10", D("20.00"))],
        withholding_total=D("18.00"))
    assert check_efatura(facts, "qr.pdf") == []
    facts.einvoice.totals.payable = D("120.00")
    msgs = [f.message for f in check_efatura(facts, "qr.pdf")]
    assert len(msgs) == 1 and "Ödenecek tutar tutmuyor" in msgs[0] and "USD" in msgs[0]
    facts.lines[0].amount = D("90.00")
    assert any("Kalem tutarı tutmuyor" in f.message for f in check_efatura(facts, "qr.pdf"))
    assert any(n.startswith("Tevkifatlı fatura") for n in einvoice_notes(facts))


def test_random_damage_never_raises():
    """Any text of a full invoice replaced by odd values: facts or a finding, never an exception."""
    rng = random.Random(12)
    base = build([L(D(2), D("13.29591797"), allowances=[D("1.00")], withholding=("602", D(90)),
                    taxes=[Tax("4080", D("7.5"))]), L(D(1), D(0), D(0), kdv_exemption="301")],
                 itype="TEVKIFAT", currency="EUR", rate=D("35"), doc_allowances=(D("0.50"),), stopaj=D(2)).xml
    odd = ["", " ", "NaN", "-0", "1e3", "9" * 40, "0.0000000000001", "-5.00", "abc", "٣", "+1", "12,5", "%20", "\u00a0"]
    nodes = len(etree.fromstring(base).xpath("//*[not(*)]"))
    for _ in range(150):
        root = etree.fromstring(base)
        for el in rng.sample(root.xpath("//*[not(*)]"), 3):
            el.text = rng.choice(odd)
        facts, findings = read_efatura(etree.tostring(root), "f.xml", schema=False)
        assert facts is not None or findings
        einvoice_notes(facts) if facts is not None else None
    assert nodes > 50


# --- an e-Fatura where a proforma is asked for (the checks of pre-screening consume the facts) ---------


def _proforma_ctx(tmp_path, xml: bytes):
    pkg = Path(__file__).resolve().parents[2] / "samples" / "packages" / "tr63-2023-makine" / "gecerli"
    manifest = load_manifest(pkg / "basvuru.yaml")
    name = manifest.budget[0].proformas[0]  # line 3.3.1, 1.200.000,00 TL
    doc = read_document(write(tmp_path, "fatura.xml", xml))
    return CheckContext(program=load_profile("tr63-2023-makine"), manifest=manifest, root=pkg,
                        files=sorted(manifest.named_files()), documents={name: doc}), doc


@pytest.mark.parametrize("itype, withholding", [("SATIS", None), ("TEVKIFAT", ("602", D(90)))])
def test_efatura_answers_a_proforma_line_at_its_tax_inclusive_total(tmp_path, itype, withholding):
    lines = [L(D(1), D("1016949.15"), D(18), name="CNC tezgâhı", withholding=withholding)]
    ctx, doc = _proforma_ctx(tmp_path, build(lines, itype=itype, issued=date(2023, 2, 1)).xml)
    assert doc.findings == [] and doc.facts.grand_total == D("1200000.00")
    documents.check_proformas(ctx)
    assert not [f for f in ctx.findings if f.subject == "3.3.1"], [f.message for f in ctx.findings]
    if withholding:  # the supplier is paid less; the purchase still costs the tax-inclusive total
        assert doc.facts.payable < doc.facts.grand_total


def test_efatura_in_euro_for_a_proforma_line_is_flagged_with_its_currency(tmp_path):
    lines = [L(D(1), D("30000.00"), D(18), name="Pres")]
    ctx, _ = _proforma_ctx(tmp_path, build(lines, currency="EUR", rate=D("20.1234"), issued=date(2023, 2, 1)).xml)
    documents.check_proformas(ctx)
    assert "PROFORMA_CURRENCY" in {f.rule for f in ctx.findings if f.subject == "3.3.1"}


def test_qr_payload_gives_the_same_shape():
    payload = {
        "vkntckn": SUPPLIER_VKN, "avkntckn": BUYER_VKN, "senaryo": "TICARIFATURA", "tip": "TEVKIFAT",
        "tarih": "2026-03-02", "no": "ABC2026000000001", "ettn": "3f2b1c9e-8d7a-4e21-9b6f-0a1b2c3d4e5f",
        "parabirimi": "TRY", "malhizmettoplam": "2000", "kdvmatrah(20)": "2000", "hesaplanankdv(20)": "400",
        "vergidahil": "2400", "odenecek": "2040"}
    qr = parse_payload(json.dumps(payload))
    assert qr is not None
    ein = einvoice_from_qr(qr)
    assert ein.withholding_total == D(360) and ein.withholding_share == "9/10"
    assert ein.totals.tax_exclusive == D(2000) and [(t.code, t.amount) for t in ein.taxes] == [("0015", D(400))]
    facts = InvoiceFacts(kind="e_fatura", currency="TRY", einvoice=ein)
    assert check_efatura(facts, "qr.pdf") == []
    plain = einvoice_from_qr(parse_payload(json.dumps({**payload, "tip": "SATIS", "odenecek": "2400"})))
    assert plain.withholding_total is None and plain.withholdings == []
    # 25 % iskonto: malhizmettoplam above kdvmatrah (the TTT2025000000018 rendering's figures)
    discounted = einvoice_from_qr(parse_payload(json.dumps({
        **payload, "tip": "SATIS", "malhizmettoplam": "179683", "kdvmatrah(20)": "134762.25",
        "hesaplanankdv(20)": "26952.45", "vergidahil": "161714.70", "odenecek": "161714.70"})))
    assert discounted.totals.allowance_total == D("44920.75")
    assert check_efatura(InvoiceFacts(kind="e_fatura", einvoice=discounted), "qr.pdf") == []
