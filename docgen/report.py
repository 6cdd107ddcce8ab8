"""The staff's pre-screening report as HTML (and PDF/A through the LibreOffice pool).

docgen does not import verifiers (architecture.md): it renders the assessment
(evrak.assessment), from the object or from report.json, so any tool can re-render a
stored report, with the staff decisions and the verdict they leave. Plain Turkish: the
signatures as a table, the decisions with who, when and why, TCKNs masked (KVKK) unless
the caller may reveal them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from docgen.env import make_env
from docgen.pdf import Pool
from evrak.assessment import DECISION_REASONS, Assessment, signature_rows
from evrak.dates import format_datetime
from evrak.findings import Certainty, Severity

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report" / "on_inceleme_raporu.html"
EVIDENCE_DIR = "kanit"  # page images beside report.html
MAX_EVIDENCE_PAGES = 20  # a report stays printable: the pages behind the deciding findings first
EVIDENCE_DPI = 80
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
_DECIDING = (Severity.REJECT, Severity.REVIEW, Severity.DEFICIENT)


def _datetime_tr(value: str | datetime | None) -> str:
    if not value:
        return "—"
    return format_datetime(datetime.fromisoformat(value) if isinstance(value, str) else value)


_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        _ENV = make_env()
        _ENV.filters["datetime_tr"] = _datetime_tr
    return _ENV


def _as_assessment(report: Assessment | dict[str, Any]) -> Assessment:
    return report if isinstance(report, Assessment) else Assessment.from_dict(report)


def evidence_images(report: Assessment | dict[str, Any], package_root: Path, out_dir: Path) -> dict[str, str]:
    """The package pages the deciding findings point to, as JPEGs under out_dir/kanit/.

    Returns "file#page" -> the image's path relative to out_dir. A page that cannot be
    rendered is left out: the file is already a finding of its own (D29).
    """
    a = _as_assessment(report)
    wanted: list[tuple[str, int]] = []
    for f in sorted(a.findings, key=lambda f: -f.severity.rank):
        if f.severity not in _DECIDING:
            continue
        for e in f.evidence:
            key = (e.file, e.page or 1)
            if e.file and key not in wanted:
                wanted.append(key)
    root = package_root.resolve()
    out: dict[str, str] = {}
    for file, page in wanted[:MAX_EVIDENCE_PAGES]:
        path = (root / file).resolve()
        if not path.is_file() or not path.is_relative_to(root):
            continue
        try:
            image = _page_image(path, page)
        except Exception:  # pypdfium2/PIL raise many types on a broken file; it is a finding already
            continue
        if image is None:
            continue
        target = out_dir / EVIDENCE_DIR / f"{len(out) + 1:02d}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.convert("RGB").save(target, "JPEG", quality=70)
        out[f"{file}#{page}"] = f"{EVIDENCE_DIR}/{target.name}"
    return out


def _page_image(path: Path, page: int) -> Image.Image | None:
    if path.suffix.lower() == ".pdf":
        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(pdf):
                return None
            return pdf[page - 1].render(scale=EVIDENCE_DPI / 72).to_pil()
        finally:
            pdf.close()
    if path.suffix.lower() in _IMAGE_SUFFIXES and page == 1:
        with Image.open(path) as img:
            img.thumbnail((1000, 1400))
            return img.copy()
    return None


def render_report_html(report: Assessment | dict[str, Any], *, reveal_tckn: bool = False,
                       images: dict[str, str] | None = None) -> str:
    a = _as_assessment(report)
    data = a.to_dict(reveal_tckn=reveal_tckn)
    checklists = []
    for cl in a.profile.checklists:
        answers = [x for x in data["checklist"] if x["checklist"] == cl.id]
        if answers:
            checklists.append({"title": cl.title, "answers": answers})
    decided = [f for f in data["findings"] if f.get("decision")]
    template = _env().from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        r=data, checklists=checklists, decided=decided,
        signatures=signature_rows(data["signatures"], reveal_tckn=reveal_tckn),
        severity_labels={s.value: s.label for s in Severity},
        certainty_labels={c.value: c.label for c in Certainty},
        verdict_labels={"pass": "Uygun", "deficient": "Eksik", "reject": "Red", "review": "İnceleme"},
        decision_reasons=DECISION_REASONS,
        documents_by_kind={d.kind: d for d in a.profile.documents}, images=images or {},
        program_notes=list(a.profile.notes),
        conditions=[d for d in a.profile.documents if d.condition],
    )


def write_report(report: Assessment | dict[str, Any], out_dir: Path, *, pdf: bool, pool: Any = None,
                 reveal_tckn: bool = False, package_root: Path | None = None) -> list[Path]:
    """report.html (with the evidence pages when the package is at hand), and report.pdf
    (PDF/A-2b) when `pdf`; returns the files written."""
    images = evidence_images(report, package_root, out_dir) if package_root is not None else {}
    html_path = out_dir / "report.html"
    html_path.write_text(render_report_html(report, reveal_tckn=reveal_tckn, images=images), encoding="utf-8")
    written = [html_path]  # the evidence pages live in kanit/ beside it
    if pdf:
        own = pool is None
        pool = pool or Pool(size=1)
        try:
            written.append(pool.convert(html_path, out_dir))
        finally:
            if own:
                pool.close()
    return written
