"""Inside: what the CNN computes for one digit, stage by stage, and where it looks."""

import streamlit as st
import torch

from mnist49 import data, evaluate, images, inside
from mnist49.app import common


def digit_ui(preds) -> int:
    """A test digit of the run (its most confidently wrong one first), as a test-set index."""
    ordered = evaluate.classify(preds).sort_values(["correct", "confidence"], ascending=[True, False])
    labels = {int(i): f"#{i}: true {t}, p9 {p:.2f}" + ("" if ok else " (wrong)")
              for i, t, p, ok in zip(ordered["index"], ordered["label"], ordered["p9"],
                                     ordered["correct"], strict=True)}
    return st.selectbox("Test digit (errors first)", list(labels), format_func=labels.get,
                        key="inside_digit")


st.title("Inside")
st.caption("What the trained CNN computes for one digit: each stage's feature maps and shape, "
           "the 3x3 kernels it learned, and which pixels move its answer most.")
found = [r for r in common.list_runs()
         if r.config.model == "cnn" and r.weights_path() and r.has_predictions]
if not found:
    st.info("No trained CNN yet. Train one on the **Train** page, then come back.",
            icon=":material/info:")
    st.page_link("mnist49/app/train.py", label="Go to Train", icon=":material/show_chart:")
    st.stop()
run = common.pick_run("Run", found)
model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
try:
    test = data.load(run.config.data).test
except data.DataError as e:
    st.error(f"The run's data cannot be read: {e}")
    st.stop()
index = digit_ui(run.predictions())
x = data.to_tensors(test[[index]])[0]  # (1, 1, 28, 28)

left, right = st.columns([1, 3])
with left:
    st.subheader("Saliency")
    heat = inside.saliency(model, x)
    common.show_grid(images.overlay(test.images[[index]], heat), [f"p9 {torch.sigmoid(model(x)).item():.2f}"],
                     cols=1, scale=6)
    st.caption("Red: pixels where a small change moves the logit most (|d logit / d pixel|).")
with right:
    st.subheader("Feature maps")
    st.caption("input: 1x28x28")
    for name, maps in inside.stages(model, x):
        shape = "x".join(str(d) for d in maps.shape)
        st.markdown(f"**{name}** -> {shape}")  # one shade scale per stage: dark = active
        scale = max(2, 56 // maps.shape[-1])
        common.show_grid(255 - inside.to_pixels(maps), [], cols=16, scale=scale)

st.subheader("Learned kernels")
for i, weights in enumerate(inside.kernels(model), start=1):
    c_out, c_in = weights.shape[:2]
    st.markdown(f"**conv {i}**: {c_out} kernels of {c_in}x3x3"
                + (" (a row per output channel)" if c_in > 1 else "") + "; dark = large weight")
    common.show_grid(255 - inside.to_pixels(weights.reshape(-1, 3, 3)), [],
                     cols=c_in if c_in > 1 else c_out, scale=12)
