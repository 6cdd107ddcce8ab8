"""The staff's pre-screening report as HTML (and PDF/A through the LibreOffice pool).

docgen does not import verifiers (architecture.md): it renders the report from its JSON
form (report.json), so any tool can re-render a stored report.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from docgen.env import make_env
from evrak.dates import format_datetime
from evrak.findings import Severity
from evrak.profiles import load_profile

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report" / "on_inceleme_raporu.html"


def _datetime_tr(value: str | None) -> str:
    return format_datetime(datetime.fromisoformat(value)) if value else "—"


_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        _ENV = make_env()
        _ENV.filters["datetime_tr"] = _datetime_tr
    return _ENV


def render_report_html(report: dict[str, Any]) -> str:
    env = _env()
    program = load_profile(report["program"])
    titles = {c.id: c.title for c in program.checklists}
    checklists = []
    for cid, title in titles.items():
        answers = [a for a in report["checklist"] if a["checklist"] == cid]
        if answers:
            checklists.append({"title": title, "answers": answers})
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        r=report, checklists=checklists, severity_labels={s.value: s.label for s in Severity},
    )


def write_report(report: dict[str, Any], out_dir: Path, *, pdf: bool, pool: Any = None) -> list[Path]:
    """report.html, and report.pdf (PDF/A-2b) when `pdf`; returns the files written."""
    html_path = out_dir / "report.html"
    html_path.write_text(render_report_html(report), encoding="utf-8")
    written = [html_path]
    if pdf:
        from docgen.pdf import Pool

        own = pool is None
        pool = pool or Pool(size=1)
        try:
            written.append(pool.convert(html_path, out_dir))
        finally:
            if own:
                pool.close()
    return written
