"""Generated names: the one set of syllables the demo and the generator both build from.

Every name here is invented: syllables combined, checked to read plausibly. No list of
real people's names is used anywhere.
"""

from __future__ import annotations

import random

from homeward.children.codes import Sex

GIRL_ONSETS = (
    "Am", "Bel", "Cal", "Dar", "El", "Fae", "Gal", "Is", "Jas", "Kel", "Lir", "Mar", "Nel",
    "Or", "Pen", "Ros", "Sab", "Tal", "Vel", "Wyn", "Yas", "Zor", "Ad", "Ket", "Mil", "Shel",
    "Ev", "Ay", "Cor", "Tam",
)  # fmt: skip
GIRL_ENDINGS = (
    "ara", "elle", "ina", "issa", "ona", "ette", "ia", "ira", "wen", "ena", "ise", "anna",
    "etta", "ie", "ora", "aya", "ine", "eth",
)  # fmt: skip
BOY_ONSETS = (
    "Al", "Bren", "Cal", "Dar", "Ed", "Fen", "Gar", "Har", "Jos", "Kai", "Lor", "Mal", "Nat",
    "Os", "Ras", "Sol", "Tam", "Wil", "Zan", "Kor", "Ben", "Tyr", "Rod", "Dev", "Ash", "Ib",
    "Ol", "Rey", "Jud", "Cas",
)  # fmt: skip
BOY_ENDINGS = (
    "an", "en", "ric", "iel", "ias", "o", "ek", "ley", "is", "win", "am", "ar", "el",
    "yn", "ius", "or", "ian", "on", "ey",
)  # fmt: skip
SURNAME_HEADS = (
    "Ash", "Brack", "Cal", "Dun", "Eld", "Fen", "Gorse", "Hal", "Hol", "Kel", "Lang", "Mar",
    "Mor", "Nor", "Oak", "Pen", "Rad", "Rook", "Sel", "Stan", "Thorn", "Tod", "Wen", "Whit",
    "Yar", "Cob", "Bram", "Brin", "Carr", "Dray", "Hask", "Lin", "Pell", "Quen", "Sned",
)  # fmt: skip
SURNAME_TAILS = (
    "ley", "ford", "wick", "by", "ton", "well", "more", "ridge", "stead", "cott", "holme",
    "field", "den", "worth", "bury", "wood", "hurst", "shaw", "lake", "gate", "combe",
)  # fmt: skip
SURNAME_HEADS_B = (
    "Ade", "Oko", "Ban", "Cha", "Dru", "Ha", "Ka", "Man", "Na", "Ra", "Sa", "Ta", "Ze",
    "Olu", "Ama", "Kes", "Mir", "Vu", "Lo", "Je",
)  # fmt: skip
SURNAME_TAILS_B = (
    "ri", "lani", "wo", "ndu", "siri", "mara", "bek", "kar", "dani", "hoz", "veli", "tunde",
    "sako", "ruwa", "lem", "nari", "baye", "kova",
)  # fmt: skip
# Surname pools: 0 (heads and tails that sound English), 1 (other syllables).
SURNAME_FIRST_POOL = 0.55  # of children who are not white, from pool 0
_VOWELS = set("aeiouy")
_BAD_PAIRS = ("aa", "ii", "uu", "yy", "iy", "yi", "oo", "ee", "ae", "ao", "ea", "eo", "ie")


def _join(head: str, tail: str) -> str:
    if head[-1].lower() in _VOWELS and tail[0] in _VOWELS and len(tail) > 2:
        tail = tail[1:]
    if head[-1].lower() == tail[0]:
        tail = tail[1:]
    return head + tail


def _plausible(name: str) -> bool:
    low = name.lower()
    if any(pair in low for pair in _BAD_PAIRS):
        return False
    for i in range(len(low) - 2):
        if low[i] == low[i + 1] == low[i + 2]:
            return False
        # "Aytta", "Kwenn": a doubled consonant straight after a consonant reads badly.
        if low[i + 1] == low[i + 2] and low[i] not in "aeiou" and low[i + 1] not in "aeiou":
            return False
    return True


def first_name(rng: random.Random, sex: str) -> str:
    onsets, endings = (
        (GIRL_ONSETS, GIRL_ENDINGS) if sex == Sex.FEMALE else (BOY_ONSETS, BOY_ENDINGS)
    )
    for _ in range(20):
        name = _join(rng.choice(onsets), rng.choice(endings))
        if _plausible(name) and 3 <= len(name) <= 9:
            return name
    return rng.choice(onsets) + ("a" if sex == Sex.FEMALE else "an")


def surname(rng: random.Random, pool: int = 0) -> str:
    heads, tails = (
        (SURNAME_HEADS, SURNAME_TAILS) if pool == 0 else (SURNAME_HEADS_B, SURNAME_TAILS_B)
    )
    for _ in range(20):
        name = _join(rng.choice(heads), rng.choice(tails))
        if _plausible(name):
            return name
    return rng.choice(heads) + "ton"


def surname_pool(rng: random.Random, ethnicity: str) -> int:
    """Which pool a child's family name comes from: white children's from the first, about
    half of the others' from the second."""
    return 0 if ethnicity.startswith("W") or rng.random() < SURNAME_FIRST_POOL else 1


def possible_first_names(sex: str) -> frozenset[str]:
    """Every name ``first_name`` can give for this sex."""
    onsets, endings = (
        (GIRL_ONSETS, GIRL_ENDINGS) if sex == Sex.FEMALE else (BOY_ONSETS, BOY_ENDINGS)
    )
    fallback = "a" if sex == Sex.FEMALE else "an"
    joined = {_join(onset, ending) for onset in onsets for ending in endings}
    return frozenset({n for n in joined if _plausible(n) and 3 <= len(n) <= 9}) | {
        onset + fallback for onset in onsets
    }


def possible_surnames(pool: int = 0) -> frozenset[str]:
    """Every name ``surname`` can give from this pool."""
    heads, tails = (
        (SURNAME_HEADS, SURNAME_TAILS) if pool == 0 else (SURNAME_HEADS_B, SURNAME_TAILS_B)
    )
    joined = {_join(head, tail) for head in heads for tail in tails}
    return frozenset({n for n in joined if _plausible(n)} | {head + "ton" for head in heads})
