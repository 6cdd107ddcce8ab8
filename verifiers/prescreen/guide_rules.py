"""Guide rules that compare what the documents say with the programme (issue 16).

The manifest checks (application.py) compare what the applicant declares; these read the
documents' own facts where the guide asks for them: the KUB's issuing branch and its receipt
date, the registry's NACE codes and registration date, the applicant's seat, how long it has
been active, how a wet-signed taahhütname arrived, and the construction cap that is an
eligibility criterion. Each function is the one home of its rule ids and cites its lines.

A value that was not read never leads to a rejection (D32): the finding is a review that
names what staff must confirm.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from evrak.dates import format_long
from evrak.findings import Certainty, Evidence, Severity
from evrak.money import format_percent, format_tl
from evrak.places import placed_in
from evrak.schedule import add_months
from evrak.text import fold
from verifiers.prescreen.application import nace_allowed
from verifiers.prescreen.context import CheckContext

REGISTRY_KINDS = ("faaliyet_belgesi", "sicil_gazetesi")


def _evidence(facts: object, name: str, key: str) -> list[Evidence]:
    ev = getattr(facts, "evidence", {}) or {}
    if isinstance(ev, dict) and key in ev:
        return [ev[key]]
    return [Evidence(file=name, text=key)]


def _doc_lines(ctx: CheckContext, kind: str) -> str:
    """The guide lines the programme's own profile gives for a document kind."""
    return next((d.lines for d in ctx.program.documents if d.kind == kind and d.lines), "")


def _region(ctx: CheckContext) -> list[str]:
    inter = ctx.program.intermediary
    return list(inter.branch_provinces) if inter and inter.branch_provinces else list(ctx.program.provinces)


def check_kub_branch(ctx: CheckContext) -> None:
    """KUB_BRANCH_OUTSIDE_REGION (D17; 001:L418, L759; 002:L711; 003:L31-34)."""
    inter = ctx.program.intermediary
    if inter is None or not inter.branch_in_region:
        return
    region = _region(ctx)
    for name, f in ctx.facts_of("kredi_uygunluk_belgesi"):
        where = placed_in(f.branch, region)
        if where is True:
            continue
        if where is False:
            ctx.finding("KUB_BRANCH_OUTSIDE_REGION",
                        f"{name}: belgeyi düzenleyen şube ({f.branch}) program bölgesinde değil "
                        f"({', '.join(region)}).",
                        evidence=_evidence(f, name, "branch"), refs=inter.lines,
                        subject="kredi_uygunluk_belgesi", certainty=ctx.read_certainty(name))
        else:
            shown = f"'{f.branch}'" if f.branch else "okunamadı"
            ctx.finding("KUB_BRANCH_OUTSIDE_REGION",
                        f"{name}: düzenleyen şubenin ili belirlenemedi (şube: {shown}). Şubenin "
                        f"{', '.join(region)} illerinden birinde olduğunu elle doğrulayın.",
                        evidence=_evidence(f, name, "branch"), refs=inter.lines,
                        subject="kredi_uygunluk_belgesi", severity=Severity.REVIEW,
                        certainty=Certainty.UNREAD)


def check_kub_receipt_date(ctx: CheckContext) -> None:
    """KUB_APPLIED_AFTER_SUBMISSION: a bank's application receipt dated after the submission
    does not prove that credit was applied for by then (002:L805)."""
    submitted = ctx.manifest.submitted_at.date()
    refs = _doc_lines(ctx, "kredi_uygunluk_belgesi")
    for name, f in ctx.facts_of("kredi_uygunluk_belgesi"):
        if not f.is_application_receipt:
            continue
        if f.issued_on is None:
            ctx.finding("KUB_APPLIED_AFTER_SUBMISSION",
                        f"{name}: kredi uygunluk başvuru yazısının tarihi okunamadı; başvurunun "
                        f"{format_long(submitted)} tarihine kadar yapıldığını elle doğrulayın.",
                        evidence=_evidence(f, name, "issued_on"), refs=refs,
                        subject="kredi_uygunluk_belgesi", severity=Severity.REVIEW,
                        certainty=Certainty.UNREAD)
        elif f.issued_on > submitted:
            ctx.finding("KUB_APPLIED_AFTER_SUBMISSION",
                        f"{name}: kredi uygunluk başvurusu {format_long(f.issued_on)} tarihli; proje "
                        f"{format_long(submitted)} tarihinde teslim edilmiş. Başvurunun teslim tarihine "
                        "kadar yapıldığı belgelenmemiş.",
                        evidence=_evidence(f, name, "issued_on"), refs=refs,
                        subject="kredi_uygunluk_belgesi", certainty=ctx.read_certainty(name))


def _registry(ctx: CheckContext) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for kind in REGISTRY_KINDS:
        out.extend(ctx.facts_of(kind))
    return out


def check_registry_nace(ctx: CheckContext) -> None:
    """NACE_NOT_ELIGIBLE from the registry document itself, NACE_NOT_IN_REGISTRY where the
    declared code is not among the document's (002:L414-415, L828; 003:L1058)."""
    e = ctx.program.eligibility
    if not e.nace and not e.nace_prefixes and not e.nace_prefixes_by_province:
        return
    declared = (ctx.manifest.applicant.nace or "").strip()
    for name, f in _registry(ctx):
        codes = [c.strip() for c in getattr(f, "nace_codes", []) or [] if c.strip()]
        if not codes:
            continue
        if not any(nace_allowed(ctx, c) for c in codes):
            ctx.finding("NACE_NOT_ELIGIBLE",
                        f"{name}: belgedeki NACE kodları ({', '.join(codes)}) programın uygun sektörleri "
                        "arasında değil.", evidence=_evidence(f, name, "nace_codes"), refs=e.lines,
                        certainty=ctx.read_certainty(name))
        elif declared and declared not in codes:
            ctx.finding("NACE_NOT_IN_REGISTRY",
                        f"Beyan edilen NACE kodu {declared}, {name} belgesindeki kodlar arasında yok "
                        f"({', '.join(codes)}). Hangi kodun esas alınacağını elle doğrulayın.",
                        evidence=[*_evidence(f, name, "nace_codes"),
                                  ctx.manifest_evidence("applicant.nace", declared)],
                        refs=e.lines, certainty=Certainty.INFERRED)


def _cutoff(ctx: CheckContext) -> tuple[date | None, bool]:
    """(cut-off date, whether the cut-off day itself is allowed)."""
    e = ctx.program.eligibility
    if e.founded_before_submission:
        return ctx.manifest.submitted_at.date(), e.founded_on_submission_day_ok
    return e.founded_before, False


def registry_for_founding(ctx: CheckContext) -> list[tuple[str, object]]:
    """The registry documents whose registration dates count. Where the programme says the
    current Ticaret Sicil Gazetesi wins (002:L417) and the documents read give different dates,
    only the latest gazette counts, and a note says which value was used and which set aside."""
    docs = _registry(ctx)
    dated = [(n, f) for n, f in docs if getattr(f, "registered_on", None) is not None]
    if not ctx.program.eligibility.gazette_wins or len({f.registered_on for _, f in dated}) < 2:
        return docs
    gazettes = [(n, f) for n, f in dated if n in ctx.files_of("sicil_gazetesi")]
    if not gazettes:
        return docs
    name, current = max(gazettes, key=lambda nf: (getattr(nf[1], "issued_on", None) or date.min, nf[0]))
    others = "; ".join(f"{n}: {format_long(f.registered_on)}" for n, f in dated if n != name)
    note = (f"Kayıt/tescil tarihi belgeler arasında farklı ({others}); rehber gereği güncel Sicil Gazetesi "
            f"esas alındı: {name}, {format_long(current.registered_on)} ({ctx.program.eligibility.lines}).")
    if note not in ctx.notes:  # every check that needs the founding date asks here
        ctx.notes.append(note)
    return [(name, current)]


def check_registry_founding(ctx: CheckContext) -> None:
    """FOUNDED_TOO_LATE from the registration date the registry document gives (D20, D35;
    002:L404-405, L828; 001:L460; 003:L589), and ACTIVE_TOO_SHORT (000:L214)."""
    e = ctx.program.eligibility
    cutoff, same_day_ok = _cutoff(ctx)
    submitted = ctx.manifest.submitted_at.date()
    for name, f in registry_for_founding(ctx):
        registered = getattr(f, "registered_on", None)
        if registered is None:
            continue
        if cutoff is not None and (registered > cutoff or (registered == cutoff and not same_day_ok)):
            ctx.finding("FOUNDED_TOO_LATE",
                        f"{name}: kayıt/tescil tarihi {format_long(registered)}; program "
                        f"{format_long(cutoff)} tarihinden önce"
                        f"{' (veya o gün)' if same_day_ok else ''} kurulmuş olmayı istiyor.",
                        evidence=_evidence(f, name, "registered_on"), refs=e.lines,
                        certainty=ctx.read_certainty(name))
        if e.active_months_min and add_months(registered, e.active_months_min) > submitted:
            ctx.finding("ACTIVE_TOO_SHORT",
                        f"{name}: kayıt tarihi {format_long(registered)}; başvuru tarihinde "
                        f"({format_long(submitted)}) en az {e.active_months_min} aylık faaliyet "
                        "koşulu sağlanmıyor.",
                        evidence=_evidence(f, name, "registered_on"), refs=e.lines,
                        certainty=ctx.read_certainty(name))
    founded = ctx.manifest.applicant.founded_on
    if e.active_months_min and founded is not None and add_months(founded, e.active_months_min) > submitted:
        ctx.finding("ACTIVE_TOO_SHORT",
                    f"Kuruluş tarihi {format_long(founded)}; başvuru tarihinde en az {e.active_months_min} "
                    "aylık faaliyet koşulu sağlanmıyor.",
                    evidence=[ctx.manifest_evidence("applicant.founded_on", founded)], refs=e.lines)


def check_seat(ctx: CheckContext) -> None:
    """SEAT_NOT_IN_REGION: seat, legal branch or chamber registration in the programme's
    provinces (000:L220-222, 001:L462, 003:L580-581)."""
    e, ap = ctx.program.eligibility, ctx.manifest.applicant
    if not e.seat_in_region:
        return
    region = list(ctx.program.provinces)
    if placed_in(ap.province, region):
        return
    # A chamber or registry office in the region proves a registration or a legal branch there.
    for name, f in _registry(ctx):
        if placed_in(getattr(f, "issuer", None), region):
            ctx.notes.append(f"Merkez {ap.province}; {name} bölgede kayıt gösteriyor ({f.issuer}).")
            return
    ctx.finding("SEAT_NOT_IN_REGION",
                f"Başvuru sahibinin merkezi {ap.province}; program bölgede ({', '.join(region)}) "
                "merkez, yasal şube veya oda kaydı istiyor ve pakette bunu gösteren belge yok.",
                evidence=[ctx.manifest_evidence("applicant.province", ap.province)], refs=e.lines)


def check_taahhutname_channel(ctx: CheckContext) -> None:
    """TAAHHUTNAME_CHANNEL_NOT_ALLOWED: a wet-signed taahhütname sent by fax or e-mail
    (002:L748, 001:L799, 003:L1512, L1531)."""
    channel = ctx.manifest.taahhutname_channel
    if channel in ("faks", "eposta"):
        label = {"faks": "faks", "eposta": "e-posta"}[channel]
        ctx.finding("TAAHHUTNAME_CHANNEL_NOT_ALLOWED",
                    f"Islak imzalı taahhütname {label} ile gönderilmiş; rehber yalnız elden veya posta/kargo "
                    "ile teslimi kabul ediyor.",
                    evidence=[ctx.manifest_evidence("taahhutname_channel", channel)],
                    refs=_doc_lines(ctx, "taahhutname"))


def check_eligibility_caps(ctx: CheckContext) -> None:
    """BUDGET_ELIGIBILITY_CAP_EXCEEDED: a heading cap that is an eligibility criterion
    (003 Uygunluk 7: construction at most 30 %, L1715-1716)."""
    rules, m = ctx.program.budget, ctx.manifest
    base = m.financing.total if m.financing.total > 0 else m.budget_total
    if not rules.eligibility_caps or base <= 0:
        return
    for heading, cap in rules.eligibility_caps.items():
        amount = sum((ln.amount for ln in m.budget if ln.heading == heading), start=0)
        if amount > cap * base:
            ctx.finding("BUDGET_ELIGIBILITY_CAP_EXCEEDED",
                        f"'{heading}' başlığı {format_tl(amount)}; uygunluk koşulu toplam bütçenin en fazla "
                        f"{format_percent(cap)}'i ({format_tl(cap * base)}).",
                        evidence=[ctx.manifest_evidence(f"budget:{heading}", amount)], refs=rules.lines,
                        subject=heading)


def check_ineligible_costs(ctx: CheckContext) -> None:
    """INELIGIBLE_COST: a budget line whose description names a cost the guide never accepts
    (002:L606-636, 003:L879-931). A word match is an inference: review, with the guide's words."""
    rules = ctx.program.budget
    for line in ctx.manifest.budget:
        text = f" {fold(line.description)} "
        for item in rules.ineligible:
            hit = next((w for w in item.words if fold(w) in text), None)
            if hit:
                ctx.finding("INELIGIBLE_COST",
                            f"Kalem {line.code} '{line.description}' ({format_tl(line.amount)}) rehberin uygun "
                            f"saymadığı bir maliyete benziyor: \"{item.label}\" ('{hit}'). Elle doğrulayın.",
                            evidence=[ctx.manifest_evidence(f"budget[{line.code}].description", line.description)],
                            refs=item.lines, subject=line.code, certainty=Certainty.INFERRED)
                break


def check_cofinancing_sources(ctx: CheckContext) -> None:
    """COFINANCING_NOT_CASH and COFINANCING_SOURCES_MISMATCH: co-financing must be cash
    (D21; 002:L359) and the EK H rows must add up to the co-financing in KAYS (002:L1301-1313)."""
    a, fin = ctx.program.amounts, ctx.manifest.financing
    if not fin.sources:
        return
    if a.cofinancing_cash_only:
        for i, src in enumerate(fin.sources):
            if src.source == "ayni" and src.amount > 0:
                ctx.finding("COFINANCING_NOT_CASH",
                            f"Eş finansmanın {format_tl(src.amount)} tutarındaki kısmı ayni katkı; rehber eş "
                            "finansmanı yalnız nakit kabul ediyor.",
                            evidence=[ctx.manifest_evidence(f"financing.sources[{i}]", src.amount)], refs=a.lines)
    total = sum((src.amount for src in fin.sources), start=Decimal(0))
    if total != fin.co_financing:
        ctx.finding("COFINANCING_SOURCES_MISMATCH",
                    f"Eş finansman kaynaklarının toplamı {format_tl(total)}, başvurudaki eş finansman "
                    f"{format_tl(fin.co_financing)}.",
                    evidence=[ctx.manifest_evidence("financing.sources", total),
                              ctx.manifest_evidence("financing.co_financing", fin.co_financing)],
                    refs=a.lines)


SIZE_LABELS = {"mikro": "mikro", "kucuk": "küçük", "orta": "orta büyüklükte", "buyuk": "büyük",
               "ust": "rehberin tanımladığı sınıfların üstünde bir"}


def enterprise_size(limits: dict, employees: int, turnover: Decimal | None,
                    balance: Decimal | None) -> str | None:
    """The smallest class whose staff limit and money limit (net sales or balance-sheet total,
    either one) the figures meet; past the largest class the guide defines, "buyuk" when that
    class is "orta" and "ust" otherwise; None where no money figure is known."""
    money = [m for m in (turnover, balance) if m is not None]
    if not money:
        return None
    for name in ("mikro", "kucuk", "orta"):
        lim = limits.get(name)
        if lim and employees < lim.employees_below and min(money) <= lim.money_max:
            return name
    return "buyuk" if "orta" in limits else "ust"


def check_enterprise_size(ctx: CheckContext) -> None:
    """SIZE_NOT_ELIGIBLE from the KOBİ figures, not the declared class (002:L176-183;
    003:L58-67, L590-595; 001:L43), and SIZE_DECLARED_MISMATCH where they disagree."""
    e, ap = ctx.program.eligibility, ctx.manifest.applicant
    ev = [ctx.manifest_evidence("applicant.employees", ap.employees),
          ctx.manifest_evidence("applicant.turnover", ap.turnover),
          ctx.manifest_evidence("applicant.balance_sheet_total", ap.balance_sheet_total)]
    if e.public_share_max is not None and ap.public_share is not None and ap.public_share >= e.public_share_max:
        ctx.finding("SIZE_NOT_ELIGIBLE",
                    f"Sermayenin veya oy haklarının %{ap.public_share * 100:.0f}'i kamu kontrolünde; "
                    f"%{e.public_share_max * 100:.0f} ve üzeri kamu payı olan işletme KOBİ sayılmaz.",
                    evidence=[ctx.manifest_evidence("applicant.public_share", ap.public_share)], refs=e.lines)
    if not e.size_limits or ap.employees is None:
        return
    size = enterprise_size(e.size_limits, ap.employees, ap.turnover, ap.balance_sheet_total)
    if size is None:
        return
    allowed = set(e.sizes)
    known = set(e.size_limits)
    if size not in allowed:
        ctx.finding("SIZE_NOT_ELIGIBLE",
                    f"Çalışan {ap.employees}, net satış {format_tl(ap.turnover) if ap.turnover is not None else '—'}, "
                    f"bilanço {format_tl(ap.balance_sheet_total) if ap.balance_sheet_total is not None else '—'}: "
                    f"rehberin tanımına göre {SIZE_LABELS[size]} işletme; program "
                    f"{', '.join(SIZE_LABELS[x] for x in e.sizes)} işletmelere açık.", evidence=ev, refs=e.lines)
    elif ap.size and ap.size != size and ap.size in known and size in e.size_limits:
        ctx.finding("SIZE_DECLARED_MISMATCH",
                    f"Beyan edilen ölçek {SIZE_LABELS[ap.size]}, KOBİ rakamlarına göre {SIZE_LABELS[size]}. "
                    "KOBİ beyannamesiyle elle doğrulayın.", evidence=ev, refs=e.lines,
                    certainty=Certainty.INFERRED)


def check_ineligible_topics(ctx: CheckContext) -> None:
    """INELIGIBLE_TOPIC: the project title names a topic the guide never supports
    (001:L580-626, 003:L725-775). A word in a title is an inference: review."""
    title = f" {fold(ctx.manifest.project.title)} "
    for item in ctx.program.eligibility.ineligible_topics:
        hit = next((w for w in item.words if fold(w) in title), None)
        if hit:
            ctx.finding("INELIGIBLE_TOPIC",
                        f"Proje adı '{ctx.manifest.project.title}' rehberin desteklemediği bir konuya benziyor: "
                        f"\"{item.label}\" ('{hit}'). Proje konusunu elle doğrulayın.",
                        evidence=[ctx.manifest_evidence("project.title", ctx.manifest.project.title)],
                        refs=item.lines, certainty=Certainty.INFERRED)


def check_document_formats(ctx: CheckContext) -> None:
    """DOC_WRONG_FORMAT: a document the guide asks for in a given format (001 EK 9, "Word
    olarak", L1041) arrived in another. A warning: the content is there, staff may ask for it."""
    for rule in ctx.program.documents:
        if not rule.formats:
            continue
        for name in ctx.manifest.files_of(rule.kind):
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if ext not in rule.formats:
                ctx.finding("DOC_WRONG_FORMAT",
                            f"{name}: {rule.ek} ({rule.title}) {'/'.join(f.upper() for f in rule.formats)} "
                            f"olarak isteniyor; dosya {ext.upper() or 'uzantısız'}.",
                            evidence=[Evidence(file=name)], refs=rule.lines, subject=rule.kind)


CHECKS = [check_kub_branch, check_kub_receipt_date, check_registry_nace, check_registry_founding,
          check_seat, check_taahhutname_channel, check_eligibility_caps, check_ineligible_costs,
          check_cofinancing_sources, check_enterprise_size, check_ineligible_topics,
          check_document_formats]
