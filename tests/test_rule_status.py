"""docs/rule-status.md is generated from docs/rule-registry.toml and the tree (issue 16)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "rule_status.py"


def test_status_file_is_current_and_no_anchor_is_broken():
    run = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    text = (ROOT / "docs" / "rule-status.md").read_text(encoding="utf-8")
    # an anchor that names a rule, function or test that does not exist shows as a problem
    for problem in ("bilinmeyen kural", "kod yok:", "test yok:", "hiçbir kodda üretilmiyor"):
        assert problem not in text, problem


def test_every_one_liner_of_the_audit_is_in_the_registry():
    data = tomllib.loads((ROOT / "docs" / "rule-registry.toml").read_text(encoding="utf-8"))
    keys = {(d["seed"], d["no"]) for d in data["one_liner"]}
    counts = {s: sum(1 for k in keys if k[0] == s) for s in ("002", "001", "003", "000", "004")}
    assert counts == {"002": 70, "001": 90, "003": 91, "000": 9, "004": 6}  # 266, as rule-audit.md
