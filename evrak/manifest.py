"""The application manifest (basvuru.yaml / basvuru.json) per shared/domain/package-format.md.

YAML floats and timestamps are kept as their source text, so money goes straight into
Decimal and a naive timestamp is read as Istanbul time (D1, D6). Errors name the file,
the field and the line.

A manifest comes from outside, so it is read within bounds (issue 17): at most
MAX_MANIFEST_BYTES, parsed once by libyaml into a node tree on which aliases (a "billion
laughs" expands them) and duplicate keys (the last one silently won) are refused before
any value is built; error messages show at most a short prefix of a value. Values are
strict: no empty application number, money with at most two decimals (never rounded),
timestamps only as ISO text (an integer would be read as epoch seconds), positive
durations, identifiers in ASCII digits of the right length, no bidi or other control
characters anywhere, and no mix of Latin with Cyrillic or Greek letters in names.

The optional `form:` section carries the KAYS application form's own data (partners,
contacts, Proje Bilgisi, indicators, budget-line descriptions, declarations, taxonomy
objectives, cluster members); its format and how a KAYS export maps to it are in
docs/kays-export.md ("Application form data").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from evrak.dates import aware
from evrak.errors import UserError
from evrak.identifiers import is_valid_tr_iban
from evrak.money import MoneyError, to_money

MANIFEST_NAMES = ("basvuru.yaml", "basvuru.yml", "basvuru.json")
# A real manifest is a few kilobytes (a hundred budget lines is about 20 KB); 1 MiB leaves
# room and keeps the parse under a second. Larger files are refused before they are read.
MAX_MANIFEST_BYTES = 1024 * 1024
SHOWN_VALUE_CHARS = 60  # how much of an offending value an error message quotes

_PLAIN_DECIMAL = re.compile(r"\s*-?\d+(?:\.(\d+))?\s*")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def shown(value: object, limit: int = SHOWN_VALUE_CHARS) -> str:
    """repr() of a value for a message, cut to `limit` characters: an error never echoes megabytes."""
    if isinstance(value, str):
        text = repr(value[: limit + 1])
    elif isinstance(value, dict | list | tuple):
        text = f"<{type(value).__name__}, {len(value)} öğe>"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _money(value: object) -> Decimal:
    """Money with at most two decimals: a third decimal is an error, never rounded away (D6)."""
    if isinstance(value, str):
        m = _PLAIN_DECIMAL.fullmatch(value)
        if m and m.group(1) and len(m.group(1).rstrip("0")) > 2:
            raise ValueError(f"tutarda en çok iki ondalık basamak olabilir (kuruş): {shown(value)}")
    elif isinstance(value, Decimal) and value != value.quantize(Decimal("0.01")):
        raise ValueError(f"tutarda en çok iki ondalık basamak olabilir (kuruş): {shown(value)}")
    try:
        return to_money(value)
    except MoneyError as exc:
        raise ValueError(shown(str(exc), 160).strip("'\"")) from None


def _nonnegative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"tutar negatif olamaz: {value}")
    return value


def _aware_dt(value: object) -> datetime:
    """A timestamp only from ISO text; a number is refused (it would be read as epoch seconds)."""
    if isinstance(value, datetime):  # built in code, not read from a file
        return aware(value)
    if not isinstance(value, str):
        raise ValueError(f"zaman damgası ISO metni olmalı (2023-02-15T14:32:00+03:00), {shown(value)} değil")
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        raise ValueError(f"zaman damgası ISO biçiminde olmalı (2023-02-15T14:32:00+03:00): {shown(value)}") \
            from None
    return aware(parsed)


def _tax_id(value: object) -> str:
    """10 (VKN) or 11 (TCKN) ASCII digits; the checksum is a review finding (VKN_INVALID), not a stop."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"vergi kimlik numarası metin olmalı, {shown(value)} değil")
    text = value.strip()
    if not _ASCII_DIGITS.fullmatch(text) or len(text) not in (10, 11):
        raise ValueError("vergi kimlik numarası 10 (VKN) ya da 11 (TCKN) rakam olmalı, yalnız 0-9 "
                         f"(tam genişlikte ya da başka yazıların rakamları kabul edilmez): {shown(value)}")
    return text


def _iban(value: object) -> object:
    if value is None:
        return None
    if not isinstance(value, str) or not is_valid_tr_iban(value) or not value.isascii():
        raise ValueError(f"IBAN geçersiz (TR ile başlayan 26 karakter, denetim basamakları tutmalı): {shown(value)}")
    return value


Money = Annotated[Decimal, BeforeValidator(_money)]
PositiveMoney = Annotated[Decimal, BeforeValidator(_money), Field(gt=0)]
NonNegativeMoney = Annotated[Decimal, BeforeValidator(_money), AfterValidator(_nonnegative)]
Timestamp = Annotated[datetime, BeforeValidator(_aware_dt)]
TaxId = Annotated[str, BeforeValidator(_tax_id)]
Iban = Annotated[str | None, BeforeValidator(_iban)]
Heading = Literal[
    "makine_ekipman", "yapim", "sarf", "hammadde", "yedek_parca", "yazilim", "hizmet",
    "danismanlik", "yenilenebilir_enerji", "diger", "insan_kaynaklari", "seyahat", "idari",
    "yerel_ofis",  # heading 4 (yerel ofis maliyetleri), excluded in 001 and 003 but nameable
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Applicant(_Model):
    name: str = Field(min_length=1)
    vkn: TaxId
    nace: str | None = None
    province: str
    district: str | None = None
    founded_on: date | None = None
    employees: int | None = Field(default=None, ge=0)
    size: Literal["mikro", "kucuk", "orta", "buyuk"] | None = None
    address: str | None = None
    iban: Iban = None
    # The KOBİ beyannamesi's figures, so the class is computed, not taken as declared
    # (003:L58-67, 002:L176-183): annual net sales, balance-sheet total, public ownership share.
    turnover: NonNegativeMoney | None = None
    balance_sheet_total: NonNegativeMoney | None = None
    public_share: Decimal | None = Field(default=None, ge=0, le=1)


class Project(_Model):
    title: str
    province: str
    duration_months: int | None = Field(default=None, gt=0)


class CoFinancingSource(_Model):
    """One row of the EK H table (002:L1301-1313): where the co-financing comes from."""

    source: Literal["nakit_sahsi", "sirket_nakit", "banka_kredisi", "diger", "ayni"]
    amount: NonNegativeMoney
    note: str = ""


class Financing(_Model):
    credit: PositiveMoney
    co_financing: NonNegativeMoney = Decimal("0.00")
    # KAYS "Beklenen Finansman Kaynakları" / EK H rows, where the package gives them.
    sources: list[CoFinancingSource] = []

    @property
    def total(self) -> Decimal:
        return self.credit + self.co_financing


class BudgetLine(_Model):
    code: str
    heading: Heading
    description: str
    amount: NonNegativeMoney
    incentive_certificate: bool = False
    domestic_goods: bool = False  # yerli malı belgeli ürün: 004:L54 adds 15 points to this line's rate
    technical_spec: str | None = None
    proformas: list[str] = []

    @field_validator("proformas", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, str) else (v or [])


# --- the KAYS application form's own data (optional `form:` section, docs/kays-export.md) ------
# Every part is optional and None when the export did not carry it: a rule whose data is
# absent is not checked (D32), the report says so. An empty list is a value that was read
# ("no partners"), never the same as an absent one.

FORM_TEXT_MAX = 50_000  # a KAYS text field holds at most 4000 characters; far more is not a form
FormText = Annotated[str, Field(max_length=FORM_TEXT_MAX)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]
# Proje Bilgisi sections as KAYS names them (002:L1148): Projenin Gerekçesi, Projenin Program
# Öncelikleri ile İlgisi, Beklenen Sonuçlar, Sürdürülebilirlik.
SectionId = Literal["gerekce", "program_oncelikleri", "beklenen_sonuclar", "surdurulebilirlik"]
# Who may be a cluster member (004:L21-32): firms, and the listed public and private bodies.
MemberKind = Literal["firma", "il_ozel_idaresi", "yerel_yonetim", "universite", "tgb", "oda_borsa",
                     "serbest_bolge", "osb", "ihracatci_birligi", "endustri_bolgesi", "dernek_vakif_kooperatif"]


class FormParty(_Model):
    """A partner (ortak) or affiliate (iştirakçi) the form lists for the project."""

    name: ShortText
    role: Literal["ortak", "istirakci"]
    vkn: TaxId | None = None


class FormContact(_Model):
    """An İrtibat Kişisi (003:L1389-1391)."""

    name: ShortText
    title: Annotated[str, Field(max_length=300)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None


class FormSection(_Model):
    """One Proje Bilgisi section: its text, or only its length when the export gives that."""

    id: SectionId
    text: FormText | None = None
    chars: int | None = Field(default=None, ge=0, le=FORM_TEXT_MAX)

    @model_validator(mode="after")
    def _one_of(self) -> FormSection:
        if (self.text is None) == (self.chars is None):
            raise ValueError("bölüm için ya metin (text) ya uzunluk (chars) yazılır: biri, ikisi birden değil")
        return self


class FormIndicator(_Model):
    """A performance indicator chosen in the form (KAYS code, name, unit, target increase)."""

    code: Annotated[str, Field(pattern=r"^K[0-9]{1,4}$")] | None = None
    name: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    unit: Annotated[str, Field(max_length=60)] | None = None
    target: Decimal | None = None

    @model_validator(mode="after")
    def _named(self) -> FormIndicator:
        if self.code is None and self.name is None:
            raise ValueError("göstergenin KAYS kodu (code) ya da adı (name) yazılmalı")
        return self


class FormBudgetLine(_Model):
    """A budget line as the form describes it (Maliyetlerin Gerekçelendirilmesi)."""

    code: Annotated[str, Field(min_length=1, max_length=40)]
    description: FormText = ""
    amount: NonNegativeMoney | None = None


class FormDeclarations(_Model):
    """The applicant's statements in the form (Başvuru Sahibinin Beyanı); None: not in the export."""

    exclusions: bool | None = None  # falls in none of the guide's exclusion categories (a)-(h) / (a)-(ğ)
    not_started: bool | None = None  # the project has not started before the contract
    no_other_public_funding: bool | None = None  # the same activities get no other public support
    no_pre_contract: bool | None = None  # no pre-contract with a contractor candidate (000:L368)


class ClusterMember(_Model):
    """A member of a cluster (kümelenme birlikteliği), with its NACE code (004:L9, L21-32)."""

    name: ShortText
    kind: MemberKind
    vkn: TaxId | None = None
    nace: Annotated[str, Field(pattern=r"^[0-9]{2}(\.[0-9]{1,2}){0,2}$")] | None = None


class Form(_Model):
    """What the KAYS application form holds beyond the budget (docs/kays-export.md)."""

    partners: Annotated[list[FormParty], Field(max_length=200)] | None = None
    contacts: Annotated[list[FormContact], Field(max_length=50)] | None = None
    sections: Annotated[list[FormSection], Field(max_length=20)] | None = None
    indicators: Annotated[list[FormIndicator], Field(max_length=200)] | None = None
    budget_lines: Annotated[list[FormBudgetLine], Field(max_length=1000)] | None = None
    declarations: FormDeclarations | None = None
    taxonomy_objectives: Annotated[list[Annotated[int, Field(ge=1, le=6)]], Field(max_length=6)] | None = None
    cluster_members: Annotated[list[ClusterMember], Field(max_length=10_000)] | None = None

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, v: list[FormSection] | None) -> list[FormSection] | None:
        ids = [s.id for s in v or []]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"aynı bölüm iki kez yazılmış: {', '.join(dup)}")
        return v


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
    form: Form | None = None  # the KAYS form's own data, when the export carries it

    @field_validator("documents", mode="before")
    @classmethod
    def _doc_lists(cls, v: object) -> object:
        if not isinstance(v, dict):
            return v
        return {k: ([f] if isinstance(f, str) else [x for x in (f or []) if x]) for k, f in v.items()}

    @field_validator("application_no", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        v = str(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if isinstance(v, str) and not v.strip():
            raise ValueError("başvuru numarası boş olamaz")
        return v.strip() if isinstance(v, str) else v

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


# --- YAML within bounds, with line numbers ----------------------------------------------------

_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: fast and bounded


class _Loader(_YAML_BASE):  # type: ignore[misc, valid-type]
    """Safe loader that keeps floats and timestamps as text (exact money, Istanbul time)."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _as_text)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)

# Bidi embeddings/overrides/isolates and marks reorder text when shown (an RLO turns a
# company name around in the contract PDF); other control characters have no place either.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN")
# Fields that name someone or something: a Cyrillic "а" among Latin letters is a look-alike.
NAME_FIELDS = {("program",), ("application_no",), ("applicant", "name"), ("applicant", "province"),
               ("applicant", "district"), ("applicant", "address"), ("project", "title"),
               ("project", "province"), ("form", "partners", "name"), ("form", "contacts", "name"),
               ("form", "cluster_members", "name")}


def _check_tree(root: yaml.Node, name: str) -> None:
    """Refuse aliases and duplicate keys on the composed tree, before anything is constructed.

    libyaml composes an alias as the same node object again; seeing a node twice is an
    alias. Each node is visited once, so a billion-laughs file costs its size, not 10^9.
    """
    seen: set[int] = set()
    todo = deque([(root, root.start_mark.line + 1)])  # (node, line of what refers to it), in file order
    while todo:
        node, line = todo.popleft()
        if id(node) in seen:
            raise UserError("YAML takma adları (& ve *) kabul edilmez; değeri açıkça yazın", file=name,
                            line=line)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "<<":
                    raise UserError("YAML birleştirme anahtarı (<<) kabul edilmez", file=name,
                                    line=key.start_mark.line + 1)
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        raise UserError(f"aynı anahtar ikinci kez yazılmış: {shown(key.value)}", file=name,
                                        line=key.start_mark.line + 1)
                    keys.add(key.value)
                todo += [(key, key.start_mark.line + 1), (value, key.start_mark.line + 1)]
        elif isinstance(node, yaml.SequenceNode):
            todo += [(item, node.start_mark.line + 1) for item in node.value]


def _strings(data: object, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in the parsed data (keys included) with its place."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(k, loc)
            yield from _strings(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*loc, i))


def _scripts(word: str) -> set[str]:
    out = set()
    for ch in word:
        if ch.isalpha():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in _SCRIPTS:
                out.add(script)
    return out


def _text_problem(loc: tuple, text: str) -> str | None:
    """What is wrong with one string of the manifest, or None."""
    for ch in text:
        if ch in _BIDI:
            return (f"metinde yön denetim karakteri var (U+{ord(ch):04X}); metni ters gösterebilir, "
                    "kaldırıp yeniden yazın")
        if unicodedata.category(ch) == "Cc" and ch not in "\n\t":
            return f"metinde denetim karakteri var (U+{ord(ch):04X}); kaldırın"
    if tuple(p for p in loc if not isinstance(p, int)) in NAME_FIELDS:
        scripts = _scripts(text)
        if len(scripts) > 1:
            return (f"adda farklı alfabelerin harfleri karışık ({', '.join(sorted(scripts))}): {shown(text)}; "
                    "benzer görünen Kiril/Yunan harfleri olabilir, adı Türkçe klavyeyle yeniden yazın")
    return None


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


def _read_yaml(text: str, name: str) -> tuple[yaml.Node | None, object]:
    """Parse once: compose the node tree, check it, construct the data from it."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_tree(root, name)
        return root, loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise UserError(f"YAML sözdizimi hatası: {shown(problem, 160).strip(chr(39))}", file=name,
                        line=mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def manifest_data(text: str, name: str = "basvuru.yaml") -> dict:
    """The manifest as plain data (money and timestamps as text), read within the same bounds
    as parse_manifest: for code that rewrites a manifest (worker/completion.py)."""
    return _bounded_data(text, name)[1]


def _bounded_data(text: str, name: str) -> tuple[yaml.Node | None, dict]:
    if len(text) > MAX_MANIFEST_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_MANIFEST_BYTES:
        raise UserError(f"dosya çok büyük (en çok {MAX_MANIFEST_BYTES // 1024} KB)", file=name)
    root = None
    try:
        if name.endswith(".json"):
            try:
                data = json.loads(text, parse_float=str)
            except json.JSONDecodeError as exc:
                raise UserError(f"JSON sözdizimi hatası: {exc.msg}", file=name, line=exc.lineno) from None
        else:
            root, data = _read_yaml(text, name)
    except RecursionError:
        raise UserError("başvuru dosyası çok derin iç içe yazılmış", file=name) from None
    except ValueError as exc:  # an integer beyond Python's digit limit, and the like
        if "digits" in str(exc):  # Python's own text names sys.set_int_max_str_digits: not for staff
            raise UserError("bir sayı çok uzun (binlerce basamak); tutarları ve sayıları kontrol edin",
                            file=name) from None
        raise UserError(f"değer okunamadı: {shown(str(exc), 120).strip(chr(39))}", file=name) from None
    if not isinstance(data, dict):
        raise UserError("dosya bir eşleme (anahtar: değer) olmalı", file=name, line=1)
    return root, data


_M = TypeVar("_M", bound=BaseModel)


def parse_manifest(text: str, name: str = "basvuru.yaml") -> Manifest:
    return parse_model(Manifest, text, name)


def parse_model(model: type[_M], text: str, name: str) -> _M:
    """A YAML or JSON file read within the manifest's bounds into `model`: the one home of the
    checks and of the Turkish error naming the file, the field and the line (the manifest, the
    monitoring report of evrak/monitoring.py)."""
    root, data = _bounded_data(text, name)
    for loc, value in _strings(data):
        problem = _text_problem(loc, value)
        if problem:
            field = ".".join(str(p) for p in loc) or None
            raise UserError(problem, file=name, field=field, line=_line_of(root, loc))
    try:
        return model.model_validate(data)
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
            msg = f"geçersiz değer {shown(err['input'])}; izin verilenler: {err['ctx']['expected']}"
        elif err["type"] in ("greater_than", "greater_than_equal"):
            limit = err["ctx"].get("gt", err["ctx"].get("ge"))
            msg = f"değer {'sıfırdan büyük' if 'gt' in err['ctx'] else 'negatif olmayan'} olmalı " \
                  f"(sınır {limit}): {shown(err.get('input'))}"
        elif err["type"] == "string_too_short":
            msg = "boş olamaz"
        elif err["type"] in ("less_than", "less_than_equal"):
            limit = err["ctx"].get("lt", err["ctx"].get("le"))
            msg = f"değer en çok {limit} olabilir: {shown(err.get('input'))}"
        elif err["type"] in ("too_long", "string_too_long"):
            unit = "öğe" if err["type"] == "too_long" else "karakter"
            msg = f"çok uzun (en çok {err['ctx'].get('max_length')} {unit})"
        elif err["type"].startswith(("int_", "date_", "datetime_", "bool_", "string_", "decimal_")):
            msg = f"geçersiz değer {shown(err.get('input'))} ({err['msg']})"
        more = len(exc.errors()) - 1
        if more:
            msg += f" (ve {more} hata daha)"
        raise UserError(msg, file=name, field=field, line=_line_of(root, loc)) from None


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
        with path.open("rb") as fh:  # read no more than the limit allows, whatever the file's size
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise UserError(f"başvuru dosyası çok büyük (en çok {MAX_MANIFEST_BYTES // 1024} KB)",
                            file=str(path))
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError("dosya UTF-8 değil; UTF-8 olarak kaydedin", file=str(path)) from exc
    except OSError as exc:
        raise UserError(f"okunamadı: {exc.strerror}", file=str(path)) from exc
    return parse_manifest(text, str(path))
