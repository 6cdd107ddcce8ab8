"""Build the sample KAYS exports in samples/kays/ (XLSX and CSV, same rows).

Reproducible (fixed seed, fixed dates), so tests and demos can rely on the content. Money
cells in the XLSX are numbers, as KAYS exports them; the CSV writes them as Turkish text
("2.100.000,00"). Two rows are bad on purpose (invalid VKN; missing amount), to show how
a batch reports them in errors.csv without stopping.

Run:  .venv/bin/python scripts/build_kays_samples.py [--rows N] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from stdnum.tr import tckimlik, vkn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.render import normalize_docx  # noqa: E402
from evrak.money import format_number  # noqa: E402

HEADERS = ["Başvuru No", "Başvuru Sahibi", "VKN", "Adres", "İl", "Proje Adı", "Kredi Tutarı",
           "Eş Finansman Tutarı", "Toplam Bütçe", "Sözleşme Tarihi", "Yetkili", "Yetkili TCKN"]
FIRMS = ["Örnek Makina", "Asi Döküm", "Çukurova Hidrolik", "İskenderun Çelik Konstrüksiyon",
         "Ağır Sanayi Şanlı", "Gülşen Otomasyon", "Öztürk Tarım Makineleri", "Işık CNC"]
SUFFIX = ["San. ve Tic. A.Ş.", "Ltd. Şti.", "Makina İmalat A.Ş."]
PEOPLE = ["Ayşe Yılmaz", "İbrahim Işık", "Çağrı Öztürk", "Şükrü Güneş", "Gülizar Çelik", "Ömer Doğan"]
PROVINCES = {"Hatay": ["Antakya", "İskenderun"], "Kahramanmaraş": ["Onikişubat"], "Osmaniye": ["Merkez"]}
PROJECTS = ["CNC ile hassas işleme kapasitesinin artırılması", "Hidrolik pres hattı modernizasyonu",
            "Robotik kaynak hücresi kurulumu", "Enerji verimli boya fırını"]


def make_vkn(rng: random.Random) -> str:
    base = f"{rng.randrange(10**8, 10**9):09d}"
    return base + vkn.calc_check_digit(base)


def make_tckn(rng: random.Random) -> str:
    base = f"{rng.randrange(10**8, 10**9):09d}"
    return base + tckimlik.calc_check_digits(base)


def rows(n: int, seed: int = 63) -> list[list[object]]:
    rng = random.Random(seed)
    out: list[list[object]] = []
    for i in range(1, n + 1):
        province = rng.choice(list(PROVINCES))
        credit = Decimal(rng.randrange(300, 2100)) * 1000 + Decimal(rng.randrange(0, 100)) / 100
        # credit is 70 % of the budget at most (seed 002): co-financing at least 30 %
        total = (credit / Decimal("0.7")).quantize(Decimal("0.01"))
        co = total - credit
        out.append([
            f"TR63/23/FKD/MAKINE-{i:04d}",
            f"{rng.choice(FIRMS)} {rng.choice(SUFFIX)}",
            make_vkn(rng),
            f"{rng.choice(['Sanayi', 'Organize Sanayi', 'Cumhuriyet'])} Mah. {rng.randrange(1, 99)}. Sok. "
            f"No:{rng.randrange(1, 200)} {rng.choice(PROVINCES[province])}/{province}",
            province,
            rng.choice(PROJECTS),
            credit, co, total,
            date(2023, 5, 2) + timedelta(days=rng.randrange(0, 20)),
            rng.choice(PEOPLE),
            make_tckn(rng),
        ])
    if n >= 5:
        out[2][2] = "1234567891"  # bad VKN checksum
        out[4][6] = None  # missing amount
    return out


def write_xlsx(data: list[list[object]], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Başvurular")
    ws.append(HEADERS)
    for r in data:
        # KAYS writes numbers; openpyxl writes a Decimal with its own digits (no float).
        ws.append(r)
    wb.properties.creator = "KAYS"
    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(2023, 5, 1)
    import io

    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalize_docx(buf.getvalue()))


def write_csv(data: list[list[object]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADERS)
        for r in data:
            w.writerow([
                format_number(v) if isinstance(v, Decimal) else
                v.strftime("%d.%m.%Y") if isinstance(v, date) else ("" if v is None else v)
                for v in r
            ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "samples" / "kays"))
    ap.add_argument("--name", default="kays-export-tr63")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = rows(args.rows)
    write_xlsx(data, out / f"{args.name}.xlsx")
    write_csv(data, out / f"{args.name}.csv")
    print(out / f"{args.name}.xlsx")
    print(out / f"{args.name}.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
