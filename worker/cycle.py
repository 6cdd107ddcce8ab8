"""Where an application stands in the agency's cycle, from its submissions and staff events.

Nothing here is stored as a status: it is read off what happened (D34 keeps all of it),
so it can never disagree with the submissions and letters the page shows.

- alındı: its first package is received and not yet screened;
- incelemede: screened, staff at work (decisions, letter not yet issued);
- eksik yazısı gönderildi: a deficiency letter was issued, its notification date not yet
  recorded (the completion window starts on notification);
- tamamlama bekleniyor: notified; the window (evrak.deadlines.completion_deadline,
  N business days, 5 by default) is open or has passed without a completion;
- tamamlandı: a package arrived after the deficiency letter (joined and screened again);
- sonuçlandı: a result letter was issued or staff concluded the pre-screening.

A completion received after its window closed is flagged late with both times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from evrak.dates import now
from evrak.deadlines import completion_deadline
from evrak.profiles import load_profile
from worker.store import DONE, DUPLICATE, FAILED, EventInfo, JobInfo, JobStore

RECEIVED, IN_REVIEW, LETTER_SENT, AWAITING, COMPLETED, CONCLUDED = (
    "alindi", "incelemede", "eksik_yazisi_gonderildi", "tamamlama_bekleniyor", "tamamlandi", "sonuclandi")
STATUS_LABELS = {
    RECEIVED: "Alındı",
    IN_REVIEW: "İncelemede",
    LETTER_SENT: "Eksik yazısı gönderildi",
    AWAITING: "Tamamlama bekleniyor",
    COMPLETED: "Tamamlandı",
    CONCLUDED: "Sonuçlandı",
}
STATUS_ORDER = tuple(STATUS_LABELS)

# event kinds (worker.store AppEvent.kind)
LETTER_ISSUED, NOTIFIED, ASSIGNED, CONCLUDED_EVENT = "letter_issued", "notified", "assigned", "concluded"
DEFICIENCY_LETTER, RESULT_LETTER = "eksik_evrak_yazisi", "sonuc_yazisi"


@dataclass
class Letter:
    """A letter issued, in order, with its notification date and the window it opened."""

    event: EventInfo
    kind: str
    job_id: str | None
    files: list[str]
    notified_on: date | None
    deadline: datetime | None

    @property
    def issued_at(self) -> datetime:
        return self.event.at


@dataclass
class Submission:
    job: JobInfo
    number: int
    after_letter: Letter | None = None  # the deficiency letter this one answers
    late: bool | None = None  # None: no window known

    @property
    def is_completion(self) -> bool:
        """An answer to a deficiency letter (a later package with no letter before it is a resubmission)."""
        return self.after_letter is not None


@dataclass
class Case:
    application_no: str
    status: str
    submissions: list[Submission]
    letters: list[Letter]
    assigned_to: str | None = None
    deadline: datetime | None = None  # the open completion window's end
    events: list[EventInfo] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def latest(self) -> Submission | None:
        """The latest submission that counts (not a failed or duplicate package)."""
        live = [s for s in self.submissions if s.job.state not in (FAILED, DUPLICATE)]
        return live[-1] if live else None

    @property
    def latest_done(self) -> Submission | None:
        done = [s for s in self.submissions if s.job.state == DONE]
        return done[-1] if done else None

    def remaining(self, at: datetime | None = None) -> str | None:
        return countdown(self.deadline, at) if self.deadline else None


def countdown(deadline: datetime, at: datetime | None = None) -> str:
    """"3 gün 4 saat kaldı" / "süre 2 gün 1 saat önce doldu"."""
    delta = deadline - (at or now())
    secs = abs(int(delta.total_seconds()))
    days, hours = secs // 86400, secs % 86400 // 3600
    text = f"{days} gün {hours} saat" if days else f"{hours} saat {secs % 3600 // 60} dakika"
    return f"{text} kaldı" if delta.total_seconds() >= 0 else f"süre {text} önce doldu"


def _letters(events: list[EventInfo], program_of: dict[str, str | None]) -> list[Letter]:
    notified = {e.data.get("letter"): e for e in events if e.kind == NOTIFIED}
    out = []
    for e in events:
        if e.kind != LETTER_ISSUED:
            continue
        raw = (notified[e.id].data.get("notified_on") if e.id in notified else None) or e.data.get("notified_on")
        day = date.fromisoformat(raw) if raw else None
        deadline = None
        program = program_of.get(e.job_id or "")
        if day and e.data.get("kind") == DEFICIENCY_LETTER and program:
            deadline = completion_deadline(load_profile(program), day)
        out.append(Letter(e, e.data.get("kind", ""), e.job_id, list(e.data.get("files", [])), day, deadline))
    return out


def case_of(store: JobStore, application_no: str) -> Case | None:
    """The application's submissions, letters and status; None if nothing was received."""
    jobs = store.submissions(application_no)
    if not jobs:
        return None
    events = store.events(application_no)
    letters = _letters(events, {j.id: j.program for j in jobs})
    subs = []
    for n, job in enumerate(jobs, 1):
        at = job.created_at or now()
        before = [lt for lt in letters
                  if lt.kind == DEFICIENCY_LETTER and lt.issued_at <= at and lt.job_id != job.id]
        sub = Submission(job, n, before[-1] if before else None)
        if sub.after_letter and sub.after_letter.deadline and job.receipt_time:
            sub.late = job.receipt_time > sub.after_letter.deadline
        subs.append(sub)
    assigned = [e for e in events if e.kind == ASSIGNED]
    case = Case(application_no, RECEIVED, subs, letters,
                assigned_to=(assigned[-1].data.get("to") or None) if assigned else None, events=events)
    case.status, case.deadline = _status(case, events)
    return case


def _status(case: Case, events: list[EventInfo]) -> tuple[str, datetime | None]:
    latest = case.latest
    if latest is None:
        return RECEIVED, None
    start = latest.job.created_at
    since = [e for e in events if e.job_id == latest.job.id or (start and e.at >= start)]
    if any(e.kind == CONCLUDED_EVENT for e in since) or any(
            lt.kind == RESULT_LETTER and lt.job_id == latest.job.id for lt in case.letters):
        return CONCLUDED, None
    own = [lt for lt in case.letters if lt.kind == DEFICIENCY_LETTER and lt.job_id == latest.job.id]
    if own:
        letter = own[-1]
        return (AWAITING, letter.deadline) if letter.notified_on else (LETTER_SENT, None)
    if latest.after_letter is not None:
        return COMPLETED, None
    return (IN_REVIEW if latest.job.state == DONE else RECEIVED), None


def summary(case: Case) -> dict[str, Any]:
    """JSON-ready: what `evrak status` and the API print about an application."""
    return {
        "application_no": case.application_no,
        "status": case.status,
        "status_label": case.label,
        "assigned_to": case.assigned_to,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "submissions": [{"number": s.number, "job": s.job.id, "state": s.job.state, "verdict": s.job.verdict,
                         "received_at": s.job.receipt_time.isoformat() if s.job.receipt_time else None,
                         "completes": s.job.completes, "completion": s.is_completion, "late": s.late}
                        for s in case.submissions],
        "letters": [{"kind": lt.kind, "job": lt.job_id, "issued_at": lt.issued_at.isoformat(),
                     "issued_by": lt.event.username, "files": lt.files,
                     "notified_on": lt.notified_on.isoformat() if lt.notified_on else None,
                     "deadline": lt.deadline.isoformat() if lt.deadline else None} for lt in case.letters],
    }
