"""İmza sirküleri as notaries write them (our own wordings, not the docfactory templates): the
representation clause before, after or among the persons, groups, limits and durations."""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from stdnum.tr import tckimlik

from evrak.facts import SigningMode
from verifiers.circular import read_circular
from verifiers.fields import Doc
from verifiers.text import read_pdf

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _tckn(rng: random.Random) -> str:
    base = f"{rng.randint(1, 9)}{rng.randint(0, 99999999):08d}"
    return base + tckimlik.calc_check_digits(base)


def _read(lines: list[str], tmp_path: Path):
    if "W-Sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("W-Sans", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("W-Sans", 9)
    y = 800
    for ln in lines:
        c.drawString(40, y, ln)
        y -= 15
    c.save()
    p = tmp_path / "sirkuler.pdf"
    p.write_bytes(buf.getvalue())
    text = read_pdf(p)
    return read_circular(Doc(p.name, text.pages, source=p))


def _ids(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [_tckn(rng) for _ in range(n)]


def test_clause_after_the_person_list_is_read_for_everyone(tmp_path):
    a, b, c = _ids(3)
    circ, findings = _read([
        "T.C. ANKARA 14. NOTERLİĞİ",
        "İMZA SİRKÜLERİ",
        "Yevmiye No: 08812",
        "BOZKIR TARIM ÜRÜNLERİ SANAYİ VE TİCARET ANONİM ŞİRKETİ  Vergi No: 1234567890",
        f"1- Ali Rıza KARA  T.C. Kimlik No: {a}  Yönetim Kurulu Başkanı",
        f"2- Elif ŞAHİN  T.C. Kimlik No: {b}  Yönetim Kurulu Üyesi",
        f"3- Hasan DEMİR  T.C. Kimlik No: {c}  Genel Müdür",
        "Yukarıda isimleri yazılı kişiler şirketi 1 Mart 2025 tarihine kadar münferiden imzaları ile",
        "her hususta temsil ve ilzama yetkilidir.",
        "Yukarıdaki imzaların adı geçenlere ait olduğunu onaylarım. 4 Mart 2022",
    ], tmp_path)
    assert [p.name for p in circ.persons] == ["Ali Rıza KARA", "Elif ŞAHİN", "Hasan DEMİR"]
    assert [p.mode for p in circ.persons] == [SigningMode.ALONE] * 3
    assert [p.valid_until for p in circ.persons] == [date(2025, 3, 1)] * 3
    assert circ.issued_on == date(2022, 3, 4)
    assert not [f for f in findings if "temsil şekli" in f.message]


def test_clause_before_the_persons_at_least_two_for_three_years(tmp_path):
    a, b, c = _ids(3, seed=8)
    circ, findings = _read([
        "İMZA SİRKÜLERİ",
        "İzmir 5. Noterliği  Tarih: 10.01.2024  Yevmiye: 1201",
        "Ege Kalıp Sanayi Ltd. Şti. (VKN 1234567890) şirketini aşağıda isimleri yazılı kişilerden en az",
        "ikisinin müşterek imzası ile 10.01.2024 tarihinden itibaren 3 yıl süre ile temsile yetkilidir.",
        f"Canan YURT ({a}) Şirket Müdürü",
        f"Okan ER ({b}) Şirket Müdürü",
        f"Selin AK ({c}) Şirket Ortağı",
    ], tmp_path)
    assert [p.mode for p in circ.persons] == [SigningMode.JOINT] * 3
    assert all(p.min_signers == 2 and p.term == "3 yıl" for p in circ.persons)
    assert all(p.valid_from == date(2024, 1, 10) and p.valid_until == date(2027, 1, 10) for p in circ.persons)
    assert circ.issued_on == date(2024, 1, 10)
    assert not [f for f in findings if "temsil şekli" in f.message]


def test_groups_with_limit_and_joint_across_groups(tmp_path):
    a, b, c = _ids(3, seed=9)
    circ, _ = _read([
        "İMZA SİRKÜLERİ — Bursa 2. Noterliği, 05 MART 2024",
        "MARMARA OTOMOTİV YAN SANAYİ A.Ş.",
        "A Grubu İmza Yetkilileri:",
        f"Kemal TAŞ T.C. {a} Yönetim Kurulu Başkanı",
        f"Derya KOÇ T.C. {b} Yönetim Kurulu Başkan Yardımcısı",
        "B Grubu İmza Yetkilileri:",
        f"Murat ÇINAR T.C. {c} Genel Müdür Yardımcısı",
        "A grubu yetkililer her biri tek başına 250.000,00 TL'ye kadar şirketi temsile yetkilidir.",
        "B grubu yetkilisi ancak A grubu yetkililerinden biri ile birlikte müştereken imza ile yetkilidir.",
        "Yetkiler yeni bir karar alınıncaya kadar geçerlidir.",
    ], tmp_path)
    kemal, derya, murat = circ.persons
    assert (kemal.group, derya.group, murat.group) == ("A", "A", "B")
    assert kemal.mode == derya.mode == SigningMode.ALONE
    assert kemal.limit == derya.limit == Decimal("250000.00")
    assert murat.mode == SigningMode.JOINT and murat.joint_with == ["A grubu"]


def test_named_pair_joint_and_one_alone(tmp_path):
    a, b, c = _ids(3, seed=10)
    circ, _ = _read([
        "İMZA SİRKÜLERİ  Konya 3. Noterliği  12/02/2025",
        "Selçuk Un Sanayi Ltd. Şti. adına Zafer ONAR (T.C. Kimlik No: " + a + ") münferiden;",
        "Berk SAYGI (T.C. Kimlik No: " + b + ") ile Nur ALTAN (T.C. Kimlik No: " + c + ")",
        "müştereken imza ile şirketi temsil ve ilzama yetkilidir.",
    ], tmp_path)
    zafer, berk, nur = circ.persons
    assert zafer.mode == SigningMode.ALONE
    assert berk.mode == nur.mode == SigningMode.JOINT
    assert berk.joint_with == ["Nur ALTAN"] and nur.joint_with == ["Berk SAYGI"]


def test_no_clause_is_unknown_not_joint(tmp_path):
    (a,) = _ids(1, seed=11)
    circ, findings = _read([
        "İMZA SİRKÜLERİ  Adana 1. Noterliği  3 Nisan 2024",
        "Çukurova Pamuk Sanayi A.Ş. adına",
        f"Yusuf ARSLAN (T.C. Kimlik No: {a}) Yönetim Kurulu Başkanı imza örneğini vermiştir.",
    ], tmp_path)
    assert circ.persons[0].mode == SigningMode.UNKNOWN
    unread = [f for f in findings if "temsil şekli" in f.message]
    assert unread and str(unread[0].certainty) == "unread" and str(unread[0].severity) == "review"
