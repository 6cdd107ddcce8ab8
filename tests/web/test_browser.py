"""The staff page in headless Chromium against a real `evrak serve` and a real `evrak worker`.

Both run as subprocesses on loopback with a temporary EVRAK_HOME; Selenium drives the
Debian chromium through /usr/bin/chromedriver (no browser download). Screenshots of the
main pages are kept under test-artifacts/web/, the server and worker logs beside them.
"""

from __future__ import annotations

import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.web.conftest import PASSWORD, ROOT, TRUST, USER

pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
READER, READER_PASSWORD = "okur", "Salt-Okuma-2023"
ARTIFACTS = ROOT / "test-artifacts" / "web"
WAIT_S = 120


@pytest.fixture(scope="module", autouse=True)
def _browser_installed() -> None:
    """A missing browser is a missing install step: fail, never skip (scripts/setup.sh installs it)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("chromium / chromium-driver not installed: run scripts/setup.sh (scripts/apt-packages.txt)",
                    pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process we started (a worker shuts its pool down warm), then SIGKILL its group."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


class Stack:
    def __init__(self, base: str, home: Path, procs: list[subprocess.Popen]) -> None:
        self.base, self.home, self.procs = base, home, procs
        self.job_id: str | None = None

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        host, port = self.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    home = tmp_path_factory.mktemp("evrak-web-home")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("EVRAK_DB_URL", "EVRAK_BROKER_URL", "EVRAK_BROKER_DIR", "EVRAK_SECRET_KEY")}
    env.update(EVRAK_HOME=str(home), EVRAK_TRUST_DIR=str(TRUST), EVRAK_USERS_FILE=str(home / "users.toml"),
               EVRAK_WEB_BATCH_CHUNK_ROWS="2", EVRAK_WORKER_SWEEP="0", PYTHONUNBUFFERED="1",
               EVRAK_TRUSTED_PROXIES="127.0.0.1")  # the browser plays the reverse proxy (X-Forwarded-For)
    py = [sys.executable, "-m", "worker.cli"]
    for name, role, password in ((USER, "yonetici", PASSWORD), (READER, "salt_okuma", READER_PASSWORD)):
        subprocess.run([*py, "users", "add", name, "--password-stdin", "--display-name", name.title(), "--role", role],
                       input=password + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    procs: list[subprocess.Popen] = []
    for name, args in (("server", ["serve", "--host", "127.0.0.1", "--port", str(port)]),
                       ("worker", ["worker", "--concurrency", "1", "--loglevel", "INFO"])):
        log = (ARTIFACTS / f"{name}.log").open("w")
        procs.append(subprocess.Popen([*py, *args], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True))
    st = Stack(f"http://127.0.0.1:{port}", home, procs)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert procs[0].poll() is None, (ARTIFACTS / "server.log").read_text()
            try:
                if st.request("GET", "/saglik").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield st
    finally:
        for p in procs:
            stop(p)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[webdriver.Chrome]:
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1366,1000", "--lang=tr-TR",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False,
                                           "safebrowsing.enabled": False})
    driver = webdriver.Chrome(options=opts, service=Service(str(CHROMEDRIVER)))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: webdriver.Chrome, cond: Any, timeout: float = WAIT_S, what: str = "") -> Any:
    # A page that is still navigating may drop the element between find and read: poll again.
    return WebDriverWait(driver, timeout, poll_frequency=0.3,
                         ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)
                         ).until(lambda d: cond(d), message=what)


def screenshot(driver: webdriver.Chrome, name: str) -> None:
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1366, min(max(1000, int(height)), 6000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1366, 1000)


def wait_download(folder: Path, suffix: str, before: set[str]) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name not in before and p.suffix == suffix]
        partial = [p for p in folder.iterdir() if p.suffix == ".crdownload"]
        if done and not partial:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {sorted(os.listdir(folder))}")


def login(driver: webdriver.Chrome, stack: Stack) -> None:
    driver.get(stack.base + "/")
    if "/giris" not in driver.current_url:
        return  # already logged in (module-scoped browser)
    driver.find_element(By.ID, "username").send_keys(USER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "h1") and "Başvurular" in d.find_element(
        By.CSS_SELECTOR, "h1").text, 20, "list page after login")


def finding(driver: webdriver.Chrome, rule: str) -> Any:
    return driver.find_element(By.CSS_SELECTOR, f"article.finding[data-rule='{rule}']")


def decide(driver: webdriver.Chrome, rule: str, action: str, comment: str, reason: str | None = None) -> None:
    art = finding(driver, rule)
    details = art.find_element(By.CSS_SELECTOR, "details.decide")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    art.find_element(By.CSS_SELECTOR, f"input[name=action][value={action}]").click()
    if reason:
        Select(art.find_element(By.NAME, "outcome")).select_by_value("reject")
        Select(art.find_element(By.NAME, "reason_code")).select_by_value(reason)
    art.find_element(By.NAME, "comment").send_keys(comment)
    art.find_element(By.CSS_SELECTOR, "form.decision-form button[type=submit]").click()


def test_login_page_first(browser: webdriver.Chrome, stack: Stack) -> None:
    browser.get(stack.base + "/")
    assert "/giris" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "Personel girişi"
    screenshot(browser, "01-giris")


def test_review_flow(browser: webdriver.Chrome, stack: Stack, review_zip: Path, downloads: Path) -> None:
    login(browser, stack)
    browser.get(stack.base + "/yukle")
    browser.find_element(By.ID, "paket").send_keys(str(review_zip))
    browser.find_element(By.ID, "upload-submit").click()
    wait(browser, lambda d: "/is/" in d.current_url or "/basvuru/" in d.current_url, 30, "job page")
    if "/is/" in browser.current_url:
        screenshot(browser, "02-yukleme-ilerleme")
    # the job page polls the status endpoint and moves on once the worker is done
    wait(browser, lambda d: "/basvuru/" in d.current_url, WAIT_S, "report ready")
    stack.job_id = browser.current_url.rsplit("/", 1)[1].split("#")[0]
    assert browser.find_element(By.ID, "verdict").text == "İnceleme"

    art = finding(browser, "SIGNATURE_TIME_UNPROVEN")
    assert "zaman damgasıyla kanıtlanmıyor" in art.find_element(By.CSS_SELECTOR, ".message").text
    assert art.find_element(By.CSS_SELECTOR, ".evidence-file").text == "taahhutname.pdf"
    assert art.find_element(By.CSS_SELECTOR, "blockquote.evidence-text").text == "ZEYNEP ÇELİK"
    img = art.find_element(By.CSS_SELECTOR, "img.page")
    browser.execute_script("arguments[0].scrollIntoView()", img)
    wait(browser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 500,
         30, "evidence page image")
    assert "sayfa 2" in art.find_element(By.TAG_NAME, "figcaption").text  # where the signer's name is
    sig_panel = browser.find_element(By.ID, "signatures").text
    assert "45*******16" in sig_panel and "45678912316" not in browser.page_source
    assert "Zaman damgası yok" in sig_panel
    screenshot(browser, "03-basvuru-inceleme")

    decide(browser, "SIGNATURE_TIME_UNPROVEN", "overrule", "Islak imzalı asıl son tarihten önce teslim alındı.")
    wait(browser, lambda d: d.find_element(By.ID, "verdict").text == "Uygun", 20, "verdict after overrule")
    assert "makinenin sonucu: İnceleme" in browser.find_element(By.ID, "machine-verdict").text
    assert "Geçersiz sayıldı" in finding(browser, "SIGNATURE_TIME_UNPROVEN").text
    assert browser.find_elements(By.ID, "no-letter")  # pass: pre-screening sends no letter

    browser.get(stack.base + "/")
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-application-no='TR63/23/FKD/MAKINE-0042']")
    assert "Uygun" in row.text and "karar" in row.text
    assert browser.find_element(By.ID, "total-pass").text.startswith("1")
    screenshot(browser, "04-basvurular")

    browser.get(f"{stack.base}/basvuru/{stack.job_id}")
    decide(browser, "SIGNATURE_TIME_UNPROVEN", "uphold", "Zaman damgası yok; imza zamanı kanıtlanamadı.",
           reason="R01")
    wait(browser, lambda d: d.find_element(By.ID, "verdict").text == "Red", 20, "verdict after upholding")
    history = browser.find_element(By.ID, "history").text
    assert history.count(USER) == 2 and "R01" in history
    screenshot(browser, "05-basvuru-red")
    before = set(os.listdir(downloads))
    browser.find_element(By.ID, "letter-link").click()
    letter = wait_download(downloads, ".docx", before)
    document = docx.Document(str(letter))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Taahhütname son başvuru tarihinden sonra alınmıştır." in text
    assert "TR63/23/FKD/MAKINE-0042" in text


def test_batch(browser: webdriver.Chrome, stack: Stack, small_export: Path, downloads: Path) -> None:
    login(browser, stack)
    browser.get(stack.base + "/toplu")
    browser.find_element(By.ID, "export").send_keys(str(small_export))
    Select(browser.find_element(By.ID, "batch-program")).select_by_value("tr63-2023-makine")
    Select(browser.find_element(By.ID, "batch-kind")).select_by_value("taahhutname")
    screenshot(browser, "06-toplu-form")
    browser.find_element(By.ID, "batch-submit").click()
    wait(browser, lambda d: d.find_elements(By.ID, "batch-state"), 30, "batch page")
    wait(browser, lambda d: d.find_element(By.ID, "batch-state").get_attribute("data-state") == "done",
         WAIT_S, "batch done")
    assert browser.find_element(By.ID, "batch-percent").text == "100"
    assert browser.find_element(By.ID, "batch-docs").text == "3"
    assert browser.find_element(By.ID, "batch-errors").text == "2"
    bar_width = browser.execute_script("return arguments[0].style.width", browser.find_element(By.ID, "batch-bar"))
    assert bar_width == "100%"
    screenshot(browser, "07-toplu-bitti")
    before = set(os.listdir(downloads))
    browser.find_element(By.ID, "batch-zip").click()
    archive = wait_download(downloads, ".zip", before)
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        errors = z.read("errors.csv").decode()
    assert sorted(n for n in names if n.endswith(".docx")) == [
        "taahhutname_tr63-23-fkd-makine-0001.docx", "taahhutname_tr63-23-fkd-makine-0002.docx",
        "taahhutname_tr63-23-fkd-makine-0004.docx"]
    assert "MAKINE-0003" in errors and "MAKINE-0099" in errors
    with zipfile.ZipFile(archive) as z:
        first = docx.Document(io.BytesIO(z.read("taahhutname_tr63-23-fkd-makine-0001.docx")))
    assert any("TR63/23/FKD/MAKINE-0001" in c.text for t in first.tables for r in t.rows for c in r.cells) or \
        any("TR63/23/FKD/MAKINE-0001" in p.text for p in first.paragraphs)


def test_anonymous_request_for_a_document_is_refused(stack: Stack) -> None:
    job = stack.job_id or "000000000000"
    for path in (f"/basvuru/{job}/belge?dosya=taahhutname.pdf", f"/basvuru/{job}", f"/basvuru/{job}/yazi",
                 "/", f"/basvuru/{job}/sayfa.png?dosya=taahhutname.pdf&sayfa=1"):
        resp = stack.request("GET", path)
        assert resp.status in (302, 403), path
        if resp.status == 302:
            assert resp.getheader("Location", "").startswith("/giris"), path
    assert stack.request("GET", f"/api/is/{job}").status == 401


def test_post_without_csrf_token_is_refused(browser: webdriver.Chrome, stack: Stack) -> None:
    login(browser, stack)
    cookie = browser.get_cookie("evrak_oturum")
    assert cookie is not None and cookie["httpOnly"] and cookie.get("sameSite") == "Lax"
    headers = {"Cookie": f"evrak_oturum={cookie['value']}", "Content-Type": "application/x-www-form-urlencoded"}
    job = stack.job_id or "000000000000"
    resp = stack.request("POST", f"/basvuru/{job}/karar", "finding=x&action=overrule&comment=x", headers)
    assert resp.status == 400
    resp = stack.request("POST", "/toplu", "program=tr63-2023-makine&kind=taahhutname", headers)
    assert resp.status == 400
    # with the session cookie a GET works, so the 400s above are the missing token's doing
    assert stack.request("GET", "/", headers={"Cookie": headers["Cookie"]}).status == 200


def teardown_module() -> None:
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)


# --- issue 15: the deficiency cycle, search, export, roles, narrow screens, throttling ----------

def zip_completion(target: Path, documents: dict[str, Path], *, app: str = "TR63/23/FKD/MAKINE-0042") -> Path:
    """A completion package as an applicant sends it: tamamlama.yaml and only the documents asked for."""
    lines = [f"application_no: {app}", "documents:"] + [f"  {kind}: {p.name}" for kind, p in documents.items()]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{target.stem}/tamamlama.yaml", "\n".join(lines) + "\n")
        for p in documents.values():
            zf.write(p, arcname=f"{target.stem}/{p.name}")
    return target


def case_status(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.ID, "case-status").get_attribute("data-status")


def set_date_and_submit(driver: webdriver.Chrome, form: Any, day: str) -> None:
    """A date input's value set as the browser stores it (yyyy-mm-dd), whatever the display locale."""
    field = form.find_element(By.CSS_SELECTOR, "input[type=date]")
    driver.execute_script("arguments[0].value = arguments[1]", field, day)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def upload_and_wait(driver: webdriver.Chrome, package: Path, previous: str | None = None) -> str:
    driver.find_element(By.ID, "paket").send_keys(str(package))
    driver.find_element(By.ID, "upload-submit").click()
    wait(driver, lambda d: "/basvuru/" in d.current_url and (previous is None or previous not in d.current_url),
         WAIT_S, f"result of {package.name}")
    return driver.current_url.rsplit("/", 1)[1].split("#")[0]


def test_deficiency_completion_cycle(browser: webdriver.Chrome, stack: Stack, tmp_path_factory: pytest.TempPathFactory,
                                     downloads: Path) -> None:
    """Deficient package -> letter (window long closed) -> late completion, still deficient -> second letter
    (window open, countdown) -> completion in time -> pass -> concluded; letters kept in order."""
    from tests.web.conftest import SAMPLES, zip_folder

    tmp = tmp_path_factory.mktemp("cycle")
    samples = SAMPLES / "packages" / "tr63-2023-makine"
    login(browser, stack)
    browser.get(stack.base + "/yukle")
    first = upload_and_wait(browser, zip_folder(samples / "eksik-sgk-listesi", tmp / "eksik-sgk-listesi.zip"))
    assert browser.find_element(By.ID, "verdict").text == "Eksik"
    assert case_status(browser) == "incelemede"

    # letter 1, notified long ago: its completion window has closed
    browser.find_element(By.ID, "issue-letter").click()
    wait(browser, lambda d: case_status(d) == "eksik_yazisi_gonderildi", 120, "first letter issued")
    (item,) = browser.find_elements(By.CSS_SELECTOR, "#letters li")
    assert item.get_attribute("data-kind") == "eksik_evrak_yazisi"
    assert [a.text for a in item.find_elements(By.CSS_SELECTOR, "a.button")] == ["DOCX", "PDF"]
    set_date_and_submit(browser, item.find_element(By.TAG_NAME, "form"), "2026-10-01")
    wait(browser, lambda d: case_status(d) == "tamamlama_bekleniyor", 20, "waiting for completion")
    assert "önce doldu" in browser.find_element(By.ID, "countdown").text
    assert "Ekim 2026" in browser.find_element(By.ID, "completion-deadline").text

    # completion 1: late, and not what was asked for (still deficient)
    browser.find_element(By.ID, "upload-completion").click()
    kobi = zip_completion(tmp / "tamamlama-1.zip", {"kobi_beyannamesi": samples / "eksik-sgk-listesi" /
                                                    "kobi-beyannamesi.pdf"})
    second = upload_and_wait(browser, kobi, previous=first)
    assert browser.find_element(By.ID, "verdict").text == "Eksik"
    assert case_status(browser) == "tamamlandi"
    late = browser.find_element(By.CSS_SELECTOR, f"#submissions tr[data-job='{second}']")
    assert late.get_attribute("data-late") == "1" and "SÜRESİ DIŞINDA" in late.text and "alındı" in late.text
    screenshot(browser, "08-gec-tamamlama")

    # letter 2, notified today: the window is open and counts down
    browser.find_element(By.ID, "issue-letter").click()
    wait(browser, lambda d: case_status(d) == "eksik_yazisi_gonderildi", 120, "second letter issued")
    item = browser.find_elements(By.CSS_SELECTOR, "#letters li")[1]
    set_date_and_submit(browser, item.find_element(By.TAG_NAME, "form"), time.strftime("%Y-%m-%d"))
    wait(browser, lambda d: case_status(d) == "tamamlama_bekleniyor", 20, "second window")
    assert "kaldı" in browser.find_element(By.ID, "countdown").text
    screenshot(browser, "09-tamamlama-bekleniyor")

    # completion 2: only the missing SGK list, in time -> joined with what came before -> pass
    browser.find_element(By.ID, "upload-completion").click()
    sgk = zip_completion(tmp / "tamamlama-2.zip", {"sgk_calisan_listesi": samples / "gecerli" /
                                                   "sgk-calisan-listesi.pdf"})
    third = upload_and_wait(browser, sgk, previous=second)
    assert browser.find_element(By.ID, "verdict").text == "Uygun"
    assert case_status(browser) == "tamamlandi"
    row = browser.find_element(By.CSS_SELECTOR, f"#submissions tr[data-job='{third}']")
    assert "süresinde" in row.text and row.get_attribute("data-late") is None
    assert "sgk-calisan-listesi.pdf" in browser.find_element(By.ID, "documents").text  # the joined package
    browser.find_element(By.ID, "conclude").click()
    wait(browser, lambda d: case_status(d) == "sonuclandi", 20, "concluded")
    letters = browser.find_elements(By.CSS_SELECTOR, "#letters li")
    assert [li.get_attribute("data-kind") for li in letters] == ["eksik_evrak_yazisi"] * 2
    screenshot(browser, "10-sonuclandi")
    before = set(os.listdir(downloads))
    letters[0].find_element(By.LINK_TEXT, "DOCX").click()
    first_letter = wait_download(downloads, ".docx", before)
    text = "\n".join(p.text for p in docx.Document(str(first_letter)).paragraphs)
    assert "TR63/23/FKD/MAKINE-0042" in text or "MAKINE-0042" in "".join(
        c.text for t in docx.Document(str(first_letter)).tables for r in t.rows for c in r.cells)
    # the earlier submissions stay as they were (D34)
    browser.get(f"{stack.base}/basvuru/{first}")
    assert browser.find_element(By.ID, "verdict").text == "Eksik" and browser.find_elements(By.ID, "not-latest")


def test_search_sort_and_export(browser: webdriver.Chrome, stack: Stack, downloads: Path) -> None:
    import openpyxl

    login(browser, stack)
    for query in ("makine-0042", "ZEYNEP ÇELİK", "zeynep celik", "1234567890"):
        browser.get(stack.base + "/")
        box = browser.find_element(By.ID, "search")
        box.clear()
        box.send_keys(query)
        browser.find_element(By.ID, "search-submit").click()
        wait(browser, lambda d: "q=" in d.current_url, 20, "search results")
        rows = browser.find_elements(By.CSS_SELECTOR, "#applications tbody tr")
        assert [r.get_attribute("data-application-no") for r in rows] == ["TR63/23/FKD/MAKINE-0042"], query
    browser.get(stack.base + "/?q=boyle-bir-firma-yok")
    assert not browser.find_elements(By.CSS_SELECTOR, "#applications tbody tr")
    assert "uyan başvuru yok" in browser.find_element(By.CSS_SELECTOR, "p.empty").text
    browser.get(stack.base + "/?q=makine&sirala=alindi&yon=azalan")
    assert Select(browser.find_element(By.ID, "sort")).first_selected_option.text == "Alındı"
    before = set(os.listdir(downloads))
    browser.find_element(By.ID, "export-xlsx").click()
    sheet = openpyxl.load_workbook(wait_download(downloads, ".xlsx", before)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Başvuru No", "Başvuru sahibi", "VKN"]
    assert [v[0] for v in values[1:]] == ["TR63/23/FKD/MAKINE-0042"]
    assert values[1][4] == "Sonuçlandı"  # the cycle test concluded it
    before = set(os.listdir(downloads))
    browser.find_element(By.ID, "letters-zip").click()
    with zipfile.ZipFile(wait_download(downloads, ".zip", before)) as z:
        names = sorted(z.namelist())
    # both deficiency letters issued in the cycle, in order, each as DOCX and PDF
    assert [n.split("/")[0] for n in names] == ["TR63-23-FKD-MAKINE-0042"] * 4
    assert [n.split("/")[1][:3] + n.rsplit(".", 1)[1] for n in names] == ["01-docx", "01-pdf", "02-docx", "02-pdf"]


def login_as(driver: webdriver.Chrome, stack: Stack, user: str, password: str) -> None:
    driver.get(stack.base + "/")
    if "/giris" not in driver.current_url:
        driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
        wait(driver, lambda d: "/giris" in d.current_url, 20, "logged out")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    wait(driver, lambda d: "/giris" not in d.current_url, 20, f"{user} logged in")


def test_read_only_user_cannot_decide(browser: webdriver.Chrome, stack: Stack) -> None:
    assert stack.job_id, "test_review_flow made the application"
    login_as(browser, stack, READER, READER_PASSWORD)
    try:
        browser.get(f"{stack.base}/basvuru/{stack.job_id}")
        assert browser.find_element(By.ID, "who").get_attribute("data-role") == "salt_okuma"
        assert not browser.find_elements(By.CSS_SELECTOR, "form.decision-form")
        assert browser.find_elements(By.CSS_SELECTOR, "p.read-only")
        assert not browser.find_elements(By.ID, "issue-letter") and not browser.find_elements(By.ID, "assign-form")
        token = browser.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
        status = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {method: 'POST', credentials: 'same-origin', body: new URLSearchParams("
            "{csrf_token: arguments[1], finding: 'x', action: 'overrule', reason: 'sorun_yok', comment: 'x'})})"
            ".then(r => done(r.status));", f"{stack.base}/basvuru/{stack.job_id}/karar", token)
        assert status == 403
        browser.get(stack.base + "/denetim")
        assert "yetkiniz yok" in browser.find_element(By.TAG_NAME, "main").text
    finally:
        login_as(browser, stack, USER, PASSWORD)
    browser.get(stack.base + "/denetim")
    actions = {r.get_attribute("data-action") for r in browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr")}
    assert {"view", "decision", "letter", "download", "login"} <= actions


def test_layout_on_real_screens(browser: webdriver.Chrome, stack: Stack) -> None:
    """1366x768: a review finding's decision form sits beside it; 390 px: nothing wider than the screen."""
    login(browser, stack)
    try:
        browser.set_window_size(1366, 768)
        browser.get(f"{stack.base}/basvuru/{stack.job_id}")
        art = finding(browser, "SIGNATURE_TIME_UNPROVEN")
        body, form = art.find_element(By.CSS_SELECTOR, ".finding-body"), art.find_element(By.CSS_SELECTOR,
                                                                                           "details.decide")
        assert form.rect["x"] >= body.rect["x"] + body.rect["width"] - 2, (body.rect, form.rect)
        assert abs(form.rect["y"] - body.rect["y"]) < 40
        browser.save_screenshot(str(ARTIFACTS / "11-1366x768-basvuru.png"))
        for width, name in ((390, "12-390-basvuru"), (683, "13-683-basvuru")):
            browser.set_window_size(width, 844)
            for path, tag in ((f"/basvuru/{stack.job_id}", ""), ("/", "-liste")):
                browser.get(stack.base + path)
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 1, (width, path, overflow)
                browser.save_screenshot(str(ARTIFACTS / f"{name}{tag}.png"))
            wrapped = browser.execute_script(
                "return [...document.querySelectorAll('table.list')].every(t => t.closest('.scroll'))")
            assert wrapped  # wide tables scroll inside their own box
    finally:
        browser.set_window_size(1366, 1000)


def test_throttling_behind_the_proxy(browser: webdriver.Chrome, stack: Stack) -> None:
    """The server trusts 127.0.0.1 as its proxy: failures from one client address slow that address down
    for that account only; the same account from another address logs in at once."""
    def from_address(addr: str) -> None:
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"X-Forwarded-For": addr}})

    def attempt(password: str) -> str:
        browser.get(stack.base + "/giris")
        browser.find_element(By.ID, "username").send_keys(USER)
        browser.find_element(By.ID, "password").send_keys(password)
        browser.find_element(By.ID, "login-submit").click()
        wait(browser, lambda d: d.execute_script("return document.readyState") == "complete", 20, "answer")
        flashes = browser.find_elements(By.CSS_SELECTOR, "p.flash.error")
        return flashes[0].text if flashes else ""

    browser.get(stack.base + "/")
    if "/giris" not in browser.current_url:
        browser.find_element(By.CSS_SELECTOR, "form.logout button").click()
    try:
        from_address("203.0.113.7")
        for _ in range(4):
            assert "parola yanlış" in attempt("yanlış-parola")
        assert "hatalı deneme" in attempt(PASSWORD)  # the right password waits too, from this address
        assert "/giris" in browser.current_url
        from_address("198.51.100.20")  # a colleague behind the same proxy
        assert attempt(PASSWORD) == ""
        assert "/giris" not in browser.current_url
    finally:
        browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})
    # counters are in the store: the blocked pair is recorded with the client address, not the proxy's
    import sqlite3

    con = sqlite3.connect(stack.home / "evrak.db")
    keys = [k for (k,) in con.execute("select key from evrak_login_failures")]
    con.close()
    assert keys == [f"{USER}|203.0.113.7"]
