"""Taking a package in: hash, duplicate check, job row, move (or copy) to work/<id>/, queue.

The row is written before the package leaves the inbox, so at every instant the package
is either in the inbox or accounted for by a job; an intake interrupted after the row was
written is resumed (not doubled) when the watcher sees the same inbox path again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from verifiers.package import sha256_of
from worker.layout import Layout, copy_in, move, move_onto, reserve, write_note
from worker.producer import enqueue
from worker.store import DONE, DUPLICATE, JobInfo, JobStore, get_store

log = logging.getLogger("evrak.intake")


@dataclass
class Intake:
    job: JobInfo
    duplicate_of: JobInfo | None = None
    queued: bool = False


def duplicate_note(path_name: str, first: JobInfo, sha: str) -> str:
    where = ", ".join(first.outputs[:1]) if first.state == DONE and first.outputs else first.state
    return "\n".join([
        f"Yinelenen paket: {path_name}",
        f"Aynı içerik (SHA-256 {sha}) daha önce iş {first.id} olarak alındı "
        f"({first.input_name}; durum: {first.state}).",
        f"Sonuç: {where}",
        "Paket yeniden işlenmedi. Yeniden işlenmesi isteniyorsa içeriği değiştirin "
        "ya da önceki iş başarısız olduktan sonra gönderin.",
    ])


def take(path: Path, layout: Layout, *, kind: str = "prescreen", copy: bool = False,
         sha256: str | None = None, params: dict | None = None,
         store: JobStore | None = None) -> Intake:
    """Record `path` as a job and queue it. copy=True leaves `path` where it is (evrak submit).

    A package whose SHA-256 matches a live or done job becomes a `duplicate` row: moved to
    failed/ with a note (or, for a copy, only recorded) and not processed.
    """
    store = store or get_store()
    path = Path(path)
    sha = sha256 or sha256_of(path)
    job = None if copy else store.find_received(str(path))
    if job is None:
        first = store.find_by_sha(sha, kind=kind)
        if first is not None:
            return _duplicate(path, layout, first, sha, kind=kind, copy=copy, store=store)
        job = store.create(kind=kind, input_name=path.name, input_path=str(path), input_sha256=sha,
                           base_dir=str(layout.base),
                           params={"source": "submit" if copy else "watch", **(params or {})})
    else:
        log.info("yarım kalan alım sürdürülüyor: iş %s (%s)", job.id, path.name)
    dest = layout.work_dir(job.id) / job.input_name
    if not dest.exists():
        copy_in(path, dest) if copy else move(path, dest)
    store.mark_queued(job.id, input_path=str(dest))
    queued = enqueue(job.id)
    log.info("alındı: %s -> iş %s", path.name, job.id)
    return Intake(store.get(job.id) or job, queued=queued)


def _duplicate(path: Path, layout: Layout, first: JobInfo, sha: str, *, kind: str, copy: bool,
               store: JobStore) -> Intake:
    note = duplicate_note(path.name, first, sha)
    job = store.create(kind=kind, input_name=path.name, input_path=str(path), input_sha256=sha,
                       base_dir=str(layout.base), state=DUPLICATE, duplicate_of=first.id,
                       error=f"yinelenen paket: iş {first.id} ile aynı içerik",
                       params={"source": "submit" if copy else "watch"})
    if not copy:
        target = reserve(layout.failed, path.name, job.id, is_dir=path.is_dir())
        store.set_input_path(job.id, str(target))
        move_onto(path, target)
        write_note(layout.failed, target.name, note)
    log.warning("yinelenen paket %s: iş %s ile aynı", path.name, first.id)
    return Intake(store.get(job.id) or job, duplicate_of=first)
