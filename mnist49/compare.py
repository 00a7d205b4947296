"""Comparing runs: their curves side by side, the settings that differ, the digits they split on."""

from __future__ import annotations

import pandas as pd

from mnist49 import data, evaluate
from mnist49.runs import Run

METRICS = ["train_loss", "test_loss", "test_accuracy"]


def curves(runs: list[Run]) -> pd.DataFrame:
    """Every run's history in long form: run, epoch, metric, value."""
    frames = [r.history.melt("epoch", METRICS, "metric", "value").assign(run=r.name) for r in runs]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["epoch", "metric", "value", "run"])
    )


def differing_settings(runs: list[Run]) -> pd.DataFrame:
    """The config fields whose values are not the same in all runs (a row each, a column a run)."""
    table = pd.DataFrame({r.name: {k: str(v) for k, v in r.config.to_dict().items()} for r in runs})
    return table[table.nunique(axis=1) > 1].rename_axis("setting")


def disagreements(a: Run, b: Run, threshold: float = 0.5) -> pd.DataFrame | None:
    """The test digits one run gets right and the other wrong, or None when the two runs were
    not tested on the same digits. Columns: index, label, predicted_a, predicted_b, right ("a" or
    "b"), confidence_a, confidence_b (each run's confidence in what it predicted)."""
    pa, pb = a.predictions(), b.predictions()
    if (
        pa is None
        or pb is None
        or a.config.digits != b.config.digits
        or data.origin(a.config.data, a.config.digits) != data.origin(b.config.data, b.config.digits)
        or sorted(pa["index"]) != sorted(pb["index"])
    ):
        return None
    columns = ["index", "predicted", "confidence", "correct"]
    both = evaluate.classify(pa, threshold)[["label", *columns]].merge(
        evaluate.classify(pb, threshold)[columns], on="index", suffixes=("_a", "_b")
    )
    split = both[both["correct_a"] != both["correct_b"]]
    return split.assign(right=split["correct_a"].map({True: "a", False: "b"}))[
        ["index", "label", "predicted_a", "predicted_b", "right", "confidence_a", "confidence_b"]
    ].reset_index(drop=True)
