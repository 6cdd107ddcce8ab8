"""The Jinja environment every template renders in: sandboxed, autoescaped, strict.

Templates are data that staff edit, so they run in a sandbox (no attribute tricks reach
Python internals), every value is XML-escaped (a name with "&" or "<" cannot break the
document), and a misspelt variable is an error rather than a silently empty field in a
legal text. Compiled templates are cached by their source, because docxtpl asks for a
fresh compile of the same document XML on every render and compiling costs far more
than rendering.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime
from decimal import Decimal

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from evrak.dates import format_long, format_short
from evrak.money import amount_in_words, format_number, format_percent, format_tl
from evrak.text import tr_upper


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def f_tl(value: Decimal) -> str:
    """1234567.89 -> "1.234.567,89 TL" (D10)."""
    return format_tl(Decimal(value))


def f_number(value: Decimal) -> str:
    return format_number(Decimal(value))


def f_words(value: Decimal) -> str:
    """Amount in words in the contract form (D9)."""
    return amount_in_words(Decimal(value))


def f_date_long(value: date | datetime) -> str:
    return format_long(_as_date(value))


def f_date_short(value: date | datetime) -> str:
    return format_short(_as_date(value))


def f_datetime(value: datetime) -> str:
    """"24 Şubat 2023 saat 17:00": deadlines carry their closing hour."""
    return f"{format_long(value.date())} saat {value:%H:%M}"


def f_percent(value: Decimal) -> str:
    """Shares and rates: "%70", "%0,948" (stamp duty is binde 9,48: three places keep it)."""
    return format_percent(Decimal(value), places=3)


def f_tr_upper(value: str) -> str:
    return tr_upper(str(value))


FILTERS = {
    "tl": f_tl,
    "number": f_number,
    "words": f_words,
    "date_long": f_date_long,
    "date_short": f_date_short,
    "datetime": f_datetime,
    "percent": f_percent,
    "tr_upper": f_tr_upper,
}


class CachingSandboxedEnvironment(SandboxedEnvironment):
    """A sandboxed environment whose `from_string` reuses compiled templates by source hash."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, Template] = {}
        self._lock = threading.Lock()

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals or template_class:
            return super().from_string(source, globals, template_class)
        key = hashlib.sha1(source.encode("utf-8")).hexdigest()
        with self._lock:
            cached = self._compiled.get(key)
        if cached is None:
            cached = super().from_string(source)
            with self._lock:
                if len(self._compiled) > 256:
                    self._compiled.clear()
                self._compiled[key] = cached
        return cached


def make_env() -> CachingSandboxedEnvironment:
    """A new environment with the project's filters; one per process is enough."""
    env = CachingSandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                                      keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


_ENV: CachingSandboxedEnvironment | None = None


def get_env() -> CachingSandboxedEnvironment:
    global _ENV
    if _ENV is None:
        _ENV = make_env()
    return _ENV
