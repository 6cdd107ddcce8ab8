"""A bounded fuzz run over manifests, zipped packages, PDFs, page images and e-Fatura XML.

Seeded mutations of the sample packages plus a fixed list of hostile constructions (YAML
alias bombs, XML entities, a 14,400 pt page, image header bombs, zip bombs and path tricks),
each fed to the part of evrak that reads it, in a child process with RLIMIT_DATA = 2 GB (why
not RLIMIT_AS: tests/fuzz/harness.py) and a 60 s watchdog per input. Passes when every input ends in facts
and findings or a UserError (one Turkish line, exit 2 at the CLI): no other exception, no
hang, no crash. EVRAK_FUZZ_SEED / EVRAK_FUZZ_SCALE change the seed and the counts.

Failing inputs are kept under the test's tmp folder (the assertion names them).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from tests.fuzz.corpus import build
from tests.fuzz.harness import GB, run_all

SEED = int(os.environ.get("EVRAK_FUZZ_SEED", "1717"))
SCALE = float(os.environ.get("EVRAK_FUZZ_SCALE", "1"))
COUNTS = {k: max(1, int(v * SCALE)) for k, v in
          {"manifest": 60, "xml": 40, "pdf": 24, "image": 6, "zip": 8}.items()}
LIMIT_S = 60.0
MEMORY = 2 * GB


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_fuzz_no_exception_no_hang_within_memory(tmp_path: Path) -> None:
    jobs = build(tmp_path / "girdiler", SEED, COUNTS)
    results = run_all(jobs, tmp_path / "calisma", limit_s=LIMIT_S, mem_bytes=MEMORY)
    (tmp_path / "sonuclar.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    by_kind = Counter((r["kind"], r["outcome"]) for r in results)
    slowest = max(results, key=lambda r: r.get("seconds", 0))
    biggest = max(results, key=lambda r: r.get("peak_rss_mb", 0))
    warned = Counter(w for r in results for w in r.get("warnings", []))
    print(f"\nfuzz seed {SEED}: {len(results)} inputs; " + ", ".join(f"{k}/{o} {n}" for (k, o), n in
                                                                sorted(by_kind.items())))
    print(f"slowest {slowest.get('seconds')} s ({slowest['name']}), peak RSS {biggest.get('peak_rss_mb')} MB "
          f"({biggest['name']})")
    for w, n in warned.most_common(5):
        print(f"warning x{n}: {w}")

    bad = [r for r in results if r["outcome"] not in ("ok", "user_error")]
    assert not bad, "\n\n".join(
        f"{r['kind']} {r['path']} ({r['name']}): {r['outcome']}: {r.get('detail')}\n{r.get('traceback', '')[-1500:]}"
        for r in bad)
    assert len(results) == len(jobs) == sum(COUNTS.values()) + len(
        [j for j in jobs if j["name"].startswith("hostile-")])
    assert biggest.get("peak_rss_mb", 0) < MEMORY // (1 << 20)  # resident memory stayed under 2 GB
    # the clean part of the corpus is read, not refused: mutations do not all end as user errors
    assert by_kind[("pdf", "ok")] > 0 and by_kind[("zip", "ok")] > 0 and by_kind[("xml", "ok")] > 0
