"""Your digit: upload a picture of a digit and see what a trained model makes of it."""

import numpy as np
import streamlit as st
import torch

from mnist49 import data, evaluate, images, inside, own, runs
from mnist49.app import common
from mnist49.app.text import t

st.title(t("page.your_digit"))
st.caption(t("own.caption"))
found = [r for r in common.list_runs() if r.weights_path()]
if not found:
    st.info(t("own.no_model"), icon=":material/info:")
    st.page_link("mnist49/app/train.py", label=t("common.go_train"), icon=":material/show_chart:")
    st.stop()
run = common.pick_run(t("common.run"), found)
upload = st.file_uploader(t("own.upload"), type=["png", "jpg", "jpeg"], key="own_upload")
if upload is None:
    st.stop()
try:
    picture = own.read_image(upload.getvalue())
    digit = own.to_mnist(picture)  # (28, 28) uint8
except own.ImageError as e:
    st.error(t(f"own.error.{e.kind}", **e.facts))
    st.stop()

try:
    model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
except runs.RunError as e:
    st.error(t("common.run_error", error=e))
    st.stop()
x = data.to_inputs(torch.from_numpy(digit)[None])  # (1, 1, 28, 28)
probs = evaluate.answer(model, x, run.config.digits)
if not np.isfinite(probs).all():
    st.error(t("common.not_finite"))
    st.stop()
heat = inside.saliency(model, x)

c1, c2, c3, c4 = st.columns(4)
with c1:
    st.markdown(t("own.picture"))
    thumb = picture.copy()
    thumb.thumbnail((200, 200))
    st.image(thumb)
with c2:
    st.markdown(t("own.sees"))
    common.show_grid(digit[None], [], cols=1, scale=6)
with c3:
    st.markdown(t("own.saliency"))
    common.show_grid(images.overlay(digit[None], heat), [], cols=1, scale=6)
with c4:
    guess = int(probs.idxmax())
    st.metric(t("own.says"), str(guess), f"p({guess}) = {probs.max():.3f}", delta_color="off")
    st.caption(t("own.sure", sure=probs.max(), digits=common.problem_name(run.config.digits)))
    if len(probs) > 2:
        st.bar_chart(probs.rename(t("own.probability")), height=160, x_label=t("own.digit"))
    if np.count_nonzero(digit) < 20:
        st.warning(t("own.little_ink"))
