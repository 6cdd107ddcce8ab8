"""The evaluation grid's own arithmetic (issue 16), beside the ranking in evrak/ranking.py.

What the guides define by rule rather than by judgement, so the product computes it instead of
trusting a typed number:

- the project's score from its evaluators (001:L920-922): the mean of two; a third evaluator when
  two successful scores are 20 or more apart, or when one evaluator passes it and the other does
  not; which two scores are then averaged; when the committee process starts over;
- sub-criteria scored by a formula from the application's data: 001's 2.4 (women/youth 18-35
  ownership or management), 3.1 (new jobs by share of current staff, plus KSRU training) and the
  7-point cap on 2.3 outside the vulnerable districts; 002's 2.4 (year of earlier DOĞAKA support);
  003's 2.3 (micro 5 / small 2) and 2.4 (earlier BAKA support). A computed point is never
  written over the committee's: where they differ the ranking row carries a note for staff;
- what the Secretary General's budget revision and the Board may not do (001:L936, L938), as
  checks of the imported score sheet.

Every parameter lives in the profile's `[scoring]` (evrak.profiles.Scoring, ComputedPoint).
No I/O here: worker/ranking.py reads the sheets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from evrak.errors import UserError
from evrak.money import format_number, format_tl
from evrak.profiles import ComputedPoint, Program
from evrak.text import fold

# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A partner or manager of the applicant (the score sheet's 'Ortaklar' page, from the trade
    registry and the IDs): what criterion 001-2.4 needs to know about them."""

    name: str
    woman: bool | None = None  # None: not given
    born_on: date | None = None
    share: Decimal | None = None  # partnership share, 0..1
    manager: bool = False


@dataclass(frozen=True)
class Inputs:
    """The application's data the formula-scored sub-criteria and the sheet checks need; None
    where the sheet does not give it (then nothing is computed or checked from it, D32)."""

    current_staff: int | None = None  # 001 3.1: mevcut personel (EK 4)
    new_jobs: int | None = None  # 001 3.1: yeni istihdam taahhüdü (EK 8)
    ksru: bool | None = None  # 001 3.1: KSRU eğitimi taahhüdü (EK 8)
    district: str | None = None  # 001 2.3: the district the project is carried out in
    women_youth: bool | None = None  # 001 2.4: the applicant's declaration (EK 8)
    people: tuple[Person, ...] = ()  # 001 2.4: partners and managers, when listed
    size: str | None = None  # 003 2.3: KOBİ class (mikro, kucuk, ...)
    previous_support: bool | None = None  # 002/003 2.4: earlier support from the agency
    previous_support_year: int | None = None  # 002 2.4: the latest year of that support
    applied_total: Decimal | None = None  # 001:L936: the project budget as applied for
    board_amount: Decimal | None = None  # 001:L938: the support in the Board's list
    es_risk: str | None = None  # 001:L940-947: ÇS risk class (Düşük, Orta, Önemli, Yüksek)
    typed: dict[str, Decimal] = field(default_factory=dict)  # the committee's sub-criterion points


@dataclass(frozen=True)
class EvaluatorScore:
    """One evaluator's section scores for one application (the 'Değerlendiriciler' page)."""

    evaluator: str
    sections: dict[str, Decimal]
    source: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.sections.values(), start=Decimal(0))


# --- evaluators -> the project's score (001:L920-922) ----------------------------------------


@dataclass(frozen=True)
class Combined:
    """The project's section scores from its evaluators, or why there are none yet."""

    status: Literal["ok", "third", "restart"]
    sections: dict[str, Decimal] | None
    reason: str = ""
    used: tuple[str, ...] = ()  # the evaluators whose mean was taken


def evaluator_passes(program: Program, sections: dict[str, Decimal]) -> bool:
    """One evaluator "finds the project successful" when his own scores meet the guide's success
    conditions (001:L914-916: total 65 and İlgililik 15; the same test as the project's)."""
    sc = program.scoring
    total = sum(sections.values(), start=Decimal(0))
    if sc.total_min is not None and total < sc.total_min:
        return False
    return all(sec.min is None or sections.get(sec.id, Decimal(0)) >= sec.min for sec in sc.sections)


def _mean(*evals: EvaluatorScore) -> Combined:
    keys = evals[0].sections.keys()
    sections = {k: sum((e.sections[k] for e in evals), start=Decimal(0)) / len(evals) for k in keys}
    return Combined("ok", sections, used=tuple(e.evaluator for e in evals))


def combine_evaluators(program: Program, evals: Sequence[EvaluatorScore]) -> Combined:
    """The guide's systematics (001:L920-922), in the sheet's order (the third row is the
    third evaluator); without a gap or split rule in the profile (002, 003) simply the mean.

    - two evaluators: the mean (L920), unless both pass and are `evaluator_gap` or more apart
      (L921) or one passes and the other fails (L922, `split_verdict`): then a third is called;
    - a third after a gap: if he fails it, the committee process starts over; otherwise the mean
      of his score and the closer of the first two, the higher one when both are as close (L921);
    - a third after a split: if he fails it, the mean of the two failing scores whatever their
      gap; if he passes it, the mean of the two passing ones, unless those are `evaluator_gap` or
      more apart: then the process starts over (L922).
    """
    sc = program.scoring
    where = evals[0].source if evals else ""
    if not evals:
        raise UserError("değerlendirici puanı yok")
    gap = sc.evaluator_gap
    if gap is None and not sc.split_verdict:
        return _mean(*evals)
    if len(evals) == 1:
        return Combined("third", None, "tek değerlendirici puanı var; rehber iki değerlendirici ister (001:L912)")
    if len(evals) > 3:
        raise UserError(f"{where}: {len(evals)} değerlendirici puanı var; rehber en fazla üç değerlendirici öngörür "
                        "(001:L920-922)")
    a, b = evals[0], evals[1]
    pa, pb = evaluator_passes(program, a.sections), evaluator_passes(program, b.sections)
    far = gap is not None and abs(a.total - b.total) >= gap
    split = sc.split_verdict and pa != pb
    if len(evals) == 2:
        if pa and pb and far:
            return Combined("third", None, f"iki değerlendirici de başarılı buldu, puanlar arasında "
                                           f"{format_number(abs(a.total - b.total))} puan fark var (001:L921)")
        if split:
            return Combined("third", None, f"bir değerlendirici başarılı ({format_number(max(a.total, b.total))}), "
                                           "diğeri başarısız buldu (001:L922)")
        return _mean(a, b)
    c = evals[2]
    pc = evaluator_passes(program, c.sections)
    if pa and pb and far:
        if not pc:
            return Combined("restart", None, "üçüncü değerlendirici başarısız buldu: değerlendirme komitesi süreci "
                                             "yeniden başlatılır (001:L921)")
        da, db = abs(c.total - a.total), abs(c.total - b.total)
        closer = a if da < db else b if db < da else max((a, b), key=lambda e: e.total)
        return _mean(c, closer)
    if split:
        passing, failing = (a, b) if pa else (b, a)
        if not pc:
            return _mean(failing, c)
        if gap is not None and abs(passing.total - c.total) >= gap:
            return Combined("restart", None, f"iki başarılı puan arasında {format_number(abs(passing.total - c.total))}"
                                             " puan fark var: değerlendirme komitesi süreci yeniden başlatılır "
                                             "(001:L922)")
        return _mean(passing, c)
    raise UserError(f"{c.source or where}: üçüncü değerlendirici puanı var ama rehber bu durumda üçüncü "
                    "değerlendirme öngörmüyor (iki başarılı puan arasındaki fark 20'den az ya da ikisi de "
                    "başarısız; 001:L920-922)")


# --- formula-scored sub-criteria -------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """One formula-scored sub-criterion of one application: what the guide's formula gives
    (or the most it allows), the committee's typed point, and how it was worked out."""

    id: str
    points: Decimal | None  # the formula's value; None where only a cap applies or data is missing
    cap: Decimal | None  # the most the guide allows here
    typed: Decimal | None
    basis: str  # in Turkish, for staff
    lines: str

    @property
    def differs(self) -> bool:
        if self.typed is None:
            return False
        if self.points is not None and self.typed != self.points:
            return True
        return self.cap is not None and self.typed > self.cap

    def note(self) -> str:
        """The note on the ranking row: the computed value beside the typed one."""
        typed = format_number(self.typed) if self.typed is not None else "—"
        if self.points is not None:
            return (f"{self.id} puanı: girilen {typed}, hesaplanan {format_number(self.points)} "
                    f"({self.basis}; {self.lines})")
        if self.cap is not None:
            return (f"{self.id} puanı: girilen {typed}, en fazla {format_number(self.cap)} olabilir "
                    f"({self.basis}; {self.lines})")
        return f"{self.id} puanı hesaplanamadı: {self.basis} ({self.lines})"


def age_on(born: date, on: date) -> int:
    """Completed years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def is_woman_or_youth(person: Person, on: date, ages: tuple[int, int] = (18, 35)) -> bool | None:
    """A woman, or young: 18-35 years old, both ends included (001:L120 "Genç: 18-35 yaş
    arasındaki bireyler"; digest A10: 35 is young). None when neither can be told."""
    if person.woman:
        return True
    if person.born_on is not None:
        young = ages[0] <= age_on(person.born_on, on) <= ages[1]
        if young:
            return True
        if person.woman is False:
            return False
    return None


def _share_over(values: list[tuple[Decimal, bool | None]], over: Decimal) -> bool | None:
    """Is the share of women/youth above `over`? Unknown people may tip it either way: decided
    only when the known ones settle it."""
    total = sum((w for w, _ in values), start=Decimal(0))
    if total <= 0:
        return None
    yes = sum((w for w, v in values if v), start=Decimal(0)) / total
    maybe = sum((w for w, v in values if v is None), start=Decimal(0)) / total
    if yes > over:
        return True
    if yes + maybe <= over:
        return False
    return None


def women_youth(part: ComputedPoint, inputs: Inputs, on: date) -> tuple[int | None, str]:
    """001 2.4 (L392, L901): owned or managed by women or youth, or more than half of the
    management, or more than half of the partnership -> 5; otherwise at most 1 (and at least 1,
    L912). From the partner list when the sheet gives one, else from the applicant's EK 8
    declaration. Age is taken on the submission day [çıkarım: the guide does not say, A10]."""
    yes, no = part.points.get("yes", 5), part.points.get("no", 1)
    if inputs.people:
        flags = [is_woman_or_youth(p, on, part.youth_ages) for p in inputs.people]
        owners = [(p.share, f) for p, f in zip(inputs.people, flags, strict=True) if p.share]
        managers = [(Decimal(1), f) for p, f in zip(inputs.people, flags, strict=True) if p.manager]
        by_share = _share_over(owners, part.share_over) if owners else False
        by_mgmt = _share_over(managers, part.share_over) if managers else False
        if by_share or by_mgmt:
            what = "ortaklığın" if by_share else "yönetimin"
            return yes, f"{what} yarısından fazlası kadın/genç (18-35)"
        if by_share is False and by_mgmt is False:
            return no, "ortaklık ve yönetimin yarısından fazlası kadın/genç değil"
        return None, "ortaklardan/yöneticilerden bazılarının cinsiyeti veya doğum tarihi yok"
    if inputs.women_youth is None:
        return None, "ortak listesi ve kadın/genç beyanı yok"
    return (yes, "kadın/genç sahipliği veya yönetimi beyan edilmiş") if inputs.women_youth else \
        (no, "kadın/genç sahipliği veya yönetimi beyan edilmemiş")


def employment(part: ComputedPoint, inputs: Inputs) -> tuple[int | None, str]:
    """001 3.1 (L393, L903): new jobs, at least 1, up to 5 % of current staff -> 2; over 5 % up
    to 10 % -> 3; over 10 % -> 5 (digest A8: 5 % exactly is 2, 10 % exactly is 3)."""
    if inputs.new_jobs is None or inputs.current_staff is None:
        return None, "mevcut personel veya yeni istihdam sayısı yok"
    if inputs.new_jobs < part.min_new:
        return part.points.get("none", 0), f"yeni istihdam {inputs.new_jobs}"
    if inputs.current_staff <= 0:
        return part.points.get("above", 0), f"yeni istihdam {inputs.new_jobs}, mevcut personel yok"
    share = Decimal(inputs.new_jobs) / Decimal(inputs.current_staff)
    pts = next((p for upto, p in part.bands if share <= upto), part.points.get("above", 0))
    return pts, (f"yeni istihdam {inputs.new_jobs} / mevcut personel {inputs.current_staff} = "
                 f"%{format_number(share * 100)}")


def _flag(part: ComputedPoint, value: bool | None, what: str) -> tuple[int | None, str]:
    if value is None:
        return None, f"{what} bilgisi yok"
    return (part.points.get("yes", 0), f"{what}: evet") if value else (part.points.get("no", 0), f"{what}: hayır")


def enterprise_size(part: ComputedPoint, inputs: Inputs) -> tuple[int | None, str]:
    """003 2.3 (L1785-1791, L323-325): micro 5, small 2."""
    if not inputs.size:
        return None, "KOBİ sınıfı yok"
    size = fold(inputs.size).replace(" isletme", "")
    if size not in part.points:
        return None, f"KOBİ sınıfı '{inputs.size}' için rehberde puan yok"
    return part.points[size], f"KOBİ sınıfı {inputs.size}"


def previous_support(part: ComputedPoint, inputs: Inputs) -> tuple[int | None, str]:
    """003 2.4 (L1793-1798, L327-331): no earlier agency support 5, otherwise 1."""
    had = inputs.previous_support
    if had is None and inputs.previous_support_year is not None:
        had = True
    if had is None:
        return None, "önceki Ajans desteği bilgisi yok"
    return (part.points.get("any", 1), "daha önce Ajans desteği almış") if had else \
        (part.points.get("none", 5), "daha önce Ajans desteği almamış")


def previous_support_year(part: ComputedPoint, inputs: Inputs) -> tuple[int | None, str]:
    """002 2.4 (L889-891): never supported 5; supported in 2018 or before 3; in 2019-2021 1.
    The latest year of support decides [çıkarım]; a later year is not in the guide (C12): no
    value, the committee's point stands."""
    if inputs.previous_support is False:
        return part.points.get("none", 5), "daha önce Ajans desteği almamış"
    year = inputs.previous_support_year
    if year is None:
        return None, ("önceki desteğin yılı yok" if inputs.previous_support else "önceki Ajans desteği bilgisi yok")
    pts = next((p for upto, p in part.years if year <= upto), None)
    if pts is None:
        return None, f"{year} yılındaki destek için rehberde puan yok (C12)"
    return pts, f"son Ajans desteği {year} yılında"


def district_cap(part: ComputedPoint, inputs: Inputs) -> tuple[Decimal | None, str]:
    """001 2.3 (L897-900, L394): a project not aimed at the listed vulnerable districts gets at
    most 7 points; one aimed at them up to the full 10."""
    if not inputs.district:
        return None, "uygulama ilçesi yok"
    listed = {fold(d) for d in part.districts}
    if fold(inputs.district) in listed:
        return None, f"{inputs.district} kırılgan ilçeler listesinde"
    return part.cap, f"{inputs.district} kırılgan ilçeler listesinde değil"


def computed_points(program: Program, inputs: Inputs, on: date) -> list[Computed]:
    """Every formula-scored sub-criterion of the profile for one application, parts summed and
    floored at the profile's lowest sub-section point (001:L912)."""
    sc = program.scoring
    out: list[Computed] = []
    ids = list(dict.fromkeys(p.id for p in sc.computed))
    for sid in ids:
        parts = [p for p in sc.computed if p.id == sid]
        total: Decimal | None = Decimal(0)
        cap: Decimal | None = None
        bases: list[str] = []
        for part in parts:
            if part.kind == "district_cap":
                c, why = district_cap(part, inputs)
                cap = c
                bases.append(why)
                total = None if len(parts) == 1 else total
                continue
            if part.kind == "women_youth":
                pts, why = women_youth(part, inputs, on)
            elif part.kind == "employment":
                pts, why = employment(part, inputs)
            elif part.kind == "ksru":
                pts, why = _flag(part, inputs.ksru, "KSRU eğitimi taahhüdü")
            elif part.kind == "enterprise_size":
                pts, why = enterprise_size(part, inputs)
            elif part.kind == "previous_support":
                pts, why = previous_support(part, inputs)
            else:
                pts, why = previous_support_year(part, inputs)
            bases.append(why)
            total = None if pts is None or total is None else total + pts
        if total is not None and sc.sub_min is not None:
            total = max(total, sc.sub_min)
        lines = ", ".join(dict.fromkeys(p.lines for p in parts if p.lines))
        out.append(Computed(sid, total, cap, inputs.typed.get(sid), "; ".join(bases), lines))
    return out


# --- what the Secretary General and the Board may not do -------------------------------------


def check_amounts(program: Program, requested: Decimal, co_financing: Decimal, inputs: Inputs,
                  where: str) -> None:
    """The sheet's revised figures against the guide: the Secretary General's revision may lower
    a budget line or move it, but the project's total stays within the total applied for (001:L936);
    the Board may not change the amounts in the list it is given (001:L938). A sheet that breaks
    either is wrong data, not a judgement: a clear error naming the row and column."""
    sc = program.scoring
    revised = requested + co_financing
    if sc.revision_within_total and inputs.applied_total is not None and revised > inputs.applied_total:
        raise UserError(f"{where}, 'Başvurudaki Proje Bütçesi': revize bütçe {format_tl(revised)} (destek + eş "
                        f"finansman), başvurudaki {format_tl(inputs.applied_total)} tutarını geçiyor; genel sekreterin "
                        "revizyonu başvuru sırasındaki toplam tutarı geçemez (001:L936)")
    if sc.board_amounts_fixed and inputs.board_amount is not None and inputs.board_amount != requested:
        raise UserError(f"{where}, 'YK Destek Tutarı': {format_tl(inputs.board_amount)}, listedeki destek "
                        f"{format_tl(requested)}; Yönetim Kurulu listedeki projelerin bütçe miktarlarını "
                        "değiştiremez (001:L938). Tutarda tereddüt varsa genel sekreterden yeniden değerlendirme "
                        "istenir ve revize tutar 'Talep Edilen Destek' sütununa yazılır.")


def es_class(value: str | None) -> str | None:
    """The ÇS risk class folded to a key ("Yüksek Riskli" -> "yuksek")."""
    if not value:
        return None
    return fold(value).replace(" riskli", "").replace(" risk", "").strip()
