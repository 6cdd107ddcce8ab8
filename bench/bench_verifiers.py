"""Bench of the document readers on a generated corpus with ground truth (not a test).

Per-field precision and recall for amounts, dates, VKN/TCKN and names, on text PDFs and on
scans read by OCR; text-layer pages per second; seconds per scanned page.

    .venv/bin/python bench/bench_verifiers.py [--docs 8] [--scans 3]

--docs is per layout and kind for text PDFs; --scans per layout and kind for scans.
A precision below 1.0 means wrong values were read, which is worse than missing ones.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evrak.text import fold, name_key, same_company
from testing import docfactory as dfx
from verifiers.document import read_document
from verifiers.ocr import default_lang
from verifiers.text import read_pdf


def _same_name(a, b) -> bool:
    return a is not None and name_key(a) == name_key(b)


def _same_firm(a, b) -> bool:
    return a is not None and same_company(a, b) and name_key(a)[:2] == name_key(b)[:2]


class Score:
    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.wrong: dict[str, int] = defaultdict(int)
        self.total: dict[str, int] = defaultdict(int)

    def add(self, group: str, truth, got, same=lambda a, b: a == b) -> None:
        if truth is None:
            if got is not None:
                self.wrong[group] += 1
            return
        self.total[group] += 1
        if got is None:
            return
        if same(got, truth):
            self.tp[group] += 1
        else:
            self.wrong[group] += 1

    def rows(self) -> list[tuple[str, float, float, int, int]]:
        out = []
        for g in ("amounts", "dates", "ids", "names"):
            tp, wrong, total = self.tp[g], self.wrong[g], self.total[g]
            precision = tp / (tp + wrong) if tp + wrong else 1.0
            recall = tp / total if total else 1.0
            out.append((g, precision, recall, wrong, total))
        return out


def score_proforma(s: Score, f, t: dfx.ProformaTruth) -> None:
    s.add("amounts", t.net, f.net_total)
    s.add("amounts", t.kdv_total, f.kdv_total)
    s.add("amounts", t.total, f.grand_total)
    got_lines = {ln.amount for ln in f.lines}
    for ln in t.lines:
        s.add("amounts", ln.amount, ln.amount if ln.amount in got_lines else None)
    s.add("dates", t.issued_on, f.issued_on)
    s.add("dates", t.valid_until, f.valid_until)
    s.add("ids", t.supplier_id, f.supplier_id)
    s.add("ids", t.buyer_vkn, f.buyer_id)
    s.add("names", t.supplier, f.supplier, lambda a, b: _same_firm(a, b) or _same_name(a, b))
    s.add("names", t.buyer, f.buyer, _same_firm)


def score_circular(s: Score, c, t: dfx.CircularTruth) -> None:
    s.add("ids", t.vkn, c.vkn)
    s.add("dates", t.issued_on, c.issued_on)
    s.add("names", t.company, c.company, _same_firm)
    by_tckn = {p.tckn: p for p in c.persons if p.tckn}
    for q in t.persons:
        p = by_tckn.get(q.tckn)
        if p is None:  # matched by name when the TCKN was not read
            p = next((x for x in c.persons if _same_name(x.name, q.name)), None)
        s.add("ids", q.tckn, p.tckn if p else None)
        s.add("names", q.name, p.name if p else None, _same_name)
        s.add("dates", q.valid_until, p.valid_until if p else None)
        s.add("amounts", q.limit, p.limit if p else None)


def score_kub(s: Score, f, t: dfx.KubTruth) -> None:
    s.add("amounts", t.amount, f.amount)
    s.add("dates", t.issued_on, f.issued_on)
    s.add("ids", t.vkn, f.vkn)
    s.add("names", t.company, f.company, _same_firm)
    s.add("names", t.bank, f.bank, lambda a, b: fold(a) == fold(b))


def corpus(n: int, seed: int):
    rng = random.Random(seed)
    for i in range(n):
        for layout in dfx.PROFORMA_LAYOUTS:
            rates = (20, 10) if i % 3 == 1 else ((18,) if i % 5 == 4 else (20,))
            issued = None
            if rates == (18,):
                issued = dfx.date(2023, 1, 2) + dfx.timedelta(days=rng.randint(0, 180))
            t = dfx.make_proforma_truth(rng, rates=rates, issued_on=issued, sole_trader=i % 4 == 3)
            yield "proforma", layout, t, dfx.proforma_pdf(t, layout)
        for layout in dfx.CIRCULAR_LAYOUTS:
            t = dfx.make_circular_truth(rng)
            yield "imza_sirkuleri", layout, t, dfx.circular_pdf(t, layout)
        for layout in dfx.KUB_LAYOUTS:
            t = dfx.make_kub_truth(rng, receipt=i % 5 == 2, negative=i % 7 == 3)
            yield "kredi_uygunluk_belgesi", layout, t, dfx.kub_pdf(t, layout)


SCORERS = {"proforma": score_proforma, "imza_sirkuleri": score_circular, "kredi_uygunluk_belgesi": score_kub}


def run(docs: int, scans: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="evrak-bench-"))
    text_score, scan_score = Score(), Score()
    kind_ok = kind_total = 0
    text_pages = 0
    text_time = 0.0
    full_time = 0.0
    items = list(corpus(docs, 1))
    for i, (kind, _layout, truth, pdf) in enumerate(items):
        path = tmp / f"d{i}.pdf"
        path.write_bytes(pdf)
        t0 = time.perf_counter()
        tr = read_pdf(path, ocr=False)
        text_time += time.perf_counter() - t0
        text_pages += len(tr.pages)
        t0 = time.perf_counter()
        res = read_document(path)
        full_time += time.perf_counter() - t0
        kind_total += 1
        kind_ok += res.kind == kind
        if res.facts is not None and res.kind == kind:
            SCORERS[kind](text_score, res.facts, truth)
    scan_items = list(corpus(scans, 2))
    scan_pages = 0
    scan_time = 0.0
    for i, (kind, _layout, truth, pdf) in enumerate(scan_items):
        path = tmp / f"s{i}.pdf"
        path.write_bytes(dfx.scan(pdf, angle=random.Random(i).uniform(-1.5, 1.5), seed=i))
        t0 = time.perf_counter()
        res = read_document(path)
        scan_time += time.perf_counter() - t0
        scan_pages += len(res.pages)
        if res.facts is not None and res.kind == kind:
            SCORERS[kind](scan_score, res.facts, truth)
        elif res.facts is None:
            SCORERS[kind](scan_score, _empty(kind), truth)
    print(f"Corpus: {len(items)} text PDFs ({text_pages} pages), {len(scan_items)} scans ({scan_pages} pages)")
    print(f"Kind detection on text PDFs: {kind_ok}/{kind_total}")
    print(f"Text layer only: {text_pages / text_time:.0f} pages/s; "
          f"full read_document on text PDFs: {text_pages / full_time:.0f} pages/s")
    print(f"Scans (render 300 dpi + deskew + Tesseract {default_lang()} + parse): "
          f"{scan_time / max(1, scan_pages):.2f} s/page")
    for title, sc in (("text PDFs", text_score), ("scans (OCR)", scan_score)):
        print(f"\n{title}: field group  precision  recall  wrong/total")
        for g, p, r, wrong, total in sc.rows():
            print(f"  {g:<8} {p:9.3f} {r:7.3f}   {wrong}/{total}")


def _empty(kind: str):
    from evrak.facts import SignatureCircular
    from verifiers.invoice import InvoiceFacts
    from verifiers.kub import CreditLetterFacts
    return {"proforma": InvoiceFacts(kind="proforma"), "imza_sirkuleri": SignatureCircular(),
            "kredi_uygunluk_belgesi": CreditLetterFacts()}[kind]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=8)
    ap.add_argument("--scans", type=int, default=3)
    args = ap.parse_args()
    run(args.docs, args.scans)


if __name__ == "__main__":
    main()
