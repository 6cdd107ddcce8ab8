"""Staff accounts: a TOML file of usernames, roles and werkzeug password hashes.

Accounts are configuration, not data in the job table: an administrator keeps them in
EVRAK_USERS_FILE (or EVRAK_HOME/users.toml) and manages them with `evrak users add NAME
--role ROL`, `evrak users disable NAME` and `evrak users remove NAME`. Only hashes are
stored (werkzeug's scrypt); the file is written atomically with mode 0600.

Roles and what each may do (PERMISSIONS):
- salt_okuma (read-only): sees applications and reports, downloads; decides nothing;
- uzman (evaluator): also decides review findings, uploads packages and completions;
- onaylayan (approver): also issues letters, records notification dates, concludes;
- yonetici (administrator): also assigns evaluators and reads the audit trail.
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

READ_ONLY, EXPERT, APPROVER, ADMIN = "salt_okuma", "uzman", "onaylayan", "yonetici"
ROLES = (READ_ONLY, EXPERT, APPROVER, ADMIN)
ROLE_LABELS = {READ_ONLY: "Salt okuma", EXPERT: "Uzman", APPROVER: "Onaylayan", ADMIN: "Yönetici"}
# what each action needs; a role may do what every role before it in ROLES may do
PERMISSIONS = {"view": READ_ONLY, "decide": EXPERT, "upload": EXPERT, "batch": EXPERT,
               "issue": APPROVER, "assign": ADMIN, "audit": ADMIN}


def may(role: str | None, action: str) -> bool:
    """True if `role` may do `action` (PERMISSIONS); an unknown role may do nothing."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PERMISSIONS[action])
# Compared against when the username is unknown, so a wrong name costs as long as a
# wrong password and the timing does not tell which usernames exist.
_DUMMY_HASH = generate_password_hash("evrak-dummy-password")


def load_users(path: Path, *, include_disabled: bool = False) -> dict[str, dict[str, str]]:
    """username -> {"password_hash", "name", "role"}; an absent file means no accounts.

    Disabled accounts are left out unless asked for: they cannot log in, and a session of
    theirs ends at its next request.
    """
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
            if entry.get("disabled") and not include_disabled:
                continue
            role = str(entry.get("role", EXPERT))
            out[name] = {"password_hash": entry["password_hash"], "name": str(entry.get("name", name)),
                         "role": role if role in ROLES else READ_ONLY,
                         "disabled": "1" if entry.get("disabled") else ""}
    return out


def check_login(path: Path, username: str, password: str) -> bool:
    users = load_users(path)
    entry = users.get(username)
    ok = check_password_hash(entry["password_hash"] if entry else _DUMMY_HASH, password)
    return bool(entry) and ok


def _toml_str(value: str) -> str:
    # a JSON string of printable text is a valid TOML basic string
    return json.dumps(value, ensure_ascii=False)


def add_user(path: Path, username: str, password: str, display_name: str | None = None,
             role: str | None = None) -> None:
    """Add or replace an account (enabled again); UserError for a bad name, role or short password."""
    if not USERNAME.match(username):
        raise UserError("kullanıcı adı küçük harf, rakam, nokta, tire ya da alt çizgi olmalı (en çok 64)")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"parola en az {MIN_PASSWORD} karakter olmalı")
    if role is not None and role not in ROLES:
        raise UserError(f"bilinmeyen rol {role!r}; geçerli: {', '.join(ROLES)}")
    users = load_users(path, include_disabled=True)
    old = users.get(username, {})
    users[username] = {"password_hash": generate_password_hash(password),
                       "name": display_name or old.get("name", username),
                       "role": role or old.get("role", EXPERT), "disabled": ""}
    _write(path, users)


def set_disabled(path: Path, username: str, disabled: bool = True) -> None:
    users = load_users(path, include_disabled=True)
    if username not in users:
        raise UserError(f"hesap yok: {username}")
    users[username]["disabled"] = "1" if disabled else ""
    _write(path, users)


def remove_user(path: Path, username: str) -> None:
    users = load_users(path, include_disabled=True)
    if users.pop(username, None) is None:
        raise UserError(f"hesap yok: {username}")
    _write(path, users)


def _write(path: Path, users: dict[str, dict[str, str]]) -> None:
    lines = ["# evrak staff accounts: written by `evrak users`; only password hashes are kept", ""]
    for name in sorted(users):
        lines += [f"[users.{_toml_str(name)}]",
                  f"name = {_toml_str(users[name]['name'])}",
                  f"role = {_toml_str(users[name].get('role', EXPERT))}",
                  f"password_hash = {_toml_str(users[name]['password_hash'])}"]
        if users[name].get("disabled"):
            lines.append("disabled = true")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    os.replace(tmp, path)
