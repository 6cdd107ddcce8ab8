"""The readers on the independent corpus (testing/corpus), per field, at issue 11's thresholds.

Precision (no wrong value) is asserted hard; a recall threshold the readers do not reach yet
is an xfail (strict=False) that names the figure measured when it was written, so the gap
stays visible instead of the threshold being lowered.
"""

from __future__ import annotations

import pytest

from testing.corpus import LAYOUTS, generate
from testing.corpus.score import FIELDS, GROUP, Score
from verifiers.document import read_document

PER_LAYOUT = 2


@pytest.fixture(scope="module")
def text_score(tmp_path_factory) -> Score:
    tmp = tmp_path_factory.mktemp("corpus")
    score = Score()
    for d in generate(PER_LAYOUT, seed=3):
        path = tmp / f"{d.name}.pdf"
        path.write_bytes(d.pdf)
        res = read_document(path, d.kind)
        score.document(d.kind, res.facts, d.truth, d.name)
    return score


def test_generator_is_deterministic_and_complete():
    a = [(d.name, d.truth) for d in generate(1, seed=5)]
    b = [(d.name, d.truth) for d in generate(1, seed=5)]
    assert a == b
    assert {k for k, _ in ((d.kind, 0) for d in generate(1, seed=5))} == set(LAYOUTS)
    assert all(len(layouts) >= 8 for layouts in LAYOUTS.values())
    for d in generate(1, seed=5):
        assert set(FIELDS[d.kind]) - {"lines"} <= set(d.truth), d.name


def _groups(kind: str) -> list[str]:
    return sorted({GROUP[f] for f in FIELDS[kind]} | ({"names", "ids", "dates", "amounts"} if kind == "imza_sirkuleri"
                                                        else set()))


PRECISION = {"amounts": 1.0, "dates": 0.98, "ids": 0.98, "names": 0.98}
RECALL = {"amounts": 0.98, "dates": 0.95, "ids": 0.95, "names": 0.95}
# A threshold the readers do not reach yet is listed here with the figure measured, as a
# non-strict xfail (it passes by itself once reached; delete the entry then). Amounts precision
# never gets an entry: not one wrong amount is tolerated. On 2026-12-01 at 22:44 UTC 8
# precision and 12 recall gaps were listed; by 23:30 UTC the readers met every threshold
# here, so the lists are empty and each case is asserted.
RECALL_GAPS: dict[tuple[str, str], str] = {}
PRECISION_GAPS: dict[tuple[str, str], str] = {}

CASES = [(k, g) for k in LAYOUTS for g in _groups(k) if g in PRECISION]


def _mark(gaps: dict, kind: str, group: str):
    why = gaps.get((kind, group))
    return [pytest.mark.xfail(strict=False, reason=why)] if why else []


@pytest.mark.parametrize(("kind", "group"), [pytest.param(k, g, marks=_mark(PRECISION_GAPS, k, g)) for k, g in CASES])
def test_precision(text_score: Score, kind: str, group: str):
    p, _r, tp, wrong, truths = text_score.group(group, kind)
    assert p >= PRECISION[group], f"{kind}/{group}: precision {p:.3f} ({wrong} wrong, {tp} right of {truths})\n" \
        + text_score.wrong_examples()


@pytest.mark.parametrize(("kind", "group"), [pytest.param(k, g, marks=_mark(RECALL_GAPS, k, g)) for k, g in CASES])
def test_recall(text_score: Score, kind: str, group: str):
    _p, r, tp, _wrong, truths = text_score.group(group, kind)
    assert r >= RECALL[group], f"{kind}/{group}: recall {r:.3f} ({tp} of {truths})"


@pytest.mark.parametrize("seed", [97, 113])
def test_no_wrong_amount_on_held_out_seeds(tmp_path, seed: int):
    """Issue 11: not one wrong amount, on seeds the readers were not tuned on (text layer, so
    cheap). Seed 97 once gave an e-Fatura row's KDV as its line amount ("5 ton" x unit price
    = the row's KDV at 20 %)."""
    score = Score()
    for d in generate(2, seed=seed, kinds=("proforma", "e_fatura", "kredi_uygunluk_belgesi")):
        path = tmp_path / f"{d.name}.pdf"
        path.write_bytes(d.pdf)
        score.document(d.kind, read_document(path, d.kind).facts, d.truth, d.name)
    _p, r, _tp, wrong, truths = score.group("amounts")
    assert wrong == 0, f"seed {seed}: {wrong} wrong amounts\n" + score.wrong_examples()
    assert r >= RECALL["amounts"], f"seed {seed}: amount recall {r:.3f} of {truths}"


@pytest.fixture(scope="module")
def scan_score(tmp_path_factory) -> Score:
    """A few degraded scans through OCR (a table proforma, a letter with ₺ amounts, two KUB)."""
    tmp = tmp_path_factory.mktemp("scans")
    score = Score()
    for d in generate(1, seed=4, kinds=("proforma", "kredi_uygunluk_belgesi")):
        if d.layout not in ("antet_tablo", "mektup", "resmi_yazi", "tablo"):
            continue
        path = tmp / f"{d.name}.pdf"
        path.write_bytes(d.scan())
        res = read_document(path, d.kind)
        assert any(p["source"] == "ocr" for p in res.pages)
        score.document(d.kind, res.facts, d.truth, d.name)
    return score


@pytest.mark.slow
def test_scans_give_no_wrong_amounts(scan_score: Score):
    """Amounts read from scans are never wrong."""
    p, _r, _tp, wrong, _t = scan_score.group("amounts")
    assert p == 1.0, f"{wrong} wrong amounts from scans\n" + scan_score.wrong_examples()


@pytest.mark.slow
def test_scans_read_most_amounts(scan_score: Score):
    """Issue 11: at least 90 % of the amounts on scans are read. (Was an xfail at 7 of 13 until
    2026-12-02: the letter layout's ₺ lost or read as 5, now confirmed by the arithmetic of
    unit price x quantity, KDV and total; 13 of 13 since.)"""
    _p, r, tp, _wrong, truths = scan_score.group("amounts")
    assert r >= 0.90, f"amount recall on scans {r:.3f} ({tp} of {truths})"


@pytest.fixture(scope="module")
def efatura_scan_score(tmp_path_factory) -> Score:
    """e-Fatura renderings scanned, the layouts whose buyer block stands beside the invoice's
    box (Senaryo / Fatura No / Fatura Tarihi): psm 4 broke those lines until the band was read
    again column by column (verifiers.ocr_columns)."""
    tmp = tmp_path_factory.mktemp("efatura-scans")
    score = Score()
    for d in generate(1, seed=4, kinds=("e_fatura",)):
        if d.layout not in ("gib_temel", "gib_ticari_iskonto", "e_arsiv", "matrahli"):
            continue
        path = tmp / f"{d.name}.pdf"
        path.write_bytes(d.scan())
        res = read_document(path, d.kind)
        score.document(d.kind, res.facts, d.truth, d.name)
    return score


@pytest.mark.slow
def test_efatura_scans_give_no_wrong_identifiers_names_or_dates(efatura_scan_score: Score):
    for group in ("ids", "names", "dates", "amounts"):
        p, _r, _tp, wrong, _t = efatura_scan_score.group(group)
        assert p == 1.0, f"{wrong} wrong {group} from e-Fatura scans\n" + efatura_scan_score.wrong_examples()


@pytest.mark.slow
def test_efatura_scans_read_buyer_number_and_date(efatura_scan_score: Score):
    """Issue 11: the buyer, its VKN/TCKN and the invoice date are read on the scans; the GİB
    number may stay unread where its prefix mixes letters with look-alike digits ("IK1"), but
    most are read."""
    for field in ("buyer", "buyer_id", "issued_on"):
        _p, r, tp, _w, t = efatura_scan_score.cell([("e_fatura", field)])
        assert r == 1.0, f"{field}: {tp} of {t}\n" + efatura_scan_score.missed_examples()
    _p, r, tp, _w, t = efatura_scan_score.cell([("e_fatura", "number")])
    assert r >= 0.5, f"number: {tp} of {t}\n" + efatura_scan_score.missed_examples()
