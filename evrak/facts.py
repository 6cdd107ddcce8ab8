"""Typed facts read from documents, shared by the verifiers, the signature checks and pre-screening.

Each fact keeps its evidence. Readers in `verifiers/` produce these; checks consume them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from evrak.findings import Evidence


class SigningMode(enum.StrEnum):
    ALONE = "munferiden"  # may sign alone
    JOINT = "mustereken"  # only together with the persons in `joint_with`


@dataclass
class AuthorizedPerson:
    """One person the imza sirküleri authorizes to bind the company."""

    name: str
    tckn: str | None = None
    title: str | None = None
    mode: SigningMode = SigningMode.ALONE
    # For a joint signer: names (or TCKNs) of those who must co-sign; empty means
    # "any other jointly authorized person" (the usual "müştereken imza ile").
    joint_with: list[str] = field(default_factory=list)
    limit: Decimal | None = None  # monetary limit of the authority, where written
    valid_from: date | None = None
    valid_until: date | None = None  # None: until revoked
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SignatureCircular:
    """İmza sirküleri (notarized signature circular) facts."""

    company: str | None = None
    vkn: str | None = None
    persons: list[AuthorizedPerson] = field(default_factory=list)
    notary: str | None = None
    yevmiye_no: str | None = None
    issued_on: date | None = None
    evidence: list[Evidence] = field(default_factory=list)
