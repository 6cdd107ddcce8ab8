"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away cluster on a loopback
port in a temporary folder, run as an unprivileged user (PostgreSQL refuses to run as root;
CI runs as root, so there the cluster belongs to the `postgres` system user that Debian's
package creates, and every server command runs through `runuser`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if found is None:
        pytest.fail(f"{name} bulunamadı: PostgreSQL testleri için `apt-get install postgresql` gerekir "
                    "(scripts/apt-packages.txt)")
    return found


def _as_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs a server command unprivileged, and that user (None: ourselves)."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("root olarak çalışılıyor ve `postgres` kullanıcısı yok: PostgreSQL root ile çalışmaz")
    return [shutil.which("runuser") or "runuser", "-u", "postgres", "--"], user


class PgCluster:
    """A throw-away cluster on 127.0.0.1:`port`, in a temporary folder; `url` names database `evrak`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.prefix, self.user = _as_user()
        self.root = Path(tempfile.mkdtemp(prefix="evrak-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.url = f"postgresql+psycopg://evrak@127.0.0.1:{port}/evrak"
        self.env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        self.sock.mkdir()
        if self.user is not None:
            for p in (self.root, self.sock):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
        subprocess.run([*self.prefix, _bin("initdb"), "-D", str(self.data), "-U", "evrak", "--auth=trust",
                        "-E", "UTF8", "--no-locale", "--no-sync"],
                       check=True, capture_output=True, env=self.env, timeout=120)

    def start(self) -> None:
        opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB")
        subprocess.run([*self.prefix, _bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                        str(self.root / "server.log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True, env=self.env, timeout=90)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*self.prefix, _bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
                       capture_output=True, env=self.env, timeout=60)

    def create_db(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(host="127.0.0.1", port=self.port, user="evrak", dbname="postgres",
                                     autocommit=True, connect_timeout=3) as conn:
                    conn.execute("CREATE DATABASE evrak")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def postgres_server(port: int) -> Iterator[PgCluster]:
    """Start a cluster on 127.0.0.1:`port` with an empty database `evrak`; removed afterwards."""
    cluster = PgCluster(port)
    try:
        cluster.start()
        cluster.create_db()
        yield cluster
    finally:
        cluster.remove()
