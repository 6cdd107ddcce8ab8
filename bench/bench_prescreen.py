"""Pre-screening speed, as whole runs (not a test).

1. A typical package: the valid TR63 sample with its financial statements and business
   plan grown to ~40 text pages in all, one signed taahhütname; median of several runs,
   report.json only and with report.pdf + letter.
2. A folder of N such packages: 2 worker processes against one after another, same run.

    .venv/bin/python bench/bench_prescreen.py [--packages 100]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testing import docfactory as df  # noqa: E402
from worker.pipeline import process_package  # noqa: E402

VALID = ROOT / "samples" / "packages" / "tr63-2023-makine" / "gecerli"
TRUST = ROOT / "samples" / "trust"


def typical_package(dest: Path) -> Path:
    shutil.copytree(VALID, dest)
    long_text = " ".join(["Vergi dairesince onaylanmış bilanço kalemleri ve açıklamaları."] * 40)
    blocks = [("p", "BİLANÇO VE GELİR TABLOSU", 15, True, 1), ("p", "Tarih: 12.01.2023", 10, False, 2)]
    blocks += [("p", long_text, 10, False, 0)] * 60  # ~28 pages
    (dest / "mali-tablolar.pdf").write_bytes(df.render(blocks))
    pages = sum(_pages(p) for p in dest.glob("*.pdf"))
    docs = len(list(dest.glob("*.pdf")))
    print(f"tipik paket: {docs} belge, {pages} sayfa")
    return dest


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        with pdfium.PdfDocument(str(path)) as pdf:
            return len(pdf)
    except pdfium.PdfiumError:
        return 0


def _run(args: tuple[str, str, bool]) -> float:
    pkg, out, pdf = args
    t = time.perf_counter()
    process_package(Path(pkg), Path(out), trust_dir=TRUST, pdf=pdf)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        pkg = typical_package(tmpd / "pkg")
        _run((str(pkg), str(tmpd / "warm"), False))  # imports, caches
        for pdf in (False, True):
            times = [_run((str(pkg), str(tmpd / f"o{i}"), pdf)) for i in range(args.repeat)]
            label = "report.json + report.pdf + mektup" if pdf else "report.json + report.html"
            print(f"tek paket ({label}): medyan {statistics.median(times):.2f} sn, en kötü {max(times):.2f} sn")

        n = args.packages
        jobs = [(str(pkg), str(tmpd / f"seq{i}"), False) for i in range(n)]
        t = time.perf_counter()
        for j in jobs:
            _run(j)
        seq = time.perf_counter() - t
        jobs = [(str(pkg), str(tmpd / f"par{i}"), False) for i in range(n)]
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as ex:
            list(ex.map(_run, jobs))
        par = time.perf_counter() - t
        print(f"{n} paket sırayla: {seq:.1f} sn ({n / seq:.2f} paket/sn)")
        print(f"{n} paket 2 süreçte: {par:.1f} sn ({n / par:.2f} paket/sn), {seq / par:.2f}x")


if __name__ == "__main__":
    main()
