"""The pages: applications, one application, decisions, uploads, batches, downloads.

Applicant documents and results leave only as downloads (attachment + nosniff) or as
page images (preview), and only after login (security.py); TCKNs are masked wherever a
list or panel shows them (KVKK). Every view of an application's personal data, every
decision, letter issued, download and export is written to the audit trail; what a user
may do follows their role (users.PERMISSIONS).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from evrak.assessment import Assessment, signature_rows
from evrak.errors import UserError
from evrak.profiles import load_profile, load_programs
from verifiers.package import open_package
from worker import cycle, documents_out, settings
from worker.receipts import build_receipt, manifest_of
from worker.store import DONE, DUPLICATE, FAILED, FINAL_STATES, JobInfo, get_store
from worker.web import batches, decisions, letters, listing, reports, uploads
from worker.web.fmt import state_label, verdict_label
from worker.web.security import require
from worker.web.users import load_users

bp = Blueprint("views", __name__)


def _cfg() -> Any:
    return current_app.config["EVRAK"]


def _web_dir() -> Path:
    return _cfg().web_dir


def _user() -> str:
    return session.get("user", "")


def _audit(action: str, job: JobInfo | None = None, detail: str = "", application_no: str | None = None) -> None:
    get_store().audit(_user(), action, application_no=application_no or (job.application_no if job else None),
                      job_id=job.id if job else None, detail=detail, address=g.get("address"))


def _download(path: Path, name: str | None = None, mimetype: str | None = None) -> Any:
    """A file as a download only: attachment, nosniff, never rendered by the browser."""
    resp = send_file(path, as_attachment=True, download_name=name or path.name,
                     mimetype=mimetype or "application/octet-stream", max_age=0)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


def _job(job_id: str, kind: str = "prescreen") -> JobInfo:
    job = get_store().get(job_id)
    if job is None or job.kind != kind:
        abort(404)
    return job


def _effective(job: JobInfo) -> dict[str, Any]:
    try:
        report = reports.load_report(job)
    except reports.NotAvailable:
        abort(404)
    return decisions.apply(report, decisions.history(job.id))


def _assessment(job: JobInfo) -> Assessment:
    """The job's assessment with every decision kept for it (evrak.assessment decides what counts)."""
    try:
        report = reports.load_report(job)
    except reports.NotAvailable:
        abort(404)
    return decisions.assessment_of(report, decisions.history(job.id))


@bp.route("/saglik")
def health() -> Any:
    return {"durum": "çalışıyor"}


# --- applications -------------------------------------------------------------------------

def _list_rows() -> tuple[list[listing.Row], dict[str, Any]]:
    """The rows the list's query string asks for (search, filters, sort), all pages."""
    programs = load_programs()
    args = {"q": (request.args.get("q") or "").strip()[:200], "program": request.args.get("program") or None,
            "verdict": request.args.get("verdict") or None, "status": request.args.get("durum") or None,
            "assigned": request.args.get("sorumlu") or None,
            "sort": request.args.get("sirala") if request.args.get("sirala") in listing.SORTS else "no",
            "desc": request.args.get("yon") == "azalan", "programs": programs}
    rows = listing.build_rows(programs, args["program"])
    args["totals"] = listing.totals(rows)
    rows = listing.filtered(rows, query=args["q"], verdict=args["verdict"], status=args["status"],
                            assigned=args["assigned"])
    return listing.sort(rows, args["sort"], args["desc"]), args


@bp.route("/")
def applications() -> Any:
    rows, args = _list_rows()
    try:
        page = int(request.args.get("sayfa", "1"))
    except ValueError:
        page = 1
    shown, pages = listing.page_of(rows, page)
    page = min(max(1, page), pages)
    query = {k: v for k, v in request.args.items() if k != "sayfa" and v}
    pending = [j for j in get_store().list(kind="prescreen", limit=200) if j.state != DONE][:30]
    return render_template("applications.html", rows=shown, total_rows=len(rows), page=page, pages=pages,
                           query=query, totals=args["totals"], programs=args["programs"],
                           program=args["program"], verdict=args["verdict"], status=args["status"],
                           q=args["q"], sort=args["sort"], desc=args["desc"], sorts=listing.SORTS,
                           statuses=cycle.STATUS_LABELS, pending=pending)


@bp.route("/basvurular.xlsx")
def export_list() -> Any:
    rows, args = _list_rows()
    _audit("export", detail=f"{len(rows)} başvuru, arama {args['q']!r}")
    resp = send_file(io.BytesIO(listing.export_xlsx(rows)), as_attachment=True, download_name="basvurular.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", max_age=0)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/yazilar.zip")
def letters_zip() -> Any:
    rows, _ = _list_rows()
    data, n = listing.letters_zip(rows)
    if not n:
        flash("Listelenen başvurular için yazı yok.", "error")
        return redirect(url_for("views.applications", **{k: v for k, v in request.args.items() if v}))
    _audit("download", detail=f"toplu yazı indirme: {n} dosya")
    resp = send_file(io.BytesIO(data), as_attachment=True, download_name="yazilar.zip", mimetype="application/zip",
                     max_age=0)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/denetim")
def audit_trail() -> Any:
    require("audit")
    entries = get_store().audit_trail(application_no=request.args.get("basvuru") or None,
                                      username=request.args.get("kullanici") or None)
    return render_template("audit.html", entries=entries)


@bp.route("/basvuru/<job_id>")
def application(job_id: str) -> Any:
    job = _job(job_id)
    report = _effective(job)
    program = load_profile(report["program"])
    titles = {c.id: c.title for c in program.checklists}
    checklists = []
    for cid, title in titles.items():
        answers = [a for a in report.get("checklist", []) if a.get("checklist") == cid]
        if answers:
            checklists.append({"title": title, "answers": answers})
    pdf_docs = set()
    try:
        view = reports.package(_web_dir(), job)
        pdf_docs = {f for f in view.files if f.lower().endswith(".pdf")}
        package_files = view.files
    except reports.NotAvailable as exc:
        flash(f"Paket okunamadı: {exc}", "error")
        package_files = []
    for f in report.get("findings", []):
        for ev in f.get("evidence", []):
            if not ev.get("page") and ev.get("file") in pdf_docs:
                ev["located_page"] = reports.locate_page(_web_dir(), job, ev["file"], ev.get("text", ""))
    signatures = signature_rows(report.get("signatures", []))  # TCKNs masked
    letter_kind = letters.letter_kind(report)
    case = cycle.case_of(get_store(), job.application_no or "")
    _audit("view", job, "başvuru sayfası")
    verdicts = {s.job.id: _decided_verdict(s.job) for s in (case.submissions if case else [])
                if s.job.state == DONE}
    undecided = sum(1 for f in report.get("findings", [])
                    if f.get("machine_severity") == "review" and f.get("decision") is None)
    return render_template(
        "application.html", job=job, r=report, checklists=checklists, pdf_docs=pdf_docs,
        package_files=package_files, signatures=signatures, letter_kind=letter_kind,
        report_pdf=reports.output_named(job, "report.pdf") is not None,
        history=decisions.history(job.id), reasons=program.rejection_reasons,
        documents=program.documents, DECISION_REASONS=decisions.CHOOSABLE_REASONS, case=case,
        program_notes=program.notes,
        undecided=undecided, amounts=_amounts(job, report),
        staff=sorted(load_users(_cfg().users_file)), today=date.today().isoformat(),
        latest=case is not None and case.latest is not None and case.latest.job.id == job.id,
        verdicts=verdicts,
    )


def _decided_verdict(job: JobInfo) -> str | None:
    """A submission's verdict with staff decisions applied (the machine's when none)."""
    if not decisions.jobs_with_decisions([job.id]):
        return job.verdict
    try:
        return decisions.apply(reports.load_report(job), decisions.current(job.id)).get("verdict")
    except (reports.NotAvailable, OSError, ValueError):
        return job.verdict


def _amounts(job: JobInfo, report: dict[str, Any]) -> dict[str, Any] | None:
    """Credit, co-financing and budget lines with their proformas (and what was read from each:
    supplier, totals with and without KDV), from the screened manifest and the report."""
    try:
        view = reports.package(_web_dir(), job)
        with open_package(view.root) as pkg:
            m = pkg.manifest
    except (reports.NotAvailable, UserError):
        return None
    read = {d.get("file"): d.get("facts") or {} for d in report.get("documents", [])
            if isinstance(d, dict) and d.get("kind") == "proforma"}
    lines = [{"code": b.code, "heading": b.heading, "description": b.description, "amount": b.amount,
              "proformas": list(b.proformas), "technical_spec": b.technical_spec,
              "present": [p for p in b.proformas if (view.root / p).is_file()],
              "read": {p: read[p] for p in b.proformas if p in read}} for b in m.budget]
    return {"credit": m.financing.credit, "co_financing": m.financing.co_financing, "total": m.financing.total,
            "budget_total": m.budget_total, "difference": m.financing.total - m.budget_total, "lines": lines}


@bp.route("/basvuru/<job_id>/karar", methods=["POST"])
def decide(job_id: str) -> Any:
    """A decision on any finding, a reject included: a reason from the list and free text (D34)."""
    require("decide")
    job = _job(job_id)
    assessment = _assessment(job)
    key = request.form.get("finding", "")
    if assessment.finding(key) is None:
        abort(404)
    back = redirect(url_for("views.application", job_id=job.id) + f"#bulgu-{key}")
    action = request.form.get("action", "")
    outcome = request.form.get("outcome") or None
    try:
        made = decisions.record(
            job.id, job.application_no, assessment, key, action=action,
            reason=request.form.get("reason", ""), comment=request.form.get("comment") or "", username=_user(),
            outcome=outcome, reason_code=request.form.get("reason_code") or None,
            document_kind=request.form.get("document_kind") or None)
    except decisions.DecisionError as exc:
        flash(str(exc), "error")
        return back
    _audit("decision", job, f"{made.rule}: {action}{' → ' + outcome if outcome else ''}")
    after = _effective(job)
    try:
        letters.letter(_web_dir(), job, after)  # the letter follows the decision now, not at download
    except (UserError, reports.NotAvailable) as exc:
        flash(f"Karar kaydedildi, ancak yazı üretilemedi: {exc}", "error")
    if made.needs_second:
        flash("Karar kaydedildi; red ya da eksik bulguyu kaldırdığı için ikinci bir kişinin onayını bekliyor "
              f"(dört göz). Sonuç şimdilik: {after['verdict_label']}.", "info")
    else:
        flash(f"Karar kaydedildi. Sonuç: {after['verdict_label']}.", "info")
    return back


@bp.route("/basvuru/<job_id>/karar/<int:decision_id>/onay", methods=["POST"])
def approve_decision(job_id: str, decision_id: int) -> Any:
    """Four eyes: a second person approves a decision that turns a reject or deficiency into a pass."""
    require("decide")
    job = _job(job_id)
    try:
        made = decisions.approve(job.id, decision_id, _user())
    except decisions.DecisionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("views.application", job_id=job.id))
    _audit("decision", job, f"{made.rule}: karar {made.id} onaylandı")
    after = _effective(job)
    try:
        letters.letter(_web_dir(), job, after)
    except (UserError, reports.NotAvailable) as exc:
        flash(f"Onay kaydedildi, ancak yazı üretilemedi: {exc}", "error")
    flash(f"Karar onaylandı. Sonuç: {after['verdict_label']}.", "info")
    return redirect(url_for("views.application", job_id=job.id) + f"#bulgu-{made.finding_key}")


@bp.route("/basvuru/<job_id>/belge")
def document(job_id: str) -> Any:
    job = _job(job_id)
    try:
        path = reports.document(_web_dir(), job, request.args.get("dosya", ""))
    except reports.NotAvailable:
        abort(404)
    _audit("download", job, f"belge {path.name}")
    return _download(path)


@bp.route("/basvuru/<job_id>/onizleme")
def preview(job_id: str) -> Any:
    """A document's pages as images in the page: read without downloading (PDF only)."""
    job = _job(job_id)
    name = request.args.get("dosya", "")
    try:
        pages = reports.page_count(_web_dir(), job, name) if name.lower().endswith(".pdf") else 0
    except reports.NotAvailable:
        abort(404)
    if not pages:
        try:
            reports.document(_web_dir(), job, name)
        except reports.NotAvailable:
            abort(404)
    _audit("view", job, f"belge önizleme {name}")
    return render_template("preview.html", job=job, name=name, pages=range(1, min(pages, 60) + 1),
                           more=max(0, pages - 60))


@bp.route("/basvuru/<job_id>/sayfa.png")
def page_image(job_id: str) -> Any:
    job = _job(job_id)
    try:
        page = int(request.args.get("sayfa", "1"))
        path = reports.page_image(_web_dir(), job, request.args.get("dosya", ""), page,
                                  request.args.get("vurgu", "")[:200],
                                  reports.parse_box(request.args.get("kutu", "")[:100]))
    except (ValueError, reports.NotAvailable):
        abort(404)
    resp = send_file(path, mimetype="image/png", max_age=0)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/basvuru/<job_id>/rapor.pdf")
def report_pdf(job_id: str) -> Any:
    """The staff report: the pipeline's, or, once staff decided, rendered again with the decisions."""
    job = _job(job_id)
    assessment = _assessment(job)
    path = reports.output_named(job, "report.pdf")
    if path is None:
        abort(404)
    if assessment.decisions:
        try:
            root = reports.package(_web_dir(), job).root
        except reports.NotAvailable:
            root = None  # the report without the page images
        path = documents_out.decided_report(assessment, _web_dir() / "reports" / job.id, package_root=root)
    _audit("download", job, "rapor PDF")
    return _download(path, f"on-inceleme-raporu_{job.application_no or job.id}.pdf".replace("/", "-"),
                     "application/pdf")


@bp.route("/basvuru/<job_id>/rapor.json")
def report_json(job_id: str) -> Any:
    job = _job(job_id)
    path = reports.report_path(job)
    if path is None or not path.is_file():
        abort(404)
    return _download(path, "report.json", "application/json")


@bp.route("/basvuru/<job_id>/alindi.txt")
def receipt(job_id: str) -> Any:
    """The Alındı Belgesi of this submission, from its row (worker/receipts.py), to print and sign."""
    job = _job(job_id)
    text = build_receipt(job, manifest_of(job)).text()
    _audit("download", job, "alındı belgesi")
    resp = send_file(io.BytesIO(text.encode("utf-8")), as_attachment=True, max_age=0,
                     download_name=f"alindi-belgesi_{job.application_no or job.id}.txt".replace("/", "-"),
                     mimetype="text/plain; charset=utf-8")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/basvuru/<job_id>/yazi")
def letter(job_id: str) -> Any:
    job = _job(job_id)
    report = _effective(job)
    try:
        path = letters.letter(_web_dir(), job, report)
    except (UserError, reports.NotAvailable) as exc:
        flash(f"Yazı üretilemedi: {exc}", "error")
        return redirect(url_for("views.application", job_id=job.id))
    if path is None:
        flash("Bu sonuç için gönderilecek bir yazı yok.", "error")
        return redirect(url_for("views.application", job_id=job.id))
    _audit("download", job, f"yazı taslağı {path.name}")
    return _download(path, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- the cycle: letters issued, notification, conclusion, assignment ------------------------

def _back(job: JobInfo, anchor: str = "surec") -> Any:
    return redirect(url_for("views.application", job_id=job.id) + f"#{anchor}")


@bp.route("/basvuru/<job_id>/yazi-gonder", methods=["POST"])
def issue_letter(job_id: str) -> Any:
    """Issue the letter the decided verdict calls for: kept as sent (DOCX + PDF), opens the window."""
    require("issue")
    job = _job(job_id)
    report = _effective(job)
    kind = letters.letter_kind(report)
    if kind is None:
        flash("Bu sonuç için gönderilecek bir yazı yok.", "error")
        return _back(job)
    notified = _date_field("teblig")
    if notified is False:
        return _back(job)
    try:
        files = letters.issue(_web_dir(), job, report, pdf=settings.pdf_enabled())
    except (UserError, reports.NotAvailable) as exc:
        flash(f"Yazı üretilemedi: {exc}", "error")
        return _back(job)
    if not files:
        flash("Bu sonuç için gönderilecek bir yazı yok.", "error")
        return _back(job)
    get_store().add_event(job.application_no or "", cycle.LETTER_ISSUED, username=_user(), job_id=job.id,
                          data={"kind": kind, "files": [str(p) for p in files], "verdict": report.get("verdict"),
                                "digest": (report.get("letter") or {}).get("digest"),
                                "notified_on": notified.isoformat() if notified else None})
    _audit("letter", job, f"{kind} gönderildi")
    flash("Yazı gönderildi olarak kaydedildi.", "info")
    return _back(job)


def _date_field(name: str) -> date | bool | None:
    """An optional yyyy-mm-dd form field; False (and a message) when it is not a date."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        flash(f"Tarih yyyy-aa-gg biçiminde olmalı: {raw!r}", "error")
        return False


@bp.route("/basvuru/<job_id>/teblig", methods=["POST"])
def notified(job_id: str) -> Any:
    require("issue")
    job = _job(job_id)
    try:
        letter_id = int(request.form.get("letter", ""))
    except ValueError:
        abort(400)
    case = cycle.case_of(get_store(), job.application_no or "")
    if case is None or not any(lt.event.id == letter_id for lt in case.letters):
        abort(404)
    day = _date_field("teblig")
    if not day:
        if day is None:
            flash("Tebliğ tarihini girin.", "error")
        return _back(job)
    get_store().add_event(job.application_no or "", cycle.NOTIFIED, username=_user(), job_id=job.id,
                          data={"letter": letter_id, "notified_on": day.isoformat()})
    _audit("letter", job, f"tebliğ tarihi {day.isoformat()}")
    flash("Tebliğ tarihi kaydedildi; tamamlama süresi başladı.", "info")
    return _back(job)


@bp.route("/basvuru/<job_id>/sonuclandir", methods=["POST"])
def conclude(job_id: str) -> Any:
    require("issue")
    job = _job(job_id)
    report = _effective(job)
    if report.get("verdict") == "review":
        flash("Önce incelemeye kalan bulgular için karar verin.", "error")
        return _back(job)
    get_store().add_event(job.application_no or "", cycle.CONCLUDED_EVENT, username=_user(), job_id=job.id,
                          data={"verdict": report.get("verdict")})
    _audit("decision", job, f"ön inceleme sonuçlandırıldı: {report.get('verdict')}")
    flash("Ön inceleme sonuçlandırıldı.", "info")
    return _back(job)


@bp.route("/basvuru/<job_id>/ata", methods=["POST"])
def assign(job_id: str) -> Any:
    require("assign")
    job = _job(job_id)
    to = request.form.get("kime", "")
    accounts = load_users(_cfg().users_file)
    if to and to not in accounts:
        abort(400, description="Böyle bir hesap yok.")
    get_store().add_event(job.application_no or "", cycle.ASSIGNED, username=_user(), job_id=job.id, data={"to": to})
    _audit("assign", job, f"sorumlu: {to or '—'}")
    flash(f"Sorumlu: {to or 'atanmadı'}.", "info")
    return _back(job)


@bp.route("/basvuru/<job_id>/yazilar/<int:event_id>/<int:index>")
def issued_letter(job_id: str, event_id: int, index: int) -> Any:
    job = _job(job_id)
    case = cycle.case_of(get_store(), job.application_no or "")
    letter = next((lt for lt in (case.letters if case else []) if lt.event.id == event_id), None)
    if letter is None or not 0 <= index < len(letter.files) or not Path(letter.files[index]).is_file():
        abort(404)
    path = Path(letter.files[index])
    _audit("download", job, f"gönderilen yazı {path.name}")
    mimetype = "application/pdf" if path.suffix == ".pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(path, mimetype=mimetype)


# --- uploads ------------------------------------------------------------------------------

@bp.route("/yukle", methods=["GET", "POST"])
def upload() -> Any:
    require("upload")
    completes = (request.values.get("tamamlar") or "").strip() or None
    base = get_store().get(completes) if completes else None
    if completes and (base is None or base.state != DONE or base.kind != "prescreen"):
        abort(404)
    if request.method == "GET":
        return render_template("upload.html", base=base)
    file = request.files.get("paket")
    if file is None or not file.filename:
        flash("Bir .zip paket seçin.", "error")
        return render_template("upload.html", base=base), 400
    try:
        path = uploads.save_upload(file.stream, file.filename, _web_dir(), max_bytes=_cfg().max_upload_bytes)
        result = uploads.submit(path, username=_user(), completes=base.id if base else None)
    except UserError as exc:
        flash(f"Paket alınamadı: {exc}", "error")
        return render_template("upload.html", base=base), 400
    _audit("upload", result.job, f"paket {file.filename}" + (f" (iş {base.id} tamamlaması)" if base else ""),
           application_no=base.application_no if base else None)
    if result.duplicate_of is not None:
        flash(f"Yinelenen paket: aynı içerik daha önce iş {result.duplicate_of.id} olarak alınmıştı; "
              "yeniden işlenmedi.", "error")
    elif not result.queued:
        flash("Paket kaydedildi, ancak kuyruğa iletilemedi; birazdan yeniden denenecek.", "error")
    return redirect(url_for("views.job", job_id=result.job.id))


def _job_status(job: JobInfo) -> dict[str, Any]:
    data: dict[str, Any] = {"id": job.id, "state": job.state, "state_label": state_label(job.state),
                            "final": job.state in FINAL_STATES, "input_name": job.input_name}
    if job.state == DONE:
        data.update(url=url_for("views.application", job_id=job.id), application_no=job.application_no,
                    verdict=job.verdict, verdict_label=verdict_label(job.verdict))
    if job.state in (FAILED, DUPLICATE):
        data["error"] = job.error or ""
    if job.duplicate_of:
        first = get_store().get(job.duplicate_of)
        if first is not None and first.state == DONE:
            data["duplicate_url"] = url_for("views.application", job_id=first.id)
    return data


@bp.route("/is/<job_id>")
def job(job_id: str) -> Any:
    j = _job(job_id)
    return render_template("job.html", job=j, status=_job_status(j))


@bp.route("/api/is/<job_id>")
def job_status(job_id: str) -> Any:
    return jsonify(_job_status(_job(job_id)))


# --- batches ------------------------------------------------------------------------------

@bp.route("/toplu", methods=["GET", "POST"])
def batch_list() -> Any:
    programs = load_programs()
    if request.method == "POST":
        require("batch")
        file = request.files.get("export")
        try:
            if file is None or not file.filename:
                raise UserError("KAYS dışa aktarım dosyasını seçin (.xlsx ya da .csv)")
            program = request.form.get("program", "")
            if program not in programs:
                raise UserError("programı seçin")
            batch_id = batches.start(
                _web_dir(), file.stream, file.filename, kind=request.form.get("kind", ""), program=program,
                username=_user(), result=request.form.get("result") or None,
                pdf=request.form.get("pdf") == "1", chunk_rows=_cfg().batch_chunk_rows,
                max_bytes=_cfg().max_upload_bytes)
        except UserError as exc:
            flash(f"Toplu üretim başlatılamadı: {exc}", "error")
            return render_template("batches.html", programs=programs, recent=_recent_batches(),
                                   kinds=batches.BATCH_KINDS, results=batches.BATCH_RESULTS), 400
        return redirect(url_for("views.batch", batch_id=batch_id))
    return render_template("batches.html", programs=programs, recent=_recent_batches(),
                           kinds=batches.BATCH_KINDS, results=batches.BATCH_RESULTS)


def _recent_batches() -> list[tuple[Any, Any]]:
    return [(b, batches.progress(b)) for b in batches.recent()]


def _batch(batch_id: str) -> Any:
    try:
        return batches.get(batch_id)
    except KeyError:
        abort(404)


@bp.route("/toplu/<batch_id>")
def batch(batch_id: str) -> Any:
    b = _batch(batch_id)
    return render_template("batch.html", b=b, p=batches.progress(b))


@bp.route("/api/toplu/<batch_id>")
def batch_status(batch_id: str) -> Any:
    b = _batch(batch_id)
    p = batches.progress(b)
    data = p.to_dict()
    if p.state != "running":
        data["zip_url"] = url_for("views.batch_zip", batch_id=b.id)
        data["errors_url"] = url_for("views.batch_errors", batch_id=b.id)
    return jsonify(data)


@bp.route("/toplu/<batch_id>/belgeler.zip")
def batch_zip(batch_id: str) -> Any:
    b = _batch(batch_id)
    if batches.progress(b).state == "running":
        abort(409, description="Toplu üretim sürüyor; bitince indirin.")
    return _download(batches.build_zip(b), batches.zip_name(b), "application/zip")


@bp.route("/toplu/<batch_id>/errors.xlsx")
def batch_errors_xlsx(batch_id: str) -> Any:
    """The error list for Excel users: XLSX, Turkish intact, no cell that starts a formula."""
    b = _batch(batch_id)
    if batches.progress(b).state == "running":
        abort(409, description="Toplu üretim sürüyor; bitince indirin.")
    target = batches.merged_errors_xlsx(b, _web_dir() / "batches" / b.id / "errors.xlsx")
    return _download(target, "errors.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/toplu/<batch_id>/errors.csv")
def batch_errors(batch_id: str) -> Any:
    b = _batch(batch_id)
    if batches.progress(b).state == "running":
        abort(409, description="Toplu üretim sürüyor; bitince indirin.")
    resp = send_file(io.BytesIO(batches.merged_errors(b)), as_attachment=True, download_name="errors.csv",
                     mimetype="text/csv")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
