"""Contracts and result letters say what each programme's own guide says (issue 16).

Each expectation is read off the guide lines named beside it; the rendered DOCX text is read
back, so a template that drops or mixes clauses fails here.
"""

from __future__ import annotations

from datetime import date

import pytest

from docgen.check import docx_text
from docgen.context import Reason, build_context
from docgen.render import render_document
from evrak.profiles import load_profile


def _text(kind: str, program_id: str, app, tmp_path, **kw) -> str:
    program = load_profile(program_id)
    app.program_id = program_id
    ctx = build_context(kind, program, app, doc_date=date(2027, 3, 10), **kw)
    return " ".join(docx_text(render_document(kind, ctx, tmp_path).docx.read_bytes()).split())


def test_001_contract_pays_bimonthly_to_the_seller(app_tr63, tmp_path):
    text = _text("destek_sozlesmesi", "tr52-2026-sogreen", app_tr63, tmp_path)
    # 001:L975: bi-monthly on request, in the even months
    assert "ikişer aylık dönemler halinde (Şubat, Nisan, Haziran, Ağustos, Ekim, Aralık aylarında)" in text
    # 001:L981: the bank pays the seller within 3 business days
    assert "en fazla 3 (üç) iş günü içinde" in text
    assert "satıcının (yüklenicinin) hesabına aktarılır" in text
    # 001:L989: the branch notifies the Agency of a late instalment
    assert "derhal Ajansa yazılı olarak bildirir" in text
    # 001:L992: records 10 years; 001:L442: asset lock 3 years, indemnity twice the support
    assert "en az 10 (on) yıl süreyle" in text
    assert "3 (üç) yıl süreyle üçüncü kişi lehine" in text
    assert "destek miktarının 2 (iki) katı tutarında Ajansa tazminat öder" in text
    # none of the 002/003 clauses
    assert "defaten" not in text
    assert "ek hesap faizi" not in text
    assert "5 (beş) iş günü önce" not in text
    assert "kredi borcu sona ermeden" not in text


def test_003_contract_keeps_records_five_years_and_locks_assets(app_tr63, tmp_path):
    text = _text("destek_sozlesmesi", "tr61-2023-imalat", app_tr63, tmp_path)
    assert "en az 5 (beş) yıl süreyle" in text  # 003:L2002-2003
    assert "10 (on) yıl" not in text
    assert "3 (üç) yıl süreyle üçüncü kişi lehine" in text  # 003:L2026-2030
    assert "destek miktarının 2 (iki) katı" in text
    assert "10 iş günü içinde defaten aktarılır" in text  # 003:L1952-1954
    assert "5 (beş) iş günü önce" in text  # 003:L1964-1966
    assert "ek hesap faizi" in text  # 003:L1986-1990
    assert "destek tutarının %5’inden az olmamak" in text  # 003:L1747 footnote 8


def test_002_contract_unchanged_in_substance(app_tr63, tmp_path):
    text = _text("destek_sozlesmesi", "tr63-2023-makine", app_tr63, tmp_path)
    assert "10 gün içinde defaten aktarılır" in text  # 002:L978
    assert "en az 10 (on) yıl süreyle" in text  # 002:L1017
    assert "kredi borcu sona ermeden" in text  # 002:L997
    assert "tazminat" not in text
    assert "7 gün süresince bloke" in text  # 002:L978, L1056
    assert "en az 5 (beş) iş günü önce" in text  # 002:L980
    assert "ek hesap faizi" in text  # 002:L987
    assert "45 gün içinde" in text  # 002:L1066
    assert "otuz iş gününü geçmemek" in text and "beş yıl süreyle" in text  # suspension, bar
    assert "3 (üç) yıllık denetim süresi" in text  # visibility
    assert "azami tutarı aşamaz" in text  # never above the contract maximum
    assert "Yerli Malı Taahhüdü" not in text  # 002 has no such penalty


@pytest.mark.parametrize("program_id", ["tr63-2023-makine", "tr61-2023-imalat", "tr52-2026-sogreen"])
def test_rejection_letter_is_final_and_names_the_stage(program_id, app_tr63, tmp_path):
    program = load_profile(program_id)
    reason = program.rejection_reasons[0]
    text = _text("sonuc_yazisi", program_id, app_tr63, tmp_path, result="rejected",
                 reasons=[Reason(reason.code, ["olgu"])])
    assert "kararı nihaidir" in text  # 002:L925, 003:L1878, 001:L955
    assert "ön inceleme aşamasında başarısız bulunmuş" in text  # 001:L953
    assert "()" not in text  # 003 has no reference number: no empty parentheses


def test_letter_of_a_programme_without_reference_has_no_empty_parentheses(app_tr63, tmp_path):
    program = load_profile("tr61-2023-imalat")
    assert program.reference == ""
    text = _text("sonuc_yazisi", "tr61-2023-imalat", app_tr63, tmp_path, result="reserve")
    assert f"{program.name} kapsamında" in text
    assert "()" not in text
