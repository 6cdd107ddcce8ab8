"""Process dates and document rules (issue 16), values worked out from the guide lines.

The documents are real PDFs with a text layer (testing.docfactory), put in a copy of a valid
sample package, so the checks re-read them exactly as in a run; what a scan would give is a
page whose source is "ocr", which these rules never read again (D32: a note, no finding).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from evrak.assessment import admit
from evrak.dates import aware
from evrak.findings import Certainty, Severity
from evrak.manifest import load_manifest
from evrak.profiles import load_profile
from testing import docfactory as df
from verifiers.certificates import CertificateFacts
from verifiers.document import read_document
from verifiers.prescreen import documents, guide_rules, process_rules
from verifiers.prescreen.context import CheckContext

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "packages"


@dataclass
class Read:
    """What pre-screening keeps of a read document: facts, and where each page's text came from."""

    facts: Any = None
    pages: list = field(default_factory=lambda: [{"page": 1, "source": "text", "chars": 100}])


def _pdf(*lines: str) -> bytes:
    return df.render([("p", line, 10, False, 0) for line in lines])


def _package(tmp_path: Path, program_id: str, files: dict[str, bytes] | None = None,
             facts: dict[str, Any] | None = None, ocr: tuple[str, ...] = (), **changes: Any) -> CheckContext:
    """A copy of the programme's valid sample with `files` replaced, as a pre-screening context
    whose documents were read from their text layer (or through OCR for the names in `ocr`)."""
    pkg = tmp_path / program_id
    shutil.copytree(SAMPLES / program_id / "gecerli", pkg)
    for name, data in (files or {}).items():
        (pkg / name).write_bytes(data)
    manifest = load_manifest(pkg / "basvuru.yaml")
    for dotted, value in changes.items():
        target: Any = manifest
        *path, last = dotted.split("__")
        for part in path:
            target = getattr(target, part)
        object.__setattr__(target, last, value)
    present = sorted(p.name for p in pkg.iterdir() if p.name != "basvuru.yaml")
    docs = {n: Read((facts or {}).get(n)) for n in present}
    for n in ocr:
        docs[n] = Read((facts or {}).get(n), [{"page": 1, "source": "ocr", "chars": 100, "confidence": 90.0}])
    return CheckContext(program=load_profile(program_id), manifest=manifest, root=pkg, files=present,
                        documents=docs)


def _rules(ctx: CheckContext) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in ctx.findings:
        out.setdefault(f.rule, []).append(f)
    return out


# --- 002:L713: KAYS opens 10 iş günü after the announcement ----------------------------------


def test_a_submission_before_kays_opened_goes_to_review(tmp_path):
    """002:L12 announcement 09.12.2022; L713 KAYS opens 10 iş günü later: 12-16 and 19-23
    December are the ten business days, so 23.12.2022 is the first day a submission can carry."""
    before = _package(tmp_path / "a", "tr63-2023-makine", submitted_at=aware(datetime(2022, 12, 22, 16, 0)))
    process_rules.check_submission_opening(before)
    (f,) = _rules(before)["SUBMITTED_BEFORE_OPENING"]
    assert "23 Aralık 2022" in f.message and f.refs == ["002:L713, L769-771"]
    assert admit(before.program, before.findings)[0].severity is Severity.REVIEW
    on_the_day = _package(tmp_path / "b", "tr63-2023-makine", submitted_at=aware(datetime(2022, 12, 23, 9, 0)))
    process_rules.check_submission_opening(on_the_day)
    assert not on_the_day.findings


def test_an_explicit_opening_day_is_the_one_checked(tmp_path):
    """001:L51 opens the call on 25.03.2026 itself (the profile's explicit `opens`, D3)."""
    ctx = _package(tmp_path, "tr52-2026-sogreen", submitted_at=aware(datetime(2026, 3, 24, 12, 0)))
    process_rules.check_submission_opening(ctx)
    assert "25 Mart 2026" in _rules(ctx)["SUBMITTED_BEFORE_OPENING"][0].message


# --- 002:L830, L1280-1282; 003:L1116-1117: the financial statements' years -----------------


def test_years_are_read_from_the_text_not_from_dates():
    assert process_rules.years_in("Vergi dairesince onaylanmış 2020 ve 2021 yıllarına ait") == {2020, 2021}
    assert process_rules.years_in("2020-2021 dönemi; Tarih: 12.01.2023; 2023-01-12") == {2020, 2021}
    assert process_rules.years_in("Bilanço 31.12.2021; VKN 1234567890") == {2021}


def test_a_firm_of_2015_gives_both_2020_and_2021(tmp_path):
    """002:L830 "varsa son 2 mali yıla ait (2020-2021)": a firm founded 01.03.2015 has both."""
    only_2021 = _pdf("BİLANÇO VE GELİR TABLOSU", "Vergi dairesince onaylanmış 2021 yılı bilanço ve gelir tablosu.",
                     "Tarih: 12.01.2023")
    ctx = _package(tmp_path, "tr63-2023-makine", {"mali-tablolar.pdf": only_2021})
    process_rules.check_financial_statements(ctx)
    (f,) = _rules(ctx)["FINANCIALS_YEAR_MISSING"]
    assert "2020 yılı yok" in f.message and "okunan yıllar: 2021" in f.message
    assert f.certainty is Certainty.READ and "002:L691, L830, L1280-1282" in f.refs
    assert admit(ctx.program, ctx.findings)[0].severity is Severity.DEFICIENT  # 002:L815: 5 iş günü


def test_statements_that_could_not_be_read_are_not_called_missing(tmp_path):
    """A mali tablolar file from which nothing was read (a blank scan) is DOC_EMPTY's to report;
    saying "pakette yok" at deficient would rest on nothing read (D32)."""
    ctx = _package(tmp_path, "tr63-2023-makine")
    ctx.documents["mali-tablolar.pdf"] = Read(None, [{"page": 1, "source": "ocr", "chars": 0}])
    process_rules.check_financial_statements(ctx)
    assert "FINANCIALS_YEAR_MISSING" not in _rules(ctx)


def test_the_years_asked_follow_the_current_gazette_when_registry_documents_disagree(tmp_path):
    """002:L417: on a conflict the current Ticaret Sicil Gazetesi wins. With no founding date in
    the manifest, a faaliyet belgesi saying 2022 and the gazette saying 2015 ask for 2020 and 2021
    (002:L830), by the gazette's date; the note saying which value was used is written once,
    though both the founding check and the statements' check ask for the date."""
    only_2021 = _pdf("BİLANÇO", "Vergi dairesince onaylanmış 2021 yılı bilanço ve gelir tablosu.")
    facts = {"sicil-gazetesi.pdf": CertificateFacts(kind="sicil_gazetesi", registered_on=date(2015, 3, 1),
                                                   issued_on=date(2022, 6, 1)),
             "faaliyet-belgesi.pdf": CertificateFacts(kind="faaliyet_belgesi", registered_on=date(2022, 3, 1))}
    ctx = _package(tmp_path, "tr63-2023-makine", {"mali-tablolar.pdf": only_2021}, facts=facts,
                   applicant__founded_on=None)
    ctx.documents["mali-tablolar.pdf"] = Read(None)
    process_rules.check_financial_statements(ctx)
    guide_rules.check_registry_founding(ctx)
    (f,) = _rules(ctx)["FINANCIALS_YEAR_MISSING"]
    assert "1 Mart 2015" in f.message and "2020 yılı yok" in f.message
    assert len([n for n in ctx.notes if "güncel Sicil Gazetesi esas alındı" in n]) == 1


def test_a_firm_of_2021_gives_2021_only_and_a_new_firm_the_alternative(tmp_path):
    """Founded during 2021, the firm has no 2020 statement to give; founded after 2021 it has
    none of them, and the guide's interim balance sheet or income tax return applies."""
    only_2021 = _pdf("BİLANÇO", "Vergi dairesince onaylanmış 2021 yılı bilanço ve gelir tablosu.")
    ctx = _package(tmp_path / "a", "tr63-2023-makine", {"mali-tablolar.pdf": only_2021},
                   applicant__founded_on=date(2021, 3, 1))
    process_rules.check_financial_statements(ctx)
    assert not ctx.findings
    new = _package(tmp_path / "b", "tr63-2023-makine", applicant__founded_on=date(2022, 2, 1))
    process_rules.check_financial_statements(new)
    assert not new.findings and any("ara dönem bilanço" in n for n in new.notes)


def test_a_missing_conditional_statement_of_an_existing_firm_is_asked_for(tmp_path):
    """tr63 lists the statements as conditional ("varsa"); a firm founded in 2015 has them."""
    ctx = _package(tmp_path, "tr63-2023-makine", documents={})
    ctx.files = [f for f in ctx.files if f != "mali-tablolar.pdf"]
    process_rules.check_financial_statements(ctx)
    (f,) = _rules(ctx)["FINANCIALS_YEAR_MISSING"]
    assert "2020, 2021" in f.message


def test_003_asks_for_the_2021_return(tmp_path):
    """003:L1116-1117: the 2021 gelir/kurumlar vergisi beyannamesi."""
    wrong_year = _pdf("KURUMLAR VERGİSİ BEYANNAMESİ", "Vergi dairesince onaylanmış 2020 yılına ait beyanname.")
    ctx = _package(tmp_path, "tr61-2023-imalat", {"mali-tablolar.pdf": wrong_year})
    process_rules.check_financial_statements(ctx)
    assert "2021 yılı yok" in _rules(ctx)["FINANCIALS_YEAR_MISSING"][0].message


def test_a_scanned_statement_is_not_judged(tmp_path):
    """D32: the years of a scan are not read again here; a note, no finding."""
    only_2021 = _pdf("BİLANÇO", "2021 yılı bilanço ve gelir tablosu.")
    ctx = _package(tmp_path, "tr63-2023-makine", {"mali-tablolar.pdf": only_2021}, ocr=("mali-tablolar.pdf",))
    process_rules.check_financial_statements(ctx)
    assert not ctx.findings and any("taranmış" in n for n in ctx.notes)


# --- 002:L826, L1276; 003:L1031-1036: the board resolution --------------------------------

_BY_RESOLUTION = ("T.C. ANTAKYA 3. NOTERLİĞİ", "İMZA SİRKÜLERİ", "Yevmiye No: 12345 Tarih: 15.06.2022",
                  "Şirket Yönetim Kurulunun 12.03.2022 tarih ve 2022/5 sayılı kararı ile ZEYNEP ÇELİK "
                  "45678912316 şirketi münferiden temsil ve ilzama yetkilidir.")


def test_authority_from_a_board_resolution_needs_the_resolution(tmp_path):
    """002:L826: authority not from the articles -> the board's resolution is also submitted."""
    ctx = _package(tmp_path, "tr63-2023-makine", {"imza-sirkuleri.pdf": _pdf(*_BY_RESOLUTION)})
    process_rules.check_authority_resolution(ctx)
    (f,) = _rules(ctx)["AUTHORITY_RESOLUTION_MISSING"]
    assert "2022/5 sayılı kararı" in f.message and f.certainty is Certainty.INFERRED
    assert f.refs == ["002:L826, L1276"]
    assert admit(ctx.program, ctx.findings)[0].severity is Severity.REVIEW  # an inference: staff confirm


def test_a_resolution_in_the_package_or_in_the_circular_satisfies_it(tmp_path):
    with_doc = _package(tmp_path / "a", "tr63-2023-makine", {"imza-sirkuleri.pdf": _pdf(*_BY_RESOLUTION),
                                                               "yetki-karari.pdf": _pdf("YÖNETİM KURULU KARARI")})
    with_doc.manifest.documents["yetki_karari"] = ["yetki-karari.pdf"]
    process_rules.check_authority_resolution(with_doc)
    assert not with_doc.findings
    inside = _package(tmp_path / "b", "tr63-2023-makine", {"imza-sirkuleri.pdf": _pdf(
        *_BY_RESOLUTION, "YÖNETİM KURULU KARARI", "Karar No: 2022/5", "Şirket merkezinde toplanan yönetim kurulu "
        "oybirliği ile karar vermiştir.")})
    process_rules.check_authority_resolution(inside)
    assert not inside.findings and any("içeriyor" in n for n in inside.notes)


def test_titles_are_not_resolutions(tmp_path):
    """The valid sample names "Yönetim Kurulu Başkanı/Üyesi" as titles: no resolution."""
    ctx = _package(tmp_path, "tr63-2023-makine")
    process_rules.check_authority_resolution(ctx)
    assert not ctx.findings


# --- 003:L1093-1098: a technical specification, its kind and its budget sub-line code ------


def test_003_spec_names_its_budget_sub_line(tmp_path):
    """003:L1096-1098 "ilgili olduğu bütçe alt kalemi (Ör: 3.3.1 gibi) not edilmelidir"."""
    bare = _pdf("TEKNİK ŞARTNAME", "Paketleme makinesi: asgari teknik özellikler.")
    ctx = _package(tmp_path / "a", "tr61-2023-imalat", {"teknik-sartname-3.1.pdf": bare})
    process_rules.check_techspec_line_codes(ctx)
    (f,) = _rules(ctx)["TECHSPEC_LINE_CODE_MISSING"]
    assert f.subject == "3.1" and admit(ctx.program, ctx.findings)[0].severity is Severity.DEFICIENT
    other = _pdf("TEKNİK ŞARTNAME", "13.1 ve 3.1.2 kalemleri: asgari teknik özellikler.")
    ctx = _package(tmp_path / "b", "tr61-2023-imalat", {"teknik-sartname-3.1.pdf": other})
    process_rules.check_techspec_line_codes(ctx)
    assert "TECHSPEC_LINE_CODE_MISSING" in _rules(ctx)  # neither 13.1 nor 3.1.2 is line 3.1
    ok = _package(tmp_path / "c", "tr61-2023-imalat")  # the valid sample writes "Bütçe alt kalemi 3.1"
    process_rules.check_techspec_line_codes(ok)
    assert not ok.findings


def test_002_does_not_ask_for_sub_line_codes(tmp_path):
    bare = _pdf("TEKNİK ŞARTNAME", "CNC dik işleme merkezi.")
    ctx = _package(tmp_path, "tr63-2023-makine", {"teknik-sartname-3.3.1.pdf": bare})
    process_rules.check_techspec_line_codes(ctx)
    assert not ctx.findings


def test_a_proforma_given_as_a_spec_is_the_wrong_kind(tmp_path):
    """003:L1093-1094 "Proforma faturalar ... teknik şartname olarak kabul edilmeyecektir"."""
    pkg = SAMPLES / "tr61-2023-imalat" / "gecerli"
    ctx = _package(tmp_path, "tr61-2023-imalat",
                   {"teknik-sartname-3.1.pdf": (pkg / "proforma-3.1-a.pdf").read_bytes()})
    ctx.documents = {}
    documents.read_documents(ctx)
    wrong = [f for f in ctx.findings if f.rule == "DOC_WRONG_KIND"]
    assert [f.subject for f in wrong] == ["teknik_sartname"]


# --- 002:L415-417: where the registry documents disagree, the current gazette wins ---------


def _registry(registered_gazette: date, registered_chamber: date) -> dict[str, Any]:
    return {"sicil-gazetesi.pdf": CertificateFacts("sicil_gazetesi", issued_on=date(2023, 1, 12),
                                                   registered_on=registered_gazette),
            "faaliyet-belgesi.pdf": CertificateFacts("faaliyet_belgesi", issued_on=date(2023, 1, 12),
                                                     registered_on=registered_chamber)}


@pytest.mark.parametrize("gazette, chamber, late", [
    (date(2015, 3, 1), date(2022, 3, 1), False),  # the gazette's 2015 wins over the chamber's 2022
    (date(2022, 3, 1), date(2015, 3, 1), True),  # the gazette's 2022 is after 01.01.2022 (002:L404-405)
])
def test_the_gazette_wins_a_registration_date_conflict(tmp_path, gazette, chamber, late):
    ctx = _package(tmp_path, "tr63-2023-makine", facts=_registry(gazette, chamber))
    guide_rules.check_registry_founding(ctx)
    assert ("FOUNDED_TOO_LATE" in _rules(ctx)) is late
    (note,) = [n for n in ctx.notes if "Sicil Gazetesi esas alındı" in n]
    assert "sicil-gazetesi.pdf" in note and "faaliyet-belgesi.pdf" in note


def test_without_the_rule_every_registry_document_counts(tmp_path):
    """003 states no precedence: a late date on any registry document is reported."""
    ctx = _package(tmp_path, "tr61-2023-imalat", facts=_registry(date(2015, 3, 1), date(2023, 1, 19)))
    guide_rules.check_registry_founding(ctx)
    assert "FOUNDED_TOO_LATE" in _rules(ctx)
    assert not [n for n in ctx.notes if "esas alındı" in n]


# --- 002:L827, L829, L1275, L1277; 003:L1073-1074: the signed printout, scanned -------------


def test_an_ek_h_of_text_alone_cannot_carry_the_signature(tmp_path):
    """002:L829 "matbu hali ... imzalanmış olarak taranıp KAYS'a yüklenmiştir": a PDF exported
    from the Word template, with no image and no e-signature, is not that."""
    export = _pdf("EK H", "EŞ FİNANSMAN TAAHHÜTNAMESİ", "Toplam proje bütçesi 2.000.000,00 TL ...")
    ctx = _package(tmp_path / "a", "tr63-2023-makine", {"es-finansman-taahhutnamesi.pdf": export})
    process_rules.check_signed_scans(ctx)
    (f,) = _rules(ctx)["DOC_NOT_SIGNED_SCAN"]
    assert f.subject == "es_finansman_taahhutnamesi" and "yalnız metinden oluşan bir PDF" in f.message
    assert "002:L248, L361, L688, L829, L1275, L1294-1320" in f.refs
    admitted = admit(ctx.program, ctx.findings)[0]
    assert admitted.uncapped is Severity.DEFICIENT  # 002:L815: 5 iş günü
    # "no image" is how the machine tells a missing wet signature; a vector-drawn one has none: staff (D32)
    assert admitted.severity is Severity.REVIEW and admitted.certainty is Certainty.INFERRED
    signed = _package(tmp_path / "b", "tr63-2023-makine", {"es-finansman-taahhutnamesi.pdf": df.wet_signed(export)})
    process_rules.check_signed_scans(signed)
    assert not signed.findings  # the valid sample's EK G and EK H carry the scanned signature too


def test_an_office_file_or_a_scan(tmp_path):
    """The Word template itself is not the signed printout; a scan (read through OCR) is."""
    ctx = _package(tmp_path / "a", "tr61-2023-imalat")
    ctx.documents["beyanname.pdf"] = Read(None, [{"page": 1, "source": "office", "chars": 400}])
    process_rules.check_signed_scans(ctx)
    assert "Office belgesi" in _rules(ctx)["DOC_NOT_SIGNED_SCAN"][0].message
    scan = _package(tmp_path / "b", "tr61-2023-imalat", {"beyanname.pdf": _pdf("BEYANNAME")}, ocr=("beyanname.pdf",))
    process_rules.check_signed_scans(scan)
    assert not scan.findings


def test_an_edevlet_barcode_is_shown_for_staff_never_claimed_verified(tmp_path):
    """003:L1144-1145, 002:L831: a barcoded e-Devlet document is accepted once its barcode is
    verified on turkiye.gov.tr; offline, the number goes to staff as not verified."""
    sgk = _pdf("T.C. SOSYAL GÜVENLİK KURUMU", "SİGORTALI ÇALIŞAN LİSTESİ",
               "Bu belge e-Devlet Kapısı üzerinden barkodlu olarak üretilmiştir. Barkod No: SGK-4F2A-91C3-77DE")
    ctx = _package(tmp_path, "tr63-2023-makine", {"sgk-calisan-listesi.pdf": sgk})
    process_rules.note_edevlet_barcodes(ctx)
    (note,) = ctx.notes
    assert "barkod no SGK-4F2A-91C3-77DE" in note and "doğrulanmadı" in note and "002:L692, L831" in note
    assert not ctx.findings


def test_an_unsigned_ek_h_makes_the_package_deficient_and_answers_its_item(tmp_path):
    """The whole run: the valid tr63 sample with its EK H exported from Word (no signature) is
    deficient (002:L815) once staff confirm it (the machine infers it from "no image": review,
    D32), Tablo 3 #9 (002:L829) is answered "Hayır" with the rule behind it, and the reason it
    would become unanswered is R10 (002:L920)."""
    import json

    from worker.pipeline import process_package

    pkg = tmp_path / "paket"
    shutil.copytree(SAMPLES / "tr63-2023-makine" / "gecerli", pkg)
    (pkg / "es-finansman-taahhutnamesi.pdf").write_bytes(_pdf("EK H", "EŞ FİNANSMAN TAAHHÜTNAMESİ",
                                                              "Başvuru No: TR63/23/FKD/MAKINE-0042"))
    result = process_package(pkg, tmp_path / "out", trust_dir=SAMPLES.parent / "trust", pdf=False)
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "review"
    assert [f["rule"] for f in report["findings"] if f["severity"] != "info"] == ["DOC_NOT_SIGNED_SCAN"]
    assert [f["uncapped"] for f in report["findings"] if f["rule"] == "DOC_NOT_SIGNED_SCAN"] == ["deficient"]
    item = next(a for a in report["checklist"] if a["checklist"] == "evrak" and a["item"] == "9")
    assert item["answer"] == "Hayır" and "DOC_NOT_SIGNED_SCAN" in item["rules"]
    program = load_profile("tr63-2023-makine")
    assert [r.code for r in program.reasons_for({"DOC_NOT_SIGNED_SCAN"})] == ["R10"]


# --- 003:L1384-1387, L1073-1074: every declaration signed by an authorised person ----------


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory):
    from testing.testpki import build_test_pki

    return build_test_pki(tmp_path_factory.mktemp("pki"))


def _declaration(pki, who: str) -> bytes:
    from testing.testpki import sign_pdf

    return sign_pdf(_pdf("BAŞVURU SAHİBİNİN BEYANNAMESİ", "Başvuru rehberinde sayılan durumlarda bulunmadığımızı "
                         "beyan ederiz."), pki, who)


@pytest.mark.parametrize("who, rules", [
    ("zeynep", set()),  # ZEYNEP ÇELİK represents the firm alone in the sample's imza sirküleri
    ("ayse", {"SIGNER_NOT_AUTHORIZED"}),  # AYŞE DEMİR is not in it (003:L1384-1387)
])
def test_an_e_signed_declaration_is_checked_against_the_circular(tmp_path, pki, who, rules):
    pkg = SAMPLES / "tr61-2023-imalat" / "gecerli"
    circular = read_document(pkg / "imza-sirkuleri.pdf", "imza_sirkuleri").facts  # read as in a run
    ctx = _package(tmp_path, "tr61-2023-imalat", {"beyanname.pdf": _declaration(pki, who)},
                   facts={"imza-sirkuleri.pdf": circular})
    ctx.trust_dir, ctx.crl_files = pki.trust_dir, tuple(pki.crl_files)
    process_rules.check_declaration_signatures(ctx)
    got = {f.rule for f in ctx.findings if f.severity is not Severity.INFO}
    assert got == rules, [f.message for f in ctx.findings]
    assert all(f.subject == "basvuru_sahibi_beyannamesi" for f in ctx.findings)
    assert all("003:L654-656, L1064-1074, L1667-1668" in f.refs for f in ctx.findings)
    assert "beyanname.pdf" in ctx.signatures


def test_a_wet_signed_declaration_is_left_to_staff(tmp_path, pki):
    ctx = _package(tmp_path, "tr61-2023-imalat")  # the sample's declaration: a scanned wet signature
    ctx.trust_dir = pki.trust_dir
    process_rules.check_declaration_signatures(ctx)
    assert not ctx.findings and not ctx.signatures


# --- 002:L826; 003:L1031-1032: the imza sirküleri is certified by a notary -----------------


def test_a_circular_with_no_notary_goes_to_staff(tmp_path):
    """002:L826 "noter tarafından tasdik eden güncel belge": the sample's circular names
    "ANTAKYA 3. NOTERLİĞİ" and a yevmiye number; one that names neither is looked at."""
    from verifiers.circular import read_circular
    from verifiers.fields import Doc
    from verifiers.text import read_pdf

    plain = _pdf("İMZA BEYANNAMESİ", "ZEYNEP ÇELİK 45678912316 Yönetim Kurulu Başkanı Münferiden 31.12.2026")
    ctx = _package(tmp_path / "a", "tr63-2023-makine", {"imza-sirkuleri.pdf": plain})
    text = read_pdf(ctx.root / "imza-sirkuleri.pdf")
    ctx.documents["imza-sirkuleri.pdf"].facts = read_circular(Doc("imza-sirkuleri.pdf", text.pages))[0]
    process_rules.check_circular_notarised(ctx)
    (f,) = _rules(ctx)["CIRCULAR_NOT_NOTARISED"]
    assert f.refs == ["002:L686, L803, L826, L1276"]
    assert admit(ctx.program, ctx.findings)[0].severity is Severity.REVIEW
    pkg = SAMPLES / "tr63-2023-makine" / "gecerli"
    ok = _package(tmp_path / "b", "tr63-2023-makine",
                  facts={"imza-sirkuleri.pdf": read_document(pkg / "imza-sirkuleri.pdf", "imza_sirkuleri").facts})
    process_rules.check_circular_notarised(ok)
    assert not ok.findings
    scan = _package(tmp_path / "c", "tr63-2023-makine", {"imza-sirkuleri.pdf": plain}, ocr=("imza-sirkuleri.pdf",))
    process_rules.check_circular_notarised(scan)
    assert not scan.findings and any("noter" in n for n in scan.notes)
