"""Money: Decimal in TL to the kuruş (decision D6), Turkish formatting (D10), amounts in words (D9).

Floats are refused at every boundary: a float has already lost the kuruş before we see it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

KURUS = Decimal("0.01")


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money; the message says why, in Turkish."""


def quantize(value: Decimal) -> Decimal:
    """Round half-up to the kuruş (D6); Decimal's default is half-even, which is wrong here."""
    return value.quantize(KURUS, rounding=ROUND_HALF_UP)


def to_money(value: object) -> Decimal:
    """Read a manifest/CSV/XLSX value (int, Decimal or string) as money; never through float."""
    if isinstance(value, bool):
        raise MoneyError(f"tutar olarak okunamadı: {value!r}")
    if isinstance(value, float):
        raise MoneyError(
            f"tutar ondalık sayı (float) olarak yazılmış: {value!r}; tırnak içinde yazın, "
            'örneğin "1800000.00"'
        )
    if isinstance(value, Decimal):
        return quantize(value)
    if isinstance(value, int):
        return quantize(Decimal(value))
    if isinstance(value, str):
        # Manifests and exports write plain decimals ("1800000.00"); only free text is Turkish.
        if re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
            return quantize(Decimal(value.strip()))
        return parse_amount(value)
    raise MoneyError(f"tutar olarak okunamadı: {value!r}")


_CURRENCY_TOKENS = re.compile(
    r"(?i)(türk\s+lirası|turk\s+lirasi|t\.?\s?l\.?(?![a-zçğıöşü])|try|₺|\btl\b)"
)
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


def parse_amount(text: str) -> Decimal:
    """Parse "1.234.567,89", "1234567.89", "1.234.567,89 TL", "₺1.234.567,89", "1,234,567.89".

    The last separator followed by one or two digits is the decimal mark; a lone separator
    followed by exactly three digits is a thousands mark (Turkish documents write 1.234).
    """
    raw = text
    s = _CURRENCY_TOKENS.sub("", text.strip())
    s = _SPACES.sub("", s)
    negative = False
    if s.startswith("-") or (s.startswith("(") and s.endswith(")")):
        negative = True
        s = s.strip("-()")
    if s.endswith((",-", ".-")):
        s = s[:-2]
    if not s or not re.fullmatch(r"[0-9.,]+", s) or not re.search(r"\d", s):
        raise MoneyError(f"tutar okunamadı: {raw!r}")
    last = max(s.rfind("."), s.rfind(","))
    if last == -1:
        number = s
    else:
        tail = s[last + 1 :]
        head = s[:last]
        seps_in_head = set(re.findall(r"[.,]", head))
        sep = s[last]
        if len(tail) in (1, 2) and (not seps_in_head or sep not in seps_in_head):
            number = re.sub(r"[.,]", "", head) + "." + tail
        elif len(tail) == 3 and (not seps_in_head or seps_in_head == {sep}):
            number = re.sub(r"[.,]", "", s)
        else:
            raise MoneyError(f"tutar belirsiz yazılmış: {raw!r}")
        if head and not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", head):
            raise MoneyError(f"tutarda basamak grupları hatalı: {raw!r}")
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - regex above guards this
        raise MoneyError(f"tutar okunamadı: {raw!r}") from exc
    return quantize(-value if negative else value)


def format_number(value: Decimal, places: int = 2) -> str:
    """1234567.891 -> "1.234.567,89" (rounded half-up first; Babel would round half-even)."""
    q = quantize(value) if places == 2 else value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    integer, _, frac = f"{abs(q):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = sign + ".".join(groups)
    return f"{out},{frac}" if places else out


def format_tl(value: Decimal) -> str:
    """The legal-text form "1.234.567,89 TL" (D10), not Babel's "₺1.234.567,89"."""
    return f"{format_number(value)} TL"


def format_percent(ratio: Decimal, places: int = 2) -> str:
    """Decimal("0.3") -> "%30"; Turkish puts the sign first."""
    pct = (ratio * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).normalize()
    text = f"{pct:f}".replace(".", ",")
    return f"%{text}"


# --- amounts in words (D9) ---------------------------------------------------------------

_ONES = ["", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"]
_TENS = ["", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan"]
_SCALES = ["", "bin", "milyon", "milyar", "trilyon", "katrilyon"]


def _three(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        if hundreds > 1:
            words.append(_ONES[hundreds])
        words.append("yüz")
    tens, ones = divmod(rest, 10)
    if tens:
        words.append(_TENS[tens])
    if ones:
        words.append(_ONES[ones])
    return words


def integer_words(n: int) -> list[str]:
    """Words of a non-negative integer; "bin", never "bir bin"; "bir milyon" keeps its "bir"."""
    if n < 0:
        raise MoneyError("negatif tutar yazıyla yazılamaz")
    if n == 0:
        return ["sıfır"]
    groups: list[int] = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    if len(groups) > len(_SCALES):
        raise MoneyError("tutar yazıyla yazılamayacak kadar büyük")
    words: list[str] = []
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if not g:
            continue
        if idx == 1 and g == 1:
            words.append("bin")
            continue
        words.extend(_three(g))
        if _SCALES[idx]:
            words.append(_SCALES[idx])
    return words


def amount_in_words(value: Decimal, *, joined: bool = False, prefix: str = "yalnız") -> str:
    """"yalnız üç milyon beş yüz bin Türk lirası sıfır kuruş" (D9).

    `joined=True` gives the cheque form, "#Yalnız üçmilyonbeşyüzbin TL sıfır Kr#", which
    cannot be altered by inserting a word.
    """
    if isinstance(value, float):
        raise MoneyError("tutar float olarak verilemez")
    q = quantize(Decimal(value))
    if q < 0:
        raise MoneyError("negatif tutar yazıyla yazılamaz")
    lira = int(q)
    kurus = int((q - lira) * 100)
    lira_words = integer_words(lira)
    kurus_words = integer_words(kurus)
    if joined:
        head = prefix[:1].upper() + prefix[1:] if prefix else ""
        body = f"{''.join(lira_words)} TL {''.join(kurus_words)} Kr"
        return f"#{head} {body}#" if head else f"#{body}#"
    parts = [prefix] if prefix else []
    parts += [*lira_words, "Türk", "lirası", *kurus_words, "kuruş"]
    return " ".join(parts)


_WORD_VALUES = {w: i for i, w in enumerate(_ONES) if w}
_WORD_VALUES.update({w: i * 10 for i, w in enumerate(_TENS) if w})
_WORD_VALUES["sıfır"] = 0
_SCALE_VALUES = {w: 1000**i for i, w in enumerate(_SCALES) if w}


def words_to_integer(words: list[str]) -> int:
    """Inverse of `integer_words`; used to prove the converter round-trips."""
    total = 0
    group = 0
    for w in words:
        if w in _WORD_VALUES:
            group += _WORD_VALUES[w]
        elif w == "yüz":
            group = (group or 1) * 100
        elif w in _SCALE_VALUES:
            total += (group or 1) * _SCALE_VALUES[w]
            group = 0
        else:
            raise MoneyError(f"bilinmeyen sayı sözcüğü: {w!r}")
    return total + group


def words_to_amount(text: str) -> Decimal:
    """Read back "yalnız ... Türk lirası ... kuruş" into a Decimal."""
    tokens = text.split()
    if tokens and tokens[0].lower() == "yalnız":
        tokens = tokens[1:]
    try:
        cut = tokens.index("Türk")
    except ValueError as exc:
        raise MoneyError(f"'Türk lirası' bulunamadı: {text!r}") from exc
    lira = words_to_integer(tokens[:cut])
    kurus = words_to_integer(tokens[cut + 2 : -1])
    return Decimal(lira) + Decimal(kurus) / 100
