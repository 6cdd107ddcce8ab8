"""A process killed with SIGKILL leaves its LibreOffice instances behind; the next pool reaps them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen.pdf import Pool

pytestmark = pytest.mark.slow  # real LibreOffice instances and a killed owner process

ROOT = Path(__file__).resolve().parents[2]

OWNER = """
import sys, time
from docgen.pdf import Pool
pool = Pool(size=1)
print(pool.workers[0].pipe_name, flush=True)
time.sleep(600)
"""


def _instances(pipe: str) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if pipe.encode() in (entry / "cmdline").read_bytes():
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


def test_pool_reaps_instances_of_a_killed_owner():
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    pipe = owner.stdout.readline().strip()
    assert pipe.startswith("evrak_") and _instances(pipe), "the owner's LibreOffice is running"
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait(timeout=10)
    assert _instances(pipe), "SIGKILL of the owner leaves its instance running (own session)"
    pool = Pool(size=1)
    try:
        deadline = time.monotonic() + 10
        while _instances(pipe) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _instances(pipe)
        assert _instances(pool.workers[0].pipe_name), "the new pool's own instance is untouched"
    finally:
        pool.close()
