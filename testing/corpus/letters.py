"""Imza sirküleri (as notaries word them), Kredi Uygunluk Belgesi (VakıfBank branch letters and
the agency's form) and faaliyet belgesi / sicil tasdiknamesi (chambers of commerce) layouts."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from evrak.money import amount_in_words
from evrak.text import tr_upper
from testing.corpus.data import NACE, Circular, circular, credit_letter, registration
from testing.corpus.render import Sheet, day, tl

Layout = Callable[[random.Random], tuple[bytes, dict]]
NACE_TEXT = dict(NACE)


def _years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _notary_head(s: Sheet, c: Circular, style: str = "dot") -> None:
    s.line("T.C.", 10, True, "c")
    s.line(tr_upper(c.notary), 11, True, "c")
    s.line(f"Yevmiye No: {c.yevmiye_no}", 9, align="r")
    s.gap(6)
    s.line("İMZA SİRKÜLERİ", 14, True, "c")
    s.gap(6)


def _notary_end(s: Sheet, c: Circular, style: str) -> None:
    s.gap(6)
    s.para("Yukarıda adı soyadı, kimlik numarası ve görevi yazılı kişilerin dairemizde huzurumda atmış oldukları "
           "imzaların kendilerine ait olduğunu onaylarım. " + day(c.issued_on, style), 9.5)
    s.gap(10)
    s.line(tr_upper(c.notary), 9.5, True, "r")
    s.line("Noter", 9.5, align="r")


def _persons_list(s: Sheet, c: Circular) -> None:
    for p in c.persons:
        s.line(f"{p.name}   T.C. Kimlik No: {p.tckn}   {p.title}", 9.5, x=70)
        s.line("İmzası: ..................................", 8, x=70)


def _company_intro(c: Circular) -> str:
    return (f"{tr_upper(c.company)} ({c.sicil_no} sicil numarası ile kayıtlı, Vergi Kimlik No: {c.vkn}) "
            f"şirketinin {day(c.decision_on, 'dot')} tarihli yönetim kurulu kararına göre;")


def ci_clause_after(rng: random.Random) -> tuple[bytes, dict]:
    """Persons first, then "Yukarıda isimleri yazılı kişiler ... tarihine kadar münferiden ..." (issue 11)."""
    c = circular(rng, rng.choice([2, 3]))
    until = _years(c.decision_on, rng.choice([1, 2, 3]))
    for p in c.persons:
        p.valid_until = until
    s = Sheet("serif")
    _notary_head(s, c)
    s.para(_company_intro(c), 9.5)
    _persons_list(s, c)
    s.para(f"Yukarıda isimleri yazılı kişiler şirketi {day(until, 'long')} tarihine kadar münferiden imzaları ile her "
           "hususta temsil ve ilzama yetkilidir.", 9.5)
    _notary_end(s, c, "long")
    return s.pdf(), c.truth()


def ci_clause_before(rng: random.Random) -> tuple[bytes, dict]:
    """The clause first ("müştereken imzaları ile temsile yetkili kişiler:"), then the persons."""
    c = circular(rng, 2)
    a, b = c.persons
    until = _years(c.decision_on, 3)
    for p, q in ((a, b), (b, a)):
        p.mode, p.joint_with, p.valid_until = "mustereken", [q.name], until
    s = Sheet("serif")
    _notary_head(s, c)
    s.para(f"{_company_intro(c)} şirketi {day(until, 'dot')} tarihine kadar aşağıda isimleri yazılı kişilerin "
           "müştereken imzaları ile temsil ve ilzama yetkilidir:", 9.5)
    _persons_list(s, c)
    _notary_end(s, c, "dot")
    return s.pdf(), c.truth()


def ci_table(rng: random.Random) -> tuple[bytes, dict]:
    """A table per person with different powers: one alone up to a limit, two jointly."""
    c = circular(rng, 3)
    a, b, d = c.persons
    until = _years(c.decision_on, 2)
    a.limit, a.valid_until = Decimal(rng.choice([250000, 500000, 1000000])), until
    for p, q in ((b, d), (d, b)):
        p.mode, p.joint_with, p.valid_until = "mustereken", [q.name], until
    s = Sheet("sans")
    _notary_head(s, c, "iso")
    s.para(f"{tr_upper(c.company)} — VKN {c.vkn} — Ticaret Sicil No {c.sicil_no}", 9.5, True)
    s.para("Şirketi temsile yetkili kişiler ve yetki şekilleri:", 9.5)
    rows = [["Adı Soyadı", "T.C. Kimlik No", "Görevi", "Temsil Şekli", "Süre"]]
    rows.append([a.name, a.tckn, a.title, f"{tl(a.limit)} TL'ye kadar\nmünferiden", day(until, "dot")])
    rows.append([b.name, b.tckn, b.title, f"{d.name} ile\nmüştereken", day(until, "dot")])
    rows.append([d.name, d.tckn, d.title, f"{b.name} ile\nmüştereken", day(until, "dot")])
    s.table(rows, [50, 150, 235, 335, 470, 545], size=8)
    _notary_end(s, c, "iso")
    return s.pdf(), c.truth()


def ci_groups(rng: random.Random) -> tuple[bytes, dict]:
    """A and B signature groups: any A signs jointly with any B."""
    c = circular(rng, 4)
    ga, gb = c.persons[:2], c.persons[2:]
    for p in ga:
        p.mode, p.joint_with = "mustereken", [q.name for q in gb]
    for p in gb:
        p.mode, p.joint_with = "mustereken", [q.name for q in ga]
    s = Sheet("serif")
    _notary_head(s, c)
    s.para(_company_intro(c), 9.5)
    s.line("A Grubu İmza Yetkilileri:", 9.5, True)
    for p in ga:
        s.line(f"{p.name} (T.C. Kimlik No: {p.tckn}) - {p.title}", 9.5, x=70)
    s.line("B Grubu İmza Yetkilileri:", 9.5, True)
    for p in gb:
        s.line(f"{p.name} (T.C. Kimlik No: {p.tckn}) - {p.title}", 9.5, x=70)
    s.para("Şirket, A grubu imza yetkililerinden birinin B grubu imza yetkililerinden biri ile birlikte atacağı "
           "müşterek imza ile yeni bir karar alınıncaya kadar temsil ve ilzam olunur.", 9.5)
    _notary_end(s, c, "long_wd")
    return s.pdf(), c.truth()


def ci_each_alone(rng: random.Random) -> tuple[bytes, dict]:
    """"Her biri tek başına", for a duration written as "3 yıl süre ile" from the decision."""
    c = circular(rng, 2)
    years = rng.choice([1, 2, 3])
    until = _years(c.decision_on, years)
    for p in c.persons:
        p.valid_until = until
    s = Sheet("scond")
    _notary_head(s, c)
    s.para(f"{tr_upper(c.company)} (VKN: {c.vkn}) genel kurulunun {day(c.decision_on, 'long')} tarihli kararı ile "
           f"müdür olarak seçilen aşağıdaki kişiler, {years} yıl süre ile her biri tek başına şirket unvanı altında "
           "atacakları imza ile şirketi temsil ve ilzama yetkilidirler.", 9.5)
    _persons_list(s, c)
    _notary_end(s, c, "upper")
    return s.pdf(), c.truth()


def ci_at_least_two(rng: random.Random) -> tuple[bytes, dict]:
    """"En az ikisinin müşterek imzası ile", three board members."""
    c = circular(rng, 3)
    for p in c.persons:
        p.mode = "mustereken"
        p.joint_with = [q.name for q in c.persons if q is not p]
    s = Sheet("serif")
    _notary_head(s, c)
    s.para(_company_intro(c), 9.5)
    _persons_list(s, c)
    s.para("Yukarıda isimleri yazılı yönetim kurulu üyelerinden en az ikisinin müşterek imzası ile şirket "
           "unvanı altında şirketi her konuda temsil ve ilzama yetkilidirler.", 9.5)
    _notary_end(s, c, "slash")
    return s.pdf(), c.truth()


def ci_single_manager(rng: random.Random) -> tuple[bytes, dict]:
    """One manager, alone, until a new decision (no end date); the certificate's date has a weekday."""
    c = circular(rng, 1)
    p = c.persons[0]
    p.title = "Şirket Müdürü"
    s = Sheet("sans")
    s.line(f"{tr_upper(c.notary)}", 11, True, "c")
    s.line(f"Yevmiye Numarası: {c.yevmiye_no}", 9, align="r")
    s.line(f"Tarih: {day(c.issued_on, 'wd_long')}", 9, align="r")
    s.line("İMZA SİRKÜLERİ", 13, True, "c")
    s.para(f"Ben, {p.name} (T.C. Kimlik No: {p.tckn}), {c.company} (Vergi Kimlik No: {c.vkn}) şirketinin müdürü "
           "sıfatıyla yeni bir karar alınıncaya kadar şirketi münferiden temsil ve ilzama yetkili olduğumu "
           "beyan ederim. Şirket unvanı altında kullanacağım imza örneğim aşağıdadır.", 9.5)
    s.line("İmza: ..................................", 9, x=300)
    s.para("Kimliği ibraz ettiği nüfus cüzdanından tespit edilen beyan sahibinin huzurumda attığı imzayı "
           "onaylarım.", 9.5)
    s.line("Noter", 9.5, align="r")
    return s.pdf(), c.truth()


def ci_among(rng: random.Random) -> tuple[bytes, dict]:
    """Powers among the persons: one alone, the next two 'A ile B müştereken'."""
    c = circular(rng, 3)
    a, b, d = c.persons
    until = _years(c.decision_on, 1)
    a.valid_until = until
    for p, q in ((b, d), (d, b)):
        p.mode, p.joint_with, p.valid_until = "mustereken", [q.name], until
    s = Sheet("serif")
    _notary_head(s, c)
    s.para(_company_intro(c), 9.5)
    s.line(f"1- {a.name} (T.C. Kimlik No: {a.tckn}) {a.title}", 9.5, x=60)
    s.para(f"{day(until, 'long')} tarihine kadar münferiden imzası ile şirketi temsile yetkilidir.", 9.5, x=80)
    s.line(f"2- {b.name} (T.C. Kimlik No: {b.tckn}) {b.title}", 9.5, x=60)
    s.line(f"3- {d.name} (T.C. Kimlik No: {d.tckn}) {d.title}", 9.5, x=60)
    s.para(f"{b.name} ile {d.name} {day(until, 'long')} tarihine kadar müştereken imzaları ile şirketi temsile "
           "yetkilidir.", 9.5, x=80)
    _notary_end(s, c, "long0")
    return s.pdf(), c.truth()


CIRCULAR: dict[str, Layout] = {
    "madde_sonra": ci_clause_after, "madde_once": ci_clause_before, "tablo_yetki": ci_table,
    "gruplu": ci_groups, "her_biri_sureli": ci_each_alone, "en_az_iki": ci_at_least_two,
    "tek_mudur": ci_single_manager, "kisiler_arasi": ci_among,
}


# --- Kredi Uygunluk Belgesi ----------------------------------------------------------------

def _bank_head(s: Sheet, k, style: str = "full") -> None:
    if style == "full":
        s.line("TÜRKİYE VAKIFLAR BANKASI T.A.O.", 11, True)
        s.line(f"{k.branch} Müdürlüğü", 9.5)
    else:
        s.line("VakıfBank", 14, True)
        s.line(f"{tr_upper(k.branch)}", 9, True)


def kub_official(rng: random.Random) -> tuple[bytes, dict]:
    k = credit_letter(rng)
    s = Sheet("serif")
    _bank_head(s, k)
    s.line(f"Sayı: {k.reference}", 9)
    s.line(f"Tarih: {day(k.issued_on, 'dot')}", 9, align="r")
    s.line("Konu: Kredi Uygunluk Belgesi", 9, True)
    s.gap(8)
    s.line(f"{tr_upper(k.agency)} GENEL SEKRETERLİĞİNE", 10, True, "c")
    s.gap(6)
    s.para(f"Bankamız {k.branch} müşterisi {k.company} (VKN: {k.vkn}) firmasının Ajansınızın {k.program} "
           f"kapsamında sunacağı proje için talep ettiği {tl(k.amount)} TL tutarındaki kredi talebi bankamızca "
           "değerlendirilmiş olup, kredi kullandırılması uygun görülmüştür.", 10, indent=25)
    s.line("Bilgilerinize sunarız.", 10, x=75)
    s.gap(20)
    s.line("Saygılarımızla,", 10, align="r")
    s.line("TÜRKİYE VAKIFLAR BANKASI T.A.O.", 9.5, True, "r")
    s.line(k.branch, 9.5, align="r")
    return s.pdf(), k.truth()


def kub_table(rng: random.Random) -> tuple[bytes, dict]:
    k = credit_letter(rng)
    s = Sheet("sans")
    _bank_head(s, k, "short")
    s.gap(6)
    s.line("KREDİ UYGUNLUK BELGESİ", 13, True, "c")
    s.gap(6)
    rows = [["Firma Unvanı", k.company], ["Vergi Kimlik No", k.vkn], ["Destek Programı", k.program],
            ["Kredi Tutarı", f"{tl(k.amount)} TL"], ["Değerlendirme Sonucu", "OLUMLU"],
            ["Belge Tarihi", day(k.issued_on, "dot")], ["Referans No", k.reference]]
    s.table(rows, [50, 200, 545], header=False, size=9)
    s.para("Yukarıda bilgileri yer alan firmanın kredi talebi bankamızca olumlu değerlendirilmiştir.", 9.5)
    s.line(f"VakıfBank {k.branch}", 9.5, True, "r")
    return s.pdf(), k.truth()


def kub_negative(rng: random.Random) -> tuple[bytes, dict]:
    k = credit_letter(rng, positive=False)
    s = Sheet("serif")
    _bank_head(s, k)
    s.line(f"{day(k.issued_on, 'long')}", 9.5, align="r")
    s.line(f"Ref: {k.reference}", 9)
    s.line("İLGİLİ MAKAMA", 10, True, "c")
    s.para(f"{k.company} ({k.vkn} vergi kimlik numaralı) tarafından {k.agency} {k.program} kapsamında "
           f"bankamıza iletilen {tl(k.amount)} TL tutarlı kredi talebi, yapılan değerlendirme sonucunda "
           "uygun görülmemiştir.", 10, indent=25)
    s.line("Bilgilerinize rica ederiz.", 10)
    s.line("VAKIFBANK", 9.5, True, "r")
    s.line(k.branch, 9.5, align="r")
    return s.pdf(), k.truth()


def kub_date_last(rng: random.Random) -> tuple[bytes, dict]:
    k = credit_letter(rng)
    s = Sheet("scond")
    _bank_head(s, k, "short")
    s.gap(10)
    s.line(f"Sayın {k.agency} Genel Sekreterliği", 10, True)
    s.gap(4)
    s.para(f"{k.program} çerçevesinde {k.company} unvanlı firmamız müşterisinin (Vergi No: {k.vkn}) "
           f"{tl(k.amount)} TL ({amount_in_words(k.amount, prefix='yalnız')}) tutarındaki yatırım kredisi "
           "başvurusu incelenmiş ve kredinin kullandırılabileceği anlaşılmıştır.", 10, indent=25)
    s.gap(20)
    s.line(f"{k.city}, {day(k.issued_on, 'long_wd')}", 9.5, align="r")
    s.line("Şube Müdürü", 9.5, align="r")
    s.line(f"Belge No: {k.reference}", 8)
    return s.pdf(), k.truth()


def kub_wrapped(rng: random.Random) -> tuple[bytes, dict]:
    k = credit_letter(rng)
    s = Sheet("cond")
    _bank_head(s, k)
    s.line("KREDİ UYGUNLUK BELGESİ", 12, True, "c")
    rows = [["Başvuru Sahibi\nUnvanı", "Vergi Kimlik\nNumarası", "Talep Edilen\nKredi Tutarı", "Bankanın\nKanaati"],
            [k.company, k.vkn, f"{tl(k.amount)} TL", "Olumlu"]]
    s.table(rows, [50, 260, 350, 450, 545], size=8.5)
    s.line(f"Düzenlenme Tarihi: {day(k.issued_on, 'slash')}", 9)
    s.line(f"Dosya No: {k.reference}", 9)
    s.para("Firmanın talep ettiği kredinin kullandırılması bankamızca uygun görülmüştür.", 9.5)
    return s.pdf(), k.truth()


def kub_iso(rng: random.Random) -> tuple[bytes, dict]:
    k = credit_letter(rng)
    s = Sheet("mono")
    s.line("T. VAKIFLAR BANKASI T.A.O.", 10, True)
    s.line(f"{k.branch} ({rng.randint(100, 999)})", 9)
    s.line(f"Tarih    : {day(k.issued_on, 'iso')}", 8.5)
    s.line(f"Ref. No  : {k.reference}", 8.5)
    s.line(f"Müşteri  : {k.company}", 8.5)
    s.line(f"VKN      : {k.vkn}", 8.5)
    s.line(f"Tutar    : {tl(k.amount)} TRY", 8.5)
    s.gap(6)
    s.para(f"Konu: {k.agency} kredi uygunluk yazısı. Müşterimizin yukarıda tutarı belirtilen kredi talebi, "
           "kredi komitemizce uygun bulunmuştur.", 8.5)
    return s.pdf(), k.truth()


def kub_agency_form(rng: random.Random) -> tuple[bytes, dict]:
    """The agency's own form, filled in and stamped by the branch."""
    k = credit_letter(rng)
    s = Sheet("sans")
    s.line(tr_upper(k.agency), 10, True, "c")
    s.line(k.program, 9, align="c")
    s.line("KREDİ UYGUNLUK BELGESİ (EK-4)", 12, True, "c")
    s.gap(6)
    rows = [["1. Başvuru Sahibinin Adı / Unvanı", k.company], ["2. Vergi Kimlik Numarası", k.vkn],
            ["3. Kredi Veren Banka / Şube", f"T. Vakıflar Bankası T.A.O. / {k.branch}"],
            ["4. Kredi Tutarı (TL)", tl(k.amount)], ["5. Bankanın Değerlendirmesi", "Olumlu"],
            ["6. Tarih", day(k.issued_on, "dot")], ["7. Belge Referans No", k.reference]]
    s.table(rows, [50, 260, 545], header=False, size=9)
    s.line("Banka Yetkilisi Kaşe / İmza", 9, align="r")
    return s.pdf(), k.truth()


def kub_two_dates(rng: random.Random) -> tuple[bytes, dict]:
    """The letter cites the customer's application date before its own date (the issue date is the letter's)."""
    k = credit_letter(rng)
    applied = k.issued_on - timedelta(days=rng.randint(5, 30))
    s = Sheet("serif")
    _bank_head(s, k)
    s.line(f"Tarih: {day(k.issued_on, 'long0')}", 9.5, align="r")
    s.line(f"Sayı: {k.reference}", 9.5)
    s.para(f"{k.company}'nin {day(applied, 'dot')} tarihli başvurusu ile bankamızdan talep ettiği "
           f"{tl(k.amount)} TL tutarındaki kredinin, {k.program} kapsamında kullandırılması uygun görülmüştür. "
           f"Firmanın vergi kimlik numarası {k.vkn} olup bankamızın {k.branch} müşterisidir.", 10, indent=25)
    s.line("Saygılarımızla.", 10)
    return s.pdf(), k.truth()


KUB: dict[str, Layout] = {
    "resmi_yazi": kub_official, "tablo": kub_table, "olumsuz": kub_negative, "tarih_sonda": kub_date_last,
    "iki_satir_etiket": kub_wrapped, "iso_tarih": kub_iso, "ajans_formu": kub_agency_form,
    "iki_tarih": kub_two_dates,
}


# --- faaliyet belgesi / sicil tasdiknamesi ---------------------------------------------------

def _chamber_head(s: Sheet, r, title: str) -> None:
    s.line(tr_upper(r.issuer), 11, True, "c")
    s.line(title, 13, True, "c")
    s.gap(6)


def _nace_lines(s: Sheet, r, label: str = "NACE Kodu") -> None:
    for c in r.nace_codes:
        s.line(f"{label}: {c} - {NACE_TEXT[c]}", 8.5)


def fb_classic(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("serif")
    _chamber_head(s, r, "FAALİYET BELGESİ")
    s.line(f"Tarih: {day(r.issued_on, 'dot')}", 9, align="r")
    s.para(f"Odamızın {r.sicil_no} sicil numarasında kayıtlı {tr_upper(r.company)} (Vergi No: {r.vkn}) "
           f"{day(r.registered_on, 'dot')} tarihinden itibaren odamıza kayıtlı olup faaliyetine devam etmektedir.", 10)
    _nace_lines(s, r)
    s.para("İşbu belge ilgilinin talebi üzerine verilmiştir.", 9.5)
    return s.pdf(), r.truth()


def fb_table(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("sans")
    _chamber_head(s, r, "ODA KAYIT BELGESİ")
    rows = [["Unvan", r.company], ["Vergi Kimlik No", r.vkn], ["Oda Sicil No", r.sicil_no],
            ["Odaya Kayıt Tarihi", day(r.registered_on, "dot")], ["Adres", " ".join(r.address)],
            ["NACE Kodları", ", ".join(r.nace_codes)]]
    s.table(rows, [50, 190, 545], header=False, size=9)
    s.line(f"Belge Tarihi: {day(r.issued_on, 'dot')}", 9)
    return s.pdf(), r.truth()


def fb_tasdikname(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("serif")
    _chamber_head(s, r, "TİCARET SİCİL TASDİKNAMESİ")
    s.para(f"{r.company}, {r.address[0]} {r.address[1]} adresinde, {r.sicil_no} ticaret sicil numarası ile "
           f"{day(r.registered_on, 'long')} tarihinde tescil edilmiştir. Vergi Kimlik No: {r.vkn}", 10)
    _nace_lines(s, r, "Faaliyet Kodu (NACE)")
    s.para(f"Bu tasdikname {day(r.issued_on, 'long')} tarihinde düzenlenmiştir.", 9.5)
    return s.pdf(), r.truth()


def fb_iso(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("mono")
    s.line(tr_upper(r.issuer), 10, True)
    s.line("FAALİYET BELGESİ", 11, True)
    s.line(f"Belge Tarihi   : {day(r.issued_on, 'iso')}", 8.5)
    s.line(f"Firma Unvanı   : {r.company}", 8.5)
    s.line(f"VKN            : {r.vkn}", 8.5)
    s.line(f"Sicil No       : {r.sicil_no}", 8.5)
    s.line(f"Kayıt Tarihi   : {day(r.registered_on, 'iso')}", 8.5)
    s.line(f"NACE           : {' / '.join(r.nace_codes)}", 8.5)
    s.line("Doğrulama için oda internet sitesindeki belge doğrulama sayfasını kullanınız.", 7.5)
    return s.pdf(), r.truth()


def fb_date_bottom(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("scond")
    _chamber_head(s, r, "FAALİYET BELGESİ")
    s.para("Aşağıda bilgileri bulunan üyemizin odamıza kaydı devam etmektedir.", 10)
    s.line(f"Üye Unvanı: {tr_upper(r.company)}", 9.5)
    s.line(f"Vergi Kimlik Numarası: {r.vkn}", 9.5)
    s.line(f"Kuruluş Tarihi: {day(r.registered_on, 'long')}", 9.5)
    _nace_lines(s, r, "Ana Faaliyet Kodu")
    s.gap(16)
    s.line(f"{r.address[1].split(' / ')[0]}, {day(r.issued_on, 'long_wd')}", 9.5, align="r")
    s.line("Genel Sekreter", 9.5, align="r")
    return s.pdf(), r.truth()


def fb_wrapped(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("cond")
    _chamber_head(s, r, "FAALİYET BELGESİ")
    rows = [["Ticaret Unvanı", "Vergi Kimlik\nNumarası", "Odaya Kayıt\nTarihi", "Meslek\nGrubu"],
            [r.company, r.vkn, day(r.registered_on, "slash"), f"{rng.randint(1, 60)}. Grup"]]
    s.table(rows, [50, 250, 340, 440, 545], size=8.5)
    _nace_lines(s, r)
    s.line(f"Düzenleme Tarihi: {day(r.issued_on, 'slash')}", 9)
    return s.pdf(), r.truth()


def fb_upper_date(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("serif")
    s.line(f"{day(r.issued_on, 'upper')}", 9, align="r")
    _chamber_head(s, r, "SİCİL KAYIT SURETİ / FAALİYET BELGESİ")
    s.para(f"{r.company} unvanlı firma {r.sicil_no} sicil numarası ile Odamızın kayıtlı üyesidir. Firmanın "
           f"vergi kimlik numarası {r.vkn}, odaya giriş tarihi {day(r.registered_on, 'upper')} dir.", 10)
    s.line(f"NACE Rev.2: {', '.join(r.nace_codes)}", 9)
    return s.pdf(), r.truth()


def fb_two_col(rng: random.Random) -> tuple[bytes, dict]:
    r = registration(rng)
    s = Sheet("sans")
    _chamber_head(s, r, "FAALİYET BELGESİ")
    left = ["Unvanı", "Vergi No", "Sicil No", "Kayıt Tarihi", "Belge Tarihi"]
    right = [r.company, r.vkn, r.sicil_no, day(r.registered_on, "dot1"), day(r.issued_on, "dot1")]
    y = s.y
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        s.text(50, y + i * 13, a + ":", 9, True)
        s.text(160, y + i * 13, b, 9)
    s.y = y + 13 * len(left) + 6
    _nace_lines(s, r)
    return s.pdf(), r.truth()


CERTIFICATE: dict[str, Layout] = {
    "klasik": fb_classic, "oda_kayit_tablo": fb_table, "sicil_tasdiknamesi": fb_tasdikname, "iso_form": fb_iso,
    "tarih_sonda": fb_date_bottom, "iki_satir_etiket": fb_wrapped, "buyuk_harf_tarih": fb_upper_date,
    "iki_sutun": fb_two_col,
}
