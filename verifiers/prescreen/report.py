"""The pre-screening report: verdict, checklist answers, findings, documents (report.json)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from evrak.findings import Finding, Severity, Verdict
from verifiers.prescreen.checklist import ChecklistAnswer


@dataclass
class PrescreenReport:
    program: str
    program_name: str
    application_no: str
    applicant: str
    vkn: str
    verdict: Verdict
    checklist: list[ChecklistAnswer]
    findings: list[Finding]
    reasons: list[dict] = field(default_factory=list)  # [{code, text, rules, findings}]
    documents: list[dict] = field(default_factory=list)  # per file: kind, pages, readable, facts
    signatures: list[dict] = field(default_factory=list)
    deadlines: dict[str, str] = field(default_factory=dict)
    completion_deadline: datetime | None = None  # for a deficiency letter
    notes: list[str] = field(default_factory=list)
    package_sha256: str = ""
    generated_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict.value,
            "verdict_label": self.verdict.label,
            "program": self.program,
            "program_name": self.program_name,
            "application_no": self.application_no,
            "applicant": {"name": self.applicant, "vkn": self.vkn},
            "checklist": [a.to_dict() for a in self.checklist],
            "findings": [f.to_dict() for f in self.findings],
            "counts": self.counts(),
            "reasons": self.reasons,
            "documents": self.documents,
            "signatures": self.signatures,
            "deadlines": self.deadlines,
            "completion_deadline": self.completion_deadline.isoformat() if self.completion_deadline else None,
            "notes": self.notes,
            "package_sha256": self.package_sha256,
            "generated_at": self.generated_at.isoformat() if self.generated_at else None,
        }
