"""D29: broken, hostile and mutated inputs give a report (cannot verify), never a crash,
a hang or a valid signature."""

from __future__ import annotations

import json
import random
import re
import time

import pytest

from evrak.findings import Verdict
from testing.testdocs import flip_byte
from testing.testpki import make_cades, sign_pdf
from verifiers.signatures.report import SignedFileReport
from verifiers.signatures.trust import TrustConfigError
from verifiers.signatures.verify import verify_signed_file


@pytest.fixture(scope="module")
def signed(pki, tsa, taahhutname) -> bytes:
    return sign_pdf(taahhutname, pki, "ahmet", tsa=tsa)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bos.pdf", b""),
        ("cop.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20),
        ("cop.imz", b"\x30\x82\xff\xff" + b"\x00" * 100),
        ("metin.imz", b"bu bir imza dosyasi degil"),
        ("rastgele.bin", random.Random(7).randbytes(4096)),
    ],
)
def test_garbage_is_unreadable(verify, name, data):
    rep = verify(name, data)
    assert "SIGNATURE_UNREADABLE" in rep.rules
    assert rep.verdict == Verdict.REVIEW
    assert not any(s.cryptographically_ok for s in rep.signatures)


def test_truncated_signed_pdf(verify, signed):
    for cut in (len(signed) // 3, len(signed) // 2, len(signed) - 10):
        rep = verify("kesik.pdf", signed[:cut])
        assert rep.verdict != Verdict.PASS
        assert rep.rules & {"SIGNATURE_UNREADABLE", "SIGNATURE_INVALID", "SIGNATURE_MISSING"}
        assert not any(s.cryptographically_ok for s in rep.signatures)


def test_truncated_imz(verify, pki, taahhutname):
    imz = make_cades(taahhutname, pki, "ahmet")
    rep = verify("kesik.imz", imz[: len(imz) // 2])
    assert rep.rules == {"SIGNATURE_UNREADABLE"}


def test_missing_file_is_a_report(pki, tmp_path):
    rep = verify_signed_file(tmp_path / "yok.pdf", trust_dir=pki.trust_dir)
    assert rep.rules == {"SIGNATURE_UNREADABLE"}


def test_missing_trust_dir_is_the_callers_error(tmp_path, signed):
    (tmp_path / "t.pdf").write_bytes(signed)
    with pytest.raises(TrustConfigError, match="kök sertifika klasörü"):
        verify_signed_file(tmp_path / "t.pdf", trust_dir=tmp_path / "yok")


def test_time_limit(verify, signed):
    """A validation that overruns its time limit is reported, not waited for."""
    started = time.perf_counter()
    rep = verify("t.pdf", signed, timeout_s=0.0001)
    assert time.perf_counter() - started < 20  # hang guard
    assert rep.rules == {"SIGNATURE_UNREADABLE"}
    assert "saniyede bitmedi" in rep.findings[0].message


def _signed_ranges(pdf: bytes) -> list[tuple[int, int]]:
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert m, "no /ByteRange"
    a, b, c, d = map(int, m.groups())
    return [(a, a + b), (c, c + d)]


@pytest.mark.slow
def test_fuzz_mutations(pki, tsa, taahhutname, signed, fixtures_dir, tmp_path):
    """A bounded mutation loop (fixed seed): every input gives a report; a mutation inside
    the signed bytes of a single-signature file is never reported valid."""
    rng = random.Random(20240223)
    imz = make_cades(taahhutname, pki, "ahmet", tsa=tsa)
    imz_content = (imz.index(taahhutname), imz.index(taahhutname) + len(taahhutname))
    own = {
        "own.pdf": (signed, _signed_ranges(signed)),
        "own.imz": (imz, [imz_content]),
    }
    corpus = {p.name: p.read_bytes() for p in sorted(fixtures_dir.iterdir()) if p.suffix in {".pdf", ".p7m"}}
    corpus.update({k: v[0] for k, v in own.items()})
    # a clean baseline: both own files are valid before mutation, or the invariant proves nothing
    for name, (data, _) in own.items():
        (tmp_path / name).write_bytes(data)
        base = verify_signed_file(tmp_path / name, trust_dir=pki.trust_dir, crl_files=pki.crl_files)
        assert base.verdict == Verdict.PASS, (name, [f.message for f in base.findings])

    names = sorted(corpus)
    started = time.perf_counter()
    checked_signed = 0
    for i in range(400):
        name = names[i % len(names)] if i < 100 else rng.choice(["own.pdf", "own.imz", *names])
        data = corpus[name]
        kind = rng.choice(["flip", "flip", "truncate", "insert", "zero", "dup"])
        in_signed = False
        if name in own and rng.random() < 0.6:
            lo, hi = rng.choice(own[name][1])
            pos = rng.randrange(lo, hi)
            mutated, in_signed = flip_byte(data, pos), True
        elif kind == "flip":
            mutated = flip_byte(data, rng.randrange(len(data)))
        elif kind == "truncate":
            mutated = data[: rng.randrange(len(data))]
        elif kind == "insert":
            pos = rng.randrange(len(data))
            mutated = data[:pos] + rng.randbytes(rng.randint(1, 64)) + data[pos:]
        elif kind == "zero":
            pos = rng.randrange(len(data))
            mutated = data[:pos] + b"\x00" * rng.randint(1, 256) + data[pos + 256 :]
        else:
            a = rng.randrange(len(data))
            mutated = data[:a] + data[a : a + rng.randint(1, 512)] + data[a:]
        path = tmp_path / f"m{i}{'.imz' if name.endswith(('.imz', '.p7m')) else '.pdf'}"
        path.write_bytes(mutated)
        rep = verify_signed_file(path, trust_dir=pki.trust_dir, crl_files=pki.crl_files, timeout_s=10)
        assert isinstance(rep, SignedFileReport)
        assert not any("saniyede bitmedi" in f.message for f in rep.findings), (name, kind)
        json.dumps(rep.to_dict())
        rep.render_text()
        if in_signed:
            checked_signed += 1
            assert rep.verdict != Verdict.PASS, (name, i)
            assert not any(s.cryptographically_ok for s in rep.signatures), (name, i)
    assert checked_signed > 30
    assert time.perf_counter() - started < 60
