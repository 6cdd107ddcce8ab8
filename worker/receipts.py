"""Alındı Belgesi: the dated receipt the guides ask for, from the job store's own record.

"Her başvuru; kabul tarihi, saati ve referans numarası ile kaydedilir" and whoever hands a
taahhütname in gets "imzalı ve tarihli bir Alındı Belgesi" (002:L748; 001:L799, L817-819;
003:L1510-1511). The service already records every submission once (worker/intake.py writes
the row before the package leaves the inbox): its job id is the reference number, its receipt
time the acceptance date and hour, its SHA-256 what exactly was received. The receipt is built
from that row, so it is the same every time it is printed, and kept by keeping the row; the
wet-signed taahhütname's own delivery (time, channel) comes from the package's manifest, as
the agency logged it. The agency's officer signs the printed receipt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evrak.dates import format_datetime
from evrak.errors import UserError
from evrak.manifest import Manifest
from evrak.profiles import Program, load_profile
from verifiers.package import open_package
from worker.store import JobInfo
from worker.submissions import package_source

CHANNELS = {"elden": "elden", "posta": "posta ile", "kargo": "kargo ile", "faks": "faks ile",
            "eposta": "e-posta ile"}


@dataclass
class Receipt:
    """What an Alındı Belgesi says; `lines` are the guide lines it rests on."""

    reference: str
    received_at: str  # "24 Şubat 2023 16:10", Europe/Istanbul
    received_iso: str
    input_name: str
    sha256: str
    agency: str | None = None
    program: str | None = None
    application_no: str | None = None
    applicant: str | None = None
    taahhutname: str | None = None  # how the taahhütname arrived, where the manifest says so
    lines: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", [])}

    def text(self) -> str:
        """The receipt as printed: who received what, when, under which reference."""
        rows = [("Kayıt (referans) no", self.reference),
                ("Alınma tarihi ve saati", f"{self.received_at} (Türkiye saati)"),
                ("Program", self.program), ("Başvuru no", self.application_no),
                ("Başvuru sahibi", self.applicant), ("Alınan", self.input_name),
                ("SHA-256", self.sha256), ("Taahhütname", self.taahhutname)]
        out = ["ALINDI BELGESİ"]
        if self.agency:
            out.append(self.agency)
        out.append("")
        out += [f"{label}: {value}" for label, value in rows if value]
        out += [f"Not: {n}" for n in self.notes]
        out += ["", "Teslim alan (ad soyad, unvan): ........................", "İmza: ........................",
                "", f"Dayanak: {self.lines}" if self.lines else ""]
        return "\n".join(out).rstrip() + "\n"


def _taahhutname(m: Manifest) -> tuple[str | None, list[str]]:
    """How the taahhütname arrived, as the agency logged it in the manifest."""
    notes: list[str] = []
    if m.taahhutname_received_at is not None:
        how = CHANNELS.get(m.taahhutname_channel or "", "")
        text = (f"ıslak imzalı asıl {how + ' ' if how else ''}"
                f"{format_datetime(m.taahhutname_received_at)} tarihinde teslim alındı")
        if m.taahhutname_channel is None:
            notes.append("Taahhütnamenin teslim yolu (elden/posta) kayıtlı değil.")
        return text, notes
    if m.files_of("taahhutname"):
        return "e-imzalı, pakette (" + ", ".join(m.files_of("taahhutname")) + ")", notes
    return None, notes


def build_receipt(job: JobInfo, manifest: Manifest | None = None, program: Program | None = None) -> Receipt:
    """The receipt of one recorded submission. Without a job time nothing is claimed: a row
    with no receipt time is refused rather than given a made-up one."""
    when = job.receipt_time
    if when is None:
        raise UserError(f"iş {job.id} için alınma zamanı kayıtlı değil; alındı belgesi üretilemez")
    r = Receipt(reference=job.id, received_at=format_datetime(when), received_iso=when.isoformat(),
                input_name=job.input_name, sha256=job.input_sha256, application_no=job.application_no)
    if program is None and (job.program or (manifest and manifest.program)):
        try:
            program = load_profile(job.program or manifest.program)  # type: ignore[union-attr]
        except UserError:
            r.notes.append(f"program profili bulunamadı: {job.program or manifest.program}")  # type: ignore[union-attr]
    if program is not None:
        r.agency = program.agency.name
        r.program = f"{program.name} ({program.reference})" if program.reference else program.name
        doc = program.document("taahhutname")
        r.lines = doc.lines if doc and doc.lines else ""
    if manifest is not None:
        r.application_no = r.application_no or manifest.application_no
        r.applicant = f"{manifest.applicant.name} (VKN {manifest.applicant.vkn})"
        r.taahhutname, notes = _taahhutname(manifest)
        r.notes += notes
    return r


def manifest_of(job: JobInfo) -> Manifest | None:
    """The manifest of the package a job received, or None when it cannot be opened (a failed
    or duplicate job, a package moved away): the receipt then shows the row alone."""
    source = package_source(job)
    if not Path(source).exists():
        return None
    try:
        with open_package(Path(source)) as package:
            return package.manifest
    except UserError:
        return None
