"""What the fuzz run found, kept as fast tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from evrak.errors import UserError
from verifiers.package import open_package


@pytest.mark.parametrize(("members", "expected"), [
    ({"paket/basvuru.yaml": "program: [\n"}, "bozuk.zip/paket/basvuru.yaml, satır 2: YAML sözdizimi hatası"),
    ({"ic/ic.zip": "PK"}, "bozuk.zip: paketin içinde basvuru.yaml"),
])
def test_zip_errors_name_the_zip_not_a_temporary_folder(tmp_path: Path, members: dict, expected: str) -> None:
    z = tmp_path / "bozuk.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    with pytest.raises(UserError) as info, open_package(z):
        pass
    assert str(info.value).startswith(expected), str(info.value)
    assert "/tmp/" not in str(info.value) and "evrak-pkg" not in str(info.value)
