"""Your digit: draw a digit (or upload a picture of one) and see what a trained model makes of it."""

import numpy as np
import pandas as pd
import streamlit as st
import torch
from streamlit_drawable_canvas import st_canvas

from mnist49 import charts_digits, data, images, runs
from mnist49.analysis import inside, nearest, own
from mnist49.app import common, digits_view
from mnist49.app.text import chart_labels, language, t
from mnist49.training import evaluate

CANVAS = 280  # pixels: ten to one of MNIST's 28
# The canvas keeps its size whatever the window: its side of the page is that wide, and the answer
# beside it takes ANSWER pixels where they fit, else goes below it (a row that wraps, not columns,
# which would squeeze the canvas to half its width at 1000 px)
DRAWING, ANSWER = CANVAS + 20, 560
# MNIST's pen: strokes about 2-2.5 pixels wide in its 20x20 box. A digit drawn about 200 pixels
# tall here is scaled by a tenth, so a 22-pixel pen comes out as thick as theirs.
PEN = 22
UPLOAD_TYPES = ["png", "jpg", "jpeg"]


@st.cache_resource(max_entries=4, show_spinner=False)
def train_digits(run_path: str) -> tuple[data.Digits, nearest.Index]:
    """The run's own training digits, read and indexed once per run."""
    digits = nearest.train_digits(runs.load_run(run_path).config)
    return digits, nearest.Index.of(digits.images)


def drawing_ui() -> tuple[bytes | None, bool]:
    """The canvas, then the uploader: the PNG to read (the drawing if it has a stroke, else the
    upload, or None) and whether it is the drawing."""
    st.markdown(t("own.draw"))
    drawing = st_canvas(
        stroke_width=PEN,
        stroke_color="#000000",
        background_color="#ffffff",
        height=CANVAS,
        width=CANVAS,
        return_image_data=True,
        key="own_canvas",
    )
    st.caption(t("own.draw_help"))
    upload = st.file_uploader(t("own.upload"), type=UPLOAD_TYPES, key="own_upload")
    if language() != "en":
        st.html(f"<style>{uploader_words_css()}</style>")
    if drawing.json_data and drawing.json_data.get("objects") and drawing.image_bytes:
        if upload is not None:
            st.caption(t("own.drawing_first"))
        return drawing.image_bytes, True
    return (upload.getvalue() if upload is not None else None), False


def uploader_words_css() -> str:
    """CSS that shows the uploader's own words (its button, its size and type limit) in the page's
    language: Streamlit writes them in English and has no setting for them. The English is
    hidden (display: none, so not read out either) and the page's words are drawn in its place."""
    limit = t(
        "own.upload_limit", size=st.get_option("server.maxUploadSize"), types=", ".join(UPLOAD_TYPES).upper()
    )

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    zone = '[data-testid="stFileUploaderDropzone"]'
    words = f'{zone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]'
    instructions = f'{zone} [data-testid="stFileUploaderDropzoneInstructions"]'
    return (
        f"{words} > *, {instructions} > * {{ display: none; }}"
        f"{words}::after {{ content: {quoted(t('own.upload_button'))}; }}"
        f"{instructions}::after {{ content: {quoted(limit)}; font-size: 0.875rem; }}"
    )


def answer_ui(digit: np.ndarray, probs: pd.Series, heat: np.ndarray, digits: tuple[int, ...]) -> None:
    """What the model sees, its saliency, and its answer with every digit's probability."""
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown(t("own.sees"))
        digits_view.show_grid(digit[None], [], cols=1, scale=6)
    with c2:
        st.markdown(t("own.saliency"))
        digits_view.show_grid(images.overlay(digit[None], heat), [], cols=1, scale=6)
    with c3:
        guess = int(probs.idxmax())
        st.metric(t("own.says"), str(guess), f"p({guess}) = {probs.max():.3f}", delta_color="off")
        st.caption(t("own.sure", sure=common.sure(probs.max()), digits=common.problem_name(digits)))
    st.altair_chart(charts_digits.answer_bars(probs, chart_labels()), width="stretch")
    if np.count_nonzero(digit) < 20:
        st.warning(t("own.little_ink"))


def nearest_ui(run_path: str, digit: np.ndarray) -> None:
    """The run's training digits closest to `digit`, with their labels and distances."""
    try:
        train, searchable = train_digits(run_path)
    except data.DataError as e:
        st.info(t("common.data_error", error=e))
        return
    index, distance = nearest.nearest(digit, searchable)
    st.markdown(t("own.nearest"))
    digits_view.show_grid(
        train.images[index].numpy(),
        [f"{int(train.labels[i])}  ({d:.1f})" for i, d in zip(index, distance, strict=True)],
        cols=5,
        scale=3,
    )


st.title(t("page.your_digit"))
st.caption(t("own.caption"))
found = [r for r in common.list_runs() if r.weights_path()]
if not found:
    st.info(t("own.no_model"), icon=":material/info:")
    st.page_link("mnist49/app/pages/train.py", label=t("common.go_train"), icon=":material/show_chart:")
    st.stop()
run = common.pick_replicate(common.pick_run(t("common.run"), found), lambda r: bool(r.weights_path()))
row = st.container(horizontal=True, wrap=True, gap="large")
left, right = row.container(width=DRAWING, key="own_drawing"), row.container(width=ANSWER, key="own_answer")
with left:
    raw, drawn = drawing_ui()
with right:
    if raw is None:
        st.info(t("own.empty"), icon=":material/draw:")
        st.stop()
    try:
        picture = own.read_image(raw)
        digit = own.to_mnist(picture)  # (28, 28) uint8: the drawing as any upload
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
    answer_ui(digit, probs, inside.saliency(model, x), run.config.digits)
    nearest_ui(str(run.path), digit)
if not drawn:
    with left:
        st.markdown(t("own.picture"))
        picture.thumbnail((200, 200))
        st.image(picture)
