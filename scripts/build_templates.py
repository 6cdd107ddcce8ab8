"""Build the DOCX templates in templates/ from this script (python-docx + docxtpl tags).

Templates are data that staff may later edit in Word; this script is how they are made
reproducibly, so a change of wording is a reviewed diff here, and the generated .docx is
committed beside it. Output is byte-stable (fixed zip timestamps and core properties), so
rerunning the script without changes leaves git clean.

Run:  .venv/bin/python scripts/build_templates.py
Variables and filters available in templates: see docs/kays-export.md ("Şablon verisi").
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.render import normalize_docx  # noqa: E402

OUT = ROOT / "templates"
SERIF = "DejaVu Serif"
SANS = "DejaVu Sans"


def _fonts(rpr_parent, name: str) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "tr-TR")


class Builder:
    """A small writer for legal documents: titles, articles, paragraphs, looped tables."""

    def __init__(self, title: str) -> None:
        self.doc = Document()
        self.title_text = title
        sec = self.doc.sections[0]
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
        sec.left_margin = sec.right_margin = Cm(2.3)
        sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
        for style_name in ("Normal", "Table Grid"):
            style = self.doc.styles[style_name]
            _fonts(style.element, SERIF)
            if style_name == "Normal":
                style.font.size = Pt(10.5)
                style.paragraph_format.space_after = Pt(4)
                style.paragraph_format.line_spacing = 1.1
        self._footer()

    def _footer(self) -> None:
        p = self.doc.sections[0].footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, "{% if program.reference %}{{ program.reference }} · {% endif %}"
                     "{{ application_no }} · Sayfa ", size=8)
        self._field(p, "PAGE")
        self._run(p, " / ", size=8)
        self._field(p, "NUMPAGES")

    def _field(self, p, instr: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), instr)
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)

    def _run(self, p, text: str, *, bold: bool = False, size: float | None = None,
             font: str | None = None, italic: bool = False):
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
        if font:
            _fonts(run._r, font)
        return run

    def center(self, text: str, *, bold: bool = True, size: float = 11, font: str = SANS) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, text, bold=bold, size=size, font=font)

    def right(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._run(p, text)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.keep_with_next = True
        self._run(p, text, bold=True, font=SANS, size=10.5)

    def para(self, *parts: str | tuple[str, str], justify: bool = True, indent: float = 0) -> None:
        """Parts are plain text or ("b", text) for bold; each part is one run, so a
        Jinja tag never straddles runs."""
        p = self.doc.add_paragraph()
        if justify:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.left_indent = Cm(indent)
        for part in parts:
            if isinstance(part, tuple):
                self._run(p, part[1], bold=part[0] == "b", italic=part[0] == "i")
            else:
                self._run(p, part)

    def tag(self, text: str) -> None:
        """A paragraph holding only a {%p ... %} tag: docxtpl removes the paragraph itself."""
        self.doc.add_paragraph(text)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, headers: list[str], cells: list[str], loop: str | None = None,
              widths: list[float] | None = None, footer: list[str] | None = None,
              right_cols: tuple[int, ...] = ()) -> None:
        """A header row, then one data row (looped with {%tr for %} when `loop` is given),
        then an optional total row."""
        rows = 1 + (3 if loop else 1) + (1 if footer else 0)
        table = self.doc.add_table(rows=rows, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        r = 0

        def fill(row_idx: int, values: list[str], bold: bool = False) -> None:
            for c, value in enumerate(values):
                cell = table.rows[row_idx].cells[c]
                p = cell.paragraphs[0]
                if c in right_cols and not value.startswith("{%"):
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self._run(p, value, bold=bold, size=9.5)

        fill(r, headers, bold=True)
        r += 1
        if loop:
            fill(r, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1))
            r += 1
        fill(r, cells)
        r += 1
        if loop:
            fill(r, ["{%tr endfor %}"] + [""] * (len(headers) - 1))
            r += 1
        if footer:
            fill(r, footer, bold=True)
        if widths:
            for row in table.rows:
                for c, w in enumerate(widths):
                    row.cells[c].width = Cm(w)
        self.doc.add_paragraph()

    def letter_head(self, subject: str) -> None:
        self.center("T.C.", size=11)
        self.center("{{ agency.title_name|tr_upper }}", size=11)
        self.center("Genel Sekreterlik", bold=False, size=10)
        self.doc.add_paragraph()
        self.para("Sayı\t: {{ letter_no }}", justify=False)
        self.para(f"Konu\t: {subject}", justify=False)
        self.right("{{ doc_date|date_long }}")
        self.doc.add_paragraph()
        self.para(("b", "{{ applicant.name }}"), justify=False)
        self.para("{{ applicant.address }}", justify=False)
        self.doc.add_paragraph()

    def letter_sign(self) -> None:
        self.doc.add_paragraph()
        self.right("{{ agency.signatory_title }}")
        self.right("e-imzalıdır")
        self.para(("i", "{{ agency.address }}{% if agency.phone %} · Tel: {{ agency.phone }}{% endif %}"
                        "{% if agency.website %} · {{ agency.website }}{% endif %}"), justify=False)

    def save(self, name: str) -> Path:
        props = self.doc.core_properties
        props.title = self.title_text
        props.author = "evrak"
        props.last_modified_by = "evrak"
        props.revision = 1
        buf = io.BytesIO()
        self.doc.save(buf)
        path = OUT / f"{name}.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(normalize_docx(buf.getvalue()))
        return path


def signer_table(b: Builder) -> None:
    b.table(["Adı Soyadı", "T.C. Kimlik No", "Unvanı", "İmza"],
            ["{{ s.name }}", "{{ s.tckn }}", "{{ s.title }}", ""],
            loop="s in signers", widths=[5.0, 3.4, 4.0, 4.0])


# --- 1. taahhütname ------------------------------------------------------------------------


def taahhutname() -> Builder:
    b = Builder("Taahhütname")
    b.center("{{ agency.name|tr_upper }}", size=11)
    b.center("{{ program.name }}", bold=False, size=10)
    b.center("TAAHHÜTNAME", size=13)
    b.table(["Başvuru bilgisi", ""], ["", ""])  # replaced below with a fixed info table
    info = b.doc.tables[-1]
    info._tbl.getparent().remove(info._tbl)
    rows = [
        ("Program", "{{ program.name }}{{ program.ref_suffix }}"),
        ("Başvuru No", "{{ application_no }}"),
        ("Başvuru Sahibi", "{{ applicant.name }}"),
        ("{{ applicant.tax_id_label }}", "{{ applicant.tax_id }}"),
        ("Adres", "{{ applicant.address }}"),
        ("Proje Adı", "{{ project.title }}"),
        ("Toplam Proje Bütçesi", "{{ amounts.total|tl }}"),
        ("Talep Edilen Destek Tutarı", "{{ amounts.credit|tl }} ({{ amounts.credit|words }})"),
        ("Eş Finansman Tutarı", "{{ amounts.co_financing|tl }}"),
    ]
    t = b.doc.add_table(rows=len(rows), cols=2)
    t.style = b.doc.styles["Table Grid"]
    for i, (k, v) in enumerate(rows):
        b._run(t.rows[i].cells[0].paragraphs[0], k, bold=True, size=9.5)
        b._run(t.rows[i].cells[1].paragraphs[0], v, size=9.5)
        t.rows[i].cells[0].width, t.rows[i].cells[1].width = Cm(5), Cm(11.4)
    b.doc.add_paragraph()
    b.para("{{ agency.name }} Genel Sekreterliğine,", justify=False)
    b.para("Yukarıda bilgileri yer alan başvuru sahibi adına, {{ program.name }} kapsamında Kalkınma "
           "Ajansları Yönetim Sistemi (KAYS) üzerinden sunduğumuz {{ application_no }} numaralı "
           "başvuruya ilişkin olarak;")
    decl = [
        "Başvuru formunda ve eklerinde yer alan bütün bilgi ve belgelerin doğru, güncel ve eksiksiz "
        "olduğunu; KAYS üzerinden yüklenen belgelerin asıllarının aynısı olduğunu,",
        "Başvuru rehberinde belirtilen uygunluk kriterlerini taşıdığımızı ve rehberde sayılan, teklif "
        "çağrısına katılamayacak durumlardan herhangi birinde bulunmadığımızı,",
        "Proje kapsamında talep edilen destek ile aynı faaliyet ve harcama kalemleri için başka bir "
        "kamu kaynağından destek almadığımızı ve sözleşme imzalanması halinde almayacağımızı,",
        "Projenin hazırlanması ve uygulanmasından doğrudan sorumlu olacağımızı, aracı olarak hareket "
        "etmeyeceğimizi,",
        "{% if amounts.co_financing %}Toplam proje bütçesinin {{ amounts.co_financing|tl }} tutarındaki "
        "eş finansmanını nakdi olarak ve proje hesabı üzerinden sağlayacağımızı,{% else %}Projenin "
        "uygulanması için gerekli kaynakları zamanında sağlayacağımızı,{% endif %}",
        "Desteklenmeye hak kazanılması halinde sözleşme aşamasında istenecek belgeleri Ajansın "
        "bildireceği süre içinde sunacağımızı,",
        "Verilen bilgi ve belgelerin gerçeğe aykırı olduğunun herhangi bir aşamada tespiti halinde "
        "başvurumuzun reddedileceğini, sözleşme imzalanmışsa sözleşmenin feshedileceğini ve ödenen "
        "tutarların yasal faiziyle birlikte Ajansa iade edileceğini,",
        "Başvuruya ilişkin kişisel verilerin 6698 sayılı Kişisel Verilerin Korunması Kanunu "
        "çerçevesinde, programın yürütülmesi amacıyla işlenmesini bildiğimizi,",
    ]
    for i, text in enumerate(decl, start=1):
        b.para(f"{i}. {text}", indent=0.5)
    b.para("kabul, beyan ve taahhüt ederiz.")
    b.right("{{ doc_date|date_long }}")
    b.heading("Başvuru Sahibi Adına Yetkili Kişi(ler)")
    signer_table(b)
    return b


# --- 2. eş finansman taahhütnamesi (EK H wording, seed 002 L1294-1320) -----------------------


def es_finansman(ek_label: str | None = None) -> Builder:
    b = Builder("Eş Finansman Taahhütnamesi")
    if ek_label:
        b.right(ek_label)
    b.center("EŞ FİNANSMAN TAAHHÜTNAMESİ", size=13)
    b.para(("b", "Program Adı: "), "{{ program.name }}", justify=False)
    b.para(("b", "Proje Adı: "), "{{ project.title }}", justify=False)
    b.para(("b", "Başvuru No: "), "{{ application_no }}", justify=False)
    b.doc.add_paragraph()
    b.center("{{ agency.name }} Genel Sekreterliğine", size=10.5)
    b.para("Başvuru Sahibi olarak proje kapsamında yapacağım harcamalardan toplam proje bütçesinin "
           "{% if amounts.cofinancing_min %}en az {{ amounts.cofinancing_min|percent }} oranındaki "
           "{% endif %}kısmını proje eş finansmanı olarak sağlamayı ve proje hesabı üzerinden harcama "
           "yapmayı taahhüt ederim. Eş finansmanı, proje kapsamında alınan ekipmanlar rehin "
           "gösterilmemek şartıyla kredi kuruluşlarından kredi olarak sağlayabileceğimi bilmekteyim.")
    b.para("Toplam proje bütçesi ", ("b", "{{ amounts.total|tl }}"), " olup eş finansman tutarı ",
           ("b", "{{ amounts.co_financing|tl }}"), " ({{ amounts.co_financing|words }}) ve eş "
           "finansmanın toplam proje bütçesine oranı ", ("b", "{{ amounts.co_financing_share|percent }}"),
           " olarak hesaplanmıştır.")
    b.para("Projenin finansmanı ile ilgili herhangi bir değişikliği derhal Ajansa bildireceğimi, destek "
           "sözleşmesinin ihlal edildiğinin tarafıma bildirilmesi durumunda ödeme yapılmış olsa da "
           "ödenmiş olan tutarın yasal faizi ile birlikte derhal Ajansa iade edilmesi de dâhil olmak üzere "
           "bütün hukuki ve cezai sorumlulukları kabul ederim.")
    b.para("Ajansın alacaklarının tahsilinde Ajansın ilgili mevzuatı başta olmak üzere, Türk Borçlar "
           "Kanunu, Türk Ticaret Kanunu, İcra ve İflas Kanunu, Hukuk Muhakemeleri Kanunu ve 3095 sayılı "
           "Kanuni Faiz ve Temerrüt Faizine İlişkin Kanun hükümlerinin uygulanacağını bildiğimi beyan ederim.")
    b.para("Başvuru Sahibi olarak, kendi sorumluluğumda olan proje eş finansmanını nasıl sağlayacağıma "
           "ilişkin bilgiler aşağıdaki tabloda belirtilen şekildedir.")
    b.table(["Eş Finansman Kaynakları", "Eş Finansman Miktarları (TL)", "Açıklama"],
            ["{{ c.source }}", "{% if c.amount is not none %}{{ c.amount|number }}{% endif %}",
             "{{ c.note }}"],
            loop="c in cash_sources", widths=[6.0, 4.5, 5.9],
            footer=["Toplam", "{{ amounts.co_financing|number }}", ""], right_cols=(1,))
    b.heading("Başvuru Sahibinin")
    b.para(("b", "Unvanı\t: "), "{{ applicant.name }}", justify=False)
    b.para(("b", "Adı Soyadı\t: "), "{% for s in signers %}{{ s.name }}{% if not loop.last %}, "
           "{% endif %}{% endfor %}", justify=False)
    b.para(("b", "Tarih\t: "), "{{ doc_date|date_short }}", justify=False)
    b.para(("b", "İmza\t: "), justify=False)
    b.para(("b", "Mühür/Kaşe\t: "), justify=False)
    return b


# --- 3. çifte finansman olmadığına dair taahhütname ------------------------------------------


def cifte_finansman() -> Builder:
    b = Builder("Çifte Finansman Olmadığına Dair Taahhütname")
    b.center("ÇİFTE FİNANSMAN OLMADIĞINA DAİR TAAHHÜTNAME", size=13)
    b.center("{{ agency.name }} Genel Sekreterliğine", size=10.5)
    b.doc.add_paragraph()
    b.para("{{ program.name }}{{ program.ref_suffix }} kapsamında {{ application_no }} başvuru numarası "
           "ile sunulan ve desteklenmesine karar verilen \"{{ project.title }}\" başlıklı projemiz "
           "kapsamında Ajans desteğiyle karşılanacak faaliyet ve harcama kalemleri için;")
    items = [
        "Herhangi bir kamu kurum ve kuruluşundan, uluslararası kuruluştan, Avrupa Birliği fonlarından "
        "veya başka bir fon kaynağından destek, hibe, faizsiz ya da faiz destekli kredi almadığımızı,",
        "Aynı kalemler için başka bir kaynağa sonuçlanmamış bir başvurumuz bulunmadığını; böyle bir "
        "başvurunun sonuçlanması halinde Ajans desteğinden vazgeçmeden diğer desteği kullanmayacağımızı,",
        "Proje uygulama süresi ve izleyen denetim süresi boyunca bu kalemler için başka bir kaynaktan "
        "destek talep etmeyeceğimizi,",
        "Aksinin tespiti halinde sözleşmenin feshedileceğini, Ajans tarafından sağlanan {{ "
        "program.support_noun }} tutarının ({{ amounts.credit|tl }}) ve sözleşmeden doğan masrafların "
        "yasal faizi ile birlikte tarafımızdan tahsil edileceğini ve hakkımızda yasal yollara "
        "başvurulacağını,",
    ]
    for i, text in enumerate(items, start=1):
        b.para(f"{i}. {text}", indent=0.5)
    b.para("kabul, beyan ve taahhüt ederiz.")
    b.para(("b", "Başvuru Sahibi: "), "{{ applicant.name }} ({{ applicant.tax_id_label }}: "
           "{{ applicant.tax_id }})", justify=False)
    b.para(("b", "Adres: "), "{{ applicant.address }}", justify=False)
    b.right("{{ doc_date|date_long }}")
    signer_table(b)
    return b


# --- 4. destek sözleşmesi --------------------------------------------------------------------


def destek_sozlesmesi(instrument: str) -> Builder:
    credit = instrument in ("faizsiz_kredi", "geri_odemeli_finansman")
    b = Builder("Destek Sözleşmesi")
    b.center("T.C.", size=11)
    b.center("{{ agency.title_name|tr_upper }}", size=11)
    b.center("{{ program.name }}", bold=False, size=10)
    b.center("{{ program.instrument_label|tr_upper }} SÖZLEŞMESİ", size=13)
    b.center("Sözleşme No: {{ application_no }}", bold=False, size=10)

    n = [0]

    def art(title: str) -> None:
        n[0] += 1
        b.heading(f"MADDE {n[0]} – {title}")

    art("TARAFLAR")
    b.para("(1) Bir tarafta {{ agency.address }} adresinde bulunan {{ agency.name }} (bundan sonra "
           "\"Ajans\" olarak anılacaktır) ile diğer tarafta {{ applicant.address }} adresinde bulunan, "
           "{{ applicant.tax_id_label }} {{ applicant.tax_id }} ile kayıtlı {{ applicant.name }} (bundan "
           "sonra \"Yararlanıcı\" olarak anılacaktır) arasında aşağıdaki şartlarla işbu sözleşme "
           "akdedilmiştir.")
    b.tag("{%p if intermediary %}")
    b.para("(2) Desteğin kullandırılması, hesapların izlenmesi ve geri ödemelerin tahsili, Ajans ile "
           "yapılan protokol çerçevesinde {{ intermediary.name }} (bundan sonra \"Aracı Kurum\" olarak "
           "anılacaktır) aracılığıyla yürütülür. Kredi kullanımına ilişkin sözleşme Yararlanıcı ile "
           "Aracı Kurum arasında ayrıca imzalanır; o sözleşmenin hükümleri saklıdır.")
    b.tag("{%p endif %}")

    art("SÖZLEŞMENİN KONUSU")
    b.para("Bu sözleşmenin konusu, Ajans tarafından yürütülen {{ program.name }}{{ program.ref_suffix }} "
           "kapsamında {{ application_no }} başvuru numarası ile sunulan ve desteklenmesine karar verilen "
           "\"{{ project.title }}\" başlıklı projenin (bundan sonra \"Proje\" olarak anılacaktır) "
           "{{ project.province }} ilinde uygulanması için Yararlanıcıya sağlanacak {{ program.support_noun }} "
           "ile tarafların hak ve yükümlülüklerinin, bu yükümlülüklerin ihlalinin sonuç ve "
           "müeyyidelerinin belirlenmesidir.")

    art("DAYANAK VE SÖZLEŞMENİN EKLERİ")
    b.para("(1) Bu sözleşme, 5449 sayılı Kalkınma Ajanslarının Kuruluşu, Koordinasyonu ve Görevleri "
           "Hakkında Kanun, Kalkınma Ajansları Proje ve Faaliyet Destekleme Yönetmeliği ve programın "
           "başvuru rehberi hükümlerine dayanılarak düzenlenmiştir.")
    b.para("(2) Başvuru rehberi, Yararlanıcının KAYS üzerinden sunduğu başvuru formu, bütçe ve ekleri"
           + (" ile Ek-1 Geçici Geri Ödeme Planı" if credit else "")
           + " bu sözleşmenin ayrılmaz parçasıdır. Hükümler arasında çelişki olması halinde önce bu "
           "sözleşmenin özel koşulları, sonra genel hükümleri, sonra başvuru rehberi uygulanır.")

    art("PROJE BÜTÇESİ VE DESTEK TUTARI")
    b.para("(1) Projenin KDV dahil toplam bütçesi ", ("b", "{{ amounts.total|tl }}"),
           " ({{ amounts.total|words }}) olarak belirlenmiştir.")
    b.para("(2) Ajans tarafından sağlanacak azami {{ program.support_noun }} tutarı ",
           ("b", "{{ amounts.credit|tl }}"), " ({{ amounts.credit|words }}) olup bu tutarın toplam proje "
           "bütçesine oranı {{ amounts.credit_share|percent }} olarak hesaplanmıştır.")
    b.tag("{%p if amounts.co_financing %}")
    b.para("(3) Yararlanıcı, toplam proje bütçesinin ", ("b", "{{ amounts.co_financing|tl }}"),
           " ({{ amounts.co_financing|words }}) tutarındaki kısmını eş finansman olarak, nakdi katkı "
           "şeklinde ve proje hesabı üzerinden sağlamayı kabul ve taahhüt eder. Ayni katkılar eş "
           "finansman olarak kabul edilmez; eş finansman yükümlülüğünün yerine getirilmemesinden "
           "Yararlanıcı bizzat sorumludur.")
    b.tag("{%p endif %}")
    b.para("(4) Destek hiçbir koşulda bu maddede belirtilen azami tutarı aşamaz; sözleşme tutarını aşan ek "
           "ödeme yapılmaz. Gerçekleşen bütçenin sözleşme bütçesini aşan kısmı Yararlanıcı tarafından "
           "karşılanır. Kesin destek tutarı, proje sona erip nihai rapor onaylandığında kesinleşir.")

    art("UYGULAMA SÜRESİ")
    b.para("(1) Projenin uygulama süresi, sözleşmenin tüm taraflarca imzalandığı günü izleyen gün olan ",
           ("b", "{{ contract.start|date_long }}"), " tarihinde başlar"
           "{% if contract.end %} ve {{ contract.months }} ay sürerek {% endif %}", ("b", "{% if contract.end %}"
           "{{ contract.end|date_long }}{% endif %}"), "{% if contract.end %} tarihinde sona erer"
           "{% endif %}.")
    b.para("(2) Uygulama süresi, ancak tarafların mutabakatı ile ve Proje ve Faaliyet Destekleme "
           "Yönetmeliğindeki ilkelere uygun olarak değiştirilebilir.")

    art("ÖDEMELER")
    if credit:
        # How the money is paid out is the profile's (contract.disbursement): 002/003 transfer
        # the credit at once (002:L978, 003:L1952-1954); 001 pays bi-monthly on request and the
        # bank pays the seller (001:L975-981).
        b.tag("{%p if contract_terms.disbursement == 'bimonthly_on_request' %}")
        b.para("(1) Destek tutarı, proje uygulama süresi boyunca Yararlanıcının ödeme talepleri üzerine, "
               "ikişer aylık dönemler halinde{% if contract_terms.disbursement_months %} "
               "({{ contract_terms.disbursement_months }} aylarında){% endif %}, ilgili destekleyici belge ve "
               "dokümanların Ajans tarafından uygun bulunmasını müteakip{% if intermediary %} "
               "{{ intermediary.name }} şubelerinde{% endif %} Yararlanıcı adına açılan proje özel hesabına "
               "aktarılır.")
        b.para("(2) Ödeme talebi projeye ilişkin bir harcamayla ilgili olmalıdır; bu harcama için düzenlenen "
               "fatura Yararlanıcı tarafından ilgili şubeye ibraz edilir. Şube, faturada satıcı olarak görünen "
               "kişinin ödeme talimatındaki hesabın sahibi olup olmadığını kontrol eder; uyumlu talimatlar için "
               "Ajansın onayı alınır ve onaylanan tutar Yararlanıcı hesabına blokeli olarak yatırılır.")
        b.tag("{%p if contract_terms.contractor_transfer_days_text %}")
        b.para("(3) Blokeli olarak yatırılan tutar, hesaba yatırıldığı tarihten itibaren en fazla "
               "{{ contract_terms.contractor_transfer_days_text }} iş günü içinde Ajanstan ayrıca bir talimat "
               "alınmaksızın şube tarafından faturayı düzenleyen satıcının (yüklenicinin) hesabına aktarılır.")
        b.tag("{%p endif %}")
        b.tag("{%p else %}")
        b.para("(1) Kredi, Yararlanıcının Aracı Kurum nezdindeki proje özel hesabına, sözleşmenin yürürlük "
               "tarihinden itibaren {% if contract_terms.transfer_text %}{{ contract_terms.transfer_text }}"
               "{% else %}Ajansça bildirilecek süre{% endif %} içinde defaten aktarılır.")
        b.tag("{%p if contract_terms.block_days %}")
        b.para("(2) Proje özel hesabına aktarılan tutarın tamamına Aracı Kurum tarafından bloke konulur. "
               "Aktarım tarihini izleyen {{ contract_terms.block_days }} gün süresince bloke hiçbir "
               "şekilde çözülmez ve hesaptan para çekilemez. Bu sürenin sonunda bloke, yalnızca "
               "Yararlanıcının talebi ve Ajansın yazılı blokaj çözme onayı ile onaylanan harcama tutarı "
               "kadar kaldırılır.")
        b.tag("{%p endif %}")
        b.para("(3) Sağlanan kredi tamamen harcanana kadar proje hesabının bakiyesi, proje özel hesabına "
               "bağlı gelir getirici bir hesapta değerlendirilir; bu kapsamda elde edilen bütün getiri ve "
               "haklar Ajansa aittir.")
        b.tag("{%p if contract_terms.payment_docs_days_text %}")
        b.para("(4) Yararlanıcı, yüklenicilere yapılacak ödemelere ilişkin tevsik edici belgeleri ödeme "
               "gününden en az {{ contract_terms.payment_docs_days_text }} iş günü önce Aracı Kuruma sunar. "
               "Ödemeler yalnızca proje süresi içinde yapılabilir.")
        b.tag("{%p endif %}")
        b.tag("{%p endif %}")
    else:
        b.para("(1) Ajans, destek tutarını Yararlanıcının proje için açtırdığı özel hesaba; ön ödeme, "
               "onaylanan ara raporlara dayanan ara ödemeler ve nihai raporun onaylanmasını izleyen nihai "
               "ödeme şeklinde aktarır. Ödeme tutarları, gerçekleşen uygun maliyetlere sözleşmedeki destek "
               "oranı uygulanarak hesaplanır.")
        b.tag("{%p if contract_terms.block_days %}")
        b.para("(2) Proje hesabına aktarılan tutar, aktarım tarihini izleyen {{ contract_terms.block_days }} "
               "gün süresince blokeli tutulur ve Ajansın yazılı onayı olmadan hesaptan çekilemez.")
        b.tag("{%p endif %}")
        b.para("(3) Proje hesabında elde edilen faiz ve benzeri getiriler Ajansa aittir ve nihai ödemede "
               "mahsup edilir.")

    if credit:
        art("GERİ ÖDEME")
        b.para("(1) Yararlanıcı, {{ repayment.anchor_text }} esas alınarak {{ repayment.grace_months }} ay "
               "geri ödemesiz dönemin ardından, {{ repayment.basis_text }} üzerinden hesaplanan borcunu "
               "{{ repayment.installments }} eşit aylık taksitte ve faizsiz olarak öder.")
        b.para("(2) İlk taksit, geri ödemesiz dönemin tamamlanmasını izleyen ilk iş günü; diğer taksitler "
               "izleyen ayların aynı gününde ödenir. Son ödeme günü iş günü olmayan bir güne rastlarsa "
               "izleyen ilk iş günü son ödeme günüdür; bu kaydırma sonraki taksitlerin vadesini "
               "değiştirmez.")
        b.para("(3) Ek-1’deki geçici geri ödeme planı, {{ schedule.anchor|date_long }} başlangıç tarihi "
               "varsayımıyla {{ schedule.basis|tl }} üzerinden hazırlanmıştır ve toplam "
               "{{ schedule.total|tl }} tutarındadır. Nihai raporun onaylanmasının ardından kesinleşen "
               "tutar, vadesi gelmemiş taksitlere eşit olarak yansıtılarak plan revize edilir; vade "
               "tarihleri değişmez.")
        # contract.late_installment: 002:L987 / 003:L1986-1990 collect from the credit limit with
        # Ek Hesap faizi; 001:L989 has the branch notify the Agency.
        b.para("(4) Vadesi gelen taksit Yararlanıcı tarafından yatırılmazsa"
               "{% if contract_terms.late_installment == 'credit_limit' %}, Aracı "
               "Kurum tarafından tanımlanan kredi limitinden tahsil edilerek Ajansa aktarılır ve bu tutar "
               "için Türkiye Cumhuriyet Merkez Bankasınca ilan edilen ek hesap faizi oranında Aracı Kurum "
               "tarafından maliyetlendirme yapılır"
               "{% elif contract_terms.late_installment == 'bank_notifies' %}, Aracı Kurumun ilgili şubesi "
               "gecikmeyi ve buna ilişkin tüm bilgileri derhal Ajansa yazılı olarak bildirir ve gerekli takip "
               "ve tahsilat süreçlerini ilgili mevzuat çerçevesinde başlatır"
               "{% else %}, Ajans alacağını genel hükümlere göre takip eder{% endif %}.")

    art("MASRAFLAR")
    b.para("(1) Sözleşmenin akdi ve uygulanmasından doğan vergi, resim, harç, komisyon ve banka masrafları "
           "Yararlanıcıya aittir; bu giderler destek tutarından veya proje bütçesinden karşılanamaz.")
    b.tag("{%p if schedule and schedule.fees %}")
    b.para("(2) Bu kapsamda Yararlanıcı tarafından ödenecek tutarlar aşağıdadır:")
    b.table(["Masraf", "Oran", "Matrah (TL)", "Tutar (TL)"],
            ["{{ f.label }}", "{{ f.rate|percent }}", "{{ f.base|number }}", "{{ f.amount|number }}"],
            loop="f in schedule.fees", widths=[6.4, 2.6, 3.7, 3.7],
            footer=["Toplam", "", "", "{{ schedule.fees_total|number }}"], right_cols=(1, 2, 3))
    b.tag("{%p endif %}")

    art("RAPORLAMA")
    b.para("(1) Yararlanıcı, uygulama süresince Ajansın belirlediği dönemlerde ara raporlar; uygulama "
           "süresinin bitimini izleyen {% if contract_terms.final_report_days %}"
           "{{ contract_terms.final_report_days }} gün{% else %}Ajansça belirlenen süre{% endif %} içinde"
           "{% if intermediary %} Aracı Kurumun mali açıdan uygun görüşünü de içeren{% endif %} nihai "
           "raporu ve projenin etkilerinin değerlendirilmesi için proje sonrası değerlendirme raporunu "
           "KAYS üzerinden sunar.")
    b.para("(2) Ajans, raporlara ek olarak her zaman ilave bilgi ve belge isteyebilir.")

    art("TANITIM VE GÖRÜNÜRLÜK")
    b.para("Yararlanıcı, hizmet, mal alımı ve yapım işleri faaliyetlerinde Ajansın sağladığı desteği ve "
           "Sanayi ve Teknoloji Bakanlığının genel koordinasyonunu görünür kılmak için proje uygulama süresi "
           "ve bunu izleyen 3 (üç) yıllık denetim süresi boyunca Ajansın internet sitesinde yayımlanan "
           "Tanıtım ve Görünürlük Rehberine uygun önlemleri alır.")

    art("KAYITLAR, İZLEME VE DENETİM")
    b.para("(1) Yararlanıcı, proje uygulamasına dair tüm hesap ve kayıtları şeffaf biçimde tutar ve bu "
           "kayıtları proje uygulaması sona erdikten sonra {% if contract_terms.records_years_text %}en az "
           "{{ contract_terms.records_years_text }} yıl süreyle{% else %}Ajansça belirlenen süre boyunca"
           "{% endif %} saklar.")
    b.para("(2) Yararlanıcı, Ajans ve yetkili denetim elemanlarının kayıtlar üzerinde ve yerinde yapacağı "
           "izleme ve denetimlerde proje uygulama ve yönetim mekânlarına erişimi zorlaştırmaz, talep "
           "edilen her türlü bilgi ve belgeyi zamanında sunar.")

    art("MÜLKİYET")
    # contract.asset_lock_*: 002:L997 until the debt ends; 001:L442 and 003:L2026-2030 the
    # project period plus 3 years, with an indemnity of twice the support.
    b.para("Proje kapsamında alınan alet, teçhizat, yazılım, malzeme ve sistemler ile yapılan tesislerin "
           "mülkiyeti ve bunlar üzerindeki fikri mülkiyet hakları Yararlanıcıya aittir."
           "{% if contract_terms.asset_lock_years_text %} Yararlanıcı, sözleşme kapsamında sağlanmış tesis, "
           "makine, ekipman, teçhizat ve diğer malzemeler üzerinde, Genel Sekreterin gerekçeli ve yazılı izni "
           "olmaksızın proje süresince ve projenin sona ermesinden itibaren "
           "{{ contract_terms.asset_lock_years_text }} yıl süreyle üçüncü kişi lehine aynî ya da şahsi hak "
           "tesis edemez ve bunları projede belirtilen iş yeri dışında kullanamaz"
           "{% if contract_terms.indemnity_text %}; aksi halde destek miktarının "
           "{{ contract_terms.indemnity_text }} katı tutarında Ajansa tazminat öder{% endif %}."
           "{% elif contract_terms.asset_lock_until_debt_ends %} Bunlar üzerinde kredi borcu sona ermeden "
           "üçüncü kişiler lehine aynî ya da şahsi hak tesis edilemez."
           + ("{% else %} Bunlar üzerinde kredi borcu sona ermeden üçüncü kişiler lehine aynî ya da şahsi "
              "hak tesis edilemez.{% endif %}" if credit else "{% else %} Bunlar, denetim süresi sona "
              "ermeden Ajansın yazılı izni olmaksızın devredilemez ve amacı dışında kullanılamaz.{% endif %}"))

    # 003:L1747 footnote 8: the yerli malı commitment is a performance indicator with a penalty.
    b.tag("{%p if contract_terms.domestic_goods_penalty_text %}")
    b.heading("Yerli Malı Taahhüdü")
    b.para("Yararlanıcının yerli malı belgesine sahip mal alımı taahhüdü bir performans göstergesidir. Proje "
           "sonunda bu taahhüt gerçekleştirilmezse Yararlanıcı, destek tutarının "
           "{{ contract_terms.domestic_goods_penalty_text }}’inden az olmamak üzere Ajansça belirlenecek "
           "tutarda cezai şart öder.")
    b.tag("{%p endif %}")

    art("DESTEĞİN DURDURULMASI VE FESİH")
    b.para("(1) Ajans tarafından istenen bilgi ve belgelerin zamanında ve eksiksiz verilmemesi, izleme "
           "ziyaretlerinde uygulama ve yönetim mekânlarına erişimin zorlaştırılması yahut engellenmesi"
           + (" veya taksitlerin geri ödeme planında belirtilen sürelerde ödenmemesi" if credit else "")
           + " halinde destek durdurulur. Bu durumda Yararlanıcıya düzeltme için otuz iş gününü geçmemek "
           "üzere süre verilebilir.")
    b.para("(2) Düzeltme süresi verilmesi faydalı görülmez veya verilen süre sonunda durum düzeltilmezse "
           "sözleşme feshedilir. Fesih halinde yapılan ödemeler, sözleşmeden doğan masraflar ve cezai şart "
           "Yararlanıcıdan yasal faiziyle birlikte tahsil edilir; suç teşkil eden hususlar hakkında "
           "Cumhuriyet Başsavcılığına suç duyurusunda bulunulur.")
    b.para("(3) Sözleşmesi feshedilen Yararlanıcı ile ağır kusuru sebebiyle projenin iptaline neden olan "
           "kişiler beş yıl süreyle kalkınma ajanslarına destek için başvuramaz.")

    art("ÖZEL KOŞULLAR")
    b.tag("{%p if special_conditions %}")
    b.para("Bu başvuruya özgü olarak aşağıdaki koşullar uygulanır:")
    b.tag("{%p for c in special_conditions %}")
    b.para("({{ loop.index }}) {{ c }}", indent=0.5)
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.para("Bu sözleşmeye özgü ek koşul bulunmamaktadır.")
    b.tag("{%p endif %}")

    art("UYUŞMAZLIKLARIN ÇÖZÜMÜ")
    b.para("Bu sözleşmenin uygulanmasından doğacak uyuşmazlıkların çözümünde {{ agency.city }} mahkemeleri "
           "ve icra daireleri yetkilidir.")

    art("YÜRÜRLÜK")
    b.para(f"{n[0]} (" + _number_words(n[0]) + ") maddeden"
           + (" ve Ek-1 Geçici Geri Ödeme Planından" if credit else "")
           + " oluşan işbu sözleşme, taraflarca imzalandığı son tarih olan ",
           ("b", "{{ contract.signed_on|date_long }}"), " tarihinde yürürlüğe girer.")
    b.doc.add_paragraph()
    b.table(["AJANS ADINA", "YARARLANICI ADINA"],
            ["{{ agency.name }}\n{{ agency.signatory_title }}\n\nİmza:",
             "{{ applicant.name }}\n{% for s in signers %}{{ s.name }} ({{ s.title }}){% if not loop.last %}"
             ", {% endif %}{% endfor %}\n\nİmza:"],
            widths=[8.2, 8.2])
    b.heading("Yararlanıcı Adına İmza Yetkilileri")
    signer_table(b)
    if credit:
        b.tag("{%p if schedule %}")
        b.page_break()
        b.center("EK-1 GEÇİCİ GERİ ÖDEME PLANI", size=12)
        b.para("Başvuru No: {{ application_no }} · Yararlanıcı: {{ applicant.name }} · Başlangıç: "
               "{{ schedule.anchor|date_long }}", justify=False)
        schedule_table(b)
        b.tag("{%p endif %}")
    return b


def schedule_table(b: Builder) -> None:
    b.table(["Taksit No", "Son Ödeme Tarihi", "Taksit Tutarı (TL)", "Kalan Borç (TL)"],
            ["{{ i.no }}", "{{ i.due_date|date_short }}", "{{ i.amount|number }}", "{{ i.remaining|number }}"],
            loop="i in schedule.installments", widths=[2.4, 4.0, 5.0, 5.0],
            footer=["Toplam", "", "{{ schedule.total|number }}", ""], right_cols=(2, 3))


_WORDS = ["", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"]


def _number_words(n: int) -> str:
    tens = ["", "on", "yirmi", "otuz"]
    return (tens[n // 10] + " " + _WORDS[n % 10]).strip()


# --- 5. sonuç yazıları ------------------------------------------------------------------------


def sonuc(result: str) -> Builder:
    subject = {"accepted": "Proje başvurunuzun sonucu (desteklenmesine karar verilen)",
               "reserve": "Proje başvurunuzun sonucu (yedek liste)",
               "rejected": "Proje başvurunuzun sonucu (desteklenmemesine karar verilen)"}[result]
    b = Builder("Sonuç Yazısı")
    b.letter_head(subject)
    intro = ("{{ program.name }}{{ program.ref_suffix }} kapsamında {{ application_no }} başvuru numarası "
             "ile sunduğunuz \"{{ project.title }}\" başlıklı proje, ")
    if result == "accepted":
        b.para(intro + "yapılan ön inceleme ve teknik değerlendirme sonucunda Ajans Yönetim Kurulunca "
               "desteklenmesine karar verilen projeler arasında yer almıştır. Projeniz için öngörülen azami "
               "{{ program.support_noun }} tutarı ", ("b", "{{ amounts.credit|tl }}"),
               " ({{ amounts.credit|words }}) olarak belirlenmiştir.")
        b.para("Sözleşme imzalanabilmesi için aşağıdaki belgelerin, sonuçların ilan edildiği "
               "{{ result.announced_on|date_long }} tarihinden itibaren "
               "{% if result.documents_deadline %}{{ result.documents_business_days }} iş günü içinde, en geç "
               "{% endif %}",
               ("b", "{% if result.documents_deadline %}{{ result.documents_deadline|datetime }}{% endif %}"),
               "{% if result.documents_deadline %} tarihine kadar{% else %}Ajansça bildirilecek süre içinde"
               "{% endif %} KAYS’a yüklenmesi ve matbu olarak teslim edilmesi gerekenlerin asıllarının "
               "Ajansa teslim edilmesi gerekmektedir.")
        b.tag("{%p if result.documents %}")
        b.table(["EK", "Sözleşme Aşamasında Sunulacak Belge"], ["{{ d.ek }}", "{{ d.title }}"],
                loop="d in result.documents", widths=[2.5, 13.9])
        b.tag("{%p else %}")
        b.para("Sözleşme aşamasında sunulacak belgeler Ajans tarafından ayrıca bildirilecektir.")
        b.tag("{%p endif %}")
        b.para("Süresi içinde belgeleri sunmayan, sunduğu belgeler gerçeğe aykırı olan ya da KAYS’taki "
               "bilgi ve belgelerden farklılık gösteren başvuru sahipleri ile sözleşme imzalanmaz ve bu "
               "başvuru sahipleri destekten feragat etmiş sayılır.")
    elif result == "reserve":
        b.para(intro + "yapılan değerlendirme sonucunda ", ("b", "yedek listede"), " yer almıştır.")
        b.para("Asıl listedeki başvuru sahiplerinden destekten feragat eden ya da sözleşme imzalamayanlar "
               "olması halinde, program bütçesinden arta kalan tutar, öngörülen toplam destek bütçesiyle "
               "sınırlı olmak koşuluyla en yüksek puanlı yedek projeden başlanarak sırayla önerilecektir. "
               "Bu durumda tarafınıza ayrıca bildirim yapılacak ve sözleşme aşamasında sunulacak belgeler "
               "ile süresi o bildirimde belirtilecektir.")
    else:
        b.para(intro + "yapılan değerlendirme sonucunda ", ("b", "desteklenmemesine"),
               " karar verilmiştir. Başvurunuz {{ result.stage }} aşamasında başarısız bulunmuş olup karar, "
               "başvuru rehberinde sayılan aşağıdaki ret gerekçelerine dayanmaktadır:")
        b.tag("{%p for r in result.reasons %}")
        b.para(("b", "{{ loop.index }}. {{ r.text }}"), " ({{ r.code }})", indent=0.3)
        b.tag("{%p for f in r.facts %}")
        b.para("– {{ f }}", indent=1.0)
        b.tag("{%p endfor %}")
        b.tag("{%p endfor %}")
        b.para("Başvuru rehberi uyarınca Ajansın bir başvuruyu reddetme ya da destek vermeme kararı nihaidir.")
        b.para("Bu karara karşı, yazının tebliğinden itibaren 60 (altmış) gün içinde 2577 sayılı İdari "
               "Yargılama Usulü Kanunu uyarınca yetkili idare mahkemesinde dava açma yolu açıktır.")
    b.para("Bilgilerinizi rica ederim.")
    b.letter_sign()
    return b


# --- 6. eksik evrak yazısı --------------------------------------------------------------------


def eksik_evrak() -> Builder:
    b = Builder("Eksik Evrak Yazısı")
    b.letter_head("Eksik/hatalı belgelerin tamamlanması")
    b.para("{{ program.name }}{{ program.ref_suffix }} kapsamında {{ application_no }} başvuru numarası "
           "ile sunduğunuz \"{{ project.title }}\" başlıklı projenin ön incelemesinde aşağıdaki belgelerin "
           "eksik veya hatalı olduğu tespit edilmiştir.")
    b.table(["EK", "Belge", "Tespit"], ["{{ m.ek }}", "{{ m.title }}", "{{ m.problem }}"],
            loop="m in deficiency.entries", widths=[2.2, 7.2, 7.0])
    b.para("Söz konusu belgelerin, bu yazının tebliğ edildiği {{ deficiency.notified_on|date_long }} "
           "tarihinden itibaren {{ deficiency.business_days }} iş günü içinde, en geç ",
           ("b", "{{ deficiency.deadline|datetime }}"), " tarihine kadar KAYS üzerinden tamamlanması "
           "gerekmektedir. Belirtilen süre içinde tamamlanmayan başvurular teknik değerlendirmeye "
           "alınmayacaktır.")
    b.para("Bilgilerinizi rica ederim.")
    b.letter_sign()
    return b


# --- 7. geri ödeme planı ----------------------------------------------------------------------


def geri_odeme_plani() -> Builder:
    b = Builder("Geri Ödeme Planı")
    b.center("{{ agency.name|tr_upper }}", size=11)
    b.center("GERİ ÖDEME PLANI", size=13)
    b.para(("b", "Program: "), "{{ program.name }}{{ program.ref_suffix }}", justify=False)
    b.para(("b", "Başvuru No: "), "{{ application_no }}", justify=False)
    b.para(("b", "Yararlanıcı: "), "{{ applicant.name }} ({{ applicant.tax_id_label }}: {{ applicant.tax_id }})",
           justify=False)
    b.para(("b", "Geri ödeme esası: "), "{{ schedule.basis|tl }} ({{ schedule.basis|words }})",
           justify=False)
    b.para(("b", "Başlangıç: "), "{{ schedule.anchor|date_long }} ({{ repayment.anchor_text }}); "
           "{{ repayment.grace_months }} ay geri ödemesiz dönem, {{ repayment.installments }} eşit aylık "
           "taksit", justify=False)
    schedule_table(b)
    b.tag("{%p if schedule.fees %}")
    b.heading("Yararlanıcının Ödeyeceği Masraflar (krediye ve bütçeye dahil değildir)")
    b.table(["Masraf", "Oran", "Matrah (TL)", "Tutar (TL)"],
            ["{{ f.label }}", "{{ f.rate|percent }}", "{{ f.base|number }}", "{{ f.amount|number }}"],
            loop="f in schedule.fees", widths=[6.4, 2.6, 3.7, 3.7],
            footer=["Toplam", "", "", "{{ schedule.fees_total|number }}"], right_cols=(1, 2, 3))
    b.tag("{%p endif %}")
    b.para(("i", "Son ödeme günü iş günü olmayan bir güne rastlayan taksit izleyen ilk iş günü ödenir; "
                 "bu kaydırma sonraki taksitleri etkilemez. Nihai raporla kesinleşen tutara göre plan, vadesi "
                 "gelmemiş taksitlere eşit yansıtılarak revize edilir."))
    b.right("{{ doc_date|date_long }}")
    return b


BUILDERS: dict[str, Callable[[], Builder]] = {
    "taahhutname": taahhutname,
    "es_finansman_taahhutnamesi": es_finansman,
    "cifte_finansman_taahhutnamesi": cifte_finansman,
    "destek_sozlesmesi__faizsiz_kredi": lambda: destek_sozlesmesi("faizsiz_kredi"),
    "destek_sozlesmesi__geri_odemeli_finansman": lambda: destek_sozlesmesi("geri_odemeli_finansman"),
    "destek_sozlesmesi__hibe": lambda: destek_sozlesmesi("hibe"),
    "sonuc_yazisi__accepted": lambda: sonuc("accepted"),
    "sonuc_yazisi__reserve": lambda: sonuc("reserve"),
    "sonuc_yazisi__rejected": lambda: sonuc("rejected"),
    "eksik_evrak_yazisi": eksik_evrak,
    "geri_odeme_plani": geri_odeme_plani,
    # Program override: seed 002 asks for its own EK H form (L1294-1320).
    "tr63-2023-makine/es_finansman_taahhutnamesi": lambda: es_finansman("EK H"),
}


def main() -> int:
    for name, build in BUILDERS.items():
        path = build().save(name)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
