"""tamamlama.yaml: what a completion package says, and the clear Turkish errors when it is wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from evrak.errors import UserError
from worker.completion import is_completion, open_completion, parse_note


def test_a_note_is_read_with_times_in_istanbul() -> None:
    note = parse_note("application_no: TR63/23/FKD/MAKINE-0042\ncompletes: abc123\n"
                      "submitted_at: 2023-03-02T10:15:00\ndocuments:\n  sgk_calisan_listesi: [a.pdf, b.pdf]\n")
    assert note.application_no == "TR63/23/FKD/MAKINE-0042" and note.completes == "abc123"
    assert note.documents == {"sgk_calisan_listesi": ["a.pdf", "b.pdf"]}
    assert note.submitted_at is not None and note.submitted_at.utcoffset().total_seconds() == 3 * 3600


@pytest.mark.parametrize(("text", "words"), [
    ("documents:\n  x: a.pdf\n", "application_no"),
    ("application_no: A-1\n", "documents"),
    ("application_no: A-1\ndocuments:\n  x: ../../etc/passwd\n", "geçersiz dosya yolu"),
    ("application_no: A-1\nbasvuru_no: 2\ndocuments:\n  x: a.pdf\n", "bilinmeyen alan: basvuru_no"),
    ("application_no: A-1\nsubmitted_at: dün\ndocuments:\n  x: a.pdf\n", "ISO"),
    ("- bir\n- liste\n", "eşleme"),
])
def test_a_wrong_note_names_its_field(text: str, words: str) -> None:
    with pytest.raises(UserError) as err:
        parse_note(text)
    assert words in str(err.value) and "tamamlama.yaml" in str(err.value)


def test_files_named_must_be_in_the_package(tmp_path: Path) -> None:
    z = tmp_path / "tamamlama.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("t/tamamlama.yaml", "application_no: A-1\ndocuments:\n  sgk_calisan_listesi: sgk.pdf\n")
        zf.writestr("t/baska.pdf", b"%PDF-1.4\n")
    assert is_completion(z)
    with pytest.raises(UserError, match=r"dosya tamamlama paketinde yok: sgk\.pdf"), open_completion(z):
        pass
    full = tmp_path / "paket.zip"
    with zipfile.ZipFile(full, "w") as zf:
        zf.writestr("p/basvuru.yaml", "program: x\n")
        zf.writestr("p/tamamlama.yaml", "application_no: A-1\n")
    assert not is_completion(full)  # a whole package is screened as a package
