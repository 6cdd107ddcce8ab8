"""The contract stage (sözleşme aşaması): what staff check after the result and before signing.

A successful applicant brings the contract-stage documents the guide lists (002:L938-948,
001:L773-785, 003:L1150-1205): tax and SGK "borcu yoktur" letters, the haciz letter or
declaration, the SGK list of the last months, a branch registration, grid connection
agreements, and finally the contract itself, e-signed in KAYS. A folder holds those files and
a small manifest, `sozlesme.yaml`, with what the files cannot say (the accepted support, the
dates of the process) and, where staff read a value from an original, that value.

Every value a rule needs is taken from the manifest when staff wrote it there, else read from
the file with the project's readers (verifiers.document.read_text, the certificate reader's
issue date, verifiers.fields.issue_date). A value that could not be read never rejects (D32):
the rule asks staff (review, certainty unread) or stays silent with a note. The limits are the
programme's (`[contract.stage]` and the contract documents of programs/*.toml).

The findings go through evrak.assessment (`admit` for severities, guide lines and the D32 cap;
`evaluate` for the verdict and the missing documents); the pre-screening checklists and the
closed-list rejection reasons that `evaluate` also computes belong to the application stage
and are not shown here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evrak.assessment import AssessedFinding, Outcome, admit, evaluate, mask_personal
from evrak.dates import aware, format_datetime, format_long, month_number, now
from evrak.deadlines import contract_documents_deadline, contract_timeline
from evrak.errors import UserError
from evrak.findings import Certainty, Evidence, Finding, Severity, Verdict
from evrak.manifest import MAX_MANIFEST_BYTES, NonNegativeMoney, PositiveMoney, TaxId, Timestamp, parse_model
from evrak.money import format_percent, format_tl
from evrak.profiles import DocumentRule, Program, load_profile
from evrak.text import fold
from verifiers.certificates import read_certificate
from verifiers.document import read_text
from verifiers.fields import Doc
from verifiers.signatures.verify import verify_signed_file

CONTRACT_MANIFEST_NAMES = ("sozlesme.yaml", "sozlesme.yml", "sozlesme.json")

DebtStatus = Literal["borcu_yok", "yapilandirilmis", "borcu_var"]

# The kinds whose letters speak of tax or SGK debt; a combined letter (002, 003) may speak of both.
TAX_KINDS = ("vergi_borcu_yazisi", "vergi_sgk_borcu_yazisi")
SGK_KINDS = ("sgk_borcu_yazisi", "vergi_sgk_borcu_yazisi")
# Contract documents that a rule of this module asks for itself (only when its condition holds,
# or as a value rather than a file): the completeness check leaves them to that rule.
OWN_RULE_KINDS = ("sube_kaydi", "baglanti_anlasmasi", "geri_odeme_plani_onayi")


# --- the manifest ---------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContractApplicant(_Model):
    name: str = Field(min_length=1)
    vkn: TaxId
    province: str | None = None  # the seat (merkez); 002: outside TR63 needs a branch by signing


class ContractDocument(_Model):
    """One contract-stage document: its file (read where given) and what staff read from the
    original. A value written here wins over the value read from the file."""

    file: str | None = None
    issued_on: date | None = None
    delivered_on: date | None = None  # the day the agency received it (the original on paper)
    tax_debt: DebtStatus | None = None
    sgk_debt: DebtStatus | None = None
    months: list[str] = []  # SGK list: the months it covers, "2026-03"
    province: str | None = None  # branch registration: the province of the branch
    note: str = ""

    @field_validator("months")
    @classmethod
    def _months(cls, v: list[str]) -> list[str]:
        for m in v:
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m):
                raise ValueError(f"ay YYYY-AA biçiminde olmalı (2026-03): {m[:20]!r}")
        return v


class ContractManifest(_Model):
    program: str
    application_no: str = Field(min_length=1)
    applicant: ContractApplicant
    support_amount: PositiveMoney  # the accepted support (destek tutarı) in the result
    results_announced_on: date | None = None  # the website announcement of supported projects
    documents_received_on: date | None = None  # the contract-stage documents were complete
    notified_on: date | None = None  # the agency's contract notification (KAYS)
    contract_signed_on: date | None = None  # when already signed; else the check's day counts
    force_majeure: bool = False  # mücbir sebep notified: the signing window is extended
    renewable_energy: bool | None = None  # 001:L580: the project includes renewable investments
    haciz_amount: NonNegativeMoney | None = None  # final haciz by non-public creditors, in TL
    repayment_plan_approved_at: Timestamp | None = None  # on the intermediary's system (003)
    contract_file: str | None = None  # the contract as signed in KAYS (PAdES)
    e_signature_unavailable: bool = False  # "E-imza kullanılamaması durumunda Ajansa başvuru yapılır"
    # the ÇS screening's class (001:L942-947) and which of its documents are complete
    es_risk: Literal["dusuk", "orta", "onemli", "yuksek"] | None = None
    es_documents_done: list[str] = []
    documents: dict[str, list[ContractDocument]] = {}

    @field_validator("documents", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        if not isinstance(v, dict):
            return v
        out = {}
        for k, items in v.items():
            items = items if isinstance(items, list) else [items]
            out[k] = [{"file": x} if isinstance(x, str) else x for x in items if x is not None]
        return out


def find_contract_manifest(folder: Path) -> Path:
    for n in CONTRACT_MANIFEST_NAMES:
        if (folder / n).is_file():
            return folder / n
    raise UserError("klasörde sozlesme.yaml (ya da sozlesme.json) yok", file=str(folder))


def load_contract_manifest(path: Path) -> tuple[Path, ContractManifest]:
    """(the folder, the manifest); bad input is a UserError naming the file, field and line."""
    if not path.exists():
        raise UserError("bulunamadı; sözleşme klasörünün ya da sozlesme.yaml dosyasının yolunu verin",
                        file=str(path))
    if path.is_dir():
        path = find_contract_manifest(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise UserError(f"dosya çok büyük (en çok {MAX_MANIFEST_BYTES // 1024} KB)", file=str(path))
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError("dosya UTF-8 değil; UTF-8 olarak kaydedin", file=str(path)) from exc
    except OSError as exc:
        raise UserError(f"okunamadı: {exc.strerror}", file=str(path)) from exc
    manifest = parse_model(ContractManifest, text, str(path))
    folder = path.parent
    for where, name in _named_files(manifest):
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise UserError(f"dosya adı klasörün dışını gösteriyor: {name[:60]!r}", file=str(path), field=where)
    return folder, manifest


def _named_files(m: ContractManifest) -> list[tuple[str, str]]:
    out = [(f"documents.{k}[{i}].file", d.file) for k, ds in m.documents.items()
           for i, d in enumerate(ds) if d.file]
    if m.contract_file:
        out.append(("contract_file", m.contract_file))
    return out


# --- reading one document -------------------------------------------------------------------


@dataclass
class ReadDocument:
    """What the readers got from one file: its text (folded), the issue date, the certainty."""

    file: str
    readable: bool
    folded: str = ""
    issued_on: date | None = None
    issued_evidence: Evidence | None = None
    issuer: str | None = None
    certainty: Certainty = Certainty.READ  # OCR pages make every value read from them inferred
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "readable": self.readable, "issuer": self.issuer,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None,
                "certainty": str(self.certainty), "problems": list(self.problems)}


def read_contract_document(path: Path, kind: str) -> ReadDocument:
    """Text and issue date of one file through the project's readers (any format they open)."""
    text, _notes = read_text(path, path.name)
    problems = [f.message for f in text.findings]
    if not text.readable:
        return ReadDocument(path.name, False, problems=problems)
    doc = Doc(path.name, text.pages, source=path)
    facts = read_certificate(doc, kind)  # issuer, issue date (verifiers.fields.issue_date) with evidence
    return ReadDocument(path.name, True, doc.full_folded, facts.issued_on, facts.evidence.get("issued_on"),
                        facts.issuer, Certainty.INFERRED if doc.ocr else Certainty.READ, problems)


# Debt letters, on folded text. "borcu bulunmamaktadır / yoktur / bulunmadığı / olmadığı" says no
# overdue debt; "yapılandır..." a restructured debt; "borcu bulunmaktadır / vardır" a debt.
_NO_DEBT = re.compile(r"borc\w*\s+(?:bulunmamaktadir|yoktur|bulunmadig|olmadig)")
_RESTRUCTURED = re.compile(r"yapilandir")
_DEBT = re.compile(r"borc\w*\s+(?:bulunmaktadir|vardir)")
_SGK_LETTER = re.compile(r"sosyal guvenlik|\bsgk\b|prim borcu|prim ve")
_TAX_LETTER = re.compile(r"vergi dairesi|vergi borcu")
_NO_HACIZ = re.compile(r"haciz\w*\s+(?:islemi\s+|kaydi\s+)?(?:bulunmamaktadir|bulunmadig|yoktur|olmadig)")


def letter_covers(doc: ReadDocument) -> set[str]:
    """Which debt a letter speaks of ("tax", "sgk"): the authority named first in its heading
    (the issuer heads the letter), else its words; both when it names both or neither."""
    head = doc.folded[:HEADING_CHARS]
    sgk_at = head.find("sosyal guvenlik")
    tax = re.search(r"vergi dairesi|maliye", head)
    tax_at = tax.start() if tax else -1
    if sgk_at >= 0 or tax_at >= 0:  # the authority named first heads the letter
        if tax_at < 0 or 0 <= sgk_at < tax_at:
            return {"sgk"}
        return {"tax"}
    out = set()
    if _TAX_LETTER.search(doc.folded):
        out.add("tax")
    if _SGK_LETTER.search(doc.folded):
        out.add("sgk")
    return out or {"tax", "sgk"}


HEADING_CHARS = 200  # the authority's name and the letter's title


def debt_status_in(folded: str) -> DebtStatus | None:
    """What a debt letter says, or None when its words do not say one thing."""
    debt = bool(_DEBT.search(folded))
    none = bool(_NO_DEBT.search(folded))
    if _RESTRUCTURED.search(folded):
        return "yapilandirilmis"
    if debt and not none:
        return "borcu_var"
    if none and not debt:
        return "borcu_yok"
    return None


_MONTH_NUMERIC = (re.compile(r"(?<![\d./-])(20\d{2})\s*[./-]\s*(0?[1-9]|1[0-2])(?![\d./-])"),
                  re.compile(r"(?<![\d./-])(0?[1-9]|1[0-2])\s*[./-]\s*(20\d{2})(?![\d./-])"))
_MONTH_WORD = re.compile(r"\b([a-z]{3,8})\s+(20\d{2})(?!\d)")
_DAY_BEFORE = re.compile(r"(?<![\d./-])\d{1,2}\.?\s*$")  # "15 Mart 2026" is a date, not a period


def months_in(folded: str) -> set[tuple[int, int]]:
    """The months (year, month) an SGK list names as periods: 2026/03, 03/2026, Mart 2026.
    A full date (15.03.2026, 15 Mart 2026) is not a period and is not taken."""
    out: set[tuple[int, int]] = set()
    for m in _MONTH_NUMERIC[0].finditer(folded):
        out.add((int(m.group(1)), int(m.group(2))))
    for m in _MONTH_NUMERIC[1].finditer(folded):
        out.add((int(m.group(2)), int(m.group(1))))
    for m in _MONTH_WORD.finditer(folded):
        n = month_number(m.group(1))
        if n and not _DAY_BEFORE.search(folded[max(0, m.start() - 6):m.start()]):
            out.add((int(m.group(2)), n))
    return out


def last_months(day: date, n: int, lag: int = 0) -> list[tuple[int, int]]:
    """The n whole calendar months before `day`'s month (skipping `lag` more), oldest first."""
    out = []
    y, mo = day.year, day.month
    for _ in range(n + lag):
        y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
        out.append((y, mo))
    return sorted(out[lag:])


def _month_label(ym: tuple[int, int]) -> str:
    return f"{ym[1]:02d}/{ym[0]}"


# --- the check ------------------------------------------------------------------------------


@dataclass
class ContractContext:
    program: Program
    manifest: ContractManifest
    root: Path
    manifest_name: str
    as_of: date  # the contract date for "as of the contract date" when not yet signed
    trust_dir: Path | None = None
    crl_files: tuple[Path, ...] = ()
    read: dict[str, ReadDocument] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signatures: list[dict] = field(default_factory=list)
    deadlines: dict[str, str] = field(default_factory=dict)
    first_signature: datetime | None = None
    signature_times: list[datetime] = field(default_factory=list)  # proven times of the valid signatures

    @property
    def contract_date(self) -> date:
        return self.manifest.contract_signed_on or self.as_of

    @property
    def contract_date_label(self) -> str:
        if self.manifest.contract_signed_on:
            return f"sözleşme tarihi {format_long(self.manifest.contract_signed_on)}"
        return f"denetim günü {format_long(self.as_of)} (sözleşme henüz imzalanmadı)"

    def finding(self, rule: str, message: str, *, refs: str = "", subject: str | None = None,
                evidence: list[Evidence] | None = None, severity: Severity | None = None,
                certainty: Certainty = Certainty.READ) -> None:
        self.findings.append(Finding(rule, message, severity, evidence or [], [r for r in [refs] if r],
                                     subject, certainty))

    def manifest_evidence(self, field_name: str, value: object) -> Evidence:
        return Evidence(file=self.manifest_name, text=field_name, value=str(value))

    def entries(self, *kinds: str) -> list[tuple[str, ContractDocument]]:
        return [(k, d) for k in kinds for d in self.manifest.documents.get(k, [])]

    def doc(self, entry: ContractDocument) -> ReadDocument | None:
        return self.read.get(entry.file) if entry.file else None

    def rule_lines(self, kind: str) -> str:
        rule = self.program.document(kind)
        return rule.lines if rule else ""


def _read_all(ctx: ContractContext) -> None:
    """Read every named file once; a named file that is not in the folder is a missing document."""
    for kind, entries in ctx.manifest.documents.items():
        for entry in entries:
            if not entry.file or entry.file in ctx.read:
                continue
            path = ctx.root / entry.file
            if not path.is_file():
                ctx.finding("CONTRACT_DOC_MISSING", f"{entry.file}: sozlesme.yaml'da adı geçiyor ama klasörde yok.",
                            refs=ctx.rule_lines(kind), subject=kind,
                            evidence=[ctx.manifest_evidence(f"documents.{kind}", entry.file)])
                continue
            ctx.read[entry.file] = read_contract_document(path, kind)


def _given(ctx: ContractContext, entry: ContractDocument) -> bool:
    """An entry counts when its file is there or staff recorded the original's values."""
    if entry.file:
        return entry.file in ctx.read
    return bool(entry.issued_on or entry.delivered_on or entry.tax_debt or entry.sgk_debt
                or entry.months or entry.province or entry.note)


def check_documents_given(ctx: ContractContext) -> None:
    """CONTRACT_DOC_MISSING: every unconditional contract document of the profile is given."""
    for rule in ctx.program.documents:
        if rule.requirement != "contract" or rule.condition or rule.kind in OWN_RULE_KINDS:
            continue
        if any(_given(ctx, e) for _k, e in ctx.entries(rule.kind)):
            continue
        if any(e.file for _k, e in ctx.entries(rule.kind)):
            continue  # named but not in the folder: reported by _read_all
        ctx.finding("CONTRACT_DOC_MISSING", f"{rule.title} ({rule.ek}) verilmemiş; süresinde tamamlanmadan "
                    "sözleşme imzalanmaz.", refs=rule.lines, subject=rule.kind)
    for rule in ctx.program.documents:
        if rule.requirement == "contract" and rule.condition and rule.kind not in OWN_RULE_KINDS \
                and not ctx.entries(rule.kind):
            ctx.notes.append(f"{rule.title}: yalnızca {rule.condition} istenir; koşulu personel değerlendirir.")


def check_documents_deadline(ctx: ContractContext) -> None:
    """CONTRACT_DOCUMENTS_LATE: the documents came after the window that opens with the results
    (002:L938; 003:L1202-1205, L1889-1891; 001:L753)."""
    m = ctx.manifest
    if m.results_announced_on is None:
        ctx.notes.append("Sonuçların ilan tarihi (results_announced_on) verilmedi; belge teslim süresi denetlenmedi.")
        return
    deadline = contract_documents_deadline(ctx.program, m.results_announced_on)
    if deadline is None:
        return
    ctx.deadlines["documents"] = deadline.isoformat()
    if m.documents_received_on is not None and m.documents_received_on > deadline.date():
        ctx.finding("CONTRACT_DOCUMENTS_LATE",
                    f"Sözleşme belgeleri {format_long(m.documents_received_on)} tarihinde tamamlanmış; son gün "
                    f"{format_datetime(deadline)} ({ctx.program.contract.documents_business_days} iş günü). "
                    "Süresinde teslim etmeyenle sözleşme imzalanmaz.",
                    refs=ctx.program.contract.lines, evidence=[ctx.manifest_evidence(
                        "documents_received_on", m.documents_received_on)])


@dataclass
class _Debt:
    status: DebtStatus
    evidence: Evidence
    certainty: Certainty


def _debt_of(ctx: ContractContext, kind: str, entry: ContractDocument, which: str) -> tuple[_Debt | None, bool]:
    """(what the entry says of `which` debt, whether the entry may speak of it at all)."""
    given = entry.tax_debt if which == "tax" else entry.sgk_debt
    if given is not None:
        return _Debt(given, ctx.manifest_evidence(f"documents.{kind}.{which}_debt", given), Certainty.READ), True
    doc = ctx.doc(entry)
    if doc is None or not doc.readable:
        return None, True  # a letter of this kind that says nothing readable: staff confirm
    if kind == "vergi_sgk_borcu_yazisi" and which not in letter_covers(doc):
        return None, False  # a combined kind: this letter is the other authority's
    status = debt_status_in(doc.folded)
    if status is None:
        return None, True
    # the status is a word search over the letter ("borcu bulunmamaktadır", "yapılandır..."), not a
    # field read: at most a review until staff confirm it (D32); a value staff wrote stays READ
    return _Debt(status, Evidence(file=doc.file, value=status), Certainty.INFERRED), True


def check_debts(ctx: ContractContext) -> None:
    """CONTRACT_TAX_DEBT, CONTRACT_SGK_DEBT: no overdue debt at the contract date; a restructured
    debt is allowed (002:L428-430, L942; 001:L488-490, L775-776; 003:L631-639, L1163-1166)."""
    if not ctx.program.contract.stage.no_tax_sgk_debt:
        return
    refs = ctx.program.contract.stage.ref("debt")
    for which, rule, kinds, what, label in (("tax", "CONTRACT_TAX_DEBT", TAX_KINDS, "vergi dairesine", "Vergi"),
                                            ("sgk", "CONTRACT_SGK_DEBT", SGK_KINDS, "SGK'ya", "SGK")):
        entries = [(k, e) for k, e in ctx.entries(*kinds) if _given(ctx, e)]
        if not entries:
            continue  # CONTRACT_DOC_MISSING
        known, unclear = [], []
        for kind, entry in entries:
            debt, may = _debt_of(ctx, kind, entry, which)
            if debt is not None:
                known.append(debt)
            elif may:
                unclear.append(entry.file or kind)
        owing = [d for d in known if d.status == "borcu_var"]
        if owing:
            d = owing[0]
            ctx.finding(rule, f"Belgeye göre {what} vadesi geçmiş borç var ve yapılandırılmamış: borç "
                        "ödenmeden ya da yapılandırılmadan sözleşme imzalanmaz (dışlama hâli g).",
                        refs=refs, evidence=[d.evidence], certainty=d.certainty, subject=entries[0][0])
        elif known:
            if any(d.status == "yapilandirilmis" for d in known):
                ctx.notes.append(f"{label} borcu yapılandırılmış; rehber yapılandırılmış borcu engel saymaz.")
        elif unclear:
            ctx.finding(rule, f"{', '.join(unclear)}: {what} borç durumu belgeden okunamadı; belgenin "
                        "'vadesi geçmiş borcu yoktur' dediğini elle doğrulayın.", refs=refs,
                        severity=Severity.REVIEW, certainty=Certainty.UNREAD, subject=entries[0][0],
                        evidence=[Evidence(file=f) for f in unclear])
        else:
            kind = entries[0][0]
            # which authority a letter is from was told by its heading words: an inference (D32)
            ctx.finding("CONTRACT_DOC_MISSING", f"{label} borcu olmadığına dair belge verilmemiş "
                        f"(verilen belgeler başka bir borcu gösteriyor).", refs=ctx.rule_lines(kind) or refs,
                        subject=kind, certainty=Certainty.INFERRED)


def _reference_day(ctx: ContractContext, entry: ContractDocument) -> tuple[date, str]:
    """The day a certificate's age is counted to: when it was delivered, else when the documents
    were complete, else the contract date."""
    if entry.delivered_on:
        return entry.delivered_on, "teslim tarihi"
    if ctx.manifest.documents_received_on:
        return ctx.manifest.documents_received_on, "belgelerin teslim tarihi"
    return ctx.contract_date, ctx.contract_date_label


def _issued(ctx: ContractContext, kind: str, entry: ContractDocument) -> tuple[date | None, Evidence, Certainty]:
    if entry.issued_on:
        return entry.issued_on, ctx.manifest_evidence(f"documents.{kind}.issued_on", entry.issued_on), Certainty.READ
    doc = ctx.doc(entry)
    if doc is not None and doc.issued_on is not None:
        return doc.issued_on, doc.issued_evidence or Evidence(file=doc.file), doc.certainty
    return None, Evidence(file=entry.file or ctx.manifest_name), Certainty.UNREAD


def check_certificate_age(ctx: ContractContext) -> None:
    """CONTRACT_CERT_TOO_OLD: a certificate the profile limits in age (003: the SGK/tax letter
    "en fazla 15 gün önce alınmış", L1163-1166) is at most that old when delivered."""
    for rule in ctx.program.documents:
        if rule.requirement != "contract" or rule.max_age_days is None:
            continue
        for kind, entry in ctx.entries(rule.kind):
            if not _given(ctx, entry):
                continue
            _age_of(ctx, rule, kind, entry)


def _age_of(ctx: ContractContext, rule: DocumentRule, kind: str, entry: ContractDocument) -> None:
    issued, ev, certainty = _issued(ctx, kind, entry)
    name = entry.file or rule.title
    if issued is None:
        ctx.finding("CONTRACT_CERT_TOO_OLD", f"{name}: belge tarihi okunamadı; en fazla {rule.max_age_days} gün "
                    "önce alınmış olduğunu elle doğrulayın.", refs=rule.lines, subject=kind, evidence=[ev],
                    severity=Severity.REVIEW, certainty=Certainty.UNREAD)
        return
    ref, label = _reference_day(ctx, entry)
    assert rule.max_age_days is not None
    if issued < ref - timedelta(days=rule.max_age_days):
        ctx.finding("CONTRACT_CERT_TOO_OLD", f"{name} {format_long(issued)} tarihli; {label} {format_long(ref)} "
                    f"itibarıyla en fazla {rule.max_age_days} gün önce alınmış olmalı ({(ref - issued).days} gün). "
                    "Yeni tarihli belge istenmeli.", refs=rule.lines, subject=kind, evidence=[ev],
                    certainty=certainty)


def check_haciz(ctx: ContractContext) -> None:
    """CONTRACT_HACIZ_ABOVE_LIMIT: a final haciz of the limit share of the support or more at the
    contract date excludes the applicant (002:L431, L943; 001:L491; 003:L642-645, L1168-1170)."""
    stage = ctx.program.contract.stage
    if stage.haciz_share_max is None:
        return
    m = ctx.manifest
    limit = (m.support_amount * stage.haciz_share_max).quantize(Decimal("0.01"))
    share = format_percent(stage.haciz_share_max, 0)
    refs = stage.ref("haciz")
    if m.haciz_amount is not None:
        if m.haciz_amount >= limit:
            ctx.finding("CONTRACT_HACIZ_ABOVE_LIMIT",
                        f"Kesinleşmiş haciz tutarı {format_tl(m.haciz_amount)}; destek tutarı "
                        f"{format_tl(m.support_amount)} olduğundan sınır {share} = {format_tl(limit)}. Bu tutar "
                        "ve üzeri haciz varken sözleşme imzalanmaz (dışlama hâli g).", refs=refs,
                        evidence=[ctx.manifest_evidence("haciz_amount", m.haciz_amount)], subject="haciz_yazisi")
        return
    entries = [(k, e) for k, e in ctx.entries("haciz_yazisi") if _given(ctx, e)]
    docs = [ctx.doc(e) for _k, e in entries]
    if any(d is not None and d.readable and _NO_HACIZ.search(d.folded) for d in docs):
        return  # the letter or declaration says there is no (such) haciz
    if entries:
        names = ", ".join(e.file or "haciz_yazisi" for _k, e in entries)
        ctx.finding("CONTRACT_HACIZ_ABOVE_LIMIT",
                    f"{names}: belgeden haciz durumu okunamadı. Destek tutarının {share}'ü "
                    f"({format_tl(limit)}) ve üzeri kesinleşmiş haciz olmadığını elle doğrulayın ya da tutarı "
                    "sozlesme.yaml'a (haciz_amount) yazın.", refs=refs, severity=Severity.REVIEW,
                    certainty=Certainty.UNREAD, subject="haciz_yazisi",
                    evidence=[Evidence(file=e.file or ctx.manifest_name) for _k, e in entries])
    elif ctx.program.document("haciz_yazisi") is None:
        ctx.notes.append(f"Haciz bilgisi verilmedi (haciz_amount); sözleşme tarihinde destek tutarının {share}'ü "
                         f"({format_tl(limit)}) ve üzeri kesinleşmiş haciz olmadığını personel doğrular ({refs}).")


def check_sgk_list(ctx: ContractContext) -> None:
    """CONTRACT_SGK_LIST_PERIOD: the SGK list covers the last N months as of the contract date
    (001:L784)."""
    n = ctx.program.contract.stage.sgk_list_months
    if not n:
        return
    kind = "sgk_son_3_ay"
    refs = ctx.program.contract.stage.ref("sgk_list")
    entries = [e for _k, e in ctx.entries(kind) if _given(ctx, e)]
    if not entries:
        return  # CONTRACT_DOC_MISSING
    covered: set[tuple[int, int]] = set()
    certainty = Certainty.READ
    evidence = []
    for e in entries:
        if e.months:
            covered |= {(int(x[:4]), int(x[5:])) for x in e.months}
            evidence.append(ctx.manifest_evidence(f"documents.{kind}.months", ", ".join(e.months)))
            continue
        doc = ctx.doc(e)
        if doc is not None and doc.readable:
            found = months_in(doc.folded)
            if found:
                covered |= found
                evidence.append(Evidence(file=doc.file, value=", ".join(_month_label(x) for x in sorted(found))))
                # month mentions anywhere in the list (a print date, a footer) count: an inference (D32)
                certainty = Certainty.INFERRED
    required = last_months(ctx.contract_date, n)
    if not covered:
        ctx.finding("CONTRACT_SGK_LIST_PERIOD", f"SGK dökümünün hangi aylara ait olduğu okunamadı; "
                    f"{ctx.contract_date_label} itibarıyla son {n} ayı ({', '.join(map(_month_label, required))}) "
                    "kapsadığını elle doğrulayın.", refs=refs, subject=kind, severity=Severity.REVIEW,
                    certainty=Certainty.UNREAD, evidence=[Evidence(file=e.file or ctx.manifest_name) for e in entries])
        return
    missing = [x for x in required if x not in covered]
    if not missing:
        return
    lagged = last_months(ctx.contract_date, n, lag=1)
    if missing == [required[-1]] and all(x in covered for x in lagged):
        ctx.finding("CONTRACT_SGK_LIST_PERIOD",
                    f"SGK dökümü {', '.join(map(_month_label, lagged))} aylarını kapsıyor; {ctx.contract_date_label} "
                    f"itibarıyla son ay {_month_label(required[-1])} yok. O ayın bildirimi henüz verilmemiş "
                    "olabilir; elle değerlendirin.", refs=refs, subject=kind, severity=Severity.REVIEW,
                    evidence=evidence, certainty=certainty)
        return
    ctx.finding("CONTRACT_SGK_LIST_PERIOD",
                f"SGK dökümü {ctx.contract_date_label} itibarıyla son {n} ayı kapsamalı "
                f"({', '.join(map(_month_label, required))}); eksik: {', '.join(map(_month_label, missing))}. "
                "Güncel döküm istenmeli.", refs=refs, subject=kind, evidence=evidence, certainty=certainty)


def check_grid_agreement(ctx: ContractContext) -> None:
    """CONTRACT_GRID_AGREEMENT_MISSING: a project with renewable-energy investments has its
    connection agreements before the contract is signed (001:L580)."""
    if not ctx.program.contract.stage.renewables_connection_agreement:
        return
    kind = "baglanti_anlasmasi"
    refs = ctx.program.contract.stage.ref("grid")
    renewable = ctx.manifest.renewable_energy
    if renewable is None:
        ctx.notes.append("Projede yenilenebilir enerji yatırımı olup olmadığı (renewable_energy) belirtilmedi; "
                         f"bağlantı anlaşması denetlenmedi ({refs}).")
        return
    if not renewable:
        return
    entries = [e for _k, e in ctx.entries(kind) if _given(ctx, e)]
    if not entries:
        if not any(e.file for _k, e in ctx.entries(kind)):
            ctx.finding("CONTRACT_GRID_AGREEMENT_MISSING", "Projede yenilenebilir enerji yatırımı var; bağlantı "
                        "anlaşmaları ve gerekli izinler sözleşme imzalanmadan önce alınmış olmalı, verilmemiş.",
                        refs=refs, subject=kind, evidence=[ctx.manifest_evidence("renewable_energy", True)])
        return
    signed = ctx.manifest.contract_signed_on
    for e in entries:
        issued, ev, certainty = _issued(ctx, kind, e)
        if signed and issued and issued > signed:
            ctx.finding("CONTRACT_GRID_AGREEMENT_MISSING",
                        f"{e.file or 'Bağlantı anlaşması'} {format_long(issued)} tarihli; sözleşme "
                        f"{format_long(signed)} tarihinde imzalanmış. Rehber anlaşmayı imzadan önce istiyor; "
                        "personel değerlendirmeli.", refs=refs, subject=kind, evidence=[ev],
                        severity=Severity.REVIEW, certainty=certainty)


def _in_region(program: Program, province: str) -> bool:
    return fold(province).strip() in {fold(p) for p in program.provinces}


def check_branch(ctx: ContractContext) -> None:
    """CONTRACT_BRANCH_NOT_IN_REGION: an applicant seated outside the region has registered a
    branch in it by the time the contract is signed (002:L405, L947)."""
    if not ctx.program.contract.stage.branch_in_region_by_signing:
        return
    kind = "sube_kaydi"
    refs = ctx.program.contract.stage.ref("branch")
    seat = ctx.manifest.applicant.province
    region = ", ".join(ctx.program.provinces)
    if seat is None:
        ctx.notes.append(f"Başvuru sahibinin merkez ili (applicant.province) verilmedi; bölge dışı şube kaydı "
                         f"denetlenmedi ({refs}).")
        return
    if _in_region(ctx.program, seat):
        return
    entries = [e for _k, e in ctx.entries(kind) if _given(ctx, e)]
    if not entries:
        if not any(e.file for _k, e in ctx.entries(kind)):
            ctx.finding("CONTRACT_BRANCH_NOT_IN_REGION",
                        f"Merkez {seat} ({ctx.program.region} dışında); sözleşme imzalanana kadar bölgede "
                        f"({region}) şube kaydı yaptırılmalı, kayıt belgesi verilmemiş.", refs=refs, subject=kind,
                        evidence=[ctx.manifest_evidence("applicant.province", seat)])
        return
    for e in entries:
        name = e.file or "Şube kaydı"
        province, certainty, ev = e.province, Certainty.READ, ctx.manifest_evidence(f"documents.{kind}.province",
                                                                                     e.province)
        doc = ctx.doc(e)
        if province is None and doc is not None and doc.readable:
            hits = [p for p in ctx.program.provinces if fold(p) in doc.folded]
            if len(hits) == 1:  # a province name in the text: a weak read
                province, certainty, ev = hits[0], Certainty.INFERRED, Evidence(file=doc.file, value=hits[0])
        if province is None:
            ctx.finding("CONTRACT_BRANCH_NOT_IN_REGION", f"{name}: şubenin ili okunamadı; {region} içinde "
                        "olduğunu elle doğrulayın.", refs=refs, subject=kind, severity=Severity.REVIEW,
                        certainty=Certainty.UNREAD, evidence=[Evidence(file=e.file or ctx.manifest_name)])
            continue
        if not _in_region(ctx.program, province):
            ctx.finding("CONTRACT_BRANCH_NOT_IN_REGION", f"{name}: şube {province} ilinde; {ctx.program.region} "
                        f"({region}) içinde olmalı.", refs=refs, subject=kind, evidence=[ev], certainty=certainty)
            continue
        issued, iev, icert = _issued(ctx, kind, e)
        signed = ctx.manifest.contract_signed_on
        if signed and issued and issued > signed:
            ctx.finding("CONTRACT_BRANCH_NOT_IN_REGION", f"{name}: şube kaydı {format_long(issued)} tarihli, "
                        f"sözleşme {format_long(signed)} tarihinde imzalanmış; kayıt imzaya kadar yapılmalıydı.",
                        refs=refs, subject=kind, evidence=[iev], severity=Severity.REVIEW, certainty=icert)


def _signing_window(ctx: ContractContext) -> datetime | None:
    """The end of the signing window (force majeure extends it), where the dates allow."""
    m = ctx.manifest
    start = m.documents_received_on or m.notified_on
    if start is None:
        return None
    t = contract_timeline(ctx.program, start, m.notified_on)
    for key in ("notify", "sign", "sign_extended"):
        if t.get(key):
            ctx.deadlines[key] = t[key].isoformat()  # type: ignore[union-attr]
    return t.get("sign_extended") if m.force_majeure and t.get("sign_extended") else t.get("sign")


def check_contract_signatures(ctx: ContractContext) -> None:
    """The contract is signed through KAYS with e-imza by the applicant and by the agency
    (002:L954; 003:L1886-1887, L1892-1894): every signature is verified (SIGNATURE_* from the
    verifier), and fewer than two valid ones is CONTRACT_SIGNATURES_INCOMPLETE."""
    stage = ctx.program.contract.stage
    m = ctx.manifest
    if not stage.e_signature:
        if m.contract_file:
            ctx.notes.append("Bu programda sözleşme e-imza ile değil, matbu olarak imzalanır; imzalar elle denetlenir.")
        return
    refs = stage.ref("e_signature")
    if not m.contract_file:
        ctx.notes.append("Sözleşme dosyası (contract_file) verilmedi; imzadan önceki denetim: e-imzalar denetlenmedi.")
        return
    path = ctx.root / m.contract_file
    if not path.is_file():
        ctx.finding("CONTRACT_SIGNATURES_INCOMPLETE", f"{m.contract_file}: sozlesme.yaml'da adı geçiyor ama "
                    "klasörde yok.", refs=refs, evidence=[ctx.manifest_evidence("contract_file", m.contract_file)])
        return
    if ctx.trust_dir is None:
        ctx.finding("CONTRACT_SIGNATURES_INCOMPLETE", f"{m.contract_file}: güvenilir kök sertifika klasörü "
                    "yapılandırılmamış (EVRAK_TRUST_DIR ya da --trust); e-imzalar doğrulanamadı.", refs=refs,
                    severity=Severity.REVIEW, certainty=Certainty.UNREAD, evidence=[Evidence(file=m.contract_file)])
        return
    report = verify_signed_file(path, trust_dir=ctx.trust_dir, crl_files=ctx.crl_files)
    ctx.signatures.append(report.to_dict())
    for f in report.findings:
        if f.rule == "SIGNATURE_MISSING":
            continue  # no signature at all: CONTRACT_SIGNATURES_INCOMPLETE below says it for the contract
        if refs not in f.refs:
            f.refs.append(refs)
        ctx.findings.append(f)
    valid = [s for s in report.signatures if s.cryptographically_ok]
    proven = sorted(aware(s.proven_time) for s in valid if s.proven_time is not None)
    ctx.first_signature = proven[0] if proven else None
    ctx.signature_times = proven
    if len(valid) >= 2:
        return
    if m.e_signature_unavailable and not report.signatures:
        ctx.notes.append("E-imza kullanılamadığı için Ajansa başvurulmuş (ıslak imza); imzalar elle denetlenir.")
        return
    names = ", ".join((s.signer.name if s.signer else None) or "?" for s in valid) or "yok"
    unread = bool(report.signatures) and not valid and any(f.rule == "SIGNATURE_UNREADABLE" for f in report.findings)
    ctx.finding("CONTRACT_SIGNATURES_INCOMPLETE",
                f"{m.contract_file}: {len(valid)} geçerli e-imza var ({names}); sözleşmeyi başvuru sahibi ve "
                "Ajans adına Yönetim Kurulu Başkanı ya da yetkili Genel Sekreter KAYS'ta e-imza ile imzalamalı.",
                refs=refs, evidence=[Evidence(file=m.contract_file, value=str(len(valid)))],
                severity=Severity.REVIEW if unread else None,
                certainty=Certainty.UNREAD if unread else Certainty.READ)


def check_repayment_plan(ctx: ContractContext) -> None:
    """CONTRACT_REPAYMENT_PLAN_UNAPPROVED / _LATE: the repayment plan is approved on the
    intermediary's system just before signing, within the signing window; otherwise the
    applicant is deemed to waive the support (003:L1189-1196, L1896-1898)."""
    stage = ctx.program.contract.stage
    window = _signing_window(ctx)
    if not stage.repayment_plan_approval:
        return
    refs = stage.ref("repayment_plan")
    approved = ctx.manifest.repayment_plan_approved_at
    if approved is None:
        until = f" (imza süresinin sonu {format_datetime(window)})" if window else ""
        ctx.finding("CONTRACT_REPAYMENT_PLAN_UNAPPROVED",
                    "Geri ödeme planının aracı kuruluşun sisteminde onaylandığı kaydedilmemiş; plan sözleşme "
                    f"imzalanmadan hemen önce onaylanmalı{until}, yoksa destekten feragat edilmiş sayılır.",
                    refs=refs, subject="geri_odeme_plani_onayi")
        return
    ev = [ctx.manifest_evidence("repayment_plan_approved_at", approved.isoformat())]
    if window is not None and approved > window:
        ctx.finding("CONTRACT_REPAYMENT_PLAN_LATE",
                    f"Geri ödeme planı {format_datetime(approved)} tarihinde onaylanmış; imza süresi "
                    f"{format_datetime(window)} tarihinde bitti. Süresinde onaylamayan destekten feragat etmiş "
                    "sayılır.",
                    refs=refs, evidence=ev)
        return
    if window is None:
        ctx.notes.append("Belgelerin teslim ya da bildirim tarihi verilmedi; geri ödeme planının imza süresi "
                         "içinde onaylandığı denetlenmedi.")
    signed_label = None
    if ctx.first_signature is not None:
        if approved > ctx.first_signature:
            signed_label = format_datetime(ctx.first_signature)
    elif ctx.manifest.contract_signed_on is not None and approved.date() > ctx.manifest.contract_signed_on:
        signed_label = format_long(ctx.manifest.contract_signed_on)
    if signed_label:
        ctx.finding("CONTRACT_REPAYMENT_PLAN_LATE",
                    f"Geri ödeme planı {format_datetime(approved)} tarihinde, sözleşme imzasından ({signed_label}) "
                    "sonra onaylanmış; rehber onayı imzadan hemen önce istiyor. Personel değerlendirmeli.",
                    refs=refs, evidence=ev, severity=Severity.REVIEW)


def check_signed_in_time(ctx: ContractContext) -> None:
    """CONTRACT_SIGNED_LATE: the contract is signed within N iş günü of the notification (with
    force majeure, the extension); an applicant who does not sign or apply to the agency in that
    time is deemed to waive the support (002:L952; 003:L1892-1900; 001:L769). Which signature is
    the applicant's the file does not say, so: every proven signature after the window is the
    waiver; some before and some after is a review; the staff's own contract_signed_on counts
    where no signature time is proven. An applicant who applied to the agency (no e-imza) or a
    contract not yet signed while the window is open gives no finding."""
    window = _signing_window(ctx)
    m = ctx.manifest
    if window is None:
        return
    refs = ctx.program.contract.stage.ref("signing")
    label = format_datetime(window)
    if m.e_signature_unavailable:
        ctx.notes.append(f"E-imza kullanılamadığı için Ajansa başvurulmuş; imza süresi {label} tarihinde biter, "
                         "başvurunun süresinde yapıldığını personel denetler.")
        return
    times = ctx.signature_times
    if times:
        late = [t for t in times if t > window]
        if not late:
            return
        when = ", ".join(format_datetime(t) for t in times)
        ev = [Evidence(file=m.contract_file or "", text="zaman damgasıyla kanıtlanan imza zamanları", value=when)]
        if len(late) == len(times):
            ctx.finding("CONTRACT_SIGNED_LATE", f"Sözleşmedeki bütün e-imzalar ({when}) imza süresinden ({label}) "
                        "sonra; süresinde imzalamayan başvuru sahibi destekten feragat etmiş sayılır.",
                        refs=refs, evidence=ev)
        else:
            ctx.finding("CONTRACT_SIGNED_LATE", f"Sözleşmedeki e-imzaların bir kısmı ({when}) imza süresinden "
                        f"({label}) sonra; başvuru sahibinin imzası hangisiyse süresinde olup olmadığını personel "
                        "denetlemeli.", refs=refs, evidence=ev, severity=Severity.REVIEW)
        return
    if m.contract_signed_on is not None:
        if m.contract_signed_on > window.date():
            ctx.finding("CONTRACT_SIGNED_LATE", f"Sözleşme {format_long(m.contract_signed_on)} tarihinde "
                        f"imzalanmış; imza süresi {label} tarihinde bitti. Süresinde imzalamayan başvuru sahibi "
                        "destekten feragat etmiş sayılır.", refs=refs,
                        evidence=[ctx.manifest_evidence("contract_signed_on", m.contract_signed_on.isoformat())])
        return
    if ctx.as_of > window.date():
        ctx.finding("CONTRACT_SIGNED_LATE", f"İmza süresi {label} tarihinde bitti ve sözleşmenin imzalandığı "
                    "kaydedilmemiş; başvuru sahibi süresinde imzalamadıysa ya da Ajansa başvurmadıysa destekten "
                    "feragat etmiş sayılır. Personel denetlemeli.", refs=refs, severity=Severity.REVIEW,
                    certainty=Certainty.UNREAD)


_ES_LABEL = {"dusuk": "Düşük", "orta": "Orta", "onemli": "Önemli", "yuksek": "Yüksek"}


def check_es_risk(ctx: ContractContext) -> None:
    """CONTRACT_ES_HIGH_RISK / CONTRACT_ES_PLAN_MISSING (001:L942-947): after the environmental
    and social screening a "Yüksek" project is not supported; an "Orta" or "Önemli" one is not
    signed until one of its plans (ÇSYP Kontrol Listesi, ÇSYP, ÇSED Raporu) is complete. The
    class is the PUB's decision, entered by staff; without it the report says it was not checked."""
    stage = ctx.program.contract.stage
    if not stage.es_screening:
        return
    refs = stage.ref("es")
    risk = ctx.manifest.es_risk
    if risk is None:
        ctx.notes.append(f"Çevresel ve sosyal risk sınıfı (es_risk) girilmedi; {refs} denetlenmedi.")
        return
    ev = [ctx.manifest_evidence("es_risk", _ES_LABEL[risk])]
    if risk == "yuksek":
        ctx.finding("CONTRACT_ES_HIGH_RISK", "Çevresel ve sosyal risk taraması sonucu Yüksek Riskli: rehbere göre "
                    "proje desteklenmez, sözleşme imzalanmaz.", refs=refs, evidence=ev)
        return
    needed = stage.es_documents.get(risk, [])
    done = set(ctx.manifest.es_documents_done)
    if needed and not done & set(needed):
        ctx.finding("CONTRACT_ES_PLAN_MISSING", f"{_ES_LABEL[risk]} Riskli proje: {' ya da '.join(needed)} "
                    "tamamlanmadıkça sözleşme imzalanmaz; tamamlandığı kaydedilmemiş.", refs=refs,
                    evidence=[*ev, ctx.manifest_evidence("es_documents_done", ", ".join(sorted(done)) or "yok")])


CHECKS = [check_documents_given, check_documents_deadline, check_debts, check_certificate_age, check_haciz,
          check_sgk_list, check_grid_agreement, check_branch, check_contract_signatures, check_repayment_plan,
          check_signed_in_time, check_es_risk]


# --- the result -----------------------------------------------------------------------------

VERDICT_TEXT = {
    Verdict.PASS: "Uygun: sözleşme aşaması belgelerinde imzaya engel bulunmadı.",
    Verdict.DEFICIENT: "Eksik: belgeler süresinde tamamlanmadan sözleşme imzalanmaz.",
    Verdict.REVIEW: "İnceleme: makinenin okuyamadığı ya da karar veremediği noktaları personel doğrulamalı.",
    Verdict.REJECT: "Sözleşme imzalanamaz: rehberin sözleşme aşaması koşulu sağlanmıyor.",
}


@dataclass(frozen=True)
class ContractStageResult:
    program: Program
    manifest: ContractManifest
    as_of: date
    findings: tuple[AssessedFinding, ...]
    outcome: Outcome
    documents: tuple[dict, ...]
    signatures: tuple[dict, ...]
    deadlines: dict[str, str]
    notes: tuple[str, ...]

    @property
    def verdict(self) -> Verdict:
        return self.outcome.verdict

    def to_dict(self, *, reveal_tckn: bool = False) -> dict[str, Any]:
        """The result as JSON; TCKNs (the signers') masked unless asked otherwise (KVKK)."""
        m = self.manifest
        data = {"stage": "contract", "program": self.program.id, "application_no": m.application_no,
                "applicant": {"name": m.applicant.name, "vkn": m.applicant.vkn},
                "support_amount": str(m.support_amount), "as_of": self.as_of.isoformat(),
                "verdict": self.verdict.value, "verdict_text": VERDICT_TEXT[self.verdict],
                "findings": [f.to_dict() for f in self.findings],
                "missing": [x.to_dict() for x in self.outcome.missing],
                "documents": list(self.documents), "signatures": list(self.signatures),
                "deadlines": dict(self.deadlines), "notes": list(self.notes)}
        return data if reveal_tckn else mask_personal(data)

    def render_text(self) -> str:
        m = self.manifest
        out = [f"Sözleşme aşaması denetimi — {self.program.short_name} ({self.program.id})",
               f"Başvuru: {m.application_no} — {m.applicant.name} (VKN {m.applicant.vkn})",
               f"Destek tutarı: {format_tl(m.support_amount)}",
               f"Sonuç: {VERDICT_TEXT[self.verdict]}"]
        labels = {"documents": "Belge teslimi son gün", "notify": "Ajans bildirimi son gün",
                  "sign": "İmza son gün", "sign_extended": "Mücbir sebeple imza son gün"}
        for key, value in self.deadlines.items():
            out.append(f"{labels.get(key, key)}: {format_datetime(datetime.fromisoformat(value))}")
        if self.findings:
            out.append("Bulgular:")
            for f in self.findings:
                out.append(f"  [{f.severity.label}] {f.rule}: {f.message}")
                if f.refs:
                    out.append(f"      rehber: {', '.join(f.refs)}")
                if f.confirm:
                    out.append(f"      doğrulanacak: {f.confirm}")
        else:
            out.append("Bulgu yok.")
        if self.outcome.missing:
            out.append("Tamamlanacak belgeler:")
            for x in self.outcome.missing:
                rule = self.program.document(x.kind)
                out.append(f"  - {rule.title if rule else x.kind}: {x.problem}")
        for d in self.documents:
            when = format_long(date.fromisoformat(d["issued_on"])) if d.get("issued_on") else "okunamadı"
            out.append(f"Belge {d['file']}: tarih {when}" + (f", düzenleyen {d['issuer']}" if d.get("issuer") else ""))
        out.extend(f"Not: {n}" for n in self.notes)
        return "\n".join(out)


def _known_kinds(program: Program, manifest: ContractManifest, path: Path) -> None:
    """A document key the programme's contract stage does not have is a typo or another
    programme's document: the user's error, naming the key and its line."""
    known = [d.kind for d in program.documents if d.requirement == "contract"]
    for kind in manifest.documents:
        if kind not in known:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            line = next((i + 1 for i, ln in enumerate(text) if ln.strip().startswith((f"{kind}:", f'"{kind}":'))), None)
            raise UserError(f"{program.id} programının sözleşme belgelerinde '{kind[:40]}' yok; bilinenler: "
                            f"{', '.join(known)}", file=str(path), field=f"documents.{kind[:40]}", line=line)


def check_contract_stage(folder: Path, *, as_of: date | None = None, trust_dir: Path | None = None,
                         crl_files: tuple[Path, ...] = ()) -> ContractStageResult:
    """Read the folder's sozlesme.yaml and files, run every contract-stage check, assess."""
    root, manifest = load_contract_manifest(folder)
    program = load_profile(manifest.program)
    day = as_of or now().date()
    name = next((n for n in CONTRACT_MANIFEST_NAMES if (root / n).is_file()), CONTRACT_MANIFEST_NAMES[0])
    _known_kinds(program, manifest, root / name)
    ctx = ContractContext(program, manifest, root, name, day, trust_dir, crl_files)
    if not program.contract.stage.lines and not any(d.requirement == "contract" for d in program.documents):
        ctx.notes.append(f"{program.id} profilinde sözleşme aşaması belgesi ya da kuralı yok; yalnızca süreler "
                         "denetlendi.")
    _read_all(ctx)
    for check in CHECKS:
        check(ctx)
    findings = admit(program, ctx.findings)
    outcome = evaluate(program, findings, as_of=day)
    return ContractStageResult(program, manifest, day, findings, outcome,
                               tuple(d.to_dict() for d in ctx.read.values()), tuple(ctx.signatures),
                               dict(ctx.deadlines), tuple(ctx.notes))
