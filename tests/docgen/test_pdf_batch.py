"""LibreOffice-backed tests (kept few): PDF/A, seal, batch errors and re-runs, pool restart."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from datetime import date

import pytest

from docgen.batch import run_batch
from docgen.context import build_context
from docgen.kays import cell_money
from docgen.render import render_document
from evrak.money import MoneyError
from tests.docgen.conftest import ROOT, SAMPLE_CSV, SAMPLE_XLSX, pdf_text

pytestmark = pytest.mark.slow


def test_contract_pdf_is_pdfa2b_with_embedded_dejavu_and_values(tr63, app_tr63, tmp_path, pool):
    ctx = build_context("destek_sozlesmesi", tr63, app_tr63, doc_date=date(2023, 4, 10))
    r = render_document("destek_sozlesmesi", ctx, tmp_path, pdf=True, pool=pool)
    data = r.pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"<pdfaid:part>2</pdfaid:part>", data)
    assert re.search(rb"<pdfaid:conformance>B</pdfaid:conformance>", data)
    assert b"/CreationDate(D:20230410000000" in data  # pinned to the document date
    text = " ".join(pdf_text(r.pdf).split())
    assert "yalnız iki milyon yüz bin Türk lirası sıfır kuruş" in text
    assert "3 Mayıs 2023 tarihinde başlar" in text
    assert "DOĞU AKDENİZ KALKINMA AJANSI" in text  # dotted capital İ and Ğ survive the PDF
    import subprocess

    fonts = subprocess.run(["pdffonts", str(r.pdf)], capture_output=True, text=True).stdout
    assert "DejaVuSerif" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_sealed_pdf_validates(tr63, app_tr63, tmp_path, pool):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from docgen.seal import SealConfig
    from testing.testpki import TestTSA, build_test_pki

    pki = build_test_pki(tmp_path / "pki")
    with TestTSA(pki) as tsa:
        cfg = SealConfig(pki.agency_seal_p12, pki.p12_password, tsa_url=tsa.url)
        ctx = build_context("sonuc_yazisi", tr63, app_tr63, doc_date=date(2023, 4, 10), result="reserve")
        r = render_document("sonuc_yazisi", ctx, tmp_path / "out", pdf=True, pool=pool, seal=cfg)
    with r.pdf.open("rb") as fh:
        sig = PdfFileReader(fh).embedded_signatures[0]
        vc = ValidationContext(trust_roots=[pki.root_cert], allow_fetching=False,
                               revocation_mode="soft-fail")
        status = validate_pdf_signature(sig, vc)
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert "yedek listede" in " ".join(pdf_text(r.pdf).split())


def test_float_cells_never_decide_the_kurus():
    assert str(cell_money(2100000.0)) == "2100000.00"
    assert str(cell_money(1209000.37)) == "1209000.37"
    with pytest.raises(MoneyError):
        cell_money(1209000.375)
    assert str(cell_money("1.209.000,37")) == "1209000.37"


def test_batch_errors_rerun_and_killed_instance(tmp_path, pool):
    out = tmp_path / "out"
    killed: list[int] = []

    def killer() -> None:  # SIGKILL one soffice as soon as the batch has produced a PDF
        deadline = time.time() + 60
        while time.time() < deadline and not list(out.glob("*.pdf")):
            time.sleep(0.05)
        for pid in pool.workers[0].pids():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    t = threading.Thread(target=killer)
    t.start()
    res = run_batch("destek_sozlesmesi", SAMPLE_XLSX, "tr63-2023-makine", out, pdf=True, workers=2,
                    doc_date=date(2023, 4, 28), pool=pool, chunk=2)
    t.join()
    assert killed, "no soffice to kill"
    assert res.done == 18 and len(res.errors) == 2
    assert pool.restarts >= 1
    with (out / "errors.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["satir"], r["basvuru_no"]) for r in rows] == [
        ("4", "TR63/23/FKD/MAKINE-0003"), ("6", "TR63/23/FKD/MAKINE-0005")]
    assert "VKN" in rows[0]["neden"] and "Kredi Tutarı" in rows[1]["neden"]
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 18 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    manifest = (out / "manifest.csv").read_text(encoding="utf-8")
    assert manifest.count("\n") == 1 + 36

    # re-run: everything skipped, nothing rewritten
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = run_batch("destek_sozlesmesi", SAMPLE_XLSX, "tr63-2023-makine", out, pdf=True, workers=2,
                      doc_date=date(2023, 4, 28), pool=pool)
    assert again.skipped == 18 and again.done == 0
    assert all(before[p.name] == p.stat().st_mtime_ns for p in out.glob("destek_*"))

    # regenerate one: DOCX identical bytes, PDF identical content; the CSV export gives the same DOCX
    victim = out / "destek_sozlesmesi_tr63-23-fkd-makine-0001"
    docx_before = victim.with_suffix(".docx").read_bytes()
    text_before = pdf_text(victim.with_suffix(".pdf"))
    victim.with_suffix(".docx").unlink()
    third = run_batch("destek_sozlesmesi", SAMPLE_XLSX, "tr63-2023-makine", out, pdf=True, workers=1,
                      doc_date=date(2023, 4, 28), pool=pool)
    assert third.done == 1 and third.skipped == 17
    assert victim.with_suffix(".docx").read_bytes() == docx_before
    assert pdf_text(victim.with_suffix(".pdf")) == text_before
    csv_out = tmp_path / "csv"
    run_batch("destek_sozlesmesi", SAMPLE_CSV, "tr63-2023-makine", csv_out, workers=1,
              doc_date=date(2023, 4, 28))
    assert (csv_out / victim.with_suffix(".docx").name).read_bytes() == docx_before


def test_ctrl_c_stops_a_pdf_batch_cleanly(tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during `evrak batch
    --pdf`: one line, exit 130, no tracebacks from the render processes, only whole files."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "worker.cli", "batch", "destek_sozlesmesi", "--input", str(SAMPLE_XLSX),
         "--program", "tr63-2023-makine", "--out", str(out), "--pdf", "--workers", "2", "--date", "2023-04-28"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not list(out.glob("*.pdf")):
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines() == ["evrak: durduruldu (Ctrl-C)"]
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temp files, no staging
    assert not (out / "manifest.json").exists()  # the batch did not claim to be complete
    pdfs = list(out.glob("*.pdf"))
    assert pdfs
    for p in pdfs:
        data = p.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-2048:], p.name
    for p in out.glob("*.docx"):
        with zipfile.ZipFile(p) as zf:
            assert zf.testzip() is None, p.name
