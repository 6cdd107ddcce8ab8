"""Checks of the uploaded documents against the application and the programme.

Reading happens once (`read_documents`); each later check is the one home of its rule ids
and works on the facts read. A document that cannot be read is a finding (review) on that
document; every other check still runs (package-format.md, D29).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from evrak.dates import format_datetime, format_long
from evrak.findings import Certainty, Evidence, Finding, Severity
from evrak.identifiers import digits
from evrak.money import format_tl
from evrak.text import contains_folded, fold, same_company
from verifiers.document import FIELD_LABELS, REQUIRED, read_document, read_text
from verifiers.kinds import KINDS
from verifiers.prescreen.context import CheckContext
from verifiers.signatures.pairing import signed_documents
from verifiers.signatures.verify import verify_signed_file

# Kinds whose facts carry the applicant's identity (company name, VKN).
_IDENTITY_KINDS = ("kredi_uygunluk_belgesi", "imza_sirkuleri", "faaliyet_belgesi", "sgk_calisan_listesi",
                   "kobi_beyannamesi", "sicil_gazetesi")


def _read(path: Path, kind: str | None, *, incentive: bool = False, trust: Path | None = None) -> Any:
    """Read with the manifest's kind where the readers know it; a programme-specific kind
    (e.g. 000's etut_formu) is read as an unknown kind and keeps the manifest's name."""
    return read_document(path, kind=kind if kind in KINDS else None, incentive_certificate=incentive,
                         trust_dir=trust)  # trust: the roots an e-Fatura's mali mühür must chain to


def _named_kinds(ctx: CheckContext) -> dict[str, str]:
    """file -> kind the manifest gives it (documents, proformas, technical specifications)."""
    kinds: dict[str, str] = {}
    for kind, files in ctx.manifest.documents.items():
        for f in files:
            kinds[f] = kind
    for line in ctx.manifest.budget:
        for f in line.proformas:
            kinds[f] = "proforma"
        if line.technical_spec:
            kinds[line.technical_spec] = "teknik_sartname"
    return kinds


def read_documents(ctx: CheckContext) -> None:
    """Read every file once; DOC_UNREADABLE, DOC_WRONG_KIND, UNLISTED_FILE and the documents'
    own checks (arithmetic, KDV, identifiers) come from here."""
    named = _named_kinds(ctx)
    present = set(ctx.files)
    incentive = {f for line in ctx.manifest.budget if line.incentive_certificate for f in line.proformas}
    for name, kind in sorted(named.items()):
        if name not in present:
            continue  # reported as missing by check_required_documents / check_proformas
        doc = _read(ctx.root / name, kind, incentive=name in incentive, trust=ctx.trust_dir)
        ctx.documents[name] = doc
        # DOC_UNREADABLE, DOC_WRONG_KIND, PROFORMA_ARITHMETIC, ...; admitted with the rest (run.py)
        ctx.findings.extend(_reader_findings(ctx, doc, name, kind))
        ctx.document_summaries.append(_summary(name, kind, doc))
    for name in ctx.files:
        if name in named:
            continue
        doc = _read(ctx.root / name, None, trust=ctx.trust_dir)
        ctx.documents[name] = doc
        kind = doc.kind
        if kind:
            ctx.recognised[name] = kind
        ctx.finding("UNLISTED_FILE",
                    f"{name} başvuru dosyasında (basvuru.yaml) adı geçmiyor; içeriğine göre: "
                    f"{kind or 'sınıflandırılamadı'}.", evidence=[Evidence(file=name, value=kind)])
        ctx.document_summaries.append(_summary(name, kind, doc, listed=False))


def _date_unread_message(name: str) -> str:
    return f"{name}: belge tarihi okunamadı"


def _missing_message(name: str, labels: list[str]) -> str:
    return f"{name}: şu alanlar güvenle okunamadı: {', '.join(labels)}"


def _reader_findings(ctx: CheckContext, doc: Any, name: str, kind: str) -> list[Finding]:
    """The reader's findings, less an unread date where the guide asks nothing of the date (D33).

    check_document_dates reports an unread date again, only for the documents the profile
    dates; the KUB and proformas keep the reader's own (their rules always read the date).
    """
    if kind in _KUB_PROFORMA:
        return list(doc.findings)
    rule = ctx.program.document(kind)
    dated = rule is not None and rule.dated
    date_label = FIELD_LABELS["issued_on"]
    unread = [FIELD_LABELS.get(n, n) for n in REQUIRED.get(kind, ())
              if getattr(doc.facts, n, None) in (None, "")]
    out = []
    for f in doc.findings:
        if f.rule == "DOC_UNREADABLE" and f.message == _date_unread_message(name):
            continue
        if not dated and f.rule == "DOC_UNREADABLE" and date_label in unread \
                and f.message == _missing_message(name, unread):
            rest = [label for label in unread if label != date_label]
            if not rest:
                continue
            f = Finding(f.rule, _missing_message(name, rest), f.severity, f.evidence, f.refs, f.subject, f.certainty)
        # the reader knows the file, not the EK item: the kind gives the finding its item and guide lines
        out.append(f if f.subject else Finding(f.rule, f.message, f.severity, f.evidence, f.refs, kind, f.certainty))
    return out


_KUB_PROFORMA = ("kredi_uygunluk_belgesi", "proforma")


def _summary(name: str, kind: str | None, doc: Any, listed: bool = True) -> dict:
    data = doc.to_dict()
    return {"file": name, "kind": kind, "listed": listed, "kind_source": data["kind_source"],
            "pages": data["pages"], "facts": data["facts"], "notes": data["notes"]}


def _doc_rule_refs(ctx: CheckContext, kind: str) -> str:
    rule = ctx.program.document(kind)
    return rule.lines if rule else ""


def check_required_documents(ctx: CheckContext) -> None:
    """DOC_MISSING (KUB_MISSING, TAAHHUTNAME_MISSING for their own documents)."""
    m = ctx.manifest
    present = set(ctx.files)
    for rule in ctx.program.documents:
        if rule.requirement != "required":
            continue
        if rule.kind in ("proforma", "teknik_sartname") and m.budget:
            continue  # named under the budget lines: check_proformas reports them per line
        files = m.files_of(rule.kind) or ctx.files_of(rule.kind)
        missing_files = [f for f in files if f not in present]
        for f in missing_files:
            ctx.finding("DOC_MISSING", f"{rule.title} ({rule.ek}): başvuruda adı geçen {f} pakette yok.",
                        severity=rule.missing_severity, refs=rule.lines, subject=rule.kind,
                        evidence=[ctx.manifest_evidence(f"documents.{rule.kind}", f)])
        if files and len(missing_files) < len(files):
            continue
        if files:
            continue  # each missing file already reported
        if rule.kind == "taahhutname":
            if m.taahhutname_received_at is None:
                ctx.finding("TAAHHUTNAME_MISSING", f"{rule.title} yok; ıslak imzalı asıl da teslim alınmamış.",
                            refs=rule.lines, subject=rule.kind)
            continue
        if rule.kind == "kredi_uygunluk_belgesi":
            ctx.finding("KUB_MISSING", f"{rule.title} ({rule.ek}) yok; bankaya başvuru yazısı da sunulmamış.",
                        refs=rule.lines, subject=rule.kind)
            continue
        ctx.finding("DOC_MISSING", f"{rule.title} ({rule.ek}) sunulmamış.", severity=rule.missing_severity,
                    refs=rule.lines, subject=rule.kind)


def check_documents_read(ctx: CheckContext) -> None:
    """DOC_EMPTY (D32): a document in the package from which nothing could be read (a blank
    scan, an empty file) is not present and valid; review, or what the profile says."""
    kinds = _named_kinds(ctx)
    kinds.update(ctx.recognised)
    for name in sorted(kinds):
        if name not in ctx.documents or ctx.readable(name):
            continue
        kind = kinds[name]
        rule = ctx.program.document(kind)
        title = rule.title if rule else kind
        ctx.finding("DOC_EMPTY", f"{name}: belgeden hiçbir şey okunamadı (boş ya da okunaksız tarama); "
                    f"{title} sunulmuş sayılmaz. Belgeyi açıp elle doğrulayın ya da yenisini isteyin.",
                    evidence=[Evidence(file=name, page=1)], subject=kind, refs=rule.lines if rule else "")


def _issued_on(facts: Any):
    return getattr(facts, "issued_on", None)


def _ev(facts: Any, name: str, key: str = "issued_on") -> list[Evidence]:
    ev = getattr(facts, "evidence", None)
    if isinstance(ev, dict) and key in ev:
        return [ev[key]]
    return [Evidence(file=name)]


def check_document_dates(ctx: CheckContext) -> None:
    """DOC_DATED_BEFORE_ANNOUNCEMENT (D5), DOC_TOO_OLD, and an unread date (D33): only for the
    documents whose date the guide asks about; KUB and proformas have their own rules."""
    announcement = ctx.program.announcement_date
    submitted = ctx.manifest.submitted_at.date()
    for rule in ctx.program.documents:
        if rule.kind in _KUB_PROFORMA or not rule.dated:
            continue
        for name, facts in ctx.facts_of(rule.kind):
            issued = _issued_on(facts)
            if issued is None:
                ctx.finding("DOC_UNREADABLE", f"{_date_unread_message(name)}; rehber bu belgenin tarihini "
                            "arıyor, tarihi elle doğrulayın.", evidence=[Evidence(file=name)],
                            refs=rule.lines, subject=rule.kind, certainty=Certainty.UNREAD)
                continue
            if rule.date_rule == "on_or_after_announcement":
                if issued < announcement:
                    ctx.finding("DOC_DATED_BEFORE_ANNOUNCEMENT",
                                f"{rule.title} {format_long(issued)} tarihli; program ilan tarihi "
                                f"{format_long(announcement)} ve sonrası olmalı.",
                                evidence=_ev(facts, name), refs=rule.lines, subject=rule.kind)
                elif issued == announcement:
                    ctx.notes.append(f"{name}: ilan günü ({format_long(issued)}) düzenlenmiş; D5 gereği kabul edildi.")
            if rule.max_age_days is not None and issued < submitted - timedelta(days=rule.max_age_days):
                ctx.finding("DOC_TOO_OLD",
                            f"{rule.title} {format_long(issued)} tarihli; başvuru tarihinde en çok "
                            f"{rule.max_age_days} gün önce alınmış olmalı.",
                            evidence=_ev(facts, name), refs=rule.lines, subject=rule.kind)


def check_applicant_identity(ctx: CheckContext) -> None:
    """DOC_APPLICANT_MISMATCH: a document names another company (VKN first, then the name)."""
    ap = ctx.manifest.applicant
    for kind in _IDENTITY_KINDS:
        for name, facts in ctx.facts_of(kind):
            vkn = digits(getattr(facts, "vkn", None) or "")
            company = getattr(facts, "company", None)
            if vkn and vkn != digits(ap.vkn):
                ctx.finding("DOC_APPLICANT_MISMATCH",
                            f"{name} üzerindeki vergi numarası ({vkn}) başvuru sahibininki ({ap.vkn}) değil.",
                            evidence=_ev(facts, name, "vkn"), refs=_doc_rule_refs(ctx, kind), subject=kind)
            elif not vkn and company and not same_company(company, ap.name):
                ctx.finding("DOC_APPLICANT_MISMATCH",
                            f"{name} üzerindeki unvan ('{company}') başvuru sahibininkiyle ('{ap.name}') "
                            "uyuşmuyor ve vergi numarası okunamadı; kontrol edilmeli.",
                            evidence=_ev(facts, name, "company"), severity=Severity.REVIEW,
                            refs=_doc_rule_refs(ctx, kind), subject=kind, certainty=Certainty.INFERRED)


def check_kub(ctx: CheckContext) -> None:
    """KUB_PENDING, KUB_NEGATIVE, KUB_AMOUNT_LOW, KUB_WRONG_BANK, KUB_DATED_BEFORE_ANNOUNCEMENT (D17)."""
    p, m = ctx.program, ctx.manifest
    refs = _doc_rule_refs(ctx, "kredi_uygunluk_belgesi") or p.amounts.lines
    for name, f in ctx.facts_of("kredi_uygunluk_belgesi"):
        if f.is_application_receipt:
            ctx.finding("KUB_PENDING", f"{name} bankanın başvuru alındı yazısı; Kredi Uygunluk Belgesinin "
                        "kendisi değil. Belge ön inceleme bitmeden sunulmalı.",
                        evidence=_ev(f, name, "is_application_receipt"), refs=refs, subject="kredi_uygunluk_belgesi")
            continue
        if f.positive is False:
            ctx.finding("KUB_NEGATIVE", f"{name}: bankanın kredi değerlendirmesi olumsuz.",
                        evidence=_ev(f, name, "positive"), refs=refs)
        if p.intermediary is not None:
            names = [p.intermediary.name, p.intermediary.short, *p.intermediary.aliases]
            bank = f.bank or ""
            if not bank:
                ctx.finding("KUB_WRONG_BANK", f"{name}: belgeyi veren banka okunamadı; "
                            f"{p.intermediary.short} olduğu doğrulanmalı.", severity=Severity.REVIEW,
                            evidence=[Evidence(file=name)], refs=refs, certainty=Certainty.UNREAD)
            elif not any(contains_folded(bank, n) or contains_folded(n, bank) for n in names if n):
                ctx.finding("KUB_WRONG_BANK", f"{name} '{bank}' tarafından verilmiş; programın aracı kurumu "
                            f"{p.intermediary.short}.", evidence=_ev(f, name, "bank"), refs=p.intermediary.lines)
        if p.amounts.kub_covers:
            need = m.financing.credit if p.amounts.kub_covers == "credit" else m.financing.total
            what = "talep edilen kredi" if p.amounts.kub_covers == "credit" else "toplam proje bütçesi"
            if f.amount is not None and f.amount < need:  # unreadable amount: DOC_UNREADABLE from the reader
                ctx.finding("KUB_AMOUNT_LOW", f"{name}: uygunluk tutarı {format_tl(f.amount)}, {what} "
                            f"{format_tl(need)}.", evidence=_ev(f, name, "amount"), refs=refs)
        if f.issued_on is not None and f.issued_on < p.announcement_date:
            ctx.finding("KUB_DATED_BEFORE_ANNOUNCEMENT",
                        f"{name} {format_long(f.issued_on)} tarihli; ilan tarihi {format_long(p.announcement_date)}.",
                        evidence=_ev(f, name), refs=refs)
        if f.vkn and digits(f.vkn) != digits(m.applicant.vkn):
            ctx.finding("DOC_APPLICANT_MISMATCH", f"{name} başka bir vergi numarası ({f.vkn}) için verilmiş.",
                        evidence=_ev(f, name, "vkn"), refs=refs, subject="kredi_uygunluk_belgesi")


def check_proformas(ctx: CheckContext) -> None:
    """PROFORMA_MISSING, PROFORMA_SAME_SUPPLIER, PROFORMA_EXCEEDS_LINE, PROFORMA_BELOW_LINE,
    PROFORMA_NOT_CURRENT, PROFORMA_CURRENCY, TECHSPEC_MISSING (D18, D19)."""
    p, m = ctx.program, ctx.manifest
    rules = p.budget
    present = set(ctx.files)
    announcement = p.announcement_date
    submitted = m.submitted_at.date()
    for line in m.budget:
        if line.heading in rules.excluded_headings:
            continue
        big = rules.offers_threshold is not None and line.amount >= rules.offers_threshold
        needs_spec = rules.techspec == "all" or (rules.techspec == "above_threshold" and big)
        if needs_spec and (not line.technical_spec or line.technical_spec not in present):
            ctx.finding("TECHSPEC_MISSING", f"{line.code} '{line.description}' kalemi için teknik şartname yok.",
                        evidence=[ctx.manifest_evidence(f"budget[{line.code}].technical_spec", line.technical_spec)],
                        refs=rules.lines, subject=line.code)
        files = [f for f in line.proformas if f in present and ctx.readable(f)]  # a blank one: DOC_EMPTY
        need = max(rules.proforma_min_per_line, rules.offers_min if big else 1)
        if len(files) < need:
            ctx.finding("PROFORMA_MISSING", f"{line.code} '{line.description}' ({format_tl(line.amount)}) için "
                        f"{len(files)} proforma var, en az {need} gerekli.",
                        evidence=[ctx.manifest_evidence(f"budget[{line.code}].proformas", line.proformas)],
                        refs=rules.lines, subject=line.code)
        read = [(f, ctx.documents[f].facts) for f in files
                if f in ctx.documents and getattr(ctx.documents[f], "facts", None) is not None]
        if big and rules.offers_distinct_suppliers and len(read) >= 2:
            ids = [digits(fa.supplier_id or "") or fold(fa.supplier or "") for _, fa in read]
            if len([i for i in ids if i]) >= 2 and len(set(ids)) < min(len(ids), rules.offers_min):
                ctx.finding("PROFORMA_SAME_SUPPLIER",
                            f"{line.code} kalemindeki teklifler aynı tedarikçiden ({read[0][1].supplier or ids[0]}); "
                            f"{rules.offers_min} farklı tedarikçi gerekli.",
                            evidence=[e for f, fa in read for e in _ev(fa, f, "supplier_id")],
                            refs=rules.lines, subject=line.code)
        totals: list[tuple[str, Decimal, Any]] = []
        for f, fa in read:
            if fa.currency and fa.currency.upper() not in ("TRY", "TL"):
                ctx.finding("PROFORMA_CURRENCY", f"{f} {fa.currency} cinsinden; bütçe TL. Kur ve karşılığı "
                            "kontrol edilmeli.", evidence=_ev(fa, f, "currency"), refs=rules.lines, subject=line.code)
            if fa.issued_on is not None and fa.issued_on < announcement:
                ctx.finding("PROFORMA_NOT_CURRENT", f"{f} {format_long(fa.issued_on)} tarihli; ilan tarihinden "
                            f"({format_long(announcement)}) önce.", evidence=_ev(fa, f), refs=rules.lines,
                            subject=line.code)
            if fa.valid_until is not None and fa.valid_until < submitted:
                ctx.finding("PROFORMA_NOT_CURRENT", f"{f} geçerlilik tarihi {format_long(fa.valid_until)}, "
                            f"başvuru {format_long(submitted)}.", evidence=_ev(fa, f, "valid_until"),
                            refs=rules.lines, subject=line.code)
            if rules.proforma_max_age_days is not None and fa.issued_on is not None \
                    and fa.issued_on < submitted - timedelta(days=rules.proforma_max_age_days):
                ctx.finding("PROFORMA_NOT_CURRENT", f"{f} {rules.proforma_max_age_days} günden eski.",
                            evidence=_ev(fa, f), refs=rules.lines, subject=line.code)
            if fa.grand_total is not None:
                totals.append((f, fa.grand_total, fa))
        if not totals or len(totals) < len(read):
            continue
        compared = (min(t for _, t, _ in totals) if rules.compare_with == "lowest"
                    else sum((t for _, t, _ in totals), Decimal("0.00")))
        how = "en düşük teklif" if rules.compare_with == "lowest" else "proforma toplamı"
        ev = [e for f, _, fa in totals for e in _ev(fa, f, "grand_total")]
        if compared > line.amount:
            ctx.finding("PROFORMA_EXCEEDS_LINE", f"{line.code} '{line.description}': {how} {format_tl(compared)}, "
                        f"bütçe kalemi {format_tl(line.amount)}.", evidence=ev, refs=rules.lines, subject=line.code)
        elif compared < line.amount:
            ctx.finding("PROFORMA_BELOW_LINE", f"{line.code} '{line.description}': {how} {format_tl(compared)}, "
                        f"bütçe kalemi {format_tl(line.amount)}; kalem aşağı revize edilir.", evidence=ev,
                        refs=rules.lines, subject=line.code)


def circular_facts(ctx: CheckContext):
    """The imza sirküleri's facts (the first one read), or None: whom a signature is checked against."""
    facts = ctx.facts_of("imza_sirkuleri")
    return facts[0][1] if facts else None


def check_taahhutname(ctx: CheckContext) -> None:
    """TAAHHUTNAME_LATE for a wet-signed receipt, TAAHHUTNAME_NOT_FOR_APPLICATION, and the
    e-signature checks (SIGNATURE_*, SIGNER_*) through the signature verifier (D24-D29)."""
    m, deadline = ctx.manifest, ctx.taahhutname_deadline
    refs = _doc_rule_refs(ctx, "taahhutname")
    files = ctx.files_of("taahhutname")
    if not files:
        if m.taahhutname_received_at is not None and deadline and m.taahhutname_received_at > deadline:
            ctx.finding("TAAHHUTNAME_LATE", f"Islak imzalı taahhütname {format_datetime(m.taahhutname_received_at)} "
                        f"tarihinde teslim alınmış; son tarih {format_datetime(deadline)}.",
                        evidence=[ctx.manifest_evidence("taahhutname_received_at", m.taahhutname_received_at)],
                        refs=refs)
        elif m.taahhutname_received_at is not None:
            ctx.notes.append("Taahhütname ıslak imzalı olarak süresinde teslim alınmış (D24); imza, imza "
                             "sirkülerindeki örnekle personelce karşılaştırılmalı.")
        return
    # x.pdf with x.pdf.p7s/.imz beside it is one document, verified with its content (issue 13)
    for name, signed, content in signed_documents(files, ctx.files):
        text = _text_of(ctx.root / name)
        if text and not contains_folded(text, m.application_no):
            ctx.finding("TAAHHUTNAME_NOT_FOR_APPLICATION",
                        f"{name} içinde bu başvurunun numarası ({m.application_no}) geçmiyor.",
                        evidence=[Evidence(file=name, page=1)], refs=refs, subject="taahhutname")
        if ctx.trust_dir is None:
            ctx.finding("SIGNATURE_UNREADABLE", f"{name}: güvenilir kök sertifika klasörü yapılandırılmamış "
                        "(EVRAK_TRUST_DIR ya da --trust); e-imza doğrulanamadı.",
                        evidence=[Evidence(file=name)], refs=refs, subject="taahhutname")
            continue
        circular = circular_facts(ctx)
        report = verify_signed_file(ctx.root / signed, trust_dir=ctx.trust_dir, crl_files=ctx.crl_files,
                                    content_file=ctx.root / content if content else None,
                                    circular=circular, deadline=deadline, amount=m.financing.credit)
        ctx.signatures[name] = report
        unread = circular_unread(ctx)
        for f in report.findings:
            if unread and f.rule in AUTHORITY_RULES and f.certainty is Certainty.READ:
                # D32: the authority rests on an imza sirküleri that was not fully read
                f.certainty = Certainty.INFERRED
                f.message += f" (imza sirkülerinde okunamayan: {'; '.join(unread)}; yetkiyi elle doğrulayın)"
            ctx.findings.append(_with_refs(f, refs))
        signed = [s for s in getattr(report, "signatures", []) if getattr(s, "cryptographically_ok", False)]
        if signed and (circular is None or not circular.persons):
            ctx.finding("SIGNER_NOT_AUTHORIZED",
                        f"{name}: imzalayanın yetkisi doğrulanamadı; imza sirkülerinden yetkili kişiler "
                        "okunamadı. İmzalayanın imza sirkülerinde yetkili olduğunu elle doğrulayın.",
                        evidence=[Evidence(file=name)], refs=refs, subject="taahhutname",
                        certainty=Certainty.UNREAD)


AUTHORITY_RULES = {"SIGNER_JOINT_INCOMPLETE", "SIGNER_NOT_AUTHORIZED", "SIGNER_AUTHORITY_EXPIRED"}


def circular_unread(ctx: CheckContext) -> list[str]:
    """What the imza sirküleri reader could not read (its DOC_UNREADABLE or uncertain findings)."""
    out = []
    for name in ctx.files_of("imza_sirkuleri"):
        for f in getattr(ctx.documents.get(name), "findings", None) or []:
            if f.rule == "DOC_UNREADABLE" or f.certainty is not Certainty.READ:
                out.append(f.message)
    return out


def _text_of(path: Path) -> str:
    result, _ = read_text(path, path.name)
    return " ".join(p.text for p in result.pages)


def _with_refs(f: Finding, refs: str) -> Finding:
    if refs and refs not in f.refs:
        f.refs.append(refs)
    return f


CHECKS = [read_documents, check_required_documents, check_documents_read, check_document_dates,
          check_applicant_identity, check_kub, check_proformas, check_taahhutname]
