"""Login throttling that an attacker cannot turn against others.

Failures are counted per (username, client address), never per username alone (one person
guessing could then lock a colleague out from every desk) nor per address alone (behind
the agency's reverse proxy or NAT every request shares one address). After FREE_FAILURES
wrong passwords each further one makes that pair wait longer: 5 s, 10 s, 20 s ... up to
MAX_DELAY_S. Counters live in the store (worker.store LoginFailure), so a restart or a
second server process does not reset them; a success resets the pair.

The client address is the socket's peer, except when the peer is one of the configured
proxies (EVRAK_TRUSTED_PROXIES, addresses or networks, comma-separated): then it is the
right-most X-Forwarded-For entry that is not itself a trusted proxy. A header from anyone
else is ignored, so a client cannot pick its own address.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import datetime

from worker.store import get_store, utcnow

FREE_FAILURES = 3
BASE_DELAY_S = 5
MAX_DELAY_S = 15 * 60
FORGET_AFTER_S = 24 * 3600

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def delay_for(failures: int) -> float:
    """Seconds to wait after `failures` consecutive failures: 0, 0, 0, 5, 10, 20 ... 900."""
    if failures <= FREE_FAILURES:
        return 0
    return min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (failures - FREE_FAILURES - 1))


def trusted_proxies(raw: str | None = None) -> list[Network]:
    raw = os.environ.get("EVRAK_TRUSTED_PROXIES", "") if raw is None else raw
    out = []
    for part in raw.split(","):
        part = part.strip()
        if part:
            out.append(ipaddress.ip_network(part, strict=False))
    return out


def _is_trusted(addr: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(addr.strip())
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(remote_addr: str | None, forwarded_for: str | None, proxies: list[Network]) -> str:
    """The client's address: X-Forwarded-For only when the peer is a trusted proxy."""
    peer = remote_addr or "?"
    if not forwarded_for or not _is_trusted(peer, proxies):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage in the header: fall back to the proxy itself
    return hops[0] if hops else peer


def key(username: str, address: str) -> str:
    return f"{username}|{address}"


def wait_seconds(username: str, address: str, at: datetime | None = None) -> int:
    """Seconds until this (username, address) may try again; 0 when it may now."""
    until = get_store().login_blocked_until(key(username, address))
    if until is None:
        return 0
    left = (until - (at or utcnow())).total_seconds()
    return int(left) + 1 if left > 0 else 0


def failed(username: str, address: str) -> int:
    """Count a failure; the wait it imposes in seconds."""
    until = get_store().login_failed(key(username, address), delay_for=delay_for, forget_after_s=FORGET_AFTER_S)
    return wait_seconds(username, address) if until else 0


def succeeded(username: str, address: str) -> None:
    get_store().login_reset(key(username, address))


def forget_user(username: str) -> None:
    """Every counter of an account (when it is removed or re-enabled)."""
    get_store().forget_logins(f"{username}|")
