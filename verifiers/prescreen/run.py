"""Pre-screening of one package: read every document, run every check, assess.

Nothing here raises for a bad document: a file that cannot be read becomes a finding and
the other checks still run. Only a package that cannot be opened at all (no manifest, an
unsafe zip) raises UserError, and the caller sets it aside with that message.

The checks only find; the verdict, the checklist, the reasons and the letter come from
evrak.assessment, over every finding admitted through the programme's profile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from evrak.assessment import Assessment, admit
from evrak.dates import now
from evrak.deadlines import period_for, taahhutname_deadline
from evrak.history import History
from evrak.profiles import load_profile
from verifiers.package import Package, open_package
from verifiers.prescreen import application, documents, form_rules, guide_rules, history, process_rules
from verifiers.prescreen.context import CheckContext

Check = Callable[[CheckContext], None]

# The registration point of every check, in order (reading first).
CHECKS: list[Check] = [*application.CHECKS, *documents.CHECKS, *guide_rules.CHECKS,
                       *form_rules.CHECKS, *history.CHECKS, *process_rules.CHECKS]


def prescreen_package(package: Package, *, trust_dir: Path | None = None,
                      crl_files: tuple[Path, ...] = (), history: History | None = None) -> Assessment:
    """`history`: the agency's applicant history (evrak.history), for the rules on earlier
    applications, supports and bans; None when none is configured (they are then noted as
    not checked, never failed)."""
    m = package.manifest
    program = load_profile(m.program)
    period = period_for(program, m.submitted_at)
    ctx = CheckContext(program=program, manifest=m, root=package.root, files=package.files,
                       manifest_name=package.manifest_path.name,
                       taahhutname_deadline=taahhutname_deadline(program, period),
                       trust_dir=trust_dir, crl_files=crl_files, history=history)
    if not program.announcement_verified:
        note = program.announcement_note or program.announcement_date.isoformat()
        ctx.notes.append(f"İlan tarihi doğrulanmadı: {note}")
    for check in CHECKS:
        check(ctx)
    deadlines = {"application_deadline": period.application_deadline.isoformat()}
    if ctx.taahhutname_deadline:
        deadlines["taahhutname_deadline"] = ctx.taahhutname_deadline.isoformat()
    return Assessment(
        program=program.id, program_name=program.name, application_no=m.application_no,
        applicant=m.applicant.name, vkn=m.applicant.vkn, findings=admit(program, ctx.findings),
        documents=tuple(ctx.document_summaries),
        signatures=tuple(s.to_dict() for s in ctx.signatures.values() if hasattr(s, "to_dict")),
        deadlines=deadlines, notes=tuple(ctx.notes), package_sha256=package.sha256, generated_at=now(),
    )


def prescreen_path(source: Path, **kwargs) -> Assessment:
    with open_package(source) as package:
        return prescreen_package(package, **kwargs)
