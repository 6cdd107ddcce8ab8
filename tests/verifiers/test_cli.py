"""`evrak verify`: facts and findings as text and JSON; user errors exit 2 with one line."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from testing import docfactory as dfx
from tests.verifiers.helpers import write
from worker.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_verify_json(tmp_path, capsys):
    t = dfx.make_proforma_truth(random.Random(51))
    path = write(tmp_path, "teklif.pdf", dfx.proforma_pdf(t, "tablo", show_total=t.total + 10))
    assert main(["verify", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "proforma"
    assert out["facts"]["grand_total"] == str(t.total + 10)
    assert out["facts"]["evidence"]["grand_total"]["page"] == 1
    assert [f["rule"] for f in out["findings"]] == ["PROFORMA_ARITHMETIC"]


def test_verify_text_is_turkish(tmp_path, capsys):
    t = dfx.make_circular_truth(random.Random(52))
    path = write(tmp_path, "imza.pdf", dfx.circular_pdf(t, "liste"))
    assert main(["verify", str(path), "--kind", "imza_sirkuleri"]) == 0
    out = capsys.readouterr().out
    assert "yetkililer:" in out and t.persons[0].tckn in out and "Bulgu yok." in out


@pytest.mark.slow  # OCR or a real evrak process
def test_missing_file_exit_2_one_line():
    proc = subprocess.run([sys.executable, "-m", "worker.cli", "verify", "/yok/belge.pdf"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "dosya bulunamadı" in proc.stderr and "/yok/belge.pdf" in proc.stderr


def test_unknown_kind_exit_2(tmp_path, capsys):
    path = write(tmp_path, "a.pdf", dfx.encrypted_pdf())
    assert main(["verify", str(path), "--kind", "fatura_sey"]) == 2
    assert "bilinmeyen belge türü" in capsys.readouterr().err


def test_signed_file_without_verifier_or_trust_is_noted(tmp_path, capsys):
    path = write(tmp_path, "belge.pdf.imz", b"\x30\x03\x02\x01\x01")
    trust = tmp_path / "trust"
    trust.mkdir()
    code = main(["verify", str(path), "--json", "--trust", str(trust)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [f["rule"] for f in out["findings"]] == ["DOC_UNREADABLE"]
    assert "signature" in out or "signature_note" in out
