"""Hostile input is bounded (issue 17 items 1 and 9): huge pages, image bombs, sparse giants,
documents over their time limit, active PDF content. Each file is built here, small."""

from __future__ import annotations

import io
import os
import struct
import time
import warnings
import zlib

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from evrak import limits
from testing.corpus import generate
from verifiers import raster
from verifiers.document import read_document
from verifiers.raster import BoundExceeded, pdf_page_scale
from verifiers.text import read_image, read_pdf


def _blank_pdf(width: float, height: float) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.rect(10, 10, 50, 50)  # no text: the page goes to OCR
    c.showPage()
    c.save()
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height (1-bit grey) with a token IDAT: a 'bomb' in 100 bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
    ihdr = struct.pack("!IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [14_400, 5_000])
def test_huge_pdf_page_is_refused_not_rendered(tmp_path, side):
    path = tmp_path / "dev.pdf"
    path.write_bytes(_blank_pdf(side, side))
    started = time.monotonic()
    res = read_document(path)
    assert time.monotonic() - started < 10
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    assert "sayfa çok büyük" in res.findings[0].message and "dev.pdf" in res.findings[0].message


def test_large_page_is_scaled_into_the_pixel_budget():
    a4_scale, a4_pixels = pdf_page_scale(*A4)
    assert a4_scale == pytest.approx(limits.OCR_DPI / 72)
    scale, pixels = pdf_page_scale(1684, 2384)  # A1: too big for 300 dpi, fine at ~125 dpi
    assert pixels <= limits.MAX_PAGE_PIXELS and limits.MIN_OCR_DPI <= scale * 72 < limits.OCR_DPI
    with pytest.raises(BoundExceeded):
        pdf_page_scale(14_400, 14_400)
    assert a4_pixels < limits.MAX_PAGE_PIXELS


@pytest.mark.parametrize(("megapixels", "side"), [(400, 20_000), (150, 12_248)])
def test_png_bombs_are_findings_without_raw_warnings(tmp_path, megapixels, side):
    path = tmp_path / f"tarama-{megapixels}.png"
    path.write_bytes(_png_header_only(side, side))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = read_document(path)
    assert not [w for w in caught if "DecompressionBomb" in type(w.message).__name__]
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    assert "görüntü çok büyük" in res.findings[0].message and path.name in res.findings[0].message


def test_sparse_giant_is_not_read(tmp_path):
    path = tmp_path / "dev.pdf"
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(1536 * limits.MB)  # sparse: takes no disk, would take 1.5 GB of memory to read
    started = time.monotonic()
    res = read_document(path)
    assert time.monotonic() - started < 20  # hang guard
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    assert "çok büyük" in res.findings[0].message


@pytest.mark.slow
def test_document_time_limit_kills_the_ocr_workers(tmp_path, monkeypatch):
    started_workers: list[int] = []
    real_init = raster._Worker.__init__

    def spy(self) -> None:
        real_init(self)
        started_workers.append(self.proc.pid)

    monkeypatch.setattr(raster._Worker, "__init__", spy)
    raster.kill_workers()  # start from fresh workers so that the spy sees them
    doc = next(generate(1, seed=2, kinds=("kredi_uygunluk_belgesi",)))
    scan = doc.scan()
    two_pages = pypdf.PdfWriter()
    for _ in range(3):
        two_pages.append(pypdf.PdfReader(io.BytesIO(scan)))
    buf = io.BytesIO()
    two_pages.write(buf)
    started = time.monotonic()
    res = read_pdf("uzun.pdf", data=buf.getvalue(), deadline_s=0.5)
    assert time.monotonic() - started < 30  # hang guard
    assert any("süre sınırını" in f.message for f in res.findings)
    assert started_workers
    time.sleep(0.2)
    # each worker led its own process group, Tesseract included: nothing of them still runs
    assert _living_in_groups(set(started_workers)) == []


def _living_in_groups(groups: set[int]) -> list[str]:
    """Processes (not zombies waiting for their reaper) whose process group is one of `groups`."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, pgid = fields[0], int(fields[2])
        if pgid in groups and state not in ("Z", "X"):
            out.append(stat[:80])
    return out


def test_active_pdf_content_is_noted(tmp_path):
    doc = next(generate(1, seed=2, kinds=("proforma",)))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(doc.pdf)))
    js = pypdf.generic.DictionaryObject({
        pypdf.generic.NameObject("/S"): pypdf.generic.NameObject("/JavaScript"),
        pypdf.generic.NameObject("/JS"): pypdf.generic.TextStringObject("app.alert('merhaba');"),
    })
    names = pypdf.generic.DictionaryObject({pypdf.generic.NameObject("/Names"): pypdf.generic.ArrayObject(
        [pypdf.generic.TextStringObject("js0"), writer._add_object(js)])})
    writer.add_attachment("fatura.exe", b"MZ\x90\x00")
    launch = pypdf.generic.DictionaryObject({
        pypdf.generic.NameObject("/S"): pypdf.generic.NameObject("/Launch"),
        pypdf.generic.NameObject("/F"): pypdf.generic.TextStringObject("cmd.exe"),
    })
    writer._root_object[pypdf.generic.NameObject("/OpenAction")] = writer._add_object(launch)
    writer._root_object["/Names"].get_object()[pypdf.generic.NameObject("/JavaScript")] = writer._add_object(names)
    path = tmp_path / "etkin.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    res = read_document(path, "proforma")
    joined = " ".join(res.active_content)
    assert "JavaScript" in joined and "gömülü dosya" in joined and "Launch" in joined
    assert any("etkin içerik" in n for n in res.notes)
    assert res.to_dict()["active_content"] == res.active_content
    plain = tmp_path / "duz.pdf"
    plain.write_bytes(doc.pdf)
    assert read_document(plain, "proforma").active_content == []


def test_image_over_budget_but_under_the_limit_is_scaled_for_ocr(tmp_path, monkeypatch):
    """A scan larger than the OCR page budget is read at a reduced size, not refused."""
    monkeypatch.setattr(limits, "MAX_PAGE_PIXELS", 2_000_000)
    assert raster.image_scale(3000, 3000) == pytest.approx((2_000_000 / 9_000_000) ** 0.5)
    with pytest.raises(BoundExceeded):
        raster.image_scale(20_000, 20_000)
    assert read_image  # the reader that applies it (exercised by the slow scan tests)
