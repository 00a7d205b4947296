"""Samples: the labelled digits, how many of each, and what an average 4 and 9 look like
(or whichever digits the learner picked).

The first page: it draws from NumPy arrays, so that the server shows it without importing torch
(about a second of CPU); only the augmented versions, off by default, need torch.
"""

import numpy as np
import pandas as pd
import streamlit as st

from mnist49 import augment, charts_digits, data
from mnist49.app import common, digits_view
from mnist49.app.text import chart_labels, t


def filters_ui(classes: tuple[int, ...]) -> tuple[str, str, int, int]:
    """Split, digit, how many and the shuffle seed, kept across pages."""
    seed_key = common.kept("samples_seed", 0)
    c1, c2, c3, c4 = st.columns([2, 2, 2, 1.8])  # "引き直す" and its icon fit at 1000 px
    split = c1.radio(
        t("samples.split"),
        ["train", "test"],
        horizontal=True,
        format_func={s: t(f"samples.{s}") for s in ("train", "test")}.get,
        key=common.kept("samples_split", "train"),
    )
    options = ["all", *map(str, classes)]
    digit = c2.radio(
        t("samples.digit"),
        options,
        horizontal=True,
        format_func={"all": t("common.all"), **{o: o for o in options[1:]}}.get,
        key=common.valid("samples_digit", options, "all"),
    )
    count = c3.slider(t("samples.count"), 10, 200, step=10, key=common.kept("samples_count", 50))
    c4.button(
        t("samples.reshuffle"),
        icon=":material/shuffle:",
        on_click=_reshuffle,
        help=t("samples.reshuffle_help"),
    )
    return split, digit, count, st.session_state[seed_key]


def _reshuffle() -> None:
    st.session_state["k_samples_seed"] += 1


st.title(t("page.samples"))
caption = st.empty()  # says which digits, once they are picked below
classes = common.digits_ui()
if classes is None:
    st.stop()
if classes == data.PAIR:
    caption.caption(t("samples.caption"))
else:
    caption.caption(t("samples.caption_picked", digits=common.problem_name(classes)))
split, digit, count, seed = filters_ui(classes)
digits = getattr(data.arrays(digits=classes), split)
chosen = digits if digit == "all" else digits[digits.labels == int(digit)]
shown = data.draw(chosen, min(count, len(chosen)), seed)
digits_view.show_grid(shown.images, [str(int(d)) for d in shown.labels], cols=10, scale=3)
st.caption(t("samples.shown", n=len(shown), total=len(chosen), split=t(f"samples.{split}"), seed=seed))

left, right = st.columns(2)
with left:
    st.subheader(t("samples.counts", split=t(f"samples.{split}")))
    counts = pd.DataFrame(
        {"digit": list(classes), "count": [int((digits.labels == d).sum()) for d in classes]}
    )
    st.altair_chart(charts_digits.class_counts(counts, chart_labels()), width="stretch")
    st.caption(t("samples.counts_caption", baseline=1 / len(classes)))
with right:
    st.subheader(t("samples.means"))
    means = np.stack([digits.images[digits.labels == d].mean(0) for d in classes])  # (C, 28, 28)
    captions = [t("samples.mean", digit=d) for d in classes]
    digits_view.show_each(means.round(), captions, scale=5 if len(classes) == 2 else 3)

st.subheader(t("samples.augmented"))
augment_names = common.augment_ui(shared_with="train")
if not augment_names:
    st.caption(t("samples.augment_hint"))
else:
    x = data.to_inputs(shown.images[:1])  # (1, 1, 28, 28)
    versions = augment.versions(x, augment_names, 9, seed)[:, 0].numpy()  # (9, 28, 28) in [0, 1]
    digits_view.show_each(
        np.concatenate([shown.images[:1], (versions * 255).round()]),
        [t("samples.original")] + [", ".join(t(f"augment.{n}") for n in augment_names)] * 9,
    )
