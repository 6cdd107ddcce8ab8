"""`evrak program show`: staff notes, conditional documents and computed windows (issue 16)."""

from __future__ import annotations

import json

from worker.cli import main


def test_show_json_carries_notes_conditions_and_timeline(capsys):
    assert main(["program", "show", "tr63-2023-makine", "--json", "--decided", "2023-04-03",
                 "--documents-received", "2023-04-14"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("faks/e-posta reddedilir" in n for n in data["notes"])
    assert {"kind": "yetki_karari", "ek": "Tablo 3 #6",
            "condition": "Yetki ana sözleşmeden veya yasal yapıdan gelmiyorsa (002:L826, L1276)"} in data["conditions"]
    assert data["windows"]["sign_business_days"] == 10
    assert data["timeline"] == {
        "result_notice": "2023-04-13T17:00:00+03:00",  # 002:L956, 10 days
        "notify": "2023-04-24T17:00:00+03:00",
        "sign": "2023-05-09T17:00:00+03:00",
        "sign_extended": "2023-05-22T17:00:00+03:00",
    }


def test_show_text_lists_the_notes(capsys):
    assert main(["program", "show", "tr61-2023-imalat"]) == 0
    out = capsys.readouterr().out
    assert "Not:" in out and "Koşullu belge" in out
