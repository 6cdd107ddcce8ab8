"""The ranking page (issue 16): an approver uploads scores and gets lists and letters; a
read-only user sees the page but cannot run it. Real Flask app, real ranking and docgen."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskClient

from evrak.profiles import load_profile
from tests.web.conftest import PASSWORD, USER, csrf_of
from tests.web.test_web_app import login, upload_and_process
from worker.ranking import write_template
from worker.web.app import create_app
from worker.web.users import add_user


@pytest.fixture
def client(evrak_home: Path) -> FlaskClient:
    add_user(evrak_home / "users.toml", USER, PASSWORD, display_name="Ayşe Yılmaz", role="onaylayan")
    add_user(evrak_home / "users.toml", "okur", PASSWORD, role="salt_okuma")
    return create_app().test_client()


def _login(client: FlaskClient, username: str) -> None:
    token = csrf_of(client.get("/giris").get_data(as_text=True))
    resp = client.post("/giris", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code in (302, 303)


def _sheet(tmp_path: Path) -> Path:
    path = write_template(load_profile("tr63-2023-makine"), tmp_path / "puanlar.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    # two successful (80 and 70 points) and one below 65 (002:L867)
    ws.append(["A-1", "Alfa Makina A.Ş.", "8084759118", "Antakya", "Hatay", "Pres hattı", 3000000, 0,
               "2023-02-10T10:00:00", 0, "Evet", "", 30, 35, 15, 0])
    ws.append(["B-2", "placeholder", "8084759118", "Antakya", "Hatay", "Kaynak robotu", 3000000, 0,
               "2023-02-10T11:00:00", 0, "Evet", "", 25, 30, 15, 0])
    ws.append(["C-3", "Gama Döküm Ltd.", "8084759118", "İskenderun", "Hatay", "Döküm", 3000000, 0,
               "2023-02-10T12:00:00", 0, "Evet", "", 20, 24, 10, 0])
    name = ws.cell(row=3, column=2)
    name.value = '=HYPERLINK("x")'
    name.data_type = "s"  # a text cell that merely starts with "=", as a KAYS export may carry
    wb.save(path)
    return path


def test_approver_ranks_and_downloads_lists_and_letters(client: FlaskClient, tmp_path: Path):
    _login(client, USER)
    page = client.get("/siralama").get_data(as_text=True)
    token = csrf_of(page)
    sheet = _sheet(tmp_path)
    resp = client.post("/siralama", data={"csrf_token": token, "program": "tr63-2023-makine",
                                          "puanlar": (sheet.open("rb"), "puanlar.xlsx")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    assert "Asil 2, yedek 0, başarısız 1" in " ".join(html.split())
    assert "=HYPERLINK(&#34;x&#34;)" in html  # user text is escaped, never markup
    xlsx = client.get(html.split('id="ranking-xlsx"')[0].rsplit('href="', 1)[1].split('"')[0])
    lists = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    names = [r[2].value for r in lists["Asil"].iter_rows(min_row=2)]
    assert names == ["Alfa Makina A.Ş.", "'=HYPERLINK(\"x\")"]  # formula neutralised (issue 17)
    zip_url = html.split('id="ranking-letters"')[0].rsplit('href="', 1)[1].split('"')[0]
    with zipfile.ZipFile(io.BytesIO(client.get(zip_url).data)) as zf:
        folders = sorted({n.split("/")[0] for n in zf.namelist()})
    assert folders == ["asil", "basarisiz"]


def test_read_only_user_cannot_run_the_ranking(client: FlaskClient, tmp_path: Path):
    _login(client, "okur")
    page = client.get("/siralama").get_data(as_text=True)
    assert 'id="ranking-form"' not in page
    token = csrf_of(page)
    resp = client.post("/siralama", data={"csrf_token": token, "program": "tr63-2023-makine",
                                          "puanlar": (_sheet(tmp_path).open("rb"), "puanlar.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 403


def test_bad_sheet_gives_a_turkish_message(client: FlaskClient, tmp_path: Path):
    _login(client, USER)
    token = csrf_of(client.get("/siralama").get_data(as_text=True))
    bad = tmp_path / "bos.xlsx"
    bad.write_bytes(b"not a workbook")
    resp = client.post("/siralama", data={"csrf_token": token, "program": "tr63-2023-makine",
                                          "puanlar": (bad.open("rb"), "bos.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200
    assert "XLSX olarak açılamadı" in resp.get_data(as_text=True)


def test_application_page_shows_the_programme_notes(evrak_home: Path, review_zip: Path):
    """Issue 16: the profile's staff notes and conditional documents reach the page staff use."""
    client = create_app().test_client()
    login(client)
    job_id = upload_and_process(client, review_zip)
    html = client.get(f"/basvuru/{job_id}").get_data(as_text=True)
    section = html.split('id="program-notes"', 1)[1].split("</section>", 1)[0]
    assert "faks/e-posta reddedilir (002:L727-748)" in section  # a staff note of 002
    assert "Yetki ana sözleşmeden veya yasal yapıdan gelmiyorsa" in section  # a condition
