"""From an application (manifest or KAYS row) and its program to the data a template sees.

Templates see plain dicts, lists, strings, dates and Decimals only, never domain objects:
the sandbox then has nothing to reach through, `templates check` can feed the same shape
with hostile data, and a staff member editing a template can read the shape from
`docs/kays-export.md` without reading Python. Every number here comes from the domain
modules (schedule, deadlines, money); nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from evrak.deadlines import calendar_of, completion_deadline, contract_documents_deadline
from evrak.errors import UserError
from evrak.identifiers import tax_id_kind
from evrak.manifest import Manifest
from evrak.money import integer_words, quantize
from evrak.profiles import Program
from evrak.schedule import Schedule, add_months, build_schedule

KINDS = (
    "taahhutname",
    "es_finansman_taahhutnamesi",
    "cifte_finansman_taahhutnamesi",
    "destek_sozlesmesi",
    "sonuc_yazisi",
    "eksik_evrak_yazisi",
    "geri_odeme_plani",
)
RESULTS = ("accepted", "reserve", "rejected")

INSTRUMENT_LABELS = {
    "faizsiz_kredi": "Faizsiz Kredi Desteği",
    "geri_odemeli_finansman": "Geri Ödemeli Finansman Desteği",
    "hibe": "Mali Destek (Hibe)",
    "teknik_destek": "Teknik Destek",
}
# What the contract calls the money the agency provides.
SUPPORT_NOUNS = {
    "faizsiz_kredi": "faizsiz kredi",
    "geri_odemeli_finansman": "geri ödemeli finansman desteği",
    "hibe": "mali destek",
    "teknik_destek": "teknik destek",
}


def applies(kind: str, program: Program) -> bool:
    """Whether a document kind exists for a program (no repayment plan for a grant, etc.)."""
    if kind not in KINDS:
        raise UserError(f"bilinmeyen belge türü '{kind}'; bilinenler: {', '.join(KINDS)}")
    if kind == "geri_odeme_plani":
        return program.repayment is not None
    if kind == "es_finansman_taahhutnamesi":
        return program.instrument != "teknik_destek"
    if kind == "destek_sozlesmesi":
        return program.instrument != "teknik_destek"
    return True


@dataclass(frozen=True)
class Signer:
    """A person who signs for the applicant (from KAYS or the imza sirküleri)."""

    name: str
    tckn: str = ""
    title: str = "Yetkili"


@dataclass
class Application:
    """The fields documents need, whether they come from basvuru.yaml or a KAYS export row."""

    program_id: str
    application_no: str
    applicant_name: str
    tax_id: str
    address: str
    province: str
    project_title: str
    credit: Decimal
    co_financing: Decimal = Decimal("0.00")
    total_budget: Decimal | None = None
    district: str | None = None
    project_province: str | None = None
    duration_months: int | None = None
    contract_date: date | None = None
    signers: list[Signer] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.total_budget if self.total_budget is not None else self.credit + self.co_financing

    @classmethod
    def from_manifest(cls, manifest: Manifest, signers: list[Signer] | None = None,
                      contract_date: date | None = None) -> Application:
        a = manifest.applicant
        address = a.address or ", ".join(p for p in (a.district, a.province) if p)
        return cls(
            program_id=manifest.program,
            application_no=manifest.application_no,
            applicant_name=a.name,
            tax_id=a.vkn,
            address=address,
            province=a.province,
            district=a.district,
            project_title=manifest.project.title,
            project_province=manifest.project.province,
            duration_months=manifest.project.duration_months,
            credit=manifest.financing.credit,
            co_financing=manifest.financing.co_financing,
            contract_date=contract_date,
            signers=list(signers or []),
        )


@dataclass
class Reason:
    """A rejection reason chosen from the program's closed list (D31) with its facts."""

    code: str
    facts: list[str] = field(default_factory=list)


@dataclass
class Missing:
    """A missing or defective EK item for a deficiency letter."""

    kind: str  # document kind from the program's list, or a free EK code
    problem: str = "sunulmamıştır"


def _join_provinces(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " ve " + names[-1]


def _window_text(days: int | None, business_days: int | None) -> str:
    if business_days:
        return f"{business_days} iş günü"
    if days:
        return f"{days} gün"
    return ""


def _count_text(n: int | None) -> str:
    """'5 (beş)': how Turkish contracts write a count, digits then words (D9's words)."""
    if not n:
        return ""
    return f"{n} ({' '.join(integer_words(n))})"


def program_context(program: Program) -> dict[str, Any]:
    ag = program.agency
    inter = program.intermediary
    return {
        "program": {
            "id": program.id,
            "name": program.name,
            "short_name": program.short_name,
            "reference": program.reference,
            # " (TR63/23/FKD/MAKİNE)" or nothing: 003 and 004 print no reference number
            "ref_suffix": f" ({program.reference})" if program.reference else "",
            "instrument": program.instrument,
            "instrument_label": INSTRUMENT_LABELS[program.instrument],
            "support_noun": SUPPORT_NOUNS[program.instrument],
            "region": program.region,
            "provinces": _join_provinces(program.provinces),
        },
        "agency": {
            "name": ag.name,
            # without the leading "T.C.", which letter heads print on a line of its own
            "title_name": ag.name.removeprefix("T.C.").strip(),
            "short": ag.short,
            "city": ag.city,
            "address": ag.address or "",
            "phone": ag.phone or "",
            "email": ag.email or "",
            "website": ag.website or "",
            "signatory_title": ag.signatory_title,
        },
        "intermediary": None if inter is None else {
            "name": inter.name, "short": inter.short, "product": inter.product or "",
        },
        "contract_terms": {
            "transfer_days": program.contract.transfer_days,
            # "10 gün" (D4, calendar days) or "10 iş günü", as the guide counts it
            "transfer_text": _window_text(program.contract.transfer_days,
                                          getattr(program.contract, "transfer_business_days", None)),
            "block_days": program.contract.block_days,
            "final_report_days": program.contract.final_report_days,
            "implementation_months_max": program.contract.implementation_months_max,
            "disbursement": program.contract.disbursement,
            "disbursement_months": ", ".join(program.contract.disbursement_months),
            "contractor_transfer_days_text": _count_text(program.contract.contractor_transfer_business_days),
            "payment_docs_days_text": _count_text(program.contract.payment_docs_business_days),
            "late_installment": program.contract.late_installment,
            "records_years_text": _count_text(program.contract.records_years),
            "asset_lock_years_text": _count_text(program.contract.asset_lock_years),
            "asset_lock_until_debt_ends": program.contract.asset_lock_until_debt_ends,
            "indemnity_text": _count_text(program.contract.asset_lock_indemnity_multiple),
            "domestic_goods_penalty_text": (f"%{program.contract.domestic_goods_penalty_min * 100:.0f}"
                                            if program.contract.domestic_goods_penalty_min else ""),
        },
        "repayment": None if program.repayment is None else {
            "grace_months": program.repayment.grace_months,
            "installments": program.repayment.installments,
            "anchor": program.repayment.anchor,
            "anchor_text": ("kredinin proje hesabına aktarıldığı tarih"
                            if program.repayment.anchor == "transfer"
                            else "sözleşmenin son tarafça imzalandığı tarih"),
            "basis_text": ("kullanılan (çekilen) kredi tutarı" if program.repayment.basis == "drawn"
                           else "nihai raporla kesinleşen toplam uygun maliyet"),
        },
    }


def schedule_context(schedule: Schedule) -> dict[str, Any]:
    return {
        "anchor": schedule.anchor,
        "basis": schedule.basis,
        "installments": [
            {"no": i.no, "due_date": i.due_date, "amount": i.amount, "remaining": i.remaining}
            for i in schedule.installments
        ],
        "total": schedule.total,
        "fees": [
            {"label": f.label, "base": f.base, "rate": f.rate, "amount": f.amount} for f in schedule.fees
        ],
        "fees_total": schedule.fees_total,
    }


def provisional_anchor(program: Program, signed_on: date) -> date:
    """The anchor of the provisional schedule annexed to the contract.

    Contract-anchored programs (D11, seed 001) start from the signature; transfer-anchored
    ones (002, 003) from the latest day the credit may reach the project account (the
    contract's transfer window, calendar days per D4). The final plan is redone on the
    actual transfer date.
    """
    rep = program.repayment
    if rep is None or rep.anchor != "transfer":
        return signed_on
    business = getattr(program.contract, "transfer_business_days", None)
    if business:
        return calendar_of(program).add_business_days(signed_on, business)
    if program.contract.transfer_days:
        return signed_on + timedelta(days=program.contract.transfer_days)
    return signed_on


def _reasons_context(program: Program, reasons: list[Reason]) -> list[dict[str, Any]]:
    by_code = {r.code: r for r in program.rejection_reasons}
    out = []
    for reason in reasons:
        known = by_code.get(reason.code)
        if known is None:
            raise UserError(
                f"'{reason.code}' bu programın red gerekçeleri listesinde yok (D31); "
                f"bilinenler: {', '.join(by_code) or 'liste boş'}"
            )
        out.append({"code": known.code, "text": known.text, "facts": list(reason.facts)})
    return out


def _missing_context(program: Program, missing: list[Missing]) -> list[dict[str, Any]]:
    out = []
    for item in missing:
        rule = program.document(item.kind) or next(
            (d for d in program.documents if d.ek == item.kind), None)
        if rule is None:
            raise UserError(f"'{item.kind}' bu programın belge listesinde yok")
        out.append({"ek": rule.ek, "title": rule.title, "problem": item.problem})
    return out


def build_context(
    kind: str,
    program: Program,
    app: Application,
    *,
    doc_date: date,
    result: str | None = None,
    reasons: list[Reason] | None = None,
    missing: list[Missing] | None = None,
    notified_on: date | None = None,
    stage: str = "ön inceleme",
    anchor: date | None = None,
    cash_sources: list[dict[str, Any]] | None = None,
    special_conditions: list[str] | None = None,
    letter_no: str | None = None,
) -> dict[str, Any]:
    """Everything one document needs; raises UserError for what a user got wrong.

    `doc_date` is the date printed on the document (the letter's date, the contract's
    signing date when `app.contract_date` is not set). Letters are notified on their date
    unless `notified_on` says otherwise.
    """
    if not applies(kind, program):
        raise UserError(f"'{kind}' belgesi '{program.id}' programı ({program.instrument}) için düzenlenmez")
    if app.credit <= 0:
        raise UserError("destek/kredi tutarı pozitif olmalı", field="Kredi Tutarı")
    total = quantize(app.total)
    ctx: dict[str, Any] = program_context(program)
    signed_on = app.contract_date or doc_date
    months = app.duration_months or program.contract.implementation_months_max
    start = signed_on + timedelta(days=1)
    ctx.update({
        "kind": kind,
        "doc_date": doc_date,
        "letter_no": letter_no or f"{program.agency.short}-{app.application_no}",
        "application_no": app.application_no,
        "applicant": {
            "name": app.applicant_name,
            "tax_id": app.tax_id,
            "tax_id_label": tax_id_kind(app.tax_id) or "VKN/TCKN",
            "address": app.address,
            "province": app.province,
            "district": app.district or "",
        },
        "project": {
            "title": app.project_title,
            "province": app.project_province or app.province,
            "duration_months": months,
        },
        "amounts": {
            "credit": quantize(app.credit),
            "co_financing": quantize(app.co_financing),
            "total": total,
            "credit_share": (app.credit / total) if total else Decimal(0),
            "co_financing_share": (app.co_financing / total) if total else Decimal(0),
            "cofinancing_min": program.amounts.cofinancing_min,
        },
        "signers": [{"name": s.name, "tckn": s.tckn, "title": s.title} for s in app.signers],
        "contract": {
            "signed_on": signed_on,
            "start": start,
            "end": (add_months(start, months) - timedelta(days=1)) if months else None,
            "months": months,
        },
        "special_conditions": list(special_conditions or []),
        "cash_sources": cash_sources if cash_sources is not None else [
            {"source": "Şirket Hesabı (Nakit)", "amount": quantize(app.co_financing), "note": ""},
        ],
        "schedule": None,
        "result": None,
        "deficiency": None,
    })
    if program.repayment is not None and kind in ("destek_sozlesmesi", "geri_odeme_plani"):
        sched = build_schedule(program, app.credit, anchor or provisional_anchor(program, signed_on),
                               budget=total)
        ctx["schedule"] = schedule_context(sched)
    if kind == "sonuc_yazisi":
        if result not in RESULTS:
            raise UserError(f"sonuç yazısı için sonuç gerekli: {', '.join(RESULTS)}")
        announced = notified_on or doc_date
        # The stage is named in a rejection (001:L953) and the decision is final (002:L925,
        # 001:L955, 003:L1878): the letter says both.
        res: dict[str, Any] = {"status": result, "announced_on": announced, "documents": [],
                               "documents_deadline": None, "reasons": [], "stage": stage}
        if result == "accepted":
            res["documents"] = [{"ek": d.ek, "title": d.title} for d in program.documents
                                if d.requirement == "contract"]
            res["documents_deadline"] = contract_documents_deadline(program, announced)
            res["documents_business_days"] = program.contract.documents_business_days
        elif result == "rejected":
            if not reasons:
                raise UserError("red yazısı için en az bir gerekçe kodu gerekli (--reasons)")
            res["reasons"] = _reasons_context(program, reasons)
        ctx["result"] = res
    if kind == "eksik_evrak_yazisi":
        notified = notified_on or doc_date
        items = _missing_context(program, missing or [])
        ctx["deficiency"] = {
            "notified_on": notified,
            "deadline": completion_deadline(program, notified),
            "business_days": program.deficiency_business_days,
            "entries": items,
        }
    return ctx


