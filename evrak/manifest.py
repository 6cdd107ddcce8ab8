"""The application manifest (basvuru.yaml / basvuru.json) per shared/domain/package-format.md.

YAML floats and timestamps are kept as their source text, so money goes straight into
Decimal and a naive timestamp is read as Istanbul time (D1, D6). Errors name the file,
the field and the line.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator

from evrak.dates import aware
from evrak.errors import UserError
from evrak.money import MoneyError, to_money

MANIFEST_NAMES = ("basvuru.yaml", "basvuru.yml", "basvuru.json")


def _money(value: object) -> Decimal:
    try:
        return to_money(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


def _aware_dt(value: object) -> object:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
        except ValueError:
            raise ValueError(f"zaman damgası ISO biçiminde olmalı (2023-02-15T14:32:00+03:00): {value!r}") \
                from None
    if isinstance(value, datetime):
        return aware(value)
    return value


Money = Annotated[Decimal, BeforeValidator(_money)]
Timestamp = Annotated[datetime, BeforeValidator(_aware_dt)]
Heading = Literal[
    "makine_ekipman", "yapim", "sarf", "hammadde", "yedek_parca", "yazilim", "hizmet",
    "danismanlik", "yenilenebilir_enerji", "diger", "insan_kaynaklari", "seyahat", "idari",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Applicant(_Model):
    name: str
    vkn: str
    nace: str | None = None
    province: str
    district: str | None = None
    founded_on: date | None = None
    employees: int | None = None
    size: Literal["mikro", "kucuk", "orta", "buyuk"] | None = None
    address: str | None = None
    iban: str | None = None

    @field_validator("vkn", mode="before")
    @classmethod
    def _vkn_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v


class Project(_Model):
    title: str
    province: str
    duration_months: int | None = None


class Financing(_Model):
    credit: Money
    co_financing: Money = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.credit + self.co_financing


class BudgetLine(_Model):
    code: str
    heading: Heading
    description: str
    amount: Money
    incentive_certificate: bool = False
    domestic_goods: bool = False  # yerli malı belgeli ürün: 004:L54 adds 15 points to this line's rate
    technical_spec: str | None = None
    proformas: list[str] = []

    @field_validator("proformas", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, str) else (v or [])


class Manifest(_Model):
    program: str
    application_no: str
    submitted_at: Timestamp
    taahhutname_received_at: Timestamp | None = None
    # How a wet-signed taahhütname reached the agency: by hand or post only; fax or e-mail is a
    # rejection (002:L748, 001:L799, 003:L1512, L1531).
    taahhutname_channel: Literal["elden", "posta", "kargo", "faks", "eposta"] | None = None
    applicant: Applicant
    project: Project
    financing: Financing
    budget: list[BudgetLine] = []
    documents: dict[str, list[str]] = {}

    @field_validator("documents", mode="before")
    @classmethod
    def _doc_lists(cls, v: object) -> object:
        if not isinstance(v, dict):
            return v
        return {k: ([f] if isinstance(f, str) else [x for x in (f or []) if x]) for k, f in v.items()}

    @field_validator("application_no", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget), Decimal("0.00"))

    def files_of(self, kind: str) -> list[str]:
        return self.documents.get(kind, [])

    def named_files(self) -> set[str]:
        names = {f for files in self.documents.values() for f in files}
        for line in self.budget:
            names.update(line.proformas)
            if line.technical_spec:
                names.add(line.technical_spec)
        return names


# --- YAML with line numbers -----------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps floats and timestamps as text (exact money, Istanbul time)."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _as_text)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)


def _line_of(root: yaml.Node | None, loc: tuple) -> int | None:
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
            key = next((k for k, _ in node.value if k.value == part), None)
            if nxt is None:
                break
            line = (key or nxt).start_mark.line + 1
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def parse_manifest(text: str, name: str = "basvuru.yaml") -> Manifest:
    root = None
    if name.endswith(".json"):
        try:
            data = json.loads(text, parse_float=str)
        except json.JSONDecodeError as exc:
            raise UserError(f"JSON sözdizimi hatası: {exc.msg}", file=name, line=exc.lineno) from exc
    else:
        try:
            root = yaml.compose(text, Loader=_Loader)
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise UserError(f"YAML sözdizimi hatası: {getattr(exc, 'problem', exc)}", file=name,
                            line=mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise UserError("başvuru dosyası bir eşleme (anahtar: değer) olmalı", file=name, line=1)
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "zorunlu alan eksik"
        elif err["type"] == "extra_forbidden":
            msg = "bilinmeyen alan; yazımını kontrol edin"
        elif err["type"] == "literal_error":
            msg = f"geçersiz değer {err['input']!r}; izin verilenler: {err['ctx']['expected']}"
        elif err["type"].startswith(("int_", "date_", "datetime_", "bool_")):
            msg = f"geçersiz değer {err.get('input')!r} ({err['msg']})"
        more = len(exc.errors()) - 1
        if more:
            msg += f" (ve {more} hata daha)"
        raise UserError(msg, file=name, field=field, line=_line_of(root, loc)) from exc


def find_manifest(folder: Path) -> Path:
    for n in MANIFEST_NAMES:
        if (folder / n).is_file():
            return folder / n
    raise UserError("paketin içinde basvuru.yaml (ya da basvuru.json) yok", file=str(folder))


def load_manifest(path: Path) -> Manifest:
    if not path.exists():
        raise UserError("bulunamadı; paket klasörünün ya da basvuru.yaml dosyasının yolunu verin",
                        file=str(path))
    if path.is_dir():
        path = find_manifest(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError("dosya UTF-8 değil; UTF-8 olarak kaydedin", file=str(path)) from exc
    except OSError as exc:
        raise UserError(f"okunamadı: {exc.strerror}", file=str(path)) from exc
    return parse_manifest(text, str(path))
