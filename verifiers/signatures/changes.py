"""D27: what changed in a PDF after a signature, judged by the agency's strict rule.

After the applicant's signature only later signatures, document timestamps and
validation data (DSS) are accepted. pyHanko's difference analysis calls filling a form
field "FORM_FILLING" and lets it pass under the usual DocMDP level 2; we do not. Two
sources are combined, and either one is enough to call the signature modified:

1. pyHanko's verdict (`diff_result`, coverage): a `SuspiciousModification`, a coverage
   below ENTIRE_REVISION, ANNOTATIONS/OTHER, or FORM_FILLING with any changed field that
   is not a later signature;
2. our own comparison of the signed revision with the file as it is now (pages, page
   content, annotations, form field values, DSS), which also gives staff the Turkish
   description of what changed — pyHanko's own messages are English and technical.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel, SuspiciousModification
from pyhanko.sign.validation.status import SignatureCoverageLevel

_MAX_PAGES = 5000
_MAX_FIELDS = 5000


@dataclass
class ChangeAssessment:
    modified: bool
    forbidden: list[str] = field(default_factory=list)  # Turkish
    accepted: list[str] = field(default_factory=list)  # Turkish
    modification_level: str | None = None
    changed_form_fields: list[str] = field(default_factory=list)


@dataclass
class _Snapshot:
    pages: list[tuple[str, list[tuple[str, str | None, str]]]]  # (content hash, annotations)
    fields: dict[str, tuple[str, str]]  # name -> (field type, value repr)
    sig_values: dict[str, str]  # signature field name -> "/Sig" | "/DocTimeStamp"
    dss: str | None


def assess_changes(
    reader: PdfFileReader,
    signed_revision: int,
    coverage: SignatureCoverageLevel | None,
    diff_result: DiffResult | SuspiciousModification | None,
    later_signature_fields: set[str],
) -> ChangeAssessment:
    """Judge the changes after the signature in `signed_revision` by D27."""
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return ChangeAssessment(modified=False, modification_level=ModificationLevel.NONE.name)

    result = ChangeAssessment(modified=False)
    field_lines: dict[str, str] = {}  # pyHanko's changed fields, described if ours missed them
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        result.modified = True
        result.forbidden.append(
            "İmza, dosyanın imzalanan sürümünü tam olarak kapsamıyor (imza kapsamı belirsiz)"
        )
    if isinstance(diff_result, DiffResult):
        level = diff_result.modification_level
        result.modification_level = level.name
        result.changed_form_fields = sorted(diff_result.changed_form_fields)
        if level >= ModificationLevel.ANNOTATIONS:
            result.modified = True
        elif level == ModificationLevel.FORM_FILLING:
            others = set(diff_result.changed_form_fields) - later_signature_fields
            if others or not diff_result.changed_form_fields:
                result.modified = True
                for name in sorted(others):
                    field_lines[name] = f"'{name}' form alanı imzadan sonra değiştirilmiş"
    else:
        result.modification_level = "SUSPICIOUS"
        result.modified = True

    # Our own comparison: the Turkish description, and a second opinion.
    try:
        old = _snapshot(reader.get_historical_resolver(signed_revision))
        new = _snapshot(reader)
        forbidden, accepted = _compare(old, new)
    except Exception:
        forbidden, accepted = [], []
        if result.modified and not result.forbidden:
            result.forbidden.append("İmzadan sonra dosyada izin verilmeyen bir değişiklik yapılmış")
    for line in forbidden:
        if line not in result.forbidden:
            result.forbidden.append(line)
    for name, line in field_lines.items():
        if not any(f"'{name}'" in f for f in result.forbidden):
            result.forbidden.append(line)
    result.accepted.extend(accepted)
    if forbidden:
        result.modified = True
    if result.modified and not result.forbidden:
        result.forbidden.append("İmzadan sonra dosyanın yapısında izin verilmeyen bir değişiklik yapılmış")
    return result


def _compare(old: _Snapshot, new: _Snapshot) -> tuple[list[str], list[str]]:
    forbidden: list[str] = []
    accepted: list[str] = []
    n_old, n_new = len(old.pages), len(new.pages)
    if n_new > n_old:
        forbidden.append(f"İmzadan sonra sayfa eklenmiş (imzalanan sürümde {n_old}, şimdi {n_new} sayfa)")
    elif n_new < n_old:
        forbidden.append(f"İmzadan sonra sayfa silinmiş (imzalanan sürümde {n_old}, şimdi {n_new} sayfa)")
    for i, ((h_old, a_old), (h_new, a_new)) in enumerate(zip(old.pages, new.pages, strict=False), 1):
        if h_old != h_new:
            forbidden.append(f"{i}. sayfanın içeriği imzadan sonra değiştirilmiş")
        old_annots = [a for a in a_old if a[0] != "/Widget"]
        new_annots = [a for a in a_new if a[0] != "/Widget"]
        if len(new_annots) > len(old_annots):
            kinds = ", ".join(sorted({a[0].lstrip("/") for a in new_annots if a not in old_annots})) or "?"
            forbidden.append(f"{i}. sayfaya imzadan sonra açıklama/işaret eklenmiş ({kinds})")
        elif len(new_annots) < len(old_annots):
            forbidden.append(f"{i}. sayfadan imzadan sonra açıklama/işaret silinmiş")
        elif new_annots != old_annots:
            forbidden.append(f"{i}. sayfadaki açıklamalar imzadan sonra değiştirilmiş")
    for name, (ftype, value) in new.fields.items():
        if ftype == "/Sig":
            continue
        if name not in old.fields:
            forbidden.append(f"'{name}' form alanı imzadan sonra eklenmiş")
        elif old.fields[name][1] != value:
            forbidden.append(f"'{name}' form alanı imzadan sonra doldurulmuş/değiştirilmiş")
    for name in old.fields:
        if name not in new.fields:
            forbidden.append(f"'{name}' form alanı imzadan sonra silinmiş")
    for name, kind in new.sig_values.items():
        if name in old.sig_values:
            if old.sig_values[name] != kind or old.fields.get(name) != new.fields.get(name):
                forbidden.append(f"'{name}' imza alanı imzadan sonra değiştirilmiş")
            continue
        if kind == "/DocTimeStamp":
            accepted.append(f"Belge zaman damgası eklenmiş ('{name}')")
        else:
            accepted.append(f"Sonradan imza eklenmiş ('{name}')")
    if new.dss is not None and new.dss != old.dss:
        accepted.append("Doğrulama verisi (DSS) eklenmiş/güncellenmiş")
    return forbidden, accepted


def _snapshot(handler) -> _Snapshot:
    root = handler.root
    pages: list[tuple[str, list[tuple[str, str | None, str]]]] = []
    _walk_pages(root["/Pages"], pages, set())
    fields: dict[str, tuple[str, str]] = {}
    sig_values: dict[str, str] = {}
    try:
        top = root["/AcroForm"]["/Fields"]
    except (KeyError, TypeError):
        top = []
    _walk_fields(top, "", None, fields, sig_values, set())
    dss = None
    if "/DSS" in root:
        dss = hashlib.sha256(repr(_plain(root["/DSS"], 3)).encode()).hexdigest()
    return _Snapshot(pages, fields, sig_values, dss)


def _walk_pages(node_obj, out: list, seen: set) -> None:
    node = node_obj.get_object() if isinstance(node_obj, generic.IndirectObject) else node_obj
    if id(node) in seen or len(out) > _MAX_PAGES:
        return
    seen.add(id(node))
    if node.get("/Type") == "/Pages" or "/Kids" in node:
        for kid in node.get("/Kids", []):
            _walk_pages(kid, out, seen)
        return
    h = hashlib.sha256()
    contents = node.get("/Contents")
    if contents is not None:
        contents = contents.get_object() if isinstance(contents, generic.IndirectObject) else contents
        streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
        for s in streams:
            s = s.get_object() if isinstance(s, generic.IndirectObject) else s
            if isinstance(s, generic.StreamObject):
                h.update(s.data)
    try:
        xobjects = node["/Resources"]["/XObject"]
        for name in sorted(xobjects):
            xo = xobjects[name]
            if isinstance(xo, generic.StreamObject):
                h.update(name.encode() + xo.encoded_data)
    except (KeyError, TypeError, AttributeError):
        pass
    for key in ("/MediaBox", "/CropBox", "/Rotate"):
        if key in node:
            h.update(repr(_plain(node[key], 1)).encode())
    annots: list[tuple[str, str | None, str]] = []
    for a in node.get("/Annots", []) or []:
        a = a.get_object() if isinstance(a, generic.IndirectObject) else a
        if not isinstance(a, generic.DictionaryObject):
            continue
        subtype = str(a.get("/Subtype", "?"))
        name = a.get("/T")
        if name is None and "/Parent" in a:
            name = a["/Parent"].get("/T")
        annots.append((subtype, None if name is None else str(name), _annot_fingerprint(a)))
    out.append((h.hexdigest(), annots))


def _annot_fingerprint(annot: generic.DictionaryObject) -> str:
    keys = ("/Rect", "/Contents", "/F", "/QuadPoints", "/InkList", "/A")
    return repr([_plain(annot.get(k), 2) for k in keys])


def _walk_fields(kids, prefix: str, inherited_ft, fields: dict, sig_values: dict, seen: set) -> None:
    for kid_ref in kids or []:
        kid = kid_ref.get_object() if isinstance(kid_ref, generic.IndirectObject) else kid_ref
        if not isinstance(kid, generic.DictionaryObject) or id(kid) in seen or len(fields) > _MAX_FIELDS:
            continue
        seen.add(id(kid))
        part = kid.get("/T")
        name = (
            f"{prefix}.{part}" if prefix and part is not None else (str(part) if part is not None else prefix)
        )
        ftype = kid.get("/FT", inherited_ft)
        children = [k for k in kid.get("/Kids", []) or [] if "/T" in k.get_object()]
        if children:
            _walk_fields(children, name, ftype, fields, sig_values, seen)
            continue
        value = kid.get("/V")
        if ftype == "/Sig" and value is not None:
            v = value.get_object() if isinstance(value, generic.IndirectObject) else value
            sig_values[name] = str(v.get("/Type", "/Sig")) if isinstance(v, generic.DictionaryObject) else "?"
            fields[name] = (str(ftype), repr(getattr(value, "reference", None)))
        else:
            fields[name] = (str(ftype), repr(_plain(value, 2)))


def _plain(obj, depth: int):
    """A comparable plain-Python view of a PDF object, references shown, not followed deeply."""
    if isinstance(obj, generic.IndirectObject):
        if depth <= 0:
            return ("ref", obj.idnum)
        obj = obj.get_object()
    if depth <= 0:
        return type(obj).__name__
    if isinstance(obj, generic.StreamObject):
        return ("stream", hashlib.sha256(obj.encoded_data).hexdigest())
    if isinstance(obj, dict):
        return {str(k): _plain(v, depth - 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v, depth - 1) for v in obj]
    return str(obj)
