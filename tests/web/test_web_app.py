"""The web page through Flask's test client: access control, CSRF, downloads, decisions.

Fast and in one process, but nothing is mocked: packages go through worker.intake.take
and are processed by worker.runner.run (what `evrak worker` calls for each message), so
the pages read a real report.json produced by the real pipeline.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, ROOT, USER, csrf_of
from worker.runner import run
from worker.store import get_store
from worker.web.app import create_app
from worker.web.reports import RENDER_SCALE


@pytest.fixture
def client(evrak_home: Path) -> FlaskClient:
    return create_app().test_client()


def login(client: FlaskClient, username: str = USER, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/giris").text)
    resp = client.post("/giris", data={"username": username, "password": password, "csrf_token": token})
    assert resp.status_code == 302, resp.text


def upload_and_process(client: FlaskClient, zip_path: Path) -> str:
    token = csrf_of(client.get("/yukle").text)
    resp = client.post("/yukle", data={"csrf_token": token, "paket": (zip_path.open("rb"), zip_path.name)},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    job_id = resp.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/api/is/{job_id}").json["state"] == "queued"
    assert run(job_id, worker_id="test").state == "done"
    return job_id


def test_anonymous_requests_are_sent_to_login(client: FlaskClient, review_zip: Path) -> None:
    login(client)
    job_id = upload_and_process(client, review_zip)
    anon = create_app().test_client()
    for url in ("/", f"/basvuru/{job_id}", f"/basvuru/{job_id}/belge?dosya=taahhutname.pdf",
                f"/basvuru/{job_id}/sayfa.png?dosya=taahhutname.pdf&sayfa=1", f"/basvuru/{job_id}/rapor.pdf",
                f"/basvuru/{job_id}/yazi", "/toplu", "/yukle"):
        resp = anon.get(url)
        assert resp.status_code == 302, url
        assert resp.headers["Location"].startswith("/giris"), url
        assert b"TR63" not in resp.data and b"Makina" not in resp.data
    resp = anon.get(f"/api/is/{job_id}")
    assert resp.status_code == 401
    assert "application_no" not in resp.json


def test_post_without_or_with_wrong_csrf_token_is_refused(client: FlaskClient, review_zip: Path) -> None:
    # the login form itself is protected
    assert client.post("/giris", data={"username": USER, "password": PASSWORD}).status_code == 400
    login(client)
    job_id = upload_and_process(client, review_zip)
    page = client.get(f"/basvuru/{job_id}").text
    key = re.search(r'name="finding" value="([^"]+)"', page).group(1)
    form = {"finding": key, "action": "overrule", "comment": "deneme"}
    assert client.post(f"/basvuru/{job_id}/karar", data=form).status_code == 400
    assert client.post(f"/basvuru/{job_id}/karar", data={**form, "csrf_token": "yanlis"}).status_code == 400
    assert client.post("/cikis").status_code == 400
    # nothing was decided
    assert 'id="verdict">İnceleme<' in client.get(f"/basvuru/{job_id}").text


def test_login_failures_cookie_flags_and_safe_redirect(client: FlaskClient) -> None:
    token = csrf_of(client.get("/giris").text)
    resp = client.post("/giris", data={"username": USER, "password": "yanlis-parola", "csrf_token": token})
    assert resp.status_code == 401
    assert "Kullanıcı adı ya da parola yanlış." in resp.text
    assert client.get("/").status_code == 302
    token = csrf_of(client.get("/giris").text)
    resp = client.post("/giris", data={"username": USER, "password": PASSWORD, "csrf_token": token,
                                       "next": "//kotu.example/"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


def test_application_page_downloads_and_masking(client: FlaskClient, review_zip: Path) -> None:
    login(client)
    job_id = upload_and_process(client, review_zip)
    listing = client.get("/").text
    assert "TR63/23/FKD/MAKINE-0042" in listing and "Örnek Makina Sanayi ve Ticaret A.Ş." in listing
    assert 'badge verdict-review">İnceleme<' in listing
    assert "MAKINE-0042" in client.get("/?program=tr63-2023-makine").text
    assert "MAKINE-0042" not in client.get("/?program=tr52-2026-sogreen").text
    assert "MAKINE-0042" not in client.get("/?verdict=reject").text
    page = client.get(f"/basvuru/{job_id}").text
    assert "SIGNATURE_TIME_UNPROVEN" in page
    assert "45*******16" in page and "45678912316" not in page  # KVKK: signer TCKN masked
    assert "Taahhütname son tarihi: 24 Şubat 2023 17:00" in page
    for answer in ("Evet",):
        assert f">{answer}<" in page
    doc = client.get(f"/basvuru/{job_id}/belge?dosya=taahhutname.pdf")
    assert doc.status_code == 200
    assert doc.headers["Content-Disposition"].startswith("attachment")
    assert doc.headers["X-Content-Type-Options"] == "nosniff"
    assert doc.mimetype == "application/octet-stream"
    assert doc.data.startswith(b"%PDF")
    for bad in ("../../users.toml", "/etc/passwd", "basvuru.yaml/../../../evrak.db"):
        assert client.get(f"/basvuru/{job_id}/belge", query_string={"dosya": bad}).status_code == 404
    png = client.get(f"/basvuru/{job_id}/sayfa.png?dosya=taahhutname.pdf&sayfa=2&vurgu=ZEYNEP")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    # a reader's box (Evidence.bbox, PDF points from the top left) is outlined where no text is searched
    plain = client.get(f"/basvuru/{job_id}/sayfa.png?dosya=taahhutname.pdf&sayfa=1")
    boxed = client.get(f"/basvuru/{job_id}/sayfa.png?dosya=taahhutname.pdf&sayfa=1&kutu=100,200,300,230")
    assert boxed.status_code == 200 and boxed.data != plain.data
    red = _red_pixels(boxed.data)
    assert red and {round(x / RENDER_SCALE) for x, _y in red} >= {100, 300}
    assert {round(y / RENDER_SCALE) for _x, y in red} >= {200, 230}
    bad = client.get(f"/basvuru/{job_id}/sayfa.png?dosya=taahhutname.pdf&sayfa=1&kutu=1,2,x")
    assert bad.status_code == 200 and bad.data == plain.data  # a bad box loses only the outline
    assert client.get(f"/basvuru/{job_id}/sayfa.png?dosya=taahhutname.pdf&sayfa=99").status_code == 404
    pdf = client.get(f"/basvuru/{job_id}/rapor.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Disposition"].startswith("attachment")


def test_decisions_change_verdict_and_letter(client: FlaskClient, review_zip: Path) -> None:
    login(client)
    job_id = upload_and_process(client, review_zip)
    page = client.get(f"/basvuru/{job_id}").text
    token, key = csrf_of(page), re.search(r'name="finding" value="([^"]+)"', page).group(1)
    assert client.get(f"/basvuru/{job_id}/yazi").status_code == 302  # review: no letter yet

    resp = client.post(f"/basvuru/{job_id}/karar", follow_redirects=True, data={
        "csrf_token": token, "finding": key, "reason": "sorun_teyit",
        "action": "overrule", "comment": "Islak imzalı asıl zamanında geldi"})
    assert 'id="verdict">Uygun<' in resp.text
    assert "Islak imzalı asıl zamanında geldi" in resp.text and "ayse" in resp.text
    assert 'badge verdict-pass">Uygun<' in client.get("/?verdict=pass").text
    assert "MAKINE-0042" not in client.get("/?verdict=review").text

    resp = client.post(f"/basvuru/{job_id}/karar", follow_redirects=True, data={
        "csrf_token": token, "finding": key, "reason": "sorun_teyit",
        "action": "uphold", "outcome": "reject", "reason_code": "R01",
        "comment": "İmza zamanı kanıtlanamadı"})
    assert 'id="verdict">Red<' in resp.text
    assert 'id="letter-link"' in resp.text
    letter = client.get(f"/basvuru/{job_id}/yazi")
    assert letter.status_code == 200 and letter.headers["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.data)).paragraphs)
    text += "\n".join(c.text for t in docx.Document(io.BytesIO(letter.data)).tables for r in t.rows for c in r.cells)
    assert "Taahhütname son başvuru tarihinden sonra alınmıştır." in text  # R01 in the guide's words (D31)

    # a reason outside the program's closed list is refused, the verdict stays
    resp = client.post(f"/basvuru/{job_id}/karar", follow_redirects=True, data={
        "csrf_token": token, "finding": key, "reason": "sorun_teyit",
        "action": "uphold", "outcome": "reject", "reason_code": "R99",
        "comment": "x"})
    assert "gerekçe listesinden" in resp.text and 'id="verdict">Red<' in resp.text


def test_duplicate_upload_is_recorded_not_processed(client: FlaskClient, review_zip: Path) -> None:
    login(client)
    first = upload_and_process(client, review_zip)
    token = csrf_of(client.get("/yukle").text)
    resp = client.post("/yukle", follow_redirects=True, content_type="multipart/form-data",
                       data={"csrf_token": token, "paket": (review_zip.open("rb"), review_zip.name)})
    assert "Yinelenen paket" in resp.text and first in resp.text
    states = sorted(j.state for j in get_store().list(kind="prescreen"))
    assert states == ["done", "duplicate"]


def test_upload_refuses_a_file_that_is_not_a_zip(client: FlaskClient) -> None:
    login(client)
    token = csrf_of(client.get("/yukle").text)
    resp = client.post("/yukle", content_type="multipart/form-data",
                       data={"csrf_token": token, "paket": (io.BytesIO(b"<html>x</html>"), "paket.zip")})
    assert resp.status_code == 400 and "okunabilir bir zip değil" in resp.text
    assert get_store().list() == []


def test_batch_in_process(client: FlaskClient, small_export: Path) -> None:
    import zipfile

    from worker.web import batches

    login(client)
    token = csrf_of(client.get("/toplu").text)
    resp = client.post("/toplu", content_type="multipart/form-data", data={
        "csrf_token": token, "program": "tr63-2023-makine", "kind": "taahhutname",
        "export": (small_export.open("rb"), small_export.name)})
    assert resp.status_code == 302
    batch_id = resp.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/toplu/{batch_id}/belgeler.zip").status_code == 409  # still running
    for job_id in batches.get(batch_id).job_ids:
        assert run(job_id, worker_id="test").state == "done"
    status = client.get(f"/api/toplu/{batch_id}").json
    assert (status["state"], status["percent"], status["documents"], status["errors"]) == ("done", 100, 3, 2)
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/toplu/{batch_id}/belgeler.zip").data))
    assert sorted(n for n in z.namelist() if n.endswith(".docx")) == [
        "taahhutname_tr63-23-fkd-makine-0001.docx", "taahhutname_tr63-23-fkd-makine-0002.docx",
        "taahhutname_tr63-23-fkd-makine-0004.docx"]
    errors = z.read("errors.csv").decode().splitlines()
    # rows numbered as in the uploaded export (header = row 1), not within a chunk
    assert errors[1].startswith(f"{small_export.name},4,TR63/23/FKD/MAKINE-0003,")
    assert errors[2].startswith(f"{small_export.name},6,TR63/23/FKD/MAKINE-0099,")
    import openpyxl

    xlsx = client.get(f"/toplu/{batch_id}/errors.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["Content-Disposition"].startswith("attachment")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(xlsx.data)).active.iter_rows()]
    assert rows[0] == ["kaynak", "satir", "basvuru_no", "neden"]
    assert [r[1:3] for r in rows[1:]] == [["4", "TR63/23/FKD/MAKINE-0003"], ["6", "TR63/23/FKD/MAKINE-0099"]]


@pytest.mark.slow  # OCR or a real evrak process
def test_users_add_command(evrak_home: Path) -> None:
    env_cmd = [sys.executable, "-m", "worker.cli", "users", "add", "mehmet", "--password-stdin"]
    ok = subprocess.run(env_cmd, input="uzun-bir-parola\n", capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    text = (evrak_home / "users.toml").read_text(encoding="utf-8")
    assert "mehmet" in text and "uzun-bir-parola" not in text and "scrypt:" in text
    assert (evrak_home / "users.toml").stat().st_mode & 0o077 == 0
    short = subprocess.run(env_cmd, input="kisa\n", capture_output=True, text=True, cwd=ROOT)
    assert short.returncode == 2
    assert short.stderr.strip().count("\n") == 0 and "en az 8" in short.stderr
    from worker.web.users import check_login

    assert check_login(evrak_home / "users.toml", "mehmet", "uzun-bir-parola")
    assert not check_login(evrak_home / "users.toml", "mehmet", "uzun-bir-parola2")
    assert check_login(evrak_home / "users.toml", USER, PASSWORD)  # earlier accounts kept


def letter_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_upheld_as_deficient_gives_the_deficiency_letter(client: FlaskClient, review_zip: Path) -> None:
    login(client)
    job_id = upload_and_process(client, review_zip)
    page = client.get(f"/basvuru/{job_id}").text
    token, key = csrf_of(page), re.search(r'name="finding" value="([^"]+)"', page).group(1)
    resp = client.post(f"/basvuru/{job_id}/karar", follow_redirects=True, data={
        "csrf_token": token, "finding": key, "reason": "sorun_teyit",
        "action": "uphold", "outcome": "deficient",
        "document_kind": "taahhutname", "comment": "Zaman damgalı taahhütname istenecek"})
    assert 'id="verdict">Eksik<' in resp.text
    letter = client.get(f"/basvuru/{job_id}/yazi")
    assert letter.status_code == 200
    assert "eksik_evrak_yazisi" in letter.headers["Content-Disposition"]
    text = letter_text(letter.data)
    assert "KAYS üzerinden üretilen Taahhütname" in text  # the EK item the person chose
    assert "zaman damgasıyla kanıtlanmıyor" in text  # with what is wrong, in the finding's words


def test_machine_rejection_letter_without_decisions(client: FlaskClient, tmp_path: Path) -> None:
    from tests.web.conftest import SAMPLES, zip_folder

    login(client)
    package = zip_folder(SAMPLES / "packages" / "tr63-2023-makine" / "yetkisiz-imza", tmp_path / "yetkisiz-imza.zip")
    job_id = upload_and_process(client, package)
    page = client.get(f"/basvuru/{job_id}").text
    assert 'id="verdict">Red<' in page and "SIGNER_NOT_AUTHORIZED" in page and 'id="letter-link"' in page
    letter = client.get(f"/basvuru/{job_id}/yazi")
    assert letter.status_code == 200 and "sonuc_yazisi" in letter.headers["Content-Disposition"]
    assert "Başvuru eksiktir veya belirtilen kriterlere uygun değildir." in letter_text(letter.data)  # R02


def test_a_package_the_worker_cannot_open_shows_its_error(client: FlaskClient, tmp_path: Path) -> None:
    import zipfile

    login(client)
    bad = tmp_path / "manifestsiz.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifestsiz/belge.pdf", b"%PDF-1.4\n")
    token = csrf_of(client.get("/yukle").text)
    resp = client.post("/yukle", content_type="multipart/form-data",
                       data={"csrf_token": token, "paket": (bad.open("rb"), bad.name)})
    job_id = resp.headers["Location"].rsplit("/", 1)[1]
    assert run(job_id, worker_id="test").state == "failed"
    status = client.get(f"/api/is/{job_id}").json
    assert status["state"] == "failed" and status["final"] and status["state_label"] == "Başarısız"
    assert status["error"] and "url" not in status
    listing = client.get("/").text
    assert "manifestsiz.zip" in listing and "Başarısız" in listing
    assert client.get(f"/basvuru/{job_id}").status_code == 404


def test_logout_ends_the_session_on_the_server(client: FlaskClient, evrak_home: Path) -> None:
    """A cookie copied before logout is refused afterwards; so is a removed account's session."""
    login(client)
    name = client.application.config["SESSION_COOKIE_NAME"]
    stolen = client.get_cookie(name).value
    assert client.get("/").status_code == 200
    client.post("/cikis", data={"csrf_token": csrf_of(client.get("/").text)})
    other = create_app().test_client()
    other.set_cookie(name, stolen)
    resp = other.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/giris")

    login(client)
    assert client.get("/").status_code == 200
    users_file = evrak_home / "users.toml"
    text = users_file.read_text(encoding="utf-8")
    renamed = re.sub(rf'^\[users\.("?){USER}("?)\]$', r"[users.\1someone_else\2]", text, flags=re.M)
    assert renamed != text
    users_file.write_text(renamed, encoding="utf-8")
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/giris")


def _try_login(client: FlaskClient, password: str, address: str | None = None, peer: str = "127.0.0.1") -> int:
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf_of(client.get("/giris").text)
    return client.post("/giris", data={"username": USER, "password": password, "csrf_token": token},
                       headers=headers, environ_base={"REMOTE_ADDR": peer}).status_code


def test_throttling_per_user_and_address_behind_a_proxy(evrak_home: Path, monkeypatch) -> None:
    """Wrong passwords from one client slow down that (user, client) only, growing, and survive a
    restart; X-Forwarded-For counts only from a configured proxy, so nobody can spoof or lock others."""
    from worker.web import throttle

    monkeypatch.setenv("EVRAK_TRUSTED_PROXIES", "10.0.0.5")
    attacker, colleague = "203.0.113.7", "198.51.100.20"
    client = create_app().test_client()
    for _ in range(throttle.FREE_FAILURES):
        assert _try_login(client, "yanlış", attacker, peer="10.0.0.5") == 401
    assert _try_login(client, "yanlış", attacker, peer="10.0.0.5") == 401  # the 4th failure sets a wait
    assert 0 < throttle.wait_seconds(USER, attacker) <= throttle.delay_for(throttle.FREE_FAILURES + 1) + 1
    assert _try_login(client, PASSWORD, attacker, peer="10.0.0.5") == 429  # even the right password waits
    # the same account from a colleague's desk, through the same proxy: not affected
    assert _try_login(create_app().test_client(), PASSWORD, colleague, peer="10.0.0.5") == 302
    # a restart (a new app on the same store) remembers the counter
    assert _try_login(create_app().test_client(), PASSWORD, attacker, peer="10.0.0.5") == 429
    # a client that is not the proxy cannot choose its address with the header
    assert throttle.wait_seconds(USER, "192.0.2.9") == 0
    assert _try_login(create_app().test_client(), "yanlış", attacker, peer="192.0.2.9") == 401
    assert throttle.wait_seconds(USER, "192.0.2.9") == 0 and throttle.get_store().login_blocked_until(
        throttle.key(USER, attacker)) is not None
    assert [throttle.delay_for(n) for n in range(1, 8)] == [0, 0, 0, 5, 10, 20, 40]
    assert throttle.delay_for(100) == throttle.MAX_DELAY_S
    assert throttle.client_address("10.0.0.5", "203.0.113.7, 10.0.0.5", throttle.trusted_proxies("10.0.0.0/8")) \
        == "203.0.113.7"


@pytest.mark.slow
def test_roles_disable_and_remove(evrak_home: Path, review_zip: Path) -> None:
    """A read-only account sees an application but gets no decision form and a 403 on posting one;
    `evrak users disable` ends its session at once, `remove` deletes the account."""
    from worker.web.users import add_user

    users = evrak_home / "users.toml"
    add_user(users, "okur", "salt-okuma-parola", role="salt_okuma")
    staff = create_app().test_client()
    login(staff)
    job_id = upload_and_process(staff, review_zip)
    key = re.search(r'name="finding" value="([^"]+)"', staff.get(f"/basvuru/{job_id}").text).group(1)

    reader = create_app().test_client()
    login(reader, "okur", "salt-okuma-parola")
    page = reader.get(f"/basvuru/{job_id}").text
    assert "SIGNATURE_TIME_UNPROVEN" in page and 'class="decision-form"' not in page
    assert "Karar yetkiniz yok" in page
    resp = reader.post(f"/basvuru/{job_id}/karar", data={"csrf_token": csrf_of(page), "finding": key,
                                                         "action": "overrule", "comment": "olmaz"})
    assert resp.status_code == 403
    assert reader.get("/yukle").status_code == 403
    assert 'id="verdict">İnceleme<' in staff.get(f"/basvuru/{job_id}").text  # nothing was decided
    assert reader.get("/denetim").status_code == 403

    env = [sys.executable, "-m", "worker.cli", "users"]
    r = subprocess.run([*env, "disable", "okur"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert reader.get("/").status_code == 302  # the session ended with the account
    fresh = create_app().test_client()
    token = csrf_of(fresh.get("/giris").text)
    assert fresh.post("/giris", data={"username": "okur", "password": "salt-okuma-parola",
                                      "csrf_token": token}).status_code == 401
    r = subprocess.run([*env, "remove", "okur"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "okur" not in users.read_text(encoding="utf-8")
    r = subprocess.run([*env, "remove", "okur"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "hesap yok" in r.stderr


def _red_pixels(png: bytes) -> list[tuple[int, int]]:
    """The outline's pixels (the page itself is black on white)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = image.size
    px = image.load()
    return [(x, y) for y in range(0, h, 1) for x in range(0, w, 2) if px[x, y] == (200, 30, 30)]
