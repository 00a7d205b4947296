"""The Altair chart of several runs' curves overlaid (Compare); a pure function of DataFrames."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mnist49.charts import LABELS


def compare(
    long: pd.DataFrame, labels: dict[str, str] = LABELS, bands: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Several runs' curves (long: run, epoch, metric as train_loss / test_loss / test_accuracy,
    value): a colour per run, a line style per metric; accuracy on the right. `bands` (run,
    epoch, metric, min, max; compare.bands) shades the seeds' range around a run's curves."""
    names = {
        "train_loss": labels["train_loss"],
        "test_loss": labels["test_loss"],
        "test_accuracy": labels["accuracy"],
    }
    long = long.assign(metric=long["metric"].map(names))
    x = alt.X("epoch:Q", title=labels["epoch"], axis=alt.Axis(tickMinStep=1))
    dash = alt.StrokeDash(
        "metric:N",
        title=labels["metric"],
        scale=alt.Scale(domain=list(names.values()), range=[[1, 0], [6, 3], [2, 2]]),
    )
    colour = alt.Color("run:N", title=labels["run"], legend=alt.Legend(orient="bottom", columns=1))
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
    bands = bands.assign(metric=bands["metric"].map(names))
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
