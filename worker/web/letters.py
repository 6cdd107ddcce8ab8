"""The letter the (decided) verdict calls for, rendered through worker.documents_out.

The pipeline writes the machine's letter; once a person has decided a finding, the
verdict may change (review -> reject, say) and the letter must follow it. We do not
render letters ourselves: documents_out.letter_for picks and fills the letter (D30,
D31), we only hand it the decided report and the package's manifest, and keep the
result under EVRAK_HOME/web/letters/<job>/<digest of what the letter says>/, so the same
decisions give the same file and a new decision a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from evrak.errors import UserError
from verifiers.package import open_package
from worker import documents_out
from worker.store import JobInfo
from worker.web import reports

_LOCK = threading.Lock()


def letter_kind(report: dict[str, Any]) -> str | None:
    """The letter the assessment chose (evrak.assessment: D30, D31); None when none is sent."""
    return (report.get("letter") or {}).get("template")


def _digest(report: dict[str, Any]) -> str:
    """What the letter says, as the assessment hashed it: same decisions, same letter."""
    return (report.get("letter") or {}).get("digest") or hashlib.sha256(
        json.dumps(report.get("reasons"), sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _plain(report: dict[str, Any]) -> dict[str, Any]:
    """The decided report as documents_out expects it: overruled findings left out."""
    data = dict(report)
    data["findings"] = [
        {k: v for k, v in f.items() if k not in ("decision", "key", "machine_severity")}
        for f in report.get("findings", [])
        if f.get("decision") is None or f["decision"].action != "overrule"
    ]
    return data


def letter(web_dir: Path, job: JobInfo, report: dict[str, Any]) -> Path | None:
    """The letter's DOCX for this (decided) report, rendered once; None if none is called for."""
    if letter_kind(report) is None:
        return None
    if not report.get("decided"):
        made = [p for p in reports.letter_outputs(job) if p.suffix == ".docx"]
        if made:
            return made[0]
    folder = web_dir / "letters" / job.id / _digest(report)
    with _LOCK:
        existing = sorted(folder.glob("*.docx")) if folder.is_dir() else []
        if existing:
            return existing[0]
        view = reports.package(web_dir, job)
        tmp = folder.with_name(f".{folder.name}-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            with open_package(view.root) as pkg:
                written = documents_out.letter_for(_plain(report), pkg.manifest, tmp, pdf=False)
        except UserError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if not written:
            shutil.rmtree(tmp, ignore_errors=True)
            return None
        if folder.exists():
            shutil.rmtree(folder)
        os.rename(tmp, folder)
        docx = sorted(folder.glob("*.docx"))
        return docx[0] if docx else None


def issue(web_dir: Path, job: JobInfo, report: dict[str, Any], *, pdf: bool) -> list[Path]:
    """The letter to send now, DOCX and (with LibreOffice) PDF, kept under web/issued/: never replaced.

    Each issued letter gets its own folder, so the letters of an application stay in
    order and exactly as sent, whatever is decided or rendered later (D34).
    """
    if letter_kind(report) is None:
        return []
    view = reports.package(web_dir, job)
    folder = web_dir / "issued" / f"{job.id}-{uuid.uuid4().hex[:8]}"
    tmp = folder.with_name(f".{folder.name}")
    tmp.mkdir(parents=True)
    try:
        with open_package(view.root) as pkg:
            written = documents_out.letter_for(_plain(report), pkg.manifest, tmp, pdf=pdf)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not written:
        shutil.rmtree(tmp, ignore_errors=True)
        return []
    os.rename(tmp, folder)
    return sorted((folder / p.name for p in written), key=lambda p: p.suffix != ".docx")
