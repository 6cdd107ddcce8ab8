"""Benchmark (not a test): 300 contracts from a KAYS export, DOCX and PDF/A, vs the naive way.

Measured in one run on this machine:
- DOCX only: `run_batch` over 300 rows (render in worker processes);
- PDF: `run_batch --pdf` over 300 rows through the warm LibreOffice pool;
- naive: render + a cold `soffice --convert-to pdf` per document (fresh profile each time,
  as a script would do), on a sample of 10 of the same documents, as a rate;
- memory: peak RSS of the batch process for 100 and for 300 rows (each in a fresh process),
  to show it stays flat as the export grows.

Run:  .venv/bin/python bench/bench_docgen.py [--rows 300] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = sys.executable


def _batch_in_child(xlsx: Path, out: Path, pdf: bool, workers: int) -> dict:
    code = f"""
import json, resource, time, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from docgen.batch import run_batch
t = time.perf_counter()
res = run_batch("destek_sozlesmesi", Path({str(xlsx)!r}), "tr63-2023-makine", Path({str(out)!r}),
                pdf={pdf}, workers={workers}, doc_date=date(2023, 4, 28))
dt = time.perf_counter() - t
print(json.dumps({{"done": res.done, "errors": len(res.errors), "seconds": dt,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out_text = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out_text.strip().splitlines()[-1])


def naive(sample: list[Path], out: Path) -> float:
    """Seconds per document: render (already timed apart) + cold soffice per document."""
    from docgen.pdf import cold_convert

    t = time.perf_counter()
    for p in sample:
        cold_convert(p, out)
    return (time.perf_counter() - t) / len(sample)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=300)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="evrak-bench-"))
    subprocess.run([PY, str(ROOT / "scripts" / "build_kays_samples.py"), "--rows", str(args.rows),
                    "--out", str(work), "--name", "big"], check=True, capture_output=True)
    subprocess.run([PY, str(ROOT / "scripts" / "build_kays_samples.py"), "--rows", "100",
                    "--out", str(work), "--name", "small"], check=True, capture_output=True)
    big, small = work / "big.xlsx", work / "small.xlsx"
    report: dict = {"rows": args.rows, "workers": args.workers, "cpus": os.cpu_count()}

    r = _batch_in_child(big, work / "docx", pdf=False, workers=args.workers)
    report["docx"] = {**r, "per_s": round(r["done"] / r["seconds"], 1)}
    print("DOCX:", report["docx"], flush=True)

    r = _batch_in_child(big, work / "pdf", pdf=True, workers=args.workers)
    report["pdf"] = {**r, "per_s": round(r["done"] / r["seconds"], 2)}
    print("PDF :", report["pdf"], flush=True)

    r100 = _batch_in_child(small, work / "pdf100", pdf=True, workers=args.workers)
    report["rss_mb"] = {"100": round(r100["peak_rss_mb"], 1), str(args.rows): round(report["pdf"]["peak_rss_mb"], 1)}
    print("RSS :", report["rss_mb"], flush=True)

    # naive: render one DOCX (timed) + cold soffice per document, on 10 of the same documents
    sample = sorted((work / "docx").glob("*.docx"))[:10]
    render_s = report["docx"]["seconds"] / max(1, report["docx"]["done"]) * args.workers  # single-process
    cold_s = naive(sample, work / "naive")
    per_doc = render_s + cold_s
    report["naive"] = {"sample": len(sample), "seconds_per_doc": round(per_doc, 3),
                       "per_s": round(1 / per_doc, 2)}
    report["speedup_pdf_vs_naive"] = round(report["pdf"]["per_s"] / report["naive"]["per_s"], 1)
    print("NAIVE:", report["naive"], "speed-up:", report["speedup_pdf_vs_naive"], flush=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"date: {date.today().isoformat()}  work dir: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
