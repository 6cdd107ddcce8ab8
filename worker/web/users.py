"""Staff accounts: a TOML file of usernames and werkzeug password hashes.

Accounts are configuration, not data in the job table: an administrator keeps them in
EVRAK_USERS_FILE (or EVRAK_HOME/users.toml) and adds people with `evrak users add NAME`.
Only hashes are stored (werkzeug's scrypt); the file is written atomically with mode 0600.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from evrak.errors import UserError

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD = 8
# Compared against when the username is unknown, so a wrong name costs as long as a
# wrong password and the timing does not tell which usernames exist.
_DUMMY_HASH = generate_password_hash("evrak-dummy-password")


def load_users(path: Path) -> dict[str, dict[str, str]]:
    """username -> {"password_hash": ..., "name": ...}; an absent file means no accounts."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"kullanıcı dosyası okunamadı: {exc}", file=str(path)) from None
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise UserError("[users.AD] tabloları bekleniyordu", file=str(path))
    out: dict[str, dict[str, str]] = {}
    for name, entry in users.items():
        if isinstance(entry, dict) and isinstance(entry.get("password_hash"), str):
            out[name] = {"password_hash": entry["password_hash"], "name": str(entry.get("name", name))}
    return out


def check_login(path: Path, username: str, password: str) -> bool:
    users = load_users(path)
    entry = users.get(username)
    ok = check_password_hash(entry["password_hash"] if entry else _DUMMY_HASH, password)
    return bool(entry) and ok


def _toml_str(value: str) -> str:
    # a JSON string of printable text is a valid TOML basic string
    return json.dumps(value, ensure_ascii=False)


def add_user(path: Path, username: str, password: str, display_name: str | None = None) -> None:
    """Add or replace an account; raises UserError for a bad name or a short password."""
    if not USERNAME.match(username):
        raise UserError("kullanıcı adı küçük harf, rakam, nokta, tire ya da alt çizgi olmalı (en çok 64)")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"parola en az {MIN_PASSWORD} karakter olmalı")
    users = load_users(path)
    users[username] = {"password_hash": generate_password_hash(password),
                       "name": display_name or users.get(username, {}).get("name", username)}
    lines = ["# evrak staff accounts: written by `evrak users add`; only password hashes are kept", ""]
    for name in sorted(users):
        lines += [f"[users.{_toml_str(name)}]",
                  f"name = {_toml_str(users[name]['name'])}",
                  f"password_hash = {_toml_str(users[name]['password_hash'])}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    os.replace(tmp, path)
