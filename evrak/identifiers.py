"""Turkish identifiers: TCKN, VKN, TR IBAN, MERSİS (turkish-domain.md §3).

stdnum carries the TCKN and VKN checksums; the TR-specific IBAN rules and the MERSİS
structure are ours (there is no public MERSİS checksum, so none is invented).
"""

from __future__ import annotations

import re

from stdnum import iban as _iban
from stdnum.tr import tckimlik as _tckimlik
from stdnum.tr import vkn as _vkn

# Numbers that pass no checksum but appear in real software as placeholders.
PLACEHOLDER_TCKN = {"11111111111"}
PLACEHOLDER_VKN = {"1111111111", "2222222222"}


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def is_valid_tckn(value: str) -> bool:
    v = digits(value)
    return len(v) == 11 and v not in PLACEHOLDER_TCKN and _tckimlik.is_valid(v)


def is_valid_vkn(value: str) -> bool:
    v = digits(value)
    return len(v) == 10 and v not in PLACEHOLDER_VKN and _vkn.is_valid(v)


def is_valid_tax_id(value: str) -> bool:
    """A tax id is a VKN (companies) or a TCKN (sole traders, since 1.7.2006)."""
    v = digits(value)
    return is_valid_vkn(v) if len(v) == 10 else is_valid_tckn(v)


def tax_id_kind(value: str) -> str | None:
    v = digits(value)
    if len(v) == 10 and is_valid_vkn(v):
        return "VKN"
    if len(v) == 11 and is_valid_tckn(v):
        return "TCKN"
    return None


def normalize_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def is_valid_tr_iban(value: str) -> bool:
    """TR + 2 check digits + 5-digit bank code + reserve "0" + 16 characters, mod 97 == 1."""
    v = normalize_iban(value)
    return (
        len(v) == 26
        and v.startswith("TR")
        and v[2:].isdigit()
        and v[9] == "0"
        and _iban.is_valid(v)
    )


def iban_bank_code(value: str) -> str:
    """The 5-digit TCMB bank code of a TR IBAN (00015 is VakıfBank)."""
    return normalize_iban(value)[4:9]


def check_mersis(mersis: str, vkn: str | None = None) -> list[str]:
    """Problems with a MERSİS number, in Turkish; empty when the structure is sound.

    Companies: "0" + VKN + 5-digit suffix. Sole traders start with the TCKN. Anything
    else is reported for a person to look at, never rejected outright.
    """
    m = digits(mersis)
    problems: list[str] = []
    if len(m) != 16:
        return [f"MERSİS numarası 16 haneli olmalı ({len(m)} hane)"]
    if m.startswith("0"):
        embedded = m[1:11]
        if not is_valid_vkn(embedded):
            problems.append(f"MERSİS içindeki vergi numarası ({embedded}) geçersiz")
        if vkn and embedded != digits(vkn):
            problems.append(f"MERSİS içindeki vergi numarası ({embedded}) başvuru sahibininkiyle uyuşmuyor")
    elif not is_valid_tckn(m[:11]):
        problems.append("MERSİS numarası ne şirket (0 + VKN) ne şahıs (TCKN) yapısında")
    return problems


def mask_tckn(value: str) -> str:
    """KVKK: show the first two and last two digits only, "12*******90"; a masked value stays as it is."""
    if "*" in value:
        return value
    v = digits(value)
    if len(v) < 5:
        return "*" * len(v)
    return v[:2] + "*" * (len(v) - 4) + v[-2:]
