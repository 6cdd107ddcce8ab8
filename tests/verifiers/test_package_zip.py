"""Opening package zips a user sent: damaged or odd archives are the user's error (exit 2,
one Turkish line), never a traceback; the last of two same-named entries never wins."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from evrak.errors import UserError
from verifiers.package import open_package

MANIFEST = Path(__file__).resolve().parents[2] / "tests" / "test_manifest.py"


def _manifest_text() -> str:
    text = MANIFEST.read_text(encoding="utf-8")
    return text.split('GOOD = """\\\n', 1)[1].split('"""', 1)[0]


def _zip(path: Path, entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def _open(path: Path) -> str:
    with pytest.raises(UserError) as exc, open_package(path):
        pass
    return str(exc.value)


def test_a_good_zip_opens(tmp_path: Path) -> None:
    z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode()), ("ek/a.pdf", b"%PDF-1.4")])
    with open_package(z) as pkg:
        assert pkg.manifest.application_no == "TR63/23/FKD/MAKINE-0042"
        assert pkg.files == ["ek/a.pdf"]


def test_damaged_deflate_stream_is_a_user_error(tmp_path: Path) -> None:
    z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode() * 20)])
    data = bytearray(z.read_bytes())
    info = zipfile.ZipFile(z).infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode())  # local header, then the data
    data[start:start + 40] = b"\xff" * 40  # invalid deflate blocks: zlib.error when read
    z.write_bytes(bytes(data))
    msg = _open(z)
    assert "zip bozuk" in msg and "p.zip" in msg


def test_member_cut_short_is_a_user_error(tmp_path: Path) -> None:
    """The directory says the compressed data is half as long as it is: EOFError when read."""
    big = bytes(range(256)) * 400
    z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode()), ("b.bin", big)])
    data = bytearray(z.read_bytes())
    info = zipfile.ZipFile(z).getinfo("b.bin")
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 20, info.compress_size // 2)
    struct.pack_into("<I", data, info.header_offset + 18, info.compress_size // 2)
    z.write_bytes(bytes(data))
    msg = _open(z)
    assert "zip bozuk" in msg and "p.zip" in msg


def test_file_and_folder_with_one_name_is_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode()), ("ek", b"x"), ("ek/a.pdf", b"y")])
    assert "hem dosya hem klasör" in _open(z)


def test_duplicate_entries_are_refused(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode()), ("a.pdf", b"1"),
                                      ("a.pdf", b"2")])
    assert "aynı adda iki dosya" in _open(z)


def test_overlong_name_is_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode()), ("ş" * 200 + ".pdf", b"1")])
    msg = _open(z)
    assert "çok uzun" in msg and len(msg) < 300


def test_unsupported_compression_is_a_user_error(tmp_path: Path) -> None:
    z = _zip(tmp_path / "p.zip", [("basvuru.yaml", _manifest_text().encode())], zipfile.ZIP_STORED)
    data = bytearray(z.read_bytes())
    struct.pack_into("<H", data, 8, 9)  # local header: method 9 (Deflate64), which Python cannot read
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 10, 9)
    z.write_bytes(bytes(data))
    assert "desteklenmeyen sıkıştırma" in _open(z)
