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

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Engine, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

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
from worker.store import UTCDateTime, get_store, utcnow
from worker.web import db, reports

OVERRULE, UPHOLD = Action.OVERRULE.value, Action.UPHOLD.value
ACTIONS = (OVERRULE, UPHOLD)
OUTCOMES = (Severity.REJECT.value, Severity.DEFICIENT.value, Severity.WARNING.value)
LEGACY_TABLE = "evrak_web_decisions"  # the first version's decisions (before issue 14)
LEGACY_REASON = "onceki_surum"  # the reason a carried-over decision shows; never chosen by a person
CHOOSABLE_REASONS = {k: v for k, v in DECISION_REASONS.items() if k != LEGACY_REASON}
__all__ = ["ACTIONS", "ACTION_LABELS", "CHOOSABLE_REASONS", "DECISION_REASONS", "OUTCOMES", "apply", "approve",
           "history", "migrate_legacy", "record"]
log = logging.getLogger(__name__)


class DecisionError(ValueError):
    """A decision or approval that cannot be recorded; the message is for the person."""


class Decision(db.WebBase):
    # A new table for the decision model of issue 14 (reason list, four eyes). The earlier
    # evrak_web_decisions table is never changed; its rows are copied in once (migrate_legacy).
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


class Migration(db.WebBase):
    """Which one-off data migrations have run on this database, so none runs twice."""

    __tablename__ = "evrak_web_migrations"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[str] = mapped_column(Text, default="")


# The first version's table, read only (its own MetaData: create_all never makes it).
_LEGACY = Table(
    LEGACY_TABLE, MetaData(),
    Column("id", Integer, primary_key=True), Column("job_id", String(32)), Column("application_no", String(255)),
    Column("finding_key", String(32)), Column("rule", String(64)), Column("action", String(16)),
    Column("outcome", String(16)), Column("reason_code", String(32)), Column("document_kind", String(64)),
    Column("comment", Text), Column("username", String(64)), Column("created_at", UTCDateTime()),
)


def _legacy_key(index: int, finding: dict[str, Any]) -> str:
    """The first version's finding key: position in report.json, rule, message, subject."""
    raw = f"{index}\0{finding.get('rule')}\0{finding.get('message')}\0{finding.get('subject') or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _key_map(job_id: str) -> dict[str, str]:
    """Old key -> the key the same finding has now, from the job's stored report.json ({} when gone)."""
    job = get_store().get(job_id)
    path = reports.report_path(job) if job is not None else None
    if path is None or not path.is_file():
        return {}
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        now = Assessment.from_dict(report).findings
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    raw = report.get("findings") or []
    return {_legacy_key(i, f): now[i].key for i, f in enumerate(raw) if i < len(now)}


def migrate_legacy(engine: Engine) -> int:
    """Copy the first version's decisions into the decision table, once (nothing is lost).

    Each old row becomes a decision with the same person, time, action, outcome and comment,
    the reason "onceki_surum", and the key its finding has now (found through the job's
    report.json; a finding that can no longer be matched keeps the old key, so the decision
    stays in the history without applying to anything). The old table is left as it was.
    Returns how many rows were copied.
    """
    if LEGACY_TABLE not in inspect(engine).get_table_names():
        return 0
    with Session(engine) as s:  # read first: the store's write transactions lock SQLite
        if s.get(Migration, LEGACY_TABLE) is not None:
            return 0
        rows = s.execute(select(_LEGACY).order_by(_LEGACY.c.id)).mappings().all()
    maps = {job_id: _key_map(job_id) for job_id in {r["job_id"] for r in rows}}
    try:
        return _copy_legacy(engine, rows, maps)
    except IntegrityError:  # another process copied them at the same moment (its marker won)
        return 0


def _copy_legacy(engine: Engine, rows: Sequence[Mapping[str, Any]], maps: dict[str, dict[str, str]]) -> int:
    with Session(engine, expire_on_commit=False) as s, s.begin():
        if s.get(Migration, LEGACY_TABLE) is not None:  # another process was quicker
            return 0
        unmatched = 0
        for r in rows:
            key = maps[r["job_id"]].get(r["finding_key"], r["finding_key"])
            action = r["action"]
            if action not in ACTIONS:  # the first version validated it; never let a stray value decide
                key, action = f"eski-{r['id']}", OVERRULE
            unmatched += key == r["finding_key"] or key.startswith("eski-")
            outcome = r["outcome"] if action == UPHOLD and r["outcome"] in OUTCOMES else None
            created = r["created_at"] or utcnow()
            s.add(Decision(job_id=r["job_id"], application_no=r["application_no"], finding_key=key, rule=r["rule"],
                           action=action, reason=LEGACY_REASON, outcome=outcome, reason_code=r["reason_code"],
                           document_kind=r["document_kind"], comment=r["comment"] or "",
                           username=r["username"], created_at=created, needs_second=False))
        s.add(Migration(name=LEGACY_TABLE, done_at=utcnow(),
                        detail=f"{len(rows)} karar aktarıldı; {unmatched} tanesi bugünkü bulgularla eşleşmedi"))
    if rows:
        log.warning("önceki sürümün %d kararı yeni karar tablosuna aktarıldı (%d eşleşmedi)", len(rows), unmatched)
    return len(rows)


db.ON_READY.append(migrate_legacy)


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
    if reason not in CHOOSABLE_REASONS:
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
