"""D34 through the real service: every submission of one application keeps its own result.

Four different packages with one application number, dropped into the inbox together, are
processed by a real `evrak worker` (embedded broker) into four result folders; the job
table, `evrak jobs`, `evrak status <application no>` and the web page all show the four,
in order, each with its own report. Then a completion (tamamlama.yaml with only the
missing document) sent with `evrak submit --completes` is joined with the earlier package
and screened again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.service.conftest import MANIFEST, Service, safe, tiny_pdf, wait_for

APP = "TR63/23/FKD/AYNI-0001"


def _package(folder: Path, minute: int) -> Path:
    """A valid package of APP; the submission time differs, so the four are not duplicates."""
    folder.mkdir(parents=True)
    text = MANIFEST.format(app_no=APP, documents="  taahhutname: taahhutname.pdf").replace(
        "2023-02-15T14:32:00", f"2023-02-15T14:{minute:02d}:00")
    (folder / "basvuru.yaml").write_text(text, encoding="utf-8")
    (folder / "taahhutname.pdf").write_bytes(tiny_pdf(f"Taahhütname {APP}"))
    return folder


@pytest.mark.slow
def test_four_packages_of_one_application_are_four_kept_results(make_service, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    service: Service = make_service()
    packages = [_package(tmp_path / "staging" / f"paket-{i}", 10 + i) for i in range(4)]
    service.worker(2)
    service.watcher()
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the drop folder")
    service.drop_all(packages)
    try:
        wait_for(lambda: service.states().get("done", 0) >= 4, 120, "four done jobs", step=0.3)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None

    store = service.store
    subs = store.submissions(APP)
    assert len(subs) == 4 and all(j.state == "done" and j.application_no == APP for j in subs)
    folders = [Path(next(o for o in j.outputs if o.endswith("report.json"))).parent for j in subs]
    assert len(set(folders)) == 4  # four folders, none replaced
    assert sorted(p.name for p in (service.drop / "outbox" / safe(APP)).iterdir()) == sorted(j.id for j in subs)
    for job, folder in zip(subs, folders, strict=True):
        assert folder == service.drop / "outbox" / safe(APP) / job.id
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert report["package_sha256"] == job.input_sha256  # each result is its own package's
    assert len({j.input_sha256 for j in subs}) == 4
    # linked by application no, in order of receipt; an explicit link only ever points back
    assert subs[0].completes is None
    order = [j.id for j in subs]
    assert all(order.index(j.completes) < order.index(j.id) for j in subs if j.completes)

    # the CLI agrees: jobs for the application, and the application's status lists all four in order
    r = service.cli("jobs", "--json", "--application", APP)
    assert r.returncode == 0, r.stderr
    assert sorted(j["id"] for j in json.loads(r.stdout)) == sorted(j.id for j in subs)
    r = service.cli("status", APP, "--json")
    assert r.returncode == 0, r.stderr
    app = json.loads(r.stdout)["application"]
    assert [s["job"] for s in app["submissions"]] == [j.id for j in subs]
    assert app["status"] == "incelemede" and [s["number"] for s in app["submissions"]] == [1, 2, 3, 4]
    r = service.cli("status", APP)
    assert r.returncode == 0 and r.stdout.count(" başvuru ") >= 1 and all(j.id in r.stdout for j in subs)

    # the page agrees: every submission's own page, each listing the four
    from tests.web.conftest import PASSWORD, USER, csrf_of
    from worker.web.app import create_app
    from worker.web.users import add_user

    monkeypatch.setenv("EVRAK_HOME", str(service.home))
    monkeypatch.setenv("EVRAK_USERS_FILE", str(tmp_path / "users.toml"))
    add_user(tmp_path / "users.toml", USER, PASSWORD)
    client = create_app().test_client()
    token = csrf_of(client.get("/giris").text)
    assert client.post("/giris", data={"username": USER, "password": PASSWORD, "csrf_token": token}).status_code == 302
    listing = client.get("/").text
    assert listing.count(f'data-application-no="{APP}"') == 1 and "4 gönderim" in listing
    for job in subs:
        page = client.get(f"/basvuru/{job.id}").text
        assert all(f'data-job="{j.id}"' in page for j in subs)
        assert f'data-job="{job.id}" class="current"' in page
        assert client.get(f"/basvuru/{job.id}/rapor.json").status_code == 200


@pytest.mark.slow
def test_completion_with_only_the_missing_document_is_joined(make_service, tmp_path: Path) -> None:
    """`evrak submit --completes JOB` with tamamlama.yaml: joined with the earlier package, screened again."""
    service: Service = make_service()
    first = tmp_path / "ilk"
    first.mkdir()
    text = MANIFEST.format(app_no=APP, documents="  taahhutname: taahhutname.pdf")
    (first / "basvuru.yaml").write_text(text, encoding="utf-8")
    (first / "taahhutname.pdf").write_bytes(tiny_pdf(f"Taahhütname {APP}"))
    service.worker(1)
    r = service.cli("submit", str(first), "--wait", "120")
    assert r.returncode == 0, r.stdout + r.stderr + service.log_tail()
    base = service.store.submissions(APP)[0]
    before = json.loads(Path(next(o for o in base.outputs if o.endswith("report.json"))).read_text("utf-8"))
    assert "imza-sirkuleri.pdf" not in {d.get("file") for d in before.get("documents", [])}

    comp = tmp_path / "tamamlama"
    comp.mkdir()
    (comp / "tamamlama.yaml").write_text(
        f"application_no: {APP}\nsubmitted_at: 2023-02-20T10:00:00+03:00\n"
        "documents:\n  imza_sirkuleri: imza-sirkuleri.pdf\n", encoding="utf-8")
    (comp / "imza-sirkuleri.pdf").write_bytes(tiny_pdf(f"İmza sirküleri {APP}"))
    r = service.cli("submit", str(comp), "--completes", base.id[:8], "--wait", "120")
    assert r.returncode == 0, r.stdout + r.stderr + service.log_tail()
    second = service.store.submissions(APP)[-1]
    assert second.state == "done" and second.completes == base.id
    assert second.received_at is not None and second.received_at.isoformat() == "2023-02-20T07:00:00+00:00"
    joined = Path(next(o for o in second.outputs if o.endswith("/paket")))
    assert sorted(p.name for p in joined.iterdir()) == ["basvuru.yaml", "imza-sirkuleri.pdf", "taahhutname.pdf"]
    manifest = (joined / "basvuru.yaml").read_text(encoding="utf-8")
    assert "imza-sirkuleri.pdf" in manifest and "2100000.00" in manifest  # money kept as written
    # the earlier result is untouched
    assert Path(next(o for o in base.outputs if o.endswith("report.json"))).is_file()

    # a completion naming another application is refused with its reason, the package kept
    bad = tmp_path / "yanlis"
    bad.mkdir()
    (bad / "tamamlama.yaml").write_text("application_no: TR63/23/FKD/BASKA-9\ndocuments:\n  x: x.pdf\n",
                                        encoding="utf-8")
    (bad / "x.pdf").write_bytes(tiny_pdf("x"))
    r = service.cli("submit", str(bad), "--completes", base.id, "--wait", "60")
    assert r.returncode == 1 and "BASKA-9 başvurusuna ait" in r.stdout, r.stdout

    # the same through the drop folder: a completion folder naming only its application no
    # completes the latest submission (the CLI's completion above), building on its joined package
    service.watcher()
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the drop folder")
    drop = tmp_path / "tamamlama-2"
    drop.mkdir()
    (drop / "tamamlama.yaml").write_text(f"application_no: {APP}\ndocuments:\n  kobi_beyannamesi: kobi.pdf\n",
                                         encoding="utf-8")
    (drop / "kobi.pdf").write_bytes(tiny_pdf(f"KOBİ beyannamesi {APP}"))
    service.drop_all([drop])
    third = wait_for(lambda: [j for j in service.store.submissions(APP) if j.input_name == "tamamlama-2"
                              and j.state == "done"], 120, "the dropped completion", step=0.3)[0]
    assert third.completes == second.id
    joined = Path(next(o for o in third.outputs if o.endswith("/paket")))
    assert sorted(p.name for p in joined.iterdir()) == ["basvuru.yaml", "imza-sirkuleri.pdf", "kobi.pdf",
                                                        "taahhutname.pdf"]
