"""Bench of the document readers on the independent corpus (testing/corpus), not a test.

Per kind and per field: precision (no wrong values) and recall, on text PDFs and on their
degraded scans; kind detection; pages per second through the readers on text; seconds per
scanned page (rasterise + OCR + parse).

    .venv/bin/python bench/bench_readers.py [--per-layout 3] [--scans 1] [--examples] [--seed 11]

--scans is documents per layout for the scan pass (0 to skip; each costs OCR time). --seed
picks the corpus: text documents from that seed, scans from the next one (11 and 12 by
default); another seed is a held-out check (the readers were tuned on none of them).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from evrak.text import clean
from testing.corpus import generate
from testing.corpus.score import Score
from verifiers import document
from verifiers.document import read_document
from verifiers.ocr import default_lang as ocr_lang
from verifiers.text import TextResult, read_pdf


def cer(reference: str, hypothesis: str) -> tuple[int, int, int]:
    """(edits in reading order, edits with each reference line aligned to its best matching
    stretch of an OCR line, reference characters). The second discounts reading-order and
    line-merging differences (psm 4 joins a left and a right column on the same height),
    which are layout, not recognition errors."""
    ref = [ln.strip() for ln in reference.splitlines() if ln.strip()]
    hyp = [ln.strip() for ln in hypothesis.splitlines() if ln.strip()]
    flat = Levenshtein.distance(" ".join(ref), " ".join(hyp))
    aligned = 0
    for r in ref:
        best = len(r)
        for h in hyp:
            if len(h) > len(r):
                al = fuzz.partial_ratio_alignment(r, h)
                h = h[al.dest_start:al.dest_end]
            best = min(best, Levenshtein.distance(r, h))
        aligned += best
    return flat, aligned, len(" ".join(ref))


def run(per_layout: int, scans: int, examples: bool, kinds: tuple[str, ...] | None = None,
        seed: int = 11) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="evrak-readers-"))
    text, scan = Score(), Score()
    pages = 0
    spent = 0.0
    docs = list(generate(per_layout, seed=seed, kinds=kinds))
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
        print("Missed values (text; ids, dates, names):\n" + text.missed_examples(("ids", "dates", "names")))
    if scans:
        sdocs = list(generate(scans, seed=seed + 1, kinds=kinds))
        spages, sspent, cpu = 0, 0.0, 0.0
        edits = aligned = chars = 0
        per_kind: dict[str, list[int]] = {}
        seen: list[TextResult] = []
        original = document.read_text

        def recording(path: Path, name: str):  # keep the OCR text read_document saw, for the CER
            out = original(path, name)
            seen.append(out[0])
            return out

        document.read_text = recording
        try:
            for d in sdocs:
                path = tmp / f"{d.name}-scan.pdf"
                path.write_bytes(d.scan())
                t0 = time.perf_counter()
                res = read_document(path, d.kind)
                sspent += time.perf_counter() - t0
                spages += len(res.pages)
                cpu += sum(p.get("ocr_cpu_s", 0.0) for p in res.pages)
                scan.kind_ok[d.kind] += 1
                scan.document(d.kind, res.facts, d.truth, d.name)
                truth_text = "\n".join(p.text for p in read_pdf(path.with_suffix(".orig.pdf"), data=d.pdf).pages)
                e, a, c = cer(clean(truth_text), "\n".join(p.text for p in seen[-1].pages))
                edits, aligned, chars = edits + e, aligned + a, chars + c
                k = per_kind.setdefault(d.kind, [0, 0])
                k[0], k[1] = k[0] + a, k[1] + c
        finally:
            document.read_text = original
        print(f"\nScans: {len(sdocs)} documents, {spages} pages; {sspent / max(1, spages):.2f} s/page wall "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), "
              f"{cpu / max(1, spages):.2f} CPU-s/page in the OCR workers (render/decode + deskew + Tesseract)")
        print(f"Character error rate: {edits / max(1, chars):.3%} in reading order, {aligned / max(1, chars):.3%} "
              f"line-aligned ({chars} reference characters; OCR language {ocr_lang()})")
        print("  line-aligned per kind: " + ", ".join(f"{k} {a / max(1, c):.1%}" for k, (a, c) in per_kind.items()))
        print(scan.table("Scans (kind given):"))
        if examples:
            print("Wrong values (scans):\n" + scan.wrong_examples())
            print("Missed values (scans; ids, dates, names):\n" + scan.missed_examples(("ids", "dates", "names")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-layout", type=int, default=3)
    ap.add_argument("--scans", type=int, default=1)
    ap.add_argument("--examples", action="store_true")
    ap.add_argument("--kinds", help="comma-separated kinds (default: all)")
    ap.add_argument("--seed", type=int, default=11, help="corpus seed of the text pass; scans use seed + 1")
    a = ap.parse_args()
    run(a.per_layout, a.scans, a.examples, tuple(a.kinds.split(",")) if a.kinds else None, a.seed)


if __name__ == "__main__":
    main()
