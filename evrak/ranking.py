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

Where the sheet gives each evaluator's scores, the project's scores come from them by the
guide's rules (evrak.evaluation.combine_evaluators, 001:L920-922); formula-scored sub-criteria
are computed and a typed point that differs is noted on the row (evrak.evaluation.computed_points);
a project the ÇS screening classed as not supported leaves the lists (001:L947).

No I/O here: worker/ranking.py reads score sheets and writes lists and letters.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from evrak.errors import UserError
from evrak.evaluation import (
    Computed,
    EvaluatorScore,
    Inputs,
    check_amounts,
    combine_evaluators,
    computed_points,
    es_class,
)
from evrak.money import format_number
from evrak.profiles import Program


class Outcome(enum.StrEnum):
    MAIN = "asil"
    RESERVE = "yedek"
    FAILED = "basarisiz"
    THIRD_EVALUATION = "ucuncu_degerlendirme"
    RESTART = "yeniden_degerlendirme"  # 001:L921-922: the committee process starts over
    NOT_SUPPORTED = "desteklenmez"  # 001:L947: ÇS risk class High

    @property
    def label(self) -> str:
        return {
            Outcome.MAIN: "Asil liste",
            Outcome.RESERVE: "Yedek liste",
            Outcome.FAILED: "Başarısız",
            Outcome.THIRD_EVALUATION: "Üçüncü değerlendirme bekliyor",
            Outcome.RESTART: "Değerlendirme yeniden başlatılacak",
            Outcome.NOT_SUPPORTED: "Desteklenmez (ÇS riski)",
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
    # Each evaluator's section scores, when the sheet gives them: `sections` then comes from
    # them (001:L920-922). The application's data for the formula-scored sub-criteria and checks.
    evaluators: tuple[EvaluatorScore, ...] = ()
    inputs: Inputs = field(default_factory=Inputs)

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
    computed: tuple[Computed, ...] = ()  # formula-scored sub-criteria, computed beside typed
    notes: tuple[str, ...] = ()  # for staff: a typed point that differs, a contract condition


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
    """Every section present, within 0..max; the revised and the Board's amounts within what the
    guide allows (evrak.evaluation.check_amounts); names the row and column that is wrong."""
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
    check_amounts(program, scores.requested, scores.co_financing, scores.inputs,
                  scores.source or scores.application_no)


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


def _needs_third(program: Program, s: Scores) -> str | None:
    """From the evaluators' totals alone (no 'Değerlendiriciler' page): a gap of `evaluator_gap`
    (001:L921), or, with the split-verdict rule, one total under the success total and one not
    (001:L922: a total under 65 is a failing evaluator; whether the other passes also depends on
    his İlgililik, which the totals do not show, so the row waits for staff either way)."""
    sc = program.scoring
    totals = s.evaluator_totals
    if len(totals) != 2:
        return None
    a, b = totals
    if sc.evaluator_gap is not None and abs(a - b) >= sc.evaluator_gap:
        return f"değerlendirici puanları arasında {format_number(abs(a - b))} puan fark var (001:L921)"
    if sc.split_verdict and sc.total_min is not None and (a < sc.total_min) != (b < sc.total_min):
        return (f"değerlendirici toplamlarından biri {format_number(min(a, b))} < {format_number(sc.total_min)}: "
                "biri başarısız bulmuş, üçüncü değerlendirici gerekir (001:L922)")
    return None


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


def from_evaluators(program: Program, s: Scores) -> tuple[Scores, Ranked | None]:
    """The row with its section scores from its evaluators (001:L920-922), or the row held back
    for a third evaluator or a restart. The typed section averages, if any, must agree."""
    if not s.evaluators:
        return s, None
    known = [sec.id for sec in program.scoring.sections]
    for e in s.evaluators:
        missing = [sid for sid in known if sid not in e.sections]
        if missing:
            raise UserError(f"{e.source or s.source}: {s.application_no} değerlendirici {e.evaluator}: "
                            f"'{missing[0]}' bölüm puanı yok")
    combined = combine_evaluators(program, s.evaluators)
    totals = tuple(e.total for e in s.evaluators)
    if s.evaluator_totals and s.evaluator_totals != totals[: len(s.evaluator_totals)]:
        raise UserError(f"{s.source}, 'Değerlendirici Puanları': "
                        f"{' '.join(format_number(t) for t in s.evaluator_totals)}; 'Değerlendiriciler' sayfasındaki "
                        f"toplamlar {' '.join(format_number(t) for t in totals)}")
    if combined.sections is None:
        placeholder = replace(s, sections={sid: Decimal(0) for sid in known}, evaluator_totals=totals)
        outcome = Outcome.THIRD_EVALUATION if combined.status == "third" else Outcome.RESTART
        return placeholder, Ranked(placeholder, Decimal(0), 0, Decimal(0), outcome, None, (combined.reason,))
    if s.sections:
        for sid, value in combined.sections.items():
            if sid in s.sections and s.sections[sid] != value:
                raise UserError(f"{s.source}, '{sid}': {format_number(s.sections[sid])} girilmiş, "
                                f"değerlendiricilerin puanlarından {format_number(value)} çıkıyor "
                                f"({'+'.join(combined.used)}; 001:L920-922)")
    return replace(s, sections=combined.sections, evaluator_totals=totals), None


def _evaluation_notes(program: Program, s: Scores) -> tuple[tuple[Computed, ...], tuple[str, ...]]:
    """Computed sub-criteria and the notes they give: a typed point that differs from the formula
    (or exceeds the guide's cap), with the computed one beside it, for staff to correct."""
    computed = tuple(computed_points(program, s.inputs, s.submitted_at.date()))
    notes = tuple(c.note() for c in computed if c.differs)
    return computed, notes


def rank(program: Program, rows: Iterable[Scores]) -> Ranking:
    """The evaluation sheet of a call: evaluators, thresholds, bonus, order, asil and yedek lists."""
    sc = program.scoring
    rows = list(rows)
    seen: set[str] = set()
    held: list[Ranked] = []
    ready: list[Scores] = []
    for s in rows:
        if s.application_no in seen:
            raise UserError(f"{s.source}: {s.application_no} iki kez puanlanmış")
        seen.add(s.application_no)
        s, hold = from_evaluators(program, s)
        validate(program, s)
        if hold is not None:
            held.append(hold)
        else:
            ready.append(s)
    failed: list[Ranked] = []
    pending: list[Ranked] = list(held)
    passed: list[Ranked] = []
    excluded: list[Ranked] = []
    es_missing = 0
    for s in ready:
        base = sum(s.sections.values(), start=Decimal(0))
        computed, notes = _evaluation_notes(program, s)
        third = None if s.evaluators else _needs_third(program, s)
        if third:
            pending.append(Ranked(s, base, 0, base, Outcome.THIRD_EVALUATION, None, (third,), computed, notes))
            continue
        if len(s.evaluator_totals) == 2 and not s.evaluators:
            mean = sum(s.evaluator_totals, start=Decimal(0)) / 2
            if mean != base:
                notes += (f"değerlendirici toplamlarının ortalaması {format_number(mean)}, bölüm puanlarının toplamı "
                          f"{format_number(base)}: proje puanı iki puanın aritmetik ortalamasıdır "
                          f"({program.scoring.evaluators_lines or program.scoring.lines})",)
        why = _failures(program, s, base)
        if why:
            failed.append(Ranked(s, base, 0, base, Outcome.FAILED, None, tuple(why), computed, notes))
            continue
        bonus = domestic_bonus(program, s)
        risk = es_class(s.inputs.es_risk)
        if risk is not None and risk in sc.es_risk_excluded:
            why_not = f"çevresel ve sosyal risk sınıfı {s.inputs.es_risk}: desteklenmez ({sc.es_lines})"
            excluded.append(Ranked(s, base, bonus, base + bonus, Outcome.NOT_SUPPORTED, None, (why_not,),
                                   computed, notes))
            continue
        if risk is not None and risk in sc.es_risk_contract_blocked:
            notes += (f"ÇS risk sınıfı {s.inputs.es_risk}: ÇSYP/ÇSED dokümanları tamamlanmadan sözleşme "
                      f"imzalanmaz ({sc.es_lines})",)
        if risk is None and sc.es_risk_excluded:
            es_missing += 1
        passed.append(Ranked(s, base, bonus, base + bonus, Outcome.MAIN, None, (), computed, notes))
    passed.sort(key=lambda r: _order_key(program, r))
    budget = program.amounts.program_budget
    allocated = Decimal(0)
    out: list[Ranked] = []
    full = False
    for place, r in enumerate(passed, start=1):
        fits = budget is None or (not full and allocated + r.scores.requested <= budget)
        if fits:
            allocated += r.scores.requested
            out.append(replace(r, outcome=Outcome.MAIN, rank=place))
        else:
            full = True
            out.append(replace(r, outcome=Outcome.RESERVE, rank=place))
    failed.sort(key=lambda r: (-r.total, r.scores.application_no))
    notes: list[str] = []
    if budget is None:
        notes.append("Programın toplam bütçesi profilde yok: başarılı projelerin hepsi asil listede.")
    if es_missing:
        notes.append(f"{es_missing} başarılı projenin ÇS risk sınıfı ('ÇS Risk Sınıfı') girilmemiş: tarama sonucu "
                     f"girilene kadar yüksek riskli projeler ayıklanmadı ({sc.es_lines}).")
    return Ranking(program.id, budget, tuple(out + excluded + pending + failed), allocated, tuple(notes))
