"""E-signature verification: PAdES in PDFs and CAdES (.imz/.p7s/.p7m), by pyHanko.

Entry point: `verify_signed_file(path, trust_dir=..., ...) -> SignedFileReport`. Each
signature carries its ETSI EN 319 102-1 indication (etsi.py) and the findings follow from
it; `etsi_report.validation_report_xml` writes the TS 119 102-2 report; `pairing` tells
which file beside a detached signature is its content.
The test PKI, loopback timestamp authority and test documents live in the top-level
`testing` package, which the product does not import.
"""

from .report import DocumentTimestampReport, SignatureReport, SignedFileReport, SignerIdentity
from .signer import identity_of, tckn_from_serial, vkn_from_serial
from .trust import TrustConfigError, load_trust
from .verify import verify_signed_file

__all__ = [
    "DocumentTimestampReport",
    "SignatureReport",
    "SignedFileReport",
    "SignerIdentity",
    "TrustConfigError",
    "identity_of",
    "load_trust",
    "tckn_from_serial",
    "verify_signed_file",
    "vkn_from_serial",
]
