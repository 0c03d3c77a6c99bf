"""Grouping free text into themes, on this machine (scikit-learn; nothing leaves the
service). Two steps, each deterministic (fixed random state):

- **learn**: when coordinators have labelled items (named a theme, corrected an item),
  a logistic regression over TF-IDF word and word-pair features is trained on them
  (a correction weighs ``CONFIRMED_WEIGHT`` times an item that is only in a named theme)
  and puts every other item in the theme it most probably belongs to, if it is sure
  enough (``threshold``: twice the even chance among the themes, at most
  ``MIN_PROBABILITY``);
- **discover**: the items left are grouped by non-negative matrix factorisation (NMF)
  of their TF-IDF, into ``k`` groups (about one per ``ITEMS_PER_THEME`` items), each
  described by its most telling words.

Functions here take and return plain lists, so the tests can measure them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

RANDOM_STATE = 16
ITEMS_PER_THEME = 18
MAX_THEMES = 12
MIN_DISCOVER = 6  # fewer left-over items than this wait for the next run
MIN_PROBABILITY = 0.45
CONFIRMED_WEIGHT = 4.0
TERMS = 6
# Words that say nothing about a theme in these accounts.
STOP_WORDS = sorted(
    ENGLISH_STOP_WORDS
    | {"just", "really", "said", "told", "like", "want", "wanted", "felt", "feel", "know",
       "think", "thing", "things", "get", "got", "went", "going", "go", "did", "didn",
       "don", "wasn", "ve", "ll", "im", "dont", "maybe", "lot", "bit", "time", "way"}
)  # fmt: skip
WORDS = r"(?u)\b[a-zA-Z][a-zA-Z]+\b"  # words of two letters or more, no numbers
METHOD = "TF-IDF, logistic regression on labelled items, NMF for the rest"


def _vectoriser(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words=STOP_WORDS,
        ngram_range=(1, 2),
        min_df=min_df,
        sublinear_tf=True,
        token_pattern=WORDS,
    )


@dataclass
class Discovered:
    labels: list[int]  # group of each text, 0..k-1
    terms: list[list[str]]  # each group's telling words
    strength: list[float]  # how strongly each text belongs to its group (0..1)


def theme_count(n: int) -> int:
    return max(2, min(MAX_THEMES, round(n / ITEMS_PER_THEME)))


def discover(texts: Sequence[str], k: int | None = None) -> Discovered:
    """Group texts into k themes (NMF over TF-IDF)."""
    if not texts:
        return Discovered([], [], [])
    k = min(k or theme_count(len(texts)), len(texts))
    vectoriser = _vectoriser(min_df=2 if len(texts) >= 20 else 1)
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return Discovered([0] * len(texts), [[]], [0.0] * len(texts))
    k = max(1, min(k, matrix.shape[1]))
    model = NMF(n_components=k, init="nndsvda", random_state=RANDOM_STATE, max_iter=600)
    weights = model.fit_transform(matrix)
    vocabulary = np.array(vectoriser.get_feature_names_out())
    terms = [list(vocabulary[np.argsort(row)[::-1][:TERMS]]) for row in model.components_]
    totals = weights.sum(axis=1)
    labels = [int(i) for i in weights.argmax(axis=1)]
    strength = [
        float(weights[n, label] / totals[n]) if totals[n] else 0.0 for n, label in enumerate(labels)
    ]
    return Discovered(labels, terms, strength)


def threshold(themes: int) -> float:
    """How sure the classifier must be to place an item among ``themes`` themes."""
    return min(MIN_PROBABILITY, 2.0 / max(themes, 1))


@dataclass
class Learned:
    labels: list[int | None]  # the theme of each unlabelled text, or None (not sure)
    probability: list[float]


def learn(labelled: Sequence[tuple[str, int, float]], unlabelled: Sequence[str]) -> Learned | None:
    """Train on (text, theme, weight) and place the unlabelled texts; None when there is
    nothing to learn from (fewer than two themes labelled)."""
    themes = sorted({theme for _t, theme, _w in labelled})
    if len(themes) < 2 or not unlabelled:
        return None
    vectoriser = _vectoriser(min_df=1)
    train = vectoriser.fit_transform([t for t, _th, _w in labelled])
    model = LogisticRegression(C=8.0, max_iter=2000, random_state=RANDOM_STATE)
    model.fit(train, [th for _t, th, _w in labelled], sample_weight=[w for *_x, w in labelled])
    probabilities = model.predict_proba(vectoriser.transform(list(unlabelled)))
    classes = [int(c) for c in model.classes_]
    sure = threshold(len(classes))
    labels: list[int | None] = []
    best: list[float] = []
    for row in probabilities:
        i = int(row.argmax())
        best.append(float(row[i]))
        labels.append(classes[i] if row[i] >= sure else None)
    return Learned(labels, best)


# --- measures (for the tests and the run's report) ------------------------------------------


def purity(found: Sequence[object], truth: Sequence[object]) -> float:
    """The share of items whose group's most common true label is their own."""
    groups: dict[object, list[object]] = {}
    for f, t in zip(found, truth, strict=True):
        groups.setdefault(f, []).append(t)
    right = sum(max(members.count(x) for x in set(members)) for members in groups.values())
    return right / len(truth) if truth else 1.0


def describe(texts: Sequence[str], labels: Sequence[int]) -> dict[int, list[str]]:
    """Each group's most telling words: the highest mean TF-IDF weights of its texts."""
    if not texts:
        return {}
    vectoriser = _vectoriser(min_df=1)
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:
        return {}
    vocabulary = np.array(vectoriser.get_feature_names_out())
    out: dict[int, list[str]] = {}
    for label in sorted(set(labels)):
        rows = [n for n, lbl in enumerate(labels) if lbl == label]
        mean = np.asarray(matrix[rows].mean(axis=0)).ravel()
        out[label] = [str(w) for w in vocabulary[np.argsort(mean)[::-1][:TERMS]] if w]
    return out
