"""Build the sample application packages in samples/, reproducibly.

Every program gets a complete valid package and defective variants that each break one
rule the guides care about. Documents come from the project's own generators: the
taahhütname and the co-financing commitment from docgen (DOCX -> PDF/A through
LibreOffice), the supplier and bank documents from testing/docfactory.py, signatures from the
test PKI and its timestamp authority (testing/testpki.py, deterministic keys).

Beside each package, expected.json says what the guide expects: the verdict and the rule
ids that must be found. It is written from the variant's definition here, never from a
run of the checks; tests/prescreen compares the two.

    .venv/bin/python scripts/build_samples.py [--only PROGRAM]
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import yaml
from reportlab import rl_config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
rl_config.invariant = 1  # reportlab: no creation date or random id, so rebuilds are stable

from docgen.context import Application, Signer, build_context  # noqa: E402
from docgen.pdf import Pool  # noqa: E402
from docgen.render import render_document  # noqa: E402
from evrak.dates import ISTANBUL  # noqa: E402
from evrak.manifest import parse_manifest  # noqa: E402
from evrak.money import quantize  # noqa: E402
from evrak.profiles import load_profile  # noqa: E402
from testing import docfactory as df  # noqa: E402
from testing import testdocs  # noqa: E402
from testing.testpki import SPECS, TestTSA, build_test_pki, make_cades, sign_pdf  # noqa: E402

SAMPLES = ROOT / "samples"
PKI_DIR = ROOT / "build" / "sample-pki"


# --- one package, as data -------------------------------------------------------------------


@dataclass
class Proforma:
    file: str
    supplier: str
    supplier_vkn: str
    net: Decimal
    rate: int = 18  # D8: 1/8/18 % until 09.07.2023
    issued_on: date = date(2023, 1, 16)
    valid_until: date | None = date(2023, 4, 30)
    description: str = "CNC dik işleme merkezi"
    layout: str = "tablo"
    total_override: Decimal | None = None  # a proforma whose total differs from its line

    @property
    def kdv(self) -> Decimal:
        return quantize(self.net * self.rate / 100)

    @property
    def total(self) -> Decimal:
        return self.total_override if self.total_override is not None else self.net + self.kdv


@dataclass
class Line:
    code: str
    heading: str
    description: str
    amount: Decimal
    proformas: list[Proforma]
    spec: str | None = None


@dataclass
class Person:
    key: str  # test PKI identity
    title: str
    mode: str = "munferiden"
    joint_with: list[str] = field(default_factory=list)


@dataclass
class Spec:
    """Everything a package is made of; variants copy it and change one thing."""

    program: str
    application_no: str
    company: str
    vkn: str
    province: str
    nace: str
    founded_on: date
    size: str
    credit: Decimal
    co_financing: Decimal
    duration: int
    project_title: str
    submitted_at: datetime
    lines: list[Line]
    documents: dict[str, str]  # kind -> file name (generated per kind below)
    persons: list[Person]
    signers: list[str]  # PKI identities who sign the taahhütname
    sign_time: datetime | None  # the TSA's time; None: no timestamp
    kub_amount: Decimal | None = None
    kub_bank: str = "T. VAKIFLAR BANKASI T.A.O."
    kub_date: date = date(2023, 1, 10)
    doc_date: date = date(2023, 1, 12)  # issue date of the dated certificates
    taahhutname_format: str = "pades"  # pades | imz
    after_signing: str | None = None  # annotation | page | content
    scanned: set[str] = field(default_factory=set)  # kinds delivered as scans
    corrupt: set[str] = field(default_factory=set)  # kinds whose file is truncated
    omit: set[str] = field(default_factory=set)  # kinds named in the manifest but not delivered
    unlisted: dict[str, str] = field(default_factory=dict)  # extra file -> kind, not in manifest


@dataclass
class Sample:
    name: str
    spec: Spec
    verdict: str
    rules: list[str]
    why: str


# --- documents ------------------------------------------------------------------------------


def _simple_pdf(title: str, spec: Spec, body: str, when: date) -> bytes:
    return df.render([
        ("p", title, 15, True, 1),
        ("p", f"Tarih: {when:%d.%m.%Y}", 10, False, 2),
        ("p", f"Firma Unvanı: {spec.company}", 10, False, 0),
        ("p", f"Vergi Kimlik No: {spec.vkn}", 10, False, 0),
        ("p", body, 10, False, 0),
    ])


_TITLES = {
    "isletme_mevcut_durum_tablosu": ("İŞLETME MEVCUT DURUM TABLOSU", "İşletmenin mevcut makine parkı, üretim "
                                     "kapasitesi ve çalışan sayısı aşağıda beyan edilmiştir."),
    # 002:L830 asks for 2020 and 2021 where the firm existed then; 003:L1116-1117 for 2021.
    "mali_tablolar": ("BİLANÇO VE GELİR TABLOSU", "Vergi dairesince onaylanmış 2020 ve 2021 yıllarına ait bilanço "
                      "ve gelir tablosu."),
    "is_plani": ("İŞ PLANI", "Projenin beş yıllık iş planı, pazar analizi ve finansman yapısı."),
    "basvuru_sahibi_beyannamesi": ("BAŞVURU SAHİBİNİN BEYANNAMESİ", "Başvuru rehberinde sayılan durumlarda "
                                   "bulunmadığımızı beyan ederiz."),
    "kapasite_raporu": ("KAPASİTE RAPORU", "Sanayi ve Ticaret Odası tarafından düzenlenen kapasite raporu."),
    "ced_belgesi": ("ÇED GEREKLİ DEĞİLDİR BELGESİ", "Proje ÇED Yönetmeliği kapsamı dışındadır."),
    "ilave_puan_beyani": ("İLAVE PUAN KRİTERLERİ BEYANI", "İlave puan kriterlerine ilişkin beyanımızdır."),
    "proje_ozeti": ("PROJE ÖZETİ", "Projenin amacı, faaliyetleri ve beklenen sonuçları."),
    "isyeri_ruhsati": ("İŞYERİ AÇMA VE ÇALIŞMA RUHSATI", "Belediye Başkanlığınca düzenlenmiştir."),
    "etut_formu": ("ETÜT FORMU", "İşletmenin teknik destek ihtiyacına ilişkin etüt formu."),
    "proje_ekibi": ("PROJE EKİBİ", "Proje yürütücüsü ve ekip üyeleri."),
    "ozgecmis": ("ÖZGEÇMİŞ", "Proje ekibinin özgeçmişleri."),
    "teknik_sartname": ("TEKNİK ŞARTNAME", "Alınacak makinenin asgari teknik özellikleri."),
}


# Forms the guides ask for as their printout, signed and scanned (002:L827, L829; 003:L1073-1074).
SIGNED_SCANS = {"isletme_mevcut_durum_tablosu", "es_finansman_taahhutnamesi", "basvuru_sahibi_beyannamesi"}


def _circular(spec: Spec) -> bytes:
    persons = []
    for p in spec.persons:
        ident = SPECS[p.key]
        joint = [SPECS[k].name for k in p.joint_with]
        persons.append(df.PersonTruth(ident.name, ident.tckn, p.title, p.mode, joint, None, date(2026, 12, 31)))
    truth = df.CircularTruth(spec.company, spec.vkn, persons, "Antakya 3. Noterliği", "12345", date(2022, 6, 15))
    return df.circular_pdf(truth, "tablo")


# A VakıfBank branch in each programme's region (D17: the KUB comes from the region).
KUB_BRANCH = {"tr63-2023-makine": "Antakya Şubesi", "tr52-2026-sogreen": "Konya Meram Şubesi",
              "tr61-2023-imalat": "Antalya Muratpaşa Şubesi", "tr72-2023-ustd": "Kayseri Kocasinan Şubesi"}


def _kub(spec: Spec) -> bytes:
    branch = KUB_BRANCH.get(spec.program, "Merkez Şubesi")
    truth = df.KubTruth("", spec.kub_bank, branch, spec.company, spec.vkn, None,
                        spec.kub_amount, spec.kub_date, "KUB-2023/1042", True)
    return df.kub_pdf(truth, "resmi")


def _cert(spec: Spec, kind: str) -> bytes:
    nace = [spec.nace] if kind == "faaliyet_belgesi" else []
    truth = df.CertTruth(kind, f"{spec.province} Ticaret ve Sanayi Odası" if kind == "faaliyet_belgesi" else "",
                         spec.company, spec.vkn if kind != "sicil_gazetesi" else None, spec.doc_date, nace,
                         spec.founded_on if kind == "faaliyet_belgesi" else None)
    if kind == "sgk_calisan_listesi":
        truth.issuer = "Sosyal Güvenlik Kurumu"
    if kind == "sicil_gazetesi":
        truth.issuer = "Türkiye Ticaret Sicili Gazetesi"
    return df.cert_pdf(truth, 0)


def _proforma(spec: Spec, pf: Proforma) -> bytes:
    number = f"PF-{pf.issued_on.year}-{zlib.crc32(pf.file.encode()) % 9000 + 1000}"
    truth = df.ProformaTruth(pf.supplier, pf.supplier_vkn, spec.company, spec.vkn, pf.issued_on, number,
                             pf.valid_until, "TRY",
                             [df.LineTruth(pf.description, Decimal(1), pf.net, pf.net, pf.rate)],
                             pf.net, {pf.rate: pf.kdv}, pf.net + pf.kdv)
    return df.proforma_pdf(truth, pf.layout, show_total=pf.total_override)


def _manifest(spec: Spec, files: dict[str, list[str]]) -> dict:
    return {
        "program": spec.program,
        "application_no": spec.application_no,
        "submitted_at": spec.submitted_at.isoformat(),
        "taahhutname_received_at": None,
        "applicant": {
            "name": spec.company, "vkn": spec.vkn, "nace": spec.nace, "province": spec.province,
            "founded_on": spec.founded_on.isoformat(), "employees": 42, "size": spec.size,
            "address": f"Sanayi Mah. 1. Cad. No:5 {spec.province}",
        },
        "project": {"title": spec.project_title, "province": spec.province, "duration_months": spec.duration},
        "financing": {"credit": f"{spec.credit:.2f}", "co_financing": f"{spec.co_financing:.2f}"},
        "budget": [
            {"code": ln.code, "heading": ln.heading, "description": ln.description, "amount": f"{ln.amount:.2f}",
             "technical_spec": ln.spec, "proformas": [p.file for p in ln.proformas]}
            for ln in spec.lines
        ],
        "documents": files,
    }


class Builder:
    def __init__(self) -> None:
        self.pki = build_test_pki(PKI_DIR)
        self.pool = Pool(size=1)
        self._docgen_cache: dict[tuple, bytes] = {}

    def close(self) -> None:
        self.pool.close()

    def docgen_pdf(self, kind: str, spec: Spec, manifest: dict) -> bytes:
        key = (kind, spec.program, spec.application_no, spec.credit, spec.co_financing, spec.company)
        if key in self._docgen_cache:
            return self._docgen_cache[key]
        program = load_profile(spec.program)
        m = parse_manifest(yaml.safe_dump(manifest, allow_unicode=True))
        signers = [Signer(SPECS[k].name, SPECS[k].tckn or "", "Yetkili") for k in spec.signers] or \
            [Signer(SPECS["zeynep"].name, SPECS["zeynep"].tckn or "", "Yetkili")]
        app = Application.from_manifest(m, signers=signers)
        extra = {}
        if kind == "es_finansman_taahhutnamesi":
            extra["cash_sources"] = [{"source": "Şirket Hesabı (Nakit)", "amount": spec.co_financing,
                                      "note": "Özkaynak"}]
        ctx = build_context(kind, program, app, doc_date=spec.submitted_at.date(), **extra)
        with tempfile.TemporaryDirectory() as tmp:
            rendered = render_document(kind, ctx, Path(tmp), pdf=True, pool=self.pool)
            data = rendered.pdf.read_bytes()
        self._docgen_cache[key] = data
        return data

    def taahhutname(self, spec: Spec, manifest: dict) -> bytes:
        data = self.docgen_pdf("taahhutname", spec, manifest)
        if spec.taahhutname_format == "imz":
            with self._tsa(spec) as tsa:
                return make_cades(data, self.pki, spec.signers[0], tsa=tsa)
        for who in spec.signers:
            with self._tsa(spec) as tsa:
                data = sign_pdf(data, self.pki, who, tsa=tsa)
        if spec.after_signing == "annotation":
            data = testdocs.add_annotation(data)
        elif spec.after_signing == "page":
            data = testdocs.append_page(data)
        elif spec.after_signing == "content":
            data = testdocs.edit_content(data)
        return data

    class _NoTSA:
        def __enter__(self):
            return None

        def __exit__(self, *exc):
            return False

    def _tsa(self, spec: Spec):
        return TestTSA(self.pki, fixed_time=spec.sign_time) if spec.sign_time else self._NoTSA()

    def build(self, sample: Sample, dest: Path) -> None:
        spec = sample.spec
        tmp = dest.with_name(f".{dest.name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        files: dict[str, list[str]] = {kind: [name] for kind, name in spec.documents.items()}
        manifest = _manifest(spec, files)
        out: dict[str, bytes] = {}
        for kind, name in spec.documents.items():
            if kind == "taahhutname":
                out[name] = self.taahhutname(spec, manifest)
            elif kind == "es_finansman_taahhutnamesi":
                out[name] = self.docgen_pdf(kind, spec, manifest)
            elif kind == "imza_sirkuleri":
                out[name] = _circular(spec)
            elif kind == "kredi_uygunluk_belgesi":
                out[name] = _kub(spec)
            elif kind in df.CERT_KINDS:
                out[name] = _cert(spec, kind)
            else:
                title, body = _TITLES[kind]
                out[name] = _simple_pdf(title, spec, body, spec.doc_date)
            if kind in SIGNED_SCANS:
                out[name] = df.wet_signed(out[name])
            if kind in spec.scanned:
                out[name] = df.scan(out[name], dpi=300, angle=0.7, noise=10, seed=7)
            if kind in spec.corrupt:
                out[name] = df.truncated(out[name])
            if kind in spec.omit:
                del out[name]
        for ln in spec.lines:
            if ln.spec:
                title, body = _TITLES["teknik_sartname"]
                # 003:L1096-1098: each item is marked with its budget sub-line code
                out[ln.spec] = _simple_pdf(title, spec, f"Bütçe alt kalemi {ln.code} - {ln.description}: {body}",
                                           spec.doc_date)
            for pf in ln.proformas:
                out[pf.file] = _proforma(spec, pf)
        for name, kind in spec.unlisted.items():
            title, body = _TITLES.get(kind, ("EK BELGE", "Başvuruya eklenmiş belge."))
            out[name] = _simple_pdf(title, spec, body, spec.doc_date)
        for name, data in out.items():
            (tmp / name).write_bytes(data)
        (tmp / "basvuru.yaml").write_text(
            "# Örnek başvuru paketi (scripts/build_samples.py ile üretildi)\n"
            + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (tmp.parent / f"{dest.name}.expected.json").write_text(json.dumps(
            {"package": dest.name, "program": spec.program, "verdict": sample.verdict,
             "rules": sorted(sample.rules), "why": sample.why}, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8")
        shutil.rmtree(dest, ignore_errors=True)
        tmp.rename(dest)


# --- the programmes' valid packages and their variants ---------------------------------------

ZEYNEP_ALONE = [Person("zeynep", "Yönetim Kurulu Başkanı"),
                Person("ahmet", "Yönetim Kurulu Üyesi", "mustereken", ["mehmet"]),
                Person("mehmet", "Genel Müdür", "mustereken", ["ahmet"])]
COMPANY = SPECS["firma_muhur"].organization or ""
COMPANY_VKN = SPECS["firma_muhur"].vkn or ""


def tr63() -> Spec:
    return Spec(
        program="tr63-2023-makine", application_no="TR63/23/FKD/MAKINE-0042", company="Örnek Makina Sanayi ve "
        "Ticaret A.Ş.", vkn=COMPANY_VKN, province="Hatay", nace="28.22.11", founded_on=date(2015, 3, 1),
        size="kucuk", credit=Decimal("1300000.00"), co_financing=Decimal("700000.00"), duration=6,
        project_title="CNC ile hassas işleme kapasitesinin artırılması",
        submitted_at=datetime(2023, 2, 15, 14, 32, tzinfo=ISTANBUL),
        lines=[
            Line("3.3.1", "makine_ekipman", "CNC dik işleme merkezi", Decimal("1200000.00"),
                 [Proforma("proforma-3.3.1.pdf", "Çağdaş Metal Sanayi ve Ticaret A.Ş.", df.make_vkn(_rng(1)),
                           Decimal("1016949.15"))], "teknik-sartname-3.3.1.pdf"),
            Line("3.3.2", "makine_ekipman", "Endüstriyel kompresör", Decimal("800000.00"),
                 [Proforma("proforma-3.3.2.pdf", "Yıldız Elektrik San. ve Tic. Ltd. Şti.", df.make_vkn(_rng(2)),
                           Decimal("677966.10"), description="Endüstriyel kompresör", layout="kurumsal")],
                 "teknik-sartname-3.3.2.pdf"),
        ],
        documents={
            "taahhutname": "taahhutname.pdf", "imza_sirkuleri": "imza-sirkuleri.pdf",
            "kredi_uygunluk_belgesi": "kredi-uygunluk-belgesi.pdf", "kobi_beyannamesi": "kobi-beyannamesi.pdf",
            "sicil_gazetesi": "sicil-gazetesi.pdf", "faaliyet_belgesi": "faaliyet-belgesi.pdf",
            "sgk_calisan_listesi": "sgk-calisan-listesi.pdf",
            "isletme_mevcut_durum_tablosu": "isletme-mevcut-durum-tablosu.pdf",
            "es_finansman_taahhutnamesi": "es-finansman-taahhutnamesi.pdf", "mali_tablolar": "mali-tablolar.pdf",
        },
        persons=copy.deepcopy(ZEYNEP_ALONE), signers=["zeynep"],
        sign_time=datetime(2023, 2, 20, 10, 15, tzinfo=ISTANBUL), kub_amount=Decimal("1500000.00"),
    )


def _rng(n: int):
    import random

    return random.Random(1000 + n)


def variant(base: Spec, **changes) -> Spec:
    spec = copy.deepcopy(base)
    for k, v in changes.items():
        setattr(spec, k, v)
    return spec


def tr63_samples() -> list[Sample]:
    b = tr63()
    over = copy.deepcopy(b.lines)
    over[0].proformas[0].net = Decimal("1067796.61")  # 1.260.000,00 TL with 18 % KDV, line 1.200.000,00
    return [
        Sample("gecerli", b, "pass", [], "Rehberin istediği bütün belgeler eksiksiz ve tutarlı."),
        Sample("eksik-sgk-listesi", variant(b, documents={k: v for k, v in b.documents.items()
                                                          if k != "sgk_calisan_listesi"}),
               "deficient", ["DOC_MISSING"], "SGK çalışan listesi (Tablo 3 #11) yok: 5 iş günü içinde tamamlanabilir."),
        Sample("kub-tutari-dusuk", variant(b, kub_amount=Decimal("1000000.00")), "reject", ["KUB_AMOUNT_LOW"],
               "KUB tutarı talep edilen krediden (1.300.000 TL) az (002 L408, L847)."),
        Sample("kub-baska-banka", variant(b, kub_bank="T.C. Ziraat Bankası A.Ş."), "reject", ["KUB_WRONG_BANK"],
               "KUB aracı kurum VakıfBank'tan değil (002 L140, L805)."),
        Sample("proforma-kalemi-asiyor", variant(b, lines=over), "reject", ["PROFORMA_EXCEEDS_LINE"],
               "Proforma toplamı bütçe kaleminden yüksek (002 L915)."),
        Sample("ilan-oncesi-belge", variant(b, doc_date=date(2022, 11, 1), kub_date=date(2023, 1, 10)),
               "deficient", ["DOC_DATED_BEFORE_ANNOUNCEMENT"],
               "Faaliyet belgesi ve SGK listesi ilan tarihinden (09.12.2022) önce alınmış (002 L828, L831)."),
        Sample("nace-disi", variant(b, nace="25.62.01"), "reject", ["NACE_NOT_ELIGIBLE"],
               "NACE kodu EK I listesinde yok (002 L402, L1330-1380)."),
        Sample("yetkisiz-imza", variant(b, signers=["ayse"]), "reject", ["SIGNER_NOT_AUTHORIZED"],
               "Taahhütnameyi imza sirkülerinde olmayan biri imzalamış (002 L803)."),
        Sample("musterek-imza-eksik", variant(b, signers=["mehmet"]), "reject", ["SIGNER_JOINT_INCOMPLETE"],
               "Müştereken yetkili kişi tek başına imzalamış (D26)."),
        Sample("gec-imza", variant(b, sign_time=datetime(2023, 2, 27, 9, 30, tzinfo=ISTANBUL)), "reject",
               ["TAAHHUTNAME_LATE"], "Zaman damgası 24.02.2023 17:00'den sonra (002 L20, L130)."),
        Sample("imza-sonrasi-degisiklik", variant(b, after_signing="annotation"), "reject",
               ["SIGNATURE_MODIFIED_AFTER_SIGNING"], "İmzadan sonra belgeye not eklenmiş (D27)."),
        Sample("zaman-damgasiz", variant(b, sign_time=None), "review", ["SIGNATURE_TIME_UNPROVEN"],
               "İmza zamanını güvenilir zaman damgası kanıtlamıyor (D25)."),
        Sample("taranmis-sirkuler", variant(b, scanned={"imza_sirkuleri"}), "pass", [],
               "İmza sirküleri taranmış (metin katmanı yok): OCR ile okunur, sonuç değişmez."),
        Sample("imz-taahhutname", variant(b, taahhutname_format="imz",
                                          documents={**b.documents, "taahhutname": "taahhutname.pdf.imz"}),
               "pass", [], "Taahhütname CAdES .imz olarak imzalanmış (D24)."),
        Sample("bozuk-belge", variant(b, corrupt={"kobi_beyannamesi"}), "review", ["DOC_UNREADABLE"],
               "Bir belge bozuk: rapor yine tam, o belge incelemeye düşer."),
        Sample("listede-olmayan-dosya", variant(b, unlisted={"ek-brosur.pdf": "proje_ozeti"}), "pass",
               ["UNLISTED_FILE"], "basvuru.yaml'da adı geçmeyen dosya raporda listelenir (bilgi)."),
    ]


def tr61() -> Spec:
    return Spec(
        program="tr61-2023-imalat", application_no="TR61/23/IMALAT-0107", company="Akdeniz Gıda Sanayi ve "
        "Ticaret A.Ş.", vkn=df.make_vkn(_rng(61)), province="Antalya", nace="10.89.02",
        founded_on=date(2016, 5, 10), size="kucuk", credit=Decimal("624000.00"), co_financing=Decimal("0.00"),
        duration=6, project_title="Gıda paketleme hattının otomasyonu",
        submitted_at=datetime(2023, 1, 18, 11, 5, tzinfo=ISTANBUL),
        lines=[
            Line("3.1", "makine_ekipman", "Paketleme makinesi", Decimal("600000.00"),
                 [Proforma("proforma-3.1-a.pdf", "Şimşek Otomasyon Sanayi ve Ticaret A.Ş.", df.make_vkn(_rng(3)),
                           Decimal("508474.58"), issued_on=date(2022, 12, 5), description="Paketleme makinesi"),
                  Proforma("proforma-3.1-b.pdf", "Doğu Ambalaj San. ve Tic. Ltd. Şti.", df.make_vkn(_rng(4)),
                           Decimal("542372.88"), issued_on=date(2022, 12, 7), description="Paketleme makinesi",
                           layout="serbest")],
                 "teknik-sartname-3.1.pdf"),
            Line("3.2", "yazilim", "Üretim takip yazılımı", Decimal("24000.00"),
                 [Proforma("proforma-3.2.pdf", "Kuzey Enerji İmalat Sanayi A.Ş.", df.make_vkn(_rng(5)),
                           Decimal("20338.98"), issued_on=date(2022, 12, 9), description="Yazılım lisansı (ERP)")]),
        ],
        documents={
            "taahhutname": "taahhutname.pdf", "kredi_uygunluk_belgesi": "kredi-uygunluk-belgesi.pdf",
            "is_plani": "is-plani.pdf", "imza_sirkuleri": "imza-sirkuleri.pdf", "sicil_gazetesi": "sicil-gazetesi.pdf",
            "faaliyet_belgesi": "faaliyet-belgesi.pdf", "basvuru_sahibi_beyannamesi": "beyanname.pdf",
            "kobi_beyannamesi": "kobi-beyannamesi.pdf", "mali_tablolar": "mali-tablolar.pdf",
        },
        persons=copy.deepcopy(ZEYNEP_ALONE), signers=["zeynep"],
        sign_time=datetime(2023, 1, 24, 15, 0, tzinfo=ISTANBUL), kub_amount=Decimal("650000.00"),
        kub_date=date(2022, 12, 20), doc_date=date(2022, 12, 1),
    )


def tr61_samples() -> list[Sample]:
    b = tr61()
    same = copy.deepcopy(b.lines)
    same[0].proformas[1].supplier = same[0].proformas[0].supplier
    same[0].proformas[1].supplier_vkn = same[0].proformas[0].supplier_vkn
    return [
        Sample("gecerli", b, "pass", [], "İki farklı tedarikçiden teklif, en düşük teklif kaleme eşit."),
        Sample("ayni-tedarikci", variant(b, lines=same), "deficient", ["PROFORMA_SAME_SUPPLIER"],
               "30.000 TL üstü kalemin iki teklifi aynı tedarikçiden (003, D18)."),
        Sample("kub-butceden-dusuk", variant(b, kub_amount=Decimal("600000.00")), "reject", ["KUB_AMOUNT_LOW"],
               "KUB tutarı toplam bütçeden (624.000 TL) az (D17)."),
    ]


def tr52() -> Spec:
    return Spec(
        program="tr52-2026-sogreen", application_no="TR52/26/SGR-0015", company="Konya Döküm Sanayi ve "
        "Ticaret A.Ş.", vkn=df.make_vkn(_rng(52)), province="Konya", nace="24.51.01",  # Konya: 24.51-24.53, 29
        founded_on=date(2012, 9, 3), size="orta", credit=Decimal("3600000.00"), co_financing=Decimal("0.00"),
        duration=6, project_title="Çatı tipi güneş enerjisi ve ısı geri kazanımı",
        submitted_at=datetime(2026, 5, 6, 16, 40, tzinfo=ISTANBUL),
        lines=[Line("1", "makine_ekipman", "Enerji verimli ergitme ocağı", Decimal("1800000.00"),
                    [Proforma("proforma-1.pdf", "Ege Çelik Yapı İmalat Sanayi A.Ş.", df.make_vkn(_rng(7)),
                              Decimal("1500000.00"), rate=20, issued_on=date(2026, 4, 2), valid_until=date(2026, 6, 30),
                              description="Endüstriyel kompresör")]),
               # 001 caps renewable energy at 50 % of the budget (L50): exactly at the cap
               Line("2", "yenilenebilir_enerji", "Çatı tipi güneş enerjisi santrali", Decimal("1800000.00"),
                    [Proforma("proforma-2.pdf", "Kuzey Enerji İmalat Sanayi A.Ş.", df.make_vkn(_rng(6)),
                              Decimal("1500000.00"), rate=20, issued_on=date(2026, 4, 3), valid_until=date(2026, 6, 30),
                              description="Güneş paneli (550 W)", layout="kurumsal")])],
        documents={
            "taahhutname": "taahhutname.pdf", "imza_sirkuleri": "imza-sirkuleri.pdf",
            "sicil_gazetesi": "sicil-gazetesi.pdf", "kredi_uygunluk_belgesi": "kredi-uygunluk-belgesi.pdf",
            "sgk_calisan_listesi": "sgk-calisan-listesi.pdf", "kapasite_raporu": "kapasite-raporu.pdf",
            "ced_belgesi": "ced-belgesi.pdf", "ilave_puan_beyani": "ilave-puan-beyani.pdf",
            "proje_ozeti": "proje-ozeti.pdf", "kobi_beyannamesi": "kobi-beyannamesi.pdf",
            "isyeri_ruhsati": "isyeri-ruhsati.pdf",
        },
        persons=copy.deepcopy(ZEYNEP_ALONE), signers=["zeynep"],
        sign_time=datetime(2026, 5, 12, 11, 0, tzinfo=ISTANBUL), kub_amount=Decimal("3750000.00"),
        kub_date=date(2026, 4, 20), doc_date=date(2026, 4, 15),
    )


def tr52_samples() -> list[Sample]:
    b = tr52()
    return [
        Sample("gecerli", b, "pass", [], "SoGreen: bütün EK 1-12 belgeleri, KUB toplam bütçeyi karşılıyor."),
        Sample("kub-butceden-dusuk", variant(b, kub_amount=Decimal("3000000.00")), "reject", ["KUB_AMOUNT_LOW"],
               "KUB tutarı toplam bütçeden (3.600.000 TL) az (D17)."),
        Sample("il-disi", variant(b, province="Ankara"), "reject", ["PROVINCE_NOT_ELIGIBLE", "SEAT_NOT_IN_REGION"],
               "Proje ve başvuru sahibinin merkezi TR52 (Konya, Karaman) dışında (001:L462)."),
    ]


def tr72() -> Spec:
    return Spec(
        program="tr72-2023-ustd", application_no="TR72/23/USTD-0031", company="Işıklar Plastik Sanayi ve "
        "Ticaret A.Ş.", vkn=df.make_vkn(_rng(72)), province="Kayseri", nace="22.29.01",
        founded_on=date(2010, 2, 1), size="kucuk", credit=Decimal("150000.00"), co_financing=Decimal("0.00"),
        duration=4, project_title="Yalın üretim danışmanlığı",
        submitted_at=datetime(2023, 8, 25, 10, 0, tzinfo=ISTANBUL), lines=[],
        documents={
            "taahhutname": "taahhutname.pdf", "teknik_sartname": "teknik-sartname.pdf", "etut_formu": "etut-formu.pdf",
            "kapasite_raporu": "kapasite-raporu.pdf", "proje_ekibi": "proje-ekibi.pdf", "ozgecmis": "ozgecmis.pdf",
            "imza_sirkuleri": "imza-sirkuleri.pdf",
        },
        persons=copy.deepcopy(ZEYNEP_ALONE), signers=["zeynep"],
        sign_time=datetime(2023, 9, 4, 14, 0, tzinfo=ISTANBUL), doc_date=date(2023, 8, 10),
    )


def tr72_samples() -> list[Sample]:
    b = tr72()
    return [
        Sample("gecerli", b, "pass", [], "ÜŞTD ikinci dönem: belgeler tam, taahhütname 06.09.2023'ten önce imzalı."),
        Sample("etut-formu-eksik", variant(b, documents={k: v for k, v in b.documents.items() if k != "etut_formu"}),
               "deficient", ["DOC_MISSING"], "Etüt formu (EK E4) sunulmamış."),
    ]


def kumelenme() -> Spec:
    return Spec(
        program="kumelenme-2023", application_no="KUM-2023-0008", company="Anadolu Makine Kümesi Derneği",
        vkn=df.make_vkn(_rng(4)), province="Ankara", nace="94.11.01", founded_on=date(2018, 4, 2), size="orta",
        credit=Decimal("2100000.00"), co_financing=Decimal("900000.00"), duration=36,
        project_title="Makine kümesinin ihracat kapasitesinin geliştirilmesi",
        submitted_at=datetime(2023, 10, 20, 12, 0, tzinfo=ISTANBUL), lines=[],
        documents={"is_plani": "is-plani.pdf"}, persons=[], signers=[], sign_time=None,
        doc_date=date(2023, 10, 1),
    )


def kumelenme_samples() -> list[Sample]:
    b = kumelenme()
    return [
        Sample("gecerli", b, "pass", [], "Kümelenme (hibe): 5 yıllık iş planı var, destek payı %70."),
        Sample("destek-payi-fazla", variant(b, credit=Decimal("2400000.00"), co_financing=Decimal("600000.00")),
               "reject", ["COFINANCING_OUT_OF_RANGE"], "Destek payı %80: sayfa %70'e kadar destek veriyor."),
    ]


PROGRAMS: dict[str, Callable[[], list[Sample]]] = {
    "tr63-2023-makine": tr63_samples,
    "tr61-2023-imalat": tr61_samples,
    "tr52-2026-sogreen": tr52_samples,
    "tr72-2023-ustd": tr72_samples,
    "kumelenme-2023": kumelenme_samples,
}


def write_trust(builder: Builder) -> None:
    trust = SAMPLES / "trust"
    shutil.rmtree(trust, ignore_errors=True)
    (trust / "crl").mkdir(parents=True)
    shutil.copy(builder.pki.trust_dir / "root.pem", trust / "root.pem")
    for crl in builder.pki.crl_files:
        shutil.copy(crl, trust / "crl" / crl.name)
    (trust / "README.md").write_text(
        "Test kök sertifikası ve iptal listeleri (scripts/build_samples.py, deterministik test PKI).\n"
        "Yalnızca örnek paketleri doğrulamak içindir: gerçek kurulumda EVRAK_TRUST_DIR kurumun\n"
        "güvendiği kök sertifikaları (ör. Kamu SM, e-Güven) içeren klasörü göstermelidir.\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(PROGRAMS))
    args = ap.parse_args(argv)
    builder = Builder()
    try:
        write_trust(builder)
        for program, make in PROGRAMS.items():
            if args.only and program != args.only:
                continue
            folder = SAMPLES / "packages" / program
            folder.mkdir(parents=True, exist_ok=True)
            for sample in make():
                builder.build(sample, folder / sample.name)
                print(f"{program}/{sample.name}: beklenen {sample.verdict} {sample.rules}")
    finally:
        builder.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
