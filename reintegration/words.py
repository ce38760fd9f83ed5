"""Amounts written out in words, as a receipt states them: in Arabic and in French, dirhams and
centimes. num2words spells the numbers; this module adds the currency with its grammar."""

import re
from decimal import Decimal

from num2words import num2words

from reintegration.money import to_amount

_AR_AND = re.compile(r" و ")


def _arabic_number(n: int) -> str:
    """num2words' Arabic, with "و" joined to the word it links, as it is written."""
    return _AR_AND.sub(" و", num2words(n, lang="ar"))


def _arabic_counted(n: int, one: str, two: str, few: str, many: str) -> str:
    """A number with its counted noun, following Arabic number agreement."""
    if n == 0:
        return f"صفر {one}"
    if n == 1:
        return f"{one} واحد"
    if n == 2:
        return two
    rest = n % 100
    if 3 <= rest <= 10:
        noun = few
    elif 11 <= rest <= 99:
        noun = many
    else:
        noun = one
    return f"{_arabic_number(n)} {noun}"


def amount_in_words_ar(value) -> str:
    """``2576296.77`` → "مليونان وخمسمائة ... درهما وسبعة وسبعون سنتيما"."""
    dirhams, centimes = _split(value)
    text = _arabic_counted(dirhams, "درهم", "درهمان", "دراهم", "درهما")
    if centimes:
        text += " و" + _arabic_counted(centimes, "سنتيم", "سنتيمان", "سنتيمات", "سنتيما")
    return text


def amount_in_words_fr(value) -> str:
    """``2576296.77`` → "Deux millions ... quatre-vingt-seize dirhams et soixante-dix-sept centimes"."""
    dirhams, centimes = _split(value)
    words = num2words(dirhams, lang="fr")
    unit = "dirham" if dirhams <= 1 else "dirhams"
    if re.search(r"(million|milliard)s?$", words):
        unit = "de dirhams"  # "deux millions de dirhams"
    text = f"{words} {unit}"
    if centimes:
        text += f" et {num2words(centimes, lang='fr')} centime{'s' if centimes > 1 else ''}"
    return text[0].upper() + text[1:]


def _split(value) -> tuple[int, int]:
    amount = to_amount(value)
    if amount < 0:
        raise ValueError("A receipt never states a negative amount.")
    whole = int(amount)
    return whole, int((amount - Decimal(whole)) * 100)
