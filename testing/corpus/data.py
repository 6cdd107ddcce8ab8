"""Names, places and the random ground truth of the corpus (its own lists, not the samples')."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from stdnum.tr import tckimlik, vkn

from evrak.text import tr_upper

FIRST = ["Abdullah", "Şükrü", "Gülşen", "İbrahim", "Ümran", "Çağlar", "Özlem", "Ilgın", "Hüseyin",
         "Nurcan", "Oğuzhan", "Şeyma", "Tuğba", "Erdoğan", "Gökhan", "Dilek", "İsmail", "Ayşegül",
         "Mehmet Ali", "Fatma Zehra", "Yağmur", "Cüneyt", "Sibel", "Ömer Faruk"]
LAST = ["Kılıçarslan", "Bozdoğan", "Çiftçi", "Öztürkmen", "Güneşli", "Işıkçı", "Şahinoğlu", "Ulusoy",
        "Karagöz", "Değirmenci", "Yücel", "Ağaoğlu", "Tekin", "Sarıkaya", "İnce", "Coşkun", "Eryılmaz",
        "Dönmez", "Aydoğdu", "Kaplan"]
ROOTS = ["Asi Vadisi", "Amanos", "Defne", "Samandağ", "Çukurova Pres", "Toros Hidrolik", "Tarsus Döküm",
         "Ceyhan Tarım", "Kozan Narenciye", "Düziçi Ahşap", "Göksun Süt", "Elbistan Enerji", "Payas Metal",
         "Belen Rüzgâr", "Karataş Su Ürünleri", "Erzin Tekstil", "Silifke Zeytin", "Mut Kayısı"]
FORMS = ["Sanayi ve Ticaret Anonim Şirketi", "San. ve Tic. A.Ş.", "Sanayi Ticaret Limited Şirketi",
         "Gıda Sanayi ve Dış Ticaret Ltd. Şti.", "Makine İmalat A.Ş.", "Enerji Yatırımları A.Ş.",
         "Tarım Ürünleri San. Tic. Ltd. Şti."]
SUPPLIER_ROOTS = ["Marmara Endüstri", "Bursa CNC Teknoloji", "Konya Tarım Makinaları", "Anadolu Paketleme",
                  "Gebze Otomasyon", "Ostim Kaynak", "İkitelli Pres", "Manisa Soğutma", "Kayseri Mobilya Makine",
                  "Denizli Tekstil Makineleri", "Eskişehir Kompresör", "Sakarya Forklift"]
GOODS = [("3 eksen CNC işleme merkezi", "Adet"), ("Hidrolik giyotin makas 3100 mm", "Adet"),
         ("Fiber lazer kesim tezgâhı 6 kW", "Adet"), ("Vidalı kompresör 37 kW", "Adet"),
         ("Akülü istif makinesi", "Adet"), ("Ambalaj folyosu sarma makinesi", "Adet"),
         ("Endüstriyel bulaşık makinesi", "Adet"), ("Soğuk oda paneli 10 cm", "m²"),
         ("Monokristal güneş paneli 545 Wp", "Adet"), ("Hibrit inverter 10 kW", "Adet"),
         ("Paslanmaz çelik tank 5 ton", "Adet"), ("Montaj ve devreye alma hizmeti", "Hizmet"),
         ("Kumaş kesim masası", "Adet"), ("Etiketleme makinesi", "Adet"), ("Kurutma fırını", "Adet"),
         ("Ön muhasebe yazılımı lisansı", "Adet"), ("Zeytinyağı sızma hattı", "Set")]
PLACES = [("Hatay", "Antakya"), ("Hatay", "İskenderun"), ("Adana", "Yüreğir"), ("Adana", "Ceyhan"),
          ("Mersin", "Tarsus"), ("Mersin", "Yenişehir"), ("Osmaniye", "Kadirli"), ("Kahramanmaraş", "Dulkadiroğlu")]
SUPPLIER_PLACES = [("İstanbul", "Başakşehir"), ("Bursa", "Nilüfer"), ("Konya", "Selçuklu"), ("Kocaeli", "Gebze"),
                   ("Ankara", "Yenimahalle"), ("İzmir", "Bornova"), ("Kayseri", "Melikgazi"), ("Manisa", "Yunusemre")]
STREETS = ["Atatürk Bulvarı", "Cumhuriyet Caddesi", "2. Organize Sanayi Bölgesi 14. Cadde", "Gazi Mahallesi 1203 Sokak",
           "Küçük Sanayi Sitesi C Blok", "İnönü Caddesi", "Fevzi Çakmak Mahallesi 10524 Sokak"]
TITLES = ["Yönetim Kurulu Başkanı", "Yönetim Kurulu Başkan Vekili", "Yönetim Kurulu Üyesi", "Müdür",
          "Genel Müdür", "Şirket Müdürü", "Murahhas Üye"]
PROGRAMS = ["2024 Yılı Finansman Desteği Programı", "Faizsiz Kredi Desteği Programı",
            "Sanayide Dijital Dönüşüm Finansman Desteği", "Kırsal Kalkınma Faiz Desteği Programı"]
AGENCIES = ["Doğu Akdeniz Kalkınma Ajansı", "Çukurova Kalkınma Ajansı"]
CHAMBERS = {"Hatay": ["Antakya Ticaret ve Sanayi Odası", "İskenderun Ticaret ve Sanayi Odası"],
            "Adana": ["Adana Sanayi Odası", "Adana Ticaret Odası", "Ceyhan Ticaret Odası"],
            "Mersin": ["Mersin Ticaret ve Sanayi Odası", "Tarsus Ticaret ve Sanayi Odası"],
            "Osmaniye": ["Osmaniye Ticaret ve Sanayi Odası", "Kadirli Ticaret ve Sanayi Odası"],
            "Kahramanmaraş": ["Kahramanmaraş Ticaret ve Sanayi Odası"]}
NACE = [("10.71.01", "Ekmek imalatı"), ("13.92.02", "Ev tekstili ürünlerinin imalatı"),
        ("25.62.01", "Metallerin makinede işlenmesi"), ("28.29.90", "Başka yerde sınıflandırılmamış diğer genel amaçlı "
                                                              "makinelerin imalatı"),
        ("10.41.02", "Zeytinyağı imalatı"), ("35.11.19", "Elektrik enerjisi üretimi"),
        ("16.23.01", "Ahşap kapı imalatı"), ("22.22.01", "Plastik torba imalatı"),
        ("46.69.19", "Başka yerde sınıflandırılmamış makine ve ekipmanların toptan ticareti")]
INTEGRATORS = ["İZİBİZ", "Uyumsoft", "Logo", "Mikro", "QNB eSolutions", "Foriba", "EDM", "Turkcell e-Şirket"]


def cents(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def new_vkn(rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}"
        for d in "0123456789":
            if vkn.is_valid(body + d):
                return body + d


def new_tckn(rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}"
        c10 = ((sum(int(x) for x in body[0::2]) * 7) - sum(int(x) for x in body[1::2])) % 10
        c11 = (sum(int(x) for x in body) + c10) % 10
        num = body + str(c10) + str(c11)
        if tckimlik.is_valid(num):
            return num


def person(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name.split()[-1] not in used:
            used.add(name.split()[-1])
            return name


def company(rng: random.Random, roots: list[str] = ROOTS) -> str:
    return f"{rng.choice(roots)} {rng.choice(FORMS)}"


def address(rng: random.Random, places=PLACES) -> tuple[str, str]:
    il, ilce = rng.choice(places)
    return f"{rng.choice(STREETS)} No: {rng.randint(1, 180)}", f"{ilce} / {tr_upper(il)}"


def some_day(rng: random.Random, start: date = date(2022, 1, 3), span: int = 1200) -> date:
    return start + timedelta(days=rng.randint(0, span))


# --- invoices (proforma and e-Fatura) ----------------------------------------------------

@dataclass
class Line:
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal  # percent, 0 when none
    rate: int  # KDV %

    @property
    def gross(self) -> Decimal:
        return cents(self.quantity * self.unit_price)

    @property
    def discount(self) -> Decimal:
        return cents(self.gross * self.discount_rate / 100)

    @property
    def amount(self) -> Decimal:
        return self.gross - self.discount


@dataclass
class Invoice:
    supplier: str
    supplier_id: str
    supplier_addr: tuple[str, str]
    supplier_office: str
    buyer: str
    buyer_id: str
    buyer_addr: tuple[str, str]
    number: str
    issued_on: date
    valid_until: date | None
    lines: list[Line]
    ettn: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def gross(self) -> Decimal:
        return sum((ln.gross for ln in self.lines), Decimal(0))

    @property
    def discount(self) -> Decimal:
        return sum((ln.discount for ln in self.lines), Decimal(0))

    @property
    def net(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal(0))

    @property
    def kdv(self) -> dict[int, Decimal]:
        out: dict[int, Decimal] = {}
        for r in sorted({ln.rate for ln in self.lines}, reverse=True):
            out[r] = cents(sum((ln.amount for ln in self.lines if ln.rate == r), Decimal(0)) * r / 100)
        return out

    @property
    def kdv_total(self) -> Decimal:
        return sum(self.kdv.values(), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.net + self.kdv_total

    def truth(self, kind: str) -> dict:
        return {
            "supplier": self.supplier, "supplier_id": self.supplier_id, "buyer": self.buyer,
            "buyer_id": self.buyer_id, "number": self.number, "issued_on": self.issued_on.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "net_total": str(self.net), "kdv_total": str(self.kdv_total), "grand_total": str(self.total),
            "kdv": {str(r): str(a) for r, a in self.kdv.items()},
            "lines": [str(ln.amount) for ln in self.lines],
            "discount": str(self.discount) if self.discount else None,
        }


def invoice(rng: random.Random, *, kind: str, rates: tuple[int, ...] = (20,), discount: bool = False,
            sole_trader: bool = False, n_lines: int | None = None, buyer_person: bool = False) -> Invoice:
    issued = some_day(rng)
    lines = []
    for i in range(n_lines or rng.randint(1, 4)):
        desc, unit = rng.choice(GOODS)
        q = Decimal(rng.choice([1, 1, 1, 2, 3, 4, 6, 12, 25])) if unit != "m²" else Decimal(rng.randint(40, 400))
        price = cents(Decimal(rng.randint(900, 1_400_000)) + Decimal(rng.randint(0, 99)) / 100)
        if unit == "m²":
            price = cents(Decimal(rng.randint(400, 3000)) + Decimal(rng.randint(0, 99)) / 100)
        discounted = discount and (i == 0 or rng.random() < 0.5)
        drate = Decimal(str(rng.choice([5, 10, 12.5, 15, 25]))) if discounted else Decimal(0)
        lines.append(Line(desc, unit, q, price, drate, rates[i % len(rates)]))
    used: set[str] = set()
    if sole_trader:
        supplier, sid = f"{person(rng, used)} - {rng.choice(['Makina', 'Mühendislik', 'Yapı Market'])}", new_tckn(rng)
    else:
        supplier, sid = company(rng, SUPPLIER_ROOTS), new_vkn(rng)
    if buyer_person:
        buyer, bid = person(rng, used), new_tckn(rng)
    else:
        buyer, bid = company(rng), new_vkn(rng)
    prefix = "".join(c for c in tr_upper(supplier.split()[0]) if c.isalpha())[:3].translate(
        str.maketrans("ÇĞİÖŞÜ", "CGIOSU"))
    if kind == "e_fatura":
        number = f"{prefix}{issued.year}{rng.randint(1, 99999999):09d}"
    else:
        number = rng.choice([f"PRF-{issued.year}/{rng.randint(10, 999)}",
                             f"TKL{issued.strftime('%y%m')}-{rng.randint(1, 99)}",
                             f"{rng.randint(1000, 99999)}"])
    valid = None
    if kind == "proforma" and rng.random() < 0.75:
        valid = issued + timedelta(days=rng.choice([7, 15, 30, 45, 60]))
    ettn = (f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-"
            f"a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}")
    return Invoice(supplier, sid, address(rng, SUPPLIER_PLACES), f"{rng.choice(SUPPLIER_PLACES)[1]} V.D.",
                   buyer, bid, address(rng), number, issued, valid, lines, ettn)


# --- imza sirküleri -----------------------------------------------------------------------

@dataclass
class Signer:
    name: str
    tckn: str
    title: str
    mode: str  # "munferiden" | "mustereken"
    joint_with: list[str] = field(default_factory=list)
    limit: Decimal | None = None
    valid_until: date | None = None


@dataclass
class Circular:
    company: str
    vkn: str
    sicil_no: str
    notary: str
    yevmiye_no: str
    issued_on: date
    persons: list[Signer]
    decision_on: date

    def truth(self) -> dict:
        return {
            "company": self.company, "vkn": self.vkn, "notary": self.notary, "yevmiye_no": self.yevmiye_no,
            "issued_on": self.issued_on.isoformat(),
            "persons": [{"name": p.name, "tckn": p.tckn, "mode": p.mode, "joint_with": p.joint_with,
                         "limit": str(p.limit) if p.limit is not None else None,
                         "valid_until": p.valid_until.isoformat() if p.valid_until else None} for p in self.persons],
        }


def circular(rng: random.Random, n: int = 2) -> Circular:
    issued = some_day(rng)
    decision = issued - timedelta(days=rng.randint(3, 40))
    used: set[str] = set()
    persons = [Signer(person(rng, used), new_tckn(rng), TITLES[i % len(TITLES)], "munferiden") for i in range(n)]
    city = rng.choice(PLACES)[1]
    return Circular(company(rng), new_vkn(rng), str(rng.randint(1000, 99999)),
                    f"{city} {rng.randint(1, 14)}. Noterliği", f"{rng.randint(100, 39999):05d}", issued, persons,
                    decision)


# --- KUB ---------------------------------------------------------------------------------

@dataclass
class CreditLetter:
    bank: str
    branch: str
    company: str
    vkn: str
    amount: Decimal
    issued_on: date
    positive: bool
    reference: str
    program: str
    agency: str
    city: str

    def truth(self) -> dict:
        return {"bank": self.bank, "branch": self.branch, "company": self.company, "vkn": self.vkn,
                "amount": str(self.amount), "issued_on": self.issued_on.isoformat(), "positive": self.positive,
                "reference": self.reference}


def credit_letter(rng: random.Random, positive: bool = True) -> CreditLetter:
    ilce = rng.choice(PLACES)[1]
    amount = Decimal(rng.randint(20, 900) * 5000) + (Decimal(rng.randint(1, 99)) / 100 if rng.random() < 0.3 else 0)
    ref = f"{rng.randint(10, 99)}{rng.randint(100000, 999999)}"
    return CreditLetter("VakıfBank", f"{ilce} Şubesi", company(rng), new_vkn(rng), amount, some_day(rng), positive,
                        ref, rng.choice(PROGRAMS), rng.choice(AGENCIES), ilce)


# --- faaliyet belgesi / sicil ------------------------------------------------------------

@dataclass
class Registration:
    issuer: str
    company: str
    vkn: str
    issued_on: date
    registered_on: date
    nace_codes: list[str]
    sicil_no: str
    address: tuple[str, str]

    def truth(self) -> dict:
        return {"issuer": self.issuer, "company": self.company, "vkn": self.vkn,
                "issued_on": self.issued_on.isoformat(),
                "registered_on": self.registered_on.isoformat(), "nace_codes": self.nace_codes}


def registration(rng: random.Random) -> Registration:
    il = rng.choice(list(CHAMBERS))
    issuer = rng.choice(CHAMBERS[il])
    issued = some_day(rng)
    reg = date(rng.randint(1985, 2020), rng.randint(1, 12), rng.randint(1, 28))
    codes = [c for c, _ in rng.sample(NACE, rng.randint(1, 3))]
    return Registration(issuer, company(rng), new_vkn(rng), issued, reg, codes, str(rng.randint(1000, 99999)),
                        address(rng))
