"""Typed facts read from documents, shared by the verifiers, the signature checks and pre-screening.

Each fact keeps its evidence. Readers in `verifiers/` produce these; checks consume them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from evrak.findings import Evidence


class SigningMode(enum.StrEnum):
    ALONE = "munferiden"  # may sign alone
    JOINT = "mustereken"  # only together with the persons in `joint_with`
    UNKNOWN = "bilinmiyor"  # the circular's representation clause could not be read: never assumed


@dataclass
class AuthorizedPerson:
    """One person the imza sirküleri authorizes to bind the company."""

    name: str
    tckn: str | None = None
    title: str | None = None
    mode: SigningMode = SigningMode.ALONE
    # For a joint signer: names (or TCKNs) of those who must co-sign; empty means
    # "any other jointly authorized person" (the usual "müştereken imza ile").
    joint_with: list[str] = field(default_factory=list)
    limit: Decimal | None = None  # monetary limit of the authority, where written
    valid_from: date | None = None
    valid_until: date | None = None  # None: until revoked
    group: str | None = None  # "A" for "A grubu imza yetkilileri", where the circular groups signers
    min_signers: int | None = None  # "en az ikisinin müşterek imzası ile" -> 2
    term: str | None = None  # a duration as written: "3 yıl", "yeni bir karar alınıncaya kadar"
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SignatureCircular:
    """İmza sirküleri (notarized signature circular) facts."""

    company: str | None = None
    vkn: str | None = None
    persons: list[AuthorizedPerson] = field(default_factory=list)
    notary: str | None = None
    yevmiye_no: str | None = None
    issued_on: date | None = None
    evidence: list[Evidence] = field(default_factory=list)


# --- e-Fatura / e-Arşiv (UBL-TR) ------------------------------------------------------------
# The part of an invoice's facts that only an e-invoice carries. The UBL-TR XML reader
# (verifiers.efatura) fills all of it; the e-Fatura PDF reader (its QR code carries the
# totals, the KDV per rate, the withholding, the profile and type) fills what it reads and
# leaves the rest None/empty. Amounts are in the document's currency, exactly as written
# (never rounded on reading); None means "not written", a written 0.00 is Decimal("0.00").


@dataclass
class AllowanceCharge:
    """cac:AllowanceCharge on a line or on the document: iskonto (allowance) or artırım (charge)."""

    charge: bool  # True: artırım (ChargeIndicator true); False: iskonto
    amount: Decimal
    reason: str | None = None
    percent: Decimal | None = None  # MultiplierFactorNumeric x 100
    base: Decimal | None = None


@dataclass
class TaxPart:
    """One cac:TaxSubtotal: a tax (by GİB code) on a line or on the document."""

    code: str | None  # TaxTypeCode, e.g. "0015" KDV, "0003" stopaj, "4080" ÖİV
    name: str  # Turkish name from GİB's list ("KDV (0015)"), or as written for an unknown code
    amount: Decimal
    base: Decimal | None = None  # TaxableAmount
    percent: Decimal | None = None
    withheld: bool = False  # deducted from the payable amount (stopaj, 9015), not added
    exemption_code: str | None = None  # TaxExemptionReasonCode, e.g. "301"
    exemption: str | None = None  # its text from GİB's list (or as written)


@dataclass
class Withholding:
    """One KDV tevkifatı part: cac:WithholdingTaxTotal (6xx/8xx) or the older 9015 in TaxTotal."""

    code: str | None
    name: str
    amount: Decimal
    percent: Decimal | None = None  # 90 for 9/10
    share: str | None = None  # "9/10"
    base: Decimal | None = None  # the KDV withheld from, as written


@dataclass
class EInvoiceLine:
    """What an e-invoice line carries beyond description/quantity/price/amount."""

    line_id: str | None = None
    unit_code: str | None = None
    gross: Decimal | None = None  # quantity x unit price, exact
    allowances: list[AllowanceCharge] = field(default_factory=list)
    taxes: list[TaxPart] = field(default_factory=list)
    withholdings: list[Withholding] = field(default_factory=list)


@dataclass
class MonetaryTotal:
    """cac:LegalMonetaryTotal, every amount as written (None: absent)."""

    line_extension: Decimal | None = None
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None
    tax_exclusive: Decimal | None = None
    tax_inclusive: Decimal | None = None
    payable_rounding: Decimal | None = None
    payable: Decimal | None = None


@dataclass
class SealFacts:
    """The mali mühür (XAdES signature in ext:UBLExtensions)."""

    present: bool = False
    valid: bool | None = None  # None: not checked (no trust roots configured)
    trusted: bool | None = None  # chains to a configured root
    revocation_checked: bool = False  # CRLs in the trust folder covered the chain (else soft-fail)
    vkn: str | None = None  # from the sealing certificate
    tckn: str | None = None
    subject: str | None = None
    signed_at: datetime | None = None  # xades:SigningTime as claimed by the signer
    problem: str | None = None  # Turkish, when not valid


@dataclass
class EInvoice:
    """The e-invoice part of an invoice's facts (see the comment above). A reader that sets
    InvoiceFacts.einvoice takes over the invoice arithmetic from check_invoice: it must run
    verifiers.efatura_checks.check_efatura (and einvoice_notes for the notes) on the facts."""

    profile: str | None = None  # ProfileID: TEMELFATURA, TICARIFATURA, EARSIVFATURA, IHRACAT, ...
    profile_name: str | None = None
    invoice_type: str | None = None  # InvoiceTypeCode: SATIS, IADE, TEVKIFAT, ISTISNA, ...
    invoice_type_name: str | None = None
    archive: bool = False  # e-Arşiv
    uuid: str | None = None  # ETTN
    customization: str | None = None  # TR1.2
    currency: str | None = None
    exchange_rate: Decimal | None = None  # PricingExchangeRate CalculationRate (TRY per unit)
    export_buyer: str | None = None  # IHRACAT: the foreign buyer (BuyerCustomerParty); the customer party is customs
    totals: MonetaryTotal = field(default_factory=MonetaryTotal)
    allowances: list[AllowanceCharge] = field(default_factory=list)  # document level
    taxes: list[TaxPart] = field(default_factory=list)  # document level, every code
    withholdings: list[Withholding] = field(default_factory=list)  # document level, both forms
    withholding_total: Decimal | None = None  # KDV tevkifatı + stopaj deducted from payable
    withholding_share: str | None = None  # "9/10" when one share applies
    exemptions: list[str] = field(default_factory=list)  # "301 KDVK 11/1-a mal ihracatı"
    zero_rate_explained: bool = False  # a 0 % KDV carries a legal exemption code (not 351)
    lines: list[EInvoiceLine] = field(default_factory=list)  # parallel to InvoiceFacts.lines
    tl: MonetaryTotal | None = None  # totals x exchange_rate, for a foreign-currency invoice
    seal: SealFacts = field(default_factory=SealFacts)
    schema_issues: list[str] = field(default_factory=list)  # GİB XSD/schematron messages, for staff
    schema_checked: bool = False
