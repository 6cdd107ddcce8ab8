"""A person's decision on a review finding re-answers the checklist, not only the verdict."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from worker.pipeline import process_package
from worker.web.decisions import DecisionInfo, apply, finding_key

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "samples" / "packages" / "tr63-2023-makine" / "zaman-damgasiz"


def _decision(key: str, action: str, **kw) -> DecisionInfo:
    return DecisionInfo(1, key, "SIGNATURE_TIME_UNPROVEN", action, kw.get("outcome"), kw.get("reason_code"), None,
                        "yorum", "ayse", datetime.now(UTC))


def test_overrule_and_uphold_reanswer_the_taahhutname_item(tmp_path):
    result = process_package(PKG, tmp_path, trust_dir=ROOT / "samples" / "trust", pdf=False)
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    index, finding = next((i, f) for i, f in enumerate(report["findings"]) if f["rule"] == "SIGNATURE_TIME_UNPROVEN")
    key = finding_key(index, finding)
    item = next(a for a in report["checklist"] if "SIGNATURE_TIME_UNPROVEN" in a.get("rules", []))
    assert item["answer"] == "Hayır" and item.get("review")

    def answer(rep: dict) -> str:
        return next(a["answer"] for a in rep["checklist"]
                    if (a["checklist"], a["item"]) == (item["checklist"], item["item"]))

    overruled = apply(report, {key: _decision(key, "overrule")})
    assert overruled["verdict"] == "pass" and answer(overruled) == "Evet"
    upheld = apply(report, {key: _decision(key, "uphold", outcome="reject", reason_code="R01")})
    assert upheld["verdict"] == "reject" and answer(upheld) == "Hayır"
    assert answer(apply(report, {})) == "Hayır"  # no decision: the machine's answers
