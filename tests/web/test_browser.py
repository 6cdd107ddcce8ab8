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
               EVRAK_WEB_BATCH_CHUNK_ROWS="2", EVRAK_WORKER_SWEEP="0", PYTHONUNBUFFERED="1")
    py = [sys.executable, "-m", "worker.cli"]
    subprocess.run([*py, "users", "add", USER, "--password-stdin", "--display-name", "Ayşe Yılmaz"],
                   input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True)
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
