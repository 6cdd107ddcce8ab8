"""The one assessment (issue 14): D32 certainty, blank scans, unlisted documents, D33 dates,
decisions on any finding, report.json round trip and masking.

Packages are the valid TR63 sample with one thing changed, run through the real pipeline
(readers, OCR, signatures with the test PKI); nothing is mocked.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
import yaml

from docgen.report import render_report_html
from evrak.assessment import Action, Assessment, StaffDecision, admit, evaluate, mask_personal
from evrak.findings import Certainty, Finding, Severity
from evrak.identifiers import is_valid_tckn
from evrak.profiles import load_profile
from testing import docfactory as df
from verifiers.prescreen.run import prescreen_path
from worker.documents_out import letter_for
from worker.pipeline import process_package

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "samples" / "packages" / "tr63-2023-makine" / "gecerli"
TRUST = ROOT / "samples" / "trust"
PROGRAM = "tr63-2023-makine"


def _package(tmp_path: Path, name: str = "paket") -> Path:
    target = tmp_path / name
    shutil.copytree(VALID, target)
    return target


def _manifest(pkg: Path) -> dict:
    return yaml.safe_load((pkg / "basvuru.yaml").read_text(encoding="utf-8"))


def _write_manifest(pkg: Path, data: dict) -> None:
    (pkg / "basvuru.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _screen(pkg: Path) -> Assessment:
    return prescreen_path(pkg, trust_dir=TRUST)


def _rules(a: Assessment) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in a.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def _blank_png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (1240, 1754), "white").save(path)


def _circular(closing: str) -> bytes:
    """The sample's imza sirküleri as a list of persons, the representation stated (or not) after it."""
    return df.render([
        ("p", "T.C. ANTAKYA 3. NOTERLİĞİ", 13, True, 1),
        ("p", "İMZA SİRKÜLERİ", 15, True, 1),
        ("p", "Yevmiye No: 12345          Tarih: 15.06.2022", 10, False, 0),
        ("p", "ÖRNEK MAKİNA SANAYİ VE TİCARET A.Ş. (Vergi Kimlik No: 1234567890) şirketini temsil ve "
              "ilzama yetkili kişiler:", 10, False, 0),
        ("p", "1. ZEYNEP ÇELİK (T.C. Kimlik No: 45678912316) Yönetim Kurulu Başkanı", 10, False, 0),
        ("p", "2. AHMET YILMAZ (T.C. Kimlik No: 12345678950) Yönetim Kurulu Üyesi", 10, False, 0),
        ("p", closing, 10, False, 0),
        ("p", "Yukarıdaki imzaların adı geçenlere ait olduğunu onaylarım.", 10, False, 0),
        ("p", "Antakya 3. Noterliği - Noter", 10, True, 2),
    ])


# --- D32: certainty -------------------------------------------------------------------------

def test_a_finding_not_read_with_certainty_is_at_most_review_and_says_what_to_confirm():
    program = load_profile(PROGRAM)
    read = Finding("SIGNER_JOINT_INCOMPLETE", "eksik imza")
    assumed = Finding("SIGNER_JOINT_INCOMPLETE", "temsil şekli okunamadı", certainty=Certainty.ASSUMED)
    unread = Finding("DOC_MISSING", "belge yok", subject="sgk_calisan_listesi", certainty=Certainty.UNREAD)
    a_read, a_assumed, a_unread = (admit(program, [f])[0] for f in (read, assumed, unread))
    assert a_read.severity is Severity.REJECT and a_read.confirm is None
    assert a_assumed.severity is Severity.REVIEW and a_assumed.uncapped is Severity.REJECT
    assert "temsil şekli okunamadı" in a_assumed.confirm
    assert a_unread.severity is Severity.REVIEW and a_unread.refs  # the EK item's guide lines
    assert evaluate(program, [a_assumed], as_of=datetime(2023, 3, 1).date()).verdict.value == "review"


def test_profile_overrides_reach_reader_findings_too():
    """Every finding, from a reader or a signature as well, goes through the profile's severity."""
    program = load_profile(PROGRAM)
    strict = program.model_copy(update={"severity_overrides": {**program.severity_overrides,
                                                               "DOC_EMPTY": Severity.DEFICIENT}})
    reader_finding = Finding("DOC_EMPTY", "boş tarama", subject="kobi_beyannamesi")
    assert admit(program, [reader_finding])[0].severity is Severity.REVIEW
    admitted = admit(strict, [reader_finding])
    assert admitted[0].severity is Severity.DEFICIENT
    outcome = evaluate(strict, admitted, as_of=datetime(2023, 3, 1).date())
    assert outcome.verdict.value == "deficient" and [m.kind for m in outcome.missing] == ["kobi_beyannamesi"]


@pytest.mark.slow
def test_blank_scans_of_required_documents_never_pass(tmp_path):
    pkg = _package(tmp_path)
    data = _manifest(pkg)
    for kind, name in (("imza_sirkuleri", "imza-sirkuleri"), ("kredi_uygunluk_belgesi", "kredi-uygunluk-belgesi"),
                       ("kobi_beyannamesi", "kobi-beyannamesi")):
        (pkg / f"{name}.pdf").unlink()
        _blank_png(pkg / f"{name}.png")
        data["documents"][kind] = [f"{name}.png"]
    _write_manifest(pkg, data)
    a = _screen(pkg)
    assert a.verdict.value != "pass"
    empty = {f.subject for f in _rules(a).get("DOC_EMPTY", [])}
    assert empty == {"imza_sirkuleri", "kredi_uygunluk_belgesi", "kobi_beyannamesi"}
    # the signer's authority cannot be confirmed from a blank circular: review, never a silent pass
    authority = _rules(a)["SIGNER_NOT_AUTHORIZED"][0]
    assert authority.severity is Severity.REVIEW and authority.certainty is Certainty.UNREAD
    answers = {(x.checklist, x.item): x for x in a.outcome.checklist}
    program = a.profile
    kobi_item = next((c.id, i.no) for c in program.checklists for i in c.items if "kobi_beyannamesi" in i.kinds)
    assert answers[kobi_item].answer == "Hayır" and answers[kobi_item].review


# --- unlisted but recognised ------------------------------------------------------------------

@pytest.mark.slow
def test_taahhutname_and_kub_unlisted_but_recognised_count_as_present(tmp_path):
    pkg = _package(tmp_path)
    data = _manifest(pkg)
    del data["documents"]["taahhutname"]
    del data["documents"]["kredi_uygunluk_belgesi"]
    _write_manifest(pkg, data)
    a = _screen(pkg)
    rules = _rules(a)
    assert "TAAHHUTNAME_MISSING" not in rules and "KUB_MISSING" not in rules, rules.keys()
    assert {f.evidence[0].file for f in rules["UNLISTED_FILE"]} == {"taahhutname.pdf", "kredi-uygunluk-belgesi.pdf"}
    assert a.verdict.value == "pass", [(f.rule, f.message) for f in a.findings]
    assert [s["file"] for s in a.signatures] == ["taahhutname.pdf"]  # the signature was still verified


# --- the imza sirküleri's representation clause ------------------------------------------------

@pytest.mark.slow
def test_representation_that_cannot_be_read_is_a_review_naming_it_never_a_reject(tmp_path):
    pkg = _package(tmp_path)
    (pkg / "imza-sirkuleri.pdf").write_bytes(
        _circular("Yukarıda adı geçenler 31.12.2026 tarihine kadar şirketi temsil ve ilzama yetkilidir."))
    a = _screen(pkg)
    assert a.verdict.value == "review", [(f.rule, f.severity, f.message) for f in a.findings]
    assert not any(f.severity is Severity.REJECT for f in a.findings)
    assert a.outcome.letter.value == "none" and a.outcome.reasons == ()
    assert any("temsil şekli" in f.message and f.severity is Severity.REVIEW for f in a.findings)


@pytest.mark.slow
def test_munferiden_stated_after_the_list_of_persons(tmp_path):
    """The reader fix is verifiers/circular.py's (H3a): with it the package passes; without it the
    assumption may never turn into a reject (D32)."""
    pkg = _package(tmp_path)
    (pkg / "imza-sirkuleri.pdf").write_bytes(_circular(
        "Yukarıda adı geçenler 31.12.2026 tarihine kadar şirketi münferiden temsil ve ilzama yetkilidir."))
    a = _screen(pkg)
    assert not any(f.severity is Severity.REJECT for f in a.findings), [(f.rule, f.message) for f in a.findings]
    assert a.verdict.value == "pass", [(f.rule, f.severity, f.message) for f in a.findings]


# --- D33: only documents the guide wants dated ------------------------------------------------

@pytest.mark.slow
def test_only_documents_the_guide_dates_are_checked_for_a_date(tmp_path):
    pkg = _package(tmp_path)
    (pkg / "teknik-sartname-3.3.1.pdf").write_bytes(df.render([
        ("p", "TEKNİK ŞARTNAME", 14, True, 1),
        ("p", "Firma Unvanı: Örnek Makina Sanayi ve Ticaret A.Ş.", 10, False, 0),
        ("p", "Vergi Kimlik No: 1234567890", 10, False, 0),
        ("p", "CNC dik işleme merkezi: Alınacak makinenin asgari teknik özellikleri.", 10, False, 0)]))
    (pkg / "sgk-calisan-listesi.pdf").write_bytes(df.render([
        ("p", "T.C. SOSYAL GÜVENLİK KURUMU", 12, True, 1),
        ("p", "SİGORTALI ÇALIŞAN LİSTESİ", 12, True, 1),
        ("p", "İşyeri Unvanı: Örnek Makina Sanayi ve Ticaret A.Ş.", 10, False, 0),
        ("p", "Vergi No: 1234567890", 10, False, 0),
        ("p", "Bu belge e-Devlet Kapısı üzerinden barkodlu olarak üretilmiştir.", 10, False, 0)]))
    a = _screen(pkg)
    undated = [f for f in a.findings if "tarihi okunamadı" in f.message]
    assert [f.subject for f in undated] == ["sgk_calisan_listesi"], [(f.rule, f.message) for f in a.findings]
    assert undated[0].severity is Severity.REVIEW and undated[0].refs  # the guide line that asks for the date


# --- decisions, report, letter, serialisation ---------------------------------------------------

@pytest.fixture(scope="module")
def rejected_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    return process_package(ROOT / "samples" / "packages" / PROGRAM / "yetkisiz-imza", out, trust_dir=TRUST,
                           pdf=False).out_dir


@pytest.fixture(scope="module")
def rejected(rejected_dir: Path) -> dict:
    return json.loads((rejected_dir / "report.json").read_text(encoding="utf-8"))


def test_full_tckns_only_apart_for_a_role_allowed_to_see_them(rejected, rejected_dir):
    from worker.web.decisions import apply, identities_beside

    kept = rejected_dir / "kimlik.json"
    assert kept.stat().st_mode & 0o077 == 0  # owner only
    known = identities_beside(rejected_dir / "report.json")
    assert known and all(is_valid_tckn(v) and "*" in k for k, v in known.items())
    shown = json.dumps(apply(rejected, [], known=known), ensure_ascii=False)
    assert any(v in shown for v in known.values())  # the allowed role sees full values
    assert not any(v in json.dumps(apply(rejected, []), ensure_ascii=False) for v in known.values())


def _decide(f: dict, action: Action, n: int = 1, **kw) -> StaffDecision:
    return StaffDecision(n, f["key"], f["rule"], action, "okuma_hatasi", kw.pop("comment", "Elle bakıldı"), "ayse",
                         datetime(2023, 3, 1, 10, n, tzinfo=UTC), **kw)


def _letter_text(path: Path) -> str:
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_report_json_round_trip_and_no_full_tckn(rejected):
    a = Assessment.from_dict(rejected)
    assert a.to_dict() == rejected  # the loader gives back what was written
    revealed = a.to_dict(reveal_tckn=True)
    assert Assessment.from_dict(revealed).to_dict(reveal_tckn=True) == revealed
    text = json.dumps(rejected, ensure_ascii=False)
    assert not [t for t in re.findall(r"(?<!\d)\d{11}(?!\d)", text) if is_valid_tckn(t)]
    assert mask_personal({"x": ["45678912316"]}) == {"x": ["45*******16"]}


def test_one_decision_changes_verdict_checklist_report_and_letter(rejected, tmp_path):
    from evrak.manifest import load_manifest

    manifest = load_manifest(ROOT / "samples" / "packages" / PROGRAM / "yetkisiz-imza" / "basvuru.yaml")
    a = Assessment.from_dict(rejected)
    assert a.verdict.value == "reject"
    (tmp_path / "m").mkdir()
    machine_letter = letter_for(a, manifest, tmp_path / "m", pdf=False)
    assert "sonuc_yazisi" in machine_letter[0].name
    rejecting = [f for f in rejected["findings"] if f["severity"] == "reject"]
    decided = a.with_decisions([_decide(f, Action.OVERRULE, i + 1) for i, f in enumerate(rejecting)])
    # verdict
    assert decided.verdict.value in ("pass", "review", "deficient")
    assert decided.outcome.machine_verdict.value == "reject"
    # checklist: no item still answers Hayır on an overruled rule
    overruled = {f["rule"] for f in rejecting}
    assert not [x for x in decided.outcome.checklist if set(x.rules) & overruled]
    assert [x for x in a.outcome.checklist if set(x.rules) & overruled]
    # report: the decision, who and why, and the verdict after it
    html = render_report_html(decided)
    assert "Personel kararları" in html and "Elle bakıldı" in html and "personel kararlarıyla" in html
    # the profile's staff notes and the conditions of conditional documents (issue 16 item 3)
    assert "Program notları" in html and "faks/e-posta reddedilir" in html
    # letter: no rejection letter any more
    (tmp_path / "d").mkdir()
    assert not [p for p in letter_for(decided, manifest, tmp_path / "d", pdf=False) if "sonuc_yazisi" in p.name]
    # upheld as deficient instead: the deficiency letter names the EK item the person chose
    as_deficient = a.with_decisions([_decide(f, Action.UPHOLD, i + 1, outcome=Severity.DEFICIENT,
                                             document_kind="imza_sirkuleri", comment="Güncel sirküler istenecek")
                                     for i, f in enumerate(rejecting)])
    assert as_deficient.verdict.value == "deficient" and as_deficient.outcome.completion_deadline is not None
    (tmp_path / "e").mkdir()
    written = letter_for(as_deficient, manifest, tmp_path / "e", pdf=False)
    assert written and "eksik_evrak_yazisi" in written[0].name
    assert "İmza Sirküleri" in _letter_text(written[0])


@pytest.mark.slow
def test_report_pdf_follows_the_decision(rejected, tmp_path):
    import subprocess

    from docgen.report import write_report

    a = Assessment.from_dict(rejected)
    rejecting = [f for f in rejected["findings"] if f["severity"] == "reject"]
    decided = a.with_decisions([_decide(f, Action.OVERRULE, i + 1, comment="Yetki belgesi elle görüldü")
                                for i, f in enumerate(rejecting)])
    written = write_report(decided, tmp_path, pdf=True)
    pdf = next(p for p in written if p.suffix == ".pdf")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Yetki belgesi elle görüldü" in text and "Personel kararları" in text
    assert "45678912316" not in text


@pytest.mark.slow
def test_staff_report_shows_the_evidence_pages(tmp_path):
    """report.html beside report.json carries the pages the deciding findings point to."""
    result = process_package(ROOT / "samples" / "packages" / PROGRAM / "kub-tutari-dusuk", tmp_path, trust_dir=TRUST,
                             pdf=False)
    html = (result.out_dir / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'<img class="evidence-page" src="(kanit/\d+\.jpg)"', html)
    assert images, "the KUB amount finding shows its page"
    for src in images:
        assert (result.out_dir / src).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
