"""DOCX rendering: every kind for every program, values checked against hand-computed ones."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from docgen.check import HOSTILE, check_all, check_template, docx_text, hostile_program
from docgen.context import KINDS, Missing, Reason, applies, build_context
from docgen.render import render_document, resolve_template
from docgen.xlsx import schedule_workbook
from evrak.errors import UserError
from evrak.profiles import load_programs


def _render(kind, program, app, tmp_path, **kw):
    ctx = build_context(kind, program, app, doc_date=kw.pop("doc_date", date(2023, 4, 10)), **kw)
    r = render_document(kind, ctx, tmp_path)
    return docx_text(r.docx.read_bytes()), r


@pytest.mark.parametrize("program_id", sorted(load_programs()))
def test_every_kind_renders_for_every_program(program_id, app_tr63, tmp_path):
    program = load_programs()[program_id]
    app_tr63.program_id = program_id
    rendered = 0
    for kind in KINDS:
        if not applies(kind, program):
            continue
        kw = {}
        if kind == "sonuc_yazisi":
            kw = {"result": "rejected", "reasons": [Reason(r.code, ["olgu"]) for r in program.rejection_reasons[:1]]}
            if not program.rejection_reasons:
                kw = {"result": "reserve"}
        if kind == "eksik_evrak_yazisi":
            kw = {"missing": [Missing(d.kind) for d in program.documents[:1]]}
        text, _ = _render(kind, program, app_tr63, tmp_path, **kw)
        assert "Örnek Makina Sanayi ve Ticaret A.Ş." in text
        assert "TR63/23/FKD/MAKINE-0042" in text
        rendered += 1
    expected = sum(applies(k, program) for k in KINDS)
    assert rendered == expected
    if program.instrument in ("faizsiz_kredi", "geri_odemeli_finansman"):
        assert expected == 7  # credit programs have every kind


def test_contract_amounts_dates_schedule_fees(tr63, app_tr63, tmp_path):
    text, r = _render("destek_sozlesmesi", tr63, app_tr63, tmp_path)
    assert r.template.name == "destek_sozlesmesi__faizsiz_kredi.docx"
    assert "2.100.000,00 TL (yalnız iki milyon yüz bin Türk lirası sıfır kuruş)" in text
    assert "900.000,00 TL (yalnız dokuz yüz bin Türk lirası sıfır kuruş)" in text
    assert "3.000.000,00 TL (yalnız üç milyon Türk lirası sıfır kuruş)" in text
    assert "oranı %70 olarak" in text
    # signed 2 May 2023: implementation starts the next day and runs 6 months
    assert "3 Mayıs 2023 tarihinde başlar ve 6 ay sürerek 2 Kasım 2023 tarihinde sona erer" in text
    assert "Türkiye Vakıflar Bankası T.A.O." in text  # the intermediary bank is a party
    assert "10 gün içinde defaten aktarılır" in text and "izleyen 7 gün süresince bloke" in text
    # provisional anchor: transfer at the latest, 2 May + 10 days = 12 May 2023
    assert "12 Mayıs 2023 başlangıç tarihi" in text
    # first due: the day after 12 Nov 2023 = 13.11.2023 (Monday); 2.100.000 / 18 = 116.666,67
    assert "1\n13.11.2023\n116.666,67\n1.983.333,33" in text
    # last: 13 Apr 2025 is a Sunday -> 14.04.2025; remainder 2.100.000 - 17 x 116.666,67 = 116.666,61
    assert "18\n14.04.2025\n116.666,61\n0,00" in text
    # fees (D16): 4 per mille a year over 24 months on the credit, BSMV 5 %, stamp duty 9,48 per mille
    assert "Aracı kurum komisyonu\n%0,8\n2.100.000,00\n16.800,00" in text
    assert "BSMV (komisyon üzerinden)\n%5\n16.800,00\n840,00" in text
    assert "Damga vergisi\n%0,948\n2.100.000,00\n19.908,00" in text
    assert "Ayşe Yılmaz\n17937512094\nYönetim Kurulu Başkanı" in text


def test_accepted_letter_deadline_counts_bayram(tr63, app_tr63, tmp_path):
    # announced Mon 10.04.2023; 15 business days; 21 Apr (Ramazan Bayramı) and 1 May are
    # holidays, 20 Apr (arife, half day) counts (D2) -> 3 May 2023 17:00
    text, r = _render("sonuc_yazisi", tr63, app_tr63, tmp_path, result="accepted")
    assert r.template.name == "sonuc_yazisi__accepted.docx"
    assert "15 iş günü içinde, en geç 3 Mayıs 2023 saat 17:00 tarihine kadar" in text
    assert "desteklenmesine karar verilen" in text


def test_reserve_letter(tr63, app_tr63, tmp_path):
    text, _ = _render("sonuc_yazisi", tr63, app_tr63, tmp_path, result="reserve")
    assert "yedek listede" in text


def test_rejection_cites_only_the_closed_list(tr63, app_tr63, tmp_path):
    r05 = next(r for r in tr63.rejection_reasons if r.code == "R05")
    fact = "3.3.1 kaleminin proforma toplamı 1.900.000,00 TL, bütçe kalemi 1.800.000,00 TL"
    text, _ = _render("sonuc_yazisi", tr63, app_tr63, tmp_path, result="rejected",
                      reasons=[Reason("R05", [fact])])
    assert r05.text in text and "(R05)" in text
    assert "– " + fact in text
    assert "R01" not in text
    with pytest.raises(UserError, match="R99"):
        build_context("sonuc_yazisi", tr63, app_tr63, doc_date=date(2023, 4, 10), result="rejected",
                      reasons=[Reason("R99")])


def test_deficiency_letter_deadline(tr63, app_tr63, tmp_path):
    # notified Mon 10.04.2023, 5 business days (D30) -> Mon 17.04.2023 17:00
    text, _ = _render("eksik_evrak_yazisi", tr63, app_tr63, tmp_path,
                      missing=[Missing("kobi_beyannamesi", "sunulmamıştır"), Missing("EK H", "imzasız")])
    assert "en geç 17 Nisan 2023 saat 17:00 tarihine kadar" in text
    assert "EK H\nEş Finansman Taahhütnamesi" in text or "EK H" in text
    assert "imzasız" in text and "sunulmamıştır" in text


def test_program_override_wins(tr63, app_tr63, tmp_path):
    text, r = _render("es_finansman_taahhutnamesi", tr63, app_tr63, tmp_path)
    assert r.template.parent.name == "tr63-2023-makine"
    assert "EK H" in text
    assert "en az %30 oranındaki" in text
    other = load_programs()["tr61-2023-imalat"]
    assert resolve_template("es_finansman_taahhutnamesi", other.id, None).parent.name == "templates"


def test_docx_is_byte_stable(tr63, app_tr63, tmp_path):
    _, a = _render("destek_sozlesmesi", tr63, app_tr63, tmp_path / "a")
    _, b = _render("destek_sozlesmesi", tr63, app_tr63, tmp_path / "b")
    assert a.docx.read_bytes() == b.docx.read_bytes()


def test_schedule_xlsx_numbers_and_dates(tr63, app_tr63):
    ctx = build_context("geri_odeme_plani", tr63, app_tr63, doc_date=date(2023, 4, 10))
    ws = openpyxl.load_workbook(io.BytesIO(schedule_workbook(ctx))).active
    rows = list(ws.iter_rows(values_only=False))
    first = next(r for r in rows if r[0].value == 1)
    assert first[1].is_date and first[1].value.date() == date(2023, 11, 13)
    assert first[2].data_type == "n" and Decimal(str(first[2].value)) == Decimal("116666.67")
    assert first[2].number_format == '#,##0.00" TL"'
    total = next(r for r in rows if r[0].value == "Toplam")
    assert Decimal(str(total[2].value)) == Decimal("2100000.00")


@pytest.mark.slow
def test_templates_check_passes_and_catches_a_broken_template(tr63, tmp_path):
    assert [r.problems for r in check_all() if r.problems] == []
    broken = tmp_path / "taahhutname.docx"
    doc = Document()
    doc.add_paragraph("{{ applicant.name ")  # Word split the tag
    doc.save(broken)
    res = check_template(broken, "taahhutname", hostile_program(tr63))
    assert res.problems and "işlenemedi" in res.problems[0]
    dropped = tmp_path / "eksik.docx"
    doc = Document()
    doc.add_paragraph("{{ applicant.tax_id }}")  # the application number is never printed
    doc.save(dropped)
    res = check_template(dropped, "taahhutname", hostile_program(tr63))
    assert any("kayboldu" in p for p in res.problems)


def test_hostile_values_survive_exactly(tr63, app_tr63, tmp_path):
    app_tr63.applicant_name = HOSTILE
    app_tr63.project_title = "A & B <script> \"x\" 'y'"
    text, _ = _render("destek_sozlesmesi", tr63, app_tr63, tmp_path)
    assert HOSTILE in text and "A & B <script> \"x\" 'y'" in text


def test_sandbox_blocks_python_internals(tr63, app_tr63, tmp_path):
    from jinja2.exceptions import SecurityError

    from docgen.env import get_env

    with pytest.raises(SecurityError):
        get_env().from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()
    from jinja2.exceptions import UndefinedError

    with pytest.raises(UndefinedError):
        get_env().from_string("{{ nope }}").render()


def test_kind_not_for_grant_program(tr63):
    grant = tr63.model_copy(update={"instrument": "teknik_destek", "repayment": None})
    assert not applies("geri_odeme_plani", grant)
    assert not applies("destek_sozlesmesi", grant)
    assert applies("sonuc_yazisi", grant)


def test_cli_render_errors_are_one_line(tmp_path, capsys):
    from worker.cli import main

    (tmp_path / "basvuru.yaml").write_text(
        "program: tr63-2023-makine\napplication_no: X-1\nsubmitted_at: 2023-02-15T14:32:00+03:00\n"
        "applicant: {name: Örnek, vkn: '8084759118', province: Hatay}\n"
        "project: {title: P, province: Hatay}\nfinancing: {credit: '2100000.00', co_financing: '900000.00'}\n",
        encoding="utf-8")
    code = main(["render", "sonuc_yazisi", "--application", str(tmp_path / "basvuru.yaml"), "--out",
                 str(tmp_path / "o"), "--result", "rejected", "--reasons", "R99", "--date", "2023-04-10"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "R99" in err
    code = main(["render", "taahhutname", "--application", str(tmp_path / "basvuru.yaml"), "--out",
                 str(tmp_path / "o"), "--date", "2023-04-10", "--signer", "Ayşe Yılmaz:17937512094:Müdür"])
    assert code == 0
    text = docx_text(Path(tmp_path / "o" / "taahhutname_x-1.docx").read_bytes())
    assert "2.100.000,00 TL (yalnız iki milyon yüz bin Türk lirası sıfır kuruş)" in text
    assert "Ayşe Yılmaz\n17937512094\nMüdür" in text
