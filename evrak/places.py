"""Places in Turkish text: which provinces a branch, chamber or address names (D17, seat rules).

The data is programs/places.toml: the 81 provinces, their other names, and the districts of
the provinces the programmes cover. A name is matched as whole folded words, so "Karaman"
is not found inside "Kahramanmaraş" and "Antakya Şubesi" places the branch in Hatay.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from evrak.text import fold

PLACES_FILE = Path(__file__).resolve().parents[1] / "programs" / "places.toml"


@functools.cache
def _index() -> tuple[dict[str, frozenset[str]], re.Pattern[str]]:
    data = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))
    names: dict[str, set[str]] = {}
    for prov in data["provinces"]:
        names.setdefault(fold(prov), set()).add(prov)
    for prov, other in data.get("aliases", {}).items():
        for name in other:
            names.setdefault(fold(name), set()).add(prov)
    for prov, districts in data.get("districts", {}).items():
        for name in districts:
            names.setdefault(fold(name), set()).add(prov)
    keys = sorted(names, key=len, reverse=True)  # longest first: "kahramanmaras" before "maras"
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9])")
    return {k: frozenset(v) for k, v in names.items()}, pattern


def provinces_in(text: str | None) -> list[frozenset[str]]:
    """Each place named in `text`, as the set of provinces it may be in (usually one)."""
    if not text:
        return []
    names, pattern = _index()
    return [names[m.group(1)] for m in pattern.finditer(fold(text))]


def placed_in(text: str | None, region: list[str]) -> bool | None:
    """True: the text names a place in `region`; False: it names places, none in the region;
    None: it names no place we know (the caller must not guess)."""
    found = provinces_in(text)
    if not found:
        return None
    wanted = {fold(p) for p in region}
    return any(all(fold(p) in wanted for p in options) for options in found)


def all_provinces() -> list[str]:
    return list(tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))["provinces"])
