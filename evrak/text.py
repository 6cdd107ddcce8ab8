"""Turkish text: NFC, dotted/dotless i casing, folding for name matching, cp1254 mojibake.

Python's str.upper/lower are not Turkish-aware ("i".upper() == "I", "İ".lower() is two
characters), so every comparison of names goes through these helpers.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata

from anyascii import anyascii
from rapidfuzz import fuzz

_TO_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_TO_LOWER = str.maketrans({"İ": "i", "I": "ı"})
_MOJIBAKE = str.maketrans({"Þ": "Ş", "þ": "ş", "Ý": "İ", "ý": "ı", "Ð": "Ğ", "ð": "ğ"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tr_upper(text: str) -> str:
    return nfc(text).translate(_TO_UPPER).upper()


def tr_lower(text: str) -> str:
    return nfc(text).translate(_TO_LOWER).lower()


def fix_mojibake(text: str) -> str:
    """Repair cp1254 text read as cp1252 (Þ->Ş, Ý->İ, ý->ı, ð->ğ) only when it looks broken.

    Applied only when the text has those letters and no genuine ş/ı/ğ, so an Icelandic
    name in an otherwise correct text survives.
    """
    if re.search("[ÞþÝýÐð]", text) and not re.search("[şŞıİğĞ]", text):
        return text.translate(_MOJIBAKE)
    return text


def clean(text: str) -> str:
    """NFC, ligatures expanded, mojibake repaired, runs of spaces folded."""
    text = nfc(fix_mojibake(text))
    text = re.sub("[\ufb00-\ufb06]", lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return re.sub(r"[ \t\u00a0]+", " ", text)


def fold(text: str) -> str:
    """ASCII, lower case, for matching only: "İBRAHİM IŞIK" -> "ibrahim isik"."""
    return anyascii(tr_lower(fix_mojibake(nfc(text)))).lower()


def name_key(name: str) -> list[str]:
    """Tokens of a name for comparison: folded, punctuation and hyphens removed."""
    return [t for t in re.split(r"[^a-z0-9]+", fold(name)) if t]


def contains_folded(haystack: str, needle: str) -> bool:
    """Whether `needle` occurs in `haystack` ignoring case, accents and spacing."""
    h = " ".join(name_key(haystack))
    n = " ".join(name_key(needle))
    return bool(n) and n in h


class NameMatch(enum.Enum):
    """How well two names agree; only EXACT and FOLDED are ever accepted without a person."""

    EXACT = "exact"
    FOLDED = "folded"  # same letters up to case and diacritics
    PROBABLE = "probable"  # one name's tokens contain the other's (second given name missing)
    SIMILAR = "similar"  # fuzzy score >= 90: a person must look
    DIFFERENT = "different"

    @property
    def accepted(self) -> bool:
        return self in (NameMatch.EXACT, NameMatch.FOLDED)


def match_names(a: str, b: str) -> NameMatch:
    """Compare a certificate name with a name from the imza sirküleri (turkish-domain §6)."""
    ua = " ".join(tr_upper(fix_mojibake(a)).split())
    ub = " ".join(tr_upper(fix_mojibake(b)).split())
    if ua and ua == ub:
        return NameMatch.EXACT
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return NameMatch.DIFFERENT
    if ka == kb:
        return NameMatch.FOLDED
    sa, sb = set(ka), set(kb)
    if len(sa & sb) >= 2 and (sa <= sb or sb <= sa):
        return NameMatch.PROBABLE
    if fuzz.token_sort_ratio(" ".join(ka), " ".join(kb)) >= 90:
        return NameMatch.SIMILAR
    return NameMatch.DIFFERENT


_COMPANY_NOISE = {
    "ve", "san", "sanayi", "tic", "ticaret", "ltd", "sti", "limited", "sirketi", "a", "s",
    "as", "anonim", "ith", "ihr", "ithalat", "ihracat", "paz", "pazarlama", "ins", "insaat",
    "taah", "taahhut", "gida", "ltdsti", "co", "inc",
}


def company_key(name: str) -> set[str]:
    """Distinctive tokens of a trade name: "ÖRNEK MAKİNA SAN. VE TİC. A.Ş." -> {"ornek", "makina"}."""
    return {t for t in name_key(name) if t not in _COMPANY_NOISE and len(t) > 1}


def same_company(a: str, b: str) -> bool:
    """Trade names agree when the distinctive tokens of the shorter are all in the longer."""
    ka, kb = company_key(a), company_key(b)
    if not ka or not kb:
        return False
    return ka <= kb or kb <= ka


def fold_aligned(text: str) -> str:
    """Like `fold`, but one output character per input character, so that a match found in
    the folded text has the same span in the original (labels are found folded, values are
    then read from the original). Characters that fold to more or fewer letters are kept as
    they are, lower-cased.
    """
    return "".join(map(_fold_char, text))


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character of `fold_aligned`, cached: folding is per character, so a cache makes
    the readers' label matching ~20x faster (it was most of their time)."""
    f = fold(ch)
    return f if len(f) == 1 else ch.lower()[:1] or ch
