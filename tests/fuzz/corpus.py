"""Fuzz inputs: seeded mutations of real samples plus a fixed list of hostile constructions.

Seeds are the repository's own sample packages (manifests, PDFs with text layers, a scan,
e-signatures), e-Fatura XML and page images made from them. Mutations are byte-level
(flip, cut, insert, repeat, splice, a number made huge) with a seeded random.Random, so a
failing input is reproduced by its seed and index (and is kept on disk by the test).
"""

from __future__ import annotations

import io
import random
import re
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from testing.docfactory import efatura_xml, make_proforma_truth

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "packages"
BASE_PACKAGE = SAMPLES / "tr63-2023-makine" / "gecerli"
SEED_PDFS = [
    SAMPLES / "tr63-2023-makine" / "gecerli" / "taahhutname.pdf",
    SAMPLES / "tr63-2023-makine" / "gecerli" / "kredi-uygunluk-belgesi.pdf",
    SAMPLES / "tr63-2023-makine" / "gecerli" / "proforma-3.3.1.pdf",
    SAMPLES / "tr63-2023-makine" / "gecerli" / "sicil-gazetesi.pdf",
    SAMPLES / "tr63-2023-makine" / "taranmis-sirkuler" / "imza-sirkuleri.pdf",
]


# --- byte mutations ----------------------------------------------------------------------

def _flip(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _cut(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def _insert(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 512)) + data[at:]


def _repeat(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 4096))
    return data[:b] + data[a:b] * rng.randint(2, 50) + data[b:]


def _delete(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, 2048):]


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    a, b = rng.randrange(len(data)), rng.randrange(len(other))
    return data[:a] + other[b:b + rng.randint(16, 4096)] + data[a:]


def _huge_number(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    numbers = list(re.finditer(rb"\d+", data))
    if not numbers:
        return _flip(rng, data, _other)
    m = rng.choice(numbers)
    big = rng.choice([b"9" * rng.randint(10, 400), b"-1", b"0", b"99999999999", b"1e308", b"NaN"])
    return data[:m.start()] + big + data[m.end():]


MUTATORS: list[Callable[[random.Random, bytes, bytes], bytes]] = [
    _flip, _cut, _insert, _repeat, _delete, _splice, _huge_number]


def mutate(rng: random.Random, data: bytes, other: bytes) -> tuple[bytes, str]:
    """One to three stacked mutations; returns the bytes and their names (for the report)."""
    names = []
    for _ in range(rng.randint(1, 3)):
        if not data:
            break
        f = rng.choice(MUTATORS)
        data = f(rng, data, other or data)
        names.append(f.__name__.strip("_"))
    return data, "+".join(names)


# --- hostile constructions ---------------------------------------------------------------

def hostile_manifests(base: str) -> dict[str, bytes]:
    laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    budget = "".join(f'  - code: "3.3.{i}"\n    heading: makine_ekipman\n    description: kalem {i}\n'
                     f'    amount: "1.00"\n' for i in range(60000))
    return {
        "billion-laughs": (laughs + base).encode(),
        "merge-key": base.replace("applicant:\n", "x: &x {name: a}\napplicant:\n  <<: *x\n").encode(),
        "deep-nesting": ("program: " + "[" * 50000 + "]" * 50000 + "\n").encode(),
        "deep-mapping": ("a: " + "{b: " * 20000 + "1" + "}" * 20000 + "\n").encode(),
        "huge-int": re.sub(r"credit: ['\"][^'\"]*['\"]", "credit: " + "9" * 100000, base).encode(),
        "float-exp": re.sub(r"credit: ['\"][^'\"]*['\"]", "credit: 1e999999", base).encode(),
        "big-file": (base.split("budget:")[0] + "budget:\n" + budget).encode(),
        "duplicate-key": (base + "program: tr61-2023-imalat\n").encode(),
        "python-tag": base.replace("program:", 'x: !!python/object/apply:os.system ["true"]\nprogram:').encode(),
        "nul-bytes": base.replace("title:", "title: \x00\x00").encode(),
        "utf16": base.encode("utf-16"),
        "latin1": base.replace("Hatay", "Hatay\xfe").encode("latin-1", errors="replace"),
        "empty": b"",
        "not-a-mapping": b"- 1\n- 2\n",
        "bidi": base.replace("name: ", "name: \u202e", 1).encode(),
        "epoch-int": re.sub(r"submitted_at: .*", "submitted_at: 1676460720", base).encode(),
    }


def hostile_xml(base: bytes) -> dict[str, bytes]:
    body = base.split(b"?>", 1)[1] if base.startswith(b"<?xml") else base
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [\n<!ENTITY l0 "lol">\n' + b"".join(
        b'<!ENTITY l%d "%s">\n' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>\n"
    return {
        "billion-laughs": laughs + body.replace(b"<cbc:ID>", b"<cbc:ID>&l9;", 1),
        "external-entity": (b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                            + body.replace(b"<cbc:ID>", b"<cbc:ID>&x;", 1)),
        "external-dtd": b'<?xml version="1.0"?>\n<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/x.dtd">\n' + body,
        "deep-nesting": b"<a>" * 200000 + b"</a>" * 200000,
        "huge-attribute": b'<Invoice x="' + b"A" * (20 << 20) + b'"/>',
        "xinclude": body.replace(b"<cbc:ID>", b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                                              b'href="file:///etc/passwd" parse="text"/><cbc:ID>', 1),
        "not-xml": b"<" + b"\xff\xfe" * 100,
        "nan-amounts": re.sub(rb">\d+\.\d+</cbc:PayableAmount>", b">NaN</cbc:PayableAmount>", base),
        "huge-amount": re.sub(rb">\d+\.\d+</cbc:PayableAmount>", b">" + b"9" * 5000 + b"</cbc:PayableAmount>", base),
    }


def hostile_pdfs(base: bytes) -> dict[str, bytes]:
    return {
        "huge-page": re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 14400 14400]", base),
        "giant-page": re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 200000 200000]", base),
        "negative-page": re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 -5000 1e30]", base),
        "lying-length": re.sub(rb"/Length \d+", b"/Length 999999999", base),
        "no-xref": re.sub(rb"xref.*", b"", base, flags=re.S),
        "deep-array": (b"%PDF-1.7\n1 0 obj\n" + b"[" * 100000 + b"]" * 100000
                       + b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
        "javascript": base.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript "
                                                    b"/JS (app.alert\\(1\\)) >>", 1),
        "header-only": b"%PDF-1.7\n%%EOF\n",
        "not-pdf": b"%PDF" + bytes(range(256)) * 40,
    }


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def hostile_images(png: bytes, jpeg: bytes) -> dict[str, tuple[str, bytes]]:
    ihdr = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
    bomb_png = png[:8] + ihdr + png[8 + 25:]
    wide = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 2_000_000_000, 1, 8, 2, 0, 0, 0))
    sof = jpeg.find(b"\xff\xc0")
    bomb_jpeg = jpeg[:sof + 5] + struct.pack(">HH", 65000, 65000) + jpeg[sof + 9:] if sof > 0 else jpeg
    return {
        "png-bomb-header": ("png", bomb_png),
        "png-wide": ("png", png[:8] + wide + png[8 + 25:]),
        "jpeg-bomb-header": ("jpg", bomb_jpeg),
        "png-truncated": ("png", png[: len(png) // 2]),
        "png-named-pdf": ("pdf", png),
    }


def zip_of(files: dict[str, bytes], *, root: str = "paket/") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(root + name, data)
    return buf.getvalue()


def hostile_zips(files: dict[str, bytes]) -> dict[str, bytes]:
    dup = io.BytesIO()
    with zipfile.ZipFile(dup, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr("basvuru.yaml", b"program: baska\n")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, \
            zf.open("paket/ek.bin", "w", force_zip64=True) as fh:
        chunk = bytes(1 << 20)
        for _ in range(1200):  # 1.2 GB of zeros, ~1.2 MB compressed
            fh.write(chunk)
    with zipfile.ZipFile(bomb, "a") as zf:
        for name, data in files.items():
            zf.writestr("paket/" + name, data)
    return {
        "traversal": zip_of({**files, "../../kacak.txt": b"x"}),
        "absolute": zip_of({**files, "/tmp/evrak-fuzz-kacak.txt": b"x"}, root=""),
        "duplicate-entries": dup.getvalue(),
        "bomb": bomb.getvalue(),
        "nested-zip": zip_of({"ic.zip": zip_of(files)}),
        "name-clash": zip_of({**files, "taahhutname.pdf/ic.txt": b"x"}),
        "long-name": zip_of({**files, "a" * 300 + ".pdf": b"%PDF"}),
        "empty": zip_of({}),
    }


# --- the corpus ---------------------------------------------------------------------------

def _page_images(pdf: Path, out: Path) -> tuple[bytes, bytes]:
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(out / "sayfa")],
                   check=True, timeout=120)
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-jpeg", "-singlefile", str(pdf), str(out / "sayfa")],
                   check=True, timeout=120)
    return (out / "sayfa.png").read_bytes(), (out / "sayfa.jpg").read_bytes()


def build(root: Path, seed: int, counts: dict[str, int]) -> list[dict]:
    """Write the inputs under root; returns the jobs [{kind, path, name}] for the harness."""
    rng = random.Random(seed)
    jobs: list[dict] = []

    def add(kind: str, name: str, data: bytes, suffix: str) -> None:
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(jobs):04d}-{name}.{suffix}"
        if kind == "manifest":  # read as a package's own manifest file
            path.mkdir()
            path = path / "basvuru.yaml"
        path.write_bytes(data)
        jobs.append({"kind": kind, "path": str(path), "name": name})

    manifests = sorted(SAMPLES.glob("*/*/basvuru.yaml"))
    texts = [p.read_bytes() for p in manifests]
    for name, data in hostile_manifests(texts[0].decode()).items():
        add("manifest", f"hostile-{name}", data, "yaml")
    for k in range(counts["manifest"]):
        data, how = mutate(rng, rng.choice(texts), rng.choice(texts))
        add("manifest", f"mut{k}-{how}", data, "yaml")

    xmls = [efatura_xml(make_proforma_truth(random.Random(seed + n))) for n in range(3)]
    for name, data in hostile_xml(xmls[0]).items():
        add("xml", f"hostile-{name}", data, "xml")
    for k in range(counts["xml"]):
        data, how = mutate(rng, rng.choice(xmls), rng.choice(xmls))
        add("xml", f"mut{k}-{how}", data, "xml")

    pdfs = [p.read_bytes() for p in SEED_PDFS]
    for name, data in hostile_pdfs(pdfs[0]).items():
        add("pdf", f"hostile-{name}", data, "pdf")
    for k in range(counts["pdf"]):
        data, how = mutate(rng, rng.choice(pdfs), rng.choice(pdfs))
        add("pdf", f"mut{k}-{how}", data, "pdf")

    png, jpeg = _page_images(SEED_PDFS[1], root)
    for name, (suffix, data) in hostile_images(png, jpeg).items():
        add("image", f"hostile-{name}", data, suffix)
    for k in range(counts["image"]):
        base, suffix = rng.choice([(png, "png"), (jpeg, "jpg")])
        data, how = mutate(rng, base, base)
        add("image", f"mut{k}-{how}", data, suffix)

    files = {p.name: p.read_bytes() for p in sorted(BASE_PACKAGE.iterdir()) if p.is_file()}
    for name, data in hostile_zips(files).items():
        add("zip", f"hostile-{name}", data, "zip")
    for k in range(counts["zip"]):
        target = rng.choice(sorted(files))  # one member of a valid package mutated: the package goes on
        data, how = mutate(rng, files[target], files[rng.choice(sorted(files))])
        add("zip", f"mut{k}-{target}-{how}", zip_of({**files, target: data}), "zip")
    return jobs
