"""The fuzz runner: a child process that feeds inputs to evrak one by one and reports on a pipe.

`python -m tests.fuzz.runner JOBS.json FIRST OUTBOX REPORT_FD`: runs the inputs of JOBS.json
from index FIRST on, in this process (imports are paid once), writing one JSON line per
event to file descriptor REPORT_FD (so whatever the code under test prints cannot be taken
for a report): {"start": i} before an input, then {"done": i, "outcome": ..., ...}.

An outcome is "ok" (facts, findings, a report) or "user_error" (evrak.errors.UserError: one
Turkish line, exit 2 at the CLI). Any other exception is "exception", with its traceback.
The parent (tests/fuzz/harness.py) sets RLIMIT_AS and kills the runner when one input
takes longer than its time limit, then starts a new runner after that input.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
import warnings
from pathlib import Path

from evrak.errors import UserError
from evrak.manifest import load_manifest
from verifiers.document import read_document
from worker.pipeline import process_package


def run_one(kind: str, path: Path, outbox: Path) -> str:
    """Feed one input to the part of evrak that reads it; returns a short description."""
    if kind == "manifest":
        m = load_manifest(path)
        return f"manifest {m.application_no}"
    if kind == "zip":
        r = process_package(path, outbox, pdf=False)
        return f"package {r.verdict} {sum(r.counts.values())} findings"
    res = read_document(path)
    return f"document {res.kind} {len(res.findings)} findings"


def main() -> int:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    first, outbox, fd = int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    report = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
    for i in range(first, len(jobs)):
        job = jobs[i]
        report.write(json.dumps({"start": i}) + "\n")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.monotonic()
        event: dict = {"done": i}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                event["detail"] = run_one(job["kind"], Path(job["path"]), outbox)
                event["outcome"] = "ok"
            except UserError as exc:
                event["outcome"], event["detail"] = "user_error", str(exc)[:300]
            except Exception as exc:  # what the fuzz run is looking for
                event["outcome"], event["detail"] = "exception", f"{type(exc).__name__}: {exc}"[:500]
                event["traceback"] = traceback.format_exc()[-4000:]
        event["seconds"] = round(time.monotonic() - t0, 2)
        event["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        event["rss_grew_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) // 1024
        event["warnings"] = sorted({f"{w.category.__name__}: {str(w.message)[:120]}" for w in caught
                                    if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))})
        report.write(json.dumps(event, ensure_ascii=False) + "\n")
    report.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
