"""Identifiers on scans (issue 11): OCR look-alikes repaired only where the checksum or the
shape leaves exactly one reading; everything else unread, never guessed."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from verifiers.fields import Doc
from verifiers.idread import (
    fuzzy_label,
    id_label_near,
    read_gib_number,
    read_tax_ids,
    repair_ettn,
    repair_iban,
    repair_ids_in_place,
    repair_tax_id,
)
from verifiers.ocr import OcrResult, Word
from verifiers.ocr_columns import _Line, broken_bands, merge_rows, reread_broken_bands
from verifiers.parties import read_parties
from verifiers.proforma import read_proforma
from verifiers.text import Page

VKN = "8736132663"  # valid
TCKN = "95283659748"  # valid


def test_look_alike_letters_in_a_tax_id_are_read_through_the_checksum():
    assert repair_tax_id("8736l32663") == VKN  # l for 1
    assert repair_tax_id("B736132663") == VKN  # B is 8 or 3: only 8 passes
    assert repair_tax_id("87361 32663") == VKN  # a space inside
    assert repair_tax_id("9S283659748") == TCKN  # S for 5
    assert repair_tax_id("8736132668") is None  # a digit misread as a digit: never "corrected"
    assert repair_tax_id("87361326XY") is None  # not a look-alike


def test_tax_ids_on_ocr_text_are_certain_or_unread():
    assert read_tax_ids(f"VKN: {VKN} Düzenleme Tarihi", True) == [(VKN, 5, 15, True)]
    assert read_tax_ids("VKN: 8736l32663", True)[0][::3] == (VKN, True)
    assert read_tax_ids(f"VKN: {VKN} 12", True)[0][::3] == (VKN, True)  # a stray group after it
    assert read_tax_ids("VKN: 8736132668", True)[0][::3] == ("8736132668", False)  # there, but unread
    # a text layer is taken as written (an invalid number is the document's, and a finding)
    assert read_tax_ids("VKN: 8736132668", False) == [("8736132668", 5, 15, True)]
    assert read_tax_ids("VKN: 8736l32663", False) == []


def test_a_phone_number_is_not_a_tax_id_by_itself():
    (_number, _s, _e, certain), = read_tax_ids("Tel: 0289 856 19 69", True)
    assert not certain  # 11 digits from 0: no TCKN
    assert id_label_near("tel: 0289 856 19 69", 5) is None


def test_garbled_identifier_labels_are_matched_one_edit_away_but_not_real_words():
    assert fuzzy_label("vwkn") == "vkn"
    assert fuzzy_label("tckm") == "tckn"
    assert fuzzy_label("ettin") == "ettn"
    assert fuzzy_label("vergl") == "vergi"
    assert fuzzy_label("mersin") is None  # the city, not MERSİS
    assert fuzzy_label("tarih") is None
    assert id_label_near("alici vwkn : 5555621590", 14) == "vkn"
    assert id_label_near("t.c. kimlik no: 95283659748", 16) == "kimlik"


def test_ids_repaired_in_place_keep_offsets():
    text = "Ahmet Yılmaz 9528365974B Müdür"
    assert repair_ids_in_place(text) == f"Ahmet Yılmaz {TCKN} Müdür"
    assert repair_ids_in_place("Ahmet 95283659740") == "Ahmet 95283659740"  # digits only: left alone


def test_iban_mod97_repair():
    good = "TR330006100519786457841326"
    assert repair_iban("TR33 0006 1005 1978 6457 8413 26") == good
    assert repair_iban("TR33 OOO6 1005 1978 6457 8413 26") == good
    assert repair_iban("TR33 0006 1005 1978 6457 8413 27") is None


def test_gib_invoice_number_shape():
    assert read_gib_number("SAK2O24016955891", True, 2024) == ("SAK2024016955891", True)  # O in the year
    assert read_gib_number("SAK2024O1695589l", True) == ("SAK2024016955891", True)
    assert read_gib_number("SAK2024O1695S891", True) == (None, False)  # S is 5 or 8: not one digit
    # the prefix is free (OR1 and G02 exist): a letter/digit mix of look-alikes is uncertain
    assert read_gib_number("0ST2023041619517", True, 2023) == ("0ST2023041619517", False)
    assert read_gib_number("IK12024029782946", True) == ("IK12024029782946", False)
    assert read_gib_number("OR12024029782946", False) == ("OR12024029782946", True)  # text layer: as written
    assert read_gib_number("SAK2034016055891", True, 2024) == (None, False)  # the year is not the date's
    assert read_gib_number("SAK2024B16955891", True) == (None, False)  # B is 8 or 3: not one digit


def test_ettn_hex_repair():
    assert repair_ettn("bla1e271-5db2-4e78-a605-5cf84d2af748") == "b1a1e271-5db2-4e78-a605-5cf84d2af748"
    assert repair_ettn("9055DF1D - 08d0-4f34-ae68-0c3e9ef99441") == "9055df1d-08d0-4f34-ae68-0c3e9ef99441"
    assert repair_ettn("9055xf1d-08d0-4f34-ae68-0c3e9ef99441") is None


def _ocr_page(lines: list[list[tuple[str, int]]], width: int = 2400) -> Page:
    """A fake OCR page: each line a list of (word, left pixel)."""
    words, text = [], []
    for i, ln in enumerate(lines):
        text.append(" ".join(w for w, _x in ln))
        words += [Word(w, 95.0, x, 100 + 40 * i, 18 * len(w), 30, i) for w, x in ln]
    return Page(1, "\n".join(text), "ocr", 95.0, words=words, image_size=(width, 3400), dpi=300)


def test_a_label_starting_a_column_is_found_in_its_cell():
    page = _ocr_page([[("Nilüfer", 100), ("/BURSA", 240), ("Tel:", 400), ("0407", 480), ("395", 570),
                       ("No:", 1700), ("TKL2312-37", 1770)]])
    doc = Doc("x.pdf", [page])
    assert [c for _o, c in doc.cells(doc.lines[0])] == ["Nilüfer /BURSA Tel: 0407 395", "No: TKL2312-37"]
    facts = read_proforma(doc)
    assert facts.number == "TKL2312-37"


def test_scan_buyer_block_with_garbled_label_and_a_right_hand_box():
    page = _ocr_page([
        [("SAYIN", 180)],
        [("Payas", 180), ("Metal", 300), ("Ltd.", 420), ("Şti.", 500)],
        [("Fatura", 1660), ("No:", 1800), ("SAK2O24016955891", 2000)],
        [("Alıcı", 180), ("VWKN:", 300), ("8736l32663", 450)],
    ])
    doc = Doc("x.pdf", [page])
    _sup, buyer = read_parties(doc)
    assert buyer.tax_id == VKN  # the right-hand "Fatura No" line neither ends the block nor hides the id


def test_an_invalid_tax_id_on_a_scan_is_unread_not_a_finding():
    page = _ocr_page([
        [("ABC", 100), ("Makine", 200), ("Ltd.", 350), ("Şti.", 430)],
        [("VKN:", 100), ("8736132668", 200)],
        [("Sayın", 100), ("Alıcı", 220), ("A.Ş.", 350)],
    ])
    facts = read_proforma(Doc("x.pdf", [page]))
    assert facts.supplier_id is None and "supplier_id" in facts.unread


def test_merge_rows_joins_side_by_side_lines_by_height():
    left = [_Line("SAYIN", [], 500, 530, 180), _Line("Payas Metal", [], 545, 575, 180)]
    right = [_Line("Senaryo: TEMEL", [], 498, 528, 1660), _Line("Fatura No: X", [], 590, 620, 1660)]
    rows = [" ".join(x.text for x in r) for r in merge_rows(left + right)]
    assert rows == ["SAYIN Senaryo: TEMEL", "Payas Metal", "Fatura No: X"]


def _two_column_image() -> Image.Image:
    img = Image.new("L", (1600, 500), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=28)
    for i, t in enumerate(["SAYIN", "Payas Metal Ltd. Şti.", "VKN: 8736132663"]):
        d.text((60, 100 + 52 * i), t, fill=0, font=font)
    for i, t in enumerate(["Senaryo: TEMELFATURA", "Fatura No: SAK2024016955891"]):
        d.text((900, 120 + 70 * i), t, fill=0, font=font)
    return img


def test_a_broken_band_is_read_again_column_by_column():
    img = _two_column_image()
    good = [Word("x", 95.0, 60 + 30 * i, 20, 20, 28, 0) for i in range(12)]  # well-read words: the line height
    bad = [Word("pal", 20.0, 60, 100, 120, 70, 1), Word("NIN", 0.0, 900, 160, 200, 75, 1)]
    res = OcrResult(text="x x x x x x x x x x x x\npal NIN", confidence=50.0, angle=0.0, words=good + bad,
                    size=img.size)
    assert broken_bands(res) == [(100, 235)]
    new = reread_broken_bands(img, res, dpi=300)
    assert new is not res
    text = new.text
    assert "8736132663" in text and "SAK2024016955891" in text and "pal" not in text
    assert all(w.line < len(text.split("\n")) for w in new.words)


def test_yevmiye_number_on_a_scan_is_read_whole_or_not_at_all():
    from verifiers.circular import read_circular

    def yevmiye(line: str, ocr: bool = True) -> str | None:
        page = Page(1, f"ABC Makine Ltd. Şti.\n{line}\nAhmet Yılmaz 9528365974B münferiden", "ocr" if ocr else "text",
                    95.0)
        circ, _findings = read_circular(Doc("x.pdf", [page]))
        return circ.yevmiye_no

    assert yevmiye("Yevmiye No: 52O44") == "52044"
    assert yevmiye("Yevmiye No: 52B44") is None  # B is 8 or 3: unread, never "52"
    assert yevmiye("Yevmiye No: 52044") == "52044"
    assert yevmiye("Yevmiye No: 52O44", ocr=False) is None  # a text layer is not repaired


def test_a_tckn_with_a_look_alike_letter_anchors_its_person_on_a_scan():
    from verifiers.circular import read_circular

    page = Page(1, "ABC Makine Ltd. Şti.\nAhmet Yılmaz 9528365974B münferiden", "ocr", 95.0)
    circ, _findings = read_circular(Doc("x.pdf", [page]))
    assert [(p.name, p.tckn) for p in circ.persons] == [("Ahmet Yılmaz", TCKN)]


def test_nace_codes_on_a_scan_with_a_garbled_label_or_a_colon_for_a_dot():
    from verifiers.certificates import read_certificate

    def codes(text: str, ocr: bool = True) -> list[str]:
        page = Page(1, "ABC Makine Ltd. Şti.\n" + text, "ocr" if ocr else "text", 95.0)
        return read_certificate(Doc("x.pdf", [page]), "faaliyet_belgesi").nace_codes

    assert codes("ACE Kodu: 25.62.01 - Metallerin makinede işlenmesi") == ["25.62.01"]
    assert codes("CE Kodu: 46.69.19 - Başka yerde sınıflandırılmamış makine") == ["46.69.19"]
    assert codes("NACE Kodları 13:92.02, 22:22.01") == ["13.92.02", "22.22.01"]  # never "92.02"
    assert codes("NACE Kodları 13:92.02", ocr=False) == []  # a text layer is not repaired, nor cut short
    assert codes("Sicil Kodu: 25.62.01 - x") == []  # another label is not NACE
