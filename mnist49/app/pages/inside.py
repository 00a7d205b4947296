"""Inside: what the CNN computes for one digit, stage by stage, and where it looks."""

import numpy as np
import streamlit as st

from mnist49 import data, images, runs
from mnist49.analysis import inside
from mnist49.app import common, digits_view
from mnist49.app.text import t
from mnist49.models.model import MODELS
from mnist49.training import evaluate


def digit_ui(preds) -> int:
    """A test digit of the run (its most confidently wrong one first), as a test-set index."""
    ordered = evaluate.classify(preds).sort_values(["correct", "confidence"], ascending=[True, False])
    labels = {
        int(i): t("inside.digit_label", index=i, true=d, predicted=p, confidence=common.sure(c))
        + ("" if ok else t("inside.wrong"))
        for i, d, p, c, ok in zip(
            ordered["index"],
            ordered["label"],
            ordered["predicted"],
            ordered["confidence"],
            ordered["correct"],
            strict=True,
        )
    }
    return st.selectbox(t("inside.digit"), list(labels), format_func=labels.get, key="inside_digit")


st.title(t("page.inside"))
st.caption(t("inside.caption"))
found = [
    r
    for r in common.list_runs()
    if MODELS[r.config.model].feature_maps and r.weights_path() and r.has_predictions
]
if not found:
    st.info(t("inside.no_cnn"), icon=":material/info:")
    st.page_link("mnist49/app/pages/train.py", label=t("common.go_train"), icon=":material/show_chart:")
    st.stop()
run = common.pick_replicate(
    common.pick_run(t("common.run"), found), lambda r: bool(r.weights_path()) and r.has_predictions
)
try:
    model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
    preds = run.predictions()
    test = data.load(run.config.data, run.config.digits).test
except runs.RunError as e:
    st.error(t("common.run_error", error=e))
    st.stop()
except data.DataError as e:
    st.error(t("common.data_error", error=e))
    st.stop()
index = digit_ui(preds)
x = data.to_inputs(test.images[[index]])  # (1, 1, 28, 28)
probs = evaluate.answer(model, x, run.config.digits)
if not np.isfinite(probs).all():
    st.error(t("common.not_finite"))
    st.stop()

left, right = st.columns([1, 3])
with left:
    st.subheader(t("inside.saliency"))
    heat = inside.saliency(model, x)
    digits_view.show_grid(
        images.overlay(test.images[[index]], heat), [f"{probs.idxmax()}? {probs.max():.0%}"], cols=1, scale=6
    )
    st.caption(t("inside.saliency_caption"))
    if badge := digits_view.review_badge(index, run.config.digits):
        st.markdown(badge)
with right:
    st.subheader(t("inside.maps"))
    st.caption(t("inside.input"))
    for stage in inside.stages(model, x):
        maps = stage.maps
        shape = "x".join(str(d) for d in maps.shape)
        name = f"{t(f'stage.{stage.kind}', n=stage.number)} ({stage.layer})"
        st.markdown(t("inside.stage", name=name, shape=shape))  # one shade scale per stage
        scale = max(2, 56 // maps.shape[-1])
        digits_view.show_grid(255 - inside.to_pixels(maps), [], cols=16, scale=scale, border=True)

st.subheader(t("inside.kernels"))
for i, weights in enumerate(inside.kernels(model), start=1):
    c_out, c_in = weights.shape[:2]
    st.markdown(
        t("inside.kernel_layer", i=i, out=c_out, inp=c_in)
        + (t("inside.kernel_rows") if c_in > 1 else "")
        + t("inside.kernel_dark")
    )
    digits_view.show_grid(
        255 - inside.to_pixels(weights.reshape(-1, 3, 3)), [], cols=c_in if c_in > 1 else c_out, scale=12
    )
