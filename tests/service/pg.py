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


@contextmanager
def postgres_server(port: int) -> Iterator[str]:
    """Start a cluster on 127.0.0.1:`port`; yield a SQLAlchemy URL of an empty database `evrak`."""
    import psycopg

    prefix, user = _as_user()
    root = Path(tempfile.mkdtemp(prefix="evrak-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if user is not None:
        for p in (root, sock):
            os.chown(p, user.pw_uid, user.pw_gid)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    subprocess.run([*prefix, _bin("initdb"), "-D", str(data), "-U", "evrak", "--auth=trust", "-E", "UTF8",
                    "--no-locale", "--no-sync"], check=True, capture_output=True, env=env, timeout=120)
    opts = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB")
    subprocess.run([*prefix, _bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "server.log"),
                    "-w", "-t", "60", "start"], check=True, capture_output=True, env=env, timeout=90)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(host="127.0.0.1", port=port, user="evrak", dbname="postgres",
                                     autocommit=True, connect_timeout=3) as conn:
                    conn.execute("CREATE DATABASE evrak")
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield f"postgresql+psycopg://evrak@127.0.0.1:{port}/evrak"
    finally:
        subprocess.run([*prefix, _bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, env=env, timeout=60)
        shutil.rmtree(root, ignore_errors=True)
