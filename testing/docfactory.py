"""Generated test documents with ground truth: proformas, imza sirküleri, bank letters,
certificates, e-Fatura XML, scans of them, and malformed files.

Each kind comes in several clearly different layouts and wordings (table vs free text,
"Genel Toplam"/"TOPLAM"/"Ödenecek Tutar", "KDV %20"/"K.D.V. (%20)", TL/₺/TRY, numeric and
worded dates), so the readers cannot be tuned to one layout. Fonts embed DejaVu TTFs, so
Turkish letters survive in the text layer (turkish-domain §7). Importable as
`testing.docfactory` by the tests, the bench and the sample-package builder.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape

import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from stdnum.tr import tckimlik, vkn

from evrak.dates import MONTHS
from evrak.money import format_number, quantize

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
_FONTS = {
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
}
_registered = False


def _fonts() -> None:
    global _registered
    if not _registered:
        for name, fn in _FONTS.items():
            pdfmetrics.registerFont(TTFont(name, FONT_DIR + fn))
        _registered = True


# --- identifiers and names -----------------------------------------------------------------

def make_vkn(rng: random.Random) -> str:
    base = f"{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}"
    return base + vkn.calc_check_digit(base)


def make_tckn(rng: random.Random) -> str:
    base = f"{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}"
    return base + tckimlik.calc_check_digits(base)


def break_checksum(number: str) -> str:
    """Same length, last digit changed: fails the checksum."""
    return number[:-1] + str((int(number[-1]) + 3) % 10)


FIRST = ["Ahmet", "Mehmet", "Ayşe", "Fatma", "Şeyma", "İbrahim", "Gülşen", "Özgür", "Çağrı",
         "Işıl", "Ümit", "Zeynep", "Mustafa", "Hülya", "Oğuz", "İsmail", "Büşra", "Ali"]
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Özdemir", "Arslan",
        "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Işık", "Güneş", "Erdoğan"]
ROOTS = ["Örnek Makina", "Çağdaş Metal", "Işıklar Plastik", "Güneydoğu Tekstil", "Akdeniz Gıda",
         "Öz İstanbul Kalıp", "Şimşek Otomasyon", "Yıldız Elektrik", "Doğu Ambalaj",
         "Ilgaz Mobilya", "Ege Çelik Yapı", "Kuzey Enerji"]
SUFFIX = ["Sanayi ve Ticaret A.Ş.", "San. ve Tic. Ltd. Şti.", "Sanayi ve Ticaret Limited Şirketi",
          "İmalat Sanayi A.Ş.", "Makina Sanayi ve Ticaret Anonim Şirketi"]
ITEMS = ["CNC dik işleme merkezi", "Hidrolik abkant pres", "Lazer kesim makinesi",
         "Endüstriyel kompresör", "Forklift (2,5 ton)", "Kaynak robotu", "Paketleme makinesi",
         "Soğuk hava deposu paneli", "Güneş paneli (550 W)", "Yazılım lisansı (ERP)",
         "Torna tezgâhı", "Şerit testere", "Boya kabini", "Jeneratör 150 kVA"]
CITIES = [("Hatay", "Antakya"), ("Adana", "Seyhan"), ("Mersin", "Akdeniz"), ("Osmaniye", "Merkez"),
          ("Kahramanmaraş", "Onikişubat"), ("Ankara", "Çankaya")]


def _upper(text: str) -> str:
    from evrak.text import tr_upper
    return tr_upper(text)


def person_name(rng: random.Random, upper_surname: bool = True) -> str:
    first = rng.choice(FIRST)
    last = rng.choice(LAST)
    from evrak.text import tr_upper
    return f"{first} {tr_upper(last) if upper_surname else last}"


def company_name(rng: random.Random) -> str:
    return f"{rng.choice(ROOTS)} {rng.choice(SUFFIX)}"


# --- formatting ---------------------------------------------------------------------------

def fmt_date(d: date, style: str) -> str:
    if style == "dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def fmt_money(v: Decimal, cur: str) -> str:
    n = format_number(v)
    return {"TL": f"{n} TL", "₺": f"{n} ₺", "TRY": f"{n} TRY", "": n}[cur]


# --- rendering ----------------------------------------------------------------------------

Block = tuple  # ("p", text, size, bold, align) | ("table", rows, col_widths) | ("gap", pts)


def render(blocks: list[Block], *, font: str = "Sans", encrypt: str | None = None) -> bytes:
    """Blocks -> PDF bytes with an embedded TTF (text layer keeps İ, ı, ş, ğ)."""
    _fonts()
    buf = io.BytesIO()
    kw = {}
    if encrypt:
        kw["encrypt"] = StandardEncryption(encrypt, ownerPassword=encrypt + "o", canPrint=1)
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=1.8 * cm, bottomMargin=1.8 * cm, **kw)
    story = []
    for b in blocks:
        if b[0] == "p":
            _, text, size, bold, align = b
            style = ParagraphStyle(
                "x", fontName=font + ("-Bold" if bold else ""), fontSize=size, leading=size * 1.35,
                alignment=align,
            )
            story.append(Paragraph(escape(text).replace("\n", "<br/>"), style))
            story.append(Spacer(1, 3))
        elif b[0] == "gap":
            story.append(Spacer(1, b[1]))
        elif b[0] == "table":
            rows, widths = b[1], b[2] if len(b) > 2 else None
            t = Table(rows, colWidths=widths)
            t.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTNAME", (0, 0), (-1, 0), font + "-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story.append(t)
            story.append(Spacer(1, 6))
    doc.build(story)
    return buf.getvalue()


def scan(pdf: bytes, *, dpi: int = 300, angle: float = 0.8, noise: float = 12.0, seed: int = 1,
         blur: bool = False) -> bytes:
    """An image-only PDF of `pdf`, as a flatbed scanner would make it: rendered at `dpi`,
    rotated by `angle` degrees (≤1.5), grey, with a little noise; no text layer."""
    src = pdfium.PdfDocument(pdf)
    frames = []
    try:
        for i in range(len(src)):
            img = src[i].render(scale=dpi / 72).to_pil().convert("L")
            img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
            if noise:
                rnd = random.Random(seed + i)
                w, h = img.width // 2, img.height // 2
                grain = Image.frombytes("L", (w, h), rnd.randbytes(w * h)).resize(img.size)
                img = Image.blend(img, grain, noise / 150)
                # a few specks
                px = img.load()
                for _ in range(img.width * img.height // 4000):
                    px[rnd.randrange(img.width), rnd.randrange(img.height)] = 0
                img = img.filter(ImageFilter.SMOOTH_MORE) if blur else img
            frames.append(img)
    finally:
        src.close()
    buf = io.BytesIO()
    frames[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=frames[1:])
    return buf.getvalue()


# --- proforma ---------------------------------------------------------------------------

@dataclass
class LineTruth:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    kdv_rate: int


@dataclass
class ProformaTruth:
    supplier: str
    supplier_id: str
    buyer: str
    buyer_vkn: str
    issued_on: date
    number: str
    valid_until: date | None
    currency: str
    lines: list[LineTruth]
    net: Decimal
    kdv: dict[int, Decimal]  # rate -> amount
    total: Decimal
    layout: str = ""

    @property
    def kdv_total(self) -> Decimal:
        return sum(self.kdv.values(), Decimal(0))


def make_proforma_truth(rng: random.Random, *, issued_on: date | None = None, rates: tuple[int, ...] = (20,),
                        n_lines: int | None = None, sole_trader: bool = False) -> ProformaTruth:
    issued_on = issued_on or date(2023, 8, 1) + timedelta(days=rng.randint(0, 900))
    n = n_lines or rng.randint(1, 4)
    lines = []
    for i in range(n):
        qty = Decimal(rng.choice([1, 1, 2, 3, 5, 10]))
        unit = quantize(Decimal(rng.randint(1500, 950000)) + Decimal(rng.randint(0, 99)) / 100)
        lines.append(LineTruth(rng.choice(ITEMS), qty, unit, quantize(qty * unit), rates[i % len(rates)]))
    net = sum((ln.amount for ln in lines), Decimal(0))
    kdv: dict[int, Decimal] = {}
    for r in sorted(set(rates), reverse=True):
        base = sum((ln.amount for ln in lines if ln.kdv_rate == r), Decimal(0))
        kdv[r] = quantize(base * r / 100)
    total = net + sum(kdv.values(), Decimal(0))
    supplier = person_name(rng) + " Makina" if sole_trader else company_name(rng)
    sid = make_tckn(rng) if sole_trader else make_vkn(rng)
    buyer = company_name(rng)
    while buyer.split()[0] == supplier.split()[0]:
        buyer = company_name(rng)
    valid = issued_on + timedelta(days=30) if rng.random() < 0.7 else None
    return ProformaTruth(supplier, sid, buyer, make_vkn(rng), issued_on,
                         f"PF-{issued_on.year}-{rng.randint(1, 9999):04d}", valid, "TRY", lines, net, kdv, total)


PROFORMA_LAYOUTS = ("tablo", "serbest", "kurumsal")


def proforma_pdf(t: ProformaTruth, layout: str = "tablo", *, show_total: Decimal | None = None,
                 show_rate: int | None = None, omit_kdv: bool = False) -> bytes:
    """Render a proforma. `show_total` prints a different grand total (broken arithmetic),
    `show_rate` prints a different KDV rate label, `omit_kdv` drops KDV altogether."""
    t.layout = layout
    total = show_total if show_total is not None else (t.net if omit_kdv else t.total)
    blocks: list[Block] = []
    if layout == "tablo":
        cur = "TL"
        blocks += [
            ("p", _upper(t.supplier), 14, True, 0),
            ("p", "Organize Sanayi Bölgesi 3. Cadde No: 12, Antakya / HATAY", 9, False, 0),
            ("p", f"Vergi Dairesi: Antakya V.D.   {'T.C. Kimlik No' if len(t.supplier_id) == 11 else 'Vergi No'}: "
                  f"{t.supplier_id}", 9, False, 0),
            ("gap", 10),
            ("p", "PROFORMA FATURA", 16, True, 1),
            ("p", f"Tarih: {fmt_date(t.issued_on, 'dot')}", 10, False, 2),
            ("p", f"Proforma No: {t.number}", 10, False, 2),
        ]
        if t.valid_until:
            blocks.append(("p", f"Geçerlilik Tarihi: {fmt_date(t.valid_until, 'dot')}", 10, False, 2))
        blocks += [("p", f"Sayın: {t.buyer}", 10, False, 0),
                   ("p", f"Vergi No: {t.buyer_vkn}", 9, False, 0)]
        rows = [["Sıra", "Açıklama", "Miktar", "Birim Fiyat", "Tutar"]]
        for i, ln in enumerate(t.lines, 1):
            rows.append([str(i), ln.description, f"{ln.quantity} Adet", fmt_money(ln.unit_price, cur),
                         fmt_money(ln.amount, cur)])
        rows.append(["", "Ara Toplam", "", "", fmt_money(t.net, cur)])
        if not omit_kdv:
            for r, a in t.kdv.items():
                rows.append(["", f"KDV %{show_rate or r}", "", "", fmt_money(a, cur)])
        rows.append(["", "Genel Toplam", "", "", fmt_money(total, cur)])
        blocks.append(("table", rows, [1.2 * cm, 6.8 * cm, 2.2 * cm, 3.3 * cm, 3.5 * cm]))
        blocks.append(("p", "Ödeme: %50 sipariş ile, kalanı teslimde. Teslim süresi 45 gündür.", 9, False, 0))
        font = "Sans"
    elif layout == "serbest":
        cur = "₺"
        blocks += [
            ("p", fmt_date(t.issued_on, "long"), 10, False, 2),
            ("p", f"Sayın {t.buyer}", 11, True, 0),
            ("p", f"Vergi Kimlik No: {t.buyer_vkn}", 9, False, 0),
            ("p", f"Konu: Fiyat teklifi (Teklif No: {t.number})", 10, False, 0),
            ("p", "Firmanızın talep ettiği ürünler için proforma fatura niteliğindeki fiyat teklifimiz "
                  "aşağıda bilgilerinize sunulmuştur.", 10, False, 0),
        ]
        for i, ln in enumerate(t.lines, 1):
            blocks.append(("p", f"{i}) {ln.description}: {ln.quantity} adet × {fmt_money(ln.unit_price, cur)} = "
                                f"{fmt_money(ln.amount, cur)}", 10, False, 0))
        blocks.append(("p", f"Toplam (KDV hariç): {fmt_money(t.net, cur)}", 10, False, 0))
        if not omit_kdv:
            for r, a in t.kdv.items():
                blocks.append(("p", f"K.D.V. (%{show_rate or r}): {fmt_money(a, cur)}", 10, False, 0))
        blocks.append(("p", f"TOPLAM: {fmt_money(total, cur)}", 11, True, 0))
        if t.valid_until:
            days = (t.valid_until - t.issued_on).days
            blocks.append(("p", f"Bu teklif {days} gün süreyle geçerlidir.", 10, False, 0))
        blocks += [("gap", 14), ("p", "Saygılarımızla,", 10, False, 0),
                   ("p", t.supplier, 11, True, 0),
                   ("p", f"{'T.C.K.N.' if len(t.supplier_id) == 11 else 'V.K.N.'}: {t.supplier_id} "
                         f"– İskenderun V.D.", 9, False, 0),
                   ("p", "Tel: 0326 555 12 34  e-posta: satis@example.com.tr", 9, False, 0)]
        font = "Serif"
    else:  # kurumsal
        cur = ""
        blocks += [("p", "PROFORMA / FİYAT TEKLİFİ", 15, True, 0),
                   ("table", [["Satıcı", "Alıcı"],
                              [f"{t.supplier}\n{'TCKN' if len(t.supplier_id) == 11 else 'VKN'}: {t.supplier_id}",
                               f"{t.buyer}\nVKN: {t.buyer_vkn}"]], [8.5 * cm, 8.5 * cm]),
                   ("p", f"Belge No: {t.number}    Düzenleme Tarihi: {fmt_date(t.issued_on, 'slash')}"
                         f"    Para Birimi: TRY", 9, False, 0)]
        if t.valid_until:
            blocks.append(("p", f"Teklif geçerlilik tarihi: {fmt_date(t.valid_until, 'slash')}", 9, False, 0))
        rows = [["Ürün / Hizmet", "Adet", "Birim Fiyatı (TRY)", "KDV %", "Toplam (TRY)"]]
        for ln in t.lines:
            rows.append([ln.description, str(ln.quantity), fmt_money(ln.unit_price, cur),
                         "" if omit_kdv else f"%{show_rate or ln.kdv_rate}", fmt_money(ln.amount, cur)])
        blocks.append(("table", rows, [6.5 * cm, 1.5 * cm, 3.4 * cm, 1.6 * cm, 3.6 * cm]))
        summ = [["Mal Hizmet Toplam Tutarı", fmt_money(t.net, cur) + " TRY"]]
        if not omit_kdv:
            for r, a in t.kdv.items():
                summ.append([f"Hesaplanan KDV (%{show_rate or r})", fmt_money(a, cur) + " TRY"])
        summ.append(["Ödenecek Tutar", fmt_money(total, cur) + " TRY"])
        blocks.append(("table", summ, [6 * cm, 4 * cm]))
        blocks.append(("p", "Fiyatlarımıza nakliye ve montaj dahildir.", 9, False, 0))
        font = "Sans"
    return render(blocks, font=font)


# --- imza sirküleri -----------------------------------------------------------------------

@dataclass
class PersonTruth:
    name: str
    tckn: str
    title: str
    mode: str  # "munferiden" | "mustereken"
    joint_with: list[str] = field(default_factory=list)
    limit: Decimal | None = None
    valid_until: date | None = None


@dataclass
class CircularTruth:
    company: str
    vkn: str
    persons: list[PersonTruth]
    notary: str
    yevmiye_no: str
    issued_on: date
    layout: str = ""


TITLES = ["Yönetim Kurulu Başkanı", "Yönetim Kurulu Üyesi", "Şirket Müdürü", "Genel Müdür",
          "Yönetim Kurulu Başkan Yardımcısı"]


def make_circular_truth(rng: random.Random) -> CircularTruth:
    issued = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1200))
    used: set[str] = set()
    persons = []
    for i in range(rng.choice([2, 3])):
        name = person_name(rng)
        while name.split()[-1] in used:
            name = person_name(rng)
        used.add(name.split()[-1])
        persons.append(PersonTruth(name, make_tckn(rng), TITLES[i], "munferiden",
                                   valid_until=issued + timedelta(days=365 * rng.randint(1, 3))))
    # the last two act jointly with each other, with a limit
    a, b = persons[-2], persons[-1]
    if len(persons) == 3 or rng.random() < 0.5:
        a.mode = b.mode = "mustereken"
        a.joint_with, b.joint_with = [b.name], [a.name]
        a.limit = b.limit = Decimal(rng.choice([500000, 1000000, 2500000]))
        b.valid_until = a.valid_until
    city = rng.choice(CITIES)[0]
    return CircularTruth(company_name(rng), make_vkn(rng), persons,
                         f"{city} {rng.randint(1, 30)}. Noterliği", str(rng.randint(1000, 99999)), issued)


CIRCULAR_LAYOUTS = ("tablo", "anlatim", "liste")


def circular_pdf(t: CircularTruth, layout: str = "tablo") -> bytes:
    from evrak.text import tr_upper
    t.layout = layout
    blocks: list[Block] = []
    if layout == "tablo":
        blocks += [("p", f"T.C. {tr_upper(t.notary)}", 13, True, 1),
                   ("p", "İMZA SİRKÜLERİ", 15, True, 1),
                   ("p", f"Yevmiye No: {t.yevmiye_no}          Tarih: {fmt_date(t.issued_on, 'dot')}", 10, False, 0),
                   ("p", f"{tr_upper(t.company)} (Vergi Kimlik No: {t.vkn}) şirketini temsil ve ilzama yetkili "
                         "kişiler ile temsil şekilleri aşağıda gösterilmiştir.", 10, False, 0)]
        rows = [["Adı Soyadı", "T.C. Kimlik No", "Görevi", "Temsil Şekli", "Yetki Süresi"]]
        for p in t.persons:
            mode = "Münferiden" if p.mode == "munferiden" else f"Müştereken\n({', '.join(p.joint_with)} ile)"
            if p.limit:
                mode += f"\n{format_number(p.limit)} TL'ye kadar"
            rows.append([p.name, p.tckn, p.title, mode, fmt_date(p.valid_until, "dot") if p.valid_until else "-"])
        blocks.append(("table", rows, [3.5 * cm, 2.6 * cm, 5.4 * cm, 3.7 * cm, 2.0 * cm]))
        blocks.append(("p", "Yukarıdaki imzaların adı geçenlere ait olduğunu onaylarım.", 10, False, 0))
        blocks.append(("p", f"{t.notary} - Noter", 10, True, 2))
        font = "Sans"
    elif layout == "anlatim":
        blocks += [("p", "İMZA SİRKÜLERİ", 15, True, 1),
                   ("p", f"{t.notary}", 11, True, 1),
                   ("p", f"Yevmiye Numarası: {t.yevmiye_no}", 10, False, 0),
                   ("p", f"Düzenleme Tarihi: {fmt_date(t.issued_on, 'long')}", 10, False, 0)]
        text = (f"{t.company} ({t.vkn} vergi numaralı) şirketinin Ticaret Sicili Müdürlüğü'nde kayıtlı "
                "yönetim kurulu kararına göre şirketi temsil ve ilzama; ")
        parts = []
        alone = [p for p in t.persons if p.mode == "munferiden"]
        joint = [p for p in t.persons if p.mode == "mustereken"]
        for p in alone:
            parts.append(f"{p.title} {p.name} (T.C. Kimlik No: {p.tckn}) "
                         f"{fmt_date(p.valid_until, 'long')} tarihine kadar münferiden")
        if joint:
            names = " ile ".join(f"{p.title} {p.name} (T.C. Kimlik No: {p.tckn})" for p in joint)
            lim = f"{format_number(joint[0].limit)} TL'ye kadar olan işlemlerde " if joint[0].limit else ""
            parts.append(f"{names} {fmt_date(joint[0].valid_until, 'long')} tarihine kadar {lim}müştereken")
        text += "; ".join(parts) + " imza ile yetkilidir."
        blocks.append(("p", text, 10, False, 4))
        blocks.append(("p", "İşbu imza sirküleri ilgililerin huzurunda düzenlenmiştir.", 10, False, 0))
        font = "Serif"
    else:  # liste
        blocks += [("p", f"{t.company}", 12, True, 0),
                   ("p", f"VKN: {t.vkn}", 9, False, 0),
                   ("p", "İMZA BEYANNAMESİ / İMZA SİRKÜLERİ", 14, True, 1)]
        for i, p in enumerate(t.persons, 1):
            mode = "Münferiden" if p.mode == "munferiden" else f"Müştereken ({', '.join(p.joint_with)} ile birlikte)"
            lines = [f"{i}. Adı Soyadı : {p.name}", f"T.C. Kimlik No : {p.tckn}", f"Unvanı : {p.title}",
                     f"Temsil Yetkisi : {mode}"]
            if p.limit:
                lines.append(f"Yetki Sınırı : {format_number(p.limit)} TL")
            lines.append(f"Yetki Bitiş Tarihi : {fmt_date(p.valid_until, 'slash')}")
            blocks.append(("p", "\n".join(lines), 10, False, 0))
            blocks.append(("gap", 6))
        blocks += [("p", f"Onaylayan: {t.notary}   Yevmiye: {t.yevmiye_no}", 10, False, 0),
                   ("p", f"Onay Tarihi: {fmt_date(t.issued_on, 'slash')}", 10, False, 0)]
        font = "Sans"
    return render(blocks, font=font)


# --- kredi uygunluk belgesi ---------------------------------------------------------------

@dataclass
class KubTruth:
    bank: str  # canonical bank name the reader should give
    bank_text: str
    branch: str
    company: str
    vkn: str
    program: str | None
    amount: Decimal | None
    issued_on: date
    reference: str
    positive: bool | None  # None for an application receipt
    is_application_receipt: bool = False
    layout: str = ""


def make_kub_truth(rng: random.Random, *, receipt: bool = False, negative: bool = False) -> KubTruth:
    city, district = rng.choice(CITIES)
    bank_text, bank = rng.choice([("T. VAKIFLAR BANKASI T.A.O.", "VakıfBank"), ("VakıfBank", "VakıfBank"),
                                  ("Türkiye Vakıflar Bankası T.A.O.", "VakıfBank"),
                                  ("T.C. Ziraat Bankası A.Ş.", "Ziraat Bankası")])
    return KubTruth(
        bank, bank_text, f"{city} {district} Şubesi", company_name(rng), make_vkn(rng),
        "2023 Yılı Makine Teçhizat Mali Destek Programı (TR63/23/MAKINE)",
        None if receipt else quantize(Decimal(rng.randint(100, 6000) * 1000)),
        date(2023, 1, 2) + timedelta(days=rng.randint(0, 1000)),
        f"KUB-{rng.randint(2023, 2026)}/{rng.randint(10, 9999)}",
        None if receipt else not negative, receipt)


KUB_LAYOUTS = ("resmi", "tablo", "kisa")


def kub_pdf(t: KubTruth, layout: str = "resmi") -> bytes:
    t.layout = layout
    blocks: list[Block] = []
    amt = format_number(t.amount) if t.amount is not None else ""
    if t.is_application_receipt:
        outcome = ("firmanın kredi başvurusu Bankamıza yapılmış olup değerlendirme süreci devam "
                   "etmektedir. İşbu yazı başvurunun alındığını gösterir.")
        title = "KREDİ UYGUNLUK BAŞVURU YAZISI"
    elif t.positive:
        outcome = "söz konusu kredinin kullandırılması Bankamızca uygun görülmüştür."
        title = "KREDİ UYGUNLUK BELGESİ"
    else:
        outcome = "söz konusu kredi talebi Bankamızca uygun görülmemiştir."
        title = "KREDİ UYGUNLUK BELGESİ"
    if layout == "resmi":
        blocks += [("p", t.bank_text, 13, True, 1), ("p", t.branch, 11, False, 1),
                   ("p", f"Sayı: {t.reference}", 10, False, 0),
                   ("p", f"Tarih: {fmt_date(t.issued_on, 'dot')}", 10, False, 2),
                   ("p", f"Konu: {title.title()}", 10, False, 0),
                   ("p", "DOĞU AKDENİZ KALKINMA AJANSI GENEL SEKRETERLİĞİNE", 11, True, 1)]
        body = (f"Bankamız müşterisi {t.company}'nin (VKN: {t.vkn}) Ajansınızın {t.program} kapsamında sunacağı "
                f"proje için ")
        body += (f"talep ettiği {amt} TL tutarındaki kredi ile ilgili olarak " if t.amount
                 else "yaptığı başvuru ile ilgili olarak ")
        blocks.append(("p", body + outcome, 10, False, 4))
        blocks.append(("p", "Bilgilerinize arz ederiz.", 10, False, 0))
        blocks.append(("p", f"{t.bank_text} {t.branch}", 10, True, 2))
        font = "Serif"
    elif layout == "tablo":
        blocks += [("p", title, 15, True, 1), ("p", f"{t.bank_text} – {t.branch}", 10, False, 1)]
        rows = [["Alan", "Bilgi"], ["Firma Unvanı", t.company], ["Vergi Kimlik No", t.vkn],
                ["Program", t.program or "-"]]
        if t.amount is not None:
            rows.append(["Kredi Tutarı", f"{amt} TL"])
        rows += [["Belge Tarihi", fmt_date(t.issued_on, "slash")], ["Referans No", t.reference]]
        if t.is_application_receipt:
            rows.append(["Durum", "Başvuru alındı, değerlendirme devam ediyor"])
        else:
            rows.append(["Değerlendirme Sonucu", "OLUMLU" if t.positive else "OLUMSUZ"])
        blocks.append(("table", rows, [5 * cm, 11 * cm]))
        blocks.append(("p", "Bu belge ilgili kalkınma ajansına ibraz edilmek üzere düzenlenmiştir. "
                            + outcome[0].upper() + outcome[1:], 9, False, 0))
        font = "Sans"
    else:  # kisa
        blocks += [("p", fmt_date(t.issued_on, "long"), 10, False, 2),
                   ("p", f"Ref: {t.reference}", 9, False, 0),
                   ("p", "İLGİLİ MAKAMA", 11, True, 0),
                   ("p", f"{t.company} (Vergi No: {t.vkn})", 10, False, 0)]
        if t.amount is not None:
            blocks.append(("p", f"Kredi tutarı: ₺{amt}", 10, False, 0))
        blocks.append(("p", "Yukarıda bilgileri yer alan firmanın kalkınma ajansı destekli proje kredisi "
                            "talebi incelenmiş; " + outcome, 10, False, 0))
        blocks.append(("p", f"{t.bank_text}\n{t.branch}", 10, True, 0))
        font = "Sans"
    return render(blocks, font=font)


# --- dated certificates ---------------------------------------------------------------------

@dataclass
class CertTruth:
    kind: str
    issuer: str
    company: str
    vkn: str | None
    issued_on: date
    nace: list[str] = field(default_factory=list)
    founded_on: date | None = None
    layout: str = ""


CERT_KINDS = ("faaliyet_belgesi", "sgk_calisan_listesi", "vergi_borcu_yazisi", "sgk_borcu_yazisi",
              "kobi_beyannamesi", "sicil_gazetesi")


def make_cert_truth(rng: random.Random, kind: str) -> CertTruth:
    city = rng.choice(CITIES)[0]
    issuer = {
        "faaliyet_belgesi": f"{city} Ticaret ve Sanayi Odası",
        "sgk_calisan_listesi": "Sosyal Güvenlik Kurumu",
        "vergi_borcu_yazisi": f"{city} Vergi Dairesi Başkanlığı",
        "sgk_borcu_yazisi": "Sosyal Güvenlik Kurumu",
        "kobi_beyannamesi": "",
        "sicil_gazetesi": "Türkiye Ticaret Sicili Gazetesi",
    }[kind]
    nace = []
    founded = None
    if kind == "faaliyet_belgesi":
        nace = [f"{rng.randint(10, 33)}.{rng.randint(10, 99)}.{rng.randint(1, 20):02d}"
                for _ in range(rng.randint(1, 2))]
        founded = date(2000, 1, 1) + timedelta(days=rng.randint(0, 8000))
    return CertTruth(kind, issuer, company_name(rng), make_vkn(rng) if kind != "sicil_gazetesi" else None,
                     date(2023, 1, 2) + timedelta(days=rng.randint(0, 1000)), nace, founded)


def cert_pdf(t: CertTruth, variant: int = 0) -> bytes:
    """Certificates of each kind; `variant` changes wording and date style."""
    ds = ("dot", "slash", "long")[variant % 3]
    d = fmt_date(t.issued_on, ds)
    blocks: list[Block] = []
    k = t.kind
    if k == "faaliyet_belgesi":
        title = ("FAALİYET BELGESİ", "ODA KAYIT BELGESİ", "SİCİL TASDİKNAMESİ")[variant % 3]
        blocks += [("p", _upper(t.issuer) if variant == 0 else t.issuer, 13, True, 1), ("p", title, 15, True, 1),
                   ("p", f"Belge Tarihi: {d}", 10, False, 2)]
        rows = [["Firma Unvanı", t.company], ["Vergi Kimlik No", t.vkn or ""],
                ["Odaya Kayıt Tarihi" if variant != 2 else "Tescil Tarihi", fmt_date(t.founded_on, ds)],
                ["NACE Kodu", ", ".join(t.nace)], ["Meslek Grubu", "Makina imalatı"]]
        blocks.append(("table", rows, [5 * cm, 11 * cm]))
        blocks.append(("p", "Yukarıda unvanı yazılı firmanın Odamıza kayıtlı olduğu ve faaliyetine devam "
                            "ettiği onaylanır.", 10, False, 0))
    elif k == "sgk_calisan_listesi":
        blocks += [("p", "T.C. SOSYAL GÜVENLİK KURUMU", 12, True, 1),
                   ("p", "SİGORTALI ÇALIŞAN LİSTESİ" if variant != 1 else "4/a Hizmet Listesi (Sigortalı Listesi)",
                    14, True, 1),
                   ("p", f"İşyeri Unvanı: {t.company}", 10, False, 0),
                   ("p", f"Vergi No: {t.vkn}", 10, False, 0),
                   ("p", f"Sorgulama Tarihi: {d}", 10, False, 0)]
        rows = [["Sıra", "T.C. Kimlik No", "Adı Soyadı", "İşe Giriş"]]
        rng = random.Random(t.vkn)
        for i in range(1, 6):
            started = fmt_date(date(2020, 1, 1) + timedelta(days=i * 40), "dot")
            rows.append([str(i), make_tckn(rng), person_name(rng), started])
        blocks.append(("table", rows))
        blocks.append(("p", "Bu belge e-Devlet Kapısı üzerinden barkodlu olarak üretilmiştir.", 9, False, 0))
    elif k == "vergi_borcu_yazisi":
        blocks += [("p", "T.C. HAZİNE VE MALİYE BAKANLIĞI", 11, True, 1),
                   ("p", t.issuer, 11, True, 1),
                   ("p", "VERGİ BORCU YOKTUR YAZISI" if variant != 1 else "Borç Durum Belgesi", 14, True, 1),
                   ("p", f"Tarih: {d}", 10, False, 2),
                   ("p", f"{t.vkn} vergi kimlik numaralı {t.company} mükellefinin {d} tarihi itibarıyla "
                         "vadesi geçmiş vergi borcu bulunmamaktadır.", 10, False, 0)]
    elif k == "sgk_borcu_yazisi":
        blocks += [("p", "T.C. SOSYAL GÜVENLİK KURUMU BAŞKANLIĞI", 12, True, 1),
                   ("p", "SGK PRİM BORCU YOKTUR YAZISI" if variant != 1
                    else "Prim ve İdari Para Cezası Borcu Yoktur Belgesi", 13, True, 1),
                   ("p", f"Düzenleme Tarihi: {d}", 10, False, 0),
                   ("p", f"{t.company} (Vergi No: {t.vkn}) unvanlı işverenin Kurumumuza vadesi geçmiş prim, "
                         "idari para cezası ve gecikme zammı borcu bulunmamaktadır.", 10, False, 0)]
    elif k == "kobi_beyannamesi":
        blocks += [("p", "KOBİ BİLGİ BEYANNAMESİ", 15, True, 1),
                   ("p", f"İşletmenin Unvanı: {t.company}", 10, False, 0),
                   ("p", f"Vergi Kimlik No: {t.vkn}", 10, False, 0)]
        blocks.append(("table", [["Yıllık Çalışan Sayısı", "42"], ["Yıllık Net Satış Hasılatı", "38.500.000,00 TL"],
                                 ["İşletme Ölçeği", "Küçük İşletme"]]))
        blocks.append(("p", "Bu beyannamede yer alan bilgilerin doğruluğunu beyan ederim.", 10, False, 0))
        blocks.append(("p", f"Beyan Tarihi: {d}", 10, False, 0))
    elif k == "sicil_gazetesi":
        blocks += [("p", "TÜRKİYE TİCARET SİCİLİ GAZETESİ", 15, True, 1),
                   ("p", f"{d}   Sayı: {10000 + t.issued_on.toordinal() % 900}", 10, False, 1),
                   ("p", "İLAN", 12, True, 1),
                   ("p", f"{t.company} Ticaret Sicili Müdürlüğü'nce tescil edilmiştir. Şirketin sermayesi "
                         "5.000.000,00 TL'dir.", 10, False, 0)]
    return render(blocks, font="Serif" if variant == 2 else "Sans")


# --- e-Fatura (UBL-TR) -------------------------------------------------------------------

UBL_NS = ('xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
          'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
          'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"')


def efatura_xml(t: ProformaTruth, *, profile: str = "TEMELFATURA", show_total: Decimal | None = None) -> bytes:
    """A UBL-TR 1.2 invoice with the facts of `t` (lines may carry several KDV rates)."""
    cur = "TRY"
    scheme = "TCKN" if len(t.supplier_id) == 11 else "VKN"
    lines = []
    for i, ln in enumerate(t.lines, 1):
        kdv = quantize(ln.amount * ln.kdv_rate / 100)
        lines.append(f"""  <cac:InvoiceLine>
    <cbc:ID>{i}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">{ln.quantity}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="{cur}">{ln.amount}</cbc:LineExtensionAmount>
    <cac:TaxTotal><cbc:TaxAmount currencyID="{cur}">{kdv}</cbc:TaxAmount>
      <cac:TaxSubtotal><cbc:TaxableAmount currencyID="{cur}">{ln.amount}</cbc:TaxableAmount>
        <cbc:TaxAmount currencyID="{cur}">{kdv}</cbc:TaxAmount><cbc:Percent>{ln.kdv_rate}</cbc:Percent>
        <cac:TaxCategory><cac:TaxScheme><cbc:Name>KDV</cbc:Name><cbc:TaxTypeCode>0015</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory>
      </cac:TaxSubtotal></cac:TaxTotal>
    <cac:Item><cbc:Name>{escape(ln.description)}</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="{cur}">{ln.unit_price}</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>""")
    base = {r: sum((ln.amount for ln in t.lines if ln.kdv_rate == r), Decimal(0)) for r in t.kdv}
    subs = "".join(f"""
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="{cur}">{base[r]}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="{cur}">{a}</cbc:TaxAmount><cbc:Percent>{r}</cbc:Percent>
      <cac:TaxCategory><cac:TaxScheme><cbc:Name>KDV</cbc:Name><cbc:TaxTypeCode>0015</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>""" for r, a in t.kdv.items())
    total = show_total if show_total is not None else t.total
    inv_id = f"ABC{t.issued_on.year}{abs(hash(t.number)) % 10**9:09d}"
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice {UBL_NS}>
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>TR1.2</cbc:CustomizationID>
  <cbc:ProfileID>{profile}</cbc:ProfileID>
  <cbc:ID>{inv_id}</cbc:ID>
  <cbc:UUID>3f2b1c9e-8d7a-4e21-9b6f-0a1b2c3d4e5f</cbc:UUID>
  <cbc:IssueDate>{t.issued_on.isoformat()}</cbc:IssueDate>
  <cbc:InvoiceTypeCode>SATIS</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>{cur}</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="{scheme}">{t.supplier_id}</cbc:ID></cac:PartyIdentification>
    <cac:PartyIdentification><cbc:ID schemeID="MERSISNO">0{t.supplier_id[:10]}00001</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>{escape(t.supplier)}</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cac:TaxScheme><cbc:Name>Antakya</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="VKN">{t.buyer_vkn}</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>{escape(t.buyer)}</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="{cur}">{t.kdv_total}</cbc:TaxAmount>{subs}
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="{cur}">{t.net}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="{cur}">{t.net}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="{cur}">{total}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="{cur}">{total}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
{chr(10).join(lines)}
</Invoice>
"""
    return xml.encode("utf-8")


XXE_XML = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>&xxe;</cbc:ID></Invoice>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>
"""


# --- malformed files -------------------------------------------------------------------------

def truncated(pdf: bytes) -> bytes:
    return pdf[: len(pdf) // 3]


def encrypted_pdf() -> bytes:
    return render([("p", "Gizli proforma", 12, True, 0)], encrypt="parola")


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buf, "PNG")
    return buf.getvalue()


# --- a wet signature on a printout, scanned back ----------------------------------------------

def wet_signed(pdf: bytes, *, seed: int = 3) -> bytes:
    """`pdf` with a scanned wet signature placed at the foot of its last page, as an applicant
    uploads a printed, signed and scanned form (002:L827, L829): the text stays, and the page
    now carries an image. Deterministic for a seed."""
    from PIL import ImageDraw
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    img = Image.new("L", (360, 120), 255)
    draw = ImageDraw.Draw(img)
    points = [(20 + i * 16, 60 + rng.randint(-35, 35)) for i in range(21)]
    draw.line(points, fill=20, width=4)
    buf = io.BytesIO()
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    last = writer.pages[-1]
    w, h = float(last.mediabox.width), float(last.mediabox.height)
    c = canvas.Canvas(buf, pagesize=(w, h), invariant=1)
    c.drawImage(ImageReader(img), w - 7 * cm, 2.2 * cm, width=4.5 * cm, height=1.5 * cm)
    c.setFont("Helvetica", 8)
    c.drawString(w - 7 * cm, 1.9 * cm, "Kase / Imza")
    c.save()
    last.merge_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    writer.add_metadata({"/Producer": "docfactory"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
