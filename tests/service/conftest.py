"""Fixtures for the service tests: real `evrak worker` / `evrak watch` processes, a real
redis-server on loopback, and small valid packages made here.

Intervals are shrunk through the EVRAK_* variables (settle 0.3 s, heartbeat 0.3 s, stale
after 2 s ...) so crash and restart scenarios run in seconds. No eager mode, no mocks.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

MANIFEST = """\
program: tr63-2023-makine
application_no: {app_no}
submitted_at: 2023-02-15T14:32:00+03:00
taahhutname_received_at: null
applicant:
  name: Örnek Makina Sanayi ve Ticaret A.Ş.
  vkn: "4540536920"
  nace: "28.22.01"
  province: Hatay
  founded_on: 2015-03-01
  size: kucuk
project:
  title: CNC ile hassas işleme
  province: Hatay
  duration_months: 6
financing:
  credit: "2100000.00"
  co_financing: "900000.00"
budget:
  - code: "3.3.1"
    heading: makine_ekipman
    description: CNC dik işleme merkezi
    amount: "1800000.00"
documents:
{documents}
"""


def tiny_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def app_no(n: int, tag: str = "T") -> str:
    return f"TR63/23/FKD/{tag}-{n:04d}"


def safe(app: str) -> str:
    from worker.pipeline import safe_name

    return safe_name(app)


def make_package(folder: Path, app: str, *, pdfs: bool = False) -> Path:
    """A package folder with a valid manifest; with pdfs, a taahhütname and a circular too."""
    folder.mkdir(parents=True)
    docs = "  taahhutname: taahhutname.pdf\n  imza_sirkuleri: imza-sirkuleri.pdf" if pdfs else "  {}"
    if not pdfs:
        text = MANIFEST.format(app_no=app, documents="").replace("documents:\n\n", "documents: {}\n")
    else:
        text = MANIFEST.format(app_no=app, documents=docs)
    (folder / "basvuru.yaml").write_text(text, encoding="utf-8")
    if pdfs:
        (folder / "taahhutname.pdf").write_bytes(tiny_pdf(f"Taahhütname {app}"))
        (folder / "imza-sirkuleri.pdf").write_bytes(tiny_pdf(f"İmza sirküleri {app}"))
    return folder


def zip_bytes(app: str, *, padding: int = 0) -> bytes:
    """A zipped package; `padding` bytes of incompressible filler make it big enough to copy slowly."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("paket/basvuru.yaml", MANIFEST.format(app_no=app, documents="").replace(
            "documents:\n\n", "documents: {}\n"))
        zf.writestr("paket/taahhutname.pdf", tiny_pdf(f"Taahhütname {app}"))
        if padding:
            zf.writestr("paket/ek-dosya.bin", os.urandom(padding), compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()


def wait_for(pred: Callable[[], object], timeout: float, what: str, step: float = 0.1) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:g} s waiting for: {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """Processes of one service installation (one EVRAK_HOME, one drop folder)."""

    def __init__(self, root: Path, broker_url: str | None = None, **env: str) -> None:
        self.root = root
        self.drop = root / "drop"
        self.home = root / "home"
        self.logs = root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "EVRAK_HOME": str(self.home), "PYTHONUNBUFFERED": "1",
                    "EVRAK_SETTLE_S": "0.3", "EVRAK_SCAN_S": "0.1", "EVRAK_RESCAN_S": "2",
                    "EVRAK_SWEEP_S": "0.5", "EVRAK_HEARTBEAT_S": "0.3", "EVRAK_STALE_S": "2",
                    "EVRAK_REQUEUE_AFTER_S": "5", "EVRAK_RETRY_BASE_S": "0.2", "EVRAK_MAX_ATTEMPTS": "3",
                    "EVRAK_BROKER_POLL_S": "0.05", "EVRAK_ZIP_WAIT_S": "60", "EVRAK_PDF": "0"}
        for k in [k for k in self.env if k in ("EVRAK_DB_URL", "EVRAK_BROKER_URL", "EVRAK_TEST_SLOW_JOB_S",
                                                "EVRAK_TEST_FAIL_MATCH")]:
            del self.env[k]
        if broker_url:
            self.env["EVRAK_BROKER_URL"] = broker_url
        self.env.update(env)
        self.procs: list[subprocess.Popen] = []
        self._store = None
        self._n = 0

    @property
    def store(self):
        from worker.store import JobStore

        if self._store is None:
            self._store = JobStore(f"sqlite:///{self.home / 'evrak.db'}")
        return self._store

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        self._n += 1
        log = (self.logs / f"{self._n:02d}-{args[0]}.log").open("w")
        p = subprocess.Popen([sys.executable, "-m", "worker.cli", *args], cwd=REPO,
                             env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def worker(self, concurrency: int = 2, **env: str) -> subprocess.Popen:
        return self.start("worker", "--concurrency", str(concurrency), **env)

    def watcher(self, **env: str) -> subprocess.Popen:
        return self.start("watch", str(self.drop), **env)

    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "worker.cli", *args], cwd=REPO, env={**self.env, **env},
                              capture_output=True, text=True, timeout=120)

    def kill9(self, p: subprocess.Popen) -> None:
        """kill -9 the whole process group: the worker and its pool children die at once."""
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(timeout=10)

    def stop(self, p: subprocess.Popen, timeout: float = 30) -> None:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill9(p)
        else:
            try:  # the leader is gone; its pool children must not outlive the test
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        for p in self.procs:
            self.stop(p)
        if self._store is not None:
            self._store.engine.dispose()

    def log_tail(self, n: int = 40) -> str:
        out = []
        for f in sorted(self.logs.iterdir()):
            lines = f.read_text(errors="replace").splitlines()
            out.append(f"--- {f.name}\n" + "\n".join(lines[-n:]))
        return "\n".join(out)

    # --- looking at the drop folder ---------------------------------------------

    def names(self, sub: str) -> list[str]:
        d = self.drop / sub
        return sorted(p.name for p in d.iterdir()) if d.is_dir() else []

    def drop_all(self, packages: list[Path]) -> None:
        """Rename prepared packages into the inbox at once (a deadline rush)."""
        inbox = self.drop / "inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        for p in packages:
            os.rename(p, inbox / p.name)

    def states(self) -> dict[str, int]:
        return self.store.count_by_state()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on a free loopback port, no persistence; killed at the end."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail("redis-server bulunamadı: Redis testleri için `apt-get install redis-server` gerekir")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        wait_for(lambda: _ping(client), 10, "redis-server to answer PING")
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _ping(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


_REDIS_DB = iter(range(1, 16))


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    made: list[Service] = []

    def make(broker_url: str | None = None, **env: str) -> Service:
        s = Service(tmp_path / f"svc{len(made)}", broker_url, **env)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def redis_db_url(redis_url: str) -> str:
    """A fresh Redis database number per service, so tests never see each other's messages."""
    return f"{redis_url}/{next(_REDIS_DB)}"
