"""Checklist answers follow the profile's own reading of each item (issue 16).

A rule an item names answers it "Hayır" even at warning severity: the criterion is not met
although it leads to no rejection. Values are the guide's: 002 Tablo 3 #13 asks the proforma
total to equal its line (L833); 001 İdari 6 asks the budget within the limits (L875, above the
maximum a conditional pass); 002 Tablo 3 #3 with only the bank's receipt is "Eksik Belge".
"""

from __future__ import annotations

from datetime import date

from evrak.assessment import admit, evaluate
from evrak.findings import Finding
from evrak.profiles import load_profile


def _answers(program_id: str, *findings: Finding) -> dict[tuple[str, str], str]:
    program = load_profile(program_id)
    outcome = evaluate(program, admit(program, findings), as_of=date(2023, 3, 1))
    return {(a.checklist, a.item): a.answer for a in outcome.checklist}


def test_002_proforma_below_its_line_answers_13_no_but_does_not_reject():
    p = "tr63-2023-makine"
    below = Finding("PROFORMA_BELOW_LINE", "Kalem 1 proformadan yüksek; kalem düşürülür.", subject="1")
    answers = _answers(p, below)
    assert answers[("evrak", "13")] == "Hayır"
    program = load_profile(p)
    assert str(evaluate(program, admit(program, [below]), as_of=date(2023, 3, 1)).verdict) == "pass"
    assert _answers(p)[("evrak", "13")] == "Evet"


def test_001_budget_above_the_maximum_answers_idari_6_no():
    answers = _answers("tr52-2026-sogreen", Finding("AMOUNT_ABOVE_MAX", "Bütçe 8.000.000 TL, üst sınır 7.500.000 TL."))
    item = next(k for k, v in answers.items() if k[1] == "6" and v == "Hayır")
    assert item


def test_002_bank_receipt_only_answers_3_missing_document():
    pending = Finding("KUB_PENDING", "Bankanın başvuru alındı yazısı.", subject="kredi_uygunluk_belgesi")
    assert _answers("tr63-2023-makine", pending)[("evrak", "3")] == "Eksik Belge"
