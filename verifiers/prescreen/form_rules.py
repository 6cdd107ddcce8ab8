"""Checks on the KAYS application form's own data (issue 16): partners, contacts, sections."""

from __future__ import annotations

from collections.abc import Callable

from verifiers.prescreen.context import CheckContext

CHECKS: list[Callable[[CheckContext], None]] = []
