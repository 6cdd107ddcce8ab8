"""`evrak watch DIR`: the drop folder. Intake only; workers run elsewhere (`evrak worker`).

paperless-ngx's consume folder, adapted (architecture.md): file system events (inotify,
or polling for network shares with --poll) only *nominate* inbox entries. When an entry
counts as complete is a contract (docs/service.md):

- a folder with a `.ready` file inside is complete (the sender writes it last); the
  marker is removed before hashing, so the job's hash is the package's own;
- a name that starts with a dot (or ends in .part, .tmp ...) is never taken: copy under
  such a name and rename, which is atomic;
- otherwise (fallback, unless EVRAK_REQUIRE_READY=1) an entry must keep its size and mtime
  (for a folder: file count, total size, newest mtime) for EVRAK_SETTLE_S, and then a
  .zip must be a readable zip and a folder's manifest must be there with every file it
  names (a manifest that does not load is taken: it fails at once). A copy that pauses
  longer than the settle time is therefore not taken half-done; one that never completes
  is taken after EVRAK_ZIP_WAIT_S / EVRAK_FOLDER_WAIT_S so that it fails with its reason
  instead of waiting for ever.

A startup scan and a rescan every EVRAK_RESCAN_S catch whatever events were missed, so a
watcher restarted while files wait in the inbox loses nothing. The watcher also runs the
sweep.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from evrak.errors import UserError
from evrak.manifest import MANIFEST_NAMES, load_manifest
from verifiers.package import sha256_of
from worker import completion, settings
from worker.intake import take
from worker.layout import Layout, ignored
from worker.store import JobStore, get_store
from worker.store_health import StoreGuard, is_store_error
from worker.sweep import sweep

log = logging.getLogger("evrak.watch")

Signature = tuple[int, int, int]

#: The completion marker of a folder package: `touch PKG/.ready` after the last file is copied.
READY_MARKER = ".ready"


def signature(path: Path) -> Signature | None:
    """(entries, bytes, newest mtime ns) of a file or a folder tree; None if it vanished."""
    try:
        if path.is_dir() and not path.is_symlink():
            count, size, newest = 0, 0, path.stat().st_mtime_ns
            for p in path.rglob("*"):
                st = p.lstat()
                count += 1
                size += st.st_size
                newest = max(newest, st.st_mtime_ns)
            return count, size, newest
        st = path.stat()
        return 1, st.st_size, st.st_mtime_ns
    except FileNotFoundError:
        return None


def _manifest_in(folder: Path) -> Path | None:
    """The manifest of a folder package: at its top or in its single sub-folder (as open_package)."""
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "__MACOSX"))]
    for base in (folder, *subs[:len(subs) == 1]):
        for n in MANIFEST_NAMES:
            if (base / n).is_file():
                return base / n
    return None


def folder_incomplete(folder: Path) -> str | None:
    """Why a folder without its marker does not look complete yet; None if it does.

    The fallback of the intake contract: the manifest is there, and every file it names is
    there. A manifest that does not load is taken as it is (it has settled: the worker fails
    the package at once with its reason; waiting would only delay that). Whether each file
    is whole is left to the settle time.
    """
    manifest = _manifest_in(folder)
    if manifest is None and completion.is_completion(folder):
        return _completion_incomplete(folder)
    if manifest is None:
        return "basvuru.yaml henüz yok"
    try:
        named = load_manifest(manifest).named_files()
    except Exception:  # UserError or worse: the worker reports it; the watcher never stops on it
        return None
    missing = sorted(n for n in named if not (manifest.parent / n).is_file())
    if missing:
        return f"başvuru dosyasında adı geçen {len(missing)} dosya henüz yok: {', '.join(missing[:3])}"
    return None


def _completion_incomplete(folder: Path) -> str | None:
    """A completion folder (tamamlama.yaml, D34): complete when every file it names is there."""
    try:
        with completion.open_completion(folder):
            return None
    except UserError as exc:
        return f"tamamlama dosyası: {exc}"
    except Exception as exc:  # a hostile note must not stop the watcher; the worker reports it
        return f"tamamlama dosyası okunamadı ({type(exc).__name__})"


@dataclass
class Candidate:
    sig: Signature
    stable_since: float
    first_seen: float


class _Nominate(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.nominate_path(Path(raw.decode() if isinstance(raw, bytes) else raw))


class Watcher:
    """Drop-folder intake for DIR: DIR/inbox -> job rows + DIR/work/<id>/ + a queue message."""

    def __init__(self, base: Path, *, poll: bool = False, store: JobStore | None = None,
                 stop: threading.Event | None = None) -> None:
        self.layout = Layout.at(base)
        self.poll = poll
        self.store = store or get_store()
        self.guard = StoreGuard(self.store.url, log)
        self.candidates: dict[str, Candidate] = {}
        self.nominated: set[str] = set()
        self.lock = threading.Lock()
        self.stop = stop or threading.Event()
        self.taken = 0

    def nominate_path(self, path: Path) -> None:
        try:
            rel = path.resolve().relative_to(self.layout.inbox)
        except ValueError:
            return
        if rel.parts:
            with self.lock:
                self.nominated.add(rel.parts[0])

    def scan(self) -> None:
        """Nominate everything in the inbox (startup scan and periodic rescan)."""
        names = [p.name for p in self.layout.inbox.iterdir()]
        with self.lock:
            self.nominated.update(names)

    def tick(self, now: float | None = None) -> int:
        """Look at every candidate once; take those that have settled. Returns how many taken."""
        now = time.monotonic() if now is None else now
        with self.lock:
            names = self.nominated | set(self.candidates)
            self.nominated.clear()
        taken = 0
        for name in sorted(names):
            if self.stop.is_set() or not self.guard.healthy:
                with self.lock:  # look again once the store is back
                    self.nominated.add(name)
                continue
            if ignored(name):
                self.candidates.pop(name, None)
                continue
            path = self.layout.inbox / name
            sig = signature(path)
            if sig is None:
                self.candidates.pop(name, None)
                continue
            cand = self.candidates.get(name)
            if cand is None:
                cand = self.candidates[name] = Candidate(sig, now, now)
            elif sig != cand.sig:
                cand.sig, cand.stable_since = sig, now
            is_dir = path.is_dir() and not path.is_symlink()
            if not (is_dir and (path / READY_MARKER).is_file()):  # the marker: complete at once
                if now - cand.stable_since < settings.settle_s() or not self._looks_complete(
                        name, path, is_dir, now - cand.first_seen):
                    continue
            if self._take(path, sig):
                self.candidates.pop(name, None)
                taken += 1
            else:
                cand.stable_since = now
        self.taken += taken
        return taken

    def _looks_complete(self, name: str, path: Path, is_dir: bool, waited: float) -> bool:
        """The fallback after settling: a readable zip; a folder whose manifest's files are there.

        Past EVRAK_ZIP_WAIT_S / EVRAK_FOLDER_WAIT_S an incomplete entry is taken anyway, so it
        fails with its reason (a package that names a file it lacks) instead of waiting for ever.
        """
        if is_dir:
            if settings.require_ready():
                return False  # the contract is the marker alone
            why = folder_incomplete(path)
            if why is None or waited >= settings.folder_wait_s():
                return True
            log.debug("bekleniyor: %s (%s)", name, why)
            return False
        if name.lower().endswith(".zip") and path.is_file() and not zipfile.is_zipfile(path):
            return waited >= settings.zip_wait_s()  # still being written (no central directory yet)
        return True

    def _take(self, path: Path, sig: Signature) -> bool:
        try:
            marker = path / READY_MARKER
            if path.is_dir() and marker.is_file():
                marker.unlink()  # not part of the package: its hash is the package's own
                sig = signature(path) or sig
            sha = sha256_of(path)
            if signature(path) != sig:  # changed while hashing: wait for it to settle again
                return False
            take(path, self.layout, sha256=sha, store=self.store)
            return True
        except FileNotFoundError:
            return True  # gone (taken by hand): nothing to do
        except Exception as exc:
            if is_store_error(exc):  # the store, not the package: check it, say it once
                self.guard.failed(exc, f"{path.name} alınamadı")
            else:
                log.exception("alınamadı, sonra yeniden denenecek: %s", path.name)
            return False

    def _sweep(self) -> None:
        try:
            rep = sweep(layouts=[self.layout], store=self.store)
            if rep.requeued or rep.failed or rep.resent or rep.moved:
                log.info("sweep: yeniden kuyruk %s, başarısız %s, yeniden gönderilen %s, taşınan %s",
                         rep.requeued, rep.failed, rep.resent, rep.moved)
        except Exception as exc:
            if is_store_error(exc):
                self.guard.failed(exc, "sweep")
            else:
                log.exception("sweep failed")

    def run(self) -> None:
        """Until `stop` is set: events, scans, settling, intake and sweeps."""
        interval = settings.scan_interval_s()
        observer = PollingObserver(timeout=interval) if self.poll else Observer()
        observer.schedule(_Nominate(self), str(self.layout.inbox), recursive=True)
        observer.start()
        log.info("izleniyor: %s (%s)", self.layout.inbox, "polling" if self.poll else "inotify")
        try:
            if self.guard.start(full=False):
                self._sweep()
            self.scan()
            last_rescan = last_sweep = time.monotonic()
            while not self.stop.is_set():
                if not self.guard.usable():  # broken store: take nothing, say so now and then
                    self.stop.wait(interval)
                    continue
                self.tick()
                now = time.monotonic()
                if now - last_rescan >= settings.rescan_s():
                    self.scan()
                    last_rescan = now
                if now - last_sweep >= settings.sweep_s():
                    self._sweep()
                    last_sweep = now
                self.stop.wait(interval)
        finally:
            observer.stop()
            observer.join(timeout=5)


def run_watch(base: Path, *, poll: bool = False, with_worker: bool = False,
              concurrency: int | None = None) -> int:
    """The `evrak watch` command: runs until SIGINT/SIGTERM; with_worker starts `evrak worker` too."""
    stop = threading.Event()

    def _stop(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # the job store must pass its check before anything is taken (a damaged SQLite file:
    # one line now and then, no tracebacks, nothing taken, until it is repaired)
    if not StoreGuard(settings.db_url(), log).wait_until_usable(stop):
        return 0
    watcher = Watcher(base, poll=poll, stop=stop)
    child: subprocess.Popen | None = None
    if with_worker:
        cmd = [sys.executable, "-m", "worker.cli", "worker"]
        if concurrency:
            cmd += ["--concurrency", str(concurrency)]
        child = subprocess.Popen(cmd)
    try:
        watcher.run()
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0
