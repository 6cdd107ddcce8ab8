"""Letters that follow a result: acceptance lists the contract-stage documents of the guide."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docgen.check import docx_text
from docgen.context import Application, build_context
from docgen.render import render_document
from evrak.manifest import load_manifest
from evrak.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]


def test_acceptance_letter_lists_k1_to_k7_with_15_business_days(tmp_path):
    """002 L938-948: K1-K7 within 15 iş günü of the announcement of results."""
    program = load_profile("tr63-2023-makine")
    manifest = load_manifest(ROOT / "samples" / "packages" / "tr63-2023-makine" / "gecerli")
    ctx = build_context("sonuc_yazisi", program, Application.from_manifest(manifest), doc_date=date(2023, 3, 20),
                        result="accepted")
    text = docx_text(render_document("sonuc_yazisi", ctx, tmp_path).docx.read_bytes())
    for code in ("K1", "K2", "K3", "K4", "K5", "K6", "K7"):
        assert code in text
    assert "Çifte Finansman Olmadığına Dair Taahhütname" in text
    # 21-24 Mart (4), 27-31 Mart (5), 3-7 Nisan (5), 10 Nisan: the 15th business day
    assert "10 Nisan 2023 saat 17:00" in text
    assert "yalnız bir milyon üç yüz bin Türk lirası sıfır kuruş" in text
