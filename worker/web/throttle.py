"""Login throttling: after repeated wrong passwords, further attempts wait.

Kept per username and per client address in the server's memory (one `evrak serve`
process serves the page; a restart forgets, which only ever lets a person in sooner).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

MAX_FAILURES = 5
WINDOW_S = 15 * 60

_failures: dict[str, deque[float]] = defaultdict(deque)
_lock = threading.Lock()


def _recent(key: str, now: float) -> deque[float]:
    q = _failures[key]
    while q and q[0] < now - WINDOW_S:
        q.popleft()
    return q


def blocked(*keys: str) -> int:
    """Seconds until another attempt is allowed for any of `keys`; 0 when allowed."""
    now = time.monotonic()
    with _lock:
        waits = [int(q[0] + WINDOW_S - now) + 1 for k in keys if len(q := _recent(k, now)) >= MAX_FAILURES]
    return max(waits, default=0)


def failed(*keys: str) -> None:
    now = time.monotonic()
    with _lock:
        for k in keys:
            _recent(k, now).append(now)


def succeeded(*keys: str) -> None:
    with _lock:
        for k in keys:
            _failures.pop(k, None)
