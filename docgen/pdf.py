"""DOCX -> PDF/A-2b through a pool of warm LibreOffice instances.

Why this design (measured on LibreOffice 7.4, no python3-uno in the venv):
- A cold `soffice --convert-to` costs ~1.1 s per document, almost all of it start-up.
- A second `soffice` started with the same `-env:UserInstallation` hands its arguments to
  the running instance over the office's IPC pipe and waits for it: ~0.08 s per document.
  But a daemon started empty exits after serving a forwarded --convert-to (nothing left
  open), so each worker keeps a small document open to stay alive.
So each pool worker is one long-lived soffice with its own profile and a keep-alive
document; conversions are sent with the client form. Every output is checked (exists,
non-empty, starts with %PDF, has pages); a dead, hung or worn instance (after
`max_docs`) is restarted and the document retried once.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from datetime import date
from hashlib import sha256
from pathlib import Path

from evrak.errors import UserError

SOFFICE = os.environ.get("EVRAK_SOFFICE") or shutil.which("soffice") or "/usr/bin/soffice"
# PDF/A-2b; LibreOffice >= 7.4 reads filter options as JSON after the filter name.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


class ConversionError(RuntimeError):
    """A document LibreOffice could not turn into a valid PDF, even after a restart."""


def check_pdf(path: Path) -> int:
    """Pages in a produced PDF; raises ConversionError when it is missing, empty or broken."""
    if not path.is_file():
        raise ConversionError(f"PDF üretilmedi: {path.name}")
    data = path.read_bytes()
    if not data:
        raise ConversionError(f"PDF boş: {path.name}")
    if not data.startswith(b"%PDF"):
        raise ConversionError(f"PDF değil: {path.name}")
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
        pages = len(doc)
        doc.close()
    except pdfium.PdfiumError as exc:
        raise ConversionError(f"PDF açılamadı: {path.name}: {exc}") from exc
    if pages < 1:
        raise ConversionError(f"PDF sayfasız: {path.name}")
    return pages


def _keepalive_doc(directory: Path) -> Path:
    """A tiny document each instance keeps open so it survives forwarded conversions."""
    path = directory / "keepalive.txt"
    path.write_text("evrak\n", encoding="utf-8")
    return path


def _processes() -> list[tuple[int, bytes]]:
    """(pid, command line) of the processes we can see."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                out.append((int(entry.name), (entry / "cmdline").read_bytes()))
            except OSError:
                continue
    return out


class Worker:
    """One long-lived soffice with its own profile."""

    _ids = itertools.count()

    def __init__(self, base: Path, *, max_docs: int = 500, timeout: float = 60.0) -> None:
        self.index = next(self._ids)
        self.dir = base / f"w{self.index}"
        self.profile = self.dir / "profile"
        self.max_docs = max_docs
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.done = 0
        self.restarts = 0

    @property
    def profile_url(self) -> str:
        return self.profile.as_uri()

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.pipe_path.unlink()  # a killed instance leaves its pipe file behind
        keep = _keepalive_doc(self.dir)
        self.proc = subprocess.Popen(
            [SOFFICE, f"-env:UserInstallation={self.profile_url}", "--headless", "--invisible",
             "--norestore", "--nologo", "--nolockcheck", "--nodefault",
             f"--accept=pipe,name={self.pipe_name};urp;", str(keep)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.done = 0
        self._wait_ready()

    @property
    def pipe_name(self) -> str:
        return f"evrak_{os.getpid()}_{self.index}"

    @property
    def pipe_path(self) -> Path:
        return Path(tempfile.gettempdir()) / f"OSL_PIPE_{os.getuid()}_{self.pipe_name}"

    def _wait_ready(self, limit: float = 60.0) -> None:
        """Wait for the instance's UNO acceptor pipe: it opens only after the office is fully
        up, including the internal restart a fresh profile makes. A client sent earlier can
        race that restart, take over the profile and leave the worker dead."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.pipe_path.exists():
                return
            if not self.alive():
                raise ConversionError(f"LibreOffice başlatılamadı (çıkış kodu {self.proc.returncode})")
            time.sleep(0.02)
        raise ConversionError("LibreOffice hazır olmadı (zaman aşımı)")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def pids(self) -> list[int]:
        """soffice.bin processes of this worker (the launcher may exec or fork it)."""
        return [pid for pid, cmd in _processes()
                if b"soffice.bin" in cmd and self.profile_url.encode() in cmd and b"--accept" in cmd]

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        for pid in self.pids():  # a soffice.bin that escaped the process group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(FileNotFoundError):
            self.pipe_path.unlink()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self.start()

    def _client(self, sources: list[Path], out_dir: Path) -> None:
        # HTML (the staff report) is opened as a Writer document, so the same PDF/A filter applies.
        infilter = ["--infilter=HTML (StarWriter)"] if all(s.suffix == ".html" for s in sources) else []
        cmd = [SOFFICE, f"-env:UserInstallation={self.profile_url}", "--headless", "--norestore",
               "--nolockcheck", *infilter, "--convert-to", PDFA_FILTER, "--outdir", str(out_dir),
               *map(str, sources)]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=self.timeout * max(1, len(sources)))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ConversionError("LibreOffice zaman aşımı") from None

    def convert(self, sources: list[Path], out_dir: Path) -> list[Path]:
        """Convert documents (one client call), checking each output; retry once after a restart."""
        if not self.alive() or self.done >= self.max_docs:
            self.restart()
        targets = [out_dir / (s.stem + ".pdf") for s in sources]
        for attempt in (1, 2):
            for t in targets:
                with contextlib.suppress(FileNotFoundError):
                    t.unlink()
            try:
                self._client(sources, out_dir)
                if not self.alive():
                    raise ConversionError(
                        f"LibreOffice süreci dönüşüm sırasında sonlandı (çıkış kodu {self.proc.returncode})")
                for t in targets:
                    check_pdf(t)
                self.done += len(sources)
                return targets
            except ConversionError:
                if attempt == 2:
                    raise
                self.restart()
        raise AssertionError("unreachable")  # pragma: no cover


_OWNED = re.compile(rb"--accept=pipe,name=evrak_(\d+)_\d+")


def reap_orphans() -> list[int]:
    """Kill evrak's LibreOffice instances whose owning process is gone.

    Instances run in their own session (so a conversion is not killed with a Ctrl-C of the
    caller); a caller killed with SIGKILL (a crashed worker) therefore leaves them running.
    The pipe name carries the owner's pid, so any later pool can tell the orphans apart.
    """
    killed = []
    for pid, cmd in _processes():
        m = _OWNED.search(cmd)
        if not m or Path(f"/proc/{int(m.group(1))}").exists():
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
    return killed


class Pool:
    """N warm LibreOffice workers (default: one per core); thread-safe `convert`."""

    def __init__(self, size: int | None = None, *, max_docs: int = 500, timeout: float = 60.0,
                 base: Path | None = None) -> None:
        if shutil.which(SOFFICE) is None and not Path(SOFFICE).exists():
            raise UserError("LibreOffice (soffice) bulunamadı; PDF üretilemez")
        self.size = size or os.cpu_count() or 1
        reap_orphans()
        self._tmp = None
        if base is None:
            self._tmp = tempfile.mkdtemp(prefix="evrak-lo-")
            base = Path(self._tmp)
        self.workers = [Worker(base, max_docs=max_docs, timeout=timeout) for _ in range(self.size)]
        self._free: queue.Queue[Worker] = queue.Queue()
        for w in self.workers:
            w.start()
            self._free.put(w)
        self._closed = False
        self._lock = threading.Lock()

    def convert(self, source: Path, out_dir: Path) -> Path:
        """Convert one DOCX to PDF/A-2b in `out_dir`; blocks for a free worker."""
        return self.convert_many([source], out_dir)[0]

    def convert_many(self, sources: list[Path], out_dir: Path) -> list[Path]:
        if self._closed:
            raise RuntimeError("pool closed")
        worker = self._free.get()
        try:
            return worker.convert([Path(s).resolve() for s in sources], Path(out_dir).resolve())
        finally:
            self._free.put(worker)

    @property
    def restarts(self) -> int:
        return sum(w.restarts for w in self.workers)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for w in self.workers:
            w.stop()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cold_convert(source: Path, out_dir: Path, timeout: float = 120.0) -> Path:
    """The naive way, for the benchmark: a fresh soffice (and profile) per document."""
    with tempfile.TemporaryDirectory(prefix="evrak-lo-cold-") as prof:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={Path(prof).as_uri()}", "--headless", "--norestore",
             "--convert-to", PDFA_FILTER, "--outdir", str(out_dir), str(source)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=timeout, check=False,
        )
    target = Path(out_dir) / (Path(source).stem + ".pdf")
    check_pdf(target)
    return target


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_UUID = re.compile(rb"(uuid:)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def pin_pdf(data: bytes, when: date | None = None) -> bytes:
    """Fix the creation dates and the file ID of a LibreOffice PDF, in place.

    Every replacement keeps the byte length, so the cross-reference offsets stay valid
    and the Info dictionary and the XMP packet still agree (PDF/A requires it). With the
    DOCX already byte-stable, the same document then converts to the same PDF bytes.
    """
    d = when or date(2000, 1, 1)
    compact = f"{d:%Y%m%d}000000".encode()
    iso = f"{d:%Y-%m-%d}T00:00:00".encode()
    data = _PDF_DATE.sub(lambda m: m.group(1) + compact, data)
    data = _XMP_DATE.sub(lambda m: m.group(1) + iso, data)
    digest = sha256(_PDF_ID.sub(b"/ID[<><>]", data)).hexdigest().upper().encode()

    def _id(m: re.Match) -> bytes:
        a = (digest * 4)[: len(m.group(1))]
        b = (digest * 4)[: len(m.group(2))]
        return m.group(0).replace(m.group(1), a, 1).replace(m.group(2), b, 1) if m.group(1) != m.group(2) \
            else m.group(0).replace(m.group(1), a)

    data = _PDF_ID.sub(_id, data)
    u = digest.decode().lower()
    fixed_uuid = f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:32]}".encode()
    return _UUID.sub(lambda m: m.group(1) + fixed_uuid, data)


