"""Compare what the readers found with the corpus truth, per kind and per field.

Every field is one of four groups the issue sets thresholds on (amounts, dates, ids, names)
or "other" (decision flags, signing modes). A value the truth does not have but the reader
reports counts as wrong: a wrong value is worse than a missing one, so precision is the
figure that must be 100 % for amounts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from evrak.text import fold, name_key, same_company

GROUP = {
    "net_total": "amounts", "kdv_total": "amounts", "grand_total": "amounts", "lines": "amounts",
    "amount": "amounts", "person.limit": "amounts",
    "issued_on": "dates", "valid_until": "dates", "registered_on": "dates", "person.valid_until": "dates",
    "supplier_id": "ids", "buyer_id": "ids", "vkn": "ids", "person.tckn": "ids", "number": "ids",
    "yevmiye_no": "ids", "reference": "ids", "nace_codes": "ids",
    "supplier": "names", "buyer": "names", "company": "names", "bank": "names", "issuer": "names",
    "person.name": "names",
    "positive": "other", "person.mode": "other",
}
GROUPS = ("amounts", "dates", "ids", "names", "other")
FIELDS = {
    "proforma": ("supplier", "supplier_id", "buyer", "buyer_id", "number", "issued_on", "valid_until", "net_total",
                 "kdv_total", "grand_total", "lines"),
    "e_fatura": ("supplier", "supplier_id", "buyer", "buyer_id", "number", "issued_on", "net_total", "kdv_total",
                 "grand_total", "lines"),
    "imza_sirkuleri": ("company", "vkn", "issued_on", "yevmiye_no"),
    "kredi_uygunluk_belgesi": ("bank", "company", "vkn", "amount", "issued_on", "positive", "reference"),
    "faaliyet_belgesi": ("issuer", "company", "vkn", "issued_on", "registered_on", "nace_codes"),
}


def _same_firm(got: str, truth: str) -> bool:
    return same_company(got, truth) and name_key(got)[:2] == name_key(truth)[:2]


def _same_person(got: str, truth: str) -> bool:
    return name_key(got) == name_key(truth)


def _same_id(got: Any, truth: str) -> bool:
    return "".join(ch for ch in str(got) if ch.isalnum()) == "".join(ch for ch in truth if ch.isalnum())


def same(name: str, got: Any, truth: Any) -> bool:
    """Whether a read value is the true one; names compare folded and word-wise, not by bytes."""
    group = GROUP[name]
    if group == "amounts":
        return Decimal(str(got)) == Decimal(str(truth))
    if group == "dates":
        return (got.isoformat() if isinstance(got, date) else str(got)) == truth
    if group == "ids":
        if name == "nace_codes":
            return sorted(got) == sorted(truth)
        return _same_id(got, truth)
    if group == "names":
        if name in ("person.name",):
            return _same_person(got, truth)
        if name == "bank":
            return fold(got).replace(" ", "") == fold(truth).replace(" ", "")
        if name == "issuer":
            return fold(got) == fold(truth)
        return _same_firm(got, truth) or _same_person(got, truth)
    if name == "person.mode":
        return str(getattr(got, "value", got)) == truth
    return got == truth


def _unread(got: Any) -> bool:
    """A value the reader marked as not read (a signing mode "bilinmiyor"): missing, not wrong."""
    return str(getattr(got, "value", got)) in ("bilinmiyor", "unknown")


class Score:
    """Counts per (kind, field) and per (kind, group)."""

    def __init__(self) -> None:
        self.tp: dict[tuple[str, str], int] = defaultdict(int)
        self.wrong: dict[tuple[str, str], int] = defaultdict(int)
        self.truths: dict[tuple[str, str], int] = defaultdict(int)
        self.examples: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.missed: dict[tuple[str, str], list[str]] = defaultdict(list)  # true values not read
        self.docs: dict[str, int] = defaultdict(int)
        self.kind_ok: dict[str, int] = defaultdict(int)

    def add(self, kind: str, name: str, got: Any, truth: Any, where: str = "") -> None:
        key = (kind, name)
        if truth is None:
            if got not in (None, [], "") and not _unread(got):
                self.wrong[key] += 1
                self.examples[key].append(f"{where}: {got!r} (truth: none)")
            return
        self.truths[key] += 1
        if got in (None, [], "") or _unread(got):
            self.missed[key].append(f"{where}: {truth!r}")
            return
        if same(name, got, truth):
            self.tp[key] += 1
        else:
            self.wrong[key] += 1
            self.examples[key].append(f"{where}: {got!r} != {truth!r}")

    def document(self, kind: str, facts: Any, truth: dict, where: str) -> None:
        """Score one document's facts (None when nothing was read) against its truth."""
        self.docs[kind] += 1
        for name in FIELDS[kind]:
            if name == "lines":
                got_amounts = [ln.amount for ln in getattr(facts, "lines", None) or []]
                true_amounts = [Decimal(a) for a in truth["lines"]]
                for a in true_amounts:
                    self.add(kind, "lines", a if a in got_amounts else None, str(a), where)
                for a in got_amounts:  # a line amount the document does not have is a wrong value
                    if a not in true_amounts:
                        self.add(kind, "lines", a, None, where)
                continue
            self.add(kind, name, getattr(facts, name, None) if facts is not None else None, truth.get(name), where)
        if kind == "imza_sirkuleri":
            persons = list(getattr(facts, "persons", None) or [])
            for q in truth["persons"]:
                p = next((x for x in persons if x.tckn and _same_id(x.tckn, q["tckn"])), None)
                if p is None:
                    p = next((x for x in persons if _same_person(x.name, q["name"])), None)
                if p is not None:
                    persons.remove(p)
                self.add(kind, "person.name", p.name if p else None, q["name"], where)
                self.add(kind, "person.tckn", p.tckn if p else None, q["tckn"], where)
                self.add(kind, "person.mode", p.mode if p else None, q["mode"], where)
                self.add(kind, "person.valid_until", p.valid_until if p else None, q["valid_until"], where)
                self.add(kind, "person.limit", p.limit if p else None, q["limit"], where)
            for p in persons:  # a person the circular does not name
                self.add(kind, "person.name", p.name, None, where)

    # reporting ---------------------------------------------------------------------------
    def cell(self, keys: list[tuple[str, str]]) -> tuple[float, float, int, int, int]:
        tp = sum(self.tp[k] for k in keys)
        wrong = sum(self.wrong[k] for k in keys)
        truths = sum(self.truths[k] for k in keys)
        precision = tp / (tp + wrong) if tp + wrong else 1.0
        recall = tp / truths if truths else 1.0
        return precision, recall, tp, wrong, truths

    def group(self, group: str, kind: str | None = None) -> tuple[float, float, int, int, int]:
        keys = [k for k in set(self.truths) | set(self.wrong) | set(self.tp)
                if GROUP[k[1]] == group and (kind is None or k[0] == kind)]
        return self.cell(keys)

    def table(self, title: str) -> str:
        out = [f"{title}", f"  {'kind':<24}{'field':<20}{'precision':>10}{'recall':>8}{'wrong':>7}{'truths':>8}"]
        for kind in FIELDS:
            if not self.docs[kind]:
                continue
            names = sorted({k[1] for k in set(self.truths) | set(self.wrong) if k[0] == kind},
                           key=lambda n: (GROUPS.index(GROUP[n]), n))
            for n in names:
                p, r, _tp, w, t = self.cell([(kind, n)])
                out.append(f"  {kind:<24}{n:<20}{p:>10.3f}{r:>8.3f}{w:>7}{t:>8}")
        out.append(f"  {'ALL':<24}{'group':<20}")
        for g in GROUPS:
            p, r, _tp, w, t = self.group(g)
            out.append(f"  {'':<24}{g:<20}{p:>10.3f}{r:>8.3f}{w:>7}{t:>8}")
        return "\n".join(out)

    def missed_examples(self, groups: tuple[str, ...] = GROUPS, limit: int = 5) -> str:
        """True values the readers left unread, per field (what recall lost)."""
        out = []
        for key, ex in sorted(self.missed.items()):
            if GROUP[key[1]] in groups:
                out.extend(f"  {key[0]}.{key[1]}: {e}" for e in ex[:limit])
        return "\n".join(out)

    def wrong_examples(self, limit: int = 3) -> str:
        out = []
        for key, ex in sorted(self.examples.items()):
            for e in ex[:limit]:
                out.append(f"  {key[0]}.{key[1]}: {e}")
        return "\n".join(out)
