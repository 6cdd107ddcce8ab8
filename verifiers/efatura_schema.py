"""GİB's own UBL-TR rules: the OASIS UBL 2.1 XSD and GİB's e-Fatura schematron, as shipped by
the efatura-kontrol package (UBL-TR 1.2.1, GİB e-Fatura package; its schematron is compiled to
XSLT 3.0 and run by Saxon-HE). We do not hand-write the XSD.

Violations are facts for staff (the invoice may still be a valid purchase document: GİB
accepted it, or it is the integrator's test copy), never arithmetic findings; the project's
own arithmetic is in verifiers.efatura_checks. The package's own arithmetic and signature
checks are not used (one home per rule). An unsigned copy always fails the XSD on the empty
ext:ExtensionContent; that message is kept out, the missing seal is its own note.
"""

from __future__ import annotations

import threading

from efatura_kontrol import belge, sematron, xsd
from efatura_kontrol.belge import BelgeHatasi

_LOCK = threading.Lock()  # the Saxon processor and its compiled stylesheet are shared
MAX_ISSUES = 50


def _unsigned_placeholder(message: str) -> bool:
    return "ExtensionContent" in message and ("Missing child" in message or "not complete" in message
                                              or "expected" in message.lower())


def schema_issues(data: bytes, file: str) -> tuple[bool, list[str]]:
    """(checked, Turkish/GİB messages with their line). `data` has passed the locked-down parse."""
    try:
        doc = belge.yukle(data, file)  # the package tells e-Arşiv (EARSIVFATURA) from e-Fatura rules
        with _LOCK:
            found = [*xsd.dogrula(doc), *sematron.dogrula(doc)]
    except BelgeHatasi as exc:
        return True, [f"{exc.mesaj}"]
    except Exception as exc:  # a broken engine must not stop reading the invoice
        return False, [f"GİB şema kontrolü çalıştırılamadı: {type(exc).__name__}: {exc}"[:300]]
    out = []
    for b in found:
        if b.kaynak == "xsd" and _unsigned_placeholder(b.mesaj):
            continue
        where = f" (satır {b.satir})" if b.satir else ""
        kind = "XSD" if b.kaynak == "xsd" else "GİB şematron"
        out.append(f"{kind} {b.kod.removeprefix('sch-').removeprefix('xsd-')}{where}: {b.mesaj}"[:400])
    return True, out[:MAX_ISSUES]
