"""The training curves of a run (Train) as a Vega-Lite spec, and what every chart module shares:
the chapter's colours and the words a chart shows (no Streamlit here).

The other charts live beside this one: charts_errors (predictions), charts_compare (runs
overlaid), charts_sweep (sweeps and the LR range test), charts_digits (Samples, Your digit)."""

from __future__ import annotations

import functools
import json

import altair as alt
import numpy as np
import pandas as pd

from mnist49.diagnose import BASELINE, best_epoch

LOSS_COLOURS = ("#1f77b4", "#2ca02c")  # train and test loss: the chapter's blue and green
ACCURACY_COLOUR = "#d62728"  # the chapter's red

# Every word a chart shows, in English; a UI passes its own `labels` to speak another language.
LABELS = {
    "epoch": "epoch",
    "loss": "loss",
    "train_loss": "train loss",
    "test_loss": "test loss",
    "accuracy": "test accuracy",
    "baseline": "baseline",
    "marker": "lowest test loss (epoch {epoch})",
    "true": "true",
    "predicted": "predicted",
    "count": "count",
    "digits": "digits",
    "true_digit": "true {digit}",
    "digit": "digit",
    "run": "run",
    "metric": "metric",
    "threshold": "threshold",
    "last_flip": "last flip",
    "right": "right",
    "wrong": "wrong",
    "confidence": "confidence in its answer",
    "probability": "probability",
    "final_accuracy": "final test accuracy",
    "lowest_loss": "lowest test loss",
    "best": "best",
    "lr": "learning rate",
    "smoothed_loss": "loss (smoothed)",
    "suggested": "suggested {lr:.2g}",
    "steepest": "steepest {lr:.2g}",
}


def curves(
    history: pd.DataFrame,
    epochs: int | None = None,
    labels: dict[str, str] = LABELS,
    baseline: float = BASELINE,
    spread: pd.DataFrame | None = None,
    singles: list[pd.DataFrame] = (),
) -> dict:
    """Train loss (blue) and test loss (green) on the left axis, test accuracy (red) on the right,
    the baseline of guessing dashed (0.5 for two digits), and a marker at the epoch of lowest
    test loss: a Vega-Lite spec (for st.vega_lite_chart) whose data are named DataFrames.

    With several seeds, `history` is their mean, `spread` (runs.spread) draws a band from the
    lowest to the highest replicate around each curve, and `singles`, the replicates' own
    histories, are drawn as thin lines.

    Why a spec and not an Altair chart: the Train page redraws this every few seconds while a run
    trains. Building and validating the Altair chart took about 80 ms of the server's CPU each
    time; it is now built once per layout. And because the data travel as datasets of fixed
    names, each redraw keeps the same spec, so the browser swaps the points in instead of
    building the chart anew."""
    x_max = max(epochs or 1, len(history), 2)  # fixed, so the chart grows rightwards
    spec = json.loads(_curves_layout(x_max, tuple(labels.items())))
    done = history["epoch"].to_numpy()
    losses = pd.DataFrame(
        {  # built directly: with history.melt a redraw took 2.6 ms, not 0.8
            "epoch": np.tile(done, 2),
            "metric": np.repeat([labels["train_loss"], labels["test_loss"]], len(done)),
            "loss": np.concatenate([history["train_loss"].to_numpy(), history["test_loss"].to_numpy()]),
        }
    )
    best = history[history["epoch"] == best_epoch(history)]
    spread = spread if spread is not None else pd.DataFrame(columns=["epoch", "figure", "min", "max"])
    loss_band = spread[spread["figure"] != "test_accuracy"]
    names = {"train_loss": labels["train_loss"], "test_loss": labels["test_loss"]}
    spec["datasets"] = {
        "losses": losses,
        "history": history,
        "loss_band": loss_band.assign(metric=loss_band["figure"].map(names))[
            ["epoch", "metric", "min", "max"]
        ],
        "accuracy_band": spread[spread["figure"] == "test_accuracy"][["epoch", "min", "max"]],
        "single_losses": pd.DataFrame(
            [
                {"epoch": e, "metric": names[name], "loss": v, "seed": k}
                for k, h in enumerate(singles)
                for name in names
                for e, v in zip(h["epoch"], h[name], strict=True)
            ],
            columns=["epoch", "metric", "loss", "seed"],
        ),
        "single_accuracy": pd.DataFrame(
            [
                {"epoch": e, "test_accuracy": v, "seed": k}
                for k, h in enumerate(singles)
                for e, v in zip(h["epoch"], h["test_accuracy"], strict=True)
            ],
            columns=["epoch", "test_accuracy", "seed"],
        ),
        "best": best.assign(label=[labels["marker"].format(epoch=e) for e in best["epoch"]]),
        "baseline": pd.DataFrame({"test_accuracy": [baseline]}),
    }
    return spec


@functools.lru_cache(maxsize=16)
def _curves_layout(x_max: int, label_items: tuple[tuple[str, str], ...]) -> str:
    """The curves' spec without their data, as JSON (so no caller can change the cached one)."""
    labels = dict(label_items)
    x = alt.X(
        "epoch:Q", title=labels["epoch"], scale=alt.Scale(domain=[1, x_max]), axis=alt.Axis(tickMinStep=1)
    )
    names = [labels["train_loss"], labels["test_loss"]]
    epoch_tip = alt.Tooltip("epoch:Q", title=labels["epoch"])
    loss_lines = (
        alt.Chart(alt.NamedData("losses"))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("loss:Q", title=labels["loss"], scale=alt.Scale(zero=True)),
            color=alt.Color(
                "metric:N",
                title=None,
                scale=alt.Scale(domain=names, range=list(LOSS_COLOURS)),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                epoch_tip,
                alt.Tooltip("metric:N", title=labels["metric"]),
                alt.Tooltip("loss:Q", format=".4f", title=labels["loss"]),
            ],
        )
    )
    loss_scale = alt.Scale(domain=names, range=list(LOSS_COLOURS))
    loss_band = (
        alt.Chart(alt.NamedData("loss_band"))
        .mark_area(opacity=0.18)
        .encode(
            x=x,
            y=alt.Y("min:Q", title=labels["loss"]),
            y2="max:Q",
            color=alt.Color("metric:N", title=None, scale=loss_scale, legend=alt.Legend(orient="top")),
        )
    )
    single_losses = (
        alt.Chart(alt.NamedData("single_losses"))
        .mark_line(strokeWidth=0.8, opacity=0.5)
        .encode(
            x=x,
            y=alt.Y("loss:Q", title=labels["loss"]),
            detail="seed:N",
            color=alt.Color("metric:N", title=None, scale=loss_scale, legend=alt.Legend(orient="top")),
        )
    )
    marker = (
        alt.Chart(alt.NamedData("best"))
        .mark_rule(color="gray", strokeDash=[2, 2])
        .encode(
            x=x,
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("test_loss:Q", format=".4f", title=labels["test_loss"]),
            ],
        )
    )
    accuracy_axis = alt.Y(
        "test_accuracy:Q",
        title=labels["accuracy"],
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(titleColor=ACCURACY_COLOUR, orient="right", format="%"),
    )
    accuracy = (
        alt.Chart(alt.NamedData("history"))
        .mark_line(color=ACCURACY_COLOUR, point=alt.OverlayMarkDef(color=ACCURACY_COLOUR))
        .encode(
            x=x,
            y=accuracy_axis,
            tooltip=[epoch_tip, alt.Tooltip("test_accuracy:Q", format=".2%", title=labels["accuracy"])],
        )
    )
    accuracy_band = (
        alt.Chart(alt.NamedData("accuracy_band"))
        .mark_area(color=ACCURACY_COLOUR, opacity=0.15)
        .encode(x=x, y=alt.Y("min:Q", title=labels["accuracy"], scale=alt.Scale(domain=[0, 1])), y2="max:Q")
    )
    single_accuracy = (
        alt.Chart(alt.NamedData("single_accuracy"))
        .mark_line(color=ACCURACY_COLOUR, strokeWidth=0.8, opacity=0.5)
        .encode(
            x=x,
            y=alt.Y("test_accuracy:Q", title=labels["accuracy"], scale=alt.Scale(domain=[0, 1])),
            detail="seed:N",
        )
    )
    guess = (
        alt.Chart(alt.NamedData("baseline"))
        .mark_rule(color=ACCURACY_COLOUR, strokeDash=[6, 4], opacity=0.6)
        .encode(
            y=accuracy_axis, tooltip=[alt.Tooltip("test_accuracy:Q", title=labels["baseline"], format=".0%")]
        )
    )
    chart = (
        alt.layer(
            alt.layer(loss_band, single_losses, loss_lines, marker),
            alt.layer(accuracy_band, single_accuracy, accuracy, guess),
        )
        .resolve_scale(y="independent")
        .properties(height=360)
    )
    spec = chart.to_dict()
    spec.pop("config", None)  # Altair's default theme's sizes; Streamlit sizes the chart itself
    return json.dumps(spec)


# TEMPORARY until the Train and Sweep pages import charts_sweep themselves
from mnist49.charts_sweep import knob, lr_range, sweep_curves  # noqa: E402, F401
