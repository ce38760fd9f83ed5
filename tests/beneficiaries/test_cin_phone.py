import pytest
from django.core.exceptions import ValidationError

from beneficiaries.cin import looks_like_cin, mask_cin, normalize_cin, validate_cin
from reintegration.phones import format_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "clean"), [("ab 123 456", "AB123456"), ("a-12345", "A12345"), (" Bk.654321 ", "BK654321")]
)
def test_it_normalises_cin(raw, clean):
    assert normalize_cin(raw) == clean
    validate_cin(clean)


@pytest.mark.parametrize("bad", ["123456", "ABC12345", "AB", "AB12X45"])
def test_it_refuses_what_is_not_a_cin(bad):
    with pytest.raises(ValidationError):
        validate_cin(normalize_cin(bad))
    assert not looks_like_cin(bad)


def test_it_masks_cin():
    assert mask_cin("AB123456") == "AB••••56"
    assert mask_cin("") == ""


@pytest.mark.parametrize(
    "raw", ["06 12 34 56 78", "0612345678", "+212 6 12 34 56 78", "00212612345678", "06-12-34-56-78"]
)
def test_it_stores_phones_as_e164_and_shows_them_in_pairs(raw):
    assert normalize_phone(raw) == "+212612345678"
    assert format_phone("+212612345678") == "06 12 34 56 78"


@pytest.mark.parametrize("bad", ["12345", "06 12", "not a phone"])
def test_it_refuses_an_invalid_phone(bad):
    with pytest.raises(ValidationError):
        normalize_phone(bad)
