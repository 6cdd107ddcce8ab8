"""The service folder: inbox/ work/ outbox/ archive/ failed/, and moves that never overwrite.

The drop folder (`evrak watch DIR`) and `evrak submit` (EVRAK_HOME) share one layout, so
a job row only needs its base folder. Moves are renames within one file system (the
folders are siblings), so a file is always wholly in one place; a name already taken in
archive/ or failed/ gets the job id added instead of replacing the older file. Nothing
here deletes a user's file.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

#: Names in the inbox that are never taken: hidden files and the partial files of
#: browsers, rsync and copy tools, which are renamed to their final name when complete.
IGNORED_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", "~", ".error.txt")


def ignored(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower().endswith(IGNORED_SUFFIXES)


@dataclass(frozen=True)
class Layout:
    base: Path

    @classmethod
    def at(cls, base: Path | str) -> Layout:
        layout = cls(Path(base).resolve())
        for d in (layout.inbox, layout.work, layout.outbox, layout.archive, layout.failed):
            d.mkdir(parents=True, exist_ok=True)
        return layout

    @property
    def inbox(self) -> Path:
        return self.base / "inbox"

    @property
    def work(self) -> Path:
        return self.base / "work"

    @property
    def outbox(self) -> Path:
        return self.base / "outbox"

    @property
    def archive(self) -> Path:
        return self.base / "archive"

    @property
    def failed(self) -> Path:
        return self.base / "failed"

    def work_dir(self, job_id: str) -> Path:
        return self.work / job_id


def reserve(folder: Path, name: str, job_id: str, *, is_dir: bool) -> Path:
    """Claim a free name in `folder` by creating an empty placeholder there, exclusively.

    A later rename of the real file (or folder) onto the placeholder replaces it; two jobs
    finishing at once with the same file name can therefore never overwrite each other,
    and the name can be recorded in the job table before the move happens.
    """
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    while True:
        if n == 0:
            target = folder / name
        else:
            stem, suffix = (name[:-4], name[-4:]) if name.lower().endswith(".zip") else (name, "")
            tag = job_id if n == 1 else f"{job_id}-{n}"
            target = folder / f"{stem}-{tag}{suffix}"
        try:
            if is_dir:
                target.mkdir()
            else:
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return target
        except FileExistsError:
            n += 1


def is_placeholder(path: Path) -> bool:
    """An empty folder or empty file, as `reserve` leaves it."""
    try:
        if path.is_dir() and not path.is_symlink():
            return not any(path.iterdir())
        return path.is_file() and path.stat().st_size == 0
    except FileNotFoundError:
        return False


def move_onto(src: Path, target: Path) -> Path:
    """Rename src onto its reserved placeholder (or a free name); never onto real content."""
    if target.exists() and not is_placeholder(target):
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(src, target)
    return target


def move(src: Path, dest: Path) -> Path:
    """Rename src to dest, which must not exist (same file system: one atomic step)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() or dest.is_symlink():
        raise FileExistsError(dest)
    os.rename(src, dest)
    return dest


def copy_in(src: Path, dest: Path) -> Path:
    """Copy a package (file or folder) to dest via a temporary name, so dest is all or nothing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".copy-{dest.name}")
    if tmp.exists():
        shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
    if src.is_dir():
        shutil.copytree(src, tmp, symlinks=True)
    else:
        shutil.copy2(src, tmp)
    os.rename(tmp, dest)
    return dest


def write_note(folder: Path, name: str, text: str) -> Path:
    """<name>.error.txt beside a file moved aside: what happened, in Turkish, for staff."""
    note = folder / f"{name}.error.txt"
    tmp = note.with_name(f".{note.name}.tmp")
    tmp.write_text(text.rstrip() + "\n", encoding="utf-8")
    os.replace(tmp, note)
    return note
