"""A job's results as the page shows them: report.json, the package's documents, page images.

The worker writes report.json (and report.pdf) into outbox/<application no>/<job>/ and moves
the package into archive/. The page reads those, never re-runs a check. A zip package
is extracted once, safely (verifiers.package.open_package: zip-bomb and path checks),
into EVRAK_HOME/web/cache/<job>/package, from which evidence pages are rendered with
pypdfium2 to PNG on demand and cached, so the second look at a finding costs nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evrak.errors import UserError
from verifiers.package import open_package
from worker.pipeline import JOINED_PACKAGE
from worker.store import DONE, JobInfo

_LOCK = threading.Lock()
_REPORTS: dict[str, tuple[float, dict[str, Any]]] = {}
RENDER_SCALE = 1.6  # ~115 dpi: readable text, small PNGs


class NotAvailable(Exception):
    """The job has no such result (not done, output missing, file not in the package)."""


def report_path(job: JobInfo) -> Path | None:
    for out in job.outputs or []:
        if Path(out).name == "report.json":
            return Path(out)
    return None


def output_named(job: JobInfo, name: str) -> Path | None:
    for out in job.outputs or []:
        p = Path(out)
        if p.name == name and p.is_file():
            return p
    return None


def letter_outputs(job: JobInfo) -> list[Path]:
    """Letters the pipeline wrote beside the report (once documents_out is wired with a manifest)."""
    out = []
    for o in job.outputs or []:
        p = Path(o)
        if p.name.startswith(("sonuc_yazisi", "eksik_evrak_yazisi")) and p.is_file():
            out.append(p)
    return out


def load_report(job: JobInfo) -> dict[str, Any]:
    """report.json of a done pre-screening job, cached by modification time."""
    if job.state != DONE or job.kind != "prescreen":
        raise NotAvailable("iş tamamlanmadı")
    path = report_path(job)
    if path is None or not path.is_file():
        raise NotAvailable("rapor bulunamadı")
    mtime = path.stat().st_mtime
    cached = _REPORTS.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    data = json.loads(path.read_text(encoding="utf-8"))
    _REPORTS[str(path)] = (mtime, data)
    return data


@dataclass
class PackageView:
    root: Path
    files: list[str]


def cache_dir(web_dir: Path, job: JobInfo) -> Path:
    return web_dir / "cache" / job.id


def package(web_dir: Path, job: JobInfo) -> PackageView:
    """The package's folder (extracted once for a zip) and its document names.

    A completion was screened on its joined package (paket/ in its result), which is what
    its findings point into; any other submission on its own archived input.
    """
    src = Path(job.input_path)
    for out in job.outputs or []:
        if Path(out).name == JOINED_PACKAGE and Path(out).is_dir():
            src = Path(out)
    if not src.exists():
        raise NotAvailable("paket arşivde bulunamadı")
    if src.is_dir():
        with open_package(src) as pkg:
            return PackageView(pkg.root, list(pkg.files))
    target = cache_dir(web_dir, job) / "package"
    with _LOCK:
        if not target.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".package-{os.getpid()}-{threading.get_ident()}")
            shutil.rmtree(tmp, ignore_errors=True)
            try:
                with open_package(src) as pkg:
                    shutil.copytree(pkg.root, tmp, symlinks=False)
            except UserError as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                raise NotAvailable(str(exc)) from None
            os.rename(tmp, target)
    with open_package(target) as pkg:
        return PackageView(pkg.root, list(pkg.files))


def document(web_dir: Path, job: JobInfo, name: str) -> Path:
    """A document of the package by its listed name; nothing outside the package, ever."""
    view = package(web_dir, job)
    if name not in view.files:
        raise NotAvailable("belge pakette yok")
    path = (view.root / name).resolve()
    if not path.is_relative_to(view.root.resolve()) or not path.is_file():
        raise NotAvailable("belge pakette yok")
    return path


def parse_box(text: str) -> tuple[float, float, float, float] | None:
    """An evidence box from the page's query ("x0,top,x1,bottom" in PDF points); None when
    absent or malformed (a bad box only loses the outline, never the page)."""
    try:
        box = tuple(float(v) for v in text.split(",")) if text else ()
    except ValueError:
        return None
    if len(box) != 4 or not all(0 <= v <= 20000 for v in box) or box[0] > box[2] or box[1] > box[3]:
        return None
    return box  # type: ignore[return-value]


def page_image(web_dir: Path, job: JobInfo, name: str, page: int, highlight: str = "",
               box: tuple[float, float, float, float] | None = None) -> Path:
    """PNG of `page` (1-based) of document `name`, with the evidence outlined: at `box` where
    the reader knew the spot (Evidence.bbox: a scan's OCR word boxes, which have no text layer
    to search), else where the evidence text is found on the page."""
    import hashlib

    pdf = document(web_dir, job, name)
    if pdf.suffix.lower() != ".pdf":
        raise NotAvailable("yalnız PDF sayfaları gösterilir")
    digest = hashlib.sha256(f"{name}\0{page}\0{highlight}\0{box}".encode()).hexdigest()[:20]
    out = cache_dir(web_dir, job) / "pages" / f"{digest}.png"
    if out.is_file():
        return out
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        if page < 1 or page > len(doc):
            raise NotAvailable(f"belgede {page}. sayfa yok")
        pg = doc[page - 1]
        image = pg.render(scale=RENDER_SCALE).to_pil().convert("RGB")
        height = pg.get_height()
        boxes = [(box[0], height - box[3], box[2], height - box[1])] if box else \
            _find_boxes(pg, highlight) if highlight else []
        if boxes:
            from PIL import ImageDraw

            draw = ImageDraw.Draw(image)
            for left, bottom, right, top in boxes:
                draw.rectangle([left * RENDER_SCALE - 3, (height - top) * RENDER_SCALE - 3,
                                right * RENDER_SCALE + 3, (height - bottom) * RENDER_SCALE + 3],
                               outline=(200, 30, 30), width=3)
    finally:
        doc.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}")
    image.save(tmp, format="PNG", optimize=True)
    os.replace(tmp, out)
    return out


def _find_boxes(pg: Any, text: str) -> list[tuple[float, float, float, float]]:
    """Rectangles (PDF points) of the first occurrence of the evidence's first line."""
    needle = text.strip().splitlines()[0][:60].strip() if text.strip() else ""
    if len(needle) < 3:
        return []
    try:
        tp = pg.get_textpage()
        searcher = tp.search(needle, match_case=False)
        hit = searcher.get_next()
        if hit is None:
            return []
        start, count = hit
        n = tp.count_rects(start, count)
        return [tp.get_rect(i) for i in range(n)]
    except Exception:  # an odd text layer: the page without a box is still the evidence
        return []


def page_count(web_dir: Path, job: JobInfo, name: str) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(document(web_dir, job, name)))
    try:
        return len(doc)
    finally:
        doc.close()


def locate_page(web_dir: Path, job: JobInfo, name: str, text: str) -> int | None:
    """The first page of `name` whose text layer holds the evidence's first line, if any.

    Some findings (a signature's signer, say) name the document but not the page; the
    page where the text actually sits is the one worth showing.
    """
    needle = text.strip().splitlines()[0][:60].strip().casefold() if text.strip() else ""
    if len(needle) < 3:
        return None
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(document(web_dir, job, name)))
    except (NotAvailable, pdfium.PdfiumError):
        return None
    try:
        for i in range(len(doc)):
            page_text = doc[i].get_textpage().get_text_range()
            if needle in " ".join(page_text.split()).casefold():
                return i + 1
    finally:
        doc.close()
    return None
