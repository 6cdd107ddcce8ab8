"""The application page's casework through Flask's test client and the real runner: amounts,
document preview, who may issue letters, and the audit trail of what was viewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import SAMPLES, csrf_of, zip_folder
from tests.web.test_web_app import login, upload_and_process
from worker.store import get_store
from worker.web.app import create_app
from worker.web.users import add_user

pytestmark = pytest.mark.slow  # each test screens a real sample package


def test_amounts_preview_roles_and_audit(evrak_home: Path, tmp_path: Path) -> None:
    add_user(evrak_home / "users.toml", "onay", "onaylayan-parola", role="onaylayan")
    client: FlaskClient = create_app().test_client()
    login(client)  # ayse: uzman (the default role)
    package = zip_folder(SAMPLES / "packages" / "tr63-2023-makine" / "eksik-sgk-listesi", tmp_path / "eksik.zip")
    job_id = upload_and_process(client, package)
    page = client.get(f"/basvuru/{job_id}").text
    assert 'id="verdict">Eksik<' in page and 'data-status="incelemede"' in page
    # amounts from the screened manifest, Turkish money format, budget lines against their proformas
    assert "1.300.000,00 TL" in page and "700.000,00 TL" in page and "1.200.000,00 TL" in page
    assert "proforma-3.3.1.pdf" in page
    assert "ÇAĞDAŞ METAL SANAYİ VE TİCARET A.Ş. · KDV hariç 1.016.949,15 TL · KDV dahil 1.200.000,00 TL" in page
    # an expert may not issue letters: no button, and the route refuses
    assert 'id="issue-letter"' not in page
    assert client.post(f"/basvuru/{job_id}/yazi-gonder", data={"csrf_token": csrf_of(page)}).status_code == 403
    preview = client.get(f"/basvuru/{job_id}/onizleme?dosya=taahhutname.pdf")
    assert preview.status_code == 200 and preview.text.count('class="page"') >= 1
    assert client.get(f"/basvuru/{job_id}/onizleme?dosya=../users.toml").status_code == 404

    approver = create_app().test_client()
    login(approver, "onay", "onaylayan-parola")
    page = approver.get(f"/basvuru/{job_id}").text
    assert 'id="issue-letter"' in page
    resp = approver.post(f"/basvuru/{job_id}/yazi-gonder", follow_redirects=True,
                         data={"csrf_token": csrf_of(page), "teblig": "2023-03-01"})
    assert 'data-status="tamamlama_bekleniyor"' in resp.text
    (letter,) = [e for e in get_store().events("TR63/23/FKD/MAKINE-0042") if e.kind == "letter_issued"]
    assert letter.username == "onay" and letter.data["notified_on"] == "2023-03-01"
    assert Path(letter.data["files"][0]).suffix == ".docx"
    assert approver.get(f"/basvuru/{job_id}/yazilar/{letter.id}/0").status_code == 200
    # 5 business days after 1 March 2023 (a Wednesday): Wednesday 8 March, at closing time
    assert "8 Mart 2023 17:" in resp.text or "8 Mart 2023 18:" in resp.text

    # assignment: an administrator only; the list filters by the person assigned
    assert client.post(f"/basvuru/{job_id}/ata", data={"csrf_token": csrf_of(client.get("/").text),
                                                        "kime": "ayse"}).status_code == 403
    add_user(evrak_home / "users.toml", "yonetici", "yonetici-parola", role="yonetici")
    admin = create_app().test_client()
    login(admin, "yonetici", "yonetici-parola")
    resp = admin.post(f"/basvuru/{job_id}/ata", follow_redirects=True,
                      data={"csrf_token": csrf_of(admin.get("/").text), "kime": "ayse"})
    assert '<strong id="assigned">ayse</strong>' in resp.text
    assert 'data-application-no="TR63/23/FKD/MAKINE-0042"' in admin.get("/?sorumlu=ayse").text
    assert 'data-application-no="TR63/23/FKD/MAKINE-0042"' not in admin.get("/?sorumlu=onay").text

    trail = get_store().audit_trail(application_no="TR63/23/FKD/MAKINE-0042")
    seen = {(a.username, a.action) for a in trail}
    assert {("ayse", "view"), ("onay", "letter"), ("onay", "download")} <= seen
    assert [a.job_id for a in get_store().audit_trail(username="ayse") if a.action == "upload"] == [job_id]
    assert any(a.detail == "belge önizleme taahhutname.pdf" for a in trail)


def test_a_rejection_letter_concludes_the_application(evrak_home: Path, tmp_path: Path) -> None:
    add_user(evrak_home / "users.toml", "onay", "onaylayan-parola", role="onaylayan")
    client: FlaskClient = create_app().test_client()
    login(client, "onay", "onaylayan-parola")
    package = zip_folder(SAMPLES / "packages" / "tr63-2023-makine" / "yetkisiz-imza", tmp_path / "yetkisiz.zip")
    job_id = upload_and_process(client, package)
    page = client.get(f"/basvuru/{job_id}").text
    assert 'id="verdict">Red<' in page and "Sonuç Yazısı gönder" in page
    resp = client.post(f"/basvuru/{job_id}/yazi-gonder", follow_redirects=True, data={"csrf_token": csrf_of(page)})
    assert 'data-status="sonuclandi"' in resp.text
    assert 'data-kind="sonuc_yazisi"' in resp.text
    assert 'id="issue-letter"' not in resp.text  # concluded: nothing more to send
