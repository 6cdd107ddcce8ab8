"""Errors a user can cause: shown as one Turkish line naming the thing, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a person (file, field, argument); the message says what and what to do."""

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None,
                 line: int | None = None) -> None:
        self.file, self.field, self.line = file, field, line
        where = ", ".join(
            p for p in (
                file,
                f"alan '{field}'" if field else None,
                f"satır {line}" if line else None,
            ) if p
        )
        super().__init__(f"{where}: {message}" if where else message)
