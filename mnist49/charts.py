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

from mnist49.analysis.diagnose import BASELINE, best_epoch

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
    "lowest_point": "lowest {loss:.4f}",
    "rise": "lowest {low:.4f}, rose to {loss:.4f}",
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
    rise: bool = False,
    zoom: bool = False,
) -> dict:
    """Train loss (blue) and test loss (green) on the left axis, test accuracy (red) on the right,
    the baseline of guessing dashed (0.5 for two digits), and the lowest test loss marked (a
    rule at its epoch, a point with its value): a Vega-Lite spec (for st.vega_lite_chart) whose
    data are named DataFrames.

    `rise` (where the reading says overfitting) also marks the rise after the lowest test loss:
    a line from it to the last epoch's test loss, and that loss. A rise of 0.0014 on an axis
    from 0 to 0.7 is a flat line; `zoom` shows the epochs around and after the lowest test loss
    with the loss axis spanning the test loss there, so the rise shows (the train loss, far
    below, may leave the chart).

    With several seeds, `history` is their mean, `spread` (seeds.spread) draws a band from the
    lowest to the highest replicate around each curve, and `singles`, the replicates' own
    histories, are drawn as thin lines.

    Why a spec and not an Altair chart: the Train page redraws this every few seconds while a run
    trains. Building and validating the Altair chart took about 80 ms of the server's CPU each
    time; it is now built once per layout. And because the data travel as datasets of fixed
    names, each redraw keeps the same spec, so the browser swaps the points in instead of
    building the chart anew."""
    x_max = max(epochs or 1, len(history), 2)  # fixed, so the chart grows rightwards
    singles = list(singles)
    window = _zoom_window(history, spread, singles) if zoom and len(history) >= 2 else None
    spec = json.loads(_curves_layout(x_max, tuple(labels.items()), window))
    done = history["epoch"].to_numpy()
    losses = pd.DataFrame(
        {  # built directly: history.melt made each redraw several times slower
            "epoch": np.tile(done, 2),
            "metric": np.repeat([labels["train_loss"], labels["test_loss"]], len(done)),
            "loss": np.concatenate([history["train_loss"].to_numpy(), history["test_loss"].to_numpy()]),
        }
    )
    best = history[history["epoch"] == best_epoch(history)]
    shown_rise = _rise(history if rise else history.iloc[:0], best, labels)
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
        "best": best.assign(
            label=[labels["marker"].format(epoch=e) for e in best["epoch"]],
            # where the rise is marked, its one label says both losses: two labels crowd a zoom
            point=[
                labels["lowest_point"].format(loss=v) if shown_rise.empty else "" for v in best["test_loss"]
            ],
        ),
        "rise": shown_rise,
        "baseline": pd.DataFrame({"test_accuracy": [baseline]}),
    }
    return spec


def _rise(history: pd.DataFrame, best: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """From the lowest test loss to the last epoch's, where the last comes after it (a row)."""
    columns = ["epoch", "test_loss", "best_epoch", "best_loss", "label"]
    if history.empty or best.empty or history["epoch"].iloc[-1] <= best["epoch"].iloc[0]:
        return pd.DataFrame(columns=columns)
    last, low = history.iloc[-1], best.iloc[0]
    return pd.DataFrame(
        [
            [
                last["epoch"],
                last["test_loss"],
                low["epoch"],
                low["test_loss"],
                labels["rise"].format(low=low["test_loss"], loss=last["test_loss"]),
            ]
        ],
        columns=columns,
    )


def _zoom_window(
    history: pd.DataFrame, spread: pd.DataFrame | None, singles: list[pd.DataFrame]
) -> tuple[int, float, float]:
    """The first epoch and the loss axis's span for `curves`' zoom: from as many epochs before the
    lowest test loss as come after it (two at least); the axis from the lowest test loss to the
    highest after it (of the seeds' band and lines too) fills half of it, the fall before it comes
    in from the top."""
    best, last = best_epoch(history), int(history["epoch"].iloc[-1])
    start = max(1, min(best - 2, 2 * best - last, last - 1))
    tables = [history[["epoch", "test_loss"]].rename(columns={"test_loss": "loss"})]
    if spread is not None and len(spread):
        test = spread[spread["figure"] == "test_loss"]
        tables += [test[["epoch", "min"]].rename(columns={"min": "loss"})]
        tables += [test[["epoch", "max"]].rename(columns={"max": "loss"})]
    tables += [h[["epoch", "test_loss"]].rename(columns={"test_loss": "loss"}) for h in singles]
    seen = pd.concat(tables)
    seen = seen[np.isfinite(seen["loss"].astype(float))]
    low = float(seen.loc[seen["epoch"] >= start, "loss"].min())
    high = float(seen.loc[seen["epoch"] >= best, "loss"].max())
    span = high - low or abs(low) * 0.05 or 0.01
    return start, round(low - 0.4 * span, 6), round(high + 0.8 * span, 6)


@functools.lru_cache(maxsize=16)
def _curves_layout(
    x_max: int, label_items: tuple[tuple[str, str], ...], window: tuple[int, float, float] | None = None
) -> str:
    """The curves' spec without their data, as JSON (so no caller can change the cached one);
    `window`, the zoom's first epoch and loss span."""
    labels = dict(label_items)
    x_min = window[0] if window else 1
    x = alt.X(
        "epoch:Q",
        title=labels["epoch"],
        scale=alt.Scale(domain=[x_min, x_max]),
        axis=alt.Axis(tickMinStep=1),
    )
    loss_scale_of = (
        alt.Scale(domain=[window[1], window[2]], zero=False, nice=False) if window else alt.Scale(zero=True)
    )
    names = [labels["train_loss"], labels["test_loss"]]
    epoch_tip = alt.Tooltip("epoch:Q", title=labels["epoch"])
    loss_lines = (
        alt.Chart(alt.NamedData("losses"))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("loss:Q", title=labels["loss"], scale=loss_scale_of),
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
    best_point = (
        alt.Chart(alt.NamedData("best"))
        .mark_point(filled=True, size=90, color="black")
        .encode(x=x, y=alt.Y("test_loss:Q", title=labels["loss"]))
    )
    best_text = (
        alt.Chart(alt.NamedData("best"))
        .mark_text(dy=16, dx=4, align="right", fontWeight="bold")  # the lowest comes late: kept inside
        .encode(x=x, y=alt.Y("test_loss:Q", title=labels["loss"]), text="point:N")
    )
    rise_line = (
        alt.Chart(alt.NamedData("rise"))
        .mark_rule(color="black", strokeDash=[4, 3], strokeWidth=1.5)
        .encode(
            x=alt.X("best_epoch:Q", title=labels["epoch"]),
            y=alt.Y("best_loss:Q", title=labels["loss"]),
            x2="epoch:Q",
            y2="test_loss:Q",
        )
    )
    rise_point = (
        alt.Chart(alt.NamedData("rise"))
        .mark_point(filled=True, size=90, color="black", shape="triangle-up")
        .encode(x=x, y=alt.Y("test_loss:Q", title=labels["loss"]))
    )
    rise_text = (
        alt.Chart(alt.NamedData("rise"))
        .mark_text(dy=-14, align="right", fontWeight="bold")
        .encode(x=x, y=alt.Y("test_loss:Q", title=labels["loss"]), text="label:N")
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
            alt.layer(
                loss_band,
                single_losses,
                loss_lines,
                marker,
                rise_line,
                best_point,
                best_text,
                rise_point,
                rise_text,
            ),
            alt.layer(accuracy_band, single_accuracy, accuracy, guess),
        )
        .resolve_scale(y="independent")
        .properties(height=360)
    )
    spec = chart.to_dict()
    if window:  # lines outside the zoomed axes are cut at the chart's edge, not drawn over it
        for side in spec["layer"]:
            for layer in side["layer"]:
                if layer["data"]["name"] in ("best", "rise"):  # inside the window, their words too
                    continue
                mark = layer["mark"]
                layer["mark"] = (
                    {"type": mark, "clip": True} if isinstance(mark, str) else mark | {"clip": True}
                )
    spec.pop("config", None)  # Altair's default theme's sizes; Streamlit sizes the chart itself
    return json.dumps(spec)
