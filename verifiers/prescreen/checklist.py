"""Answering a programme's Ön İnceleme checklists from the findings, and the verdict (D30, D31)."""

from __future__ import annotations

from dataclasses import dataclass, field

from evrak.findings import Finding, Severity, Verdict, verdict_of
from evrak.profiles import Checklist, Program, RejectionReason

_DECIDING = {Severity.REJECT, Severity.DEFICIENT, Severity.REVIEW}


@dataclass
class ChecklistAnswer:
    checklist: str
    item: str
    text: str
    answer: str  # Evet | Hayır | Geçerli değil | Eksik Belge
    rules: list[str] = field(default_factory=list)  # rule ids behind a Hayır / Eksik Belge
    review: bool = False  # a person must confirm (manual item or a review finding)

    def to_dict(self) -> dict:
        out = {"checklist": self.checklist, "item": self.item, "text": self.text, "answer": self.answer}
        if self.rules:
            out["rules"] = self.rules
        if self.review:
            out["review"] = True
        return out


# Rules that mean "the document is not (yet) there" for the item that asks for it.
_MISSING_RULES = {"DOC_MISSING", "KUB_PENDING"}


def _concerns(item, finding: Finding, document_kinds: set[str]) -> bool:
    """A finding about one document kind answers only the items that ask for that kind."""
    if finding.subject in document_kinds and item.kinds:
        return finding.subject in item.kinds
    return True


def answer_item(checklist: Checklist, item, findings: list[Finding],
                document_kinds: set[str] | None = None) -> ChecklistAnswer:
    kinds = document_kinds or set()
    if not item.applies:
        return ChecklistAnswer(checklist.id, item.no, item.text, "Geçerli değil")
    missing = [f for f in findings if f.rule in _MISSING_RULES and f.subject in item.kinds]
    if missing and "Eksik Belge" in checklist.answers:
        return ChecklistAnswer(checklist.id, item.no, item.text, "Eksik Belge", sorted({f.rule for f in missing}))
    hits = [f for f in findings
            if f.rule in item.rules and f.severity in _DECIDING and _concerns(item, f, kinds)]
    if missing:
        hits += missing
    if hits:
        return ChecklistAnswer(checklist.id, item.no, item.text, "Hayır",
                               sorted({f.rule for f in hits}),
                               review=all(f.severity == Severity.REVIEW for f in hits) or item.manual)
    return ChecklistAnswer(checklist.id, item.no, item.text, "Evet", review=item.manual)


def answer_checklists(program: Program, findings: list[Finding]) -> list[ChecklistAnswer]:
    kinds = {d.kind for d in program.documents} | {k for cl in program.checklists for i in cl.items for k in i.kinds}
    return [answer_item(cl, item, findings, kinds) for cl in program.checklists for item in cl.items]


def rejection_reasons(
    program: Program, findings: list[Finding]
) -> list[tuple[RejectionReason, list[Finding]]]:
    """D31: only the programme's own closed list, each reason with the findings behind it."""
    rejecting = [f for f in findings if f.severity == Severity.REJECT]
    out = []
    for reason in program.rejection_reasons:
        behind = [f for f in rejecting if f.rule in reason.rules]
        if behind:
            out.append((reason, behind))
    return out


def verdict(findings: list[Finding]) -> Verdict:
    return verdict_of(findings)
