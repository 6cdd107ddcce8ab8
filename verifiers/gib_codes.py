"""GİB UBL-TR code lists as data: tax types, withholding (tevkifat) codes, exemption reasons,
invoice types and profiles, each with its Turkish name and what it means for the checks.

Why a table and not the integrator's text: an invoice may name a tax "KDV", "GERÇEK USULDE
KATMA DEĞER VERGİSİ" or nothing at all; the code is what GİB validates. The code sets follow
GİB's UBL-TR Kod Listeleri (the e-Fatura package's UBL-TR_Codelist.xml, as shipped in the
efatura-kontrol package's schematron); a test checks that every code GİB lists is here.
Names are short Turkish renderings of the list's titles, written for staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


class Effect:
    """How a tax in cac:TaxTotal moves the amount the buyer pays."""

    ADDED = "added"  # part of the tax-inclusive amount (KDV, ÖTV, damga vergisi, ...)
    WITHHELD = "withheld"  # deducted from what the supplier is paid (stopaj, the older KDV tevkifat 9015)


@dataclass(frozen=True)
class TaxType:
    code: str
    short: str
    name: str
    effect: str = Effect.ADDED


KDV = "0015"
KDV_WITHHOLDING_OLD = "9015"  # KDV tevkifatı written inside cac:TaxTotal (before WithholdingTaxTotal)

TAX_TYPES: dict[str, TaxType] = {t.code: t for t in (
    TaxType("0003", "GV STOPAJI", "Gelir vergisi stopajı", Effect.WITHHELD),
    TaxType("0011", "KV STOPAJI", "Kurumlar vergisi stopajı", Effect.WITHHELD),
    TaxType("0015", "KDV", "Katma değer vergisi (gerçek usulde)"),
    TaxType("0021", "BMV", "Banka muameleleri vergisi"),
    TaxType("0022", "SMV", "Sigorta muameleleri vergisi"),
    TaxType("0059", "KONAKLAMA V.", "Konaklama vergisi"),
    TaxType("0061", "KKDF KESİNTİ", "Kaynak kullanımını destekleme fonu kesintisi"),
    TaxType("0071", "ÖTV 1. LİSTE", "Özel tüketim vergisi (I) sayılı liste: petrol ve doğalgaz ürünleri"),
    TaxType("0073", "ÖTV 3A LİSTE", "Özel tüketim vergisi (III-A) sayılı liste: kolalı gazoz, alkollü içki"),
    TaxType("0074", "ÖTV 3B LİSTE", "Özel tüketim vergisi (III-B) sayılı liste"),
    TaxType("0075", "ÖTV 3C LİSTE", "Özel tüketim vergisi (III-C) sayılı liste: tütün mamulleri"),
    TaxType("0076", "ÖTV 4. LİSTE", "Özel tüketim vergisi (IV) sayılı liste: dayanıklı tüketim ve diğer mallar"),
    TaxType("0077", "ÖTV 5. LİSTE", "Özel tüketim vergisi (V) sayılı liste"),
    TaxType("1047", "DAMGA V", "Damga vergisi"),
    TaxType("1048", "5035SKDAMGAV", "5035 sayılı Kanuna göre damga vergisi"),
    TaxType("4071", "ELK.HAVAGAZ.TÜK.V", "Elektrik ve havagazı tüketim vergisi"),
    TaxType("4080", "Ö.İLETİŞİM V", "Özel iletişim vergisi"),
    TaxType("4081", "5035ÖZİLETV.", "5035 sayılı Kanuna göre özel iletişim vergisi"),
    TaxType("4171", "PTR.DGZ.TÜK.V", "Petrol ve doğalgaz ürünlerine ilişkin ÖTV tevkifatı", Effect.WITHHELD),
    TaxType("8001", "BORSA TES.ÜC.", "Borsa tescil ücreti", Effect.WITHHELD),
    TaxType("8002", "ENERJİ FONU", "Enerji fonu"),
    TaxType("8004", "TRT PAYI", "TRT payı"),
    TaxType("8005", "ELK.TÜK.V.", "Elektrik tüketim vergisi"),
    TaxType("8006", "TK KULLANIM", "Telsiz kullanım ücreti"),
    TaxType("8007", "TK RUHSAT", "Telsiz ruhsat ücreti"),
    TaxType("8008", "ÇEV.TEM.VER.", "Çevre temizlik vergisi"),
    TaxType("9015", "KDV TEVKİFAT", "KDV tevkifatı (TaxTotal içinde, eski gösterim)", Effect.WITHHELD),
    TaxType("9021", "4961BANKASMV", "4961 sayılı Kanuna göre banka ve sigorta muameleleri vergisi"),
    TaxType("9040", "MERA FONU", "Mera fonu", Effect.WITHHELD),
    TaxType("9077", "ÖTV 2. LİSTE", "Özel tüketim vergisi (II) sayılı liste: motorlu taşıtlar"),
    TaxType("9944", "BEL.HAL RÜSUMU", "Belediye hal rüsumu", Effect.WITHHELD),
)}


@dataclass(frozen=True)
class WithholdingType:
    code: str
    name: str
    shares: tuple[int, ...]  # percents GİB accepts with this code (kod + Percent list)


# KDV tevkifatı (cac:WithholdingTaxTotal). 6xx: kısmi tevkifat; 8xx: tam tevkifat (10/10).
# The percents are GİB's WithholdingTaxTypeWithPercent list (e.g. 60130 = 601 at 30 %).
_PARTIAL = {
    "601": ("Yapım işleri ile birlikte ifa edilen mühendislik-mimarlık ve etüt-proje hizmetleri", (30, 40)),
    "602": ("Etüt, plan-proje, danışmanlık, denetim ve benzeri hizmetler", (90,)),
    "603": ("Makine, teçhizat, demirbaş ve taşıtlara ait tadil, bakım ve onarım hizmetleri", (50, 70)),
    "604": ("Yemek servis hizmeti", (50,)),
    "605": ("Organizasyon hizmeti", (50,)),
    "606": ("İşgücü temin hizmetleri", (90,)),
    "607": ("Özel güvenlik hizmeti", (90,)),
    "608": ("Yapı denetim hizmetleri", (90,)),
    "609": ("Fason olarak yaptırılan tekstil ve konfeksiyon işleri", (50, 70)),
    "610": ("Turistik mağazalara verilen müşteri bulma / götürme hizmetleri", (90,)),
    "611": ("Spor kulüplerinin yayın, reklam ve isim hakkı gelirlerine konu işlemleri", (90,)),
    "612": ("Temizlik hizmeti", (70, 90)),
    "613": ("Çevre ve bahçe bakım hizmetleri", (70, 90)),
    "614": ("Servis taşımacılığı hizmeti", (50,)),
    "615": ("Her türlü baskı ve basım hizmetleri", (50, 70)),
    "616": ("5018 sayılı Kanuna ekli cetvellerdeki idare, kurum ve kuruşlara yapılan diğer hizmetler", (50,)),
    "617": ("Hurda metalden elde edilen külçe teslimleri", (70,)),
    "618": ("Hurda metalden elde edilenler dışındaki bakır, çinko, demir-çelik, alüminyum ve kurşun külçe "
            "teslimleri", (70,)),
    "619": ("Bakır, çinko ve alüminyum ürünlerinin teslimi", (70,)),
    "620": ("İstisnadan vazgeçenlerin hurda ve atık teslimi", (70,)),
    "621": ("Metal, plastik, lastik, kauçuk, kağıt ve cam hurda ve atıklardan elde edilen hammadde teslimi", (90,)),
    "622": ("Pamuk, tiftik, yün ve yapağı ile ham post ve deri teslimleri", (90,)),
    "623": ("Ağaç ve orman ürünleri teslimi", (50,)),
    "624": ("Yük taşımacılığı hizmeti", (20,)),
    "625": ("Ticari reklam hizmetleri", (30,)),
    "626": ("Diğer teslimler", (20,)),
    "627": ("Demir-çelik ürünlerinin teslimi", (40, 50)),
    "650": ("Diğer hizmetler (oranı belgede)", (20, 30, 50, 70, 90)),
}
WITHHOLDING_TYPES: dict[str, WithholdingType] = {
    code: WithholdingType(code, name, shares) for code, (name, shares) in _PARTIAL.items()
}
# 801-825: the same services and goods with full (tam) withholding; 616 and 626 have none
for _i, _partial in enumerate([c for c in _PARTIAL if c not in ("616", "626", "650")], start=801):
    WITHHOLDING_TYPES[str(_i)] = WithholdingType(str(_i), _PARTIAL[_partial][0] + " (tam tevkifat)", (100,))


@dataclass(frozen=True)
class Exemption:
    code: str
    text: str
    family: str  # one of FAMILIES


FAMILIES = {
    "otv": "ÖTV istisnası",
    "kismi": "KDV kısmi istisna",
    "tam": "KDV tam istisna",
    "diger": "Diğer istisna",
    "ihrac_kayitli": "İhraç kayıtlı teslim",
    "ozel_matrah": "Özel matrah",
    "sgk": "SGK / ilaç",
}

_EXEMPTIONS: dict[str, tuple[str, str]] = {
    "001": ("", "diger"),  # in GİB's list without a title we could confirm: the invoice's own text is shown
    "101": ("ÖTV ihracat istisnası", "otv"),
    "102": ("ÖTV diplomatik istisna", "otv"),
    "103": ("ÖTV askeri amaçlı istisna", "otv"),
    "104": ("ÖTV petrol arama faaliyetlerinde bulunanlara yapılan teslimler", "otv"),
    "105": ("ÖTV uluslararası anlaşmadan doğan istisna", "otv"),
    "106": ("ÖTV diğer istisnalar", "otv"),
    "107": ("ÖTV 7/a maddesi kapsamında yapılan teslimler", "otv"),
    "108": ("ÖTV geçici 5. madde kapsamında yapılan teslimler", "otv"),
    "151": ("ÖTV istisna olmayan diğer", "otv"),
    "201": ("KDVK 17/1 kültür ve eğitim amacı taşıyan işlemler", "kismi"),
    "202": ("KDVK 17/2-a sağlık, çevre ve sosyal yardım amaçlı işlemler", "kismi"),
    "204": ("KDVK 17/2-c yabancı diplomatik organ ve hayır kurumlarının bağışları", "kismi"),
    "205": ("KDVK 17/2-d taşınmaz kültür varlıklarına ilişkin teslimler ve mimarlık hizmetleri", "kismi"),
    "206": ("KDVK 17/2-e mesleki kuruluşların işlemleri", "kismi"),
    "207": ("KDVK 17/3 askeri fabrika, tersane ve atölyelerin işlemleri", "kismi"),
    "208": ("KDVK 17/4-c birleşme, devir, dönüşüm ve bölünme işlemleri", "kismi"),
    "209": ("KDVK 17/4-e banka ve sigorta muameleleri vergisi kapsamındaki işlemler", "kismi"),
    "211": ("KDVK 17/4-h zirai amaçlı su teslimleri ile köy tüzel kişiliklerince içme suyu teslimleri", "kismi"),
    "212": ("KDVK 17/4-ı serbest bölgelerde verilen hizmetler", "kismi"),
    "213": ("KDVK 17/4-j boru hattı ile yapılan petrol ve gaz taşımacılığı", "kismi"),
    "214": ("KDVK 17/4-k organize sanayi bölgelerindeki arsa ve işyeri teslimleri ile konut yapı "
            "kooperatiflerinin üyelerine konut teslimleri", "kismi"),
    "215": ("KDVK 17/4-l varlık yönetim şirketlerinin işlemleri", "kismi"),
    "216": ("KDVK 17/4-m Tasarruf Mevduatı Sigorta Fonunun işlemleri", "kismi"),
    "217": ("KDVK 17/4-n Basın-Yayın ve Enformasyon Genel Müdürlüğüne verilen haber hizmetleri", "kismi"),
    "218": ("KDVK 17/4-o gümrük antrepoları, geçici depolama yerleri ve vergisiz satış yapılan işyerlerinde "
            "verilen hizmetler", "kismi"),
    "219": ("KDVK 17/4-p Hazine ve Arsa Ofisi Genel Müdürlüğünün işlemleri", "kismi"),
    "220": ("KDVK 17/4-r iki tam yıl süreyle sahip olunan taşınmaz ve iştirak hissesi satışları", "kismi"),
    "221": ("KDVK geçici 15 konut yapı kooperatifleri, belediyeler ve il özel idarelerine verilen inşaat "
            "taahhüt hizmeti", "kismi"),
    "223": ("KDVK geçici 20/1 teknoloji geliştirme bölgelerinde yapılan işlemler", "kismi"),
    "225": ("KDVK geçici 23 Milli Eğitim Bakanlığına yapılan bilgisayar bağışları", "kismi"),
    "226": ("KDVK 17/2-b özel okullar, üniversiteler ve yüksekokullarca verilen bedelsiz eğitim ve öğretim "
            "hizmetleri", "kismi"),
    "227": ("KDVK 17/2-b kanunların gösterdiği gerek üzerine bedelsiz teslim ve hizmetler", "kismi"),
    "228": ("", "kismi"),  # title unconfirmed: the invoice's own text is shown
    "229": ("KDVK 17/2-b gıda bankacılığı faaliyetinde bulunan dernek ve vakıflara bağışlanan gıda, temizlik, "
            "giyecek ve yakacak maddeleri", "kismi"),
    "230": ("KDVK 17/4-g külçe altın, külçe gümüş ve kiymetli taşlar teslimi", "kismi"),
    "231": ("KDVK 17/4-g metal, plastik, lastik, kauçuk, kağıt, cam hurda ve atık teslimi", "kismi"),
    "232": ("KDVK 17/4-g döviz, para, damga pulu, değerli kağıtlar, hisse senedi ve tahvil teslimleri", "kismi"),
    "233": ("", "kismi"),  # title unconfirmed: the invoice's own text is shown
    "234": ("KDVK 17/4-ş konut finansmanı amacıyla teminat gösterilen ve ipotek konulan konutların teslimi",
            "kismi"),
    "235": ("KDVK 16/1-c transit ve gümrük antrepo rejimleri ile geçici depolama ve serbest bölge hükümlerinin "
            "uygulandığı malların teslimi", "kismi"),
    "236": ("KDVK 19/2 usulüne göre yürürlüğe girmiş uluslararası anlaşmalar kapsamındaki kısmi istisnalar",
            "kismi"),
    "237": ("KDVK 17/4-t 5300 sayılı Kanuna göre düzenlenen ürün senetlerinin teslimi", "kismi"),
    "238": ("KDVK 17/4-u varlıkların varlık kiralama şirketlerine devri", "kismi"),
    "239": ("KDVK 17/4-y finansal kiralama şirketlerinin işlemleri", "kismi"),
    "240": ("KDVK 17/4-z patentli veya faydalı model belgeli buluşa ilişkin gayri maddi hakların kiralanması, "
            "devri ve satışı", "kismi"),
    "241": ("TürkAkım gaz boru hattı projesine ilişkin anlaşmanın (9/h) maddesi kapsamındaki gaz taşıma "
            "hizmetleri", "kismi"),
    "242": ("KDVK 17/4-ö gümrük antrepoları ve serbest bölgelerde verilen hizmetler", "kismi"),
    "250": ("Kısmi istisna diğerleri", "kismi"),
    "301": ("KDVK 11/1-a mal ihracatı", "tam"),
    "302": ("KDVK 11/1-a hizmet ihracatı", "tam"),
    "303": ("KDVK 11/1-a roaming hizmetleri", "tam"),
    "304": ("KDVK 13/a deniz, hava ve demiryolu taşıma araçlarının teslimi ile inşa, tadil, bakım ve onarımları",
            "tam"),
    "305": ("KDVK 13/b deniz ve hava taşıma araçları için liman ve hava meydanlarında yapılan hizmetler", "tam"),
    "306": ("KDVK 13/c petrol aramaları ve petrol boru hatlarının inşa ve modernizasyonuna ilişkin teslim ve "
            "hizmetler", "tam"),
    "307": ("KDVK 13/c maden arama, altın, gümüş ve platin madenleri için işletme, zenginleştirme ve rafinaj "
            "faaliyetlerine ilişkin teslim ve hizmetler", "tam"),
    "308": ("KDVK 13/d teşvikli yatırım mallarının teslimi", "tam"),
    "309": ("KDVK 13/e liman ve hava meydanlarının inşası, yenilenmesi ve genişletilmesi", "tam"),
    "310": ("KDVK 13/f ulusal güvenlik amaçlı teslim ve hizmetler", "tam"),
    "311": ("KDVK 14 uluslararası taşımacılık", "tam"),
    "312": ("KDVK 15/a diplomatik organ ve misyonlara yapılan teslim ve hizmetler", "tam"),
    "313": ("KDVK 15/b uluslararası kuruluşlara yapılan teslim ve hizmetler", "tam"),
    "314": ("KDVK 19/2 usulüne göre yürürlüğe girmiş uluslararası anlaşmalar kapsamındaki istisnalar", "tam"),
    "315": ("KDVK 14/3 ihraç konusu eşyayı taşıyan kamyon, çekici ve yarı römorklara yapılan motorin teslimleri",
            "tam"),
    "316": ("KDVK 11/1-a serbest bölgelerdeki müşteriler için yapılan fason hizmetler", "tam"),
    "317": ("KDVK 17/4-s engellilerin eğitimleri, meslekleri ve günlük yaşamlarına ilişkin araç-gereç ve "
            "bilgisayar programları", "tam"),
    "318": ("KDVK geçici 29 yap-işlet-devret ve kiralama karşılığı yaptırılan sağlık ve eğitim tesisi projelerine "
            "ilişkin teslim ve hizmetler", "tam"),
    "319": ("KDVK 13/g Başbakanlık merkez teşkilatına yapılan araç teslimleri", "tam"),
    "320": ("KDVK geçici 16 İSMEP kapsamında İstanbul Proje Koordinasyon Birimine yapılan teslim ve hizmetler",
            "tam"),
    "321": ("KDVK geçici 26 BM, NATO ve OECD temsilcilikleri ile bağlı kuruluşlara yapılan teslim ve hizmetler",
            "tam"),
    "322": ("KDVK 11/1-a Türkiye'de ikamet etmeyenlere özel fatura ile yapılan teslimler (bavul ticareti)", "tam"),
    "323": ("KDVK 13/ğ 5300 sayılı Kanuna göre ürün senetlerinin ihtisas / ticaret borsaları aracılığıyla ilk "
            "teslimi", "tam"),
    "324": ("KDVK 13/h Türkiye Kızılay Derneğine yapılan teslim ve hizmetler ile Kızılayın yaptığı teslim ve "
            "hizmetler", "tam"),
    "325": ("KDVK 13/ı yem teslimleri", "tam"),
    "326": ("KDVK 13/ı gıda, tarım ve hayvancılık bakanlığınca tescil edilmiş gübrelerin teslimi", "tam"),
    "327": ("KDVK 13/ı gübre hammaddelerinin gübre üreticilerine teslimi", "tam"),
    "328": ("KDVK 13/i konut veya işyeri teslimleri", "tam"),
    "329": ("", "tam"),  # title unconfirmed: the invoice's own text is shown
    "330": ("KDVK 13/j organize sanayi bölgeleri ile küçük sanayi sitelerinin inşasına ilişkin teslimler", "tam"),
    "331": ("KDVK 13/m Ar-Ge, yenilik ve tasarım faaliyetlerinde kullanılmak üzere yapılan makine ve teçhizat "
            "teslimleri", "tam"),
    "332": ("KDVK geçici 39 imalat sanayiinde kullanılmak üzere yapılan yeni makine ve teçhizat teslimleri", "tam"),
    "333": ("KDVK 13/k kamu idarelerine bağışlanacak tesislerin inşasına ilişkin teslim ve hizmetler", "tam"),
    "334": ("KDVK 13/l yabancılara verilen sağlık hizmetleri", "tam"),
    "335": ("KDVK 13/n basılı kitap ve süreli yayınların teslimleri", "tam"),
    "336": ("KDVK geçici 40 UEFA müsabakaları kapsamında yapılacak teslim ve hizmetler", "tam"),
    "337": ("TürkAkım gaz boru hattı projesine ilişkin anlaşmanın (9/b) maddesi kapsamındaki hizmetler", "tam"),
    "338": ("İmalatçıların mal ihracatları", "tam"),
    "339": ("İmalat sanayii ile turizme yönelik yatırım teşvik belgesi kapsamındaki inşaat işleri", "tam"),
    "340": ("Elektrikli motorlu taşıtların geliştirilmesine yönelik mühendislik hizmetleri", "tam"),
    "341": ("", "tam"),  # title unconfirmed: the invoice's own text is shown
    "342": ("", "tam"),  # title unconfirmed: the invoice's own text is shown
    "343": ("", "tam"),  # title unconfirmed: the invoice's own text is shown
    "344": ("", "tam"),  # title unconfirmed: the invoice's own text is shown
    "350": ("Diğer istisnalar", "diger"),
    "351": ("KDV istisna olmayan diğer (KDV %0 uygulanan, istisna dışı işlem)", "diger"),
    "501": ("SGK: ilaç, tıbbi malzeme ve hizmet faturaları", "sgk"),
    "555": ("Demirbaş KDV (KDV hesaplanır; GİB bu kodla KDV %0'a izin vermez)", "diger"),
    "701": ("3065 sayılı KDV Kanununun 11/1-c maddesi kapsamındaki ihraç kayıtlı satış", "ihrac_kayitli"),
    "702": ("DİİB ve geçici kabul rejimi kapsamındaki satışlar", "ihrac_kayitli"),
    "703": ("4760 sayılı ÖTV Kanununun 8/2 maddesi kapsamındaki ihraç kayıtlı satış", "ihrac_kayitli"),
    "704": ("3065 sayılı KDV Kanununun (11/1-c) maddesi ile 4760 sayılı ÖTV Kanununun 8/2 maddesi kapsamındaki "
            "ihraç kayıtlı satış", "ihrac_kayitli"),
    "801": ("Milli piyango, spor toto vb. oyunlar", "ozel_matrah"),
    "802": ("At yarışları ve diğer müşterek bahis ve talih oyunları", "ozel_matrah"),
    "803": ("Profesyonel sanatçıların yer aldığı gösteriler, konserler, sporcuların katıldığı gösteriler ve "
            "maçlar", "ozel_matrah"),
    "804": ("Gümrük depolarında ve müzayede mahallerinde yapılan satışlar", "ozel_matrah"),
    "805": ("Altından mamul veya altın ihtiva eden ziynet eşyaları ile sikke altınların teslimi", "ozel_matrah"),
    "806": ("Tütün mamulleri", "ozel_matrah"),
    "807": ("Muzır neşriyat kapsamındaki gazete, dergi vb. periyodik yayınlar", "ozel_matrah"),
    "808": ("Gümüşten mamul veya gümüş ihtiva eden ziynet eşyaları ile sikke gümüşlerin teslimi", "ozel_matrah"),
    "809": ("Belediyelerce yapılan şehir içi yolcu taşımacılığında kullanılan biletlerin ve kartların bayilere "
            "teslimi", "ozel_matrah"),
    "810": ("Ön ödemeli elektronik haberleşme hizmetleri", "ozel_matrah"),
    "811": ("TŞOF tarafından araç plakaları ile sürücü kursu evrakı teslimleri", "ozel_matrah"),
    "812": ("KDV uygulanmadan alınan ikinci el motorlu kara taşıtı veya taşınmaz teslimi", "ozel_matrah"),
}
EXEMPTIONS: dict[str, Exemption] = {c: Exemption(c, t, f) for c, (t, f) in _EXEMPTIONS.items()}

# 0 % KDV is expected when the line's exemption is one of these families; 351 ("istisna olmayan
# diğer") names no exemption at all and 555 (demirbaş KDV) forbids 0 % in GİB's schematron, so
# neither makes a 0 % rate legal on its own.
ZERO_RATE_FAMILIES = {"kismi", "tam", "diger", "ihrac_kayitli", "ozel_matrah", "sgk"}
NOT_AN_EXEMPTION = {"351", "001", "555"}  # 001: meaning unconfirmed, so not taken as making 0 % legal


@dataclass(frozen=True)
class InvoiceType:
    code: str
    name: str
    meaning: str
    is_return: bool = False
    withholding: bool = False  # carries KDV tevkifat
    exemption: str | None = None  # exemption family expected on 0 % lines
    special_base: bool = False  # KDV computed on a special base, not the line amounts


INVOICE_TYPES: dict[str, InvoiceType] = {t.code: t for t in (
    InvoiceType("SATIS", "Satış", "mal veya hizmet satışı"),
    InvoiceType("IADE", "İade", "alıcının iade ettiği mal için satıcıya kesilen fatura", is_return=True),
    InvoiceType("TEVKIFAT", "Tevkifatlı", "KDV'nin bir kısmı alıcı tarafından beyan edilir", withholding=True),
    InvoiceType("TEVKIFATIADE", "Tevkifatlı iade", "tevkifatlı bir faturanın iadesi", is_return=True,
                withholding=True),
    InvoiceType("ISTISNA", "İstisna", "KDV'den istisna teslim veya hizmet (istisna kodu satırda)", exemption="any"),
    InvoiceType("OZELMATRAH", "Özel matrah", "KDV özel matrah üzerinden hesaplanır (801-812)",
                exemption="ozel_matrah", special_base=True),
    InvoiceType("IHRACKAYITLI", "İhraç kayıtlı", "ihracatçıya ihraç kaydıyla teslim (701-704)",
                exemption="ihrac_kayitli"),
    InvoiceType("SGK", "SGK", "Sosyal Güvenlik Kurumuna kesilen fatura"),
    InvoiceType("KOMISYONCU", "Komisyoncu", "komisyoncu tarafından düzenlenen fatura"),
    InvoiceType("HKSSATIS", "HKS satış", "Hal Kayıt Sistemi kapsamında satış"),
    InvoiceType("HKSKOMISYONCU", "HKS komisyoncu", "Hal Kayıt Sistemi kapsamında komisyoncu faturası"),
    InvoiceType("KONAKLAMAVERGISI", "Konaklama vergisi", "konaklama vergisi (0059) içeren fatura"),
    InvoiceType("SARJ", "Şarj", "elektrikli araç şarj hizmeti"),
    InvoiceType("SARJANLIK", "Anlık şarj", "elektrikli araç anlık şarj hizmeti"),
    InvoiceType("TEKNOLOJIDESTEK", "Teknoloji desteği", "cep telefonu / tablet teknoloji desteği kapsamında"),
    InvoiceType("YTBSATIS", "YTB satış", "yatırım teşvik belgesi kapsamında satış"),
    InvoiceType("YTBIADE", "YTB iade", "yatırım teşvik belgesi kapsamında iade", is_return=True),
    InvoiceType("YTBISTISNA", "YTB istisna", "yatırım teşvik belgesi kapsamında istisna (308, 339)",
                exemption="any"),
    InvoiceType("YTBTEVKIFAT", "YTB tevkifat", "yatırım teşvik belgesi kapsamında tevkifatlı satış",
                withholding=True),
    InvoiceType("YTBTEVKIFATIADE", "YTB tevkifat iade", "yatırım teşvik belgesi kapsamında tevkifatlı iade",
                is_return=True, withholding=True),
)}


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    meaning: str
    archive: bool = False  # e-Arşiv: sent to a buyer outside the e-Fatura system
    export: bool = False  # the customer party is the customs office; the buyer is in BuyerCustomerParty


PROFILES: dict[str, Profile] = {p.code: p for p in (
    Profile("TEMELFATURA", "Temel fatura", "alıcı kabul/ret yanıtı veremez"),
    Profile("TICARIFATURA", "Ticari fatura", "alıcı 8 gün içinde kabul veya ret yanıtı verebilir"),
    Profile("YOLCUBERABERFATURA", "Yolcu beraber", "Türkiye'de ikamet etmeyen yolculara (tax free)"),
    Profile("IHRACAT", "İhracat", "gümrük beyannamesine konu ihracat faturası", export=True),
    Profile("OZELFATURA", "Özel fatura", "kamu ihale / özel kapsamlar"),
    Profile("KAMU", "Kamu", "kamu idarelerine kesilen fatura (ödeme bilgileri zorunlu)"),
    Profile("HKS", "HKS", "Hal Kayıt Sistemi faturası"),
    Profile("ENERJI", "Enerji", "elektrik şarj / enerji faturası"),
    Profile("ILAC_TIBBICIHAZ", "İlaç ve tıbbi cihaz", "ilaç ve tıbbi cihaz satışı (karekod)"),
    Profile("YATIRIMTESVIK", "Yatırım teşvik", "yatırım teşvik belgesi kapsamındaki satış"),
    Profile("IDIS", "İDİS", "İzlenebilirlik sistemi kapsamında"),
    Profile("EARSIVFATURA", "e-Arşiv fatura", "e-Fatura sistemine kayıtlı olmayan alıcıya kesilen fatura",
            archive=True),
)}


def tax_name(code: str | None, written: str | None = None) -> str:
    """'KDV (0015)'; an unknown code keeps the name the invoice wrote."""
    if code and code in TAX_TYPES:
        return f"{TAX_TYPES[code].short} ({code})"
    return f"{written or 'vergi'} ({code or 'kodsuz'})"


def withholding_share(percent: Decimal | None) -> str | None:
    """90 -> '9/10', 50 -> '5/10', 100 -> '10/10': the way GİB and the KDV guide say it."""
    if percent is None or not percent.is_finite() or percent <= 0:
        return None
    tenths = percent / 10
    if tenths == tenths.to_integral_value():
        return f"{int(tenths)}/10"
    frac = Fraction(percent) / 100
    return f"{frac.numerator}/{frac.denominator}"
