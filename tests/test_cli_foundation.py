"""The foundation commands as a user runs them: real process, JSON shapes, one-line errors."""

import json
import subprocess
import sys

import pytest


def evrak(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "worker.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_program_show_json_deadlines():
    r = evrak("program", "show", "tr63-2023-makine", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["application_deadline"] == "2023-02-17T23:59:00+03:00"  # 002 L16
    assert data["taahhutname_deadline"] == "2023-02-24T17:00:00+03:00"  # 002 L20
    assert data["reference"] == "TR63/23/FKD/MAKİNE"


def test_programs_json_lists_all_seeds():
    r = evrak("programs", "--json")
    assert r.returncode == 0, r.stderr
    ids = {p["id"] for p in json.loads(r.stdout)}
    assert {"tr63-2023-makine", "tr52-2026-sogreen", "tr61-2023-imalat"} <= ids


def test_calendar_add():
    r = evrak("calendar", "add", "2023-08-29", "5")
    assert r.returncode == 0 and r.stdout.strip() == "2023-09-06"


def test_schedule_json_shape():
    r = evrak("schedule", "--program", "tr63-2023-makine", "--amount", "100000",
              "--anchor", "2023-06-15", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= {"program", "basis", "anchor", "installments", "total", "fees"}
    assert data["basis"] == "100000.00" and data["total"] == "100000.00"
    first = data["installments"][0]
    assert first == {"no": 1, "due_date": "2023-12-18", "amount": "5555.56", "remaining": "94444.44"}
    assert data["installments"][-1]["amount"] == "5555.48"
    assert data["fees"]["stamp_duty"] == "948.00"


def test_schedule_csv(tmp_path):
    out = tmp_path / "plan.csv"
    r = evrak("schedule", "--program", "tr61-2023-imalat", "--amount", "300000",
              "--anchor", "2023-08-31", "--csv", str(out))
    assert r.returncode == 0, r.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "no,due_date,amount,remaining" and len(rows) == 31
    assert rows[1] == "1,2024-03-01,10000.00,290000.00"


@pytest.mark.parametrize(("args", "words"), [
    (("schedule", "--program", "yok", "--amount", "1", "--anchor", "2023-01-01"), "bilinmeyen program"),
    (("schedule", "--program", "tr63-2023-makine", "--amount", "-5", "--anchor", "2023-01-01"), "pozitif"),
    (("schedule", "--program", "tr63-2023-makine", "--amount", "10", "--anchor", "2023-13-01"), "YYYY-AA-GG"),
    (("schedule", "--program", "tr63-2023-makine", "--amount", "on", "--anchor", "2023-01-01"), "tutar"),
    (("calendar", "add", "dün", "5"), "YYYY-AA-GG"),
    (("program", "show", "yok"), "bilinmeyen program"),
])
def test_bad_arguments_one_line_exit_2(args, words):
    r = evrak(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


def test_schedule_xlsx(tmp_path):
    import openpyxl

    out = tmp_path / "plan.xlsx"
    r = evrak("schedule", "--program", "tr63-2023-makine", "--amount", "1000000", "--anchor", "2023-06-15",
              "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    body = [row for row in rows if isinstance(row[0], int)]
    assert len(body) == 18
    assert body[6][1].date().isoformat() == "2024-06-20"  # Kurban Bayramı shift (D13)
    assert str(body[-1][2]) in ("55555.48", "55555.480")
