"""Shared assertions for the verifier tests: compare extracted facts with generated truth."""

from __future__ import annotations

from pathlib import Path

from evrak.text import name_key, same_company


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def same_name(a: str | None, b: str) -> bool:
    return a is not None and name_key(a) == name_key(b)


def same_firm(a: str | None, b: str) -> bool:
    return a is not None and same_company(a, b) and name_key(a)[:2] == name_key(b)[:2]


def rules(findings) -> list[str]:
    return [f.rule for f in findings]
