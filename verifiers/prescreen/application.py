"""Checks of the application data itself (the manifest) against the programme profile.

Each function is the one home of its rule ids; the guide lines come from the profile
section the numbers live in.
"""

from __future__ import annotations

from decimal import Decimal

from evrak.dates import format_datetime, format_long
from evrak.deadlines import application_deadline, period_for
from evrak.identifiers import is_valid_tax_id
from evrak.money import format_percent, format_tl
from evrak.text import fold
from verifiers.prescreen.context import CheckContext


def check_submission_time(ctx: CheckContext) -> None:
    """SUBMITTED_LATE: KAYS completion after the application deadline. SUBMITTED_OUTSIDE_PERIOD:
    in a programme with several periods, a submission between two periods is not silently
    counted in the next one (000:L585-598); staff decide."""
    m, p = ctx.manifest, ctx.program
    period = period_for(p, m.submitted_at)
    if len(p.periods) > 1:
        ctx.notes.append(f"Başvuru '{period.name}' dönemine sayıldı (son başvuru "
                         f"{format_datetime(period.application_deadline)}).")
        if period.opens is not None and m.submitted_at.date() < period.opens:
            ctx.finding("SUBMITTED_OUTSIDE_PERIOD",
                        f"Başvuru {format_datetime(m.submitted_at)} tarihinde tamamlanmış: önceki dönem kapanmış, "
                        f"'{period.name}' {format_long(period.opens)} tarihinde açılıyor. Hangi döneme "
                        "sayılacağını elle belirleyin.",
                        evidence=[ctx.manifest_evidence("submitted_at", m.submitted_at.isoformat())],
                        refs=period.lines)
    deadline = application_deadline(p, period)
    if m.submitted_at > deadline:
        ctx.finding("SUBMITTED_LATE",
                    f"Başvuru {format_datetime(m.submitted_at)} tarihinde tamamlanmış; son başvuru "
                    f"{format_datetime(deadline)}.",
                    evidence=[ctx.manifest_evidence("submitted_at", m.submitted_at.isoformat())],
                    refs=period.lines)


def check_identifiers(ctx: CheckContext) -> None:
    """VKN_INVALID / TCKN_INVALID: the applicant's tax id fails its checksum."""
    vkn = ctx.manifest.applicant.vkn
    if not is_valid_tax_id(vkn):
        rule = "TCKN_INVALID" if len(vkn) == 11 else "VKN_INVALID"
        ctx.finding(rule, f"Başvuru sahibinin vergi/T.C. kimlik numarası ({vkn}) doğrulanamadı.",
                    evidence=[ctx.manifest_evidence("applicant.vkn", vkn)])


def check_amounts(ctx: CheckContext) -> None:
    """AMOUNT_BELOW_MIN / AMOUNT_ABOVE_MAX / COFINANCING_OUT_OF_RANGE (D21)."""
    a, fin = ctx.program.amounts, ctx.manifest.financing
    ev = [ctx.manifest_evidence("financing.credit", fin.credit)]
    if a.minimum is not None and fin.credit < a.minimum:
        ctx.finding("AMOUNT_BELOW_MIN", f"Talep edilen tutar {format_tl(fin.credit)}, programın alt "
                    f"sınırı {format_tl(a.minimum)}.", evidence=ev, refs=a.lines)
    if a.maximum is not None and fin.credit > a.maximum:
        ctx.finding("AMOUNT_ABOVE_MAX", f"Talep edilen tutar {format_tl(fin.credit)}, programın üst "
                    f"sınırı {format_tl(a.maximum)}.", evidence=ev, refs=a.lines)
    total = fin.total
    if total <= 0:
        return
    share = fin.credit / total
    co_share = fin.co_financing / total
    problems = []
    if a.support_ratio_min is not None and share < a.support_ratio_min:
        problems.append(f"destek payı {format_percent(share)} < {format_percent(a.support_ratio_min)}")
    ratio_max = _support_ratio_max(ctx)
    if ratio_max is not None and share > ratio_max:
        problems.append(f"destek payı {format_percent(share)} > {format_percent(ratio_max)}")
    if a.cofinancing_min is not None and co_share < a.cofinancing_min:
        problems.append(f"eş finansman {format_percent(co_share)} < {format_percent(a.cofinancing_min)}")
    if a.cofinancing_max is not None and co_share > a.cofinancing_max:
        problems.append(f"eş finansman {format_percent(co_share)} > {format_percent(a.cofinancing_max)}")
    if problems:
        ctx.finding("COFINANCING_OUT_OF_RANGE",
                    f"Finansman oranları program sınırları dışında: {'; '.join(problems)} "
                    f"(toplam bütçe {format_tl(total)}).",
                    evidence=[*ev, ctx.manifest_evidence("financing.co_financing", fin.co_financing)],
                    refs=a.lines)


def _support_ratio_max(ctx: CheckContext) -> Decimal | None:
    """The highest blended support share: 004:L54 adds `domestic_goods_bonus` to the rate of
    each line that buys a product with a yerli malı belgesi, so the ceiling rises by the bonus
    times those lines' share of the budget. The bonus counts only where the package holds a
    yerli malı belgesi; otherwise DOMESTIC_BONUS_UNPROVEN asks staff (the ceiling stays)."""
    a, m = ctx.program.amounts, ctx.manifest
    if a.support_ratio_max is None:
        return None
    domestic = sum((ln.amount for ln in m.budget if ln.domestic_goods), start=Decimal(0))
    if not a.domestic_goods_bonus or domestic <= 0 or m.financing.total <= 0:
        return a.support_ratio_max
    if not m.files_of("yerli_mali_belgesi"):
        ctx.finding("DOMESTIC_BONUS_UNPROVEN",
                    f"Yerli malı olarak işaretlenen kalemler ({format_tl(domestic)}) için yerli malı belgesi "
                    "pakette yok; %15 ilave destek oranı belge görülmeden uygulanmadı.",
                    evidence=[ctx.manifest_evidence("budget.domestic_goods", domestic)], refs=a.lines)
        return a.support_ratio_max
    return a.support_ratio_max + a.domestic_goods_bonus * domestic / m.financing.total


def check_budget_structure(ctx: CheckContext) -> None:
    """BUDGET_SUM_MISMATCH, BUDGET_CAP_EXCEEDED, BUDGET_HEADING_NOT_ALLOWED."""
    m, rules = ctx.manifest, ctx.program.budget
    if not m.budget:
        return
    total = m.financing.total
    lines_total = m.budget_total
    if lines_total != total:
        ctx.finding("BUDGET_SUM_MISMATCH",
                    f"Bütçe kalemlerinin toplamı {format_tl(lines_total)}, kredi/destek ile eş finansmanın "
                    f"toplamı {format_tl(total)}.",
                    evidence=[ctx.manifest_evidence("budget", lines_total)], refs=ctx.program.amounts.lines)
    by_heading: dict[str, Decimal] = {}
    for line in m.budget:
        by_heading[line.heading] = by_heading.get(line.heading, Decimal(0)) + line.amount
        if line.heading in rules.excluded_headings:
            ctx.finding("BUDGET_HEADING_NOT_ALLOWED",
                        f"{line.code} '{line.description}' ({format_tl(line.amount)}) programın uygun "
                        f"saymadığı '{line.heading}' başlığında; kalem bütçeden çıkarılır.",
                        evidence=[ctx.manifest_evidence(f"budget[{line.code}]", line.amount)],
                        refs=rules.lines, subject=line.code)
    base = total if total > 0 else lines_total
    for heading, cap in rules.caps.items():
        amount = by_heading.get(heading, Decimal(0))
        if base > 0 and amount > cap * base:
            ctx.finding("BUDGET_CAP_EXCEEDED",
                        f"'{heading}' başlığı {format_tl(amount)} (%{(amount / base * 100):.2f}); "
                        f"sınır toplam bütçenin {format_percent(cap)}'i ({format_tl(cap * base)}).",
                        evidence=[ctx.manifest_evidence(f"budget:{heading}", amount)], refs=rules.lines,
                        subject=heading)


def nace_allowed(ctx: CheckContext, nace: str) -> bool:
    """Whether a NACE code is eligible: the per-province list where the profile has one for the
    applicant's province, else the exact codes and prefixes; no list admits any code."""
    e = ctx.program.eligibility
    code = nace.strip()
    by_prov = {fold(k): v for k, v in e.nace_prefixes_by_province.items()}
    prefixes = by_prov.get(fold(ctx.manifest.applicant.province))
    if prefixes is not None:
        return any(code.startswith(pre) for pre in prefixes)
    if not e.nace and not e.nace_prefixes:
        return True
    return code in e.nace or any(code.startswith(pre) for pre in e.nace_prefixes)


def check_eligibility(ctx: CheckContext) -> None:
    """NACE_NOT_ELIGIBLE, PROVINCE_NOT_ELIGIBLE, FOUNDED_TOO_LATE, SIZE_NOT_ELIGIBLE,
    DURATION_OUT_OF_RANGE."""
    e, m, p = ctx.program.eligibility, ctx.manifest, ctx.program
    ap = m.applicant
    if ap.nace and not nace_allowed(ctx, ap.nace):
        ctx.finding("NACE_NOT_ELIGIBLE", f"NACE kodu {ap.nace} programın uygun sektörleri arasında değil.",
                    evidence=[ctx.manifest_evidence("applicant.nace", ap.nace)], refs=e.lines)
    provinces = {fold(x) for x in p.provinces}
    if provinces and fold(m.project.province) not in provinces:
        ctx.finding("PROVINCE_NOT_ELIGIBLE",
                    f"Proje {m.project.province} ilinde; program bölgesi: {', '.join(p.provinces)}.",
                    evidence=[ctx.manifest_evidence("project.province", m.project.province)], refs=e.lines)
    if ap.founded_on is not None:
        cutoff = e.founded_before
        same_day_ok = False
        if e.founded_before_submission:
            cutoff = m.submitted_at.date()
            same_day_ok = e.founded_on_submission_day_ok  # D35
        if cutoff is not None and (ap.founded_on > cutoff or (ap.founded_on == cutoff and not same_day_ok)):
            ctx.finding("FOUNDED_TOO_LATE",
                        f"Kuruluş tarihi {format_long(ap.founded_on)}; program {format_long(cutoff)} "
                        "tarihinden önce kurulmuş olmayı istiyor.",
                        evidence=[ctx.manifest_evidence("applicant.founded_on", ap.founded_on)], refs=e.lines)
    if ap.size and e.sizes and ap.size not in e.sizes:
        ctx.finding("SIZE_NOT_ELIGIBLE", f"İşletme ölçeği '{ap.size}' programa uygun değil "
                    f"(uygun: {', '.join(e.sizes)}).",
                    evidence=[ctx.manifest_evidence("applicant.size", ap.size)], refs=e.lines)
    if e.employees_min is not None and ap.employees is not None and ap.employees < e.employees_min:
        ctx.finding("SIZE_NOT_ELIGIBLE", f"Çalışan sayısı {ap.employees}; program en az {e.employees_min} "
                    "çalışan istiyor.", evidence=[ctx.manifest_evidence("applicant.employees", ap.employees)],
                    refs=e.lines)
    d = m.project.duration_months
    if d is not None and ((e.duration_months_max is not None and d > e.duration_months_max)
                          or (e.duration_months_min is not None and d < e.duration_months_min)):
        ctx.finding("DURATION_OUT_OF_RANGE",
                    f"Uygulama süresi {d} ay; program sınırı "
                    f"{e.duration_months_min or 0}-{e.duration_months_max or '∞'} ay.",
                    evidence=[ctx.manifest_evidence("project.duration_months", d)], refs=e.lines)


CHECKS = [check_submission_time, check_identifiers, check_amounts, check_budget_structure, check_eligibility]
