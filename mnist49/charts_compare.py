"""The Altair chart of several runs' curves overlaid (Compare); a pure function of DataFrames."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from mnist49.charts import LABELS

# Tableau's ten categorical colours: hues far apart, none near white. Streamlit's own theme would
# colour two runs in two blues and a tenth one in near-white grey.
RUN_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#79706e",
)
LABEL_LENGTH = 24  # what the legend shows of a run's label in full, at any page width


def run_labels(names: list[str]) -> dict[str, str]:
    """A short label per run for a legend: its letter (A, B, ... in the order given, as the page
    names the runs in its verdicts) and the parts of its name that differ from the others'.

    Run names share most of their parts ("20261204-183701-cnn-7a3f2c"): cut to fit a legend
    from the end, they would all read the same."""
    parts = [[p for p in re.split(r"[-_/ ]", name) if p] for name in names]
    shared = set.intersection(*(set(p) for p in parts)) if len(parts) > 1 else set()
    found = {}
    for i, (name, mine) in enumerate(zip(names, parts, strict=True)):
        differ = "-".join(p for p in mine if p not in shared) or name
        if len(differ) > LABEL_LENGTH - 2:  # the end, where a name's random part is
            differ = "…" + differ[-(LABEL_LENGTH - 3) :]
        found[name] = f"{letter(i)} {differ}"
    return found


def letter(i: int) -> str:
    """A, B, ... Z, then AA, AB, ... (more than 26 runs are picked only by hand)."""
    return chr(ord("A") + i) if i < 26 else letter(i // 26 - 1) + chr(ord("A") + i % 26)


def compare(
    long: pd.DataFrame, labels: dict[str, str] = LABELS, bands: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Several runs' curves (long: run, epoch, metric as train_loss / test_loss / test_accuracy,
    value): a colour per run, a line style per metric; accuracy on the right. `bands` (run,
    epoch, metric, min, max; compare.bands) shades the seeds' range around a run's curves.

    The legend names each run by `run_labels` (its letter and what differs); the tooltip gives
    its whole name."""
    names = {
        "train_loss": labels["train_loss"],
        "test_loss": labels["test_loss"],
        "test_accuracy": labels["accuracy"],
    }
    runs = run_labels(list(pd.unique(long["run"])))
    long = long.assign(metric=long["metric"].map(names), label=long["run"].map(runs))
    x = alt.X("epoch:Q", title=labels["epoch"], axis=alt.Axis(tickMinStep=1))
    dash = alt.StrokeDash(
        "metric:N",
        title=labels["metric"],
        scale=alt.Scale(domain=list(names.values()), range=[[1, 0], [6, 3], [2, 2]]),
    )
    colour = alt.Color(
        "label:N",
        title=labels["run"],
        scale=alt.Scale(
            domain=list(runs.values()),
            range=[RUN_COLOURS[i % len(RUN_COLOURS)] for i in range(len(runs))],
        ),
        legend=alt.Legend(
            orient="bottom",
            columns=1,
            labelLimit=0,  # labels are short already: none is cut
            symbolType="stroke",
            symbolStrokeWidth=3,
            symbolOpacity=1,
        ),
    )
    tooltip = [
        alt.Tooltip("run:N", title=labels["run"]),
        alt.Tooltip("metric:N", title=labels["metric"]),
        alt.Tooltip("epoch:Q", title=labels["epoch"]),
        alt.Tooltip("value:Q", format=".4f"),
    ]
    is_accuracy = long["metric"] == names["test_accuracy"]
    losses = (
        alt.Chart(long[~is_accuracy])
        .mark_line()
        .encode(x=x, y=alt.Y("value:Q", title=labels["loss"]), color=colour, strokeDash=dash, tooltip=tooltip)
    )
    accuracy = (
        alt.Chart(long[is_accuracy])
        .mark_line()
        .encode(
            x=x,
            y=alt.Y(
                "value:Q",
                title=labels["accuracy"],
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(orient="right", format="%"),
            ),
            color=colour,
            strokeDash=dash,
            tooltip=tooltip,
        )
    )
    bands = bands if bands is not None else pd.DataFrame(columns=["run", "epoch", "metric", "min", "max"])
    bands = bands.assign(metric=bands["metric"].map(names), label=bands["run"].map(runs))
    is_band_accuracy = bands["metric"] == names["test_accuracy"]
    loss_band = (
        alt.Chart(bands[~is_band_accuracy])
        .mark_area(opacity=0.15)
        .encode(x=x, y=alt.Y("min:Q", title=labels["loss"]), y2="max:Q", color=colour, detail="metric:N")
    )
    accuracy_band = (
        alt.Chart(bands[is_band_accuracy])
        .mark_area(opacity=0.15)
        .encode(
            x=x,
            y=alt.Y("min:Q", title=labels["accuracy"], scale=alt.Scale(domain=[0, 1])),
            y2="max:Q",
            color=colour,
        )
    )
    return (
        alt.layer(alt.layer(loss_band, losses), alt.layer(accuracy_band, accuracy))
        .resolve_scale(y="independent")
        .properties(height=360)
    )
