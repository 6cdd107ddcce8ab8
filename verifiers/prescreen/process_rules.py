"""Process dates and document rules of the guides (issue 16): when KAYS opens, which financial
statements a firm must give, when a board resolution must come with the imza sirküleri, that
a technical specification names its budget sub-line, that a form asked for as a signed scan
can carry a signature, whether an e-signed declaration's signer is authorised, and which
e-Devlet barcodes staff must verify online.

Each function is the one home of its rule ids and cites the guide lines it rests on. These
rules read a document's words (a year, a clause, a code), so they work on the text layer only:
a scanned document is not OCR'd a second time, and what was not read is a note for staff,
never a finding (D32).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from evrak.dates import format_datetime, format_long
from evrak.deadlines import kays_opens, period_for
from evrak.findings import Certainty, Evidence
from evrak.text import fold
from verifiers.document import read_text
from verifiers.kinds import THRESHOLD, kind_scores
from verifiers.prescreen import documents, guide_rules
from verifiers.prescreen.context import CheckContext
from verifiers.signatures.pairing import signed_documents
from verifiers.signatures.verify import verify_signed_file
from verifiers.text import Page

# Page sources whose text is the document's own (not an OCR reading).
_TEXT_SOURCES = ("text", "office")


def text_pages(ctx: CheckContext, name: str) -> list[Page] | None:
    """The pages of `name` from its text layer (or an office file), or None when the document
    was read through OCR or not at all: these rules never OCR a page again."""
    doc = ctx.documents.get(name)
    pages = getattr(doc, "pages", None) or []
    if not pages or any(p.get("source") not in _TEXT_SOURCES for p in pages):
        return None
    result, _ = read_text(Path(ctx.root) / name, name)
    return result.pages if result.readable else None


def _text(pages: list[Page]) -> str:
    return "\n".join(p.text for p in pages)


# --- 002:L713: KAYS opens 10 iş günü after the announcement ------------------------------------


def check_submission_opening(ctx: CheckContext) -> None:
    """SUBMITTED_BEFORE_OPENING: KAYS takes applications only from its opening day (002:L713,
    computed by evrak.deadlines.kays_opens; an explicit period opening wins). A completion time
    before it means the manifest's time or programme is wrong: staff look (review). Programmes
    with several periods are handled by SUBMITTED_OUTSIDE_PERIOD (application.py)."""
    p, m = ctx.program, ctx.manifest
    if len(p.periods) > 1:
        return
    period = period_for(p, m.submitted_at)
    opens = kays_opens(p, period)
    if opens is None or m.submitted_at.date() >= opens:
        return
    how = (f"ilandan ({format_long(p.announcement_date)}) {p.process.kays_opens_business_days} iş günü sonra"
           if period.opens is None else "programın başvuru dönemi")
    ctx.finding("SUBMITTED_BEFORE_OPENING",
                f"Başvuru {format_datetime(m.submitted_at)} tarihinde tamamlanmış görünüyor; KAYS başvuruya "
                f"{format_long(opens)} tarihinde açıldı ({how}). Başvuru zamanını ve programı doğrulayın.",
                evidence=[ctx.manifest_evidence("submitted_at", m.submitted_at.isoformat())],
                refs=p.process.lines if period.opens is None else period.lines)


# --- 002:L830, L1280-1282; 003:L1116-1117: the financial statements' years ------------------

# A year standing alone ("2021 yılı", "2020 ve 2021", "2020-2021"), not one inside a date such
# as 12.01.2023 or 2023-01-12; a year-end date (31.12.2021) names its fiscal year.
_YEAR = re.compile(r"(?<![\d./])((?:19|20)\d{2})(?!\d|[./-]\d{1,2}[./-]\d)")
_YEAR_END = re.compile(r"(?<!\d)31[./]12[./]((?:19|20)\d{2})(?!\d)")
_RANGE = re.compile(r"(?<![\d./])((?:19|20)\d{2})\s*[-–/]\s*((?:19|20)\d{2})(?!\d)")


def years_in(text: str) -> set[int]:
    """The fiscal years a financial statement's text names."""
    years = {int(y) for y in _YEAR.findall(text)} | {int(y) for y in _YEAR_END.findall(text)}
    for a, b in _RANGE.findall(text):
        lo, hi = sorted((int(a), int(b)))
        if hi - lo <= 5:
            years.update(range(lo, hi + 1))
    return years


def _founded(ctx: CheckContext) -> tuple[date | None, Evidence | None]:
    """The founding date: the manifest's, else a registry document's registration date."""
    ap = ctx.manifest.applicant
    if ap.founded_on is not None:
        return ap.founded_on, ctx.manifest_evidence("applicant.founded_on", ap.founded_on)
    # the documents that count, the current gazette winning a conflict where the guide says so (002:L417)
    for name, f in guide_rules.registry_for_founding(ctx):
        registered = getattr(f, "registered_on", None)
        if registered is not None and ctx.read_certainty(name) is Certainty.READ:
            return registered, Evidence(file=name, text="kayıt/tescil tarihi", value=registered.isoformat())
    return None, None


def check_financial_statements(ctx: CheckContext) -> None:
    """FINANCIALS_YEAR_MISSING: the statements of every fiscal year the guide names in which the
    firm already existed are given (002:L830 "varsa son 2 mali yıla ait (2020-2021)", L1280-1282;
    003:L1116-1117 "2021 yılına ait"). A firm founded after those years gives the guide's
    alternative (an approved interim balance sheet, a sole proprietor's income tax return):
    a note, since which one applies is staff's call. A missing supporting document is completed
    within the deficiency window (002:L815, 003:L1147-1148)."""
    rule = ctx.program.document("mali_tablolar")
    if rule is None or not rule.fiscal_years:
        return
    founded, founded_ev = _founded(ctx)
    if founded is None:
        years = ", ".join(map(str, rule.fiscal_years))
        ctx.notes.append(f"{rule.title}: kuruluş tarihi okunamadığından hangi yılların ({years}) mali tablosunun "
                         "isteneceği belirlenmedi; elle kontrol edin.")
        return
    needed = [y for y in rule.fiscal_years if founded.year <= y]
    if not needed:
        alt = f" ({rule.condition})" if rule.condition else ""
        ctx.notes.append(f"İşletme {format_long(founded)} tarihinde kurulmuş; {', '.join(map(str, rule.fiscal_years))} "
                         f"mali tabloları yok, rehberin öngördüğü yerine geçen belge sunulur{alt}.")
        return
    given = ctx.files_of("mali_tablolar")
    files = [f for f in given if ctx.readable(f)]
    if given and not files:
        return  # present but nothing read: DOC_EMPTY / DOC_UNREADABLE say so, never "missing" (D32)
    if not files:
        if rule.requirement == "required":
            return  # DOC_MISSING reports it (documents.py)
        ctx.finding("FINANCIALS_YEAR_MISSING",
                    f"İşletme {format_long(founded)} tarihinde kurulmuş; {', '.join(map(str, needed))} yıllarına ait "
                    f"mali tablolar mevcut olmalı ve istenir ({rule.ek}: {rule.title}); pakette yok.",
                    evidence=[founded_ev] if founded_ev else [], refs=rule.lines, subject="mali_tablolar")
        return
    found: set[int] = set()
    unread: list[str] = []
    for name in files:
        pages = text_pages(ctx, name)
        if pages is None:
            unread.append(name)
        else:
            found |= years_in(_text(pages))
    missing = [y for y in needed if y not in found]
    if missing and unread:
        ctx.notes.append(f"{', '.join(unread)}: taranmış; mali tabloların yılları ({', '.join(map(str, needed))}) "
                         "makineyle okunmadı, elle kontrol edin.")
        return
    if missing:
        ctx.finding("FINANCIALS_YEAR_MISSING",
                    f"İşletme {format_long(founded)} tarihinde kurulmuş; {', '.join(map(str, needed))} yıllarına ait "
                    f"mali tablolar istenir, sunulan belgelerde {', '.join(map(str, missing))} yılı yok "
                    f"(okunan yıllar: {', '.join(map(str, sorted(found))) or 'yok'}).",
                    evidence=[*(Evidence(file=n, text="mali yıl", value=", ".join(map(str, sorted(found))))
                                for n in files), *([founded_ev] if founded_ev else [])],
                    refs=rule.lines, subject="mali_tablolar")


# --- 002:L826, L1276; 003:L1031-1036: the board resolution behind the signer's authority ----

# "Yönetim Kurulunun 12.03.2021 tarih ve 2021/5 sayılı kararı ile ...": the authority comes from a
# resolution of the board (or the managers), not from the articles; a title ("Yönetim Kurulu
# Başkanı") is not a resolution.
_RESOLUTION = re.compile(r"(?:yonetim|mudurler) kurulu(?:nun|nca|ndan)?(?!\s*(?:baskan|uye))"
                         r"(?:\s+\S+){0,8}?\s+karar(?:i|iyla|i ile|lari)?(?![a-z])")


def check_authority_resolution(ctx: CheckContext) -> None:
    """AUTHORITY_RESOLUTION_MISSING: the imza sirküleri says the signers' authority was given by
    a board (managers') resolution, so the authority does not come from the articles, and the
    package has no yetkilendirme kararı, nor does the circular carry the resolution itself
    (002:L826, L1276 "gerekli olması halinde yetkilendirme kararını içeren imza sirküleri";
    003:L1031-1036). Reading a clause as the source of authority is an inference: staff confirm
    (review); confirmed, it is a missing supporting document (002:L815)."""
    rule = ctx.program.document("yetki_karari")
    circular = ctx.program.document("imza_sirkuleri")
    if rule is None or circular is None or ctx.files_of("yetki_karari"):
        return
    refs = rule.lines or circular.lines
    for name in ctx.files_of("imza_sirkuleri"):
        if name not in ctx.documents:
            continue
        pages = text_pages(ctx, name)
        if pages is None:
            if ctx.readable(name):
                ctx.notes.append(f"{name}: taranmış imza sirküleri; yetkinin bir kurul kararından gelip gelmediği "
                                 "makineyle aranmadı (yetki kararı gerekip gerekmediğini elle kontrol edin).")
            continue
        text = re.sub(r"\s+", " ", _text(pages))
        m = _RESOLUTION.search(fold(text))
        if m is None:
            continue
        if kind_scores(pages).get("yetki_karari", 0) >= THRESHOLD:
            ctx.notes.append(f"{name}: imza sirküleri yetkilendirme kararını içeriyor görünüyor (002:L1276).")
            continue
        quoted = text[max(0, m.start() - 40): m.end() + 40].strip()
        ctx.finding("AUTHORITY_RESOLUTION_MISSING",
                    f"{name}: yetki bir kurul kararına dayanıyor («…{quoted}…»), yani ana sözleşmeden gelmiyor; "
                    f"{rule.title} pakette yok. Kararın gerekip gerekmediğini doğrulayın; gerekiyorsa eksik "
                    "belge olarak istenir.",
                    evidence=[Evidence(file=name, text=quoted)], refs=refs, subject="yetki_karari",
                    certainty=Certainty.INFERRED)


# --- 003:L1096-1098: a technical specification names its budget sub-line ---------------------


def _code_in(code: str, text: str) -> bool:
    """The budget code as a whole token: "3.1" in "3.1 Paketleme", not in "13.1" or "3.1.2"."""
    return re.search(rf"(?<![\d.]){re.escape(code)}(?!\d|\.\d)", text) is not None


def check_techspec_line_codes(ctx: CheckContext) -> None:
    """TECHSPEC_LINE_CODE_MISSING: each item of a technical specification is marked with the
    budget sub-line it belongs to ("Ör: 3.3.1 gibi", 003:L1096-1098); a spec read from its text
    layer that never names its line's code is incomplete (completed within the deficiency
    window, 003:L1147-1148). A proforma or brochure given as a spec is DOC_WRONG_KIND (the
    reader's kind detection, 003:L1093-1094); the stamp and signature are seen by staff."""
    rules = ctx.program.budget
    if not rules.techspec_line_codes:
        return
    present = set(ctx.files)
    for line in ctx.manifest.budget:
        name = line.technical_spec
        if not name or name not in present or not ctx.readable(name):
            continue  # missing: TECHSPEC_MISSING; empty: DOC_EMPTY
        pages = text_pages(ctx, name)
        if pages is None:
            ctx.notes.append(f"{name}: taranmış teknik şartname; bütçe alt kalemi kodunun ({line.code}) yazılı "
                             "olduğu makineyle aranmadı.")
            continue
        if not _code_in(line.code, _text(pages)):
            ctx.finding("TECHSPEC_LINE_CODE_MISSING",
                        f"{name}: {line.code} '{line.description}' kaleminin teknik şartnamesinde bütçe alt kalemi "
                        f"kodu ({line.code}) yazılı değil; şartnamedeki her makine-ekipman-hizmetin üzerine ilgili "
                        "bütçe alt kalemi not edilmelidir.",
                        evidence=[Evidence(file=name, page=1),
                                  ctx.manifest_evidence(f"budget[{line.code}].technical_spec", name)],
                        refs=rules.lines, subject=line.code)


# --- 002:L827, L829, L1275, L1277; 003:L1073-1074: the signed printout, scanned --------------

_SIGNATURE_SUFFIXES = (".p7s", ".imz", ".p7m")


def _carries_a_signature(path: Path) -> bool | None:
    """Whether a PDF can carry a signature: an e-signature (a PAdES signature dictionary) or an
    image on a page (a scan, a scanned signature). None when the PDF does not open (the reader
    reports that)."""
    data = path.read_bytes()
    if b"/ByteRange" in data:
        return True
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return any(next(iter(page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3)), None)
                   is not None for page in pdf)
    finally:
        pdf.close()


def check_signed_scans(ctx: CheckContext) -> None:
    """DOC_NOT_SIGNED_SCAN: a form the guide asks for as its printout, signed and scanned (002:L827,
    L829, L1275, L1277 EK G/EK H; 003:L1073-1074 the applicant's declaration) arrived as an
    editable office file, or as a PDF of text alone (no image on any page, no e-signature):
    neither can carry the signature, so the upload is wrong and completed within the deficiency
    window (002:L815). Whether the signature on a scan is the authorised person's is staff's."""
    for rule in ctx.program.documents:
        if not rule.signed_scan:
            continue
        for name in ctx.files_of(rule.kind):
            doc = ctx.documents.get(name)
            sources = {p.get("source") for p in getattr(doc, "pages", None) or []}
            if not sources or "ocr" in sources:
                continue  # unread (the reader's finding), or a scan
            if any(f"{name}{s}" in ctx.files for s in _SIGNATURE_SUFFIXES):
                continue  # a detached e-signature beside it
            # an office file cannot carry a wet signature; a PDF without images most likely does not,
            # but a signature drawn as vector paths has no image: that one is for staff (D32)
            certainty = Certainty.READ
            if sources == {"office"}:
                what = f"düzenlenebilir bir Office belgesi ({Path(name).suffix.lower() or 'uzantısız'})"
            elif _carries_a_signature(Path(ctx.root) / name) is False:
                what = "yalnız metinden oluşan bir PDF (hiçbir sayfada görüntü, dosyada e-imza yok)"
                certainty = Certainty.INFERRED
            else:
                continue
            ctx.finding("DOC_NOT_SIGNED_SCAN",
                        f"{name}: {rule.title} ({rule.ek}) imzalı matbu halinin taranmışı olarak istenir; dosya "
                        f"{what}, üzerinde imza bulunamaz. İmzalı ve taranmış hali istenmeli.",
                        evidence=[Evidence(file=name, page=1)], refs=rule.lines, subject=rule.kind,
                        certainty=certainty)


# --- 002:L826; 003:L1031-1032: the imza sirküleri is certified by a notary -----------------


def check_circular_notarised(ctx: CheckContext) -> None:
    """CIRCULAR_NOT_NOTARISED: the guide asks for the names and signatures "noter tarafından
    tasdik eden" (002:L826; 003:L1031-1032), and the circular's text layer names no notary and
    no yevmiye number. A review, not a deficiency: a signature declaration made before the trade
    registry (TTK m.40) may serve, and staff decide. A scan whose notary was not read is a note."""
    for rule in ctx.program.documents:
        if not rule.notarised:
            continue
        for name in ctx.files_of(rule.kind):
            if not ctx.readable(name):
                continue  # DOC_EMPTY / DOC_UNREADABLE
            facts = getattr(ctx.documents.get(name), "facts", None)
            if getattr(facts, "notary", None) or getattr(facts, "yevmiye_no", None):
                continue
            pages = text_pages(ctx, name)
            if pages is None:
                ctx.notes.append(f"{name}: taranmış imza sirkülerinde noter ve yevmiye numarası okunamadı; noter "
                                 "tasdikini elle kontrol edin.")
                continue
            if "noter" in fold(_text(pages)):
                continue
            ctx.finding("CIRCULAR_NOT_NOTARISED",
                        f"{name}: {rule.title} noter tasdikli olmalı; belgede noter adı ve yevmiye numarası yok. "
                        "Noter tasdikini (ya da ticaret sicilinde verilen imza beyannamesinin yerine geçip "
                        "geçmediğini) doğrulayın.",
                        evidence=[Evidence(file=name, page=1)], refs=rule.lines, subject=rule.kind)


# --- 003:L1384-1387, L1073-1074: every declaration signed by an authorised person ----------


def _e_signed(path: Path, signature: str, name: str) -> bool:
    """An e-signed file: a CAdES container or detached signature, or a PDF with a PAdES
    signature dictionary. A scan of a wet signature is not."""
    if signature != name or Path(signature).suffix.lower() in _SIGNATURE_SUFFIXES:
        return True
    return b"/ByteRange" in path.read_bytes()


def check_declaration_signatures(ctx: CheckContext) -> None:
    """SIGNATURE_* and SIGNER_* for an e-signed declaration other than the taahhütname (which
    documents.check_taahhutname verifies): "Beyanname ve Taahhütnamelerin tamamı ... yetkili
    olarak kaydedilen ve imza sirküleri sunulan kişi(ler) tarafından imzalanmalıdır" (003:L1384-1387,
    L1073-1074). The same verifier and the same circular decide (D26, D28); a circular not fully
    read makes an authority finding an inference (D32). A wet-signed scan is compared with the
    circular's specimen by staff; DOC_NOT_SIGNED_SCAN says whether it can carry a signature."""
    rules = [r for r in ctx.program.documents if r.signed_by_authorized and r.kind != "taahhutname"]
    if not rules:
        return
    circular = documents.circular_facts(ctx)
    unread = documents.circular_unread(ctx)
    for rule in rules:
        for name, signature, content in signed_documents(ctx.files_of(rule.kind), ctx.files):
            if not _e_signed(Path(ctx.root) / signature, signature, name):
                continue
            if ctx.trust_dir is None:
                ctx.notes.append(f"{name}: e-imzalı; güvenilir kök sertifika klasörü yapılandırılmadığından imza ve "
                                 "imzacının yetkisi doğrulanmadı.")
                continue
            report = verify_signed_file(Path(ctx.root) / signature, trust_dir=ctx.trust_dir, crl_files=ctx.crl_files,
                                        content_file=Path(ctx.root) / content if content else None,
                                        circular=circular)
            ctx.signatures[name] = report
            for f in report.findings:
                if unread and f.rule in documents.AUTHORITY_RULES and f.certainty is Certainty.READ:
                    f.certainty = Certainty.INFERRED
                    f.message += f" (imza sirkülerinde okunamayan: {'; '.join(unread)}; yetkiyi elle doğrulayın)"
                f.subject = f.subject or rule.kind
                if rule.lines and rule.lines not in f.refs:
                    f.refs.append(rule.lines)
                ctx.findings.append(f)
            signed = [s for s in getattr(report, "signatures", []) if getattr(s, "cryptographically_ok", False)]
            if signed and (circular is None or not circular.persons):
                ctx.finding("SIGNER_NOT_AUTHORIZED",
                            f"{name}: imzalayanın yetkisi doğrulanamadı; imza sirkülerinden yetkili kişiler "
                            "okunamadı. İmzalayanın imza sirkülerinde yetkili olduğunu elle doğrulayın.",
                            evidence=[Evidence(file=name)], refs=rule.lines, subject=rule.kind,
                            certainty=Certainty.UNREAD)


# --- 003:L1144-1145 (002:L831, L1283): barcoded e-Devlet documents -------------------------

# Documents the guides let come from the e-Devlet Kapısı with a barcode.
EDEVLET_KINDS = ("sgk_calisan_listesi", "kobi_beyannamesi", "mali_tablolar", "faaliyet_belgesi",
                 "vergi_borcu_yazisi", "sgk_borcu_yazisi")
_BARCODE = re.compile(r"(?:barkod|dogrulama)\s*(?:no|numarasi|kodu)\s*[:.]?\s*([a-z0-9][a-z0-9-]{7,})")


def note_edevlet_barcodes(ctx: CheckContext) -> None:
    """A barcoded e-Devlet document is accepted (003:L1144-1145; 002:L831, L1283 "e-Devlet
    Kapısından alınmış barkotlu belge"), after its barcode is verified on turkiye.gov.tr. That
    needs the network, which pre-screening does not use: the barcode number read from the text
    layer is put in the report for staff, marked as not verified; nothing is claimed either way."""
    for kind in EDEVLET_KINDS:
        for name in ctx.files_of(kind):
            pages = text_pages(ctx, name) if name in ctx.documents else None
            if pages is None:
                continue
            folded = fold(_text(pages))
            if "e-devlet" not in folded or "barkod" not in folded:
                continue
            m = _BARCODE.search(folded)
            code = m.group(1).upper() if m else None
            rule = ctx.program.document(kind)
            refs = f" ({rule.lines})" if rule and rule.lines else ""
            ctx.notes.append(f"{name}: e-Devlet barkodlu belge; barkod "
                             + (f"no {code}" if code else "numarası metinden okunamadı")
                             + ". Barkod doğrulanmadı (çevrimdışı): turkiye.gov.tr/belge-dogrulama adresinde "
                               f"doğrulayın{refs}.")


CHECKS = [check_submission_opening, check_financial_statements, check_authority_resolution,
          check_techspec_line_codes, check_signed_scans, check_circular_notarised, check_declaration_signatures,
          note_edevlet_barcodes]
