"""Without ../shared next to the repository, tests that need it skip and say why (issue 14 item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import conftest


def test_missing_shared_fixtures_skip_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "SHARED_FIXTURES", tmp_path / "shared" / "fixtures")
    with pytest.raises(pytest.skip.Exception) as exc:
        conftest.shared_path("esign")
    assert "../shared/fixtures" in str(exc.value) and "esign" in str(exc.value)


def test_present_shared_fixtures_are_returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "esign").mkdir()
    monkeypatch.setattr(conftest, "SHARED_FIXTURES", tmp_path)
    assert conftest.shared_path("esign") == tmp_path / "esign"
