"""What the page prints: Turkish dates in Istanbul time, verdict and severity words and colours.

Staff read "24 Şubat 2023 17:00", never an ISO string or a UTC time; the words come from
evrak.findings so the page, the report and the letters say the same thing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from evrak.dates import format_datetime
from evrak.findings import Severity, Verdict
from evrak.money import format_tl

VERDICT_ORDER = ("reject", "review", "deficient", "pass")
SEVERITY_ORDER = ("reject", "review", "deficient", "warning", "info")
VERDICT_LABELS = {v.value: v.label for v in Verdict}
SEVERITY_LABELS = {s.value: s.label for s in Severity}

STATE_LABELS = {
    "received": "Alındı",
    "queued": "Kuyrukta",
    "running": "İşleniyor",
    "done": "Tamamlandı",
    "failed": "Başarısız",
    "duplicate": "Yinelenen",
}

KIND_LABELS = {
    "taahhutname": "Taahhütname",
    "es_finansman_taahhutnamesi": "Eş Finansman Taahhütnamesi",
    "cifte_finansman_taahhutnamesi": "Çifte Finansman Taahhütnamesi",
    "destek_sozlesmesi": "Destek Sözleşmesi",
    "sonuc_yazisi": "Sonuç Yazısı",
    "eksik_evrak_yazisi": "Eksik Evrak Yazısı",
    "geri_odeme_plani": "Geri Ödeme Planı",
}
RESULT_LABELS = {"accepted": "Kabul (asil)", "reserve": "Yedek", "rejected": "Red"}


def datetime_tr(value: datetime | str | None) -> str:
    """"24 Şubat 2023 17:00" in Europe/Istanbul; "—" when there is no time."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value)


def verdict_label(verdict: str | None) -> str:
    return VERDICT_LABELS.get(verdict or "", "—")


def severity_label(severity: str | None) -> str:
    return SEVERITY_LABELS.get(severity or "", severity or "—")


def state_label(state: str | None) -> str:
    return STATE_LABELS.get(state or "", state or "—")


def money(value: Decimal | str | None) -> str:
    """"1.800.000,00 TL": Turkish grouping, never a float."""
    if value is None or value == "":
        return "—"
    return format_tl(Decimal(str(value)))


def install(app) -> None:  # type: ignore[no-untyped-def]
    """Register the filters and globals every template uses."""
    app.jinja_env.filters.update(datetime_tr=datetime_tr, verdict_label=verdict_label,
                                 severity_label=severity_label, state_label=state_label, money=money)
    app.jinja_env.globals.update(VERDICT_ORDER=VERDICT_ORDER, SEVERITY_ORDER=SEVERITY_ORDER,
                                 KIND_LABELS=KIND_LABELS, RESULT_LABELS=RESULT_LABELS)
