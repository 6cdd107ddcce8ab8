"""An independent corpus with ground truth for the document readers (issue 11, item 8).

Its own templates and wordings, modelled on how Turkish notaries, VakıfBank branches,
chambers of commerce, suppliers and e-Fatura integrators lay out documents; it shares no
code with testing/docfactory.py (the samples' generator), so the readers cannot have been
tuned to it. Eight layouts per kind; each document as a text PDF and, on request, as a
degraded scan. Ground truth is a JSON-ready dict per document (field -> value as text).

    from testing.corpus import generate
    for doc in generate(per_layout=2, seed=7): doc.pdf, doc.truth, doc.scan()

    python -m testing.corpus OUTDIR [--per-layout N] [--scans]   # writes NAME.pdf + NAME.json
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from testing.corpus.degrade import scanned_image, scanned_pdf
from testing.corpus.invoices import EFATURA, PROFORMA
from testing.corpus.letters import CERTIFICATE, CIRCULAR, KUB

LAYOUTS = {
    "proforma": PROFORMA,
    "e_fatura": EFATURA,
    "imza_sirkuleri": CIRCULAR,
    "kredi_uygunluk_belgesi": KUB,
    "faaliyet_belgesi": CERTIFICATE,
}


@dataclass
class CorpusDoc:
    kind: str
    layout: str
    seed: int
    pdf: bytes
    truth: dict

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.layout}-{self.seed}"

    def scan(self) -> bytes:
        """The same document as an image-only PDF (tilted, blurred, grainy, JPEG-compressed)."""
        return scanned_pdf(self.pdf, self.seed)

    def image(self, fmt: str = "PNG") -> bytes:
        return scanned_image(self.pdf, self.seed, fmt)


def generate(per_layout: int = 1, seed: int = 1, kinds: tuple[str, ...] | None = None) -> Iterator[CorpusDoc]:
    """`per_layout` documents of every layout of every kind; the same seed gives the same bytes."""
    for kind, layouts in LAYOUTS.items():
        if kinds and kind not in kinds:
            continue
        for li, (layout, make) in enumerate(layouts.items()):
            for i in range(per_layout):
                s = seed * 100003 + hash_kind(kind) * 1009 + li * 101 + i
                pdf, truth = make(random.Random(s))
                yield CorpusDoc(kind, layout, s, pdf, {"kind": kind, "layout": layout, **truth})


def hash_kind(kind: str) -> int:
    return sum(ord(c) for c in kind)  # stable across runs (str hash is salted)


def write(out: Path, per_layout: int = 1, seed: int = 1, scans: bool = False) -> int:
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for doc in generate(per_layout, seed):
        (out / f"{doc.name}.pdf").write_bytes(doc.pdf)
        (out / f"{doc.name}.json").write_text(json.dumps(doc.truth, ensure_ascii=False, indent=1), encoding="utf-8")
        if scans:
            (out / f"{doc.name}-tarama.pdf").write_bytes(doc.scan())
        n += 1
    return n
