"""Staff decisions on findings, kept forever (D34), and the assessment they leave.

A person may decide any finding, a reject included: overrule it (it no longer counts) or
uphold it with an outcome (reject with a reason from the programme's closed list, D31;
deficient with the EK item to complete; or a warning). Every decision carries a reason
from a list (evrak.assessment.DECISION_REASONS) and free text, who and when. A decision
is never edited: a later one on the same finding supersedes it and both stay in the
history. Where the agency asks for four eyes (EVRAK_FOUR_EYES=1), a decision that turns a
reject or deficiency into a pass counts only once a second person has approved it.

What the decisions mean is not computed here: evrak.assessment.evaluate does that, for
the page, the letter and the report alike.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from evrak.assessment import (
    ACTION_LABELS,
    DECISION_REASONS,
    Action,
    Assessment,
    StaffDecision,
    needs_second_person,
    reveal,
)
from evrak.findings import Severity
from worker.store import UTCDateTime, utcnow
from worker.web import db

OVERRULE, UPHOLD = Action.OVERRULE.value, Action.UPHOLD.value
ACTIONS = (OVERRULE, UPHOLD)
OUTCOMES = (Severity.REJECT.value, Severity.DEFICIENT.value, Severity.WARNING.value)
__all__ = ["ACTIONS", "ACTION_LABELS", "DECISION_REASONS", "OUTCOMES", "apply", "approve", "history", "record"]


class DecisionError(ValueError):
    """A decision or approval that cannot be recorded; the message is for the person."""


class Decision(db.WebBase):
    # A new table for the decision model of issue 14 (reason list, four eyes); the earlier
    # evrak_web_decisions table, if any, is left as it was.
    __tablename__ = "evrak_web_staff_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    application_no: Mapped[str | None] = mapped_column(String(255), index=True)
    finding_key: Mapped[str] = mapped_column(String(40))
    rule: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(32))  # uphold as reject (D31)
    document_kind: Mapped[str | None] = mapped_column(String(64))  # uphold as deficient
    comment: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    needs_second: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


def _of(row: Decision) -> StaffDecision:
    return StaffDecision(
        id=row.id, finding_key=row.finding_key, rule=row.rule, action=Action(row.action), reason=row.reason,
        comment=row.comment, username=row.username, created_at=row.created_at,
        outcome=Severity(row.outcome) if row.outcome else None, reason_code=row.reason_code,
        document_kind=row.document_kind, needs_second=bool(row.needs_second), approved_by=row.approved_by,
        approved_at=row.approved_at)


def four_eyes() -> bool:
    """The agency's setting: a reject or deficiency turned into a pass needs a second person."""
    return os.environ.get("EVRAK_FOUR_EYES", "0").strip().lower() in ("1", "true", "evet", "yes")


def record(job_id: str, application_no: str | None, assessment: Assessment, key: str, *, action: str,
           reason: str, comment: str, username: str, outcome: str | None = None,
           reason_code: str | None = None, document_kind: str | None = None) -> StaffDecision:
    """Check and keep one decision; DecisionError names what is wrong, in Turkish."""
    finding = assessment.finding(key)
    if finding is None:
        raise DecisionError("Bulgu bu raporda yok.")
    if action not in ACTIONS:
        raise DecisionError("Bir karar seçin: geçersiz say ya da kabul et.")
    if reason not in DECISION_REASONS:
        raise DecisionError("Karar için listeden bir neden seçin.")
    if not comment.strip():
        raise DecisionError("Kararın gerekçesini yazın.")
    program = assessment.profile
    act = Action(action)
    sev = None
    if act is Action.UPHOLD:
        if outcome not in OUTCOMES:
            raise DecisionError("Kabul edilen bulgunun sonucunu seçin: red, eksik ya da uyarı.")
        sev = Severity(outcome)
        if sev is Severity.REJECT:
            if reason_code not in {r.code for r in program.rejection_reasons}:
                raise DecisionError("Red için programın gerekçe listesinden bir gerekçe seçin (D31).")
            document_kind = None
        elif sev is Severity.DEFICIENT:
            if not document_kind or program.document(document_kind) is None:
                raise DecisionError("Eksik için tamamlanacak belgeyi seçin.")
            reason_code = None
        else:
            reason_code = document_kind = None
    else:
        outcome = reason_code = document_kind = None
    second = needs_second_person(finding, act, sev, assessment.current_severity(key), four_eyes=four_eyes())
    row = Decision(job_id=job_id, application_no=application_no, finding_key=key, rule=finding.rule,
                   action=act.value, reason=reason, outcome=outcome, reason_code=reason_code,
                   document_kind=document_kind, comment=comment.strip()[:2000], username=username,
                   created_at=utcnow(), needs_second=second)
    with db.session() as s, s.begin():
        s.add(row)
    return _of(row)


def approve(job_id: str, decision_id: int, username: str) -> StaffDecision:
    """A second person approves a four-eyes decision; the approval is added, nothing replaced."""
    with db.session() as s, s.begin():
        row = s.get(Decision, decision_id)
        if row is None or row.job_id != job_id:
            raise DecisionError("Karar bulunamadı.")
        if not row.needs_second or row.approved_by:
            raise DecisionError("Bu karar onay beklemiyor.")
        if row.username == username:
            raise DecisionError("Kararı veren kişi kendi kararını onaylayamaz (dört göz).")
        row.approved_by, row.approved_at = username, utcnow()
    return _of(row)


def history(job_id: str) -> list[StaffDecision]:
    """All decisions on a job's findings, oldest first (pending ones included)."""
    with db.session() as s:
        rows = s.scalars(select(Decision).where(Decision.job_id == job_id)
                         .order_by(Decision.created_at, Decision.id)).all()
        return [_of(r) for r in rows]


def current(job_id: str) -> list[StaffDecision]:
    """The decisions the assessment is given (all of them: it knows which are in force)."""
    return history(job_id)


def jobs_with_decisions(job_ids: list[str]) -> set[str]:
    if not job_ids:
        return set()
    with db.session() as s:
        return set(s.scalars(select(Decision.job_id).where(Decision.job_id.in_(job_ids)).distinct()))


class _Row(dict):
    """A dict the templates (and older callers) may also read by attribute: d.action."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def assessment_of(report: dict[str, Any], decisions: Iterable[StaffDecision] | Mapping[str, StaffDecision]
                  ) -> Assessment:
    decided = list(decisions.values()) if isinstance(decisions, Mapping) else list(decisions)
    return Assessment.from_dict(report).with_decisions(decided)


def identities_beside(report_json: Path | None) -> dict[str, str]:
    """The full TCKNs kept beside a report.json (worker.pipeline.IDENTITIES), for a role allowed
    to see them; {} when there are none."""
    path = report_json.with_name("kimlik.json") if report_json is not None else None
    if path is None or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def apply(report: dict[str, Any], decisions: Iterable[StaffDecision] | Mapping[str, StaffDecision],
          *, known: dict[str, str] | None = None) -> dict[str, Any]:
    """report.json as the decisions leave it (verdict, checklist, reasons, letter), for the page.

    TCKNs stay masked; `known` (identities_beside) writes them out, for a role allowed to see them.
    """
    out = assessment_of(report, decisions).to_dict()
    if known:
        out = reveal(out, known)
    for f in out["findings"]:
        for k in ("decision", "pending_decision"):
            if f.get(k) is not None:
                f[k] = _Row(f[k])
    out["decisions"] = [_Row(d) for d in out["decisions"]]
    return out
