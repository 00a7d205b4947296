"""Your digit: upload a picture of a 4 or a 9 and see what a trained model makes of it."""

import numpy as np
import streamlit as st
import torch

from mnist49 import data, images, inside, own
from mnist49.app import common

st.title("Your digit")
st.caption("Upload a photo or drawing of one digit (PNG or JPEG, any size, light or dark "
           "background). It is made into a 28x28 digit the way MNIST's were: cropped to its ink, "
           "scaled to fit 20x20, and centred on its centre of mass.")
found = [r for r in common.list_runs() if r.weights_path()]
if not found:
    st.info("No trained model yet. Train one on the **Train** page, then come back.",
            icon=":material/info:")
    st.page_link("mnist49/app/train.py", label="Go to Train", icon=":material/show_chart:")
    st.stop()
run = common.pick_run("Run", found)
upload = st.file_uploader("Picture of a digit", type=["png", "jpg", "jpeg"], key="own_upload")
if upload is None:
    st.stop()
try:
    picture = own.read_image(upload.getvalue())
    digit = own.to_mnist(picture)  # (28, 28) uint8
except own.ImageError as e:
    st.error(str(e))
    st.stop()

model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
x = data.to_tensors(data.Digits(torch.from_numpy(digit)[None], torch.zeros(1)))[0]
with torch.no_grad():
    p9 = torch.sigmoid(model(x)).item()
heat = inside.saliency(model, x)

c1, c2, c3, c4 = st.columns(4)
with c1:
    st.markdown("**Your picture**")
    thumb = picture.copy()
    thumb.thumbnail((200, 200))
    st.image(thumb)
with c2:
    st.markdown("**What the model sees** (28x28)")
    common.show_grid(digit[None], [], cols=1, scale=6)
with c3:
    st.markdown("**Saliency**")
    common.show_grid(images.overlay(digit[None], heat), [], cols=1, scale=6)
with c4:
    guess = 9 if p9 >= 0.5 else 4
    st.metric("The model says", str(guess), f"p(9) = {p9:.3f}", delta_color="off")
    sure = max(p9, 1 - p9)
    st.caption(f"{sure:.0%} sure. A 4/9 model can only answer 4 or 9, whatever the picture.")
    if np.count_nonzero(digit) < 20:
        st.warning("Very little ink was found; a thicker pen usually reads better.")
