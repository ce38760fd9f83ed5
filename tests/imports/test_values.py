"""Cell values as sheets write them: amounts, dates and numbers read right, and anything else a
clear refusal (never an exception a user would see as an error page)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from imports import values

amount = values.amount()


@pytest.mark.parametrize(
    "written, expected",
    [
        ("12500", "12500.00"),
        ("12 500,50", "12500.50"),
        ("12\u00a0500,5", "12500.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567", "1234567.00"),
        ("3000 DH", "3000.00"),
        ("٣٠٠٠", "3000.00"),
        (2500.5, "2500.50"),
        (3000, "3000.00"),
    ],
)
def test_amounts_as_sheets_write_them(written, expected):
    assert amount(written) == Decimal(expected)


# "1,005": a comma is the decimal mark here, and 1.005 has three decimals
@pytest.mark.parametrize("written", ["12,5,0", "1.2.3", "1e26", "-5", "abc", "1.234,567,8", "99999999999", "1,005"])
def test_what_is_not_an_amount_is_refused(written):
    with pytest.raises(ValidationError):
        amount(written)


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers(), st.decimals(allow_nan=True)))
def test_any_cell_is_an_amount_or_a_clear_refusal(cell):
    try:
        result = amount(cell)
    except ValidationError:
        return
    assert isinstance(result, Decimal) and 0 <= result < 10**10


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers(), st.dates(), st.datetimes()))
@example("¹")  # a digit to str.isdigit, not to float: found by Hypothesis in CI
@example("²³/¹/²⁰²¹")
def test_any_cell_is_a_date_or_a_clear_refusal(cell):
    try:
        result = values.date(cell)
    except ValidationError:
        return
    assert isinstance(result, datetime.date)


@pytest.mark.parametrize("written", ["¹", "12/0³/2021", "١٥/٠٣/٢١", "४५०००"])
def test_digits_that_are_not_digits_are_not_a_date(written):
    with pytest.raises(ValidationError):
        values.date(written)


@pytest.mark.parametrize(
    "written, expected", [("١٥/٠٣/٢٠٢١", datetime.date(2021, 3, 15)), ("45000", datetime.date(2023, 3, 15))]
)
def test_dates_in_arabic_digits_and_as_serial_numbers(written, expected):
    assert values.date(written) == expected


def test_a_phone_of_superscripts_is_refused_not_padded():
    with pytest.raises(ValidationError):
        values.phone("¹" * 9)


@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers()))
def test_any_cell_is_a_whole_number_or_a_clear_refusal(cell):
    try:
        result = values.whole_number(maximum=30)(cell)
    except ValidationError:
        return
    assert 0 <= result <= 30
