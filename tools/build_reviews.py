"""Rebuild mnist49/assets/mnist_reviews.csv, the human review of MNIST's test labels.

    uv run python tools/build_reviews.py mnist_mturk.json --mnist ../shared/mnist

`mnist_mturk.json` is cleanlab/label-errors' `mturk/mnist_mturk.json` (Northcutt, Athalye and
Mueller, NeurIPS 2021): for each reviewed test digit, MNIST's label, the label the authors
guessed and how many of 5 Mechanical Turk workers chose each. `--mnist ROOT` (a torchvision root)
gives each digit's place among the test digits of each label (`before_<d>`: how many test digits
labelled d come before it), so that any run's index maps to MNIST's; the given labels are checked.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from mnist49 import data
from mnist49.analysis.reviews import COLUMNS, reviews_path


def build(records: list[dict]) -> pd.DataFrame:
    """One row per reviewed test digit, ordered by MNIST index."""
    rows = [
        (
            int(r["id"]),
            int(r["given_original_label"]),
            int(r["our_guessed_label"]),
            int(r["mturk"]["given"]),
            int(r["mturk"]["guessed"]),
            int(r["mturk"]["neither"]),
        )
        for r in records
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS)).sort_values("mnist_index", ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, help="cleanlab/label-errors' mturk/mnist_mturk.json")
    parser.add_argument("--mnist", type=Path, required=True, help="torchvision root of MNIST")
    parser.add_argument("--out", type=Path, default=reviews_path())
    args = parser.parse_args(argv)
    table = build(json.loads(args.json.read_text()))
    labels = np.asarray(data.load_idx_root(args.mnist, tuple(range(10))).test.labels)
    wrong = table[labels[table.mnist_index] != table.label]
    if len(wrong):
        raise SystemExit(f"given labels differ from MNIST's at {wrong.mnist_index.tolist()}")
    for d in range(10):
        table[f"before_{d}"] = np.cumsum(labels == d)[table.mnist_index] - (labels[table.mnist_index] == d)
    table.to_csv(args.out, index=False)
    print(f"{len(table)} reviewed test digits -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
