"""A staff decision, on any finding, re-answers the checklist and changes the verdict and the letter.

The decisions are the domain's (evrak.assessment.StaffDecision); the report is a real
report.json from the real pipeline. What the web stores is tested in test_web_app.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evrak.assessment import Action, StaffDecision
from evrak.findings import Severity
from worker.pipeline import process_package
from worker.web.decisions import apply

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "samples" / "packages" / "tr63-2023-makine"


def _report(name: str, tmp_path: Path) -> dict:
    result = process_package(PACKAGES / name, tmp_path, trust_dir=ROOT / "samples" / "trust", pdf=False)
    return json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))


def _decision(key: str, rule: str, action: Action, n: int = 1, **kw) -> StaffDecision:
    return StaffDecision(n, key, rule, action, kw.pop("reason", "sorun_teyit"), "yorum", kw.pop("username", "ayse"),
                         datetime(2023, 3, 1, 9, n, tzinfo=UTC), **kw)


def _answer(rep: dict, item: dict) -> str:
    return next(a["answer"] for a in rep["checklist"]
                if (a["checklist"], a["item"]) == (item["checklist"], item["item"]))


def test_overrule_and_uphold_reanswer_the_taahhutname_item(tmp_path):
    report = _report("zaman-damgasiz", tmp_path)
    finding = next(f for f in report["findings"] if f["rule"] == "SIGNATURE_TIME_UNPROVEN")
    key = finding["key"]
    item = next(a for a in report["checklist"] if "SIGNATURE_TIME_UNPROVEN" in a.get("rules", []))
    assert item["answer"] == "Hayır" and item.get("review")

    overruled = apply(report, [_decision(key, finding["rule"], Action.OVERRULE)])
    assert overruled["verdict"] == "pass" and _answer(overruled, item) == "Evet"
    assert overruled["letter"]["kind"] == "none"
    upheld = apply(report, [_decision(key, finding["rule"], Action.UPHOLD, outcome=Severity.REJECT,
                                      reason_code="R01")])
    assert upheld["verdict"] == "reject" and _answer(upheld, item) == "Hayır"
    assert upheld["letter"]["kind"] == "rejection" and [r["code"] for r in upheld["reasons"]] == ["R01"]
    assert _answer(apply(report, []), item) == "Hayır"  # no decision: the machine's answers


def test_a_reject_can_be_overruled_and_the_latest_decision_counts(tmp_path):
    """Issue 14: staff may decide a reject too; the history keeps both decisions (D34)."""
    report = _report("yetkisiz-imza", tmp_path)
    assert report["verdict"] == "reject" and report["letter"]["kind"] == "rejection"
    rejecting = [f for f in report["findings"] if f["severity"] == "reject"]
    decided = [_decision(f["key"], f["rule"], Action.OVERRULE, n=i + 1) for i, f in enumerate(rejecting)]
    after = apply(report, decided)
    assert after["verdict"] != "reject" and after["reasons"] == [] and after["letter"]["kind"] != "rejection"
    assert after["machine_verdict"] == "reject"
    # a later decision upholds the first one again: it supersedes, both stay
    again = _decision(rejecting[0]["key"], rejecting[0]["rule"], Action.UPHOLD, n=9, outcome=Severity.REJECT,
                      reason_code="R02")
    final = apply(report, [*decided, again])
    assert final["verdict"] == "reject" and len(final["decisions"]) == len(decided) + 1


def test_four_eyes_decision_counts_only_once_approved(tmp_path):
    report = _report("yetkisiz-imza", tmp_path)
    rejecting = [f for f in report["findings"] if f["severity"] == "reject"]
    pending = [_decision(f["key"], f["rule"], Action.OVERRULE, n=i + 1, needs_second=True)
               for i, f in enumerate(rejecting)]
    waiting = apply(report, pending)
    assert waiting["verdict"] == "reject"
    assert all(f["pending_decision"] for f in waiting["findings"] if f["severity"] == "reject")
    approved = [StaffDecision(**{**d.__dict__, "approved_by": "mehmet", "approved_at": d.created_at}) for d in pending]
    assert apply(report, approved)["verdict"] != "reject"


# --- the page: a decision on a reject, four eyes -----------------------------------------------

def _login(client, username: str, password: str) -> None:
    from tests.web.conftest import csrf_of

    token = csrf_of(client.get("/giris").text)
    resp = client.post("/giris", data={"username": username, "password": password, "csrf_token": token})
    assert resp.status_code == 302, resp.text


@pytest.mark.slow
def test_page_decides_a_reject_and_four_eyes_holds_it_until_a_second_person_approves(
        evrak_home: Path, tmp_path: Path, monkeypatch) -> None:
    import re

    from tests.web.conftest import PASSWORD, SAMPLES, USER, csrf_of, zip_folder
    from worker.runner import run
    from worker.web.app import create_app
    from worker.web.users import add_user

    monkeypatch.setenv("EVRAK_FOUR_EYES", "1")
    add_user(evrak_home / "users.toml", "mehmet", "Baska-Parola-2023", role="onaylayan")
    first, second = create_app().test_client(), create_app().test_client()
    _login(first, USER, PASSWORD)
    _login(second, "mehmet", "Baska-Parola-2023")
    package = zip_folder(SAMPLES / "packages" / "tr63-2023-makine" / "yetkisiz-imza", tmp_path / "yetkisiz.zip")
    token = csrf_of(first.get("/yukle").text)
    resp = first.post("/yukle", content_type="multipart/form-data",
                      data={"csrf_token": token, "paket": (package.open("rb"), package.name)})
    job_id = resp.headers["Location"].rsplit("/", 1)[1]
    assert run(job_id, worker_id="test").state == "done"

    page = first.get(f"/basvuru/{job_id}").text
    assert 'id="verdict">Red<' in page
    issued = second.get(f"/basvuru/{job_id}").text
    resp = second.post(f"/basvuru/{job_id}/yazi-gonder", data={"csrf_token": csrf_of(issued)},
                       follow_redirects=True)
    assert "Yazı gönderildi" in resp.text and 'id="superseded-' not in resp.text
    article = re.search(r'<article class="finding sev-border-reject[^"]*" id="bulgu-([0-9a-f-]+)"', page)
    assert article, "a reject finding is on the page"
    key = article.group(1)
    assert f'name="finding" value="{key}"' in page  # a decision form on the reject finding too
    form = {"csrf_token": csrf_of(page), "finding": key, "action": "overrule", "reason": "okuma_hatasi",
            "comment": "İmzalayan yetkili; sirkülerin ikinci sayfası"}
    resp = first.post(f"/basvuru/{job_id}/karar", data={**form, "reason": "uydurma"}, follow_redirects=True)
    assert "listeden bir neden" in resp.text and 'id="verdict">Red<' in resp.text
    resp = first.post(f"/basvuru/{job_id}/karar", data=form, follow_redirects=True)
    assert "ikinci bir kişinin onayını bekliyor" in resp.text
    assert 'id="verdict">Red<' in resp.text  # not in force yet
    pending = re.search(r'id="pending-(\d+)"', resp.text).group(1)
    # the person who decided cannot approve their own decision
    resp = first.post(f"/basvuru/{job_id}/karar/{pending}/onay", data={"csrf_token": csrf_of(resp.text)},
                      follow_redirects=True)
    assert "kendi kararını onaylayamaz" in resp.text and 'id="verdict">Red<' in resp.text
    page2 = second.get(f"/basvuru/{job_id}").text
    resp = second.post(f"/basvuru/{job_id}/karar/{pending}/onay", data={"csrf_token": csrf_of(page2)},
                       follow_redirects=True)
    assert "Karar onaylandı" in resp.text and 'id="verdict">Red<' not in resp.text
    history = resp.text[resp.text.index('id="history"'):]
    assert "onay: mehmet" in history and "Makine belgeyi yanlış okudu" in history
    assert 'id="superseded-' in resp.text  # the rejection letter already issued no longer holds (D34)
    # the staff report PDF follows the decision (rendered again, masked)
    pdf = second.get(f"/basvuru/{job_id}/rapor.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    import subprocess

    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "İmzalayan yetkili; sirkülerin ikinci sayfası" in text and "Personel kararları" in text


# --- decisions of the first version: carried over, never lost ----------------------------------

def test_first_version_decisions_are_carried_over_once_and_still_apply(tmp_path, monkeypatch):
    """A database from before issue 14 kept decisions in evrak_web_decisions, keyed by position.
    On first use they are copied into the decision table with the key their finding has now
    (so an overruled reject stays overruled), once; the old table is left as it was."""
    import hashlib

    from sqlalchemy import text

    from worker.store import QUEUED, get_store
    from worker.web import db, decisions

    monkeypatch.setenv("EVRAK_DB_URL", f"sqlite:///{tmp_path / 'jobs.db'}")
    report = _report("yetkisiz-imza", tmp_path)
    report_path = tmp_path / "out" / "report.json"
    report_path.parent.mkdir()
    # report.json as the first version wrote it: findings without keys
    report_path.write_text(json.dumps({**report, "findings": [{k: v for k, v in f.items() if k != "key"}
                                                               for f in report["findings"]]}), encoding="utf-8")
    store = get_store()
    job = store.create(kind="package", input_name="p.zip", input_path="p.zip", input_sha256="0" * 64,
                       base_dir=str(tmp_path), state=QUEUED)
    claim = store.claim(job.id, "w1")
    assert store.complete(job.id, claim.token, input_path="p.zip", outputs=[str(report_path)], verdict="reject")
    i, rejecting = next((i, f) for i, f in enumerate(report["findings"]) if f["severity"] == "reject")
    old_key = hashlib.sha256(f"{i}\0{rejecting['rule']}\0{rejecting['message']}\0{rejecting.get('subject') or ''}"
                             .encode()).hexdigest()[:16]
    with store.engine.begin() as c:
        c.execute(text("CREATE TABLE evrak_web_decisions (id INTEGER PRIMARY KEY, job_id VARCHAR(32), "
                       "application_no VARCHAR(255), finding_key VARCHAR(32), rule VARCHAR(64), action VARCHAR(16), "
                       "outcome VARCHAR(16), reason_code VARCHAR(32), document_kind VARCHAR(64), comment TEXT, "
                       "username VARCHAR(64), created_at DATETIME)"))
        c.execute(text("INSERT INTO evrak_web_decisions VALUES (1, :j, 'A-1', :k, :r, 'overrule', NULL, NULL, NULL, "
                       "'imza yetkisi vekaletnameyle görüldü', 'ayse', '2024-05-02 07:30:00.000000')"),
                  {"j": job.id, "k": old_key, "r": rejecting["rule"]})
        c.execute(text("INSERT INTO evrak_web_decisions VALUES (2, :j, 'A-1', 'ffffffffffffffff', 'X', 'overrule', "
                       "NULL, NULL, NULL, 'eşleşmeyen', 'mehmet', '2024-05-02 08:00:00.000000')"), {"j": job.id})
    db._READY.clear()
    (moved, unmatched) = decisions.history(job.id)
    assert moved.finding_key == rejecting["key"] != old_key and moved.reason == decisions.LEGACY_REASON
    assert moved.username == "ayse" and moved.created_at == datetime(2024, 5, 2, 7, 30, tzinfo=UTC)
    assert unmatched.finding_key == "ffffffffffffffff"  # kept in the history, applies to nothing
    assert decisions.migrate_legacy(store.engine) == 0 and len(decisions.history(job.id)) == 2  # once only
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM evrak_web_decisions")).scalar() == 2
    others = [f for f in report["findings"] if f["severity"] == "reject" and f["key"] != rejecting["key"]]
    after = apply(report, [moved, *(_decision(f["key"], f["rule"], Action.OVERRULE, n=5) for f in others)])
    assert after["verdict"] != "reject"
    assert decisions.LEGACY_REASON not in decisions.CHOOSABLE_REASONS
