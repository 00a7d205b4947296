"""Comparing runs: their curves side by side, the settings that differ, the digits they split on."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from mnist49 import data
from mnist49.analysis import stats
from mnist49.runs import Run
from mnist49.training import evaluate

METRICS = ["train_loss", "test_loss", "test_accuracy"]


def curves(runs: list[Run]) -> pd.DataFrame:
    """Every run's history in long form: run, epoch, metric, value."""
    frames = [r.history.melt("epoch", METRICS, "metric", "value").assign(run=r.name) for r in runs]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["epoch", "metric", "value", "run"])
    )


def bands(runs: list[Run]) -> pd.DataFrame:
    """For the runs of several seeds, the lowest and highest seed per epoch and metric (run,
    epoch, metric, min, max): what seeds.spread gives, in compare.curves' terms."""
    frames = [
        r.spread().rename(columns={"figure": "metric"}).assign(run=r.name) for r in runs if r.config.seeds > 1
    ]
    columns = ["run", "epoch", "metric", "min", "max"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def differing_settings(runs: list[Run]) -> pd.DataFrame:
    """The config fields whose values are not the same in all runs (a row each, a column a run)."""
    table = pd.DataFrame({r.name: {k: str(v) for k, v in r.config.to_dict().items()} for r in runs})
    return table[table.nunique(axis=1) > 1].rename_axis("setting")


def _same_digits(a: Run, b: Run, pa: pd.DataFrame | None, pb: pd.DataFrame | None) -> bool:
    """Whether two runs were tested on the same test digits (so they can be paired digit by digit)."""
    return (
        pa is not None
        and pb is not None
        and a.config.digits == b.config.digits
        and data.origin(a.config.data, a.config.digits) == data.origin(b.config.data, b.config.digits)
        and sorted(pa["index"]) == sorted(pb["index"])
    )


def _right(replicates: list[Run]) -> np.ndarray:
    """Which test digits each replicate gets right, (n, M) bool, the digits in test-set order."""
    return np.stack(
        [
            evaluate.classify(r.predictions()).sort_values("index")["correct"].to_numpy(bool)
            for r in replicates
        ]
    )


def paired_by_seed(a: Run, b: Run) -> bool:
    """Whether replicate k of A and of B trained from the same seed on the same train digits
    (same initial weights and batch order), so that their figures can be compared seed by seed."""
    fields = ["seed", "seeds", "train_size", "test_size", "digits", "vary_data", "exclude"]
    ca, cb = a.config, b.config
    return (
        ca.seeds >= 2
        and all(getattr(ca, f) == getattr(cb, f) for f in fields)
        and data.origin(ca.data, ca.digits) == data.origin(cb.data, cb.digits)
    )


def _final(replicate: Run, figure: str) -> float:
    """A replicate's figure for a verdict: its final test accuracy or lowest test loss, nan where
    it diverged (its history stops at its last finite epoch, which is not where it ended)."""
    history = replicate.history
    if replicate.status == "diverged" or not len(history):
        return math.nan
    return float(history.test_accuracy.iloc[-1] if figure == "accuracy" else history.test_loss.min())


def verdicts(a: Run, b: Run, name_a: str = "A", name_b: str = "B") -> list[stats.Verdict]:
    """Is B better than A? Its final test accuracy and lowest test loss against the seed noise
    (the paired t-test seed by seed where `paired_by_seed`, else Welch, over the replicates of
    each), and, when both were tested on the same digits, the digits one gets right and the
    other wrong against chance (McNemar for one seed each, else the sign test over the digits of
    the pooled replicates)."""
    # a diverged seed counts as one (nan), not as the last epoch it finished
    reps_a, reps_b = (
        [r for r in run.replicates() if len(r.history) or r.status == "diverged"] for run in (a, b)
    )
    paired = (
        paired_by_seed(a, b)
        and len(reps_a) == len(reps_b)
        and [r.config.replicate for r in reps_a] == [r.config.replicate for r in reps_b]
    )
    found = [
        stats.accuracy_verdict(
            [_final(r, "accuracy") for r in reps_a],
            [_final(r, "accuracy") for r in reps_b],
            name_a,
            name_b,
            paired,
        ),
        stats.loss_verdict(
            [_final(r, "loss") for r in reps_a],
            [_final(r, "loss") for r in reps_b],
            name_a,
            name_b,
            paired,
        ),
    ]
    with_preds_a = [r for r in reps_a if r.has_predictions]
    with_preds_b = [r for r in reps_b if r.has_predictions]
    if with_preds_a and with_preds_b and _same_digits(a, b, a.predictions(), b.predictions()):
        right_a, right_b = _right(with_preds_a), _right(with_preds_b)
        one_each = len(right_a) == len(right_b) == 1
        split = stats.mcnemar(right_a[0], right_b[0]) if one_each else stats.per_digit(right_a, right_b)
        found.append(stats.digits_verdict(split, name_a, name_b))
    return found


def disagreements(a: Run, b: Run, threshold: float = 0.5) -> pd.DataFrame | None:
    """The test digits one run gets right and the other wrong, or None when the two runs were
    not tested on the same digits. Columns: index, label, predicted_a, predicted_b, right ("a" or
    "b"), confidence_a, confidence_b (each run's confidence in what it predicted)."""
    pa, pb = a.predictions(), b.predictions()
    if not _same_digits(a, b, pa, pb):
        return None
    columns = ["index", "predicted", "confidence", "correct"]
    both = evaluate.classify(pa, threshold)[["label", *columns]].merge(
        evaluate.classify(pb, threshold)[columns], on="index", suffixes=("_a", "_b")
    )
    split = both[both["correct_a"] != both["correct_b"]]
    return split.assign(right=split["correct_a"].map({True: "a", False: "b"}))[
        ["index", "label", "predicted_a", "predicted_b", "right", "confidence_a", "confidence_b"]
    ].reset_index(drop=True)
