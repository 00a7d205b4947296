"""Altair charts of sweeps and the LR range test: curves per value, what a knob does, the
suggested learning rate; pure functions of DataFrames."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from mnist49.charts import ACCURACY_COLOUR, LABELS, LOSS_COLOURS


def _value_scale(scale: str, values: list[float]) -> alt.Scale:
    """How a knob's values are spaced on an axis: log or linear, the domain just around the values
    (a log scale rounded out to powers of ten left half of a train-size panel empty)."""
    low, high = min(values), max(values)
    if scale == "log":
        return alt.Scale(type="log", domain=[low / 1.25, high * 1.25], nice=False)
    pad = (high - low) * 0.06 or 1.0
    return alt.Scale(type="linear", domain=[low - pad, high + pad], nice=False, zero=False)


def sweep_curves(
    curves: pd.DataFrame, knob: str, epochs: int, labels: dict[str, str] = LABELS
) -> alt.HConcatChart:
    """Test loss and test accuracy over the epochs, a curve per value of the knob (the mean over
    its seeds), coloured in the values' order on a sequential scale: `curves` has epoch, metric,
    y, value (its text) and order (its place among the values)."""
    order = curves.drop_duplicates("value").sort_values("order")["value"].tolist()
    colour = alt.Color(
        "value:O",
        title=knob,
        sort=order,
        scale=alt.Scale(scheme="viridis"),
        legend=alt.Legend(orient="right"),
    )
    x = alt.X(
        "epoch:Q",
        title=labels["epoch"],
        scale=alt.Scale(domain=[1, max(epochs, 2)]),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )

    def panel(metric: str, title: str) -> alt.Chart:
        return (
            alt.Chart(curves[curves["metric"] == metric])
            .mark_line(point=alt.OverlayMarkDef(size=12))
            .encode(
                x,
                alt.Y("y:Q", title=title, scale=alt.Scale(zero=False)),
                colour,
                tooltip=[
                    alt.Tooltip("value:O", title=knob),
                    "epoch:Q",
                    alt.Tooltip("y:Q", title=title, format=".4f"),
                ],
            )
            .properties(width=300, height=240)
        )

    return alt.hconcat(panel("test_loss", labels["test_loss"]), panel("test_accuracy", labels["accuracy"]))


def knob(
    summary: pd.DataFrame, knob: str, scale: str, best: object, figure: str, labels: dict[str, str] = LABELS
) -> alt.LayerChart:
    """What the knob does to one figure: final test accuracy (`figure` "test_accuracy", red) or
    lowest test loss ("lowest_test_loss", green) against its value, the mean over the seeds as a
    line with a band from the lowest to the highest seed, on a log axis where the values are
    log-spaced, and the best value marked; as wide as its container (the page sets two side by
    side).

    `summary` is sweep.SweepRun.summary() with the value's text in a column `label`."""
    table = summary.assign(best=summary["value"] == best)
    title = labels["final_accuracy" if figure == "test_accuracy" else "lowest_loss"]
    colour = ACCURACY_COLOUR if figure == "test_accuracy" else LOSS_COLOURS[1]
    if scale == "category":
        x = alt.X("label:N", title=knob, sort=table["label"].tolist(), axis=alt.Axis(labelAngle=0))
    else:
        values = table["value"].tolist()
        whole = all(float(v).is_integer() and v >= 1 for v in values)
        x = alt.X(
            "value:Q",
            title=knob,
            scale=_value_scale(scale, [float(v) for v in values]),
            # a tick at each value, written as the page writes it (11,791 and 0.004)
            axis=alt.Axis(values=values, format=",d" if whole else "~g", grid=False),
        )
    base = alt.Chart(table).encode(x)
    # one seed has no sd: its tooltip would say null (or 0.0, as though the seeds agreed)
    sd = [alt.Tooltip(f"{figure}_sd:Q", title="sd", format=".4f")] if table["seeds"].max() > 1 else []
    tooltip = [
        alt.Tooltip("label:N", title=knob),
        alt.Tooltip(f"{figure}_mean:Q", title=title, format=".4f"),
        *sd,
        alt.Tooltip("seeds:Q"),
    ]
    y = alt.Y(f"{figure}_mean:Q", title=title, scale=alt.Scale(zero=False, padding=14))
    low, high = alt.Y(f"{figure}_min:Q"), alt.Y2(f"{figure}_max:Q")
    if scale == "category":
        spread = base.mark_rule(color=colour, strokeWidth=2).encode(low, high)
        middle = base.mark_point(color=colour, filled=True, size=60).encode(y, tooltip=tooltip)
    else:
        spread = base.mark_area(color=colour, opacity=0.2).encode(low, high)
        middle = base.mark_line(color=colour, point=alt.OverlayMarkDef(color=colour)).encode(
            y, tooltip=tooltip
        )
    marked = (
        alt.Chart(table[table["best"]])
        .mark_point(shape="diamond", size=220, color="black", filled=False, strokeWidth=2)
        .encode(x, y, tooltip=tooltip)
    )
    text = marked.mark_text(dy=-16, fontWeight="bold").encode(text=alt.value(labels["best"]))
    return alt.layer(spread, middle, marked, text).properties(width="container", height=260)


def lr_range(
    lrs: np.ndarray,
    losses: np.ndarray,
    suggested: float | None,
    labels: dict[str, str] = LABELS,
    steepest: float | None = None,
) -> alt.LayerChart:
    """The LR range test: smoothed loss against the learning rate on a log axis, the suggested
    rate marked (red, dashed) and, if given, the steepest point of the fall (grey, dotted)."""
    table = pd.DataFrame({"lr": lrs, "loss": losses})
    line = (
        alt.Chart(table)
        .mark_line(color=LOSS_COLOURS[0])
        .encode(
            alt.X("lr:Q", title=labels["lr"], scale=alt.Scale(type="log")),
            alt.Y("loss:Q", title=labels["smoothed_loss"], scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("lr:Q", format=".2e"), alt.Tooltip("loss:Q", format=".4f")],
        )
    )
    layers = [line]
    for lr, label, colour, dash, dy in (
        (suggested, "suggested", ACCURACY_COLOUR, [4, 3], -90),
        (steepest, "steepest", "#7f7f7f", [1, 3], -70),
    ):
        if lr is None:
            continue
        mark = pd.DataFrame({"lr": [lr], "text": [labels[label].format(lr=lr)]})
        rule = alt.Chart(mark).mark_rule(color=colour, strokeDash=dash).encode(x="lr:Q")
        text = (
            alt.Chart(mark).mark_text(align="left", dx=4, dy=dy, color=colour).encode(x="lr:Q", text="text:N")
        )
        layers += [rule, text]
    return alt.layer(*layers).properties(height=220)
