"""Where the web page keeps its things, and its secrets, from EVRAK_* settings.

Everything lives under EVRAK_HOME/web (page-image cache, regenerated letters, uploads on
their way to the intake, batch inputs and outputs), beside the folders the drop folder
uses, so an upload can be *renamed* into work/ like a dropped package. The session
secret comes from EVRAK_SECRET_KEY or is generated once and kept (mode 0600) so that
restarting the server does not log everybody out, and several server processes agree.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from worker import settings


@dataclass(frozen=True)
class WebConfig:
    home: Path
    users_file: Path
    secret_key: str
    secure_cookies: bool
    max_upload_bytes: int
    batch_chunk_rows: int

    @property
    def web_dir(self) -> Path:
        return self.home / "web"


def users_file() -> Path:
    """EVRAK_USERS_FILE, else EVRAK_HOME/users.toml (what `evrak users add` writes)."""
    raw = os.environ.get("EVRAK_USERS_FILE")
    return Path(raw).expanduser() if raw else settings.evrak_home() / "users.toml"


def _secret_key(home: Path) -> str:
    env = os.environ.get("EVRAK_SECRET_KEY")
    if env:
        return env
    path = home / "web" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # first writer wins; a concurrent server reads the same key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def load_config() -> WebConfig:
    home = settings.evrak_home()
    return WebConfig(
        home=home,
        users_file=users_file(),
        secret_key=_secret_key(home),
        # Behind TLS (a reverse proxy) set EVRAK_SECURE_COOKIES=1 so the cookie never
        # travels over plain HTTP; loopback tests run without TLS.
        secure_cookies=os.environ.get("EVRAK_SECURE_COOKIES", "0") == "1",
        max_upload_bytes=int(float(os.environ.get("EVRAK_MAX_UPLOAD_MB", "200")) * 1024 * 1024),
        batch_chunk_rows=max(1, int(os.environ.get("EVRAK_WEB_BATCH_CHUNK_ROWS", "10"))),
    )
