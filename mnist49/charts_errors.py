"""Altair charts of a run's predictions: the confusion matrix, the histograms of p(9) and of
confidence, one digit's probability over the epochs; pure functions of DataFrames."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mnist49.charts import ACCURACY_COLOUR, LABELS


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
