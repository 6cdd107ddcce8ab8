"""`evrak templates check`: render every template with hostile data and prove nothing is lost.

Staff edit templates in Word, which splits runs, drops tags and breaks loops silently.
This renders every template file (general ones and program overrides) with data that
contains XML metacharacters, quotes, every Turkish letter, and tables with zero and 300
rows, reads the DOCX back with python-docx and fails on any error or any hostile string
that does not come back exactly.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document

from docgen.context import (
    Application,
    Missing,
    Reason,
    Signer,
    applies,
    build_context,
)
from docgen.render import render_docx_bytes, templates_dir
from evrak.errors import UserError
from evrak.profiles import Program, load_programs

HOSTILE = "Ç&Ğ<İ>Ö\"Ş'Ü çğıöşü {{ x }} {%p y %}"
NAME = f"A&B <Makina> \"Tırnak\" 'Kesme' ÇĞİÖŞÜ çğıöşü Ltd. Şti. {HOSTILE}"


def docx_text(data: bytes) -> str:
    """All text of a DOCX: body paragraphs, table cells (nested), headers and footers."""
    doc = Document(io.BytesIO(data))
    parts: list[str] = []

    def walk_tables(tables) -> None:
        for t in tables:
            for row in t.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    walk_tables(cell.tables)

    parts.extend(p.text for p in doc.paragraphs)
    walk_tables(doc.tables)
    for sec in doc.sections:
        for hf in (sec.header, sec.footer):
            parts.extend(p.text for p in hf.paragraphs)
            walk_tables(hf.tables)
    return "\n".join(parts)


def table_rows(data: bytes) -> list[int]:
    return [len(t.rows) for t in Document(io.BytesIO(data)).tables]


def hostile_program(base: Program) -> Program:
    """`base` with hostile names and a closed list of hostile reasons and documents."""
    data = base.model_dump()
    data["agency"]["name"] = f"T.C. Ajans {HOSTILE}"
    data["agency"]["address"] = f"Adres {HOSTILE}"
    data["name"] = f"Program {HOSTILE}"
    data["rejection_reasons"] = [
        {"code": f"H{i}", "text": f"Gerekçe {i} {HOSTILE}", "rules": []} for i in range(1, 4)
    ]
    data["documents"] = [
        {"kind": f"belge{i}", "ek": f"EK {i}", "title": f"Belge {i} {HOSTILE}",
         "requirement": "contract" if i % 2 else "required"}
        for i in range(1, 5)
    ]
    data.pop("source", None)
    return Program.model_validate(data)


def hostile_application(program: Program, signers: int) -> Application:
    return Application(
        program_id=program.id,
        application_no=f"NO/1 {HOSTILE}",
        applicant_name=NAME,
        tax_id="1234567890",
        address=f"Mah. {HOSTILE} No:1",
        province="Hatay",
        project_title=f"Proje {HOSTILE}",
        credit=Decimal("1234567.89"),
        co_financing=Decimal("529100.53"),
        contract_date=date(2024, 2, 29),
        signers=[Signer(f"Kişi {i} {HOSTILE}", "10000000146", f"Unvan {i}") for i in range(signers)],
    )


@dataclass
class CheckResult:
    template: str
    cases: int = 0
    problems: list[str] = field(default_factory=list)


def _contexts(kind: str, program: Program, rows: int) -> list[tuple[str, dict[str, Any]]]:
    """(label, context) pairs for one kind: each variant with `rows` rows in every table."""
    app = hostile_application(program, signers=rows)
    common: dict[str, Any] = {
        "doc_date": date(2024, 3, 1),
        "special_conditions": [f"Koşul {i} {HOSTILE}" for i in range(rows)],
        "cash_sources": [{"source": f"Kaynak {i} {HOSTILE}", "amount": Decimal("1.00"), "note": HOSTILE}
                         for i in range(rows)],
    }
    out = []
    if kind == "sonuc_yazisi":
        for result in ("accepted", "reserve", "rejected"):
            reasons = [Reason("H1", [f"Olgu {i} {HOSTILE}" for i in range(rows)]), Reason("H2", [])]
            ctx = build_context(kind, program, app, result=result, reasons=reasons, **common)
            if ctx["result"]["documents"] is not None and result == "accepted":
                ctx["result"]["documents"] = [{"ek": f"EK {i}", "title": f"Belge {i} {HOSTILE}"}
                                              for i in range(rows)]
            out.append((result, ctx))
        return out
    if kind == "eksik_evrak_yazisi":
        ctx = build_context(kind, program, app, missing=[Missing("belge1", HOSTILE)], **common)
        ctx["deficiency"]["entries"] = [{"ek": f"EK {i}", "title": HOSTILE, "problem": HOSTILE}
                                        for i in range(rows)]
        return [("", ctx)]
    ctx = build_context(kind, program, app, **common)
    if ctx["schedule"] is not None:
        sched = ctx["schedule"]
        sched["installments"] = [
            {"no": i + 1, "due_date": date(2025, 1, 1) + timedelta(days=30 * i),
             "amount": Decimal("100.01"), "remaining": Decimal("0.00")} for i in range(rows)
        ]
        sched["fees"] = [{"label": f"Masraf {i} {HOSTILE}", "base": Decimal("1"), "rate": Decimal("0.01"),
                          "amount": Decimal("0.01")} for i in range(rows)]
    return [("", ctx)]


def check_template(path: Path, kind: str, program: Program) -> CheckResult:
    """Render one template file with hostile data (0 and 300 rows) and verify the text."""
    res = CheckResult(str(path))
    template = path.read_bytes()
    source = docx_text(template)
    for rows in (0, 300):
        try:
            cases = _contexts(kind, program, rows)
        except UserError as exc:
            res.problems.append(f"bağlam kurulamadı: {exc}")
            return res
        for label, ctx in cases:
            variant = path.stem.partition("__")[2]
            if variant and label and variant != label:
                continue
            if variant and kind == "destek_sozlesmesi" and variant != ctx["program"]["instrument"]:
                continue
            res.cases += 1
            where = f"{rows} satır{' ' + label if label else ''}"
            try:
                data = render_docx_bytes(template, ctx)
            except Exception as exc:  # any failure of a template is a finding, not a crash
                res.problems.append(f"{where}: işlenemedi: {exc}")
                continue
            text = docx_text(data)
            expected = [ctx["application_no"], HOSTILE]
            if "applicant.name" in source:
                expected.append(NAME)
            for needle in expected:
                if needle not in text:
                    res.problems.append(f"{where}: metin kayboldu ya da değişti: {needle[:50]!r}")
            if rows == 300 and "{%tr" in source and not any(n >= 300 for n in table_rows(data)):
                res.problems.append(f"{where}: 300 satırlık tablo eksik üretildi")
    return res


def template_files(root: Path | None = None) -> list[tuple[Path, str, str | None]]:
    """(path, kind, program id or None) for every template file."""
    root = root or templates_dir()
    out = []
    for path in sorted(root.rglob("*.docx")):
        rel = path.relative_to(root)
        program_id = rel.parts[0] if len(rel.parts) > 1 else None
        kind = path.stem.partition("__")[0]
        out.append((path, kind, program_id))
    return out


def check_all(root: Path | None = None) -> list[CheckResult]:
    """Every template against a hostile variant of each program it applies to."""
    programs = load_programs()
    if not programs:
        raise UserError("programs/ içinde profil yok; şablonlar bir profille sınanır")
    results = []
    for path, kind, program_id in template_files(root):
        variant = path.stem.partition("__")[2]
        candidates = [programs[program_id]] if program_id in programs else list(programs.values())
        if program_id and program_id not in programs:
            results.append(CheckResult(str(path), problems=[f"bilinmeyen program klasörü '{program_id}'"]))
            continue
        chosen = [p for p in candidates if applies(kind, p)
                  and (kind != "destek_sozlesmesi" or not variant or p.instrument == variant)]
        if not chosen:
            # e.g. the grant contract while no grant profile exists yet: try it on a copy.
            base = candidates[0]
            if kind == "destek_sozlesmesi" and variant:
                base = Program.model_validate({**base.model_dump(exclude={"source"}),
                                               "instrument": variant, "repayment": None
                                               if variant == "hibe" else base.model_dump()["repayment"]})
            chosen = [base]
        for program in chosen[:1] if program_id is None else chosen:
            results.append(check_template(path, kind, hostile_program(program)))
    return results
