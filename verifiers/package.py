"""Opening an application package: a folder or a zip of it (package-format.md).

The original is never changed: a zip is checked whole before anything is extracted (no
absolute paths, no `..`, no links, size, count and ratio limits) and extracted into a
temporary folder. A refusal names the package and the reason.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from evrak.errors import UserError
from evrak.manifest import MANIFEST_NAMES, Manifest, find_manifest, load_manifest

MAX_FILES = 500
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, against zip bombs
MAX_NAME_BYTES = 255  # one path component, as most file systems allow
MAX_PATH_BYTES = 1024


@dataclass
class Package:
    source: Path  # what was given: folder or zip
    root: Path  # folder holding basvuru.yaml and the documents
    manifest: Manifest
    manifest_path: Path
    files: list[str] = field(default_factory=list)  # relative paths, manifest excluded
    sha256: str = ""

    def path(self, name: str) -> Path:
        return self.root / name


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, or of a folder's (relative name, content) pairs in sorted order."""
    h = hashlib.sha256()
    if path.is_dir():
        for p in sorted(x for x in path.rglob("*") if x.is_file()):
            h.update(str(p.relative_to(path)).encode())
            h.update(b"\0")
            with p.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
    else:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def check_zip(zf: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The members to extract, or UserError with the first reason the zip is refused."""
    infos = zf.infolist()
    files = [i for i in infos if not i.is_dir()]
    if len(files) > MAX_FILES:
        raise UserError(f"zip reddedildi: {len(files)} dosya var, en çok {MAX_FILES}", file=name)
    total = 0
    seen: dict[str, str] = {}  # normalised path -> as written in the zip
    for info in infos:
        p = PurePosixPath(info.filename.replace("\\", "/"))
        _check_name(info.filename, p, name)
        key = unicodedata.normalize("NFC", str(p))
        if not info.is_dir():
            if key in seen:
                raise UserError(f"zip reddedildi: aynı adda iki dosya var ({_short(info.filename)}); "
                                "hangisinin geçerli olduğu belli değil", file=name)
            seen[key] = info.filename
        if info.filename.startswith(("/", "\\")) or (p.parts and ":" in p.parts[0]):
            raise UserError(f"zip reddedildi: mutlak yol içeriyor ({info.filename})", file=name)
        if ".." in p.parts:
            raise UserError(f"zip reddedildi: '..' içeren yol ({info.filename})", file=name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UserError(f"zip reddedildi: bağlantı (symlink) içeriyor ({info.filename})", file=name)
        if info.flag_bits & 0x1:
            raise UserError(f"zip reddedildi: şifreli dosya ({info.filename})", file=name)
        if info.file_size > MAX_FILE_BYTES:
            raise UserError(f"zip reddedildi: {info.filename} çok büyük", file=name)
        ratio = info.file_size / info.compress_size if info.compress_size else 0
        if ratio > MAX_RATIO and info.file_size > 1 << 20:
            raise UserError(f"zip reddedildi: olağandışı sıkıştırma oranı ({info.filename})", file=name)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise UserError(f"zip reddedildi: açılmış boyut {total // (1 << 20)} MB, en çok "
                        f"{MAX_TOTAL_BYTES // (1 << 20)} MB", file=name)
    for key, written in seen.items():  # a file "a" and a file "a/b" cannot both be extracted
        parent = PurePosixPath(key).parent
        while str(parent) not in (".", "/", ""):
            if str(parent) in seen:
                raise UserError(f"zip reddedildi: '{_short(seen[str(parent)])}' hem dosya hem klasör adı "
                                f"({_short(written)})", file=name)
            parent = parent.parent
    return files


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _check_name(raw: str, p: PurePosixPath, name: str) -> None:
    """Names a file system can hold: no empty or overlong parts, no control characters."""
    if any(len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES for part in p.parts) \
            or len(raw.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise UserError(f"zip reddedildi: dosya adı çok uzun ({_short(raw)})", file=name)
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise UserError(f"zip reddedildi: dosya adında denetim karakteri var ({_short(raw)!r})", file=name)


def _extract(zip_path: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(zip_path) as zf:
            members = check_zip(zf, str(zip_path))
            written = 0
            for info in members:
                target = dest / info.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > MAX_TOTAL_BYTES:  # sizes in the header can lie
                            raise UserError("zip reddedildi: açılmış boyut sınırı aşıldı", file=str(zip_path))
                        out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # damaged headers or compressed data
        raise UserError(f"zip bozuk, açılamadı ({type(exc).__name__}: {_short(str(exc))})",
                        file=str(zip_path)) from None
    except NotImplementedError as exc:  # a compression method Python cannot read (e.g. Deflate64)
        raise UserError(f"zip açılamadı: desteklenmeyen sıkıştırma ({_short(str(exc))}); "
                        "standart ZIP (Deflate) olarak yeniden sıkıştırın", file=str(zip_path)) from None
    except OSError as exc:
        if exc.errno in (errno.ENAMETOOLONG, errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.EILSEQ):
            raise UserError(f"zip açılamadı: bir dosya adı bu sistemde yazılamıyor ({exc.strerror})",
                            file=str(zip_path)) from None
        raise


def _package_root(folder: Path) -> Path:
    """The folder with the manifest: the folder itself or its single sub-folder (zips often wrap)."""
    if any((folder / n).is_file() for n in MANIFEST_NAMES):
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__MACOSX", "."))]
    if len(subs) == 1 and any((subs[0] / n).is_file() for n in MANIFEST_NAMES):
        return subs[0]
    return folder


@contextmanager
def open_package(source: Path) -> Iterator[Package]:
    """Yield the package ready to read; a zip is extracted to a temporary folder, then removed."""
    source = Path(source)
    if not source.exists():
        raise UserError("paket bulunamadı", file=str(source))
    tmp: Path | None = None
    try:
        if source.is_dir():
            folder = source
        elif zipfile.is_zipfile(source):
            tmp = Path(tempfile.mkdtemp(prefix="evrak-pkg-"))
            _extract(source, tmp)
            folder = tmp
        else:
            raise UserError("paket bir klasör ya da .zip olmalı", file=str(source))
        root = _package_root(folder)
        try:
            manifest_path = find_manifest(root)
            manifest = load_manifest(manifest_path)
        except UserError as exc:
            if tmp is None or not exc.file:
                raise
            # name the zip and the path inside it, not the temporary folder it was opened into
            inside = Path(exc.file).relative_to(tmp) if Path(exc.file).is_relative_to(tmp) else None
            shown = f"{source.name}/{inside}" if inside and inside != Path(".") else source.name
            raise UserError(exc.args[0].split(": ", 1)[1] if exc.args[0].startswith(exc.file) else exc.args[0],
                            file=shown, field=exc.field, line=exc.line) from None
        files = sorted(
            str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and p != manifest_path and not p.name.startswith(".")
            and not p.is_symlink()
        )
        yield Package(source, root, manifest, manifest_path, files, sha256_of(source))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
