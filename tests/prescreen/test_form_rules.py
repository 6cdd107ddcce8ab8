"""The KAYS form's own data (manifest `form:`), checked as the guides ask (issue 16).

Each test adds a `form:` section to a sample's valid manifest, parses it as a package would
be parsed, runs the form checks and admits the findings through the programme's profile, so
the severities are the ones staff see. Values come from the guide lines named in each test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from evrak.assessment import admit
from evrak.errors import UserError
from evrak.findings import Certainty, Severity
from evrak.manifest import parse_manifest
from evrak.profiles import load_profile
from verifiers.prescreen import form_rules
from verifiers.prescreen.context import CheckContext
from verifiers.prescreen.form_rules import form_chars, looks_turkish

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "packages"
PROGRAMS = ["tr63-2023-makine", "tr52-2026-sogreen", "tr61-2023-imalat", "tr72-2023-ustd", "kumelenme-2023"]

TURKISH = ("Firmamız 2015 yılından bu yana Hatay'da makine imalatı yapmaktadır ve bu proje ile mevcut üretim "
           "hattına yeni bir CNC işleme merkezi eklenecektir. Böylece ürün çeşidi artacak, birim üretim "
           "maliyetleri azalacak ve ihracat kapasitemiz yükselecektir. Proje sonunda yeni istihdam da "
           "sağlanacaktır.")
TURKISH_ASCII = ("Firmamiz 2015 yilindan bu yana Hatay da makine imalati yapmaktadir ve bu proje ile mevcut uretim "
                 "hattina yeni bir CNC isleme merkezi eklenecektir. Boylece urun cesidi artacak, birim uretim "
                 "maliyetleri azalacak ve ihracat kapasitemiz yukselecektir.")
ENGLISH = ("Our company has been manufacturing machinery in Hatay since 2015, and with this project a new CNC "
           "machining centre will be added to the existing production line. The product range will grow, unit "
           "costs will fall and our export capacity will increase over the coming years.")
GERMAN = ("Unser Unternehmen stellt seit 2015 Maschinen in Hatay her, und mit diesem Projekt wird ein neues "
          "CNC-Bearbeitungszentrum zur bestehenden Produktionslinie hinzugefügt. Dadurch wächst die "
          "Produktpalette, die Stückkosten sinken und unsere Exportkapazität steigt in den kommenden Jahren.")
FRENCH = ("Notre entreprise fabrique des machines à Hatay depuis 2015 et, grâce à ce projet, un nouveau centre "
          "d'usinage CNC sera ajouté à la ligne de production existante. La gamme de produits s'élargira, les "
          "coûts unitaires baisseront et notre capacité d'exportation augmentera au cours des prochaines années.")
SECTIONS = ["gerekce", "program_oncelikleri", "beklenen_sonuclar", "surdurulebilirlik"]


def _ctx(program_id: str, form: dict | None, **top: object) -> CheckContext:
    """A CheckContext for the sample's valid manifest with `form` added, parsed as a package is."""
    pkg = SAMPLES / program_id / "gecerli"
    data = yaml.safe_load((pkg / "basvuru.yaml").read_text(encoding="utf-8"))
    data.update(top)
    if form is not None:
        data["form"] = form
    manifest = parse_manifest(yaml.safe_dump(data, allow_unicode=True))
    return CheckContext(program=load_profile(program_id), manifest=manifest, root=pkg,
                        files=sorted(manifest.named_files()))


def _run(ctx: CheckContext) -> dict[str, list]:
    for check in form_rules.CHECKS:
        check(ctx)
    out: dict[str, list] = {}
    for f in admit(ctx.program, ctx.findings):
        out.setdefault(f.rule, []).append(f)
    return out


def _sections(**texts: str) -> list[dict]:
    return [{"id": s, "text": texts.get(s, TURKISH)} for s in SECTIONS]


# --- D32: no form data, no finding, one note ---------------------------------------------------

@pytest.mark.parametrize("program_id", PROGRAMS)
def test_no_form_section_means_no_finding_and_one_note(program_id):
    """Absent form data is never read as 'no partners' or 'empty' (D32): silent, one note."""
    ctx = _ctx(program_id, None)
    assert _run(ctx) == {}
    notes = [n for n in ctx.notes if "form:" in n]
    assert len(notes) == 1 and "denetlenmedi" in notes[0], ctx.notes


def test_a_part_missing_from_the_form_is_noted_not_judged():
    """003 asks for 2 contacts (003:L1389-1391); a form without a contact list says nothing about them."""
    ctx = _ctx("tr61-2023-imalat", {"partners": []})
    assert _run(ctx) == {}
    assert any("irtibat kişisi" in n and "003:L1389-1391" in n for n in ctx.notes), ctx.notes


# --- partners and affiliates -------------------------------------------------------------------

@pytest.mark.parametrize(("program_id", "role", "lines"), [
    ("tr63-2023-makine", "ortak", "002:L441"),          # "ortak ve iştirakçi yer almayacaktır"
    ("tr63-2023-makine", "istirakci", "002:L441"),
    ("tr52-2026-sogreen", "istirakci", "001:L503"),     # "ortak veya iştirakçi yer almayacaktır"
    ("tr61-2023-imalat", "ortak", "003:L660-665"),      # Uygunluk 8 (L1718)
    ("tr72-2023-ustd", "ortak", "000:L350-353"),
])
def test_a_partner_or_affiliate_rejects(program_id, role, lines):
    found = _run(_ctx(program_id, {"partners": [{"name": "Ortak Makina Ltd. Şti.", "role": role}]}))
    [f] = found["FORM_PARTNERS_NOT_ALLOWED"]
    assert f.severity is Severity.REJECT and f.certainty is Certainty.READ
    assert lines in " ".join(f.refs)


def test_no_partners_read_and_the_cluster_programme_has_no_partner_rule():
    assert _run(_ctx("tr63-2023-makine", {"partners": []})) == {}
    # 004's page says nothing of partners: the rule is not the programme's
    assert _run(_ctx("kumelenme-2023", {"partners": [{"name": "A", "role": "ortak"}]})) == {}


def test_a_partner_rejection_cites_the_guides_reason():
    """002: an ineligible applicant is reason R03 (002:L913); 000: its own condition (000:L350-353)."""
    assert [r.code for r in load_profile("tr63-2023-makine").reasons_for({"FORM_PARTNERS_NOT_ALLOWED"})] == ["R03"]
    assert [r.code for r in load_profile("tr72-2023-ustd").reasons_for({"FORM_PARTNERS_NOT_ALLOWED"})] == ["U5"]
    assert [r.code for r in load_profile("tr61-2023-imalat").reasons_for({"FORM_PARTNERS_NOT_ALLOWED"})] == ["R3"]


# --- Proje Bilgisi: four sections, each at most 4000 characters (002:L1148-1150) ---------------

def test_four_filled_sections_within_4000_pass():
    edge = ("ve " * 1334)[:4000]  # exactly 4000 characters: the field's limit, allowed
    assert form_chars(edge) == 4000
    assert _run(_ctx("tr63-2023-makine", {"sections": _sections(surdurulebilirlik=edge)})) == {}


def test_a_line_break_counts_once():
    """KAYS's counter (002:L1150) counts a line break as one character, CRLF or LF."""
    assert form_chars("a\r\nb") == form_chars("a\nb") == 3
    text = "ve\n" * 1333 + "v"  # 4000 characters with 1333 line breaks
    assert _run(_ctx("tr63-2023-makine", {"sections": _sections(gerekce=text)})) == {}
    assert list(_run(_ctx("tr63-2023-makine", {"sections": _sections(gerekce=text + "e")}))) == [
        "FORM_SECTION_TOO_LONG"]


def test_a_section_over_4000_goes_to_review():
    found = _run(_ctx("tr63-2023-makine", {"sections": _sections(beklenen_sonuclar="a" * 4001)}))
    [f] = found["FORM_SECTION_TOO_LONG"]
    assert f.severity is Severity.REVIEW and "4001" in f.message and "Beklenen Sonuçlar" in f.message
    # the length alone, when the export gives only that
    sections = [{"id": s, "chars": 4001 if s == "gerekce" else 3500} for s in SECTIONS]
    assert list(_run(_ctx("tr63-2023-makine", {"sections": sections}))) == ["FORM_SECTION_TOO_LONG"]


def test_an_empty_section_rejects_and_an_unexported_one_goes_to_review():
    """All fields must be filled (002:L1150); an unfilled Başvuru Formu is eliminated without a
    letter (002:L815). A section the export does not carry was not read: review (D32)."""
    found = _run(_ctx("tr63-2023-makine", {"sections": _sections(gerekce="   \n ")}))
    [f] = found["FORM_SECTION_EMPTY"]
    assert f.severity is Severity.REJECT and "Projenin Gerekçesi" in f.message
    assert [r.code for r in load_profile("tr63-2023-makine").reasons_for({"FORM_SECTION_EMPTY"})] == ["R02"]

    three = [s for s in _sections() if s["id"] != "surdurulebilirlik"]
    [f] = _run(_ctx("tr63-2023-makine", {"sections": three}))["FORM_SECTION_EMPTY"]
    assert f.severity is Severity.REVIEW and f.certainty is Certainty.UNREAD and "Sürdürülebilirlik" in f.message


def test_sections_are_002s_rule_only():
    """001 and 003 print no Proje Bilgisi limit: their sections are not measured."""
    assert _run(_ctx("tr61-2023-imalat", {"sections": [{"id": "gerekce", "chars": 9000}]})) == {}


# --- indicators from EK E only (002:L376, L1224-1260) -----------------------------------------

def test_indicators_from_ek_e_pass():
    """K88 is in EK E (002:L1258), though not in EK D (C17); names match however 'yurt dışı' is spaced."""
    form = {"indicators": [{"code": "K88", "name": "Birim üretim maliyetlerinde azalma oranı", "unit": "%",
                            "target": "10"},
                           {"code": "K1"}, {"name": "Yurt Dışı Müşteri Sayısı"}]}  # K16 "Yurtdışı" (L1232)
    assert _run(_ctx("tr63-2023-makine", form)) == {}


@pytest.mark.parametrize("indicator", [
    {"code": "K99"},                                    # no such code in Tablo 7
    {"name": "Tasarlanan yeni makine sayısı"},          # in the logframe (L376), not in EK E
    {"code": "K1", "name": "Müşteri Sayısı"},           # K1 under K15's name (L1229, L1231)
])
def test_an_indicator_outside_ek_e_goes_to_review(indicator):
    [f] = _run(_ctx("tr63-2023-makine", {"indicators": [indicator]}))["FORM_INDICATOR_NOT_IN_LIST"]
    assert f.severity is Severity.REVIEW and "002:L376" in " ".join(f.refs)


# --- contact persons (003:L1389-1391) ----------------------------------------------------------

def test_003_needs_two_contact_persons():
    one = [{"name": "Ayşe Kaya", "phone": "0242 000 00 00"}]
    [f] = _run(_ctx("tr61-2023-imalat", {"contacts": one}))["FORM_CONTACTS_TOO_FEW"]
    assert f.severity is Severity.REVIEW and "1 irtibat" in f.message and "en az 2" in f.message
    two = [*one, {"name": "Mehmet Demir", "title": "Genel Müdür"}]   # an authorised person may be one (L1391)
    assert _run(_ctx("tr61-2023-imalat", {"contacts": two})) == {}
    assert _run(_ctx("tr63-2023-makine", {"contacts": one})) == {}  # 002 sets no number


# --- declarations ------------------------------------------------------------------------------

@pytest.mark.parametrize(("program_id", "key", "lines"), [
    ("tr52-2026-sogreen", "exclusions", "001:L478-497"),        # (a)-(h), Başvuru Sahibinin Beyanı
    ("tr61-2023-imalat", "exclusions", "003:L654-656"),         # (a)-(ğ), form section V
    ("tr61-2023-imalat", "not_started", "003:L774-775"),        # started before the contract
    ("tr61-2023-imalat", "no_other_public_funding", "L815-819"),
    ("tr63-2023-makine", "no_other_public_funding", "L550-551"),
    ("tr72-2023-ustd", "no_pre_contract", "000:L368"),          # "ön sözleşme yapamaz"
    ("tr72-2023-ustd", "not_started", "000:L370-372"),          # not before both contracts
])
def test_a_declaration_answered_no_rejects(program_id, key, lines):
    [f] = _run(_ctx(program_id, {"declarations": {key: False}}))["FORM_DECLARATION_NOT_MADE"]
    assert f.severity is Severity.REJECT and lines in " ".join(f.refs)
    assert load_profile(program_id).reasons_for({"FORM_DECLARATION_NOT_MADE"})


def test_declarations_made_pass_and_unanswered_ones_are_noted():
    ctx = _ctx("tr52-2026-sogreen", {"declarations": {"exclusions": True, "not_started": True}})
    assert _run(ctx) == {}
    [note] = [n for n in ctx.notes if "beyanlar" in n]
    assert "2025/9903" in note and "(a)'dan (h)'ye" not in note   # only the unanswered one
    # 004's page asks for no declaration
    assert _run(_ctx("kumelenme-2023", {"declarations": {"exclusions": False}})) == {}


# --- every budget line described in the form, with the budget's amount -------------------------

def test_budget_lines_described_with_equal_amounts_pass():
    """002 gecerli: 3.3.1 CNC 1.200.000,00 TL, 3.3.2 kompresör 800.000,00 TL."""
    form = {"budget_lines": [{"code": "3.3.1", "description": "CNC dik işleme merkezi alımı", "amount": "1200000.00"},
                             {"code": "3.3.2", "description": "Endüstriyel kompresör alımı"}]}
    assert _run(_ctx("tr63-2023-makine", form)) == {}


def test_an_undescribed_line_and_a_different_amount_go_to_review():
    """A line the form does not describe is removed at revision (002:L645-647); amounts that
    differ between budget and form 'başvurunun reddine yol açabilir' (002:L667): staff decide."""
    form = {"budget_lines": [{"code": "3.3.1", "description": "CNC dik işleme merkezi", "amount": "1150000.00"}]}
    found = _run(_ctx("tr63-2023-makine", form))
    [gap] = found["FORM_BUDGET_LINE_UNDESCRIBED"]
    assert gap.severity is Severity.REVIEW and gap.subject == "3.3.2"
    [diff] = found["FORM_BUDGET_AMOUNT_MISMATCH"]
    assert diff.severity is Severity.REVIEW and "1.200.000,00 TL" in diff.message and "1.150.000,00 TL" in diff.message
    # 003 (L933-934): the same rule from its own lines
    ctx = _ctx("tr61-2023-imalat", {"budget_lines": []})
    found = _run(ctx)
    assert len(found["FORM_BUDGET_LINE_UNDESCRIBED"]) == len(ctx.manifest.budget) > 0
    assert "003:L933-934" in " ".join(found["FORM_BUDGET_LINE_UNDESCRIBED"][0].refs)


# --- Turkish (001:L747, L870; 003:L976-979) ----------------------------------------------------

def test_the_turkish_test():
    assert looks_turkish(TURKISH) is True
    assert looks_turkish(TURKISH_ASCII) is True   # typed without Turkish letters: the function words remain
    # the guide's own prose (002:L1152)
    assert looks_turkish("Rehberin Başvuruların Değerlendirilmesi ve Sonuçlandırılması bölümünde Değerlendirme "
                         "Tablosu yer almaktadır. Bu tablodaki soruların yanıtları, Başvuru Sahibi tarafından Proje "
                         "Bilgisi bölümünde girilen bilgiler içinde aranacağından, Proje Bilgisi bölümüne veri girişi "
                         "yapılırken aşağıdaki hususlara değinilmesi büyük önem taşımaktadır.") is True
    assert looks_turkish(ENGLISH) is False
    assert looks_turkish(GERMAN) is False   # ü and ö are German letters too: not a sign of Turkish
    assert looks_turkish(FRENCH) is False   # "de", "en" are French words too: not counted
    assert looks_turkish("This text is too short to judge at all.") is None


def test_a_section_not_in_turkish_goes_to_review():
    found = _run(_ctx("tr52-2026-sogreen", {"sections": [{"id": "gerekce", "text": ENGLISH}]}))
    [f] = found["FORM_TEXT_NOT_TURKISH"]
    assert f.severity is Severity.REVIEW and f.certainty is Certainty.INFERRED
    assert "001:L747" in " ".join(f.refs)
    assert _run(_ctx("tr52-2026-sogreen", {"sections": [{"id": "gerekce", "text": TURKISH_ASCII}]})) == {}
    # a budget line's description is free text of the form too (003:L976-979)
    lines = [{"code": b["code"], "description": ENGLISH} for b in
             yaml.safe_load((SAMPLES / "tr61-2023-imalat/gecerli/basvuru.yaml").read_text())["budget"]]
    assert "FORM_TEXT_NOT_TURKISH" in _run(_ctx("tr61-2023-imalat", {"budget_lines": lines}))


# --- 001: taxonomy objectives (L538) and "not mainly solar/wind" (L580) ------------------------

def test_001_needs_at_least_one_taxonomy_objective():
    [f] = _run(_ctx("tr52-2026-sogreen", {"taxonomy_objectives": []}))["FORM_TAXONOMY_MISSING"]
    assert f.severity is Severity.REVIEW and "L538-545" in " ".join(f.refs)
    assert _run(_ctx("tr52-2026-sogreen", {"taxonomy_objectives": [1, 4]})) == {}
    with pytest.raises(UserError, match="en çok 6"):   # only six objectives exist (L540-545)
        _ctx("tr52-2026-sogreen", {"taxonomy_objectives": [7]})


def _budget(*lines: tuple[str, str, str]) -> list[dict]:
    return [{"code": c, "heading": h, "description": d, "amount": a, "proformas": [f"proforma-{i + 1}.pdf"]}
            for i, (c, h, d, a) in enumerate(lines)]


def test_001_a_project_mainly_on_solar_goes_to_review():
    """001:L580: half the budget on renewables is the cap and allowed (the gecerli sample: 1.800.000
    of 3.600.000); 1.900.000 of 3.600.000 (52,78 %) is 'ağırlıklı' renewable: staff judge."""
    assert _run(_ctx("tr52-2026-sogreen", None)) == {}
    budget = _budget(("1", "makine_ekipman", "Enerji verimli ergitme ocağı", "1700000.00"),
                     ("2", "yenilenebilir_enerji", "Çatı tipi güneş enerjisi santrali", "1900000.00"))
    [f] = _run(_ctx("tr52-2026-sogreen", None, budget=budget))["PROJECT_MAINLY_EXCLUDED_TOPIC"]
    assert f.severity is Severity.REVIEW and f.certainty is Certainty.INFERRED
    assert "%52,78" in f.message and "1.900.000,00 TL" in f.message


def test_001_training_and_durable_goods_count_toward_mainly():
    """Capacity training and durable consumer goods (L580) add up with the renewables."""
    budget = _budget(("1", "makine_ekipman", "Isı geri kazanım ünitesi", "1500000.00"),
                     ("2", "yenilenebilir_enerji", "Çatı tipi güneş enerjisi santrali", "1200000.00"),
                     ("3", "hizmet", "Enerji yönetimi kapasite geliştirme eğitimi", "900000.00"))
    [f] = _run(_ctx("tr52-2026-sogreen", None, budget=budget))["PROJECT_MAINLY_EXCLUDED_TOPIC"]
    assert "%58,33" in f.message and "2, 3" in f.message   # 2.100.000 of 3.600.000


# --- 004: at least 20 firms, in manufacturing (004:L9, L21) ------------------------------------

def _members(firms: int, nace: str | None = "28.22", others: int = 0, **kw: object) -> list[dict]:
    out = [{"name": f"Firma {i}", "kind": "firma", **({"nace": nace} if nace else {})} for i in range(firms)]
    out += [{"name": f"Üniversite {i}", "kind": "universite"} for i in range(others)]
    return out


def test_004_twenty_manufacturing_firms_pass():
    assert _run(_ctx("kumelenme-2023", {"cluster_members": _members(20, others=3)})) == {}


def test_004_nineteen_firms_reject_other_members_do_not_count():
    """'en az 20 firma' (004:L21); universities and chambers may join (L23-32) but are not firms."""
    [f] = _run(_ctx("kumelenme-2023", {"cluster_members": _members(19, others=6)}))["CLUSTER_TOO_FEW_FIRMS"]
    assert f.severity is Severity.REJECT and "19 firma" in f.message and "25 üyeden" in f.message
    assert [r.code for r in load_profile("kumelenme-2023").reasons_for({"CLUSTER_TOO_FEW_FIRMS"})] == ["K5"]


def test_004_a_cluster_of_traders_goes_to_review():
    """'imalat sektöründe faaliyet göstermelidir' (004:L9): 25 firms, 10 of them NACE 46 (wholesale)."""
    members = _members(15) + [{"name": f"Toptancı {i}", "kind": "firma", "nace": "46.69"} for i in range(10)]
    [f] = _run(_ctx("kumelenme-2023", {"cluster_members": members}))["CLUSTER_NOT_MANUFACTURING"]
    assert f.severity is Severity.REVIEW and "15 firma" in f.message


def test_004_members_without_nace_are_noted_not_judged():
    ctx = _ctx("kumelenme-2023", {"cluster_members": _members(22, nace=None)})
    assert _run(ctx) == {}
    assert any("NACE verilmemiş" in n for n in ctx.notes)


# --- the manifest section itself: strict and bounded -------------------------------------------

@pytest.mark.parametrize(("form", "message"), [
    ({"sections": [{"id": "gerekce", "text": "a", "chars": 1}]}, "ikisi birden"),
    ({"sections": [{"id": "ozet", "text": "a"}]}, "izin verilenler"),
    ({"sections": [{"id": "gerekce", "text": "a"}, {"id": "gerekce", "chars": 1}]}, "iki kez"),
    ({"indicators": [{"unit": "Adet"}]}, "kodu"),
    ({"partners": [{"name": "Ortak", "role": "yuklenici"}]}, "izin verilenler"),
    ({"cluster_members": [{"name": "A", "kind": "firma", "nace": "C28"}]}, "geçersiz değer"),
    ({"contacts": [{"name": f"Kişi {i}"} for i in range(51)]}, "en çok 50"),
    ({"sections": [{"id": "gerekce", "text": "a" * 50_001}]}, "en çok 50000"),
    ({"unknown": 1}, "bilinmeyen alan"),
])
def test_a_bad_form_section_is_a_clear_error(form, message):
    with pytest.raises(UserError, match=message) as exc:
        _ctx("tr63-2023-makine", form)
    assert "form" in str(exc.value)


# --- end to end: a package with a form section ------------------------------------------------

def test_a_valid_package_with_its_form_stays_valid_and_a_partner_rejects(tmp_path):
    """The tr63 valid sample with a full, valid form keeps its verdict and loses the 'not checked'
    note; the same package listing a partner is rejected with R03 (002:L441, L913)."""
    from verifiers.prescreen.run import prescreen_path

    form = {"partners": [], "sections": _sections(),
            "indicators": [{"code": "K18"}, {"code": "K62"}],
            "budget_lines": [{"code": "3.3.1", "description": "CNC dik işleme merkezi", "amount": "1200000.00"},
                             {"code": "3.3.2", "description": "Endüstriyel kompresör", "amount": "800000.00"}],
            "declarations": {"not_started": True, "no_other_public_funding": True}}
    verdicts = {}
    for name, partners in (("valid", []), ("partner", [{"name": "Ortak A.Ş.", "role": "ortak"}])):
        pkg = tmp_path / name
        shutil.copytree(SAMPLES / "tr63-2023-makine" / "gecerli", pkg)
        data = yaml.safe_load((pkg / "basvuru.yaml").read_text(encoding="utf-8"))
        data["form"] = {**form, "partners": partners}
        (pkg / "basvuru.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        a = prescreen_path(pkg, trust_dir=SAMPLES.parent / "trust")
        verdicts[name] = a
    valid = verdicts["valid"]
    assert str(valid.verdict) == "pass", [f.rule for f in valid.findings]
    assert not any("form:" in n or "Başvuru formu" in n for n in valid.notes)
    rejected = verdicts["partner"]
    assert str(rejected.verdict) == "reject"
    assert {f.rule for f in rejected.findings} >= {"FORM_PARTNERS_NOT_ALLOWED"}
