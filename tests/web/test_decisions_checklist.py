"""A staff decision, on any finding, re-answers the checklist and changes the verdict and the letter.

The decisions are the domain's (evrak.assessment.StaffDecision); the report is a real
report.json from the real pipeline. What the web stores is tested in test_web_app.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from evrak.assessment import Action, StaffDecision
from evrak.findings import Severity
from worker.pipeline import process_package
from worker.web.decisions import apply

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "samples" / "packages" / "tr63-2023-makine"


def _report(name: str, tmp_path: Path) -> dict:
    result = process_package(PACKAGES / name, tmp_path, trust_dir=ROOT / "samples" / "trust", pdf=False)
    return json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))


def _decision(key: str, rule: str, action: Action, n: int = 1, **kw) -> StaffDecision:
    return StaffDecision(n, key, rule, action, kw.pop("reason", "sorun_teyit"), "yorum", kw.pop("username", "ayse"),
                         datetime(2023, 3, 1, 9, n, tzinfo=UTC), **kw)


def _answer(rep: dict, item: dict) -> str:
    return next(a["answer"] for a in rep["checklist"]
                if (a["checklist"], a["item"]) == (item["checklist"], item["item"]))


def test_overrule_and_uphold_reanswer_the_taahhutname_item(tmp_path):
    report = _report("zaman-damgasiz", tmp_path)
    finding = next(f for f in report["findings"] if f["rule"] == "SIGNATURE_TIME_UNPROVEN")
    key = finding["key"]
    item = next(a for a in report["checklist"] if "SIGNATURE_TIME_UNPROVEN" in a.get("rules", []))
    assert item["answer"] == "Hayır" and item.get("review")

    overruled = apply(report, [_decision(key, finding["rule"], Action.OVERRULE)])
    assert overruled["verdict"] == "pass" and _answer(overruled, item) == "Evet"
    assert overruled["letter"]["kind"] == "none"
    upheld = apply(report, [_decision(key, finding["rule"], Action.UPHOLD, outcome=Severity.REJECT,
                                      reason_code="R01")])
    assert upheld["verdict"] == "reject" and _answer(upheld, item) == "Hayır"
    assert upheld["letter"]["kind"] == "rejection" and [r["code"] for r in upheld["reasons"]] == ["R01"]
    assert _answer(apply(report, []), item) == "Hayır"  # no decision: the machine's answers


def test_a_reject_can_be_overruled_and_the_latest_decision_counts(tmp_path):
    """Issue 14: staff may decide a reject too; the history keeps both decisions (D34)."""
    report = _report("yetkisiz-imza", tmp_path)
    assert report["verdict"] == "reject" and report["letter"]["kind"] == "rejection"
    rejecting = [f for f in report["findings"] if f["severity"] == "reject"]
    decided = [_decision(f["key"], f["rule"], Action.OVERRULE, n=i + 1) for i, f in enumerate(rejecting)]
    after = apply(report, decided)
    assert after["verdict"] != "reject" and after["reasons"] == [] and after["letter"]["kind"] != "rejection"
    assert after["machine_verdict"] == "reject"
    # a later decision upholds the first one again: it supersedes, both stay
    again = _decision(rejecting[0]["key"], rejecting[0]["rule"], Action.UPHOLD, n=9, outcome=Severity.REJECT,
                      reason_code="R02")
    final = apply(report, [*decided, again])
    assert final["verdict"] == "reject" and len(final["decisions"]) == len(decided) + 1


def test_four_eyes_decision_counts_only_once_approved(tmp_path):
    report = _report("yetkisiz-imza", tmp_path)
    rejecting = [f for f in report["findings"] if f["severity"] == "reject"]
    pending = [_decision(f["key"], f["rule"], Action.OVERRULE, n=i + 1, needs_second=True)
               for i, f in enumerate(rejecting)]
    waiting = apply(report, pending)
    assert waiting["verdict"] == "reject"
    assert all(f["pending_decision"] for f in waiting["findings"] if f["severity"] == "reject")
    approved = [StaffDecision(**{**d.__dict__, "approved_by": "mehmet", "approved_at": d.created_at}) for d in pending]
    assert apply(report, approved)["verdict"] != "reject"
