"""Pre-screening of one package: read every document, run every check, answer the checklists.

Nothing here raises for a bad document: a file that cannot be read becomes a finding and
the other checks still run. Only a package that cannot be opened at all (no manifest, an
unsafe zip) raises UserError, and the caller sets it aside with that message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from evrak.dates import now
from evrak.deadlines import completion_deadline, period_for, taahhutname_deadline
from evrak.findings import Verdict
from evrak.profiles import load_profile
from verifiers.package import Package, open_package
from verifiers.prescreen import application, documents
from verifiers.prescreen.checklist import answer_checklists, rejection_reasons, verdict
from verifiers.prescreen.context import CheckContext
from verifiers.prescreen.report import PrescreenReport

Check = Callable[[CheckContext], None]


CHECKS: list[Check] = [*application.CHECKS, *documents.CHECKS]


def prescreen_package(package: Package, *, trust_dir: Path | None = None,
                      crl_files: tuple[Path, ...] = ()) -> PrescreenReport:
    m = package.manifest
    program = load_profile(m.program)
    period = period_for(program, m.submitted_at)
    ctx = CheckContext(program=program, manifest=m, root=package.root, files=package.files,
                       manifest_name=package.manifest_path.name,
                       taahhutname_deadline=taahhutname_deadline(program, period),
                       trust_dir=trust_dir, crl_files=crl_files)
    if not program.announcement_verified:
        note = program.announcement_note or program.announcement_date.isoformat()
        ctx.notes.append(f"İlan tarihi doğrulanmadı: {note}")
    for check in CHECKS:
        check(ctx)
    findings = sorted(ctx.findings, key=lambda f: (-f.severity.rank, f.rule))
    v = verdict(findings)
    reasons = [
        {"code": r.code, "text": r.text, "rules": sorted({f.rule for f in fs}),
         "findings": [f.message for f in fs]}
        for r, fs in rejection_reasons(program, findings)
    ] if v == Verdict.REJECT else []
    deadlines = {"application_deadline": period.application_deadline.isoformat()}
    if ctx.taahhutname_deadline:
        deadlines["taahhutname_deadline"] = ctx.taahhutname_deadline.isoformat()
    generated = now()
    completion = completion_deadline(program, generated.date()) if v == Verdict.DEFICIENT else None
    return PrescreenReport(
        program=program.id, program_name=program.name, application_no=m.application_no,
        applicant=m.applicant.name, vkn=m.applicant.vkn, verdict=v,
        checklist=answer_checklists(program, findings), findings=findings, reasons=reasons,
        documents=ctx.document_summaries,
        signatures=[s.to_dict() for s in ctx.signatures.values() if hasattr(s, "to_dict")],
        deadlines=deadlines, completion_deadline=completion, notes=ctx.notes,
        package_sha256=package.sha256, generated_at=generated,
    )


def prescreen_path(source: Path, **kwargs) -> PrescreenReport:
    with open_package(source) as package:
        return prescreen_package(package, **kwargs)

