"""Program profiles: one TOML file per call for proposals, validated into typed objects.

Programs differ in data, not code: every number a rule uses (limits, ratios, windows,
EK items, checklists, reasons) lives in programs/<id>.toml. A bad profile fails at load
time with the file, the key and the line.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from evrak.dates import aware
from evrak.errors import UserError
from evrak.findings import RULES, Severity
from evrak.history import CLAUSES


def _decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError("tutar/oran tırnak içinde yazılmalı (ör. \"0.25\"); float kabul edilmez")
    if isinstance(value, int | str | Decimal):
        return Decimal(str(value))
    raise ValueError(f"sayı bekleniyordu: {value!r}")


Dec = Annotated[Decimal, BeforeValidator(_decimal)]


def _aware(value: object) -> object:
    return aware(value) if isinstance(value, datetime) else value


AwareDatetime = Annotated[datetime, BeforeValidator(_aware)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agency(_Model):
    name: str
    short: str
    city: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    signatory_title: str = "Genel Sekreter"


class Intermediary(_Model):
    """The bank through which a credit programme runs (VakıfBank in 001, 002, 003)."""

    name: str
    short: str
    aliases: list[str] = []  # how bank letters write its name
    bank_code: str | None = None  # TCMB 5-digit code, matches the IBAN
    product: str | None = None
    branch_provinces: list[str] = []  # empty: the programme's provinces
    # D17: the KUB must come from a branch in the region (001:L418, L759; 002:L711; 003:L31-34).
    branch_in_region: bool = False
    lines: str = ""


class Period(_Model):
    """An application period; seed 000 has two."""

    name: str
    opens: date | None = None
    application_deadline: AwareDatetime
    # An explicit deadline always wins over a computed one (D3).
    taahhutname_deadline: AwareDatetime | None = None
    lines: str = ""


class Amounts(_Model):
    minimum: Dec | None = None
    maximum: Dec | None = None
    kdv_included: bool = True
    support_ratio_min: Dec | None = None  # credit / support as a share of the total budget
    support_ratio_max: Dec | None = None
    cofinancing_min: Dec | None = None  # share of the total budget
    cofinancing_max: Dec | None = None
    cofinancing_cash_only: bool = True
    program_budget: Dec | None = None
    # What the KUB amount must cover (D17): "credit" (002) or "total_budget" (001, 003).
    kub_covers: Literal["credit", "total_budget"] | None = None
    # 004:L54: a line buying a product with a yerli malı belgesi gets this much more support.
    domestic_goods_bonus: Dec | None = None
    lines: str = ""


class IneligibleCost(_Model):
    """A cost the guide never accepts, and the words that name it in a budget line."""

    label: str  # the guide's words
    words: list[str]  # folded substrings matched in the line description
    lines: str = ""


class BudgetRules(_Model):
    caps: dict[str, Dec] = {}  # heading -> max share of the total budget
    excluded_headings: list[str] = []
    proforma_min_per_line: int = 1
    # Seed 003: lines of this amount or more need `offers_min` offers from distinct suppliers.
    offers_threshold: Dec | None = None
    offers_min: int = 1
    offers_distinct_suppliers: bool = False
    compare_with: Literal["sum", "lowest"] = "sum"
    techspec: Literal["all", "above_threshold", "none"] = "all"
    # 003:L1096-1098: every item in a spec is marked with its budget sub-line code ("3.3.1").
    techspec_line_codes: bool = False
    proforma_max_age_days: int | None = None  # D19: no limit by default
    # Heading caps that are eligibility criteria (a rejection), not cost rules that revise the
    # line: 003 Uygunluk 7, construction at most 30 % (003:L1715-1716).
    eligibility_caps: dict[str, Dec] = {}
    # Costs the guide lists as never eligible (002:L606-636, 003:L879-931): a budget line whose
    # description names one goes to review; a word match is an inference, never a rejection.
    ineligible: list[IneligibleCost] = []
    lines: str = ""


class SizeLimit(_Model):
    """A KOBİ class as the guide prints it: fewer than `employees_below` staff and net sales or
    balance-sheet total (either one) not above `money_max`."""

    employees_below: int
    money_max: Dec


class Eligibility(_Model):
    sizes: list[Literal["mikro", "kucuk", "orta", "buyuk"]] = ["mikro", "kucuk", "orta"]
    nace: list[str] = []  # exact codes; empty with no prefixes: any
    nace_prefixes: list[str] = []
    founded_before: date | None = None  # strictly before (D20)
    duration_months_min: int | None = None
    duration_months_max: int | None = None
    applicant_kinds: list[str] = []
    # Added for 001/000/003 (additive, optional):
    # Per-province NACE prefixes (001: Konya and Karaman admit different sectors). When the
    # applicant's province is a key here, its list replaces `nace`/`nace_prefixes`.
    nace_prefixes_by_province: dict[str, list[str]] = {}
    employees_min: int | None = None  # 000: at least 10 employees on the application date
    active_months_min: int | None = None  # 000: active in manufacturing for at least 1 year
    # 001/003: founded (and registered) strictly before the submission date, not a fixed day.
    founded_before_submission: bool = False
    # D35: 003:L589 admits a firm founded on the submission day ("başvuru tarihinde veya bu
    # tarihten önce"); L1698's checklist summary is read as the same rule.
    founded_on_submission_day_ok: bool = False
    # 002:L417: where the registry documents disagree (a registration date), the current Ticaret
    # Sicil Gazetesi is taken.
    gazette_wins: bool = False
    # The applicant's seat or a legal branch in the programme's provinces (000:L220-222,
    # 001:L462, 003:L580-581).
    seat_in_region: bool = False
    # The KOBİ classes as the guide defines them ("mikro", "kucuk", "orta"), smallest first;
    # empty where the guide gives none. A public share of 25 % or more is never a KOBİ.
    size_limits: dict[str, SizeLimit] = {}
    public_share_max: Dec | None = None
    # Topics the guide never supports (001:L580-626, 003:L725-775), matched in the project title;
    # a word match is an inference and goes to review.
    ineligible_topics: list[IneligibleCost] = []
    lines: str = ""


class DocumentRule(_Model):
    """One EK item: which document kind, under which code, with which rules."""

    kind: str
    ek: str
    title: str
    requirement: Literal["required", "conditional", "advantage", "contract"] = "required"
    # Severity when missing: "deficient" by default, "reject" where the guide says so.
    missing_severity: Severity = Severity.DEFICIENT
    date_rule: Literal["none", "on_or_after_announcement"] = "none"
    max_age_days: int | None = None
    signed_by_authorized: bool = False
    # Uploaded as the signed printout, scanned (002:L827, L829, L1275, L1277; 003:L1073-1074):
    # an editable file, or a PDF of text alone with no image and no e-signature, cannot carry
    # the signature the guide asks for.
    signed_scan: bool = False
    # Certified by a notary (002:L826 and 003:L1031-1032 "noter tarafından tasdik eden belge").
    notarised: bool = False
    condition: str | None = None  # when conditional: in words, for staff
    # Financial statements: the fiscal years the guide asks for (002: 2020, 2021; 003: 2021).
    fiscal_years: list[int] = []
    # File formats the guide asks for (001 EK 9: "Word olarak"): file name endings, lower case.
    formats: list[str] = []
    lines: str = ""

    @property
    def dated(self) -> bool:
        """D33: the guide asks something of this document's date (after the announcement, at most
        N days old); only then is a missing or unread date reported."""
        return self.date_rule != "none" or self.max_age_days is not None


Answer = Literal["Evet", "Hayır", "Geçerli değil", "Eksik Belge"]


def _known_rule(value: str) -> str:
    if value not in RULES:
        raise ValueError(f"bilinmeyen kural kimliği: {value}")
    return value


# A rule id from evrak.findings.RULES; checked per item so that an error names the key and line.
RuleId = Annotated[str, AfterValidator(_known_rule)]


class ChecklistItem(_Model):
    no: str
    text: str
    # Findings of these rules make the answer "Hayır" (or "Eksik Belge" for missing documents).
    rules: list[RuleId] = []
    # Document kinds the item asks for; their DOC_MISSING makes the answer "Eksik Belge".
    kinds: list[str] = []
    applies: bool = True  # False: always "Geçerli değil" for this program
    manual: bool = False  # a person confirms what the machine pre-checks
    lines: str = ""

    @model_validator(mode="after")
    def _known_rules(self) -> ChecklistItem:
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise ValueError(f"bilinmeyen kural kimliği: {', '.join(unknown)}")
        return self


class Checklist(_Model):
    id: str
    title: str
    answers: list[Answer] = ["Evet", "Hayır", "Geçerli değil", "Eksik Belge"]
    items: list[ChecklistItem]
    lines: str = ""


class RejectionReason(_Model):
    code: str
    text: str  # the guide's own wording (D31)
    rules: list[RuleId] = []  # findings that support this reason
    lines: str = ""

    @model_validator(mode="after")
    def _known_rules(self) -> RejectionReason:
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise ValueError(f"bilinmeyen kural kimliği: {', '.join(unknown)}")
        return self


class ScoreSection(_Model):
    id: str
    title: str
    max: Dec
    min: Dec | None = None


class ComputedPoint(_Model):
    """A sub-criterion (or a part of one) whose points the guide sets by a formula from the
    application's data (issue 16; evrak/evaluation.py computes it, the ranking flags a typed
    point that differs). Parts with the same id add up. Keys of `points` by kind:
    women_youth {yes, no}; employment {none, above} with `bands`; ksru {yes, no};
    enterprise_size {mikro, kucuk, ...}; previous_support {none, any};
    previous_support_year {none} with `years`; district_cap uses `cap` and `districts`."""

    id: str  # the sub-criterion, "2.4"
    title: str = ""
    kind: Literal["women_youth", "employment", "ksru", "district_cap", "enterprise_size",
                  "previous_support", "previous_support_year"]
    points: dict[str, int] = {}
    bands: list[tuple[Dec, int]] = []  # employment: [share of current staff up to, points]
    min_new: int = 1  # employment: "1'den az olmamak kaydıyla"
    youth_ages: tuple[int, int] = (18, 35)  # women_youth: youth, both ends included
    share_over: Dec = Decimal("0.5")  # women_youth: "yüzde 50'den fazlası"
    years: list[tuple[int, int]] = []  # previous_support_year: [up to year, points]
    districts: list[str] = []  # district_cap: the districts that may get the full points
    cap: Dec | None = None  # district_cap: the most a project elsewhere may get
    lines: str = ""


class Scoring(_Model):
    total_max: Dec = Decimal(100)
    total_min: Dec | None = None
    sections: list[ScoreSection] = []
    tie_break: list[str] = []  # the guide's words, shown to staff
    # The same order as keys evrak/ranking.py applies: "single_application" (003: a sole
    # application first), "section:ID" (higher first), "submitted_at" (earlier first).
    tie_break_keys: list[str] = []
    # Yerli malı bonus points added to successful projects (002:L903, 003:L1741-1747): each
    # step is [share, points]; the share is the commitment over the revised support ("support",
    # 002) or over the revised project budget ("budget", 003).
    domestic_bonus_steps: list[tuple[Dec, int]] = []
    domestic_bonus_base: Literal["support", "budget"] = "support"
    # 001:L918-920: a gap of this many points between two evaluators calls a third one.
    evaluator_gap: Dec | None = None
    # The closed-list reason a project that failed on its score is rejected with (D31).
    score_reason: str | None = None
    # issue 16, evaluation (evrak/evaluation.py): sub-criteria the guide scores by a formula,
    # the lowest point of a sub-section, the split-verdict rule, what the Secretary General and
    # the Board may not change, and the environmental and social (ÇS) risk classes.
    computed: list[ComputedPoint] = []
    sub_min: Dec | None = None  # 001:L912 "Herhangi bir alt bölüme en düşük 1 (bir) puan"
    split_verdict: bool = False  # 001:L922: one evaluator passes, one fails -> a third one
    revision_within_total: bool = False  # 001:L936: the revised budget never above the applied
    board_amounts_fixed: bool = False  # 001:L938: the Board cannot change the amounts
    es_risk_excluded: list[str] = []  # 001:L947: classes not supported (folded: "yuksek")
    es_risk_contract_blocked: list[str] = []  # 001:L945-946: no contract until the ÇSYP/ÇSED
    es_reason: str | None = None  # the reason code a class in es_risk_excluded is rejected with
    es_lines: str = ""
    evaluators_lines: str = ""  # where the guide says how two evaluators' scores combine
    lines: str = ""


class ContractStageRules(_Model):
    """What staff check on the contract-stage documents after the result and before signing
    (verifiers/contract_stage.py). Each guide asks differently; every value cites its lines."""

    # Exclusion (g): a final haciz of this share of the support or more, at the contract date.
    haciz_share_max: Dec | None = None
    # Exclusion (g): no overdue tax or SGK debt at the contract date (restructured debt allowed).
    no_tax_sgk_debt: bool = False
    # The SGK dökümü covers the last N months as of the contract date (001:L784).
    sgk_list_months: int | None = None
    # Renewable-energy investments need their grid connection agreements before signing (001:L580).
    renewables_connection_agreement: bool = False
    # An applicant seated outside the region registers a branch in it by signing (002:L405, L947).
    branch_in_region_by_signing: bool = False
    # The repayment plan is approved on the intermediary's system before signing (003:L1189-1196).
    repayment_plan_approval: bool = False
    # The contract is signed through KAYS with e-imza (002:L954; 003:L1886-1887, L1892-1894).
    e_signature: bool = False
    # Environmental and social risk screening before the Board (001:L942-947): "yuksek" is not
    # supported; "orta" and "onemli" sign only once these documents are complete.
    es_screening: bool = False
    es_documents: dict[str, list[str]] = {}
    # The guide lines of each rule above (debt, haciz, sgk_list, grid, branch, repayment_plan,
    # e_signature), so a finding cites its own lines; `lines` otherwise.
    refs: dict[str, str] = {}
    lines: str = ""

    def ref(self, key: str) -> str:
        return self.refs.get(key) or self.lines


class ContractTerms(_Model):
    documents_business_days: int | None = None  # after the results are announced
    notify_business_days: int | None = None
    sign_business_days: int | None = None
    implementation_months_max: int | None = None
    transfer_days: int | None = None  # calendar days (D4)
    block_days: int | None = None
    final_report_days: int | None = None
    result_letter_days: int | None = None
    # Added (additive): windows some guides count in business days, and the extension of the
    # signing window on force majeure (002: 10 days; 001: 10 business days; 003: 20 business days).
    transfer_business_days: int | None = None  # 003: credit transferred within 10 iş günü
    result_letter_business_days: int | None = None  # 003: rejection notice within 10 iş günü
    sign_extension_days: int | None = None  # calendar days (D4)
    sign_extension_business_days: int | None = None
    # What the contract itself says, where the guides differ (issue 16): how the support is paid
    # out, how contractors are paid, what happens to a late instalment, how long records are kept
    # and how long the assets are locked. Every value cites its guide lines in the profile.
    disbursement: Literal["lump_sum", "bimonthly_on_request", "reports"] = "lump_sum"
    disbursement_months: list[str] = Field(default_factory=list)  # 001: Şubat, Nisan, ...
    contractor_transfer_business_days: int | None = None  # 001: bank pays the seller within 3 iş günü
    payment_docs_business_days: int | None = None  # 002/003: papers 5 iş günü before payment
    late_installment: Literal["credit_limit", "bank_notifies", "general"] = "general"
    records_years: int | None = None  # records kept after the project ends
    asset_lock_years: int | None = None  # project period + N years
    asset_lock_until_debt_ends: bool = False  # 002: until the credit debt ends
    asset_lock_indemnity_multiple: int | None = None  # 001/003: 2x the support
    # 003:L1747 footnote 8: an unmet yerli malı commitment costs at least this share of support.
    domestic_goods_penalty_min: Dec | None = None
    stage: ContractStageRules = ContractStageRules()  # [contract.stage]
    lines: str = ""


class Repayment(_Model):
    """D11-D16."""

    anchor: Literal["transfer", "contract_signed"]
    grace_months: int
    installments: int
    basis: Literal["drawn", "eligible_cost"]
    lines: str = ""


class Fees(_Model):
    """D16: the beneficiary's own costs, never part of the credit or the budget."""

    commission_rate: Dec = Decimal(0)
    commission_base: Literal["credit", "budget"] = "credit"
    commission_per_year: bool = False
    bsmv_rate: Dec = Decimal(0)
    stamp_duty_rate: Dec = Decimal(0)
    stamp_duty_base: Literal["contract_amount", "budget"] = "contract_amount"
    lines: str = ""


class Monitoring(_Model):
    """Monitoring, completion and recovery (issue 16; evrak/monitoring.py): what each guide says
    happens after the contract. A key left unset means the guide says nothing, and the
    computation it drives is not made for that programme."""

    # How the completion date is fixed: "implementation_end" (001:L518) or "final_report"
    # (002:L564: approval date if the final report came within the contract period, else
    # submission + 1 month).
    completion_rule: Literal["implementation_end", "final_report"] | None = None
    audit_report_required: bool = False  # every project hands in an audit report
    expenses_within_implementation: bool = False  # costs only within the implementation period
    # 003:L835, L845-846: payments made within the final-report window for work done within the
    # implementation period still count.
    payments_until_final_report: bool = False
    employment_penalty_min: Dec | None = None  # share of the support
    employment_penalty_max: Dec | None = None
    # [commitment / current staff up to (inclusive), rate]; above the last: employment_penalty_max.
    employment_penalty_bands: list[tuple[Dec, Dec]] = []
    ksru_penalty: Dec | None = None  # share of the support
    indicator_penalty_cap: Dec | None = None  # share of the final support
    performance_report_months: int | None = None  # during repayment
    deduction_per_unrealised_item: bool = False  # each unrealised budget line / indicator
    recover_lost_interest: bool = False  # ineligible costs: amount + interest lost since release
    interest_day_basis: int = 365
    refs: dict[RuleId, str] = {}  # rule id -> the guide lines its finding cites
    lines: str = ""

    @model_validator(mode="after")
    def _bands_within_range(self) -> Monitoring:
        low, high = self.employment_penalty_min, self.employment_penalty_max
        if (low is None) != (high is None) or (low is not None and high is not None and low > high):
            raise ValueError("employment_penalty_min ve _max birlikte yazılır, en az <= en çok")
        bounds = [b for b, _ in self.employment_penalty_bands]
        if self.employment_penalty_bands and (low is None or high is None or bounds != sorted(set(bounds))
                                              or any(not low <= r <= high for _, r in self.employment_penalty_bands)):
            raise ValueError("employment_penalty_bands: eşikler artan sırada, oranlar en az ile en çok arasında olmalı")
        return self


class Process(_Model):
    """The call's own process windows (issue 16; evrak/deadlines.py computes them): when KAYS
    opens, until when questions are taken, how fast they are answered, and when the lists go
    to the Board. A key left unset means the guide states no such window."""

    # KAYS opens N iş günü after the announcement (002:L713); a period's explicit `opens` wins.
    kays_opens_business_days: int | None = None
    # Questions until N calendar days before the application deadline (002:L769, 003:L1554).
    questions_days_before_deadline: int | None = None
    # Answers published within N calendar days of a question's arrival (D4; 001:L823 3,
    # 002:L771 10, 003:L1564 10).
    answer_days: int | None = None
    # The ranked lists go to the Board within N months of the applications' completion (001:L934).
    board_list_months: int | None = None
    lines: str = ""


class ExclusionBan(_Model):
    """How long an exclusion decision bars the applicant from calls (the (a)-(h) lists): for
    `years` from the decision's detection or notification date, until the obligation is met
    ("cleared"), or with no end ("indefinite")."""

    clauses: list[str]
    until: Literal["years", "cleared", "indefinite"]
    years: int | None = None
    start: Literal["detected", "notified"] | None = None
    # What is checked at the contract, not at screening ((g): debts "as of the contract
    # signature"): an open decision asks staff, it does not reject the application.
    at_contract: bool = False
    lines: str = ""

    @model_validator(mode="after")
    def _complete(self) -> ExclusionBan:
        if self.until == "years" and (self.years is None or self.start is None):
            raise ValueError("until = \"years\" için years ve start gerekli")
        unknown = [c for c in self.clauses if c not in CLAUSES]
        if unknown:
            raise ValueError(f"bilinmeyen bent: {', '.join(unknown)} (bentler: {', '.join(CLAUSES)})")
        return self


class HistoryRules(_Model):
    """What the agency's own records decide (evrak/history.py, verifiers/prescreen/history.py):
    how many applications and supports an applicant may have, the cooling-off after a
    contract, open repayments, exclusion bans and debarment lists. Empty: nothing to check."""

    applications_max: int | None = None
    # "call": this programme's call; "calendar_year": every call of the agency in the year.
    applications_scope: Literal["call", "calendar_year"] = "call"
    # Firms more than half owned by the same people count as one applicant (001:L640, 003:L787).
    applications_group: bool = False
    # Over the limit: "reject_later" (the later submissions are not evaluated) or "review"
    # (the guide does not say which stands; staff decide).
    excess: Literal["reject_later", "review"] = "review"
    applications_lines: str = ""
    awards_max: int | None = None
    awards_scope: Literal["call", "calendar_year"] = "call"
    awards_lines: str = ""
    # No new application while a contract runs and this many months after it ends, counted
    # from the project's completion (002:L564) or from the contract's end (003:L792).
    cooling_off_months: int | None = None
    cooling_off_from: Literal["completion", "contract_end"] = "completion"
    cooling_off_lines: str = ""
    open_repayment_blocks: bool = False  # 001:L637
    repayment_lines: str = ""
    debarment: bool = False  # 001:L493: a debarment list (the World Bank's) applies
    debarment_lines: str = ""
    exclusions: list[ExclusionBan] = []
    lines: str = ""

    @property
    def active(self) -> bool:
        return bool(self.applications_max or self.awards_max or self.cooling_off_months
                    or self.open_repayment_blocks or self.debarment or self.exclusions)


class FormDeclaration(_Model):
    """A statement the guide requires in the KAYS form (the manifest's form.declarations)."""

    key: Literal["exclusions", "not_started", "no_other_public_funding", "no_pre_contract"]
    label: str  # the guide's requirement in its words, for the finding
    lines: str = ""


class MainTopic(_Model):
    """Topics a project may include but not be "solely or mainly" about (001:L580): budget lines
    under `headings`, or whose description names one of `words`, above `share_max` of the budget."""

    label: str
    headings: list[str] = []
    words: list[str] = []  # folded substrings of a budget line's description
    share_max: Dec
    lines: str = ""


class FormRules(_Model):
    """What the guide asks of the KAYS application form's own data (verifiers/prescreen/form_rules.py).

    Empty defaults check nothing: a programme states only what its guide states, with lines.
    """

    partners_allowed: bool = True  # ortak
    affiliates_allowed: bool = True  # iştirakçi
    partners_lines: str = ""
    sections: list[str] = []  # Proje Bilgisi sections that must be filled
    section_max_chars: int | None = None
    sections_lines: str = ""
    indicators: dict[str, str] = {}  # the only indicators the form may choose: KAYS code -> name
    indicators_lines: str = ""
    contacts_min: int | None = None
    contacts_lines: str = ""
    declarations: list[FormDeclaration] = []
    budget_lines_described: bool = False  # every budget line is described in the form
    budget_lines_lines: str = ""
    turkish: bool = False  # the form's free text is in Turkish
    turkish_lines: str = ""
    taxonomy_objectives_min: int | None = None
    taxonomy_lines: str = ""
    main_topic: MainTopic | None = None
    cluster_firms_min: int | None = None
    cluster_nace_prefixes: list[str] = []  # the cluster's sector: its firms' NACE
    cluster_lines: str = ""


class CalendarPolicy(_Model):
    closing_time: time = time(17, 0)
    idari_izin_is_business_day: bool = True  # D2, Yargıtay 7. HD 2021/454
    half_day_is_business_day: bool = True


class Program(_Model):
    id: str
    seed: str
    name: str
    short_name: str
    reference: str
    instrument: Literal["faizsiz_kredi", "geri_odemeli_finansman", "hibe", "teknik_destek"]
    agency: Agency
    region: str
    provinces: list[str]
    announcement_date: date
    announcement_verified: bool = True
    announcement_note: str | None = None
    periods: list[Period]
    taahhutname_business_days: int | None = None
    calendar: CalendarPolicy = CalendarPolicy()
    intermediary: Intermediary | None = None
    amounts: Amounts = Amounts()
    budget: BudgetRules = BudgetRules()
    eligibility: Eligibility = Eligibility()
    documents: list[DocumentRule] = []
    checklists: list[Checklist] = []
    rejection_reasons: list[RejectionReason] = []
    scoring: Scoring = Scoring()
    contract: ContractTerms = ContractTerms()
    repayment: Repayment | None = None
    fees: Fees | None = None
    form: FormRules = FormRules()  # [form]: what the guide asks of the KAYS form's own data
    history: HistoryRules = HistoryRules()  # [history]: earlier applications, supports, bans
    monitoring: Monitoring = Monitoring()
    deficiency_business_days: int = 5  # D30
    process: Process = Process()  # [process]: KAYS opening, questions, Board lists (issue 16)
    severity_overrides: dict[RuleId, Severity] = {}
    notes: list[str] = []
    source: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Program:
        unknown = [r for r in self.severity_overrides if r not in RULES]
        if unknown:
            raise ValueError(f"severity_overrides: bilinmeyen kural kimliği: {', '.join(unknown)}")
        if not self.periods:
            raise ValueError("en az bir başvuru dönemi (periods) gerekli")
        return self

    def severity(self, rule: str) -> Severity:
        return self.severity_overrides.get(rule, RULES[rule])

    def document(self, kind: str) -> DocumentRule | None:
        return next((d for d in self.documents if d.kind == kind), None)

    def reasons_for(self, rules: set[str]) -> list[RejectionReason]:
        return [r for r in self.rejection_reasons if rules & set(r.rules)]


# --- loading ------------------------------------------------------------------------------


def programs_dir() -> Path:
    env = os.environ.get("EVRAK_PROGRAMS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "programs"


def _locate(text: str, loc: tuple) -> int | None:
    """Best-effort line of a pydantic error location in TOML source (1-based)."""
    lines = text.splitlines()
    start = 0
    table: list[str] = []
    for part in loc:
        if isinstance(part, int):
            header = re.compile(r"^\s*\[\[\s*" + re.escape(".".join(table)) + r"\s*\]\]")
            seen = -1
            for i in range(start, len(lines)):
                if header.match(lines[i]):
                    seen += 1
                    if seen == part:
                        start = i
                        break
            continue
        table.append(str(part))
        key = re.compile(r"^\s*(\[+\s*)?([\w.]*\.)?" + re.escape(str(part)) + r"\s*(=|\]|\.)")
        for i in range(start, len(lines)):
            if key.match(lines[i]):
                start = i
                break
    return start + 1 if loc else None


def load_profile_file(path: Path) -> Program:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"profil okunamadı: {exc.strerror}", file=str(path)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise UserError(f"TOML sözdizimi hatası: {exc}", file=str(path),
                        line=int(m.group(1)) if m else None) from exc
    try:
        program = Program.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc)
        raise UserError(f"{err['msg']} ({len(exc.errors())} hata)", file=str(path), field=key,
                        line=_locate(text, loc)) from exc
    if program.id != path.stem:
        raise UserError(f"profil kimliği '{program.id}' dosya adıyla aynı olmalı", file=str(path),
                        field="id", line=_locate(text, ("id",)))
    return program


# Data beside the profiles that is not a profile: the calendar policy, provinces and districts.
SHARED_DATA_FILES = frozenset({"calendar.toml", "places.toml"})


@functools.cache
def _load_all(directory: str) -> dict[str, Program]:
    out: dict[str, Program] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        if path.name in SHARED_DATA_FILES:
            continue
        program = load_profile_file(path)
        out[program.id] = program
    return out


def load_programs(directory: Path | None = None) -> dict[str, Program]:
    return _load_all(str(directory or programs_dir()))


def load_profile(program_id: str, directory: Path | None = None) -> Program:
    programs = load_programs(directory)
    try:
        return programs[program_id]
    except KeyError:
        known = ", ".join(sorted(programs))
        raise UserError(f"bilinmeyen program '{program_id}'; bilinenler: {known}") from None
