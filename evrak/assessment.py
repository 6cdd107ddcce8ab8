"""The assessment of one application package: what was found, what staff decided, what follows.

One typed object holds the frozen findings (each admitted through the programme's profile:
its severity, its guide lines, and the D32 cap for what was not read with certainty) and
the staff decisions on them. One function, `evaluate`, computes from those two everything
the agency acts on: the verdict (D30), the checklist answers, the closed-list rejection
reasons (D31), the missing EK items and the letter to send. Pre-screening, the web page,
the letters and the staff report all read these results; nothing else computes a verdict.

report.json is `Assessment.to_dict()`; `Assessment.from_dict` loads it back, so a stored
report can be re-decided and re-rendered without the package. TCKNs are masked in that
serialisation unless the caller asks otherwise (KVKK).
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any

from evrak.dates import ISTANBUL, aware, now
from evrak.deadlines import completion_deadline
from evrak.findings import RULES, Certainty, Evidence, Finding, Severity, Verdict, capped, verdict_of
from evrak.identifiers import is_valid_tckn, mask_tckn
from evrak.profiles import Checklist, ChecklistItem, Program, RejectionReason, load_profile

# --- masking (KVKK) --------------------------------------------------------------------------

_ELEVEN_DIGITS = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")


def mask_text(text: str) -> str:
    """Every valid TCKN in `text` masked ("12*******90"); other numbers (VKN, IBAN parts) kept."""
    return _ELEVEN_DIGITS.sub(lambda m: mask_tckn(m.group()) if is_valid_tckn(m.group()) else m.group(), text)


def mask_personal(value: Any) -> Any:
    """`value` (JSON-like: dicts, lists, strings) with every TCKN masked, wherever it stands.

    A checksum-valid 11-digit number is a TCKN whatever the key it sits under (a signer's
    serial number, a finding's message, an evidence value), so the walk masks by value.
    """
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_personal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_personal(v) for v in value]
    return value


_MASKED = re.compile(r"(?<![\d*])\d{2}\*{7}\d{2}(?![\d*])")


def identities(value: Any) -> dict[str, str]:
    """masked -> full for every TCKN in `value` whose mask is unambiguous (kept apart from
    report.json, for a role allowed to see full values)."""
    seen: dict[str, set[str]] = {}

    def walk(v: Any) -> None:
        if isinstance(v, str):
            for m in _ELEVEN_DIGITS.finditer(v):
                if is_valid_tckn(m.group()):
                    seen.setdefault(mask_tckn(m.group()), set()).add(m.group())
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)

    walk(value)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def reveal(value: Any, known: dict[str, str]) -> Any:
    """`value` with the masked TCKNs that `known` (from `identities`) resolves written out."""
    if isinstance(value, str):
        return _MASKED.sub(lambda m: known.get(m.group(), m.group()), value)
    if isinstance(value, dict):
        return {k: reveal(v, known) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v, known) for v in value]
    return value


# --- findings as admitted -------------------------------------------------------------------

_CONFIRM = {
    Certainty.INFERRED: "makine bu değeri zayıf bir çıkarımla buldu",
    Certainty.ASSUMED: "makine okuyamadığı bir değeri varsaydı",
    Certainty.UNREAD: "dayandığı değer okunamadı",
}


@dataclass(frozen=True)
class AssessedFinding:
    """A finding as the programme sees it: severity from the profile, capped by certainty (D32)."""

    key: str
    rule: str
    message: str
    severity: Severity  # after the profile and the D32 cap: what the machine concludes
    certainty: Certainty = Certainty.READ
    evidence: tuple[Evidence, ...] = ()
    refs: tuple[str, ...] = ()
    subject: str | None = None
    confirm: str | None = None  # what staff must confirm when the finding rests on no certain read
    uncapped: Severity | None = None  # the severity the rule would carry on a certain read

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "rule": self.rule, "severity": str(self.severity),
                               "message": self.message, "certainty": str(self.certainty),
                               "evidence": [e.to_dict() for e in self.evidence], "refs": list(self.refs)}
        if self.subject:
            out["subject"] = self.subject
        if self.confirm:
            out["confirm"] = self.confirm
        if self.uncapped is not None:
            out["uncapped"] = str(self.uncapped)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AssessedFinding:
        ev = tuple(Evidence(file=e.get("file", ""), page=e.get("page"), text=e.get("text", ""),
                            value=e.get("value"), bbox=tuple(e["bbox"]) if e.get("bbox") else None)
                   for e in data.get("evidence", []))
        return cls(key=data.get("key") or "", rule=data["rule"], message=data["message"],
                   severity=Severity(data.get("machine_severity") or data["severity"]),
                   certainty=Certainty(data.get("certainty", "read")), evidence=ev,
                   refs=tuple(data.get("refs", [])), subject=data.get("subject"),
                   confirm=data.get("confirm"),
                   uncapped=Severity(data["uncapped"]) if data.get("uncapped") else None)


def _key(f: Finding, seen: dict[str, int]) -> str:
    """Stable id of a finding: its content, not its position, so decisions survive a re-sort."""
    basis = json.dumps([f.rule, f.subject or "", f.message, sorted({e.file for e in f.evidence})],
                       ensure_ascii=False)
    base = hashlib.sha256(basis.encode()).hexdigest()[:16]
    n = seen.get(base, 0)
    seen[base] = n + 1
    return base if n == 0 else f"{base}-{n}"


def admit(program: Program, findings: Iterable[Finding], *, refs_by_kind: dict[str, str] | None = None
          ) -> tuple[AssessedFinding, ...]:
    """Every finding, from checks, readers and signatures alike, through the profile (one path).

    - Severity: a rule left at its rules.md default takes the profile's override; a check that
      chose another severity on purpose (e.g. review for a value it could not read) keeps it.
    - Guide lines: the finding's own, else the lines of the EK item it concerns.
    - D32: a finding not read with certainty is at most review and says what to confirm.
    """
    refs_by_kind = refs_by_kind if refs_by_kind is not None else {d.kind: d.lines for d in program.documents}
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        severity = Severity(f.severity)
        if severity == RULES[f.rule]:
            severity = program.severity(f.rule)
        refs = [r for r in f.refs if r]
        if not refs and f.subject and refs_by_kind.get(f.subject):
            refs = [refs_by_kind[f.subject]]
        confirm = uncapped = None
        certainty = Certainty(f.certainty)
        if capped(severity, certainty) is not severity:
            uncapped, severity = severity, capped(severity, certainty)
            confirm = f"{_CONFIRM[certainty]}; elle doğrulayın: {f.message}"
        out.append(AssessedFinding(key=_key(f, seen), rule=f.rule, message=f.message, severity=severity,
                                   certainty=certainty, evidence=tuple(f.evidence), refs=tuple(dict.fromkeys(refs)),
                                   subject=f.subject, confirm=confirm, uncapped=uncapped))
    return tuple(sorted(out, key=lambda a: (-a.severity.rank, a.rule, a.key)))


# --- staff decisions ------------------------------------------------------------------------


class Action(enum.StrEnum):
    OVERRULE = "overrule"  # the finding does not hold: it no longer counts
    UPHOLD = "uphold"  # the finding holds, with the outcome the person chose


ACTION_LABELS = {Action.OVERRULE: "Geçersiz sayıldı", Action.UPHOLD: "Bulgu kabul edildi"}
OUTCOMES = (Severity.REJECT, Severity.DEFICIENT, Severity.WARNING)

# Why a person decided as they did: a closed list (for statistics and audit), plus free text.
DECISION_REASONS: dict[str, str] = {
    "elle_dogrulandi": "Belge ya da değer elle doğrulandı; sorun yok",
    "okuma_hatasi": "Makine belgeyi yanlış okudu",
    "kural_uygulanmaz": "Kural bu başvuruya uygulanmaz",
    "sorun_teyit": "Sorun elle teyit edildi",
    "tamamlanabilir": "Eksik, süresinde tamamlanabilir",
    "asil_teslim": "Islak imzalı asıl ya da ek belge teslim alındı",
    "diger": "Diğer (açıklamada)",
    "onceki_surum": "Önceki sürümde verilmiş karar (olduğu gibi aktarıldı)",
}


@dataclass(frozen=True)
class StaffDecision:
    """One person's decision on one finding; kept forever, a later one supersedes it (D34).

    `needs_second` marks a decision that turns a reject or deficiency into a pass while the
    agency asks for four eyes: it counts only once another person has approved it.
    """

    id: int
    finding_key: str
    rule: str
    action: Action
    reason: str
    comment: str
    username: str
    created_at: datetime
    outcome: Severity | None = None  # uphold: reject | deficient | warning
    reason_code: str | None = None  # uphold as reject: the closed-list reason (D31)
    document_kind: str | None = None  # uphold as deficient: the EK item to complete
    needs_second: bool = False
    approved_by: str | None = None
    approved_at: datetime | None = None

    @property
    def in_force(self) -> bool:
        return not self.needs_second or self.approved_by is not None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def reason_label(self) -> str:
        return DECISION_REASONS.get(self.reason, self.reason)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "finding_key": self.finding_key, "rule": self.rule, "action": str(self.action),
                "action_label": self.action_label, "reason": self.reason, "reason_label": self.reason_label,
                "comment": self.comment, "username": self.username, "created_at": self.created_at.isoformat(),
                "outcome": str(self.outcome) if self.outcome else None, "reason_code": self.reason_code,
                "document_kind": self.document_kind, "needs_second": self.needs_second,
                "approved_by": self.approved_by,
                "approved_at": self.approved_at.isoformat() if self.approved_at else None,
                "in_force": self.in_force}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StaffDecision:
        return cls(id=int(d["id"]), finding_key=d["finding_key"], rule=d["rule"], action=Action(d["action"]),
                   reason=d.get("reason", "diger"), comment=d.get("comment", ""), username=d["username"],
                   created_at=datetime.fromisoformat(d["created_at"]),
                   outcome=Severity(d["outcome"]) if d.get("outcome") else None,
                   reason_code=d.get("reason_code"), document_kind=d.get("document_kind"),
                   needs_second=bool(d.get("needs_second")), approved_by=d.get("approved_by"),
                   approved_at=datetime.fromisoformat(d["approved_at"]) if d.get("approved_at") else None)


def needs_second_person(finding: AssessedFinding, action: Action, outcome: Severity | None,
                        current: Severity | None, *, four_eyes: bool) -> bool:
    """Four eyes: turning a reject or deficiency (as it stands now) into a pass needs a second person."""
    if not four_eyes:
        return False
    standing = current if current is not None else finding.severity
    passes = action is Action.OVERRULE or outcome in (Severity.WARNING, Severity.INFO)
    return passes and standing in (Severity.REJECT, Severity.DEFICIENT)


# --- checklists (D30) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistAnswer:
    checklist: str
    item: str
    text: str
    answer: str  # Evet | Hayır | Geçerli değil | Eksik Belge
    rules: tuple[str, ...] = ()  # rule ids behind a Hayır / Eksik Belge
    review: bool = False  # a person must confirm (manual item or a review finding)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"checklist": self.checklist, "item": self.item, "text": self.text,
                               "answer": self.answer}
        if self.rules:
            out["rules"] = list(self.rules)
        if self.review:
            out["review"] = True
        return out


_DECIDING = {Severity.REJECT, Severity.DEFICIENT, Severity.REVIEW}
# "The document is not (yet) there" for the item that asks for it.
_MISSING_RULES = {"DOC_MISSING", "KUB_PENDING"}
# "The document is there but is not what the item asks for" (blank, unreadable, wrong kind).
_NOT_VALID_RULES = {"DOC_EMPTY", "DOC_WRONG_KIND"}


@dataclass(frozen=True)
class Counted:
    """A finding with the severity it carries after the staff decisions."""

    finding: AssessedFinding
    severity: Severity
    decision: StaffDecision | None


def _concerns(item: ChecklistItem, f: AssessedFinding, document_kinds: set[str]) -> bool:
    """A finding about one document kind answers only the items that ask for that kind."""
    if f.subject in document_kinds and item.kinds:
        return f.subject in item.kinds
    return True


def _answer_item(checklist: Checklist, item: ChecklistItem, counted: list[Counted],
                 kinds: set[str]) -> ChecklistAnswer:
    if not item.applies:
        return ChecklistAnswer(checklist.id, item.no, item.text, "Geçerli değil")
    deciding = [c for c in counted if c.severity in _DECIDING]
    missing = [c for c in deciding if c.finding.rule in _MISSING_RULES
               and (c.finding.subject in item.kinds or c.finding.rule in item.rules)]
    not_valid = [c for c in deciding if c.finding.rule in _NOT_VALID_RULES and c.finding.subject in item.kinds]
    if "Eksik Belge" in checklist.answers:
        deficient = missing + [c for c in not_valid if c.severity == Severity.DEFICIENT]
        if deficient:
            return ChecklistAnswer(checklist.id, item.no, item.text, "Eksik Belge",
                                   tuple(sorted({c.finding.rule for c in deficient})))
    # A rule the item names answers it at any severity but info: a warning means the criterion
    # is not met even though it leads to no rejection (002 Tablo 3 #13: a proforma below its
    # line, L833; 001 İdari 6: a budget above the maximum, L875).
    named = [c for c in counted if c.severity in _DECIDING | {Severity.WARNING}]
    hits = [c for c in named if c.finding.rule in item.rules and _concerns(item, c.finding, kinds)]
    hits += [c for c in missing + not_valid if c not in hits]
    if hits:
        return ChecklistAnswer(checklist.id, item.no, item.text, "Hayır",
                               tuple(sorted({c.finding.rule for c in hits})),
                               review=all(c.severity == Severity.REVIEW for c in hits) or item.manual)
    return ChecklistAnswer(checklist.id, item.no, item.text, "Evet", review=item.manual)


def _checklists(program: Program, counted: list[Counted]) -> tuple[ChecklistAnswer, ...]:
    kinds = {d.kind for d in program.documents} | {k for cl in program.checklists for i in cl.items for k in i.kinds}
    return tuple(_answer_item(cl, item, counted, kinds) for cl in program.checklists for item in cl.items)


# --- D31 reasons, missing EK items, the letter -----------------------------------------------


@dataclass(frozen=True)
class ReasonCited:
    """One reason of the programme's closed list, with the findings that support it (D31)."""

    code: str
    text: str
    rules: tuple[str, ...]
    findings: tuple[str, ...]  # the supporting findings' messages

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "rules": list(self.rules), "findings": list(self.findings)}


def _reasons(program: Program, counted: list[Counted]) -> tuple[ReasonCited, ...]:
    """The one home of D31: a standing reject cites the reason the person chose, else the
    programme's reasons whose rule list names its rule."""
    behind: dict[str, list[Counted]] = {}
    for c in counted:
        if c.severity != Severity.REJECT:
            continue
        chosen = c.decision.reason_code if c.decision is not None and c.decision.action is Action.UPHOLD else None
        codes = [chosen] if chosen else [r.code for r in program.reasons_for({c.finding.rule})]
        for code in codes:
            behind.setdefault(code, []).append(c)
    out = []
    for reason in program.rejection_reasons:
        cs = behind.get(reason.code)
        if cs:
            out.append(_cite(reason, cs))
    return tuple(out)


def _cite(reason: RejectionReason, cs: list[Counted]) -> ReasonCited:
    return ReasonCited(reason.code, reason.text, tuple(sorted({c.finding.rule for c in cs})),
                       tuple(dict.fromkeys(c.finding.message for c in cs)))


@dataclass(frozen=True)
class MissingItem:
    """An EK item the deficiency letter asks for, with what is wrong in the finding's words."""

    kind: str
    problem: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "problem": self.problem}


_PROFORMA_RULES = {"PROFORMA_MISSING", "PROFORMA_SAME_SUPPLIER", "PROFORMA_NOT_CURRENT"}


def _missing(program: Program, counted: list[Counted]) -> tuple[MissingItem, ...]:
    out: list[MissingItem] = []
    for c in counted:
        if c.severity != Severity.DEFICIENT:
            continue
        f = c.finding
        if c.decision is not None and c.decision.document_kind:
            kind = c.decision.document_kind
        elif f.rule in _PROFORMA_RULES:
            kind = "proforma"
        elif f.rule == "TECHSPEC_MISSING":
            kind = "teknik_sartname"
        else:
            kind = f.subject or ""
        if program.document(kind) is None:
            continue
        item = MissingItem(kind, "sunulmamıştır" if f.rule == "DOC_MISSING" else f.message)
        if item not in out:
            out.append(item)
    return tuple(out)


class Letter(enum.StrEnum):
    """The letter a verdict sends (D30). A pass sends nothing from pre-screening: the result
    letter (kabul) follows the evaluation; a review waits for a person."""

    NONE = "none"
    DEFICIENCY = "deficiency"
    REJECTION = "rejection"

    @property
    def template(self) -> str | None:
        return {Letter.DEFICIENCY: "eksik_evrak_yazisi", Letter.REJECTION: "sonuc_yazisi"}.get(self)


# --- the one function -------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Everything computed from findings and decisions: what the agency does next."""

    verdict: Verdict
    machine_verdict: Verdict
    counted: tuple[Counted, ...]
    checklist: tuple[ChecklistAnswer, ...]
    reasons: tuple[ReasonCited, ...]
    missing: tuple[MissingItem, ...]
    letter: Letter
    completion_deadline: datetime | None
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for c in self.counted:
            out[c.severity.value] += 1
        return out

    @property
    def letter_digest(self) -> str:
        """What the letter says, hashed: the same decisions give the same letter."""
        basis = {"letter": str(self.letter), "reasons": [r.to_dict() for r in self.reasons],
                 "missing": [m.to_dict() for m in self.missing],
                 "deadline": self.completion_deadline.isoformat() if self.completion_deadline else None}
        return hashlib.sha256(json.dumps(basis, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def in_force(decisions: Iterable[StaffDecision]) -> dict[str, StaffDecision]:
    """finding key -> the latest decision that counts (pending four-eyes decisions do not)."""
    out: dict[str, StaffDecision] = {}
    for d in sorted(decisions, key=lambda d: (d.created_at, d.id)):
        if d.in_force:
            out[d.finding_key] = d
    return out


def evaluate(program: Program, findings: Iterable[AssessedFinding], decisions: Iterable[StaffDecision] = (),
             *, as_of: date) -> Outcome:
    """Verdict (D30), checklist, reasons (D31), missing EK items and the letter, from the
    admitted findings and the staff decisions; `as_of` is the day a deficiency letter leaves."""
    findings = tuple(findings)
    decided = in_force(decisions)
    counted: list[Counted] = []
    for f in findings:
        d = decided.get(f.key)
        if d is None:
            counted.append(Counted(f, f.severity, None))
        elif d.action is Action.UPHOLD:
            counted.append(Counted(f, d.outcome or f.severity, d))
        # overruled: the finding no longer counts
    verdict = verdict_of([Finding(c.finding.rule, c.finding.message, c.severity) for c in counted])
    machine = verdict_of([Finding(f.rule, f.message, f.severity) for f in findings])
    reasons = _reasons(program, counted) if verdict is Verdict.REJECT else ()
    missing = _missing(program, counted) if verdict is Verdict.DEFICIENT else ()
    notes = []
    letter = Letter.NONE
    if verdict is Verdict.REJECT:
        if reasons:
            letter = Letter.REJECTION
        else:
            notes.append("Red bulgusu programın red gerekçeleri listesinde karşılık bulmuyor; personel bir "
                         "gerekçe seçmeden red yazısı gönderilmez (D31).")
    elif verdict is Verdict.DEFICIENT:
        if missing:
            letter = Letter.DEFICIENCY
        else:
            notes.append("Eksik bulgusu bir EK belgesine bağlanamadı; personel tamamlanacak belgeyi seçmeli.")
    deadline = completion_deadline(program, as_of) if verdict is Verdict.DEFICIENT else None
    return Outcome(verdict, machine, tuple(counted), _checklists(program, counted), reasons, missing, letter,
                   deadline, tuple(notes))


# --- the assessment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """One package's assessment: what it is, what was found, what staff decided.

    `documents` and `signatures` are the readers' own JSON summaries (facts with evidence),
    carried for the report; they decide nothing here.
    """

    program: str
    program_name: str
    application_no: str
    applicant: str
    vkn: str
    findings: tuple[AssessedFinding, ...]
    decisions: tuple[StaffDecision, ...] = ()
    documents: tuple[dict, ...] = ()
    signatures: tuple[dict, ...] = ()
    deadlines: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    package_sha256: str = ""
    generated_at: datetime | None = None

    @cached_property
    def profile(self) -> Program:
        return load_profile(self.program)

    @cached_property
    def outcome(self) -> Outcome:
        return evaluate(self.profile, self.findings, self.decisions, as_of=self.as_of)

    @property
    def as_of(self) -> date:
        """The day the result is notified: the latest decision in force, else the screening."""
        moments = [d.approved_at or d.created_at for d in self.decisions if d.in_force]
        moment = max(moments) if moments else (self.generated_at or now())
        return aware(moment).astimezone(ISTANBUL).date()

    @property
    def verdict(self) -> Verdict:
        return self.outcome.verdict

    def counts(self) -> dict[str, int]:
        return self.outcome.counts()

    def finding(self, key: str) -> AssessedFinding | None:
        return next((f for f in self.findings if f.key == key), None)

    def current_severity(self, key: str) -> Severity | None:
        """The severity the finding carries now (None: overruled)."""
        return next((c.severity for c in self.outcome.counted if c.finding.key == key), None)

    def with_decisions(self, decisions: Iterable[StaffDecision]) -> Assessment:
        return replace(self, decisions=tuple(sorted(decisions, key=lambda d: (d.created_at, d.id))))

    # -- serialisation ------------------------------------------------------------------------

    def to_dict(self, *, reveal_tckn: bool = False) -> dict[str, Any]:
        """report.json. TCKNs masked unless `reveal_tckn` (a role allowed to see them)."""
        o = self.outcome
        decided = in_force(self.decisions)
        pending: dict[str, StaffDecision] = {}
        for d in self.decisions:
            if not d.in_force:
                pending[d.finding_key] = d
        severity_now = {c.finding.key: c.severity for c in o.counted}
        findings = []
        for f in self.findings:
            item = f.to_dict()
            item["machine_severity"] = str(f.severity)
            item["severity"] = str(severity_now.get(f.key, f.severity))
            item["counts"] = f.key in severity_now
            d = decided.get(f.key)
            item["decision"] = d.to_dict() if d else None
            p = pending.get(f.key)
            item["pending_decision"] = p.to_dict() if p and (d is None or p.created_at > d.created_at) else None
            findings.append(item)
        data = {
            "verdict": o.verdict.value,
            "verdict_label": o.verdict.label,
            "machine_verdict": o.machine_verdict.value,
            "decided": bool(decided),
            "program": self.program,
            "program_name": self.program_name,
            "application_no": self.application_no,
            "applicant": {"name": self.applicant, "vkn": self.vkn},
            "checklist": [a.to_dict() for a in o.checklist],
            "findings": findings,
            "counts": o.counts(),
            "reasons": [r.to_dict() for r in o.reasons],
            "missing": [m.to_dict() for m in o.missing],
            "letter": {"kind": str(o.letter), "template": o.letter.template, "digest": o.letter_digest},
            "decisions": [d.to_dict() for d in self.decisions],
            "documents": list(self.documents),
            "signatures": list(self.signatures),
            "deadlines": dict(self.deadlines),
            "completion_deadline": o.completion_deadline.isoformat() if o.completion_deadline else None,
            "notes": list(self.notes),
            "outcome_notes": list(o.notes),
            "package_sha256": self.package_sha256,
            "generated_at": self.generated_at.isoformat() if self.generated_at else None,
        }
        return data if reveal_tckn else mask_personal(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        """report.json back into the assessment; the computed parts are recomputed, not trusted."""
        return cls(
            program=data["program"], program_name=data.get("program_name", ""),
            application_no=data.get("application_no", ""),
            applicant=(data.get("applicant") or {}).get("name", ""), vkn=(data.get("applicant") or {}).get("vkn", ""),
            findings=_loaded_findings(data.get("findings", [])),
            decisions=tuple(StaffDecision.from_dict(d) for d in data.get("decisions", [])),
            documents=tuple(data.get("documents", [])), signatures=tuple(data.get("signatures", [])),
            deadlines=dict(data.get("deadlines") or {}), notes=tuple(data.get("notes", [])),
            package_sha256=data.get("package_sha256", ""),
            generated_at=datetime.fromisoformat(data["generated_at"]) if data.get("generated_at") else None,
        )


def _loaded_findings(items: list[dict[str, Any]]) -> tuple[AssessedFinding, ...]:
    """Findings of a stored report; one written before findings had keys gets them now."""
    seen: dict[str, int] = {}
    out = []
    for item in items:
        f = AssessedFinding.from_dict(item)
        if not f.key:
            raw = Finding(f.rule, f.message, f.severity, list(f.evidence), list(f.refs), f.subject, f.certainty)
            f = replace(f, key=_key(raw, seen))
        out.append(f)
    return tuple(out)


def signature_rows(signatures: Iterable[dict[str, Any]], *, reveal_tckn: bool = False) -> list[dict[str, Any]]:
    """The signatures of report.json as rows a person reads (page and staff report alike)."""
    out = []
    for entry in signatures:
        deadline = entry.get("deadline")
        rows = []
        for s in entry.get("signatures", []):
            signer = s.get("signer") or {}
            proven = s.get("proven_time") or s.get("timestamp_time")
            in_time = None
            if proven and deadline:
                in_time = datetime.fromisoformat(proven) <= datetime.fromisoformat(deadline)
            tckn = signer.get("tckn")
            rows.append({
                "name": signer.get("name") or signer.get("common_name") or "—",
                "tckn": (tckn if reveal_tckn else mask_tckn(tckn)) if tckn else "—",
                "is_seal": signer.get("is_seal"), "qualified": signer.get("qualified"),
                "authority": s.get("authority") or "—",
                "claimed": s.get("signing_time_claimed"), "proven": proven,
                "timestamp_trusted": s.get("timestamp_trusted"), "in_time": in_time,
                "intact": s.get("intact"), "valid": s.get("signature_valid"), "trusted": s.get("trusted"),
                "trust_problem": s.get("trust_problem"), "revocation": s.get("revocation"),
                "modified": s.get("modified_after_signing"),
                "changes": list(s.get("changes_after_signing") or []),
                "accepted_changes": list(s.get("accepted_changes") or []),
                "ok": s.get("ok"), "error": s.get("error"),
            })
        out.append({"file": entry.get("file"), "deadline": deadline, "signatures": rows,
                    "authority_summary": entry.get("authority_summary"),
                    "authority_satisfied": entry.get("authority_satisfied"), "verdict": entry.get("verdict")})
    return out
