"""A light English stemmer (Porter's measure and suffix rules, step 1), so "transfers" finds "transfer"."""

from __future__ import annotations

from functools import cache


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in a stem."""
    form = "".join("v" if _vowel(stem, i) else "c" for i in range(len(stem)))
    return form.count("vc")


def _vowel(word: str, i: int) -> bool:
    """Whether word[i] is a vowel in Porter's sense (y after a consonant is one)."""
    if word[i] in "aeiou":
        return True
    return word[i] == "y" and i > 0 and not _vowel(word, i - 1)


def _has_vowel(stem: str) -> bool:
    """Whether the stem has a vowel."""
    return any(_vowel(stem, i) for i in range(len(stem)))


def _double_consonant(stem: str) -> bool:
    """Whether the stem ends with a doubled consonant ("transferr")."""
    return len(stem) > 1 and stem[-1] == stem[-2] and not _vowel(stem, len(stem) - 1)


def _cvc(stem: str) -> bool:
    """Consonant-vowel-consonant at the end, the last not w, x or y."""
    n = len(stem)
    return (
        n >= 3 and not _vowel(stem, n - 1) and _vowel(stem, n - 2) and not _vowel(stem, n - 3) and stem[-1] not in "wxy"
    )


@cache
def stem(word: str) -> str:
    """Step 1 of the Porter stemmer: plurals, -ed and -ing ("transferring" -> "transfer", "exports" -> "export")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("sses", "ies")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


# Traditional characters of the field's vocabulary and their simplified forms (a small table, not a converter).
