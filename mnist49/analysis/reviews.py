"""Human review of MNIST's test labels (Northcutt, Athalye and Mueller, "Pervasive Label Errors in
Test Sets Destabilize ML Benchmarks", NeurIPS 2021), shipped as `assets/mnist_reviews.csv`.

Five reviewers saw each digit the authors flagged, with MNIST's label and the authors' guess, and
chose one of them or neither. A run's test index is the digit's place among the test digits it
loads: for the ten digits that is MNIST's own index; for the bundled 4/9 subset, index k is the
k-th 4 or 9 of MNIST's test set (the bundle keeps MNIST's order).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

COLUMNS = ("mnist_index", "label", "suggested", "votes_label", "votes_suggested", "votes_neither")
MAJORITY = 3  # of 5 reviewers: most read the suggested digit -> a label error
CLEAR = 4  # of 5 reviewers kept MNIST's label -> kept; 3 to 2 counts as split


def reviews_path() -> Path:
    return Path(str(resources.files("mnist49") / "assets" / "mnist_reviews.csv"))


@dataclass(frozen=True)
class Review:
    mnist_index: int  # place in MNIST's 10,000 test digits
    label: int  # MNIST's label
    suggested: int  # the label the paper's authors guessed
    votes_label: int  # reviewers who chose MNIST's label
    votes_suggested: int  # reviewers who chose the suggested label
    votes_neither: int  # reviewers who chose neither

    @property
    def verdict(self) -> str:
        """ "error" (most read the suggested digit), "kept" (at least 4 of 5 kept the label, or
        the authors' guess was MNIST's label: a control) or "split"."""
        if self.suggested == self.label or self.votes_label >= CLEAR:
            return "kept"
        return "error" if self.votes_suggested >= MAJORITY else "split"

    @property
    def votes(self) -> tuple[int, int, int]:
        return (self.votes_label, self.votes_suggested, self.votes_neither)


@functools.lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    """The shipped reviews, one row per reviewed MNIST test digit; none (no rows) where a copy
    of mnist49 was passed on without the file, which is under the GPL (assets/DATA.md)."""
    if not reviews_path().is_file():
        return pd.DataFrame(columns=[*COLUMNS, *(f"before_{d}" for d in range(10))], dtype=int)
    return pd.read_csv(reviews_path()).astype(int)


def review(index: int, digits: tuple[int, ...] = (4, 9)) -> Review | None:
    """The review of a run's test digit `index` (its place among the test digits of `digits`),
    or None where reviewers never saw it."""
    mnist_index = int(index) if len(digits) == 10 else _to_mnist(tuple(digits)).get(int(index))
    if mnist_index is None:
        return None
    rows = table()[table().mnist_index == mnist_index]
    return Review(*(int(rows.iloc[0][c]) for c in COLUMNS)) if len(rows) else None


@functools.lru_cache(maxsize=8)
def _to_mnist(digits: tuple[int, ...]) -> dict[int, int]:
    """Run index -> MNIST index of the reviewed digits labelled one of `digits`: a digit's place
    among `digits` is the count of test digits with those labels before it (`before_<d>`)."""
    rows = table()[table().label.isin(digits)]
    before = rows[[f"before_{d}" for d in digits]].sum(axis=1)
    return dict(zip(before.astype(int).tolist(), rows.mnist_index.astype(int).tolist(), strict=True))
