"""Benchmark of e-signature verification (not a test): `python bench/bench_esign.py`.

Measures the median time of `verify_signed_file` on a one-page taahhütname signed with a
timestamp (PAdES B-T, test PKI, CRLs supplied), the same for a CAdES .imz around it, a
single-signature .imz in BER, a detached .p7s with its content, and the worst case over the
public fixtures in ../shared/fixtures/esign (skipped when absent). Target: 50 ms median per
single-signature document. The trust material is loaded once (it is cached by the verifier,
as in the service), so the numbers are those of a warm worker.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testing.testdocs import make_taahhutname  # noqa: E402
from testing.testpki import TestTSA, build_test_pki, detach, make_cades, sign_pdf, to_ber  # noqa: E402
from verifiers.signatures.verify import verify_signed_file  # noqa: E402

FIXTURES = ROOT / ".." / "shared" / "fixtures" / "esign"


CPU: list[float] = []  # CPU milliseconds of the last timed() call, per run


def timed(path: Path, runs: int, **kwargs) -> list[float]:
    """Wall-clock milliseconds per run; the CPU milliseconds (all threads of this process)
    go to CPU, the figure that does not depend on how busy the machine is."""
    out = []
    CPU.clear()
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        verify_signed_file(path, **kwargs)
        out.append((time.perf_counter() - t) * 1000)
        CPU.append((time.process_time() - c) * 1000)
    return out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        pki = build_test_pki(tmp_path / "pki")
        with TestTSA(pki) as tsa:
            signed = sign_pdf(make_taahhutname(), pki, "ahmet", tsa=tsa)
            imz = make_cades(signed, pki, "mehmet", tsa=tsa)
            single = make_cades(make_taahhutname(), pki, "ahmet", tsa=tsa)
        p7s, content = detach(single)
        ber_path = tmp_path / "tek.imz"
        ber_path.write_bytes(to_ber(single))
        p7s_path = tmp_path / "tek.pdf.p7s"
        p7s_path.write_bytes(p7s)
        (tmp_path / "tek.pdf").write_bytes(content)
        pdf_path = tmp_path / "taahhutname.pdf"
        pdf_path.write_bytes(signed)
        imz_path = tmp_path / "taahhutname.pdf.imz"
        imz_path.write_bytes(imz)
        kwargs = {"trust_dir": pki.trust_dir, "crl_files": pki.crl_files}

        timed(pdf_path, 3, **kwargs)  # warm-up: imports, trust cache
        pdf_ms = timed(pdf_path, runs, **kwargs)
        pdf_cpu = statistics.median(CPU)
        imz_ms = timed(imz_path, max(10, runs // 2), **kwargs)
        print(f"one-page PAdES B-T, {runs} runs: median {statistics.median(pdf_ms):.1f} ms, "
              f"p90 {sorted(pdf_ms)[int(0.9 * len(pdf_ms)) - 1]:.1f} ms, max {max(pdf_ms):.1f} ms; "
              f"CPU median {pdf_cpu:.1f} ms")
        print(f".imz around it (CAdES + inner PAdES), {len(imz_ms)} runs: "
              f"median {statistics.median(imz_ms):.1f} ms; CPU median {statistics.median(CPU):.1f} ms")
        ber_ms = timed(ber_path, runs, **kwargs)
        print(f"single-signature CAdES .imz in BER, {runs} runs: median {statistics.median(ber_ms):.1f} ms; "
              f"CPU median {statistics.median(CPU):.1f} ms")
        p7s_ms = timed(p7s_path, runs, content_file=tmp_path / "tek.pdf", **kwargs)
        print(f"detached .p7s with its content, {runs} runs: median {statistics.median(p7s_ms):.1f} ms; "
              f"CPU median {statistics.median(CPU):.1f} ms")

        if not FIXTURES.is_dir():
            print(f"fixtures skipped: {FIXTURES} not found (the repository alone)")
            return

        worst = ("", 0.0)
        for p in sorted(FIXTURES.iterdir()):
            if p.suffix not in {".pdf", ".p7m"}:
                continue
            ms = timed(p, 5, **kwargs)
            med = statistics.median(ms)
            print(f"  fixture {p.name}: median {med:.1f} ms, max {max(ms):.1f} ms")
            if max(ms) > worst[1]:
                worst = (p.name, max(ms))
        print(f"worst case over the fixtures: {worst[1]:.1f} ms ({worst[0]})")


if __name__ == "__main__":
    main()
