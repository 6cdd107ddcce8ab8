"""Findings: the one shape every check reports in (shared/domain/rules.md), and the verdict (D30).

A finding carries a rule id, a severity, a Turkish message, its evidence (file, page, the
text found) and the guide lines it rests on. Severities are data: a program profile may
override a rule's default.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field


class Severity(enum.StrEnum):
    REJECT = "reject"
    REVIEW = "review"
    DEFICIENT = "deficient"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_RANK = {
    Severity.REJECT: 4,
    Severity.REVIEW: 3,
    Severity.DEFICIENT: 2,
    Severity.WARNING: 1,
    Severity.INFO: 0,
}
_LABELS = {
    Severity.REJECT: "Red",
    Severity.REVIEW: "İnceleme",
    Severity.DEFICIENT: "Eksik",
    Severity.WARNING: "Uyarı",
    Severity.INFO: "Bilgi",
}


class Verdict(enum.StrEnum):
    PASS = "pass"
    DEFICIENT = "deficient"
    REJECT = "reject"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return {
            Verdict.PASS: "Uygun",
            Verdict.DEFICIENT: "Eksik",
            Verdict.REJECT: "Red",
            Verdict.REVIEW: "İnceleme",
        }[self]


# rules.md: id -> default severity. One table, so a typo in a rule id fails loudly.
RULES: dict[str, Severity] = {
    "SUBMITTED_LATE": Severity.REJECT,
    "TAAHHUTNAME_MISSING": Severity.REJECT,
    "TAAHHUTNAME_LATE": Severity.REJECT,
    "TAAHHUTNAME_NOT_FOR_APPLICATION": Severity.REJECT,
    "SIGNATURE_INVALID": Severity.REJECT,
    "SIGNATURE_MODIFIED_AFTER_SIGNING": Severity.REJECT,
    "SIGNATURE_TIME_UNPROVEN": Severity.REVIEW,
    "SIGNATURE_UNREADABLE": Severity.REVIEW,
    "SIGNER_NOT_AUTHORIZED": Severity.REJECT,
    "SIGNER_JOINT_INCOMPLETE": Severity.REJECT,
    "SIGNER_AUTHORITY_EXPIRED": Severity.REJECT,
    "SIGNER_IS_SEAL": Severity.REJECT,
    "SIGNER_NAME_ONLY_MATCH": Severity.REVIEW,
    "SIGNER_LIMIT_BELOW_AMOUNT": Severity.REVIEW,
    "SIGNATURE_WEAK_ALGORITHM": Severity.REJECT,
    "SIGNATURE_MISSING": Severity.REJECT,  # a file given as signed carries no e-signature (D24)
    "DOC_MISSING": Severity.DEFICIENT,
    "DOC_UNREADABLE": Severity.REVIEW,
    "DOC_EMPTY": Severity.REVIEW,  # a required document from which nothing could be read (D32); never "present"
    "DOC_WRONG_KIND": Severity.DEFICIENT,
    "DOC_DATED_BEFORE_ANNOUNCEMENT": Severity.DEFICIENT,
    "DOC_TOO_OLD": Severity.DEFICIENT,
    "DOC_APPLICANT_MISMATCH": Severity.REJECT,
    "UNLISTED_FILE": Severity.INFO,
    "KUB_MISSING": Severity.REJECT,
    "KUB_PENDING": Severity.DEFICIENT,
    "KUB_AMOUNT_LOW": Severity.REJECT,
    "KUB_WRONG_BANK": Severity.REJECT,
    "KUB_DATED_BEFORE_ANNOUNCEMENT": Severity.REJECT,
    "KUB_NEGATIVE": Severity.REJECT,
    "PROFORMA_MISSING": Severity.DEFICIENT,
    "PROFORMA_SAME_SUPPLIER": Severity.DEFICIENT,
    "PROFORMA_EXCEEDS_LINE": Severity.REJECT,
    "PROFORMA_BELOW_LINE": Severity.WARNING,
    "PROFORMA_KDV_MISSING": Severity.WARNING,
    "PROFORMA_ARITHMETIC": Severity.REVIEW,
    "PROFORMA_KDV_RATE": Severity.REVIEW,
    "PROFORMA_NOT_CURRENT": Severity.DEFICIENT,
    "PROFORMA_SUPPLIER_ID_INVALID": Severity.REVIEW,
    "PROFORMA_CURRENCY": Severity.REVIEW,  # not TL: a person checks the rate and the TL amount
    "EFATURA_QR_MISMATCH": Severity.REVIEW,  # the printed e-invoice differs from its own GİB QR code payload
    "EFATURA_SEAL_INVALID": Severity.REVIEW,  # the XAdES mali mühür does not verify or chain to a trusted root
    "EFATURA_RETURN_INVOICE": Severity.REVIEW,  # IADE type: a return, not a sale or an offer
    "TECHSPEC_MISSING": Severity.DEFICIENT,
    "BUDGET_CAP_EXCEEDED": Severity.WARNING,
    "BUDGET_HEADING_NOT_ALLOWED": Severity.WARNING,
    "BUDGET_SUM_MISMATCH": Severity.REJECT,
    "AMOUNT_BELOW_MIN": Severity.REJECT,
    "AMOUNT_ABOVE_MAX": Severity.REJECT,
    "COFINANCING_OUT_OF_RANGE": Severity.REJECT,
    "VKN_INVALID": Severity.REVIEW,
    "TCKN_INVALID": Severity.REVIEW,
    "NACE_NOT_ELIGIBLE": Severity.REJECT,
    "PROVINCE_NOT_ELIGIBLE": Severity.REJECT,
    "FOUNDED_TOO_LATE": Severity.REJECT,
    "SIZE_NOT_ELIGIBLE": Severity.REJECT,
    "DURATION_OUT_OF_RANGE": Severity.REJECT,
    # issue 16: rules read from the documents themselves (verifiers/prescreen/guide_rules.py)
    "KUB_BRANCH_OUTSIDE_REGION": Severity.REJECT,  # D17; 001:L418, L759; 002:L711; 003:L31-34
    "KUB_APPLIED_AFTER_SUBMISSION": Severity.REJECT,  # 002:L805
    "NACE_NOT_IN_REGISTRY": Severity.REVIEW,  # declared code not on the registry document
    "ACTIVE_TOO_SHORT": Severity.REJECT,  # 000:L214 ("En Az 1 Yıldır")
    "SEAT_NOT_IN_REGION": Severity.REJECT,  # 000:L220-222, 001:L462, 003:L580-581
    "TAAHHUTNAME_CHANNEL_NOT_ALLOWED": Severity.REJECT,  # 002:L748, 001:L799, 003:L1512, L1531
    "BUDGET_ELIGIBILITY_CAP_EXCEEDED": Severity.REJECT,  # 003:L1715-1716 (Uygunluk 7)
    "DOMESTIC_BONUS_UNPROVEN": Severity.REVIEW,  # 004:L54: +15 points need a yerli malı belgesi
    "COFINANCING_NOT_CASH": Severity.REJECT,  # D21; 002:L359 (in-kind contributions are not co-financing)
    "COFINANCING_SOURCES_MISMATCH": Severity.REVIEW,  # 002:L1301-1313: EK H rows != KAYS co-financing
    "SIZE_DECLARED_MISMATCH": Severity.REVIEW,  # declared KOBİ class differs from the computed one
    "SUBMITTED_OUTSIDE_PERIOD": Severity.REVIEW,  # 000:L585-598: between two application periods
    "INELIGIBLE_TOPIC": Severity.REVIEW,  # 001:L580-626, 003:L725-775 (a word in the title)
    "DOC_WRONG_FORMAT": Severity.WARNING,  # 001:L1041 (EK 9 "Word olarak")
    "INELIGIBLE_COST": Severity.REVIEW,  # 002:L606-636, 003:L879-931 (a word match: staff confirm)
    # issue 16, applicant history (verifiers/prescreen/history.py)
    "HISTORY_APPLICATIONS_EXCEEDED": Severity.REJECT,  # 001:L630, L885; 003:L781-782, L1708-1710 (002: review)
    "HISTORY_AWARDS_EXCEEDED": Severity.REVIEW,  # 001:L630-632, 003:L781-785: the applicant chooses one
    "HISTORY_COOLING_OFF": Severity.REJECT,  # 002:L546, L564, L843; 003:L791-795
    "HISTORY_REPAYMENT_OPEN": Severity.REJECT,  # 001:L637
    "HISTORY_EXCLUDED": Severity.REJECT,  # 001:L478-495, 002:L419-437, 003:L603-652
    "HISTORY_DEBARRED": Severity.REJECT,  # 001:L493, L495 (a name-only match is inferred: review)
    # issue 16, the KAYS form's own data (verifiers/prescreen/form_rules.py)
    "FORM_PARTNERS_NOT_ALLOWED": Severity.REJECT,  # 002:L441; 001:L503, L638; 003:L660-665, L1718; 000:L350-353
    "FORM_SECTION_EMPTY": Severity.REJECT,  # 002:L815, L1150 (every Proje Bilgisi field filled)
    "FORM_SECTION_TOO_LONG": Severity.REVIEW,  # 002:L1150 (4000 characters a field)
    "FORM_INDICATOR_NOT_IN_LIST": Severity.REVIEW,  # 002:L376, L1224 (EK E only)
    "FORM_CONTACTS_TOO_FEW": Severity.REVIEW,  # 003:L1389-1391 (at least 2 İrtibat Kişisi)
    "FORM_DECLARATION_NOT_MADE": Severity.REJECT,  # 001:L497; 003:L654-656, L774-775, L815-819; 000:L368-372
    "FORM_BUDGET_LINE_UNDESCRIBED": Severity.REVIEW,  # 002:L645-647; 003:L933-934
    "FORM_BUDGET_AMOUNT_MISMATCH": Severity.REVIEW,  # 002:L667; 003:L989-992 ("reddine yol açabilir")
    "FORM_TEXT_NOT_TURKISH": Severity.REVIEW,  # 001:L747, L870; 003:L976-979 (a word test: staff confirm)
    "FORM_TAXONOMY_MISSING": Severity.REVIEW,  # 001:L532, L538
    "PROJECT_MAINLY_EXCLUDED_TOPIC": Severity.REVIEW,  # 001:L580 ("yalnızca ve ağırlıklı")
    "CLUSTER_TOO_FEW_FIRMS": Severity.REJECT,  # 004:L21
    "CLUSTER_NOT_MANUFACTURING": Severity.REVIEW,  # 004:L9
    # issue 16, process and documents (guide_rules.py, deadlines)
    "SUBMITTED_BEFORE_OPENING": Severity.REVIEW,  # 002:L713: KAYS takes none before it opens
    "FINANCIALS_YEAR_MISSING": Severity.DEFICIENT,  # 002:L830, L1280-1282; 003:L1116-1117
    "AUTHORITY_RESOLUTION_MISSING": Severity.DEFICIENT,  # 002:L826, L1276; 003:L1031-1036
    "TECHSPEC_LINE_CODE_MISSING": Severity.DEFICIENT,  # 003:L1096-1098 (budget sub-line code)
    "DOC_NOT_SIGNED_SCAN": Severity.DEFICIENT,  # 002:L827, L829; 003:L1073-1074 (signed printout, scanned)
    "CIRCULAR_NOT_NOTARISED": Severity.REVIEW,  # 002:L826; 003:L1031-1032 (no notary, no yevmiye)
    # issue 16, contract stage (verifiers/contract_stage.py)
    "CONTRACT_ES_HIGH_RISK": Severity.REJECT,  # 001:L947 ("Yüksek Riskli ... desteklenmeyecektir")
    "CONTRACT_ES_PLAN_MISSING": Severity.DEFICIENT,  # 001:L945-946 (ÇSYP/ÇSED tamamlanmadıkça imza yok)
    "CONTRACT_SIGNED_LATE": Severity.REJECT,  # 002:L952; 003:L1892-1900; 001:L769 (feragat etmiş sayılır)
    "CONTRACT_DOC_MISSING": Severity.DEFICIENT,  # a contract-stage document of the profile not given
    "CONTRACT_DOCUMENTS_LATE": Severity.REJECT,  # 002:L938; 003:L1202-1205 (no contract after the window)
    "CONTRACT_TAX_DEBT": Severity.REJECT,  # 002:L429; 001:L489, L775; 003:L633-635 (exclusion g)
    "CONTRACT_SGK_DEBT": Severity.REJECT,  # 002:L430; 001:L490, L776; 003:L637-639 (exclusion g)
    "CONTRACT_HACIZ_ABOVE_LIMIT": Severity.REJECT,  # 002:L431, L943; 001:L491; 003:L642-645, L1168-1170
    "CONTRACT_CERT_TOO_OLD": Severity.DEFICIENT,  # 003:L1163-1166 ("en fazla 15 gün önce alınmış")
    "CONTRACT_SGK_LIST_PERIOD": Severity.DEFICIENT,  # 001:L784 (last 3 months as of the contract date)
    "CONTRACT_GRID_AGREEMENT_MISSING": Severity.DEFICIENT,  # 001:L580 (renewables, before signing)
    "CONTRACT_BRANCH_NOT_IN_REGION": Severity.DEFICIENT,  # 002:L405, L947 (registered by signing)
    "CONTRACT_REPAYMENT_PLAN_UNAPPROVED": Severity.DEFICIENT,  # 003:L1189-1196 (before signing)
    "CONTRACT_REPAYMENT_PLAN_LATE": Severity.REJECT,  # 003:L1193-1196, L1896-1898 (feragat)
    "CONTRACT_SIGNATURES_INCOMPLETE": Severity.DEFICIENT,  # 002:L954; 003:L1886-1894 (both parties, e-imza)
    # issue 16, monitoring and completion (evrak/monitoring.py)
    "AUDIT_REPORT_MISSING": Severity.DEFICIENT,  # 001:L710, 002:L592, 003:L903: every project
    "EXPENSE_OUTSIDE_PERIOD": Severity.REJECT,  # the cost is not eligible: 001:L658, L715; 002:L558; 003:L835
    "EMPLOYMENT_COMMITMENT_UNMET": Severity.REVIEW,  # 001:L403: 2-5 %, the scale is a reading (A9)
    "KSRU_COMMITMENT_UNMET": Severity.WARNING,  # 001:L405: 2 % of the support
    "INDICATOR_TARGET_UNMET": Severity.REVIEW,  # 001:L963 (up to 7 %), 002:L960, L1262 (deduction)
    "BUDGET_LINE_UNREALISED": Severity.REVIEW,  # 002:L960: a deduction per line not carried out
    "PERFORMANCE_REPORT_LATE": Severity.WARNING,  # 001:L971: every 6 months during repayment
    "INELIGIBLE_COST_RECOVERY": Severity.WARNING,  # 001:L990, 002:L989, 003:L1938-1947 (+ lost interest)
    # issue 16, evaluation sheet (evrak/ranking.py)
}


class Certainty(enum.StrEnum):
    """How sure the value a finding rests on is (D32). Only READ may carry a reject or deficiency."""

    READ = "read"  # text layer, a confident OCR field, a validated signature, a structured file
    INFERRED = "inferred"  # derived weakly (a heuristic, a fuzzy label, a name-only match)
    ASSUMED = "assumed"  # the product assumed a value it could not read
    UNREAD = "unread"  # the value could not be read at all

    @property
    def label(self) -> str:
        return {
            Certainty.READ: "okundu",
            Certainty.INFERRED: "çıkarım",
            Certainty.ASSUMED: "varsayım",
            Certainty.UNREAD: "okunamadı",
        }[self]


@dataclass(frozen=True)
class Evidence:
    """Where a fact was found: file, page (1-based), the text it came from, the value read,
    and the box on the page (x0, top, x1, bottom in PDF points) where the layout gave one."""

    file: str
    page: int | None = None
    text: str = ""
    value: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        if self.bbox is not None:
            out["bbox"] = [round(float(c), 2) for c in self.bbox]
        return out


@dataclass
class Finding:
    rule: str
    message: str
    severity: Severity | None = None
    evidence: list[Evidence] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # guide lines, e.g. "002:L805-807"
    subject: str | None = None  # EK item / document kind / budget line it concerns
    certainty: Certainty = Certainty.READ  # D32: anything but READ is capped at review

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise KeyError(f"unknown rule id {self.rule!r}; add it to evrak.findings.RULES")
        if self.severity is None:
            self.severity = RULES[self.rule]
        else:
            self.severity = Severity(self.severity)
        self.certainty = Certainty(self.certainty)

    def to_dict(self) -> dict:
        out = {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "refs": list(self.refs),
            "certainty": str(self.certainty),
        }
        if self.subject:
            out["subject"] = self.subject
        return out


def capped(severity: Severity, certainty: Certainty) -> Severity:
    """D32, its one home: a value not read with certainty can carry at most a review. A reject
    or a deficiency that rests on an inferred, assumed or unread value goes to staff instead."""
    if certainty is not Certainty.READ and severity in (Severity.REJECT, Severity.DEFICIENT):
        return Severity.REVIEW
    return severity


def verdict_of(findings: list[Finding]) -> Verdict:
    """D30: the strongest applies, reject > review > deficient > pass."""
    worst = max((f.severity.rank for f in findings), default=0)
    if worst >= Severity.REJECT.rank:
        return Verdict.REJECT
    if worst >= Severity.REVIEW.rank:
        return Verdict.REVIEW
    if worst >= Severity.DEFICIENT.rank:
        return Verdict.DEFICIENT
    return Verdict.PASS
