"""Bench of the document readers on the independent corpus (testing/corpus), not a test.

Per kind and per field: precision (no wrong values) and recall, on text PDFs and on their
degraded scans; kind detection; pages per second through the readers on text; seconds per
scanned page (rasterise + OCR + parse).

    .venv/bin/python bench/bench_readers.py [--per-layout 3] [--scans 1] [--examples]

--scans is documents per layout for the scan pass (0 to skip; each costs OCR time).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testing.corpus import generate
from testing.corpus.score import Score
from verifiers.document import read_document


def run(per_layout: int, scans: int, examples: bool) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="evrak-readers-"))
    text, scan = Score(), Score()
    pages = 0
    spent = 0.0
    docs = list(generate(per_layout, seed=11))
    for d in docs:
        path = tmp / f"{d.name}.pdf"
        path.write_bytes(d.pdf)
        t0 = time.perf_counter()
        detected = read_document(path)
        res = read_document(path, d.kind)
        spent += time.perf_counter() - t0
        pages += len(res.pages)
        text.kind_ok[d.kind] += detected.kind == d.kind
        text.document(d.kind, res.facts, d.truth, d.name)
    print(f"Text corpus: {len(docs)} documents, {pages} pages; "
          f"{2 * pages / spent:.0f} pages/s through read_document (kind detected + given)")
    print("Kind detection (text): " + ", ".join(f"{k} {text.kind_ok[k]}/{n}" for k, n in text.docs.items()))
    print(text.table("\nText PDFs (kind given, as the manifest names it):"))
    if examples:
        print("Wrong values (text):\n" + text.wrong_examples())
    if scans:
        sdocs = list(generate(scans, seed=12))
        spages, sspent = 0, 0.0
        for d in sdocs:
            path = tmp / f"{d.name}-scan.pdf"
            path.write_bytes(d.scan())
            t0 = time.perf_counter()
            res = read_document(path, d.kind)
            sspent += time.perf_counter() - t0
            spages += len(res.pages)
            scan.kind_ok[d.kind] += 1
            scan.document(d.kind, res.facts, d.truth, d.name)
        print(f"\nScans: {len(sdocs)} documents, {spages} pages, {sspent / max(1, spages):.2f} s/page "
              "(rasterise 300 dpi + deskew + OCR + parse)")
        print(scan.table("Scans (kind given):"))
        if examples:
            print("Wrong values (scans):\n" + scan.wrong_examples())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-layout", type=int, default=3)
    ap.add_argument("--scans", type=int, default=1)
    ap.add_argument("--examples", action="store_true")
    a = ap.parse_args()
    run(a.per_layout, a.scans, a.examples)


if __name__ == "__main__":
    main()
