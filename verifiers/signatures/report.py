"""What the signature verifier reports: one block per distinct signature, plus file findings.

Integrity, signature value, trust, revocation, time proof, coverage and changes after
signing are kept apart (architecture.md, pyHanko lessons): a single "valid" boolean hides
which of them failed, and staff need to see which one did.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from evrak.dates import aware, format_datetime
from evrak.findings import Finding, Severity, Verdict, capped, verdict_of
from evrak.identifiers import mask_tckn


@dataclass
class SignerIdentity:
    """Who the certificate says signed: names, TCKN / VKN, issuer, validity, QC limit."""

    common_name: str | None = None
    name: str | None = None  # given name + surname when present, else the common name
    organization: str | None = None
    serial_number: str | None = None  # subject serialNumber as written
    tckn: str | None = None
    tckn_valid: bool = False
    vkn: str | None = None
    is_seal: bool = False  # D28: VKN and no TCKN (or a QcType e-seal)
    issuer: str | None = None
    certificate_serial: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    qualified: bool = False  # QcCompliance statement present
    qc_limit: Decimal | None = None  # QcLimitValue, in `qc_limit_currency`
    qc_limit_currency: str | None = None

    def to_dict(self) -> dict:
        return {
            "common_name": self.common_name,
            "name": self.name,
            "organization": self.organization,
            "serial_number": self.serial_number,
            "tckn": self.tckn,
            "tckn_valid": self.tckn_valid,
            "vkn": self.vkn,
            "is_seal": self.is_seal,
            "issuer": self.issuer,
            "certificate_serial": self.certificate_serial,
            "valid_from": _iso(self.valid_from),
            "valid_until": _iso(self.valid_until),
            "qualified": self.qualified,
            "qc_limit": None if self.qc_limit is None else str(self.qc_limit),
            "qc_limit_currency": self.qc_limit_currency,
        }


@dataclass
class SignatureReport:
    """One distinct signature (a signature referenced from two fields is one report)."""

    kind: str  # "pades" (in a PDF) or "cades" (a CMS container such as .imz)
    container: str  # where it sits: "pdf", "imz", "imz-icindeki-pdf"
    field_names: list[str] = field(default_factory=list)
    signer: SignerIdentity | None = None
    readable: bool = True
    error: str | None = None  # why it could not be read or validated (Turkish)
    intact: bool | None = None  # the signed bytes hash to what was signed
    signature_valid: bool | None = None  # the signature value verifies with the certificate key
    trusted: bool | None = None  # chain to a root in trust_dir, not revoked, not expired
    trust_problem: str | None = None
    revocation: str = "unchecked"  # "good" | "revoked" | "unchecked"
    revoked_at: datetime | None = None
    expired_at_signing: bool | None = None
    signing_time_claimed: datetime | None = None
    timestamp_time: datetime | None = None
    timestamp_trusted: bool = False
    timestamp_source: str | None = None  # "signature_timestamp" | "document_timestamp"
    coverage: str | None = None  # pyHanko SignatureCoverageLevel name, or "ENTIRE_CONTENT" for CMS
    modification_level: str | None = None  # pyHanko ModificationLevel name, "SUSPICIOUS" if it gave up
    docmdp_ok: bool | None = None
    changed_form_fields: list[str] = field(default_factory=list)
    changes_after_signing: list[str] = field(default_factory=list)  # Turkish, forbidden ones (D27)
    accepted_changes: list[str] = field(default_factory=list)  # Turkish, later signatures / DSS / DTS
    modified_after_signing: bool = False
    digest_algorithm: str | None = None
    weak_algorithm: bool = False
    authority: str | None = None  # Turkish: how the signer relates to the imza sirküleri
    findings: list[Finding] = field(default_factory=list)
    revision: int | None = None  # the PDF revision the signature belongs to
    role: str = "signature"  # "signature" | "counter_signature" (serial: signs another signature)
    parent: int | None = None  # 1-based index (in the file's list) of the counter-signed signature
    error_detail: str | None = None  # the technical cause, English; never in a message
    format_problem: str | None = None  # Turkish: the CMS breaks its standard (duplicated attributes ...)
    ades_hint: str | None = None  # pyHanko's AdES sub-indication when it refused the signature
    trust_problem_indic: str | None = None  # AdES sub-indication name of the trust problem
    revoked_after_proof: bool = False  # revoked, but after the proven signing time: still valid
    # ETSI EN 319 102-1 (etsi.py): the outcome every finding on this signature follows from
    indication: str | None = None  # "TOTAL-PASSED" | "TOTAL-FAILED" | "INDETERMINATE"
    sub_indication: str | None = None  # e.g. "NO_CERTIFICATE_CHAIN_FOUND", "REVOKED"
    explanation: str | None = None  # Turkish, why
    notes: list[str] = field(default_factory=list)  # Turkish remarks that change no verdict
    evidence_data: dict = field(default_factory=dict, repr=False)  # bytes for the ETSI XML report

    @property
    def proven_time(self) -> datetime | None:
        """D25: signing time counts only when a trusted timestamp proves it."""
        return self.timestamp_time if self.timestamp_trusted else None

    @property
    def cryptographically_ok(self) -> bool:
        """TOTAL-PASSED: readable, intact, value valid, chain trusted, revocation known, not weak,
        not modified."""
        return bool(
            self.indication in (None, "TOTAL-PASSED")
            and self.readable
            and self.intact
            and self.signature_valid
            and self.trusted
            and not self.weak_algorithm
            and not self.modified_after_signing
            and not self.expired_at_signing
        )

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "container": self.container,
            "field_names": list(self.field_names),
            "signer": self.signer.to_dict() if self.signer else None,
            "readable": self.readable,
            "error": self.error,
            "intact": self.intact,
            "signature_valid": self.signature_valid,
            "trusted": self.trusted,
            "trust_problem": self.trust_problem,
            "revocation": self.revocation,
            "revoked_at": _iso(self.revoked_at),
            "expired_at_signing": self.expired_at_signing,
            "signing_time_claimed": _iso(self.signing_time_claimed),
            "timestamp_time": _iso(self.timestamp_time),
            "timestamp_trusted": self.timestamp_trusted,
            "timestamp_source": self.timestamp_source,
            "proven_time": _iso(self.proven_time),
            "coverage": self.coverage,
            "modification_level": self.modification_level,
            "docmdp_ok": self.docmdp_ok,
            "changed_form_fields": list(self.changed_form_fields),
            "changes_after_signing": list(self.changes_after_signing),
            "accepted_changes": list(self.accepted_changes),
            "modified_after_signing": self.modified_after_signing,
            "digest_algorithm": self.digest_algorithm,
            "weak_algorithm": self.weak_algorithm,
            "authority": self.authority,
            "role": self.role,
            "parent": self.parent,
            "indication": self.indication,
            "sub_indication": self.sub_indication,
            "explanation": self.explanation,
            "notes": list(self.notes),
            "error_detail": self.error_detail,
            "ok": self.cryptographically_ok,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class DocumentTimestampReport:
    """A /DocTimeStamp in a PDF: proves that every earlier revision existed at `time`."""

    field_name: str
    time: datetime | None = None
    intact: bool | None = None
    trusted: bool = False
    revision: int | None = None
    error: str | None = None  # Turkish
    kind: str = "document_timestamp"  # or "archive_timestamp" (CAdES-A, on a SignerInfo)
    parent: int | None = None  # archive timestamp: 1-based index of the signature it protects
    indication: str | None = None
    sub_indication: str | None = None
    error_detail: str | None = None
    evidence_data: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {
            "field_name": self.field_name,
            "kind": self.kind,
            "parent": self.parent,
            "time": _iso(self.time),
            "intact": self.intact,
            "trusted": self.trusted,
            "revision": self.revision,
            "error": self.error,
            "indication": self.indication,
            "sub_indication": self.sub_indication,
            "error_detail": self.error_detail,
        }


@dataclass
class SignedFileReport:
    """Everything known about the signatures of one file, and the findings they give."""

    file: str
    kind: str = "unknown"  # "pdf" | "cades" | "unknown"
    signatures: list[SignatureReport] = field(default_factory=list)
    document_timestamps: list[DocumentTimestampReport] = field(default_factory=list)
    authority_satisfied: bool | None = None  # None: no imza sirküleri was given
    authority_summary: str | None = None
    deadline: datetime | None = None
    findings: list[Finding] = field(default_factory=list)
    elapsed_ms: float | None = None
    content_file: str | None = None  # the detached content given with a .p7s/.imz
    error_detail: str | None = None  # technical cause when the whole file could not be read

    @property
    def verdict(self) -> Verdict:
        """The file's own verdict for `evrak verify`, under the same D32 cap as the assessment:
        a reject that rests on a value not read for certain shows as a review here too."""
        return verdict_of([replace(f, severity=capped(Severity(f.severity), f.certainty)) for f in self.findings])

    @property
    def rules(self) -> set[str]:
        """The rule ids found, for quick checks by callers and tests."""
        return {f.rule for f in self.findings}

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "verdict": str(self.verdict),
            "signatures": [s.to_dict() for s in self.signatures],
            "document_timestamps": [t.to_dict() for t in self.document_timestamps],
            "authority_satisfied": self.authority_satisfied,
            "authority_summary": self.authority_summary,
            "deadline": _iso(self.deadline),
            "findings": [f.to_dict() for f in self.findings],
            "elapsed_ms": None if self.elapsed_ms is None else round(self.elapsed_ms, 1),
            "content_file": self.content_file,
            "error_detail": self.error_detail,
        }

    def render_text(self) -> str:
        """Turkish plain text, one block per signature, for `evrak verify`."""
        lines = [f"Dosya: {self.file}", f"Sonuç: {self.verdict.label}"]
        if not self.signatures:
            lines.append("Dosyada e-imza bulunamadı.")
        for i, sig in enumerate(self.signatures, 1):
            lines.append("")
            lines.extend(_render_signature(i, sig, self.deadline))
        for ts in self.document_timestamps:
            state = "güvenilir" if ts.trusted else "güvenilmeyen"
            when = format_datetime(ts.time) if ts.time else "okunamadı"
            kind = "Arşiv zaman damgası" if ts.kind == "archive_timestamp" else "Belge zaman damgası"
            etsi = f" [{ts.indication}" + (f"/{ts.sub_indication}" if ts.sub_indication else "") + "]" \
                if ts.indication else ""
            lines.append(f"{kind} ({ts.field_name}): {when}, {state}{etsi}")
        if self.authority_summary:
            lines += ["", f"Yetki: {self.authority_summary}"]
        if self.findings:
            lines += ["", "Bulgular:"]
            for f in self.findings:
                lines.append(f"  [{f.severity.label}] {f.rule}: {f.message}")
        return "\n".join(lines)


def _render_signature(index: int, sig: SignatureReport, deadline: datetime | None) -> list[str]:
    where = {
        "pdf": "PDF (PAdES)",
        "imz": "İmza dosyası (CAdES)",
        "imz-icindeki-pdf": "İmza dosyasının içindeki PDF (PAdES)",
    }.get(sig.container, sig.container)
    title = "Karşı imza" if sig.role == "counter_signature" else "İmza"
    out = [f"{title} {index} — {where}" + (f", alan: {', '.join(sig.field_names)}" if sig.field_names else "")]
    if sig.parent is not None:
        out.append(f"  İmza {sig.parent}'i imzalar (seri imza)")
    if sig.indication:
        etsi = sig.indication + (f"/{sig.sub_indication}" if sig.sub_indication else "")
        out.append(f"  Sonuç (ETSI EN 319 102-1): {etsi} — {sig.explanation or ''}".rstrip(" —"))
    s = sig.signer
    if s:
        who = s.name or s.common_name or "bilinmiyor"
        kind = "kurumsal e-mühür" if s.is_seal else "kişi"
        out.append(f"  İmzalayan: {who} ({kind})")
        if s.tckn:
            out.append(
                f"  TCKN: {mask_tckn(s.tckn)}" + ("" if s.tckn_valid else " (doğrulama hanesi hatalı)")
            )
        if s.vkn:
            out.append(f"  VKN: {s.vkn}")
        if s.issuer:
            out.append(f"  Sertifika sağlayıcı: {s.issuer}")
        if s.qc_limit is not None:
            out.append(f"  Sertifika kullanım sınırı: {s.qc_limit} {s.qc_limit_currency or ''}".rstrip())
    if not sig.readable:
        out.append(f"  Doğrulanamadı: {sig.error or 'bilinmeyen hata'}")
    else:
        out.append("  Bütünlük: " + _yes_no(sig.intact, "bozulmamış", "BOZULMUŞ"))
        out.append("  İmza değeri: " + _yes_no(sig.signature_valid, "geçerli", "GEÇERSİZ"))
        trust = _yes_no(sig.trusted, "güvenilir köke bağlı", "güvenilmiyor")
        if sig.trust_problem:
            trust += f" ({sig.trust_problem})"
        out.append(f"  Sertifika zinciri: {trust}")
        rev = {"good": "iptal edilmemiş", "revoked": "İPTAL EDİLMİŞ", "unchecked": "denetlenemedi"}
        out.append(f"  İptal durumu: {rev.get(sig.revocation, sig.revocation)}")
        if sig.digest_algorithm:
            out.append(
                f"  Özet algoritması: {sig.digest_algorithm}" + (" (zayıf)" if sig.weak_algorithm else "")
            )
    if sig.proven_time:
        src = "imza zaman damgası" if sig.timestamp_source == "signature_timestamp" else "belge zaman damgası"
        line = f"  İmza zamanı: {format_datetime(sig.proven_time)} ({src} ile kanıtlı)"
        if deadline is not None:
            line += ", süre içinde" if sig.proven_time <= deadline else ", SÜRE SONRASINDA"
        out.append(line)
    else:
        claimed = format_datetime(sig.signing_time_claimed) if sig.signing_time_claimed else "yok"
        out.append(f"  İmza zamanı: kanıtlanamadı (beyan edilen: {claimed})")
    if deadline is not None:
        out.append(f"  Son tarih: {format_datetime(deadline)}")
    if sig.kind == "pades" and sig.readable:
        if sig.changes_after_signing:
            out.append("  İmzadan sonraki değişiklikler (kabul edilmez):")
            out.extend(f"    - {c}" for c in sig.changes_after_signing)
        else:
            out.append("  İmzadan sonra izin verilmeyen değişiklik yok")
        out.extend(f"    + {c}" for c in sig.accepted_changes)
    out.extend(f"  Not: {n}" for n in sig.notes)
    if sig.authority:
        out.append(f"  Yetki: {sig.authority}")
    for f in sig.findings:
        out.append(f"  [{f.severity.label}] {f.rule}: {f.message}")
    return out


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    if value is None:
        return "denetlenemedi"
    return yes if value else no


def _iso(value: datetime | None) -> str | None:
    return None if value is None else aware(value).isoformat()
