"""The applicant history the service screens with: the staff's files and its own submissions.

Staff keep earlier applications, supports, exclusion decisions and debarment lists in files
(EVRAK_GECMIS, read by evrak.history). With EVRAK_GECMIS_DEPO=1 the service adds every
application it has screened itself: a done pre-screening job is an application of its
applicant (the VKN and KAYS submission time it recorded) to its programme. A resubmission or
completion of the same application number is the same application (D34), so jobs are grouped
by application number and the earliest submission time stands for it (D41).
"""

from __future__ import annotations

from pathlib import Path

from evrak.history import History, PriorApplication, load_history
from evrak.profiles import load_programs
from worker import settings
from worker.store import JobStore


def store_history(store: JobStore) -> History:
    """The applications in the job store, one per application number."""
    programs = load_programs()
    first: dict[str, PriorApplication] = {}
    for job in store.screened():
        if not job.application_no or not job.vkn:
            continue
        # the KAYS submission time orders applications (001:L885); without it the service's own
        # receipt time is only a day, never an order that could reject (D32)
        when = job.submitted_at or job.receipt_time
        if when is None:
            continue
        program = programs.get(job.program or "")
        app = PriorApplication(job.application_no, job.vkn, job.program or "", when, job.submitted_at is not None,
                               agency=program.agency.short if program else "", source=f"iş {job.id}")
        seen = first.get(job.application_no)
        if seen is None or app.submitted_at < seen.submitted_at:
            first[job.application_no] = app
    return History(applications=tuple(first.values()), loaded=frozenset({"basvurular"}),
                   sources=("iş deposu",))


def _stamp(path: Path) -> tuple:
    """What tells a changed staff file (or folder of them): names, sizes and times."""
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


_LOADED: dict[tuple, History] = {}


def _staff_files(files: tuple[Path, ...]) -> History:
    """The staff's history files, parsed once per worker and again only when one changes: a
    worker screens package after package, and the files may hold an agency's whole history."""
    key = tuple(_stamp(Path(f)) for f in files)
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load_history(files)
    return _LOADED[key]


def configured_history(store: JobStore | None = None) -> History | None:
    """The history the service is configured with; None when neither source is on (the history
    rules are then noted in the report as not checked, D32)."""
    files = settings.history_files()
    use_store = store is not None and settings.history_from_store()
    if not files and not use_store:
        return None
    history = _staff_files(tuple(files)) if files else History()
    if use_store:
        assert store is not None
        history = history.merged(store_history(store))
    return history
