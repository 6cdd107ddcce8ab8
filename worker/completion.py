"""A completion package: the documents a deficiency letter asked for, joined with the rest.

After a deficiency letter (eksik evrak yazısı) the applicant sends only what was missing
(guide: within the program's window, 5 business days by default). Such a package holds a
`tamamlama.yaml` instead of a full `basvuru.yaml`:

    application_no: TR63/23/FKD/MAKINE-0042
    completes: 3f2a9c1d7b0e            # optional: the submission it completes (job id)
    submitted_at: 2023-03-02T10:15:00+03:00   # optional: when the agency received it
    documents:
      sgk_calisan_listesi: sgk-calisan-listesi.pdf

It is joined with the package as screened before (the earlier submission's documents,
the completion's files added or replacing same-named ones, the manifest's `documents`
entries of the listed kinds replaced) and the joined package is screened again, so the
second result judges the whole application, not the fragment. A whole package sent as a
completion needs none of this: it is screened as it is and linked (D34).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import yaml

from evrak.dates import aware
from evrak.errors import UserError
from evrak.manifest import MANIFEST_NAMES, manifest_data
from verifiers.package import check_zip, open_package

COMPLETION_NAME = "tamamlama.yaml"
_FIELDS = {"application_no", "completes", "submitted_at", "documents"}


@dataclass(frozen=True)
class CompletionNote:
    application_no: str
    completes: str | None = None
    submitted_at: datetime | None = None
    documents: dict[str, list[str]] = field(default_factory=dict)


def parse_note(text: str, name: str = COMPLETION_NAME) -> CompletionNote:
    """tamamlama.yaml -> CompletionNote; UserError naming the field (and line) otherwise."""
    data = manifest_data(text, name)  # bounded: size limit, no aliases or duplicate keys (evrak.manifest)
    if not isinstance(data, dict):
        raise UserError("tamamlama dosyası bir eşleme (anahtar: değer) olmalı", file=name, line=1)
    unknown = sorted(set(map(str, data)) - _FIELDS)
    if unknown:
        raise UserError(f"bilinmeyen alan: {unknown[0]} (geçerli: {', '.join(sorted(_FIELDS))})", file=name)
    app = data.get("application_no")
    if not app or not isinstance(app, str | int):
        raise UserError("application_no (başvuru numarası) gerekli", file=name, field="application_no")
    docs_raw = data.get("documents") or {}
    if not isinstance(docs_raw, dict) or not docs_raw:
        raise UserError("documents: en az bir belge türü ve dosyası gerekli", file=name, field="documents")
    docs: dict[str, list[str]] = {}
    for kind, files in docs_raw.items():
        items = [files] if isinstance(files, str) else files
        if not isinstance(items, list) or not items or not all(isinstance(f, str) and f for f in items):
            raise UserError("dosya adı ya da dosya adları listesi olmalı", file=name, field=f"documents.{kind}")
        for f in items:
            p = PurePosixPath(f)
            if p.is_absolute() or ".." in p.parts:
                raise UserError(f"geçersiz dosya yolu: {f}", file=name, field=f"documents.{kind}")
        docs[str(kind)] = list(items)
    submitted = data.get("submitted_at")
    if submitted is not None:
        if isinstance(submitted, str):
            try:
                submitted = datetime.fromisoformat(submitted)
            except ValueError:
                raise UserError(f"zaman ISO biçiminde olmalı (2023-03-02T10:15:00+03:00): {submitted!r}",
                                file=name, field="submitted_at") from None
        if not isinstance(submitted, datetime):
            raise UserError("zaman ISO biçiminde olmalı (2023-03-02T10:15:00+03:00)", file=name,
                            field="submitted_at")
        submitted = aware(submitted)
    completes = data.get("completes")
    return CompletionNote(str(app).strip(), str(completes).strip() if completes else None, submitted, docs)


def _root_with(folder: Path, name: str) -> Path | None:
    if (folder / name).is_file():
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__MACOSX", "."))]
    if len(subs) == 1 and (subs[0] / name).is_file():
        return subs[0]
    return None


def is_completion(source: Path) -> bool:
    """True for a folder or zip holding tamamlama.yaml and no basvuru.yaml (a partial package)."""
    source = Path(source)
    if source.is_dir():
        return _root_with(source, COMPLETION_NAME) is not None and not any(
            _root_with(source, n) for n in MANIFEST_NAMES)
    if not zipfile.is_zipfile(source):
        return False
    with zipfile.ZipFile(source) as zf:
        names = {PurePosixPath(n).name for n in zf.namelist() if len(PurePosixPath(n).parts) <= 2}
    return COMPLETION_NAME in names and not names & set(MANIFEST_NAMES)


@dataclass
class Completion:
    root: Path
    note: CompletionNote
    files: list[str]


@contextmanager
def open_completion(source: Path) -> Iterator[Completion]:
    """The completion's folder (a zip extracted safely to a temporary folder) and its note."""
    source = Path(source)
    tmp: Path | None = None
    try:
        if source.is_dir():
            folder = source
        else:
            tmp = Path(tempfile.mkdtemp(prefix="evrak-tamamlama-"))
            try:
                with zipfile.ZipFile(source) as zf:
                    for info in check_zip(zf, source.name):
                        target = tmp / info.filename
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with zf.open(info) as src, target.open("wb") as out:
                            shutil.copyfileobj(src, out)
            except zipfile.BadZipFile as exc:
                raise UserError(f"zip açılamadı: {exc}", file=source.name) from None
            folder = tmp
        root = _root_with(folder, COMPLETION_NAME)
        if root is None:
            raise UserError(f"paketin içinde {COMPLETION_NAME} yok", file=source.name)
        note = parse_note((root / COMPLETION_NAME).read_text(encoding="utf-8"))
        files = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                       if p.is_file() and p.name != COMPLETION_NAME and not p.name.startswith(".")
                       and not p.is_symlink())
        for kind, names in note.documents.items():
            for n in names:
                if n not in files:
                    raise UserError(f"dosya tamamlama paketinde yok: {n}", file=COMPLETION_NAME,
                                    field=f"documents.{kind}")
        yield Completion(root, note, files)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def join(base_source: Path, completion: Completion, dest: Path) -> Path:
    """The earlier package with the completion's files and documents entries: a new folder at `dest`.

    The manifest keeps everything of the earlier one (submission time, budget, applicant);
    only the `documents` entries of the kinds the completion lists are replaced.
    """
    with open_package(base_source) as base:
        if base.manifest.application_no != completion.note.application_no:
            raise UserError(f"tamamlama başka bir başvuruya ait: {completion.note.application_no} "
                            f"(önceki paket {base.manifest.application_no})", file=COMPLETION_NAME,
                            field="application_no")
        shutil.copytree(base.root, dest, symlinks=False)
        manifest_name = base.manifest_path.name
    for name in completion.files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(completion.root / name, target)
    manifest_path = dest / manifest_name
    text = manifest_path.read_text(encoding="utf-8")
    data = manifest_data(text, manifest_name)  # the manifest's own bounded reader (aliases refused etc.)
    docs = dict(data.get("documents") or {})
    docs.update(completion.note.documents)
    data["documents"] = docs
    # written back as YAML whatever it was; the JSON original is replaced by basvuru.yaml
    manifest_path.unlink()
    (dest / "basvuru.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return dest

