"""Who may bind the applicant (D26, D28) and whether they signed in time (D24, D25).

Only signatures that passed every technical check count here (valid, trusted, unmodified):
a co-signature that is broken does not complete a joint authority. The signer is matched
to the imza sirküleri by TCKN only; a name that matches without a TCKN never counts on
its own and goes to a person (SIGNER_NAME_ONLY_MATCH). A company e-seal is not a person's
signature (SIGNER_IS_SEAL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from evrak.dates import aware, format_datetime, format_short, now
from evrak.facts import AuthorizedPerson, SignatureCircular, SigningMode
from evrak.findings import Certainty, Evidence, Finding, Severity
from evrak.identifiers import digits, mask_tckn
from evrak.text import NameMatch, match_names

from .report import SignatureReport


@dataclass
class AuthorityOutcome:
    satisfied: bool | None
    summary: str
    findings: list[Finding] = field(default_factory=list)
    counted: list[SignatureReport] = field(default_factory=list)  # the signatures that make it complete


@dataclass
class _Match:
    sig: SignatureReport
    person: AuthorizedPerson | None
    by: str | None  # "tckn" | "name" | None
    on: date
    authority_valid: bool = False


def _signing_moment(sig: SignatureReport) -> datetime:
    return sig.proven_time or sig.signing_time_claimed or now()


def _person_by_tckn(circular: SignatureCircular, tckn: str) -> AuthorizedPerson | None:
    for p in circular.persons:
        if p.tckn and digits(p.tckn) == tckn:
            return p
    return None


def _person_by_name(circular: SignatureCircular, name: str) -> AuthorizedPerson | None:
    best: tuple[int, AuthorizedPerson] | None = None
    rank = {NameMatch.EXACT: 4, NameMatch.FOLDED: 3, NameMatch.PROBABLE: 2, NameMatch.SIMILAR: 1}
    for p in circular.persons:
        r = rank.get(match_names(name, p.name), 0)
        if r and (best is None or r > best[0]):
            best = (r, p)
    return best[1] if best else None


def _authority_valid(p: AuthorizedPerson, on: date) -> bool:
    return (p.valid_from is None or p.valid_from <= on) and (p.valid_until is None or on <= p.valid_until)


def check_authority(
    sigs: list[SignatureReport], circular: SignatureCircular, file_name: str, amount: Decimal | None = None
) -> AuthorityOutcome:
    """D26/D28: is there a complete, valid set of authorized signatures on the document?"""
    ok = [s for s in sigs if s.cryptographically_ok and s.signer is not None]
    seals = [s for s in ok if s.signer.is_seal]
    persons = [s for s in ok if not s.signer.is_seal]
    matches: list[_Match] = []
    for s in persons:
        on = _signing_moment(s).date()
        tckn = s.signer.tckn if s.signer.tckn_valid else None
        p = _person_by_tckn(circular, tckn) if tckn else None
        if p is not None:
            m = _Match(s, p, "tckn", on, _authority_valid(p, on))
        else:
            cand = _person_by_name(circular, s.signer.name or s.signer.common_name or "")
            m = _Match(s, cand, "name" if cand else None, on)
        matches.append(m)
        s.authority = _describe(m)
    for s in seals:
        s.authority = "Kurumsal e-mühür: kişi imzası yerine geçmez (D28)"

    valid_by_tckn = [m for m in matches if m.by == "tckn" and m.authority_valid]
    satisfied_by: list[_Match] = []
    joint_missing: dict[int, list[str]] = {}
    for m in valid_by_tckn:
        if m.person.mode == SigningMode.ALONE:
            satisfied_by = [m]
            break
        missing = _missing_cosigners(m, valid_by_tckn, circular)
        if not missing:
            satisfied_by = [m, *(o for o in valid_by_tckn if o is not m)]
            break
        joint_missing[id(m)] = missing

    findings: list[Finding] = []
    if satisfied_by:
        names = ", ".join(m.person.name for m in satisfied_by)
        summary = f"Yetkili imza tamam: {names}"
        for m in satisfied_by:
            if m.person.mode == SigningMode.JOINT:
                m.sig.authority = f"Müştereken yetkili ({m.person.name}); birlikte imzalayanlar tamam"
    else:
        for m in matches:
            ev = [Evidence(file=file_name, text=m.sig.signer.name or "", value=_masked(m.sig))]
            if m.by == "tckn" and not m.authority_valid:
                findings.append(
                    Finding(
                        "SIGNER_AUTHORITY_EXPIRED",
                        f"{m.person.name} imza tarihinde ({format_short(m.on)}) yetkili değil: yetki süresi "
                        f"{_period(m.person)}",
                        evidence=ev,
                    )
                )
            elif m.by == "tckn" and id(m) in joint_missing:
                if _mode_read(m.person):
                    message, certainty = (f"{m.person.name} müştereken yetkili; eksik geçerli imza: "
                                          + ", ".join(joint_missing[id(m)])), Certainty.READ
                else:  # D32: the circular's representation clause was not read; never a reject
                    message, certainty = (f"{m.person.name} için imza sirkülerindeki temsil şekli okunamadı: "
                                          "münferiden mi müştereken mi, elle doğrulayın (müştereken ise eksik "
                                          "geçerli imza: " + ", ".join(joint_missing[id(m)]) + ")"), Certainty.UNREAD
                # D32: what rests on an unread clause is at most a review, whatever the profile says
                severity = None if certainty is Certainty.READ else Severity.REVIEW
                findings.append(Finding("SIGNER_JOINT_INCOMPLETE", message, evidence=ev, certainty=certainty,
                                        severity=severity))
            elif m.by == "name":
                findings.append(
                    Finding(
                        "SIGNER_NAME_ONLY_MATCH",
                        f"İmzalayan '{m.sig.signer.name}' imza sirkülerindeki '{m.person.name}' ile "
                        "yalnız adla "
                        "eşleşiyor; TCKN ile doğrulanamadı, kişi incelemeli",
                        evidence=ev,
                    )
                )
        if seals and not persons:
            findings.append(
                Finding(
                    "SIGNER_IS_SEAL",
                    "Belge yalnız kurumsal e-mühürle imzalanmış; yetkili kişinin e-imzası gerekir",
                    evidence=[
                        Evidence(file=file_name, text=s.signer.name or "", value=s.signer.vkn) for s in seals
                    ],
                )
            )
        if persons and not any(m.by for m in matches):
            findings.append(
                Finding(
                    "SIGNER_NOT_AUTHORIZED",
                    "İmzalayanların hiçbiri imza sirkülerinde yetkili değil: "
                    + ", ".join(f"{m.sig.signer.name} ({_masked(m.sig)})" for m in matches),
                    evidence=[
                        Evidence(file=file_name, text=m.sig.signer.name or "", value=_masked(m.sig))
                        for m in matches
                    ],
                )
            )
        if not ok:
            summary = "Geçerli imza olmadığından yetki değerlendirilemedi"
        elif findings:
            summary = "Yetkili imza eksik ya da doğrulanamadı"
        else:
            summary = "Yetkili imza bulunamadı"
            if persons or seals:
                findings.append(
                    Finding(
                        "SIGNER_NOT_AUTHORIZED",
                        "Belgede yetkili kişinin geçerli imzası yok",
                        evidence=[Evidence(file=file_name)],
                    )
                )

    if amount is not None:
        for m in satisfied_by or matches:
            findings.extend(_limit_findings(m, amount, file_name))
    counted = [m.sig for m in satisfied_by] or [m.sig for m in matches]
    return AuthorityOutcome(bool(satisfied_by), summary, findings, counted)


def _missing_cosigners(m: _Match, valid: list[_Match], circular: SignatureCircular) -> list[str]:
    others = [o for o in valid if o is not m]
    required = m.person.joint_with
    if not required:
        # "müştereken imza ile": any other jointly (or solely) authorized person
        if others:  # any other authorized person, whatever mode the circular gives (or leaves unread)
            return []
        return ["başka bir müştereken yetkili kişi"]
    missing = []
    for req in required:
        want = digits(req)
        if len(want) == 11:
            if not any(o.sig.signer.tckn == want for o in others):
                p = _person_by_tckn(circular, want)
                missing.append(p.name if p else f"TCKN {mask_tckn(want)}")
        elif not any(
            match_names(req, o.person.name) in (NameMatch.EXACT, NameMatch.FOLDED, NameMatch.PROBABLE)
            for o in others
        ):
            missing.append(req)
    return missing


def qc_limit_findings(sig: SignatureReport, amount: Decimal, file_name: str) -> list[Finding]:
    """QcLimitValue of a qualified certificate below the amount the document commits to."""
    s = sig.signer
    if s is None or s.qc_limit is None or s.qc_limit >= amount:
        return []
    cur = s.qc_limit_currency or ""
    return [
        Finding(
            "SIGNER_LIMIT_BELOW_AMOUNT",
            f"{s.name} nitelikli sertifikasının kullanım sınırı ({s.qc_limit} {cur}) işlem tutarının "
            f"({amount} TL) altında",
            evidence=[Evidence(file=file_name, text=s.name or "", value=str(amount))],
        )
    ]


def _limit_findings(m: _Match, amount: Decimal, file_name: str) -> list[Finding]:
    out = qc_limit_findings(m.sig, amount, file_name)
    s = m.sig.signer
    ev = [Evidence(file=file_name, text=s.name or "", value=str(amount))]
    if m.by == "tckn" and m.person is not None and m.person.limit is not None and m.person.limit < amount:
        out.append(
            Finding(
                "SIGNER_LIMIT_BELOW_AMOUNT",
                f"{m.person.name} imza sirkülerine göre {m.person.limit} TL'ye kadar yetkili; "
                f"işlem tutarı {amount} TL",
                evidence=ev,
            )
        )
    return out


def check_deadline(sigs: list[SignatureReport], deadline: datetime, file_name: str) -> list[Finding]:
    """D24/D25: each counted signature must be proven (timestamp) to be made by the deadline."""
    deadline = aware(deadline)
    out: list[Finding] = []
    for s in sigs:
        who = (s.signer.name if s.signer else None) or ", ".join(s.field_names)
        ev = [Evidence(file=file_name, text=who, value=None)]
        if s.proven_time is None:
            claimed = format_datetime(s.signing_time_claimed) if s.signing_time_claimed else "yok"
            out.append(
                Finding(
                    "SIGNATURE_TIME_UNPROVEN",
                    f"{who} imzasının zamanı güvenilir zaman damgasıyla kanıtlanmıyor "
                    f"(beyan edilen: {claimed}); "
                    f"son tarih {format_datetime(deadline)}",
                    evidence=ev,
                    refs=["D25"],
                )
            )
        elif s.proven_time > deadline:
            out.append(
                Finding(
                    "TAAHHUTNAME_LATE",
                    f"{who} imzası son tarihten sonra atılmış: {format_datetime(s.proven_time)} "
                    f"(son tarih {format_datetime(deadline)})",
                    evidence=[Evidence(file=file_name, text=who, value=aware(s.proven_time).isoformat())],
                    refs=["D24", "D25"],
                )
            )
    return out


def _mode_read(p: AuthorizedPerson) -> bool:
    """The circular states how this person represents the company (not left unknown by the reader)."""
    return p.mode in (SigningMode.ALONE, SigningMode.JOINT)


def _describe(m: _Match) -> str:
    if m.by == "tckn":
        mode = ("müştereken yetkili" if m.person.mode == SigningMode.JOINT else "münferiden yetkili") \
            if _mode_read(m.person) else "temsil şekli okunamadı"
        if not m.authority_valid:
            return (
                f"İmza sirkülerinde {m.person.name}; imza tarihinde yetki geçerli değil ({_period(m.person)})"
            )
        return f"İmza sirkülerinde TCKN ile eşleşti: {m.person.name} ({mode})"
    if m.by == "name":
        return f"Yalnız adla eşleşti: {m.person.name} (TCKN doğrulanamadı, inceleme gerekir)"
    return "İmza sirkülerinde yetkili olarak yer almıyor"


def _period(p: AuthorizedPerson) -> str:
    start = format_short(p.valid_from) if p.valid_from else "…"
    end = format_short(p.valid_until) if p.valid_until else "…"
    return f"{start} – {end}"


def _masked(sig: SignatureReport) -> str | None:
    return mask_tckn(sig.signer.tckn) if sig.signer and sig.signer.tckn else None
