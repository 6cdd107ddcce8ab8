"""Bad input loses nothing: a corrupted document, an unsafe zip, a broken manifest."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from evrak.errors import UserError
from verifiers.package import sha256_of
from worker.pipeline import process_package

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "samples" / "packages" / "tr63-2023-makine" / "gecerli"
TRUST = ROOT / "samples" / "trust"
DOCS = sorted(p.name for p in VALID.iterdir() if p.suffix == ".pdf")


@pytest.mark.parametrize("name", DOCS)
def test_any_one_corrupted_document_still_gives_a_full_report(name, tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(VALID, pkg)
    data = (pkg / name).read_bytes()
    (pkg / name).write_bytes(data[: len(data) // 3])
    before = sha256_of(pkg)
    result = process_package(pkg, tmp_path / "out", trust_dir=TRUST, pdf=False)
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    assert sha256_of(pkg) == before, "the package is never changed"
    assert report["verdict"] in ("review", "deficient", "reject")
    about = [f for f in report["findings"] if any(e.get("file") == name for e in f["evidence"])
             or name in f["message"]]
    assert about, f"no finding names {name}"
    assert any(f["severity"] in ("review", "reject", "deficient") for f in about)
    assert len(report["checklist"]) == 21  # both 002 checklists answered in full (13 + 8)


def _zip(path: Path, members: dict[str, bytes], *, link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def test_valid_zip_is_processed_and_left_untouched(tmp_path):
    z = tmp_path / "paket.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in VALID.iterdir():
            zf.write(p, f"gecerli/{p.name}")
    before = z.read_bytes()
    result = process_package(z, tmp_path / "out", trust_dir=TRUST, pdf=False)
    assert result.verdict == "pass"
    assert z.read_bytes() == before


@pytest.mark.parametrize(("members", "link", "words"), [
    ({"../evil.txt": b"x", "basvuru.yaml": b"program: x"}, None, "'..'"),
    ({"/etc/evil": b"x"}, None, "mutlak yol"),
    ({"basvuru.yaml": b"program: x"}, "link.pdf", "symlink"),
])
def test_unsafe_zip_refused_whole(tmp_path, members, link, words):
    z = _zip(tmp_path / "kotu.zip", members, link=link)
    with pytest.raises(UserError, match=words) as exc:
        process_package(z, tmp_path / "out", pdf=False)
    assert "kotu.zip" in str(exc.value)
    assert z.exists() and not (tmp_path / "out" / "evil.txt").exists()


def test_too_many_files_refused(tmp_path, monkeypatch):
    import verifiers.package as package

    monkeypatch.setattr(package, "MAX_FILES", 5)
    z = _zip(tmp_path / "cok.zip", {f"f{i}.pdf": b"%PDF" for i in range(6)})
    with pytest.raises(UserError, match="6 dosya"):
        process_package(z, tmp_path / "out", pdf=False)


def test_broken_manifest_names_file_field_line(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(VALID, pkg)
    text = (pkg / "basvuru.yaml").read_text(encoding="utf-8")
    (pkg / "basvuru.yaml").write_text(text.replace("credit: '1300000.00'", "credit: bir milyon"), encoding="utf-8")
    with pytest.raises(UserError) as exc:
        process_package(pkg, tmp_path / "out", pdf=False)
    msg = str(exc.value)
    assert "basvuru.yaml" in msg and "financing.credit" in msg and "satır" in msg
    assert (pkg / "basvuru.yaml").exists() and len(os.listdir(pkg)) == len(os.listdir(VALID))


def test_results_replace_atomically_on_rerun(tmp_path):
    r1 = process_package(VALID, tmp_path, trust_dir=TRUST, pdf=False)
    r2 = process_package(VALID, tmp_path, trust_dir=TRUST, pdf=False)
    assert r1.out_dir == r2.out_dir
    assert [p.name for p in tmp_path.iterdir()] == [r1.out_dir.name]  # no temp folders left behind


@pytest.mark.slow
def test_concurrent_results_for_one_application_no(tmp_path):
    """Two processes storing results for the same application no: both succeed, one folder stays."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(process_package, VALID, tmp_path, trust_dir=TRUST, pdf=False) for _ in range(6)]
        results = [f.result() for f in futures]
    assert {r.out_dir for r in results} == {tmp_path / "TR63-23-FKD-MAKINE-0042"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TR63-23-FKD-MAKINE-0042"]
    assert (tmp_path / "TR63-23-FKD-MAKINE-0042" / "report.json").exists()
