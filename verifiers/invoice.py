"""Facts of an offer or invoice (proforma PDF, e-Fatura XML) and the checks on them alone.

Proformas and e-invoices carry the same facts (turkish-domain §4), so they share one shape
and one set of checks: arithmetic within the D7 tolerances, KDV rates valid on the
document's date (D8), KDV stated at all, and the supplier's VKN/TCKN checksum. Checks
against the application (budget line, announcement date) live with pre-screening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from evrak.dates import format_short
from evrak.facts import EInvoice
from evrak.findings import Certainty, Evidence, Finding, Severity
from evrak.money import format_tl
from verifiers.fields import id_is_valid
from verifiers.qrcode import GibQr

LINE_TOLERANCE = Decimal("0.01")  # D7: per line
DOC_TOLERANCE = Decimal("0.05")  # D7: per document
KDV_CHANGE = date(2023, 7, 10)  # CB Kararı 7346, RG 07.07.2023 no. 32241
RATES_BEFORE = {Decimal(1), Decimal(8), Decimal(18)}
RATES_FROM = {Decimal(1), Decimal(10), Decimal(20)}


@dataclass
class InvoiceLine:
    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal
    kdv_rate: Decimal | None = None
    evidence: Evidence | None = None
    discount: Decimal | None = None  # iskonto on the line: amount = quantity x unit - discount


@dataclass
class QrMismatch:
    """A printed value that differs from the e-invoice's own GİB QR code (the QR is taken)."""

    field: str
    printed: str
    qr: str
    evidence: Evidence | None = None
    from_ocr: bool = False  # the printed value was read by OCR: the difference may be the OCR's


@dataclass
class KdvPart:
    rate: Decimal | None
    amount: Decimal
    evidence: Evidence | None = None


@dataclass
class InvoiceFacts:
    """Facts of a proforma or an e-invoice; `evidence` maps a field name to where it was read."""

    kind: str  # "proforma" | "e_fatura"
    supplier: str | None = None
    supplier_id: str | None = None  # VKN (10) or TCKN (11), as written
    buyer: str | None = None
    buyer_id: str | None = None
    issued_on: date | None = None
    number: str | None = None
    valid_until: date | None = None
    currency: str | None = None
    lines: list[InvoiceLine] = field(default_factory=list)
    net_total: Decimal | None = None
    kdv: list[KdvPart] = field(default_factory=list)
    kdv_total: Decimal | None = None
    grand_total: Decimal | None = None
    profile: str | None = None  # e-Fatura ProfileID
    supplier_address: str | None = None
    buyer_address: str | None = None
    discount_total: Decimal | None = None  # iskonto on the document (already out of net_total)
    payable: Decimal | None = None  # "Ödenecek Tutar" (below grand_total under tevkifat)
    amount_in_words: Decimal | None = None  # "Yalnız ..." read back into a number
    ettn: str | None = None  # e-Fatura/e-Arşiv universal id (UUID), from the PDF's text or QR code
    # fields whose value the document does not settle (several candidates, none consistent):
    # field name -> why; reported as unread (a review), never filled with a guess
    unread: dict[str, str] = field(default_factory=dict)
    qr: GibQr | None = None  # GİB's QR payload of an e-invoice rendering, the truth where present
    qr_mismatches: list[QrMismatch] = field(default_factory=list)
    einvoice: EInvoice | None = None  # e-Fatura/e-Arşiv only: totals, every tax, withholding, seal
    evidence: dict[str, Evidence] = field(default_factory=dict)

    @property
    def kdv_rates(self) -> list[Decimal]:
        rates = {p.rate for p in self.kdv if p.rate is not None}
        rates |= {ln.kdv_rate for ln in self.lines if ln.kdv_rate is not None}
        return sorted(rates)


FIELD_NAMES = {"net_total": "KDV hariç toplam", "grand_total": "genel toplam", "payable": "ödenecek tutar",
               "kdv_total": "KDV tutarı", "lines": "kalemler", "supplier": "tedarikçi",
               "supplier_id": "satıcı VKN/TCKN", "buyer_id": "alıcı VKN/TCKN", "number": "fatura no",
               "issued_on": "fatura tarihi", "ettn": "ETTN", "currency": "para birimi", "profile": "senaryo"}


def _qty(q: Decimal) -> str:
    return format(q.normalize(), "f").replace(".", ",")


def allowed_rates(on: date) -> set[Decimal]:
    """D8: 1/8/18 % until 09.07.2023, 1/10/20 % from 10.07.2023 (0 % only by incentive)."""
    return RATES_FROM if on >= KDV_CHANGE else RATES_BEFORE


def _ev(facts: InvoiceFacts, *names: str) -> list[Evidence]:
    return [facts.evidence[n] for n in names if n in facts.evidence]


def check_invoice(facts: InvoiceFacts, file: str, *, incentive_certificate: bool = False) -> list[Finding]:
    """The document's own checks. `incentive_certificate`: the budget line is covered by a
    Yatırım Teşvik Belgesi, so 0 % KDV is an exemption, not an error (D8)."""
    out: list[Finding] = []
    subject = facts.kind
    # an e-invoice's arithmetic (allowances, every tax, withholding) is checked in verifiers.efatura_checks
    own_arithmetic = facts.einvoice is None
    for name, why in facts.unread.items():
        out.append(Finding("DOC_UNREADABLE", f"{file}: {FIELD_NAMES.get(name, name)} okunamadı: {why}",
                           evidence=[Evidence(file=file)], subject=subject, certainty=Certainty.UNREAD))
    for m in facts.qr_mismatches:
        out.append(Finding(
            "EFATURA_QR_MISMATCH",
            f"{file}: basılı {FIELD_NAMES.get(m.field, m.field)} ({m.printed}) faturanın GİB karekodundaki "
            f"değerle ({m.qr}) aynı değil; karekod esas alındı"
            + (" (basılı değer OCR ile okundu)" if m.from_ocr else ""),
            evidence=[e for e in (m.evidence, Evidence(file=file, text="GİB karekodu (QR)", value=m.qr)) if e],
            subject=subject, certainty=Certainty.INFERRED if m.from_ocr else Certainty.READ))
    words_against = facts.payable if facts.payable is not None else facts.grand_total
    if facts.amount_in_words is not None and words_against is not None:
        if abs(facts.amount_in_words - words_against) > DOC_TOLERANCE:
            out.append(Finding(
                "PROFORMA_ARITHMETIC",
                f"Yazıyla yazılan tutar ({format_tl(facts.amount_in_words)}) rakamla yazılan ödenecek tutarı "
                f"({format_tl(words_against)}) tutmuyor",
                evidence=_ev(facts, "amount_in_words", "grand_total"), subject=subject))
    # -- arithmetic (D7)
    for ln in facts.lines if own_arithmetic else []:
        if ln.quantity is not None and ln.unit_price is not None:
            expected = ln.quantity * ln.unit_price - (ln.discount or 0)
            if abs(expected - ln.amount) > LINE_TOLERANCE:
                less = f" - iskonto {format_tl(ln.discount)}" if ln.discount else ""
                out.append(Finding(
                    "PROFORMA_ARITHMETIC",
                    f"Kalem tutarı tutmuyor: {ln.description}: {_qty(ln.quantity)} × "
                    f"{format_tl(ln.unit_price)}{less} = {format_tl(expected)}, belgede {format_tl(ln.amount)}",
                    evidence=[ln.evidence] if ln.evidence else [], subject=subject))
    if own_arithmetic and facts.lines and facts.net_total is not None:
        lines_sum = sum((ln.amount for ln in facts.lines), Decimal(0))
        tol = max(DOC_TOLERANCE, LINE_TOLERANCE * len(facts.lines))
        if abs(lines_sum - facts.net_total) > tol:
            out.append(Finding(
                "PROFORMA_ARITHMETIC",
                f"Kalemlerin toplamı ({format_tl(lines_sum)}) KDV hariç toplamla ({format_tl(facts.net_total)}) "
                "tutmuyor", evidence=_ev(facts, "net_total"), subject=subject))
    if own_arithmetic and facts.net_total is not None and facts.grand_total is not None:
        kdv = facts.kdv_total or Decimal(0)
        if abs(facts.net_total + kdv - facts.grand_total) > DOC_TOLERANCE:
            out.append(Finding(
                "PROFORMA_ARITHMETIC",
                f"Toplam tutmuyor: {format_tl(facts.net_total)} + KDV {format_tl(kdv)} = "
                f"{format_tl(facts.net_total + kdv)}, belgede genel toplam {format_tl(facts.grand_total)}",
                evidence=_ev(facts, "net_total", "kdv_total", "grand_total"), subject=subject))
    # per-rate KDV recomputation where the base is known from the lines
    if not own_arithmetic:
        pass
    elif facts.lines and facts.kdv and all(ln.kdv_rate is not None for ln in facts.lines):
        for part in facts.kdv:
            if part.rate is None:
                continue
            base = sum((ln.amount for ln in facts.lines if ln.kdv_rate == part.rate), Decimal(0))
            expected = base * part.rate / 100
            if base and abs(expected - part.amount) > max(DOC_TOLERANCE, LINE_TOLERANCE * len(facts.lines)):
                out.append(Finding(
                    "PROFORMA_ARITHMETIC",
                    f"KDV %{part.rate} tutarı tutmuyor: {format_tl(base)} × %{part.rate} = {format_tl(expected)}, "
                    f"belgede {format_tl(part.amount)}",
                    evidence=[part.evidence] if part.evidence else [], subject=subject))
    elif facts.net_total and len(facts.kdv) == 1 and facts.kdv[0].rate is not None:
        part = facts.kdv[0]
        expected = facts.net_total * part.rate / 100
        if abs(expected - part.amount) > DOC_TOLERANCE + LINE_TOLERANCE * len(facts.lines):
            out.append(Finding(
                "PROFORMA_ARITHMETIC",
                f"KDV tutarı tutmuyor: {format_tl(facts.net_total)} × %{part.rate} = {format_tl(expected)}, "
                f"belgede {format_tl(part.amount)}",
                evidence=[part.evidence] if part.evidence else [], subject=subject))
    # -- KDV stated at all
    rates = facts.kdv_rates
    if not facts.kdv and facts.kdv_total is None and not rates:
        out.append(Finding("PROFORMA_KDV_MISSING", "Belgede KDV oranı ve tutarı yazılı değil",
                           evidence=_ev(facts, "grand_total", "net_total"), subject=subject))
    elif not rates and facts.kdv_total is not None and facts.net_total:
        # rate not written: infer it only when the amount fits one rate exactly
        for r in sorted(RATES_BEFORE | RATES_FROM):
            if abs(facts.net_total * r / 100 - facts.kdv_total) <= DOC_TOLERANCE:
                rates = [r]
                break
        else:
            out.append(Finding("PROFORMA_KDV_MISSING", "KDV oranı yazılı değil ve tutardan çıkarılamadı",
                               evidence=_ev(facts, "kdv_total"), subject=subject))
    # -- KDV rate valid on the date (D8)
    if facts.issued_on is not None:
        allowed = allowed_rates(facts.issued_on)
        for r in rates:
            if r == 0 and facts.einvoice is not None and facts.einvoice.zero_rate_explained:
                continue  # the e-invoice names its legal exemption (verifiers.efatura_checks shows it)
            if r == 0:
                if incentive_certificate:
                    out.append(Finding("PROFORMA_KDV_RATE", "KDV %0: Yatırım Teşvik Belgesi kapsamında KDV istisnası",
                                       severity=Severity.INFO, evidence=_ev(facts, "kdv_total"), subject=subject))
                else:
                    out.append(Finding(
                        "PROFORMA_KDV_RATE",
                        "KDV %0 yazılmış; bu bütçe kalemi Yatırım Teşvik Belgesi kapsamında işaretli değil",
                        evidence=_ev(facts, "kdv_total"), subject=subject))
            elif r not in allowed:
                period = "10.07.2023 ve sonrası" if facts.issued_on >= KDV_CHANGE else "10.07.2023 öncesi"
                valid = "/".join(f"%{x}" for x in sorted(allowed))
                out.append(Finding(
                    "PROFORMA_KDV_RATE",
                    f"KDV %{r} belgenin tarihinde ({format_short(facts.issued_on)}, {period}) geçerli bir oran "
                    f"değil; geçerli oranlar {valid}",
                    evidence=_ev(facts, "kdv_total", "issued_on"), subject=subject))
    # -- supplier identifier
    sid = facts.supplier_id
    if sid and not id_is_valid(sid):
        what = "TCKN" if len(sid) == 11 else "VKN"
        out.append(Finding("PROFORMA_SUPPLIER_ID_INVALID",
                           f"Tedarikçinin {what} numarası ({sid}) sağlama hesabını tutmuyor",
                           evidence=_ev(facts, "supplier_id"), subject=subject))
    return out
