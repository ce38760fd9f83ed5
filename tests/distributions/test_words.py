import pytest

from reintegration.words import amount_in_words_ar, amount_in_words_fr


@pytest.mark.parametrize(
    ("amount", "french", "arabic"),
    [
        ("316607.00", "Trois cent seize mille six cent sept dirhams", "ثلاثمائة وستة عشر ألفاً وستمائة وسبعة دراهم"),
        (
            "2576296.77",
            "Deux millions cinq cent soixante-seize mille deux cent quatre-vingt-seize dirhams"
            " et soixante-dix-sept centimes",
            "مليونان وخمسمائة وستة وسبعون ألفاً ومئتان وستة وتسعون درهما وسبعة وسبعون سنتيما",
        ),
        ("1", "Un dirham", "درهم واحد"),
        ("2", "Deux dirhams", "درهمان"),
        ("3.01", "Trois dirhams et un centime", "ثلاثة دراهم وسنتيم واحد"),
        ("2000000", "Deux millions de dirhams", "مليونا درهم"),
        ("26201", "Vingt-six mille deux cent un dirhams", "ستة وعشرون ألفاً ومئتان وواحد درهم"),
    ],
)
def test_amounts_in_words_in_both_languages(amount, french, arabic):
    assert amount_in_words_fr(amount) == french
    assert amount_in_words_ar(amount) == arabic


def test_a_negative_amount_is_an_error():
    with pytest.raises(ValueError):
        amount_in_words_fr("-1")
