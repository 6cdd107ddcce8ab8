"""A person decides what a machine could not: review findings upheld or overruled.

A decision is stored with who, when and why (the comment), never edited: a later decision
on the same finding supersedes the earlier one, and the page shows the history. The
verdict that counts is then recomputed over the findings that still stand (D30), with
the person's outcome for an upheld finding: a rejection cites a reason from the
program's closed list (D31), a deficiency names the EK document to complete, so the
letter that follows says what the person decided, in the guide's words.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from evrak.findings import Finding, Severity, verdict_of
from evrak.profiles import load_profile
from worker.store import UTCDateTime, utcnow
from worker.web import db

OVERRULE, UPHOLD = "overrule", "uphold"
ACTIONS = (OVERRULE, UPHOLD)
OUTCOMES = (Severity.REJECT.value, Severity.DEFICIENT.value)
ACTION_LABELS = {OVERRULE: "Geçersiz sayıldı", UPHOLD: "Bulgu kabul edildi"}


class Decision(db.WebBase):
    __tablename__ = "evrak_web_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    application_no: Mapped[str | None] = mapped_column(String(255), index=True)
    finding_key: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))  # uphold: reject | deficient
    reason_code: Mapped[str | None] = mapped_column(String(32))  # uphold as reject (D31)
    document_kind: Mapped[str | None] = mapped_column(String(64))  # uphold as deficient
    comment: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    finding_key: str
    rule: str
    action: str
    outcome: str | None
    reason_code: str | None
    document_kind: str | None
    comment: str
    username: str
    created_at: datetime

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @classmethod
    def of(cls, row: Decision) -> DecisionInfo:
        return cls(row.id, row.finding_key, row.rule, row.action, row.outcome, row.reason_code,
                   row.document_kind, row.comment, row.username, row.created_at)


def finding_key(index: int, finding: dict[str, Any]) -> str:
    """Stable id of a finding within one report (position, rule and message)."""
    raw = f"{index}\0{finding.get('rule')}\0{finding.get('message')}\0{finding.get('subject') or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def record(job_id: str, application_no: str | None, key: str, rule: str, *, action: str, comment: str,
           username: str, outcome: str | None = None, reason_code: str | None = None,
           document_kind: str | None = None) -> DecisionInfo:
    row = Decision(job_id=job_id, application_no=application_no, finding_key=key, rule=rule, action=action,
                   outcome=outcome, reason_code=reason_code, document_kind=document_kind, comment=comment,
                   username=username, created_at=utcnow())
    with db.session() as s, s.begin():
        s.add(row)
    return DecisionInfo.of(row)


def history(job_id: str) -> list[DecisionInfo]:
    """All decisions on a job's findings, oldest first."""
    with db.session() as s:
        rows = s.scalars(select(Decision).where(Decision.job_id == job_id)
                         .order_by(Decision.created_at, Decision.id)).all()
        return [DecisionInfo.of(r) for r in rows]


def current(job_id: str) -> dict[str, DecisionInfo]:
    """finding key -> the decision in force (the latest)."""
    out: dict[str, DecisionInfo] = {}
    for d in history(job_id):
        out[d.finding_key] = d
    return out


def jobs_with_decisions(job_ids: list[str]) -> set[str]:
    if not job_ids:
        return set()
    with db.session() as s:
        return set(s.scalars(select(Decision.job_id).where(Decision.job_id.in_(job_ids)).distinct()))


def apply(report: dict[str, Any], decided: dict[str, DecisionInfo]) -> dict[str, Any]:
    """The report as the decisions leave it: findings, counts, reasons and verdict (D30, D31).

    Every finding gets `key`, and `decision` where a person decided; an overruled finding
    no longer counts; an upheld one counts with the person's outcome. The machine's own
    verdict stays in `machine_verdict`.
    """
    out = copy.deepcopy(report)
    out["machine_verdict"] = report.get("verdict")
    standing: list[dict[str, Any]] = []
    for i, f in enumerate(out.get("findings", [])):
        f["key"] = finding_key(i, f)
        d = decided.get(f["key"])
        f["decision"] = d
        f["machine_severity"] = f.get("severity")
        if d is None:
            standing.append(f)
        elif d.action == UPHOLD:
            f["severity"] = d.outcome or f["severity"]
            if d.document_kind:
                f["subject"] = d.document_kind
            standing.append(f)
        # overruled: kept for display, does not count
    if not decided:
        return out
    counts = {s.value: 0 for s in Severity}
    for f in standing:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    out["counts"] = counts
    verdict = verdict_of([Finding(f["rule"], f["message"], Severity(f["severity"])) for f in standing])
    out["verdict"] = verdict.value
    out["verdict_label"] = verdict.label
    out["reasons"] = _reasons(out.get("program", ""), standing)
    out["checklist"] = _checklist(out.get("program", ""), standing)
    out["decided"] = True
    return out


def _checklist(program_id: str, standing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checklist answered again from the findings that still stand, as pre-screening does."""
    from verifiers.prescreen.checklist import answer_checklists

    findings = [Finding(f["rule"], f["message"], Severity(f["severity"]), subject=f.get("subject"))
                for f in standing]
    return [a.to_dict() for a in answer_checklists(load_profile(program_id), findings)]


def _reasons(program_id: str, standing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The program's closed-list reasons the standing rejections support (D31)."""
    program = load_profile(program_id)
    out = []
    for reason in program.rejection_reasons:
        facts = []
        for f in standing:
            if f["severity"] != Severity.REJECT.value:
                continue
            d = f.get("decision")
            chosen = d.reason_code if d is not None and d.action == UPHOLD else None
            if (chosen == reason.code) or (chosen is None and f["rule"] in reason.rules):
                facts.append(f["message"])
        if facts:
            out.append({"code": reason.code, "text": reason.text, "rules": list(reason.rules), "findings": facts})
    return out
