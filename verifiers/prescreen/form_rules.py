"""Checks on the KAYS application form's own data (issue 16): partners, contacts, sections.

The manifest's optional `form:` section carries what the KAYS form holds beyond the budget
(docs/kays-export.md): partners and affiliates, contact persons, the Proje Bilgisi texts,
the chosen performance indicators, each budget line's description, the applicant's
declarations, the taxonomy objectives (001) and a cluster's members (004). What the guide
asks of them is data in the programme's `[form]` profile table, with its lines.

D32: a part of the form that the package does not carry is never read as "missing" or
"empty". Its rules stay silent and the report gets one note naming what was not checked and
why. An empty list that *is* in the package ("partners: []") is a value that was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from evrak.findings import Certainty, Evidence, Severity
from evrak.manifest import Form
from evrak.money import format_percent, format_tl
from evrak.text import fold, nfc
from verifiers.prescreen.context import CheckContext

SECTION_TITLES = {
    "gerekce": "Projenin Gerekçesi",
    "program_oncelikleri": "Projenin Program Öncelikleri ile İlgisi",
    "beklenen_sonuclar": "Beklenen Sonuçlar",
    "surdurulebilirlik": "Sürdürülebilirlik",
}
ROLE_LABELS = {"ortak": "ortak", "istirakci": "iştirakçi"}
TAXONOMY = {1: "İklim değişikliğini azaltma", 2: "İklim değişikliğine uyum",
            3: "Su ve deniz kaynaklarının sürdürülebilir kullanımı ve korunması", 4: "Döngüsel ekonomiye geçiş",
            5: "Kirliliğin önlenmesi ve kontrolü", 6: "Biyoçeşitliliğin ve ekosistemlerin korunması ve restorasyon"}

# --- Turkish or not: a function-word test ------------------------------------------------------
# Turkish prose is full of a few function words that other languages do not use, and of the
# letters ğ, ı, ş that no other Latin-script language has; each is an independent sign. A
# text is judged only from MIN_WORDS words on, and called "not Turkish" only when both signs
# are nearly absent, so Turkish typed without Turkish letters ("firmamizin uretim kapasitesi
# ve ...") still passes. Words are compared folded (ASCII), so the list leaves out every word
# whose folded form is common elsewhere: de/da/en (French, Spanish), su (şu), once (önce),
# her, o, ne, ki. ö, ü and ç are German and French letters too, so they are not counted.
# Language data, not programme data: the same for every call.
TURKISH_FUNCTION_WORDS = frozenset(fold(w) for w in (
    "ve", "bir", "bu", "ile", "için", "olarak", "olan", "daha", "çok", "gibi", "ise", "veya", "kadar",
    "sonra", "ayrıca", "ancak", "değil", "olup", "şekilde", "tarafından", "yönelik", "ilgili", "mevcut",
    "aynı", "böylece", "sayesinde", "hem", "yeni", "üzerinde", "içinde", "arasında", "olacak",
    "olacaktır", "edilecek", "edilecektir", "yapılacak", "sağlanacak", "sağlanacaktır", "bulunan", "diğer",
))
TURKISH_LETTERS = frozenset("ğışĞŞİ")
MIN_WORDS = 20
FUNCTION_WORD_SHARE_MIN = Decimal("0.03")  # Turkish prose runs at 10-20 %
TURKISH_LETTER_WORD_SHARE_MIN = Decimal("0.05")  # words with ğ, ı or ş; about a third in Turkish
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def looks_turkish(text: str) -> bool | None:
    """True/False for a text long enough to judge, None below MIN_WORDS words."""
    words = _WORD.findall(nfc(text))
    if len(words) < MIN_WORDS:
        return None
    n = Decimal(len(words))
    function = sum(1 for w in words if fold(w) in TURKISH_FUNCTION_WORDS)
    lettered = sum(1 for w in words if any(ch in TURKISH_LETTERS for ch in w))
    return function / n >= FUNCTION_WORD_SHARE_MIN or lettered / n >= TURKISH_LETTER_WORD_SHARE_MIN


def form_chars(text: str) -> int:
    """Characters as KAYS's counter shows them: NFC code points, a line break counted once."""
    return len(nfc(text.replace("\r\n", "\n")))


def _name_key(name: str) -> str:
    """An indicator name for comparison: "Yurt Dışı" and "Yurtdışı" are the same words."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


def _ev(ctx: CheckContext, field: str, value: object) -> list[Evidence]:
    return [ctx.manifest_evidence(field, value)]


# --- the checks; each returns what it could not check (for the note), or None ------------------

Skipped = str | None


def check_partners(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_PARTNERS_NOT_ALLOWED: the form lists a partner or affiliate where the guide admits
    a sole applicant only (002:L441; 001:L503, L638; 003:L660-665, L1718; 000:L350-353)."""
    rules = ctx.program.form
    if rules.partners_allowed and rules.affiliates_allowed:
        return None
    if form.partners is None:
        return f"ortak/iştirakçi bulunmaması ({rules.partners_lines})"
    for i, party in enumerate(form.partners):
        allowed = rules.partners_allowed if party.role == "ortak" else rules.affiliates_allowed
        if not allowed:
            ctx.finding("FORM_PARTNERS_NOT_ALLOWED",
                        f"Başvuru formunda {ROLE_LABELS[party.role]} olarak '{party.name}' yer alıyor; bu "
                        "programda başvuru sahibi tek başına başvurur, projede ortak veya iştirakçi yer alamaz.",
                        evidence=_ev(ctx, f"form.partners[{i}]", f"{party.name} ({party.role})"),
                        refs=rules.partners_lines, subject="basvuru_formu")
    return None


def check_sections(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_SECTION_EMPTY, FORM_SECTION_TOO_LONG: every Proje Bilgisi section filled, each within
    the field's limit (002:L1148-1150); an unfilled form is eliminated without a letter (L815)."""
    rules = ctx.program.form
    if not rules.sections:
        return None
    if form.sections is None:
        return f"Proje Bilgisi bölümleri ({rules.sections_lines})"
    given = {s.id: s for s in form.sections}
    for sid in rules.sections:
        title = SECTION_TITLES.get(sid, sid)
        section = given.get(sid)
        if section is None:  # not in the export: KAYS does not complete a form without it (L1150)
            ctx.finding("FORM_SECTION_EMPTY",
                        f"Proje Bilgisi '{title}' bölümü paketteki form verisinde yok. KAYS bütün alanlar "
                        "doldurulmadan başvuruyu tamamlatmaz; bölümü KAYS'ta elle kontrol edin.",
                        evidence=_ev(ctx, "form.sections", sid), refs=rules.sections_lines,
                        subject="basvuru_formu", severity=Severity.REVIEW, certainty=Certainty.UNREAD)
            continue
        n = form_chars(section.text) if section.text is not None else section.chars or 0
        if section.text is not None and not section.text.strip():
            n = 0
        if n == 0:
            ctx.finding("FORM_SECTION_EMPTY",
                        f"Proje Bilgisi '{title}' bölümü boş; bütün bölümlerin doldurulması gerekir ve uygun "
                        "doldurulmayan Başvuru Formu eksik evrak bildirimi yapılmadan elenir.",
                        evidence=_ev(ctx, f"form.sections.{sid}", 0), refs=rules.sections_lines,
                        subject="basvuru_formu")
        elif rules.section_max_chars is not None and n > rules.section_max_chars:
            ctx.finding("FORM_SECTION_TOO_LONG",
                        f"Proje Bilgisi '{title}' bölümü {n} karakter; KAYS alanı en çok "
                        f"{rules.section_max_chars} karakter alır. Paketteki metnin KAYS'taki metin olduğunu "
                        "elle doğrulayın.", evidence=_ev(ctx, f"form.sections.{sid}", n),
                        refs=rules.sections_lines, subject="basvuru_formu")
    return None


def check_indicators(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_INDICATOR_NOT_IN_LIST: a performance indicator outside the programme's list; the
    applicant may not define its own (002:L376, L1224)."""
    rules = ctx.program.form
    if not rules.indicators:
        return None
    if form.indicators is None:
        return f"performans göstergelerinin listeden seçilmesi ({rules.indicators_lines})"
    by_name = {_name_key(name): code for code, name in rules.indicators.items()}
    for i, ind in enumerate(form.indicators):
        shown = " ".join(x for x in (ind.code, ind.name) if x)
        named = by_name.get(_name_key(ind.name)) if ind.name else None
        if ind.code is not None:
            # a known code under another listed indicator's name is not the list's indicator either
            known = ind.code in rules.indicators and named in (None, ind.code)
        else:
            known = named is not None
        if not known:
            ctx.finding("FORM_INDICATOR_NOT_IN_LIST",
                        f"Performans göstergesi '{shown}' programın gösterge listesinde yok; göstergeler "
                        "yalnız bu listeden seçilebilir. Göstergeyi KAYS'ta elle kontrol edin.",
                        evidence=_ev(ctx, f"form.indicators[{i}]", shown), refs=rules.indicators_lines,
                        subject="basvuru_formu")
    return None


def check_contacts(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_CONTACTS_TOO_FEW: at least N İrtibat Kişisi defined (003:L1389-1391)."""
    rules = ctx.program.form
    if rules.contacts_min is None:
        return None
    if form.contacts is None:
        return f"en az {rules.contacts_min} irtibat kişisi ({rules.contacts_lines})"
    n = len(form.contacts)
    if n < rules.contacts_min:
        ctx.finding("FORM_CONTACTS_TOO_FEW",
                    f"Başvuru formunda {n} irtibat kişisi tanımlanmış; en az {rules.contacts_min} gerekir. "
                    "Başvuru sahibinden tamamlamasını isteyin.",
                    evidence=_ev(ctx, "form.contacts", n), refs=rules.contacts_lines, subject="basvuru_formu")
    return None


def check_declarations(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_DECLARATION_NOT_MADE: a statement the guide makes a condition was answered "no"
    (001:L497; 003:L654-656, L774-775, L815-819; 000:L368-372; 002:L541, L550-551)."""
    required = ctx.program.form.declarations
    if not required:
        return None
    answers = form.declarations
    absent = []
    for d in required:
        value = getattr(answers, d.key) if answers is not None else None
        if value is None:
            absent.append(f"{d.label} ({d.lines})")
        elif value is False:
            ctx.finding("FORM_DECLARATION_NOT_MADE",
                        f"Başvuru formunda şu beyan verilmemiş ya da aksi beyan edilmiş: {d.label}.",
                        evidence=_ev(ctx, f"form.declarations.{d.key}", "false"), refs=d.lines,
                        subject="basvuru_formu")
    return "beyanlar: " + "; ".join(absent) if absent else None


def check_budget_lines(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_BUDGET_LINE_UNDESCRIBED, FORM_BUDGET_AMOUNT_MISMATCH: every budget line is described
    in the form (002:L645-647, 003:L933-934) with the budget's amount (002:L667, 003:L989-992)."""
    rules = ctx.program.form
    if not rules.budget_lines_described or not ctx.manifest.budget:
        return None
    if form.budget_lines is None:
        return f"bütçe kalemlerinin başvuru formunda açıklanması ({rules.budget_lines_lines})"
    described = {line.code.strip(): line for line in form.budget_lines}
    for line in ctx.manifest.budget:
        entry = described.get(line.code.strip())
        if entry is None or not entry.description.strip():
            ctx.finding("FORM_BUDGET_LINE_UNDESCRIBED",
                        f"Bütçe kalemi {line.code} ({line.description}, {format_tl(line.amount)}) başvuru "
                        "formunda açıklanmamış. Formda yer verilmeyen kalem bütçe revizyonunda çıkarılır; "
                        "önemli tutarsızlık başvurunun reddine yol açabilir.",
                        evidence=_ev(ctx, f"form.budget_lines.{line.code}", "yok" if entry is None else "boş"),
                        refs=rules.budget_lines_lines, subject=line.code)
        elif entry.amount is not None and entry.amount != line.amount:
            ctx.finding("FORM_BUDGET_AMOUNT_MISMATCH",
                        f"Bütçe kalemi {line.code}: bütçede {format_tl(line.amount)}, başvuru formunda "
                        f"{format_tl(entry.amount)}. Bütçe ile form arasındaki tutarsızlık başvurunun reddine "
                        "yol açabilir; elle değerlendirin.",
                        evidence=[ctx.manifest_evidence(f"budget.{line.code}.amount", line.amount),
                                  ctx.manifest_evidence(f"form.budget_lines.{line.code}.amount", entry.amount)],
                        refs=rules.budget_lines_lines, subject=line.code)
    return None


def check_language(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_TEXT_NOT_TURKISH: a free-text part of the form that does not read as Turkish
    (001:L747, L870; 003:L976-979; 002:L665). A word test is an inference: review."""
    rules = ctx.program.form
    if not rules.turkish:
        return None
    texts = [(f"form.sections.{s.id}", SECTION_TITLES.get(s.id, s.id), s.text)
             for s in form.sections or [] if s.text]
    texts += [(f"form.budget_lines.{b.code}", f"bütçe kalemi {b.code} açıklaması", b.description)
              for b in form.budget_lines or [] if b.description]
    if not texts:
        return f"formun Türkçe doldurulması ({rules.turkish_lines})"
    for field, label, text in texts:
        if looks_turkish(text) is False:
            ctx.finding("FORM_TEXT_NOT_TURKISH",
                        f"Başvuru formunun '{label}' metni Türkçe görünmüyor; başvuru formu Türkçe "
                        "hazırlanmalıdır. Metni elle kontrol edin.",
                        evidence=_ev(ctx, field, text[:80]), refs=rules.turkish_lines,
                        subject="basvuru_formu", certainty=Certainty.INFERRED)
    return None


def check_taxonomy(ctx: CheckContext, form: Form) -> Skipped:
    """FORM_TAXONOMY_MISSING: the project names fewer taxonomy objectives than the guide
    expects (001:L532, L538: at least one of the six)."""
    rules = ctx.program.form
    if rules.taxonomy_objectives_min is None:
        return None
    if form.taxonomy_objectives is None:
        return f"Yeşil Taksonomi çevresel hedefleri ({rules.taxonomy_lines})"
    chosen = sorted(set(form.taxonomy_objectives))
    if len(chosen) < rules.taxonomy_objectives_min:
        ctx.finding("FORM_TAXONOMY_MISSING",
                    f"Başvuru formunda {len(chosen)} Yeşil Taksonomi çevresel hedefi seçilmiş; projelerin "
                    f"en az {rules.taxonomy_objectives_min} hedefe önemli katkı sağlaması beklenir "
                    f"({'; '.join(f'{k}- {v}' for k, v in TAXONOMY.items())}).",
                    evidence=_ev(ctx, "form.taxonomy_objectives", chosen or "[]"), refs=rules.taxonomy_lines,
                    subject="basvuru_formu")
    return None


def _in_prefixes(nace: str, prefixes: list[str]) -> bool:
    return any(nace == p or nace.startswith(p + ".") or (len(p) == 2 and nace[:2] == p) for p in prefixes)


def check_cluster(ctx: CheckContext, form: Form) -> Skipped:
    """CLUSTER_TOO_FEW_FIRMS (at least 20 firms, 004:L21) and CLUSTER_NOT_MANUFACTURING (the
    cluster works in manufacturing, 004:L9: fewer than that many of its firms carry a NACE code
    of section C)."""
    rules = ctx.program.form
    if rules.cluster_firms_min is None:
        return None
    if form.cluster_members is None:
        return f"küme üyeleri: en az {rules.cluster_firms_min} firma, imalat sektörü ({rules.cluster_lines})"
    firms = [m for m in form.cluster_members if m.kind == "firma"]
    if len(firms) < rules.cluster_firms_min:
        ctx.finding("CLUSTER_TOO_FEW_FIRMS",
                    f"Kümelenme birlikteliğinde {len(firms)} firma var ({len(form.cluster_members)} üyeden); "
                    f"en az {rules.cluster_firms_min} firma bulunmalıdır. Kamu kurumları, üniversiteler, odalar "
                    "ve benzeri üyeler firma sayısına girmez.",
                    evidence=_ev(ctx, "form.cluster_members", f"{len(firms)} firma"), refs=rules.cluster_lines,
                    subject="basvuru_formu")
        return None
    if not rules.cluster_nace_prefixes:
        return None
    known = [m for m in firms if m.nace]
    if not known:
        return f"küme firmalarının imalat sektöründe olması (NACE verilmemiş; {rules.cluster_lines})"
    making = [m for m in known if _in_prefixes(m.nace or "", rules.cluster_nace_prefixes)]
    if len(making) < rules.cluster_firms_min:
        unknown = len(firms) - len(known)
        ctx.finding("CLUSTER_NOT_MANUFACTURING",
                    f"Küme firmalarından NACE kodu imalat sektöründe (C, 10-33) olan {len(making)} firma var"
                    + (f", {unknown} firmanın NACE kodu yok" if unknown else "")
                    + f"; en az {rules.cluster_firms_min} firma gerekir ve kümelenme imalat sektöründe faaliyet "
                    "göstermelidir. Kümenin sektörünü elle doğrulayın.",
                    evidence=_ev(ctx, "form.cluster_members", f"{len(making)}/{len(firms)} imalat"),
                    refs=rules.cluster_lines, subject="basvuru_formu",
                    certainty=Certainty.UNREAD if unknown else Certainty.READ)
    return None


FORM_CHECKS: list[Callable[[CheckContext, Form], Skipped]] = [
    check_partners, check_sections, check_indicators, check_contacts, check_declarations,
    check_budget_lines, check_language, check_taxonomy, check_cluster,
]


def check_form(ctx: CheckContext) -> None:
    """Run the form checks the programme has; one note for everything that could not be read."""
    form = ctx.manifest.form
    if form is None:
        skipped = [s for check in FORM_CHECKS if (s := check(ctx, Form()))]
        if skipped:
            ctx.notes.append("Başvuru formu verileri (form:) pakette yok; şu kurallar denetlenmedi, "
                             "KAYS'ta elle kontrol edilmeli: " + "; ".join(skipped) + ".")
        return
    skipped = [s for check in FORM_CHECKS if (s := check(ctx, form))]
    if skipped:
        ctx.notes.append("Başvuru formu verilerinde şu bölümler yok; ilgili kurallar denetlenmedi, KAYS'ta "
                         "elle kontrol edilmeli: " + "; ".join(skipped) + ".")


def check_main_topic(ctx: CheckContext) -> None:
    """PROJECT_MAINLY_EXCLUDED_TOPIC: more than the guide's share of the budget goes to topics a
    project may include but not be solely or mainly about (001:L580: solar panels and wind
    plants, consumables for energy and water efficiency, durable consumer goods, capacity
    training). The budget is read; whether that makes the project "mainly" one is staff's call."""
    topic = ctx.program.form.main_topic
    total = ctx.manifest.budget_total
    if topic is None or total <= 0:
        return
    words = [fold(w) for w in topic.words]
    hits = [line for line in ctx.manifest.budget
            if line.heading in topic.headings or any(w in f" {fold(line.description)} " for w in words)]
    amount = sum((line.amount for line in hits), Decimal("0.00"))
    share = amount / total
    if share > topic.share_max:
        ctx.finding("PROJECT_MAINLY_EXCLUDED_TOPIC",
                    f"Bütçeden {format_tl(amount)} (pay: {format_percent(share)}) şu konulara ayrılmış: "
                    f"{topic.label} (kalemler: {', '.join(line.code for line in hits)}). Yalnızca veya "
                    f"ağırlıklı bu konuları içeren projeler desteklenmez (sınır: {format_percent(topic.share_max)}). "
                    "Projenin konusunu elle değerlendirin.",
                    evidence=[ctx.manifest_evidence(f"budget.{line.code}", line.amount) for line in hits],
                    refs=topic.lines, certainty=Certainty.INFERRED)


CHECKS: list[Callable[[CheckContext], None]] = [check_form, check_main_topic]
