"""The ranking page (issue 16): upload the committee's score sheet, see the asil/yedek lists,
download the lists and the result letters. Each run is kept in its own folder (D34)."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, send_file

from evrak.dates import now
from evrak.errors import UserError
from evrak.profiles import load_profile, load_programs
from evrak.ranking import Outcome
from worker.ranking import run_ranking, write_template
from worker.web.security import require

bp = Blueprint("ranking", __name__)


def _root() -> Path:
    root = Path(current_app.config["EVRAK"].web_dir) / "siralamalar"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _run_dir(run_id: str) -> Path:
    if not run_id.isalnum():
        abort(404)
    path = _root() / run_id
    if not path.is_dir():
        abort(404)
    return path


@bp.route("/siralama", methods=["GET", "POST"])
def ranking() -> Any:
    require("view")
    programs = [p for p in load_programs().values() if p.scoring.sections]
    ctx: dict[str, Any] = {"programs": programs, "error": None, "ranking": None, "run_id": None}
    if request.method == "POST":
        require("issue")  # result letters are issued documents: an approver runs the ranking
        upload = request.files.get("puanlar")
        program_id = request.form.get("program", "")
        if upload is None or not upload.filename:
            ctx["error"] = "Puan tablosu (.xlsx) seçilmedi."
        elif program_id not in {p.id for p in programs}:
            ctx["error"] = "Program seçilmedi."
        else:
            run_id = now().strftime("%Y%m%d%H%M%S") + secrets.token_hex(3)
            folder = _root() / run_id
            folder.mkdir()
            sheet = folder / "puanlar.xlsx"
            upload.save(sheet)
            try:
                result, _ = run_ranking(load_profile(program_id), sheet, folder, doc_date=now().date())
            except UserError as exc:
                ctx["error"] = str(exc)
            else:
                ctx.update(ranking=result, run_id=run_id, outcomes=Outcome)
    return render_template("ranking.html", **ctx)


@bp.route("/siralama/sablon/<program_id>.xlsx")
def template(program_id: str) -> Any:
    require("view")
    if program_id not in load_programs():
        abort(404)
    path = _root() / f"sablon-{program_id}.xlsx"
    write_template(load_profile(program_id), path)
    return send_file(path, as_attachment=True, download_name=f"puan-tablosu-{program_id}.xlsx")


@bp.route("/siralama/<run_id>/siralama.xlsx")
def lists(run_id: str) -> Any:
    require("view")
    return send_file(_run_dir(run_id) / "sıralama.xlsx", as_attachment=True, download_name="siralama.xlsx")


@bp.route("/siralama/<run_id>/yazilar.zip")
def letters(run_id: str) -> Any:
    require("view")
    folder = _run_dir(run_id) / "yazilar"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    buf.seek(0)
    return send_file(buf, as_attachment=True, download_name=f"sonuc-yazilari-{run_id}.zip",
                     mimetype="application/zip")
