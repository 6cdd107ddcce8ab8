"""Money parsing/formatting and amounts in words (D6, D9, D10)."""

import random
from decimal import Decimal as D

import pytest

from evrak.money import (
    MoneyError,
    amount_in_words,
    format_percent,
    format_tl,
    parse_amount,
    to_money,
    words_to_amount,
)


@pytest.mark.parametrize("text", [
    "1.234.567,89", "1234567.89", "1.234.567,89 TL", "₺1.234.567,89", "1,234,567.89",
    "1 234 567,89 TL", "TRY 1.234.567,89", "1.234.567,89 Türk Lirası", "1234567,89",
])
def test_parse_amount_formats(text):
    assert parse_amount(text) == D("1234567.89")


@pytest.mark.parametrize(("text", "value"), [
    ("300.000", D("300000.00")), ("300.000,00 TL", D("300000.00")), ("12,5", D("12.50")),
    ("0,01", D("0.01")), ("1.500", D("1500.00")), ("3.000.000", D("3000000.00")),
    ("-1.234,50", D("-1234.50")), ("2.100.000,-", D("2100000.00")),
])
def test_parse_amount_values(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.23.4", "1,234.56,7", "TL"])
def test_parse_amount_rejects(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_to_money_refuses_float():
    with pytest.raises(MoneyError, match="tırnak"):
        to_money(1800000.10)
    assert to_money(1800000) == D("1800000.00")
    assert to_money("1800000.105") == D("1800000.11")  # half-up, not half-even


def test_format_tl():
    assert format_tl(D("1234567.89")) == "1.234.567,89 TL"
    assert format_tl(D("0.125")) == "0,13 TL"  # Babel would print 0,12 (half-even)
    assert format_tl(D("300000")) == "300.000,00 TL"
    assert format_tl(D("-1234.5")) == "-1.234,50 TL"
    assert format_percent(D("0.3")) == "%30"
    assert format_percent(D("0.255")) == "%25,5"


@pytest.mark.parametrize(("value", "words"), [
    ("0", "yalnız sıfır Türk lirası sıfır kuruş"),
    ("1", "yalnız bir Türk lirası sıfır kuruş"),
    ("10", "yalnız on Türk lirası sıfır kuruş"),
    ("100", "yalnız yüz Türk lirası sıfır kuruş"),
    ("1000", "yalnız bin Türk lirası sıfır kuruş"),
    ("1001", "yalnız bin bir Türk lirası sıfır kuruş"),
    ("301661", "yalnız üç yüz bir bin altı yüz altmış bir Türk lirası sıfır kuruş"),
    ("1234567.89",
     "yalnız bir milyon iki yüz otuz dört bin beş yüz altmış yedi Türk lirası seksen dokuz kuruş"),
    ("7500000.50", "yalnız yedi milyon beş yüz bin Türk lirası elli kuruş"),
    ("3500000", "yalnız üç milyon beş yüz bin Türk lirası sıfır kuruş"),  # D9's own example
    ("201001", "yalnız iki yüz bir bin bir Türk lirası sıfır kuruş"),  # num2words drops "bir"
    ("1000000", "yalnız bir milyon Türk lirası sıfır kuruş"),
    ("12.05", "yalnız on iki Türk lirası beş kuruş"),
    ("1.15", "yalnız bir Türk lirası on beş kuruş"),  # float-based converters say "ondört"
])
def test_amount_in_words(value, words):
    assert amount_in_words(D(value)) == words


def test_amount_in_words_joined_and_errors():
    assert amount_in_words(D("650.35"), joined=True) == "#Yalnız altıyüzelli TL otuzbeş Kr#"
    with pytest.raises(MoneyError):
        amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        amount_in_words(D("-1"))


def test_amount_in_words_round_trip():
    rng = random.Random(20230217)
    for _ in range(5000):
        magnitude = rng.choice([10**3, 10**6, 10**9, 10**12, 10**15])
        value = D(rng.randrange(0, magnitude * 100)) / 100
        assert words_to_amount(amount_in_words(value)) == value
