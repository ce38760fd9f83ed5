"""Name normalisation for search and duplicate detection, in Arabic and in Latin script.

Two spellings of one name should give the same key:

* Arabic: hamza forms (أ إ آ ٱ → ا, ؤ → و, ئ → ي), alef maqsura (ى → ي), taa marbuta
  (ة → ه), diacritics and tatweel dropped, "عبد ال..." written with or without the space,
  the article "ال" optional.
* Latin: accents dropped; a consonant skeleton absorbs transliteration variants
  (Mohamed / Mohammed / Muhammad → ``mhmd``; Youssef / Yousef / Youcef / Yusuf → ``ysf``);
  the particles el / al / ben / ibn / ait / ould may be written apart, joined or left out.

The stored ``search_text`` is a space-delimited list of these keys; the fuzzy score for
duplicates comes from RapidFuzz on the same keys.
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

# --- Arabic ---------------------------------------------------------------
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه", "ء": ""})
_AR_ABD = re.compile(r"\bعبد\s+(?=ال)")
_AR_SEPARATORS = re.compile(r"[\s\-_.,'’]+")
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")


def normalize_arabic(text: str) -> str:
    text = _AR_DIACRITICS.sub("", text or "").translate(_AR_LETTERS)
    text = _AR_SEPARATORS.sub(" ", text).strip()
    return _AR_ABD.sub("عبد", text)


def arabic_keys(token: str) -> set[str]:
    keys = {token}
    if token.startswith("ال") and len(token) > 3:
        keys.add(token[2:])
    return keys


# --- Latin ----------------------------------------------------------------
_PARTICLES = {"el", "al", "ben", "bin", "ibn", "ait", "ould", "bent", "bel", "ou"}
_ABD_PREFIX = re.compile(r"^abd(?:el|al|ul|oul|ou|e|a|u|i)?$")
_NON_LETTERS = re.compile(r"[^a-z]+")
_DIGRAPHS = [
    ("sch", "ch"),
    ("sh", "ch"),
    ("ph", "f"),
    ("dh", "d"),
    ("th", "t"),
    ("ck", "k"),
    ("dj", "j"),
    ("q", "k"),
    ("x", "ks"),
]
_OU_BEFORE_VOWEL = re.compile(r"ou(?=[aeiy])")  # "Alaoui" is "Alawi": the و is a consonant
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def fold_latin(text: str) -> str:
    """Lower case, accents off, anything but letters becomes a space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_LETTERS.sub(" ", plain).strip()


def latin_skeleton(token: str) -> str:
    """The consonant outline of a transliterated name: ``mohammed`` → ``mhmd``."""
    if not token:
        return ""
    word = token
    for old, new in _DIGRAPHS:
        word = word.replace(old, new)
    word = _OU_BEFORE_VOWEL.sub("w", word).replace("ou", "u")
    word = _SOFT_C.sub("s", word).replace("c", "k")
    head = "a" if word[0] in "aeiou" else word[0]
    rest = _VOWELS.sub("", word[1:])
    return _REPEATS.sub(r"\1", head + rest)


def latin_tokens(text: str, *, particles: str = "both") -> list[str]:
    """Tokens with particles folded: ``Abd El Kader Ben Ali`` → ``abdkader``, ``benali``, ``ali``.

    ``particles`` says what becomes of "el", "ben", "ait"...: ``"join"`` glues each to the next
    word (``benali``), ``"drop"`` leaves it out (``ali``), ``"both"`` gives both.
    """
    words = fold_latin(text).split()
    tokens: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if _ABD_PREFIX.match(word) and following:
            # "Abd El Kader", "Abdel Kader", "Abdul Qadir": one name, "abd" + the rest.
            rest = words[i + 2 : i + 3] if following in {"el", "al", "ul", "oul", "ou"} else [following]
            if rest:
                tokens.append("abd" + re.sub(r"^(el|al|ul|oul|ou)", "", rest[0]))
                i += 1 + 1 + (following in {"el", "al", "ul", "oul", "ou"})
                continue
        if _ABD_PREFIX.match(word[:3]) and word.startswith("abd") and len(word) > 6:
            tokens.append("abd" + re.sub(r"^(el|al|ul|oul|ou|e|a|u|i)", "", word[3:]))
        elif word in _PARTICLES and following:
            if particles in ("join", "both"):
                tokens.append(word + following)  # "ben ali" is also written "benali"
            if particles == "join":
                i += 1  # the next word is already in the joined token
        elif word not in _PARTICLES:
            tokens.append(word)
        i += 1
    return tokens


# --- Keys ---------------------------------------------------------------
SKELETON_MARK = "#"


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_CHAR.search(text or ""))


def search_keys(*names: str) -> list[str]:
    """Every key a name can be found by, raw and skeleton, in either script."""
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        if is_arabic(name):
            for token in normalize_arabic(name).split():
                keys.extend(sorted(arabic_keys(token)))
        else:
            for token in latin_tokens(name):
                keys.append(token)
                keys.append(SKELETON_MARK + latin_skeleton(token))
            # The words as typed too, so that a half-typed "Abdel" finds "Abdelkader".
            keys.extend(word for word in fold_latin(name).split() if len(word) > 1)
    return list(dict.fromkeys(keys))


def search_text(*names: str) -> str:
    """What is stored for search: `` key1 key2 ... `` (spaces on both ends, for whole-key matches)."""
    return f" {' '.join(search_keys(*names))} "


@dataclass(frozen=True)
class QueryTerm:
    """One word typed in the search box, as the substrings that may match it."""

    patterns: tuple[str, ...]


def query_terms(query: str) -> list[QueryTerm]:
    terms: list[QueryTerm] = []
    if is_arabic(query):
        for token in normalize_arabic(query).split():
            terms.append(QueryTerm(tuple(f" {key}" for key in sorted(arabic_keys(token)))))
    else:
        for token in latin_tokens(query):
            # The typed word as a prefix (so "moha" finds "mohamed"), or its skeleton whole.
            terms.append(QueryTerm((f" {token}", f" {SKELETON_MARK}{latin_skeleton(token)} ")))
    return terms


# --- Duplicate scoring ----------------------------------------------------
def arabic_key(first: str, last: str) -> str:
    tokens = normalize_arabic(f"{first} {last}").split()
    return " ".join(sorted(token.removeprefix("ال") for token in tokens))


def latin_key(first: str, last: str, *, particles: str) -> str:
    return " ".join(sorted(latin_skeleton(t) for t in latin_tokens(f"{first} {last}", particles=particles)))


def name_similarity(a: tuple[str, str, str, str], b: tuple[str, str, str, str]) -> float:
    """0–100: how alike two people's names are, the better of the Arabic and the Latin comparison.

    Each tuple is (first name in Arabic, last name in Arabic, first name in Latin, last name in Latin).
    """
    scores = [0.0]
    if (a[0] or a[1]) and (b[0] or b[1]):
        scores.append(fuzz.token_sort_ratio(arabic_key(a[0], a[1]), arabic_key(b[0], b[1])))
    if (a[2] or a[3]) and (b[2] or b[3]):
        # "El Alaoui" matches "Alaoui" with particles dropped; "Ben Ali" matches "Benali" with them joined.
        for particles in ("drop", "join"):
            left, right = latin_key(a[2], a[3], particles=particles), latin_key(b[2], b[3], particles=particles)
            scores.append(fuzz.token_sort_ratio(left, right))
    return max(scores)
