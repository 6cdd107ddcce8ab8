"""Applicant history checks (issue 16): earlier applications, supports, repayments and bans.

The package cannot show these; the agency's own records can (evrak.history: the staff file
and, in the service, the submissions it screened itself). The limits and periods are the
programme's `[history]` profile section, each with its guide lines.

D32: with no history configured nothing here fires; the report says which rules went
unchecked and why. A table the history does not hold (no supports, no debarment list) is
named the same way. A record that lacks the date a rule needs asks staff (certainty unread,
capped at review); a fact read from the agency's own record may reject where the guide says
the application is not eligible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from evrak.dates import format_short
from evrak.findings import Certainty, Evidence, Severity
from evrak.history import (
    TABLES,
    Award,
    History,
    PriorApplication,
    completion_date,
    day_of,
    months_after,
    years_after,
)
from evrak.profiles import ExclusionBan
from evrak.text import fold, name_key, same_company
from verifiers.prescreen.context import CheckContext

_WB_COUNTRIES = {"turkey", "turkiye", "tr"}


def _key(text: str) -> str:
    return " ".join(name_key(text))


def _same_call(ctx: CheckContext, program: str) -> bool:
    """A record's programme is this call: its profile id or its reference, as written."""
    return _key(program) in {_key(ctx.program.id), _key(ctx.program.reference)}


def _own(ctx: CheckContext, agency: str) -> bool:
    """A record of this agency: a blank agency is the agency's own (the staff file is its record)."""
    return not agency or fold(agency) == fold(ctx.program.agency.short)


def _members(ctx: CheckContext, h: History) -> frozenset[str]:
    vkn = ctx.manifest.applicant.vkn
    return h.group_of(vkn) if ctx.program.history.applications_group else frozenset({vkn})


def _who(members: frozenset[str]) -> str:
    return "başvuru sahibi" if len(members) == 1 else f"başvuru sahibi grubu ({', '.join(sorted(members))})"


def _ev(source: str, text: str, value: object) -> Evidence:
    file, _, row = source.partition(" satır ")
    return Evidence(file=file or source, text=f"{text}" + (f" (satır {row})" if row else ""), value=str(value))


def _unchecked(ctx: CheckContext, h: History | None) -> bool:
    """Note what cannot be checked; True when nothing can (no history at all)."""
    r = ctx.program.history
    wanted: list[tuple[str, str, str]] = []  # (table, rule words, lines)
    if r.applications_max:
        wanted.append(("basvurular", f"başvuru sayısı (en çok {r.applications_max})", r.applications_lines))
    if r.awards_max:
        wanted.append(("destekler", f"destek sayısı (en çok {r.awards_max})", r.awards_lines))
    if r.cooling_off_months:
        wanted.append(("destekler", "sözleşme sonrası bekleme süresi", r.cooling_off_lines))
    if r.open_repayment_blocks:
        wanted.append(("destekler", "tamamlanmamış geri ödemeler", r.repayment_lines))
    if r.exclusions:
        wanted.append(("kararlar", "katılma yasakları", "; ".join(dict.fromkeys(b.lines for b in r.exclusions))))
    if r.debarment:
        wanted.append(("yasaklilar", "yasaklı listesi (Dünya Bankası)", r.debarment_lines))
    if h is None:
        rules = "; ".join(f"{words} ({lines})" for _, words, lines in wanted)
        ctx.notes.append(
            "Başvuru sahibi geçmişi yüklenmediği için şu kurallar denetlenmedi: " + rules + ". Ajansın önceki "
            "başvuru, destek ve karar kayıtları pakette yoktur; 'evrak prescreen --gecmis DOSYA' ya da hizmette "
            "EVRAK_GECMIS ile verilir (docs/applicant-history.md).")
        return True
    missing = [(t, w, ln) for t, w, ln in wanted if t not in h.loaded]
    if missing:
        ctx.notes.append(
            "Başvuru sahibi geçmişinde şu tablolar yok, bu kurallar denetlenmedi: "
            + "; ".join(f"{TABLES[t].title}: {w} ({ln})" for t, w, ln in missing) + ".")
    return False


def _applications(ctx: CheckContext, h: History) -> None:
    """001:L630, L885 and 003:L781-782, L1708-1710: the applications over the limit, in the order
    they were submitted, are not evaluated; 002:L117, L545: one application, the guide does not
    say which of two stands, so staff decide (review)."""
    r = ctx.program.history
    if not r.applications_max or "basvurular" not in h.loaded:
        return
    m = ctx.manifest
    members = _members(ctx, h)
    submitted = day_of(m.submitted_at)

    def in_scope(a: PriorApplication) -> bool:
        if r.applications_scope == "call":
            return _same_call(ctx, a.program) and _own(ctx, a.agency)
        return _own(ctx, a.agency) and day_of(a.submitted_at).year == submitted.year

    first: dict[str, PriorApplication] = {}  # a resubmission of one application is one application
    for a in h.applications:
        if a.vkn in members and a.application_no != m.application_no and in_scope(a):
            if a.application_no not in first or a.submitted_at < first[a.application_no].submitted_at:
                first[a.application_no] = a
    others = sorted(first.values(), key=lambda a: a.submitted_at)
    scope = "bu teklif çağrısında" if r.applications_scope == "call" else f"{submitted.year} takvim yılında"
    limit = r.applications_max

    def listed(apps: list[PriorApplication]) -> str:
        return ", ".join(f"{a.application_no} ({format_short(day_of(a.submitted_at))})" for a in apps)

    evidence = [_ev(a.source, "önceki başvuru", f"{a.application_no} {a.submitted_at.isoformat()}")
                for a in others]
    if r.excess == "review":
        if len(others) + 1 > limit:
            ctx.finding("HISTORY_APPLICATIONS_EXCEEDED",
                        f"{_who(members).capitalize()} {scope} en çok {limit} başvuru yapabilir; "
                        f"bu başvurudan başka {len(others)} başvurusu var: {listed(others)}. Rehber hangisinin "
                        "geçerli sayılacağını söylemiyor; hangi başvurunun değerlendirileceğine personel karar verir.",
                        evidence=evidence, refs=r.applications_lines, severity=Severity.REVIEW)
        return
    earlier = [a for a in others if a.submitted_at < m.submitted_at
               and (a.has_time or day_of(a.submitted_at) < submitted)]
    same_day = [a for a in others if not a.has_time and day_of(a.submitted_at) == submitted]
    if len(earlier) >= limit:
        ctx.finding("HISTORY_APPLICATIONS_EXCEEDED",
                    f"{_who(members).capitalize()} {scope} en çok {limit} başvuru yapabilir; bu "
                    f"başvurudan önce {len(earlier)} başvurusu teslim edilmiş: {listed(earlier)}. Teslim zamanına "
                    "göre sınırı aşan başvuru değerlendirmeye alınmaz.",
                    evidence=evidence, refs=r.applications_lines)
    elif len(earlier) + len(same_day) >= limit:
        ctx.finding("HISTORY_APPLICATIONS_EXCEEDED",
                    f"{_who(members).capitalize()} {scope} en çok {limit} başvuru yapabilir; aynı gün "
                    f"teslim edilen başvuruların saati kayıtta yok ({listed(same_day)}), hangisinin sınırı aştığı "
                    "personelce belirlenmeli.",
                    evidence=evidence, refs=r.applications_lines, certainty=Certainty.UNREAD)


def _own_awards(ctx: CheckContext, h: History, members: frozenset[str]) -> list[Award]:
    """Supports of the agency to the applicant, signed on or before the submission day."""
    m = ctx.manifest
    submitted = day_of(m.submitted_at)
    return [a for a in h.awards if a.vkn in members and _own(ctx, a.agency)
            and a.application_no != m.application_no and a.contract_signed <= submitted]


def _awards(ctx: CheckContext, h: History) -> None:
    """001:L630-632, 003:L781-785: at most one support; an applicant with more successes chooses
    one before the contracts, so a support already held asks staff, it does not reject."""
    r = ctx.program.history
    if not r.awards_max or "destekler" not in h.loaded:
        return
    members = _members(ctx, h)
    year = day_of(ctx.manifest.submitted_at).year
    held = [a for a in _own_awards(ctx, h, members)
            if (_same_call(ctx, a.program) if r.awards_scope == "call" else a.contract_signed.year == year)]
    if len(held) + 1 > r.awards_max:
        scope = "bu teklif çağrısında" if r.awards_scope == "call" else f"{year} takvim yılında"
        ctx.finding("HISTORY_AWARDS_EXCEEDED",
                    f"{_who(members).capitalize()} {scope} en çok {r.awards_max} "
                    f"projesi için destek alabilir; kayıtta {len(held)} destek sözleşmesi var ("
                    + ", ".join(f"{a.program} {format_short(a.contract_signed)}" for a in held)
                    + "). Birden çok başarılı projesi olursa sözleşmeden önce hangisini seçtiği sorulur.",
                    evidence=[_ev(a.source, "destek sözleşmesi", a.contract_signed.isoformat()) for a in held],
                    refs=r.awards_lines)


def cooling_off_end(award: Award, months: int, basis: str) -> tuple[date | None, date | None]:
    """(the date the cooling-off counts from, its last day): from the project's completion
    (002:L546, L564) or the contract's end (003:L792), `months` later. (None, None) when the
    record lacks the date."""
    start = completion_date(award) if basis == "completion" else award.contract_end
    return (start, months_after(start, months)) if start else (None, None)


def _cooling_off(ctx: CheckContext, h: History) -> None:
    """002:L546, L843 and 003:L791-795: no application while a contract with the agency runs or
    within the year after it ends ("izleyen bir yıllık süre": through the same day a year on)."""
    r = ctx.program.history
    if not r.cooling_off_months or "destekler" not in h.loaded:
        return
    members = _members(ctx, h)
    submitted = day_of(ctx.manifest.submitted_at)
    basis_words = "tamamlanma" if r.cooling_off_from == "completion" else "sözleşme bitiş"
    for a in _own_awards(ctx, h, members):
        start, last = cooling_off_end(a, r.cooling_off_months, r.cooling_off_from)
        ev = [_ev(a.source, "destek sözleşmesi", a.contract_signed.isoformat())]
        head = f"Başvuru sahibinin {format_short(a.contract_signed)} tarihli destek sözleşmesi ({a.program}) var"
        if last is not None:
            if submitted <= last:
                ctx.finding("HISTORY_COOLING_OFF",
                            f"{head}; {basis_words} tarihi {format_short(start)}, bekleme süresi "
                            f"{format_short(last)} gününe kadar sürer. Başvuru {format_short(submitted)} "
                            "tarihinde, bu süre içinde yapılmış; ajansa başvurulamaz.",
                            evidence=ev, refs=r.cooling_off_lines)
        elif a.contract_end is not None and submitted <= a.contract_end:
            ctx.finding("HISTORY_COOLING_OFF",
                        f"{head}; sözleşme {format_short(a.contract_end)} tarihine kadar sürüyor. Proje uygulama "
                        "döneminde ajansa başvurulamaz.", evidence=ev, refs=r.cooling_off_lines)
        else:
            needs = ("nihai rapor sunuş/onay tarihleri" if r.cooling_off_from == "completion"
                     else "sözleşme bitiş tarihi")
            ctx.finding("HISTORY_COOLING_OFF",
                        f"{head}; {basis_words} tarihi kayıttan hesaplanamadı ({needs} yok). Bekleme süresinin "
                        "bitip bitmediğini personel belirlemeli.",
                        evidence=ev, refs=r.cooling_off_lines, certainty=Certainty.UNREAD)


def _repayments(ctx: CheckContext, h: History) -> None:
    """001:L637: an applicant whose repayments to an earlier financing support of the agency are
    not finished is not evaluated."""
    r = ctx.program.history
    if not r.open_repayment_blocks or "destekler" not in h.loaded:
        return
    submitted = day_of(ctx.manifest.submitted_at)
    for a in _own_awards(ctx, h, _members(ctx, h)):
        ev = [_ev(a.source, "geri ödeme", a.repayment or "kayıtsız")]
        head = f"{format_short(a.contract_signed)} tarihli destek ({a.program})"
        if a.repayment == "yok":
            continue
        if a.repayment == "tamamlandi" and (a.repayment_done is None or a.repayment_done <= submitted):
            continue
        if a.repayment in ("devam", "tamamlandi"):
            when = (f"ancak {format_short(a.repayment_done)} tarihinde, başvurudan sonra tamamlanmış"
                    if a.repayment == "tamamlandi" else "devam ediyor")
            ctx.finding("HISTORY_REPAYMENT_OPEN",
                        f"{head}: geri ödemeler {when}. Geri ödemelerini tamamlamayan başvuru sahibinin yeni "
                        "finansman desteği başvurusu değerlendirmeye alınmaz.", evidence=ev, refs=r.repayment_lines)
        else:
            ctx.finding("HISTORY_REPAYMENT_OPEN",
                        f"{head}: geri ödeme durumu kayıtta yok; geri ödemeli bir destekse tamamlanıp "
                        "tamamlanmadığını personel belirlemeli.", evidence=ev, refs=r.repayment_lines,
                        certainty=Certainty.UNREAD)


def ban_end(ban: ExclusionBan, start: date) -> date:
    """The last day of a ban of `ban.years` counted from `start` (detection or notification):
    "... tarihten sonraki 2 yıl" / "tebliğ tarihinden itibaren 4 yıl" end on the same day N years on."""
    assert ban.years is not None
    return years_after(start, ban.years)


def _exclusions(ctx: CheckContext, h: History) -> None:
    """001:L495, 002:L437, 003:L649-652: a ban of 2 years from detection ((a), (e)), 4 years from
    notification ((b), (c), (ç), (d), (f)), until the obligation is met ((g)) or indefinite."""
    r = ctx.program.history
    if not r.exclusions or "kararlar" not in h.loaded:
        return
    vkn = ctx.manifest.applicant.vkn
    submitted = day_of(ctx.manifest.submitted_at)
    bans = {c: b for b in r.exclusions for c in b.clauses}
    for e in h.exclusions:
        ban = bans.get(e.clause)
        if e.vkn != vkn or ban is None:
            continue
        ev = [_ev(e.source, f"karar ({e.clause})", e.note or e.clause)]
        head = f"Başvuru sahibi hakkında ({e.clause}) bendi kararı var"
        if ban.until == "years":
            start = e.detected if ban.start == "detected" else e.notified
            words = "tespit" if ban.start == "detected" else "tebliğ"
            if start is None:
                ctx.finding("HISTORY_EXCLUDED", f"{head}; {words} tarihi kayıtta yok, {ban.years} yıllık yasağın "
                            "sürüp sürmediğini personel belirlemeli.", evidence=ev, refs=ban.lines,
                            certainty=Certainty.UNREAD)
            elif start <= submitted <= ban_end(ban, start):
                ctx.finding("HISTORY_EXCLUDED", f"{head}: {words} tarihi {format_short(start)}, teklif çağrısına "
                            f"katılma yasağı {ban.years} yıl, {format_short(ban_end(ban, start))} gününe kadar "
                            f"sürer; başvuru {format_short(submitted)} tarihinde.", evidence=ev, refs=ban.lines)
        elif ban.until == "cleared":
            if e.cleared is not None and e.cleared <= submitted:
                continue
            if ban.at_contract:
                ctx.finding("HISTORY_EXCLUDED", f"{head}: yükümlülük yerine getirilene dek destek verilmez; "
                            "kayıtta yerine getirildiği görünmüyor. Sözleşme tarihi itibarıyla aranır, personel "
                            "sözleşmeden önce doğrulamalı.", evidence=ev, refs=ban.lines, severity=Severity.REVIEW)
            else:
                ctx.finding("HISTORY_EXCLUDED", f"{head}: yasak yükümlülük yerine getirilene dek sürer ve "
                            "kayıtta yerine getirildiği görünmüyor.", evidence=ev, refs=ban.lines)
        else:
            ctx.finding("HISTORY_EXCLUDED", f"{head}: bu bentte teklif çağrısına katılma yasağı süresizdir.",
                        evidence=ev, refs=ban.lines)


def _debarment(ctx: CheckContext, h: History) -> None:
    """001:L493, L495: a firm on the World Bank's debarment list is barred indefinitely. The list
    names firms, not VKNs: a VKN match rejects, a name match is an inference and asks staff."""
    r = ctx.program.history
    if not r.debarment or "yasaklilar" not in h.loaded:
        return
    ap = ctx.manifest.applicant
    for d in h.debarments:
        ev = [_ev(d.source, f"{d.list_name} yasaklı listesi", d.name)]
        dates = " – ".join(x for x in (d.from_text, d.to_text) if x)
        tail = f" ({d.list_name} listesi{', ' + dates if dates else ''}{', ' + d.grounds if d.grounds else ''})"
        if d.vkn and d.vkn == ap.vkn:
            ctx.finding("HISTORY_DEBARRED", f"Başvuru sahibi VKN'si yasaklı listesinde: {d.name}{tail}; süresiz "
                        "katılma yasağı.", evidence=ev, refs=r.debarment_lines)
        elif not d.vkn and (not d.country or fold(d.country) in _WB_COUNTRIES) and (
                _key(d.name) == _key(ap.name) or same_company(d.name, ap.name)):
            ctx.finding("HISTORY_DEBARRED", f"Başvuru sahibinin unvanı yasaklı listesindeki bir adla örtüşüyor: "
                        f"{d.name}{tail}. Liste VKN içermediğinden aynı firma olup olmadığını personel "
                        "doğrulamalı.", evidence=ev, refs=r.debarment_lines, certainty=Certainty.INFERRED)


def check_history(ctx: CheckContext) -> None:
    if not ctx.program.history.active:
        return
    h = ctx.history
    if _unchecked(ctx, h) or h is None:
        return
    _applications(ctx, h)
    _awards(ctx, h)
    _cooling_off(ctx, h)
    _repayments(ctx, h)
    _exclusions(ctx, h)
    _debarment(ctx, h)


CHECKS: list[Callable[[CheckContext], None]] = [check_history]
