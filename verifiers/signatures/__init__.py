"""E-signature verification: PAdES in PDFs and CAdES (.imz/.p7s/.p7m), by pyHanko.

Entry point: `verify_signed_file(path, trust_dir=..., ...) -> SignedFileReport`.
`testpki` builds a reproducible test PKI and runs a loopback timestamp authority for the
tests, the sample-package builder, docgen's agency seal and the benchmark.
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
