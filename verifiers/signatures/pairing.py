"""A signed file and its signature side by side are one document: x.pdf with x.pdf.p7s (or
x.pdf.imz, x.pdf.p7m). e-imza tools save a detached signature next to the file it signs, and
applicants upload both; verifying x.pdf alone would find no signature, and x.pdf.p7s alone
could not check integrity (SIGNED_DATA_NOT_FOUND).
"""

from __future__ import annotations

from collections.abc import Iterable

SIGNATURE_SUFFIXES = (".p7s", ".imz", ".p7m")


def content_name(signature: str) -> str | None:
    """'x.pdf' for 'x.pdf.p7s' (the name the signed file must have), None for other names."""
    low = signature.lower()
    for suffix in SIGNATURE_SUFFIXES:
        if low.endswith(suffix) and len(signature) > len(suffix):
            stem = signature[: -len(suffix)]
            return stem if "." in stem.rsplit("/", 1)[-1] else None
    return None


def signed_documents(names: Iterable[str], present: Iterable[str]) -> list[tuple[str, str, str | None]]:
    """For each listed file, (document name, file to verify, detached content or None).

    A listed x.pdf whose signature x.pdf.p7s is in the package is verified through that
    signature with x.pdf as its content; a listed x.pdf.p7s next to x.pdf likewise; a pair
    listed twice is one document. Other files are verified on their own.
    """
    here = set(present)
    out: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for name in names:
        signature, content = name, None
        stem = content_name(name)
        if stem is not None and stem in here:
            content = stem
        else:
            for suffix in SIGNATURE_SUFFIXES:
                if name + suffix in here:
                    signature, content = name + suffix, name
                    break
        if signature in seen:
            continue
        seen.add(signature)
        out.append((content or name, signature, content))
    return out
