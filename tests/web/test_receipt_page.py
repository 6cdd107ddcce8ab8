"""The Alındı Belgesi from the application page (002:L748; 001:L799, L819; 003:L1510-1511):
the submission's reference number, acceptance date and hour, as a download after login."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from tests.web.test_web_app import client, login, upload_and_process  # noqa: F401 (client is a fixture)
from worker.store import get_store
from worker.web.app import create_app


def test_the_receipt_is_on_the_application_page(client: FlaskClient, review_zip: Path) -> None:  # noqa: F811
    login(client)
    job_id = upload_and_process(client, review_zip)
    assert f'href="/basvuru/{job_id}/alindi.txt"' in client.get(f"/basvuru/{job_id}").text
    resp = client.get(f"/basvuru/{job_id}/alindi.txt")
    assert resp.status_code == 200 and resp.headers["Content-Disposition"].startswith("attachment")
    text = resp.data.decode("utf-8")
    assert text.startswith("ALINDI BELGESİ\nT.C. Doğu Akdeniz Kalkınma Ajansı")
    assert f"Kayıt (referans) no: {job_id}" in text and "Başvuru no: TR63/23/FKD/MAKINE-0042" in text
    assert "Alınma tarihi ve saati: " in text and "İmza:" in text
    assert any(e.action == "download" and e.detail == "alındı belgesi" for e in get_store().audit_trail())
    assert create_app().test_client().get(f"/basvuru/{job_id}/alindi.txt").status_code == 302  # login first
