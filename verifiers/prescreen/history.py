"""Applicant history checks (issue 16): earlier applications, awards and exclusions."""

from __future__ import annotations

from collections.abc import Callable

from verifiers.prescreen.context import CheckContext

CHECKS: list[Callable[[CheckContext], None]] = []
