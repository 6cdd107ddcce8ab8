"""docs/rule-status.md from docs/rule-registry.toml: every guide one-liner, its home and its test.

The registry names, per one-liner of the guides' digests, the rule ids that encode it (their
home is found in the code, not written by hand), the functions that compute it
(`module.path:function`) and the tests that show it (`tests/file.py::test_name`), or why a
machine cannot check it (`manual`). This script checks every anchor against the tree and
writes the status table, so the answer to "which guide rule is encoded, where, tested by
what" comes from the project itself (issue 16).

    .venv/bin/python scripts/rule_status.py            # write docs/rule-status.md
    .venv/bin/python scripts/rule_status.py --check    # exit 1 when the file is stale or an anchor is broken
"""

from __future__ import annotations

import argparse
import ast
import functools
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evrak.findings import RULES  # noqa: E402  (the script runs from a checkout, not installed)

REGISTRY = ROOT / "docs" / "rule-registry.toml"
OUTPUT = ROOT / "docs" / "rule-status.md"
SOURCE_DIRS = ("evrak", "docgen", "verifiers", "worker", "templates", "scripts/build_templates.py")
SEEDS = {"002": "TR63 MAKİNE 2023", "001": "TR52 SoGreen 2026", "003": "TR61 İmalat 2023",
         "000": "TR72 ÜŞTD 2023", "004": "Kümelenme 2023"}
LABEL = {"encoded": "kodlandı", "manual": "elle", "missing": "eksik"}


@dataclass
class Entry:
    seed: str
    no: int
    text: str
    rules: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    manual: str = ""
    status: str = "missing"
    homes: list[str] = field(default_factory=list)
    tested_by: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@functools.cache
def _source_texts() -> dict[str, str]:
    out: dict[str, str] = {}
    for d in SOURCE_DIRS:
        p = ROOT / d
        files = [p] if p.is_file() else sorted(p.rglob("*.py"))
        for f in files:
            rel = f.relative_to(ROOT).as_posix()
            if rel == "evrak/findings.py":
                continue
            out[rel] = f.read_text(encoding="utf-8")
    return out


@functools.cache
def _test_texts() -> dict[str, str]:
    out = {f.relative_to(ROOT).as_posix(): f.read_text(encoding="utf-8")
           for f in sorted((ROOT / "tests").rglob("*.py"))}
    # the samples' expected rules are asserted by tests/prescreen/test_samples.py
    for f in sorted((ROOT / "samples" / "packages").rglob("*.expected.json")):
        out[f.relative_to(ROOT).as_posix()] = f.read_text(encoding="utf-8")
    return out


@functools.cache
def _defs(path: str) -> frozenset[str]:
    f = ROOT / path
    if not f.is_file():
        return frozenset()
    tree = ast.parse(f.read_text(encoding="utf-8"))
    return frozenset(n.name for n in ast.walk(tree)
                     if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))


def _module_path(module: str) -> str:
    return module.replace(".", "/") + ".py"


def judge(e: Entry) -> Entry:
    for rule in e.rules:
        if rule not in RULES:
            e.problems.append(f"bilinmeyen kural {rule}")
            continue
        homes = [f for f, text in _source_texts().items() if f'"{rule}"' in text]
        if not homes:
            e.problems.append(f"{rule} hiçbir kodda üretilmiyor")
        e.homes += [f"{h} ({rule})" for h in homes[:2]]
        tests = [f for f, text in _test_texts().items() if rule in text]
        e.tested_by += tests[:2]
    for anchor in e.code:
        module, _, name = anchor.partition(":")
        if name not in _defs(_module_path(module)):
            e.problems.append(f"kod yok: {anchor}")
        else:
            e.homes.append(anchor)
    for anchor in e.tests:
        path, _, name = anchor.partition("::")
        if name not in _defs(path):
            e.problems.append(f"test yok: {anchor}")
        else:
            e.tested_by.append(anchor)
    if e.manual and not (e.rules or e.code):
        e.status = "manual"
    elif (e.rules or e.code) and not e.problems and e.tested_by:
        e.status = "encoded"
    else:
        if (e.rules or e.code) and not e.tested_by:
            e.problems.append("test yok")
        e.status = "missing"
    e.tested_by = list(dict.fromkeys(e.tested_by))
    return e


def load(path: Path = REGISTRY) -> list[Entry]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = [judge(Entry(seed=d["seed"], no=d["no"], text=d["text"], rules=d.get("rules", []),
                           code=d.get("code", []), tests=d.get("tests", []), manual=d.get("manual", "")))
               for d in data["one_liner"]]
    keys = [(e.seed, e.no) for e in entries]
    dup = [k for k, n in Counter(keys).items() if n > 1]
    if dup:
        raise SystemExit(f"{path.name}: aynı satır iki kez: {dup}")
    return entries


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(entries: list[Entry]) -> str:
    total = Counter(e.status for e in entries)
    n = len(entries)
    lines = [
        "# Guide rules: status, home and test",
        "",
        "Generated by `scripts/rule_status.py` from `docs/rule-registry.toml` and the code; do not edit.",
        "A one-liner is *kodlandı* when the rule ids or functions that encode it exist, a rule id is",
        "emitted by product code, and a test names it; *elle* when a machine cannot check it (the",
        "reason is given); *eksik* otherwise, with what is lacking.",
        "",
        f"Total {n}: kodlandı {total['encoded']} ({100 * total['encoded'] / n:.1f} %), "
        f"elle {total['manual']}, eksik {total['missing']}.",
        "",
        "| program | one-liners | kodlandı | elle | eksik |",
        "|---|---|---|---|---|",
    ]
    for seed, name in SEEDS.items():
        c = Counter(e.status for e in entries if e.seed == seed)
        lines.append(f"| {seed} {name} | {sum(c.values())} | {c['encoded']} | {c['manual']} | {c['missing']} |")
    lines += ["", "| seed | # | one-liner | status | home | test | note |", "|---|---|---|---|---|---|---|"]
    for e in entries:
        note = e.manual if e.status == "manual" else "; ".join(e.problems)
        lines.append(f"| {e.seed} | {e.no} | {_cell(e.text)} | {LABEL[e.status]} | "
                     f"{_cell(', '.join(e.homes[:3]))} | {_cell(', '.join(e.tested_by[:2]))} | {_cell(note)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail when docs/rule-status.md is stale")
    args = ap.parse_args(argv)
    text = render(load())
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print("docs/rule-status.md güncel değil: scripts/rule_status.py çalıştırın", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(text.splitlines()[7])
    return 0


if __name__ == "__main__":
    sys.exit(main())
