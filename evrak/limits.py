"""Bounds on the work one input may cause, in one place (issue 17 item 1).

An uploaded file is hostile until read: a 22 KB PDF can declare a page of 14,400 pt whose
rendering at 300 dpi asks for 11 GB, a 2 KB PNG can declare 400 megapixels, a sparse file
can claim 1.5 GB. Each reader checks the bound that applies before it allocates, and a bound
that trips is a DOC_UNREADABLE finding on that document (the package goes on), never an
exception. Numbers are chosen for a 2-core machine with a few GB of memory, with room for
the largest real scans (an A3 page at 600 dpi is 70 MP).
"""

from __future__ import annotations

MB = 1024 * 1024

# --- files -------------------------------------------------------------------------------
MAX_DOCUMENT_BYTES = 64 * MB  # one uploaded document (PDF, image, office file)
SNIFF_BYTES = 1024  # what is read to recognise a file's type; never the whole file

# --- images and rendering (pixels, not bytes: memory follows pixels) -------------------------
MAX_IMAGE_PIXELS = 120_000_000  # a scan/photo as uploaded; above: refused (Pillow's bomb check)
OCR_DPI = 300  # the resolution OCR works best at
MIN_OCR_DPI = 100  # a page that fits the budget only below this is refused, not read as noise
MAX_PAGE_PIXELS = 12_000_000  # one page given to OCR (A4 at 300 dpi is 8.7 MP)
MAX_DOCUMENT_PIXELS = 120_000_000  # all pages of one document rendered or OCR'd
MAX_OCR_PAGES = 12  # pages of one document read by OCR; the rest are reported

# --- time -------------------------------------------------------------------------------
OCR_PAGE_TIMEOUT_S = 40.0  # Tesseract on one page
DOCUMENT_TIMEOUT_S = 180.0  # all rasterisation and OCR of one document; the workers are killed
OCR_WORKERS = 2  # pages OCR'd in parallel, one Tesseract thread each
OCR_WORKER_MEMORY_BYTES = 3 * 1024 * MB  # address space of one OCR worker and its Tesseract
OCR_WORKER_IDLE_S = 300.0  # an idle OCR worker is retired after this (it exits by itself after twice)

# --- office documents --------------------------------------------------------------------
MAX_OFFICE_UNPACKED_BYTES = 200 * MB  # a DOCX/XLSX/ODT is a zip: its unpacked size
MAX_SHEET_CELLS = 200_000  # cells read from one workbook
MAX_TEXT_CHARS = 2_000_000  # text kept from one document

# --- staff files read back in (the applicant history) -------------------------------------
# An agency's whole history is some 10^4 rows (a few MB); these leave room and keep a wrong
# file (a database dump, a zip bomb named .xlsx) from taking the machine.
MAX_STAFF_FILE_BYTES = 64 * MB  # one CSV or XLSX as stored
MAX_STAFF_FILE_ROWS = 500_000  # rows of one file (all sheets of a workbook together)

# --- XML (e-Fatura / e-Arşiv, UBL-TR) --------------------------------------------------------
MAX_XML_BYTES = 20 * MB  # one UBL-TR file (a real one with its embedded XSLT is ~300 KB)
MAX_XML_DEPTH = 64  # element nesting; UBL-TR with a XAdES seal is ~15 deep (libxml2 stops at 256)
MAX_INVOICE_LINES = 10_000  # cac:InvoiceLine elements in one invoice
