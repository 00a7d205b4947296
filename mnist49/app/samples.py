"""Samples: the labelled digits, how many of each, and what an average 4 and 9 look like."""

import pandas as pd
import streamlit as st
import torch

from mnist49 import augment, charts, data
from mnist49.app import common

ALL = data.load()


def filters_ui() -> tuple[str, str, int, int]:
    """Split, digit, how many and the shuffle seed, kept across pages."""
    seed_key = common.kept("samples_seed", 0)
    c1, c2, c3, c4 = st.columns([2, 2, 3, 1])
    split = c1.radio("Split", ["train", "test"], horizontal=True, key=common.kept("samples_split", "train"))
    digit = c2.radio("Digit", ["both", "4", "9"], horizontal=True, key=common.kept("samples_digit", "both"))
    count = c3.slider("How many", 10, 200, step=10, key=common.kept("samples_count", 50))
    c4.button("Reshuffle", icon=":material/shuffle:", on_click=_reshuffle,
              help="draw other digits (the seed goes up by one)")
    return split, digit, count, st.session_state[seed_key]


def _reshuffle() -> None:
    st.session_state["k_samples_seed"] += 1


st.title("Samples")
st.caption("The digits the model learns from: every 4 and 9 of MNIST. A 4 is the target 0.0, "
           "a 9 is 1.0.")
split, digit, count, seed = filters_ui()
digits = getattr(ALL, split)
chosen = digits if digit == "both" else digits[digits.labels == int(digit)]
shown, _ = data.sample(chosen, min(count, len(chosen)), seed)
common.show_grid(shown.images, [str(int(d)) for d in shown.labels], cols=10, scale=3)
st.caption(f"{len(shown)} of {len(chosen):,} {split} digits, drawn with seed {seed}; "
           "pixels shown 3x, without smoothing.")

left, right = st.columns(2)
with left:
    st.subheader(f"Class counts ({split})")
    counts = pd.DataFrame({"digit": list(data.PAIR),
                           "count": [int((digits.labels == d).sum()) for d in data.PAIR]})
    st.altair_chart(charts.class_counts(counts), width="stretch")
    st.caption("Close to balanced, so guessing scores about 50%: the baseline a model must beat.")
with right:
    st.subheader("Mean image of each digit")
    means = torch.stack([digits.images[digits.labels == d].float().mean(0) for d in data.PAIR])
    common.show_grid(means.round().to(torch.uint8), [f"mean {d}" for d in data.PAIR], cols=2,
                     scale=5)

st.subheader("What the model sees with augmentation")
augment_names = common.augment_ui()
transform = augment.pipeline(augment_names)
if transform is None:
    st.caption("Pick an augmentation to see ten random versions of the first digit above, as "
               "training would show them.")
else:
    torch.manual_seed(seed)
    x = data.to_tensors(shown[:1])[0]  # (1, 1, 28, 28)
    versions = torch.cat([x] + [transform(x) for _ in range(9)])[:, 0]  # (10, 28, 28)
    common.show_grid((versions * 255).round().to(torch.uint8),
                     ["original"] + [", ".join(augment_names)[:12]] * 9, cols=10, scale=3)
