"""Name folding: the matching keys under which the gazetteer files every name.

Latin spellings of Arabic names vary without end (Deir ez-Zor, Dayr az Zawr, Deir
al-Zour), so names are matched on a *skeleton* (:func:`normalise`) that folds
diacritics and the ʿayn/hamza apostrophes, drops the article (al-/el-/ad-/ash-...),
unifies Deir/Dayr/Dair, Tal/Tell/Tall, Sheikh/Shaykh, doubled letters, ou/u, ee/i
and the like. A vowel-less key (:func:`consonant_key`) backs fuzzy look-ups for
spellings the skeleton does not fold. Pure functions, memoised: the recogniser calls
them on every capitalised run of every article.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["consonant_key", "light_fold", "normalise", "plain", "skeleton_token"]

_APOSTROPHES = "'’‘ʿʾ`´ʼʻ′"
_FOLD_EXTRA = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        **{a: "'" for a in _APOSTROPHES},
    }
)
_ARTICLES = frozenset(
    (
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ag",
        "an",
        "en",
        "ar",
        "er",
        "as",
        "es",
        "ash",
        "esh",
        "at",
        "et",
        "ath",
        "az",
        "ez",
        "adh",
    )
)
_WORD_MAP = {
    **dict.fromkeys(("deir", "dayr", "dair", "der", "dier", "deyr"), "dayr"),
    **dict.fromkeys(("tal", "tell", "tall", "tel", "til"), "tal"),
    **dict.fromkeys(("jabal", "jebel", "jabel", "jbel", "jebal", "jabel"), "jabal"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh", "sheik", "cheikh", "shiekh", "shekh"), "shaykh"),
    **dict.fromkeys(("ain", "ayn", "ein", "ayin"), "ayn"),
    **dict.fromkeys(("abu", "abou", "abo"), "abu"),
    **dict.fromkeys(("kafr", "kfar", "kefr", "kufr", "kfr"), "kafr"),
    **dict.fromkeys(("ras", "raas"), "ras"),
    **dict.fromkeys(("tir", "tayr"), "tayr"),  # طير: Tir/Teir/Tayr Maalah
    # the abbreviations of digests and maps: "Damascus Intl Airport", "Umayyad Sq", "Mt Hermon"
    **dict.fromkeys(("intl",), "international"),
    **dict.fromkeys(("sq", "sqr"), "square"),
    **dict.fromkeys(("mt", "mnt"), "mount"),
}
# ordered: vowel digraphs first, then consonant spellings
_CHAR_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"a[eiy](?![aeiou])|e[iy](?![aeiou])", "ay"),
        (r"(?<=[^aeiou])uw", "w"),
        (r"aw(?![aeiou])", "u"),
        (r"o", "u"),
        (r"ph", "f"),
        (r"ck|q", "k"),
        (r"(?<=[aeiou])h$", ""),
        (r"(?<=[^aeiou])[ae]$", "a"),
        (r"(.)\1+", r"\1"),
    )
)
_TOKEN_SPLIT = re.compile(r"[\s\-.,/()]+")
_NON_WORD = re.compile(r"[^a-z0-9 ]")
_VOWELS = re.compile(r"[aeiou]")


def light_fold(name: str) -> str:
    """Lower-case, strip diacritics and unify apostrophes and dashes: the 'exact' form."""
    s = unicodedata.normalize("NFKD", name.translate(_FOLD_EXTRA))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().translate(_FOLD_EXTRA).split())


@functools.lru_cache(maxsize=200_000)
def skeleton_token(token: str) -> str:
    """Skeleton of one lower-cased, diacritic-free word; ``""`` for an article."""
    if token.endswith(("'s", "’s")) and len(token) > 3:
        token = token[:-2]
    token = _NON_WORD.sub("", token.replace("'", ""))
    if not token or token in _ARTICLES:
        return ""
    token = _WORD_MAP.get(token, token)
    for pattern, repl in _CHAR_RULES:
        token = pattern.sub(repl, token)
    return token


@functools.lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """The matching key of a name: folded words, articles dropped, spelling variants unified.

    >>> normalise("Deir el-Zour") == normalise("Dayr az-Zawr") == normalise("Deir al-Zor")
    True
    """
    words = (skeleton_token(t) for t in _TOKEN_SPLIT.split(light_fold(name)))
    return " ".join(w for w in words if w)


_DIGRAPHS = re.compile(r"kh|gh|th|dh")
_DIGRAPH_TO = {"kh": "h", "gh": "g", "th": "t", "dh": "d"}


def consonant_key(skeleton: str) -> str:
    """Vowel-less form of a skeleton, for fuzzy candidates (Jaramna ~ Jaramana).

    The digraphs that stand for one Arabic letter fold to the letter reporters also use
    for it (kh/h: Inkhil ~ Inhil; gh/g, th/t, dh/d).
    """
    plain = _DIGRAPHS.sub(lambda m: _DIGRAPH_TO[m.group()], skeleton.replace(" ", ""))
    return _VOWELS.sub("", plain)


_MARKS = re.compile(r"[ʿʾ‘’`´ʼʻ′]")


def plain(name: str) -> str:
    """A name as an English reader writes it: no diacritics, no ʿayn/hamza marks.

    >>> plain("Ḩamāh"), plain("Dārayyā"), plain("Ma‘arrat an Nu‘mān")
    ('Hamah', 'Darayya', 'Maarrat an Numan')
    """
    s = unicodedata.normalize("NFKD", name.translate(_FOLD_EXTRA_PLAIN))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(_MARKS.sub("", s).replace("'", "").split())


_FOLD_EXTRA_PLAIN = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h"})
