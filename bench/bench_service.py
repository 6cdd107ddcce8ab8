"""Throughput of the drop folder (watcher + `evrak worker --concurrency 2`) against running
`evrak prescreen` once per package, one after another, on the same packages in one run.

Packages are copies of samples/packages/<program>/<case>/ (valid and defective, all five
programs), each with its application_no made distinct so every one is a separate job and
a separate outbox folder. PDFs are on (the service default) unless --no-pdf. Not a test:

    .venv/bin/python bench/bench_service.py [--count 200] [--concurrency 2] [--baseline-count N]
        [--db-url postgresql+psycopg://... --broker-url redis://...]

With --db-url/--broker-url the service runs on that (empty) PostgreSQL and Redis instead of
the embedded defaults; tests/service/test_scale_pg.py measures two machines on them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def sample_packages() -> list[Path]:
    found = sorted(p.parent for p in (REPO / "samples" / "packages").glob("*/*/basvuru.yaml"))
    if not found:
        raise SystemExit("samples/packages/ has no packages")
    return found


def distinct_copy(src: Path, dest: Path, n: int) -> None:
    """Copy a sample package and give it its own application no (suffix -B<n>)."""
    shutil.copytree(src, dest)
    yaml = dest / "basvuru.yaml"
    text = yaml.read_text(encoding="utf-8")
    text, k = re.subn(r"^(application_no:\s*)([\"']?)(.+?)\2\s*$",
                      lambda m: f"{m[1]}{m[2]}{m[3]}-B{n:03d}{m[2]}", text, count=1, flags=re.M)
    assert k == 1, src
    yaml.write_text(text, encoding="utf-8")


def run_service(packages: list[Path], root: Path, concurrency: int, env: dict[str, str],
                db_url: str | None = None, broker_url: str | None = None) -> dict:
    from worker.store import JobStore

    home, drop, logs = root / "home", root / "drop", root / "logs"
    logs.mkdir(parents=True)
    env = {**env, "EVRAK_HOME": str(home), "EVRAK_SETTLE_S": "0.5", "EVRAK_SCAN_S": "0.2",
           "EVRAK_BROKER_POLL_S": "0.05"}
    env.pop("EVRAK_DB_URL", None)
    env.pop("EVRAK_BROKER_URL", None)
    if db_url:
        env["EVRAK_DB_URL"] = db_url
    if broker_url:
        env["EVRAK_BROKER_URL"] = broker_url
    procs = []
    for args in (["worker", "--concurrency", str(concurrency)], ["watch", str(drop)]):
        log = (logs / f"{args[0]}.log").open("w")
        procs.append(subprocess.Popen([sys.executable, "-m", "worker.cli", *args], cwd=REPO, env=env,
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        while not (drop / "inbox").is_dir() or "ready" not in (logs / "worker.log").read_text():
            time.sleep(0.2)
        store = JobStore(db_url or f"sqlite:///{home / 'evrak.db'}")
        t0 = time.perf_counter()
        for p in packages:
            os.rename(p, drop / "inbox" / p.name)
        while True:
            states = store.count_by_state()
            if states.get("done", 0) + states.get("failed", 0) >= len(packages):
                break
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        jobs = store.list()
        verdicts = Counter(j.verdict for j in jobs if j.state == "done")
        run_times = sorted((j.finished_at - j.started_at).total_seconds() for j in jobs if j.started_at)
        return {"wall_s": round(wall, 1), "per_s": round(len(packages) / wall, 2), "states": states,
                "verdicts": dict(verdicts), "job_median_s": round(run_times[len(run_times) // 2], 3),
                "outbox_folders": len(list((drop / "outbox").iterdir()))}
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def run_sequential(packages: list[Path], out: Path, env: dict[str, str], pdf: bool) -> dict:
    t0 = time.perf_counter()
    failures = 0
    for p in packages:
        cmd = [sys.executable, "-m", "worker.cli", "prescreen", str(p), "--out", str(out)]
        if not pdf:
            cmd.append("--no-pdf")
        r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        failures += r.returncode not in (0, 1)
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 1), "per_s": round(len(packages) / wall, 2), "failures": failures}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--baseline-count", type=int, help="packages for the sequential run (default: --count)")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--db-url", help="job store (an empty PostgreSQL database); default: SQLite in a temp home")
    ap.add_argument("--broker-url", help="broker (redis://...); default: the embedded filesystem broker")
    args = ap.parse_args()
    samples = sample_packages()
    env = {**os.environ, "EVRAK_TRUST_DIR": str(REPO / "samples" / "trust"),
           "EVRAK_PDF": "0" if args.no_pdf else "1"}
    with tempfile.TemporaryDirectory(prefix="evrak-bench-") as tmp:
        root = Path(tmp)
        svc_pkgs, seq_pkgs = [], []
        for i in range(args.count):
            src = samples[i % len(samples)]
            name = f"{i:03d}-{src.parent.name}-{src.name}"
            distinct_copy(src, root / "svc-src" / name, i)
            svc_pkgs.append(root / "svc-src" / name)
            if i < (args.baseline_count or args.count):
                distinct_copy(src, root / "seq-src" / name, i)
                seq_pkgs.append(root / "seq-src" / name)
        print(f"{args.count} packages from {len(samples)} samples; pdf={'no' if args.no_pdf else 'yes'}; "
              f"cores={os.cpu_count()}", flush=True)
        svc = run_service(svc_pkgs, root / "svc", args.concurrency, env, args.db_url, args.broker_url)
        print(f"drop folder, {args.concurrency} workers: {svc}", flush=True)
        seq = run_sequential(seq_pkgs, root / "seq-out", env, pdf=not args.no_pdf)
        print(f"evrak prescreen one after another ({len(seq_pkgs)} packages): {seq}", flush=True)
        print(json.dumps({"service": svc, "sequential": seq, "count": args.count,
                          "baseline_count": len(seq_pkgs)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
