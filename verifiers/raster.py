"""Pages to pixels to text, within bounds: rendering a PDF page or decoding a scan for OCR,
in worker processes that can be killed when a document runs over its time limit.

Why processes: rasterising and OCR are the work a hostile or huge document can make
unbounded, and a thread cannot be stopped. Each page is one job; OCR_WORKERS jobs run at
once with one Tesseract thread each (OMP_THREAD_LIMIT=1), which on 2 cores is faster than
one Tesseract with two threads. A document over its deadline has its workers killed with
their Tesseract children (each worker leads its own process group), and the pages not done
become a finding. Pixel budgets (evrak/limits.py) are applied before anything is allocated.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import math
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from evrak import limits
from verifiers.ocr import OcrError, Word, ocr_image, page_dpi
from verifiers.ocr_columns import reread_broken_bands

Source = str | bytes  # a file path, or the file's bytes (a PDF inside a signed container)
# Pillow warns from 89 MP and refuses from twice its limit; the project's one bound is ours
# (checked on the header before decoding), so Pillow's is aligned with it.
Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS


class BoundExceeded(Exception):
    """A pixel or size bound would be exceeded; the message is Turkish, for findings."""


@dataclass
class PageJob:
    source: Source
    kind: str  # "pdf" | "image"
    index: int  # page or frame, 0-based
    scale: float = 1.0  # pdf: render scale; image: resize factor (≤ 1)
    timeout_s: float = limits.OCR_PAGE_TIMEOUT_S


@dataclass
class PageText:
    index: int
    text: str = ""
    confidence: float = 0.0
    angle: float = 0.0
    words: list[Word] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    dpi: float = 0.0
    error: str | None = None  # Turkish, when the page could not be read
    seconds: float = 0.0  # wall time in the worker
    cpu_s: float = 0.0  # CPU time of the worker and its Tesseract process (independent of machine load)


# --- budgets -------------------------------------------------------------------------------

def pdf_page_scale(width_pt: float, height_pt: float) -> tuple[float, int]:
    """Render scale for OCR within the per-page pixel budget, and the pixels it gives.

    300 dpi when the page is of paper size; a larger page is rendered at a lower resolution
    so that it stays within MAX_PAGE_PIXELS, and refused when that would fall below
    MIN_OCR_DPI (a 14,400 pt page would need 11 GB at 300 dpi)."""
    if width_pt <= 0 or height_pt <= 0 or not math.isfinite(width_pt * height_pt):
        raise BoundExceeded("sayfa boyutu geçersiz")
    scale = limits.OCR_DPI / 72
    if width_pt * height_pt * scale * scale > limits.MAX_PAGE_PIXELS:
        scale = math.sqrt(limits.MAX_PAGE_PIXELS / (width_pt * height_pt))
    if scale * 72 < limits.MIN_OCR_DPI:
        cm = 2.54 / 72
        raise BoundExceeded(f"sayfa çok büyük ({width_pt * cm:.0f} × {height_pt * cm:.0f} cm); OCR için "
                            f"{limits.MAX_PAGE_PIXELS // 1_000_000} MP sınırında okunabilir çözünürlük kalmıyor")
    pixels = int(width_pt * scale) * int(height_pt * scale)
    return scale, pixels


def image_scale(width: int, height: int) -> float:
    """Resize factor (≤ 1) that brings a scan within the per-page OCR pixel budget."""
    pixels = width * height
    if pixels > limits.MAX_IMAGE_PIXELS:
        raise BoundExceeded(f"görüntü çok büyük ({pixels / 1e6:.0f} MP; sınır "
                            f"{limits.MAX_IMAGE_PIXELS // 1_000_000} MP)")
    return 1.0 if pixels <= limits.MAX_PAGE_PIXELS else math.sqrt(limits.MAX_PAGE_PIXELS / pixels)


@contextlib.contextmanager
def bomb_guard():
    """Pillow's decompression-bomb warning and error become BoundExceeded (a finding), never a
    raw warning on stderr or an exception that stops the package."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise BoundExceeded(f"görüntü çok büyük (Pillow sıkıştırma bombası denetimi: {exc})") from exc


def open_image(source: Source) -> Image.Image:
    """Open a scan lazily (header only) under the bomb guard; the caller checks its size."""
    with bomb_guard():
        return Image.open(source if isinstance(source, str) else _bytes_io(source))


def _bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


# --- the work of one page (runs in a worker) ----------------------------------------------------

def _render_pdf_page(job: PageJob) -> Image.Image:
    pdf = pdfium.PdfDocument(job.source)
    try:
        page = pdf[job.index]
        return page.render(scale=job.scale, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def _dpi_of(job: PageJob, img: Image.Image) -> float | None:
    """Resolution of the image OCR gets: the render scale for a PDF page; for a scan file its
    declared dpi, times the resize factor (None when it declares none)."""
    if job.kind == "pdf":
        return job.scale * 72
    declared = img.info.get("dpi") or img.info.get("resolution")
    try:
        x = float(declared[0] if isinstance(declared, tuple) else declared)
    except (TypeError, ValueError):
        return None
    return x * job.scale if x > 1 else None


def _load_frame(job: PageJob) -> Image.Image:
    with bomb_guard():
        img = open_image(job.source)
        if job.index:
            img.seek(job.index)
        if job.scale < 1 and img.format == "JPEG":
            img.draft("L", (int(img.width * job.scale), int(img.height * job.scale)))  # decode smaller
        img = img.convert("L")
    if job.scale < 1:
        target = (max(1, int(img.width * job.scale)), max(1, int(img.height * job.scale)))
        if img.width * img.height > target[0] * target[1] * 1.05:
            img = img.resize(target, Image.Resampling.LANCZOS)
    return img


def ocr_job(job: PageJob) -> PageText:
    """Render or decode one page and OCR it; every failure is a Turkish message, not a raise."""
    started, cpu = time.monotonic(), os.times()
    out = PageText(job.index)
    try:
        img = _render_pdf_page(job) if job.kind == "pdf" else _load_frame(job)
        dpi = _dpi_of(job, img)
        res = ocr_image(img, timeout_s=job.timeout_s, dpi=dpi)
        # side-by-side columns that broke psm 4's lines: those bands read again, column by column
        res = reread_broken_bands(img, res, dpi=page_dpi(img, dpi), timeout_s=job.timeout_s / 2)
        out.text, out.confidence, out.angle, out.words, out.size = (res.text, res.confidence, res.angle, res.words,
                                                                    res.size)
        out.dpi = job.scale * 72 if job.kind == "pdf" else 0.0
    except BoundExceeded as exc:
        out.error = str(exc)
    except OcrError as exc:
        out.error = str(exc)
    except pdfium.PdfiumError as exc:
        out.error = f"sayfa görüntüye çevrilemedi ({exc})"
    except (OSError, UnidentifiedImageError, ValueError, EOFError) as exc:
        out.error = f"görüntü çözülemedi ({type(exc).__name__})"
    except MemoryError:
        out.error = "sayfa için bellek yetmedi"
    out.seconds = time.monotonic() - started
    now = os.times()
    out.cpu_s = sum(now[:4]) - sum(cpu[:4])
    return out


# --- running jobs: parallel, killable -------------------------------------------------------------
# Workers are plain subprocesses (`python -m verifiers.ocr_worker`), each the leader of its own
# process group, fed one pickled job at a time over a pipe: unlike a multiprocessing pool they
# need nothing from the caller's __main__, work inside daemonic Celery children, and a worker
# that dies (the OS killed it) is seen at once as EOF instead of a result that never comes.

_HEADER = struct.Struct("!Q")


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen([sys.executable, "-m", "verifiers.ocr_worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, start_new_session=True, env=env)
        self.job: int | None = None  # index into the current batch
        self.idle_since = time.monotonic()

    def send(self, i: int, job: PageJob) -> None:
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.proc.stdin is not None
        self.proc.stdin.write(_HEADER.pack(len(payload)) + payload)
        self.proc.stdin.flush()
        self.job = i

    def receive(self) -> PageText | None:
        assert self.proc.stdout is not None
        head = self.proc.stdout.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return None
        (n,) = _HEADER.unpack(head)
        return pickle.loads(self.proc.stdout.read(n))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # with its Tesseract child
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for f in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                f.close()


_idle: list[_Worker] = []
_owner = os.getpid()  # a forked child must not share its parent's worker pipes


def _take_idle() -> _Worker:
    global _owner
    if os.getpid() != _owner:  # inherited through fork: those workers are the parent's
        _idle.clear()
        _owner = os.getpid()
    while _idle:
        w = _idle.pop()
        if w.proc.poll() is None and time.monotonic() - w.idle_since < limits.OCR_WORKER_IDLE_S:
            return w
        w.kill()  # retired before it could retire itself mid-handover
    return _Worker()


def kill_workers() -> None:
    """Stop the idle OCR workers (busy ones are killed by the run that owns them)."""
    if os.getpid() != _owner:
        return
    while _idle:
        _idle.pop().kill()


atexit.register(kill_workers)


def run_jobs(jobs: list[PageJob], deadline_s: float) -> tuple[list[PageText], bool]:
    """OCR the jobs, OCR_WORKERS at a time; results in job order (an error text on pages not
    done) and whether the deadline cut the work. At the deadline the busy workers are
    killed with their Tesseract processes: nothing of the document goes on running."""
    if not jobs:
        return [], False
    started = time.monotonic()
    results: list[PageText | None] = [None] * len(jobs)
    queue = list(range(len(jobs)))
    busy: list[_Worker] = []
    cut = False
    try:
        while queue or busy:
            while queue and len(busy) < limits.OCR_WORKERS:
                i = queue.pop(0)
                w = _take_idle()
                try:
                    w.send(i, jobs[i])
                except (BrokenPipeError, OSError):  # a stale idle worker: replace it once
                    w.kill()
                    w = _Worker()
                    w.send(i, jobs[i])
                busy.append(w)
            left = deadline_s - (time.monotonic() - started)
            if left <= 0:
                cut = True
                break
            ready = select.select([w.proc.stdout for w in busy], [], [], left)[0]
            for w in [w for w in busy if w.proc.stdout in ready]:
                busy.remove(w)
                assert w.job is not None
                out = w.receive()
                if out is None:
                    results[w.job] = PageText(jobs[w.job].index, error="OCR işlemi beklenmedik biçimde durdu")
                    w.kill()
                else:
                    results[w.job] = out
                    w.idle_since = time.monotonic()
                    _idle.append(w)
    finally:
        for w in busy:
            w.kill()
    final = [r if r is not None else PageText(jobs[i].index, error=TIMEOUT) for i, r in enumerate(results)]
    return final, cut


TIMEOUT = "süre sınırı"


def serve() -> None:
    """Worker loop: read a job, answer with its result, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with contextlib.suppress(ValueError, OSError):  # a hard memory ceiling, inherited by Tesseract
        resource.setrlimit(resource.RLIMIT_AS, (limits.OCR_WORKER_MEMORY_BYTES, limits.OCR_WORKER_MEMORY_BYTES))
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the result pipe
    while True:
        if not select.select([inp], [], [], 2 * limits.OCR_WORKER_IDLE_S)[0]:
            return  # idle too long: the parent has retired this worker already
        head = inp.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return
        (n,) = _HEADER.unpack(head)
        job = pickle.loads(inp.read(n))
        payload = pickle.dumps(ocr_job(job), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_HEADER.pack(len(payload)) + payload)
        out.flush()


def source_of(path: str | Path, data: bytes | None) -> Source:
    return data if data is not None else str(path)
