"""Turkish explanations for what went wrong while reading a signature (D29, issue 13 item 6).

No Python exception text reaches a message: staff read what was wrong in Turkish, and the
technical cause (exception type and text, English) is kept apart in `error_detail` for
whoever debugs the file.
"""

from __future__ import annotations

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.validation.errors import SignatureValidationError


def detail_of(exc: BaseException) -> str:
    """Exception type and first line of its text, for `error_detail` only."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {msg[:300]}" if msg else type(exc).__name__


def explain(exc: BaseException, where: str = "imza") -> str:
    """Turkish, for a person: what could not be done, never the exception's own words.

    where: what was being read ("PDF", "CMS", "imza", "zaman damgası").
    """
    if type(exc).__name__ == "_NotSigned":
        return "dosya PDF ya da CMS (.imz/.p7s/.p7m) değil"
    if isinstance(exc, SignatureValidationError):
        return f"{where} yapısı ya da nitelikleri hatalı; imza doğrulanamadı"
    if isinstance(exc, PdfError):
        return "PDF dosyası okunamadı (bozuk, eksik ya da standarda uymuyor)"
    if isinstance(exc, AssertionError):
        return f"{where} verisi beklenmeyen biçimde kodlanmış; çözümlenemedi"
    if isinstance(exc, MemoryError | RecursionError):
        return f"{where} verisi çok büyük ya da iç içe; güvenlik için okunmadı"
    if isinstance(exc, OSError):
        return "dosya okunamadı"
    if isinstance(exc, ValueError | TypeError | KeyError | IndexError | AttributeError | LookupError):
        return f"{where} verisi (ASN.1/CMS) bozuk ya da eksik; çözümlenemedi"
    return f"{where} okunamadı ya da doğrulanamadı"
