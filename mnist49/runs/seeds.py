"""What a run of several seeds says over them: the one place their means, sds and ranges are taken.

A run of one seed is summed up the same way: its sd is NaN (no spread to measure), as is every
figure of a run whose seeds finished no epoch. The edges say NaN as they must: the pages show
no "± sd", the CLI's JSON writes null.

Every function takes the seeds' histories (runs.Run.history, or the live ones of
jobs.JobState.histories), so a run on disk and one still training are summed up alike.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from mnist49.training.history import EpochRecord

if TYPE_CHECKING:
    from mnist49.runs import Run

CURVES = ("train_loss", "test_loss", "test_accuracy")  # the figures of each epoch
# Each seed's figures at the end of its run: its last epoch's, and its lowest test loss wherever
# it fell (not the lowest of the mean curve, which is higher when the seeds reach their lowest at
# different epochs, and would not match the sd).
FINALS = ("test_accuracy", "lowest_test_loss", "test_loss", "train_loss")
STATISTICS = ("mean", "sd", "min", "max")


def mean(records: dict[int, EpochRecord]) -> EpochRecord:
    """The mean of one epoch's records over the replicates (the seconds are the epoch's)."""
    first = next(iter(records.values()))
    return EpochRecord(
        first.epoch,
        *(statistics.fmean(getattr(r, figure) for r in records.values()) for figure in CURVES),
        first.seconds,
    )


def spread(histories: list[pd.DataFrame]) -> pd.DataFrame:
    """Per epoch and figure, the mean, sd, min and max over the histories that reached the epoch:
    columns epoch, figure (train_loss, test_loss, test_accuracy), mean, sd, min, max."""
    if not any(len(h) for h in histories):
        return pd.DataFrame(columns=["epoch", "figure", *STATISTICS])
    long = pd.concat(histories).melt(id_vars="epoch", value_vars=list(CURVES), var_name="figure")
    table = long.groupby(["epoch", "figure"])["value"].agg(["mean", "std", "min", "max"])
    return table.rename(columns={"std": "sd"}).reset_index()


def finals(histories: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per seed that finished an epoch (a finite test loss), in the order given: its
    FINALS, and the epoch of its lowest test loss (lowest_epoch). NaN losses are left out."""
    rows = [
        {
            **{figure: float(h[figure].iloc[-1]) for figure in CURVES},
            "lowest_test_loss": float(h["test_loss"].min()),
            "lowest_epoch": int(h.loc[h["test_loss"].idxmin(), "epoch"]),
        }
        for h in histories
        if h["test_loss"].notna().any()
    ]
    return pd.DataFrame(rows, columns=[*FINALS, "lowest_epoch"])


def summary(histories: list[pd.DataFrame]) -> dict[str, float | int]:
    """The seeds' finals summed up: seeds (how many finished an epoch), and for each of FINALS
    <figure>_mean, <figure>_sd (over the seeds, n - 1), <figure>_min and <figure>_max; NaN where
    no seed finished an epoch, and the sd NaN below two seeds."""
    table = finals(histories)
    found: dict[str, float | int] = {"seeds": len(table)}
    for figure in FINALS:
        values = table[figure].tolist()
        found |= {
            f"{figure}_mean": statistics.fmean(values) if values else math.nan,
            f"{figure}_sd": statistics.stdev(values) if len(values) > 1 else math.nan,
            f"{figure}_min": min(values, default=math.nan),
            f"{figure}_max": max(values, default=math.nan),
        }
    return found


def median_position(test_losses: Sequence[float]) -> int:
    """The index of the replicate with the median final test loss: the one to show as typical.

    Replicates without a finite loss (diverged) are left out; of an even number the lower of
    the two middle losses is taken (a real replicate, never an average of two)."""
    finite = [(loss, i) for i, loss in enumerate(test_losses) if math.isfinite(loss)]
    if not finite:
        return 0
    return sorted(finite)[(len(finite) - 1) // 2][1]


def median_replicate(replicates: list[Run]) -> int:
    """The position of the replicate with the median final test loss (median_position), leaving
    out those that diverged or finished no epoch."""
    return median_position(
        [
            float(r.history["test_loss"].iloc[-1]) if len(r.history) and r.status != "diverged" else math.nan
            for r in replicates
        ]
    )
