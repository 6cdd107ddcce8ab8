"""The foundation commands as a user runs them: real process, JSON shapes, one-line errors."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # every test here starts a real `evrak` process


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
    # oversized numbers: one line naming the argument, not an overflow (issue 17 item 6)
    (("calendar", "add", "2023-08-29", "99999999999999999999"), "arasında olmalı"),
    (("calendar", "add", "2023-08-29", "9" * 5000), "tam sayı"),
    (("schedule", "--program", "tr63-2023-makine", "--amount", "9" * 5000, "--anchor", "2023-01-01"), "çok uzun"),
    (("schedule", "--program", "tr63-2023-makine", "--amount", "9" * 30, "--anchor", "2023-01-01"), "çok büyük"),
    # usage mistakes caught by argparse: the same one Turkish line
    (("schedule", "--program", "tr63-2023-makine"), "şu argümanlar gerekli: --amount, --anchor"),
    (("yok",), "geçersiz seçim: 'yok'"),
    (("programs", "--fazla"), "tanınmayan argümanlar: --fazla"),
])
def test_bad_arguments_one_line_exit_2(args, words):
    r = evrak(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]
    assert len(lines[0]) < 700  # a huge argument is not echoed whole


def test_closed_output_pipe_ends_quietly():
    """`evrak ... --json | head -1`: the reader is gone; no BrokenPipeError, no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that has already left: every write fails with EPIPE
    try:
        r = subprocess.run([sys.executable, "-m", "worker.cli", "programs", "--json"], stdout=write_end,
                           stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert r.stderr == ""
    assert r.returncode == 141


def test_markup_in_application_number_is_printed_as_text(tmp_path):
    """An application number with Rich markup is shown as written, never interpreted or fatal."""
    from tests.test_manifest import GOOD

    pkg = tmp_path / "paket"
    pkg.mkdir()
    number = "TR63-0042[/red][link=http://x.test]tık[/link][bold]"
    (pkg / "basvuru.yaml").write_text(GOOD.replace("TR63/23/FKD/MAKINE-0042", f'"{number}"'), encoding="utf-8")
    r = evrak("prescreen", str(pkg), "--no-pdf", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert number in r.stdout
    assert "\x1b]8;" not in r.stdout  # no terminal hyperlink escape


def test_corrupt_zip_package_exits_2(tmp_path):
    z = tmp_path / "paket.zip"
    z.write_bytes(b"PK\x03\x04" + b"\x00" * 26 + b"junk" * 10)
    r = evrak("prescreen", str(z), "--no-pdf", "--out", str(tmp_path / "out"))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "paket.zip" in lines[0] and "Traceback" not in r.stderr


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
