"""E-signature verification: PAdES in PDFs and CAdES (.imz/.p7s/.p7m), by pyHanko.

Entry point: `verify_signed_file(path, trust_dir=..., ...) -> SignedFileReport`. Each
signature carries its ETSI EN 319 102-1 indication (etsi.py) and the findings follow from
it; `etsi_report.validation_report_xml` writes the TS 119 102-2 report; `pairing` tells
which file beside a detached signature is its content.
The test PKI, loopback timestamp authority and test documents live in the top-level
`testing` package, which the product does not import.
"""

# The package imports nothing itself, so its modules importing each other form no cycle
# through it; callers import from the module that defines what they need.
