"""Evaluation and ranking: scores -> successful, asil and yedek lists (issue 16).

The guides' rules, all read from the profile's `[scoring]`: a project succeeds when its total
and its section minima are met (002:L867, 003:L1736-1740, 001:L914-916); yerli malı bonus
points are then added to successful projects and the list re-formed (002:L903,
003:L1741-1747); ties are broken by the guide's own order (002:L873-877, 003:L1751-1756,
001:L926-930); support is given down the list within the call's budget, and successful
projects that do not fit are the reserve list (002:L871, 001:L932).

The budget is filled strictly in rank order: the first successful project that does not fit
and every one after it go to the reserve list. The guides say support is given "söz konusu
sıralamaya göre"; skipping a large project to fund a smaller one further down would change
the order the committee set, so the product does not do it (a person may, by decision).

No I/O here: worker/ranking.py reads score sheets and writes lists and letters.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from evrak.errors import UserError
from evrak.money import format_number
from evrak.profiles import Program


class Outcome(enum.StrEnum):
    MAIN = "asil"
    RESERVE = "yedek"
    FAILED = "basarisiz"
    THIRD_EVALUATION = "ucuncu_degerlendirme"

    @property
    def label(self) -> str:
        return {
            Outcome.MAIN: "Asil liste",
            Outcome.RESERVE: "Yedek liste",
            Outcome.FAILED: "Başarısız",
            Outcome.THIRD_EVALUATION: "Üçüncü değerlendirme bekliyor",
        }[self]


@dataclass(frozen=True)
class Scores:
    """One application's evaluation: section scores (the evaluators' average) and what the
    ranking needs besides. `source` names where it came from (file and row) for messages."""

    application_no: str
    applicant: str
    requested: Decimal  # the (revised) support requested
    sections: dict[str, Decimal]
    submitted_at: datetime
    co_financing: Decimal = Decimal(0)
    domestic_goods: Decimal = Decimal(0)  # yerli malı commitment, TL
    single_application: bool = True
    evaluator_totals: tuple[Decimal, ...] = ()
    source: str = ""

    @property
    def budget(self) -> Decimal:
        return self.requested + self.co_financing


@dataclass(frozen=True)
class Ranked:
    scores: Scores
    base_total: Decimal
    bonus: int
    total: Decimal
    outcome: Outcome
    rank: int | None  # place among successful projects, 1-based
    reasons: tuple[str, ...] = ()  # why it failed, in Turkish


@dataclass(frozen=True)
class Ranking:
    program: str
    budget: Decimal | None
    rows: tuple[Ranked, ...]
    allocated: Decimal = Decimal(0)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def of(self, outcome: Outcome) -> list[Ranked]:
        return [r for r in self.rows if r.outcome == outcome]


def validate(program: Program, scores: Scores) -> None:
    """Every section present, within 0..max; names the row and column that is wrong."""
    where = f"{scores.source}: " if scores.source else ""
    known = {s.id: s for s in program.scoring.sections}
    for sid, sec in known.items():
        if sid not in scores.sections:
            raise UserError(f"{where}{scores.application_no} için '{sec.title}' ({sid}) puanı yok")
        value = scores.sections[sid]
        if value < 0 or value > sec.max:
            raise UserError(f"{where}{scores.application_no}: '{sec.title}' puanı {format_number(value)}; "
                            f"0 ile {format_number(sec.max)} arasında olmalı")
    extra = set(scores.sections) - set(known)
    if extra:
        raise UserError(f"{where}programda olmayan bölüm: {', '.join(sorted(extra))}")
    if scores.requested <= 0:
        raise UserError(f"{where}{scores.application_no}: talep edilen destek pozitif olmalı")


def _failures(program: Program, s: Scores, total: Decimal) -> list[str]:
    sc = program.scoring
    out = []
    if sc.total_min is not None and total < sc.total_min:
        out.append(f"toplam puan {format_number(total)} < {format_number(sc.total_min)}")
    for sec in sc.sections:
        if sec.min is not None and s.sections[sec.id] < sec.min:
            out.append(f"'{sec.title}' {format_number(s.sections[sec.id])} < {format_number(sec.min)}")
    return out


def domestic_bonus(program: Program, s: Scores) -> int:
    """Points for the yerli malı commitment: the highest step its share reaches."""
    sc = program.scoring
    base = s.requested if sc.domestic_bonus_base == "support" else s.budget
    if not sc.domestic_bonus_steps or base <= 0 or s.domestic_goods <= 0:
        return 0
    share = s.domestic_goods / base
    return max((pts for step, pts in sc.domestic_bonus_steps if share >= step), default=0)


def _needs_third(program: Program, s: Scores) -> bool:
    gap = program.scoring.evaluator_gap
    totals = s.evaluator_totals
    return gap is not None and len(totals) == 2 and abs(totals[0] - totals[1]) >= gap


def _order_key(program: Program, r: Ranked) -> tuple:
    key: list = [-r.total]
    for k in program.scoring.tie_break_keys:
        if k == "single_application":
            key.append(0 if r.scores.single_application else 1)
        elif k.startswith("section:"):
            key.append(-r.scores.sections[k.split(":", 1)[1]])
        elif k == "submitted_at":
            key.append(r.scores.submitted_at)
        else:
            raise UserError(f"bilinmeyen eşitlik bozma ölçütü '{k}' (profil scoring.tie_break_keys)")
    key.append(r.scores.application_no)  # last resort: stable and visible
    return tuple(key)


def rank(program: Program, rows: Iterable[Scores]) -> Ranking:
    """The evaluation sheet of a call: thresholds, bonus, order, asil and yedek lists."""
    rows = list(rows)
    seen: set[str] = set()
    for s in rows:
        validate(program, s)
        if s.application_no in seen:
            raise UserError(f"{s.source}: {s.application_no} iki kez puanlanmış")
        seen.add(s.application_no)
    failed: list[Ranked] = []
    pending: list[Ranked] = []
    passed: list[Ranked] = []
    for s in rows:
        base = sum(s.sections.values(), start=Decimal(0))
        if _needs_third(program, s):
            a, b = s.evaluator_totals
            pending.append(Ranked(s, base, 0, base, Outcome.THIRD_EVALUATION, None,
                                  (f"değerlendirici puanları arasında {format_number(abs(a - b))} puan fark var",)))
            continue
        why = _failures(program, s, base)
        if why:
            failed.append(Ranked(s, base, 0, base, Outcome.FAILED, None, tuple(why)))
            continue
        bonus = domestic_bonus(program, s)
        passed.append(Ranked(s, base, bonus, base + bonus, Outcome.MAIN, None))
    passed.sort(key=lambda r: _order_key(program, r))
    budget = program.amounts.program_budget
    allocated = Decimal(0)
    out: list[Ranked] = []
    full = False
    for place, r in enumerate(passed, start=1):
        fits = budget is None or (not full and allocated + r.scores.requested <= budget)
        if fits:
            allocated += r.scores.requested
            out.append(Ranked(r.scores, r.base_total, r.bonus, r.total, Outcome.MAIN, place))
        else:
            full = True
            out.append(Ranked(r.scores, r.base_total, r.bonus, r.total, Outcome.RESERVE, place))
    failed.sort(key=lambda r: (-r.total, r.scores.application_no))
    notes = ()
    if budget is None:
        notes = ("Programın toplam bütçesi profilde yok: başarılı projelerin hepsi asil listede.",)
    return Ranking(program.id, budget, tuple(out + pending + failed), allocated, notes)
