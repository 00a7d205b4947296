"""Altair charts of runs and predictions; pure functions of DataFrames (no Streamlit here).

All return Altair charts but `curves`, which returns its Vega-Lite spec (see there why)."""

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


def confusion(table: pd.DataFrame, labels: dict[str, str] = LABELS) -> alt.LayerChart:
    """A clickable heatmap of a confusion table (rows true, columns predicted)."""
    cells = table.stack().rename("count").reset_index()
    cells["true"], cells["predicted"] = cells["true"].astype(str), cells["predicted"].astype(str)
    pick = alt.selection_point(name="cell", fields=["true", "predicted"], on="click")
    base = alt.Chart(cells).encode(
        x=alt.X("predicted:N", title=labels["predicted"], axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("true:N", title=labels["true"]),
    )
    heat = (
        base.mark_rect()
        .encode(
            color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
            tooltip=[
                alt.Tooltip("true:N", title=labels["true"]),
                alt.Tooltip("predicted:N", title=labels["predicted"]),
                alt.Tooltip("count:Q", title=labels["count"]),
            ],
        )
        .add_params(pick)
    )
    n = len(table)  # 2 digits: big cells and figures; 10: a cell a figure still fits in
    text = base.mark_text(fontSize=20 if n <= 3 else 11).encode(
        text="count:Q",
        color=alt.condition(
            alt.datum.count > cells["count"].max() / 2, alt.value("white"), alt.value("black")
        ),
    )
    return alt.layer(heat, text).properties(width=max(260, 36 * n), height=max(220, 32 * n))


def p_histogram(preds: pd.DataFrame, threshold: float, labels: dict[str, str] = LABELS) -> alt.LayerChart:
    """Two digits: how p(second digit) is spread for each true digit, with the threshold."""
    column = [c for c in preds.columns if c.startswith("p_")][-1]  # the second digit's
    data = preds.assign(
        digit=preds["label"].map(lambda d: labels["true_digit"].format(digit=d)), p=preds[column]
    )
    bars = _histogram(
        data,
        "p",
        f"p({column[2:]})",
        "digit",
        labels["digit"],
        alt.Scale(range=["#ff7f0e", "#9467bd"]),
        labels,
    )
    rule = (
        alt.Chart(pd.DataFrame({"p": [threshold]}))
        .mark_rule(color="black", strokeWidth=2)
        .encode(x="p:Q", tooltip=[alt.Tooltip("p:Q", title=labels["threshold"])])
    )
    return alt.layer(bars, rule).properties(height=220)


def confidence_histogram(classified: pd.DataFrame, labels: dict[str, str] = LABELS) -> alt.Chart:
    """More than two digits: how sure the model is of its answer, when right and when wrong
    (`classified` from evaluate.classify)."""
    data = classified.assign(
        outcome=classified["correct"].map({True: labels["right"], False: labels["wrong"]})
    )
    return _histogram(
        data,
        "confidence",
        labels["confidence"],
        "outcome",
        " ",
        alt.Scale(domain=[labels["right"], labels["wrong"]], range=["#2ca02c", "#d62728"]),
        labels,
    ).properties(height=220)


def _histogram(
    data: pd.DataFrame,
    x: str,
    title: str,
    group: str,
    group_title: str,
    colours: alt.Scale,
    labels: dict[str, str],
) -> alt.Chart:
    """Overlaid bars of a probability in [0, 1] (steps of 0.05), a colour per group, on a linear
    count axis with whole-number ticks, so that any bar's count can be read off it (the tooltip
    gives the few digits between the peaks exactly)."""
    return (
        alt.Chart(data)
        .mark_bar(opacity=0.6, binSpacing=0)
        .encode(
            x=alt.X(f"{x}:Q", bin=alt.Bin(step=0.05, extent=[0, 1]), title=title),
            y=alt.Y("count():Q", stack=None, title=labels["digits"], axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{group}:N", title=None, scale=colours),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group_title),
                alt.Tooltip("count():Q", title=labels["digits"]),
            ],
        )
    )


def class_counts(counts: pd.DataFrame, labels: dict[str, str] = LABELS) -> alt.Chart:
    """Bars of how many digits of each class; `counts` has columns digit and count."""
    return (
        alt.Chart(counts.assign(digit=counts["digit"].astype(str)))
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title=labels["count"]),
            y=alt.Y("digit:N", title=labels["digit"], axis=alt.Axis(labelAngle=0, labelFontSize=14)),
            tooltip=[
                alt.Tooltip("digit:N", title=labels["digit"]),
                alt.Tooltip("count:Q", title=labels["count"]),
            ],
        )
        .properties(height=max(120, 24 * len(counts)))
    )


def p_over_epochs(
    p, title: str, threshold: float | None, flip: int | None, labels: dict[str, str] = LABELS
) -> alt.LayerChart:
    """One digit's probability (titled, say, "p(9)") after each epoch, the decision threshold
    where there is one, and the epoch its prediction last flipped."""
    series = pd.DataFrame({"epoch": range(1, len(p) + 1), "p": p})
    y = alt.Y("p:Q", title=title, scale=alt.Scale(domain=[0, 1]))
    line = (
        alt.Chart(series)
        .mark_line(point=True, color=ACCURACY_COLOUR)
        .encode(
            x=alt.X("epoch:Q", title=labels["epoch"], axis=alt.Axis(tickMinStep=1)),
            y=y,
            tooltip=[
                alt.Tooltip("epoch:Q", title=labels["epoch"]),
                alt.Tooltip("p:Q", title=title, format=".3f"),
            ],
        )
    )
    layers = [line]
    if threshold is not None:
        layers.append(alt.Chart(pd.DataFrame({"p": [threshold]})).mark_rule(strokeDash=[6, 4]).encode(y=y))
    if flip:
        layers.append(
            alt.Chart(pd.DataFrame({"epoch": [flip]}))
            .mark_rule(color="gray")
            .encode(x="epoch:Q", tooltip=[alt.Tooltip("epoch:Q", title=labels["last_flip"])])
        )
    return alt.layer(*layers).properties(height=160)


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


def answer_bars(probs: pd.Series, labels: dict[str, str] = LABELS) -> alt.LayerChart:
    """Each digit's probability (the index) as a bar on a fixed 0-1 scale, the answer in red: the
    scale stays put from one drawing to the next, so a flip of the answer shows."""
    frame = pd.DataFrame({"digit": [str(d) for d in probs.index], "p": probs.to_numpy(dtype=float)})
    frame["answer"] = frame["p"] == frame["p"].max()
    base = alt.Chart(frame).encode(
        y=alt.Y("digit:N", title=labels["digit"], sort=None),
        x=alt.X("p:Q", title=labels["probability"], scale=alt.Scale(domain=[0, 1])),
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.answer", alt.value(ACCURACY_COLOUR), alt.value("#9aa5b1")),
        tooltip=[alt.Tooltip("digit:N", title=labels["digit"]), alt.Tooltip("p:Q", format=".3f")],
    )
    values = base.mark_text(align="left", dx=3).encode(text=alt.Text("p:Q", format=".2f"))
    return (bars + values).properties(height=30 * len(frame) + 50)  # Streamlit counts the axis in


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
    """What the knob does to one figure: final test accuracy (`figure` "accuracy", red) or lowest
    test loss ("loss", green) against its value, the mean over the seeds as a line with a band
    from the lowest to the highest seed, on a log axis where the values are log-spaced, and the
    best value marked; as wide as its container (the page sets two side by side).

    `summary` is sweep.SweepRun.summary() with the value's text in a column `label`."""
    table = summary.assign(best=summary["value"] == best)
    title = labels["final_accuracy" if figure == "accuracy" else "lowest_loss"]
    colour = ACCURACY_COLOUR if figure == "accuracy" else LOSS_COLOURS[1]
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
    tooltip = [
        alt.Tooltip("label:N", title=knob),
        alt.Tooltip(f"{figure}_mean:Q", title=title, format=".4f"),
        alt.Tooltip(f"{figure}_sd:Q", title="sd", format=".4f"),
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
