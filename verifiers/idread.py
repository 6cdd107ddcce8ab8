"""Identifiers read from OCR text, repaired only where their own structure makes it certain.

Tesseract confuses letters and digits that look alike (O/0, l/1, I/1, S/5, B/8), splits a
number with spaces and garbles its label ("VWKN", "ETTİN"). A VKN, TCKN or IBAN carries a
checksum and a GİB invoice number or an ETTN a fixed shape, so a reading can be repaired
where exactly one repair satisfies them:

- in a place where only digits may stand, a letter that looks like a digit is read as that
  digit; where a letter could be either of two digits (B as 8 or 3), every choice is tried;
  the reading is accepted only when exactly one choice passes the checksum;
- a digit that OCR may have read as another digit is never "corrected": with one check
  digit (VKN), one substitution in ten passes by chance, so such a repair would be a guess;
- a tax id that fails its checksum on a scan is unread (a review), not a finding against
  the applicant: the misreading is more likely than a wrong number on the document.

On a text layer nothing here changes a value: the document says what it says.
"""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import date

from rapidfuzz.distance import Levenshtein

from evrak.identifiers import is_valid_tckn, is_valid_tr_iban, is_valid_vkn

# a letter (or sign) OCR gives for a digit -> the digits it may stand for, likeliest first
DIGIT_LOOKALIKES: dict[str, str] = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "°": "0",
    "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "]": "1", "[": "1", "İ": "1", "ı": "1", "L": "1",
    "Z": "2", "z": "2",
    "A": "4",
    "S": "58", "s": "5", "$": "5", "§": "5",
    "G": "60", "b": "6",
    "T": "7", "?": "7",
    "B": "83", "&": "8",
    "g": "98", "q": "9",
}
_LOOK = re.escape("".join(DIGIT_LOOKALIKES))
# a run of digits and look-alikes, single spaces allowed inside ("87361 32663", "8736l32663")
_RUN = re.compile(rf"(?<![\w{_LOOK}])[0-9{_LOOK}](?:[0-9{_LOOK}]| (?=[0-9{_LOOK}])){{7,16}}(?![\w{_LOOK}])")
MAX_CHOICES = 64  # a run with more ambiguous letters than this is not a number


def digit_choices(raw: str) -> list[str]:
    """Every all-digit reading of `raw` (spaces dropped), or [] when a character is neither a
    digit nor a look-alike."""
    parts: list[str] = []
    for ch in raw:
        if ch == " ":
            continue
        if ch.isdigit() and ch.isascii():
            parts.append(ch)
        elif ch in DIGIT_LOOKALIKES:
            parts.append(DIGIT_LOOKALIKES[ch])
        else:
            return []
    n = 1
    for p in parts:
        n *= len(p)
        if n > MAX_CHOICES:
            return []
    return ["".join(t) for t in itertools.product(*parts)]


def _valid(number: str, kinds: tuple[str, ...]) -> bool:
    return ("vkn" in kinds and len(number) == 10 and is_valid_vkn(number)) or (
        "tckn" in kinds and len(number) == 11 and is_valid_tckn(number))


def repair_tax_id(raw: str, kinds: tuple[str, ...] = ("vkn", "tckn")) -> str | None:
    """The one VKN/TCKN reading of an OCR token that passes the checksum, or None (none or
    several do). `raw` may hold look-alike letters and single spaces."""
    valid = {c for c in digit_choices(raw) if _valid(c, kinds)}
    return valid.pop() if len(valid) == 1 else None


def tax_id_runs(text: str) -> list[tuple[str, int, int]]:
    """Stretches of OCR text that may be a VKN or TCKN, with their spans: 10 or 11 characters
    once spaces are dropped, digits or look-alikes, at least 7 of them real digits (so a word
    is never taken for a number). A run of space-separated groups ("87361 32663", "VKN
    8736132663 12") gives every stretch of whole groups of that length."""
    out = []
    for m in _RUN.finditer(text):
        groups = [(g.group(), m.start() + g.start(), m.start() + g.end()) for g in re.finditer(r"\S+", m.group())]
        for i in range(len(groups)):
            for j in range(i, len(groups)):
                core = "".join(g for g, _s, _e in groups[i: j + 1])
                if len(core) > 11:
                    break
                if len(core) in (10, 11) and sum(c.isdigit() for c in core) >= 7 and (
                        i == j or all(len(g) >= 2 for g, _s, _e in groups[i: j + 1])):
                    out.append((text[groups[i][1]: groups[j][2]], groups[i][1], groups[j][2]))
    return out


def read_tax_ids(text: str, ocr: bool) -> list[tuple[str, int, int, bool]]:
    """Tax ids in a line: (number, start, end, certain). On a text layer every 10/11-digit
    number as written (certain). On OCR text the numbers whose checksum holds as read or after
    the one repair that makes it hold (certain), and the rest as read with certain=False: a
    number is there, but which one is not known (unread). Stretches of one run that overlap
    are one reading: two different valid numbers in them leave it uncertain."""
    if not ocr:
        return [(m.group(1), m.start(1), m.end(1), True) for m in re.finditer(r"(?<!\d)(\d{10,11})(?!\d)", text)]
    out: list[tuple[str, int, int, bool]] = []
    runs = tax_id_runs(text)
    done: set[int] = set()
    for k, (_raw, s, e) in enumerate(runs):
        if k in done:
            continue
        group = [r for r in runs if r[1] < e and s < r[2]]  # overlapping stretches of the same run
        done |= {runs.index(r) for r in group}
        valid = {(v, rs, re_) for raw, rs, re_ in group for v in [repair_tax_id(raw)] if v is not None}
        values = {v for v, _s, _e in valid}
        if len(values) == 1:
            v, vs, ve = min(valid, key=lambda t: t[1])
            out.append((v, vs, ve, True))
        else:
            raw, rs, re_ = group[0]
            out.append((raw.replace(" ", ""), rs, re_, False))
    return out


def repair_ids_in_place(text: str) -> str:
    """OCR text with each tax id written with look-alike letters ("1234567890l") replaced by
    its one valid reading, character for character (same length, so offsets into the text
    stay valid); a number with spaces inside, or with no or several valid readings, is left
    as it is."""
    out = text
    for raw, s, e in tax_id_runs(text):
        if " " in raw or raw.isdigit():
            continue
        fixed = repair_tax_id(raw)
        if fixed is not None and len(fixed) == len(raw):
            out = out[:s] + fixed + out[e:]
    return out


def repair_iban(raw: str) -> str | None:
    """A TR IBAN from OCR ("TR33 0006 1005 1978 6457 8413 26", O for 0): the one reading whose
    mod-97 check holds, or None. (No reader takes an IBAN as a fact yet; a bank letter's or
    an invoice's IBAN is to be read through this.)"""
    s = re.sub(r"\s+", "", raw)
    if len(s) != 26:
        return None
    if s[:2].upper() != "TR":
        return None
    valid = {"TR" + c for c in digit_choices(s[2:]) if is_valid_tr_iban("TR" + c)}
    return valid.pop() if len(valid) == 1 else None


# -- labels --------------------------------------------------------------------------------
# Folded label words for identifiers, and the OCR variants one edit away that are words of
# their own (a city, a noun) and so never a garbled label.
ID_LABELS = ("vkn", "tckn", "vergi", "kimlik", "mersis", "iban", "ettn", "yevmiye")
_REAL_WORDS = {"mersin", "ekim", "verdi", "vergiye", "vkn", "ikan", "iman", "kimi", "evet"}


def fuzzy_label(token: str, labels: tuple[str, ...] = ID_LABELS) -> str | None:
    """The label a folded OCR token stands for: itself, or the one label one edit away
    ("vwkn" -> "vkn", "ettin" -> "ettn", "tckm" -> "tckn"), never a real word one edit away
    ("mersin" is a city, not "mersis")."""
    t = re.sub(r"[^a-z]", "", token)
    if t in labels:
        return t
    if len(t) < 3 or t in _REAL_WORDS:
        return None
    near = [lb for lb in labels if Levenshtein.distance(t, lb) == 1 and (len(lb) >= 4 or t[0] == lb[0])]
    return near[0] if len(near) == 1 else None


def id_label_near(folded: str, start: int, labels: tuple[str, ...] = ID_LABELS) -> str | None:
    """The identifier label in the words right before position `start` of a folded line
    ("VKN:", "V.K.N.", "Vergi No", "T.C. Kimlik No", and their OCR variants), or None."""
    before = folded[max(0, start - 30): start]
    words = re.findall(r"[a-z][a-z.]*", before)[-3:]
    for w in reversed(words):
        compact = w.replace(".", "")
        if compact == "tc":
            return "tckn"
        found = fuzzy_label(compact, labels)
        if found:
            return found
    return None


# -- GİB invoice number and ETTN -------------------------------------------------------------
_GIB_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9])([A-Za-z0-9]{{3}})\s?([0-9{_LOOK}]{{4}})\s?([0-9{_LOOK}]{{9}})(?![A-Za-z0-9])")
LETTER_LOOKALIKES = set("012568")  # a digit that may be a letter in a prefix (O, I, Z, S, G, B)


def read_gib_number(text: str, ocr: bool, year: int | None = None) -> tuple[str | None, bool]:
    """A GİB e-invoice number (3-character prefix + year + 9 digits) in a text: (number,
    certain). On OCR the year and the serial may only be digits, so look-alike letters there
    are read as digits (each must map to one digit); the prefix is free (letters or digits:
    "OR1", "G02" exist), so a prefix that mixes letters with digits that look like letters
    ("0ST", "IK1") is uncertain. The year must be a plausible one and, when the issue date is
    known, its year."""
    m = _GIB_NUMBER.search(text)
    if not m:
        return None, False
    prefix, yr, serial = m.groups()
    if not ocr:
        return prefix + yr + serial, True
    tail = []
    for ch in yr + serial:
        d = ch if ch.isdigit() else DIGIT_LOOKALIKES.get(ch, "")
        if len(d) != 1:
            return None, False
        tail.append(d)
    digits = "".join(tail)
    y = int(digits[:4])
    if not 2010 <= y <= date.today().year + 1 or (year is not None and y != year):
        return None, False
    letters = [c for c in prefix if c.isalpha()]
    confusable = [c for c in prefix if c.isdigit() and c in LETTER_LOOKALIKES]
    if letters and confusable:
        return prefix.upper() + digits, False
    return prefix.upper() + digits, True


_UUID_LOOK = {"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "|": "1", "S": "5", "s": "5", "Z": "2", "z": "2",
              "G": "6", "g": "9", "q": "9", "B": "b", "D": "d", "E": "e", "F": "f", "A": "a", "C": "c"}
_UUID_SHAPE = re.compile(r"[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}", re.IGNORECASE)


def repair_ettn(raw: str) -> str | None:
    """An ETTN (a UUID: 8-4-4-4-12 hex digits) from OCR: characters that cannot be hex read as
    the hex digit they look like (l -> 1, O -> 0), spaces around the hyphens dropped; None when
    a character has no such reading. Case is not information in a UUID."""
    s = re.sub(r"\s*-\s*", "-", raw.strip())
    if not _UUID_SHAPE.fullmatch(s):
        return None
    out = []
    for ch in s:
        if ch == "-" or ch in "0123456789abcdef":
            out.append(ch)
        elif ch in _UUID_LOOK:
            out.append(_UUID_LOOK[ch])
        else:
            return None
    value = "".join(out).lower()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
