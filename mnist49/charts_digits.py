"""Altair charts of digits: how many of each class (Samples), and one digit's probabilities (Your
digit); pure functions of DataFrames."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mnist49.charts import ACCURACY_COLOUR, LABELS


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
