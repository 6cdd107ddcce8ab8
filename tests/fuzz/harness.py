"""Run fuzz inputs through tests/fuzz/runner.py in a child process with hard limits.

RLIMIT_DATA (2 GB by default: heap and private anonymous mappings, i.e. what an input can
make the process allocate, for its children too) bounds the child's memory: an input that
needs more ends in MemoryError (reported as an exception) or kills the runner (reported as
"crashed"). Not RLIMIT_AS: the e-Fatura validator (efatura-kontrol, a GraalVM native image
loaded in-process) reserves more than 16 GB of address space when it starts and aborts the
whole process under any smaller RLIMIT_AS ("graal_create_isolate error", exit 2), although
it uses ~200 MB. Peak RSS is reported per input as well. A
watchdog kills the runner when one input runs past `limit_s` (reported as "hang"). Either
way a new runner carries on with the next input, so one bad input costs one result.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GB = 1 << 30


def _limits(mem_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (mem_bytes, mem_bytes))
    os.setsid()  # its own group: a hang is killed with whatever it started (tesseract ...)


def run_all(jobs: list[dict], work: Path, *, limit_s: float = 60.0, mem_bytes: int = 2 * GB) -> list[dict]:
    """One result dict per job: outcome ok | user_error | exception | hang | crashed."""
    work.mkdir(parents=True, exist_ok=True)
    jobs_file = work / "jobs.json"
    jobs_file.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    results: dict[int, dict] = {}
    nxt = 0
    while nxt < len(jobs):
        r, w = os.pipe()
        log = (work / f"runner-{nxt:04d}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.runner", str(jobs_file), str(nxt), str(work / "outbox"), str(w)],
            cwd=REPO, pass_fds=(w,), stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=lambda: _limits(mem_bytes), env={**os.environ, "EVRAK_HOME": str(work / "home")})
        os.close(w)
        current, started, buf = None, time.monotonic(), b""
        startup_s = max(limit_s, 120.0)  # imports on a loaded machine
        while True:
            wait = (started + (limit_s if current is not None else startup_s)) - time.monotonic()
            ready, _, _ = select.select([r], [], [], max(0.0, wait))
            if not ready:  # the input in hand (or the start-up) ran out of time
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                i = current if current is not None else nxt
                results[i] = {"done": i, "outcome": "hang", "detail": f"> {limit_s:g} s"}
                nxt = i + 1
                break
            chunk = os.read(r, 65536)
            if not chunk:  # the runner ended: finished, or died (memory, signal)
                code = proc.wait()
                if current is not None and current not in results:
                    results[current] = {"done": current, "outcome": "crashed",
                                        "detail": f"runner exited {code} (signal or memory limit)"}
                    nxt = current + 1
                else:
                    nxt = len(jobs) if not results else max(results) + 1
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                event = json.loads(line)
                if "start" in event:
                    current, started = event["start"], time.monotonic()
                else:
                    results[event["done"]] = event
                    current = None
                    started = time.monotonic()
        os.close(r)
        log.close()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything the runner left behind
        except ProcessLookupError:
            pass
    out = []
    for i, job in enumerate(jobs):
        res = results.get(i, {"outcome": "missing", "detail": "no result"})
        out.append({**job, **res})
    return out
