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

from docgen.env import make_env
from docgen.pdf import Pool
from evrak.assessment import DECISION_REASONS, Assessment, signature_rows
from evrak.dates import format_datetime
from evrak.findings import Certainty, Severity

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report" / "on_inceleme_raporu.html"


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


def render_report_html(report: Assessment | dict[str, Any], *, reveal_tckn: bool = False) -> str:
    a = report if isinstance(report, Assessment) else Assessment.from_dict(report)
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
        documents_by_kind={d.kind: d for d in a.profile.documents},
    )


def write_report(report: Assessment | dict[str, Any], out_dir: Path, *, pdf: bool, pool: Any = None,
                 reveal_tckn: bool = False) -> list[Path]:
    """report.html, and report.pdf (PDF/A-2b) when `pdf`; returns the files written."""
    html_path = out_dir / "report.html"
    html_path.write_text(render_report_html(report, reveal_tckn=reveal_tckn), encoding="utf-8")
    written = [html_path]
    if pdf:
        own = pool is None
        pool = pool or Pool(size=1)
        try:
            written.append(pool.convert(html_path, out_dir))
        finally:
            if own:
                pool.close()
    return written
