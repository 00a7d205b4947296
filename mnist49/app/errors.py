"""Errors: the test digits a run gets wrong, its confusion matrix and how sure it was."""

import streamlit as st
import torch

from mnist49 import charts, data, evaluate, images, inside
from mnist49.app import common

GALLERY_LIMIT = 120  # digits drawn at most; the count above says how many there are

CELLS = {"all errors": None, "true 4, predicted 9": (4, 9), "true 9, predicted 4": (9, 4),
         "true 4, predicted 4": (4, 4), "true 9, predicted 9": (9, 9)}


def run_ui():
    """The run to study (the latest with predictions by default), or None."""
    found = [r for r in common.list_runs() if r.has_predictions]
    if not found:
        st.info("No finished run to study yet. Train one on the **Train** page, then come back.",
                icon=":material/info:")
        st.page_link("mnist49/app/train.py", label="Go to Train", icon=":material/show_chart:")
        return None
    return common.pick_run("Run", found)


def clicked_cell(event) -> tuple[int, int] | None:
    points = (event or {}).get("selection", {}).get("cell") or []
    return (int(points[0]["true"]), int(points[0]["predicted"])) if points else None


st.title("Errors")
st.caption("The test digits the model gets wrong, most confidently wrong first.")
run = run_ui()
if run is not None:
    preds = run.predictions()
    try:
        test_images = data.load(run.config.data).test.images
    except data.DataError as e:
        st.error(f"The run's data cannot be read: {e}")
        st.stop()
    replay = run.replay()
    if replay is not None and len(replay) > 1:
        epoch = st.slider("Epoch", 1, len(replay), len(replay), key=f"epoch_{run.name}",
                          help="replay: the predictions as they were after this epoch")
        preds = evaluate.at_epoch(preds, replay, epoch)
    c1, c2, c3 = st.columns([3, 2, 3])
    threshold = c1.slider("Threshold on p(9)", 0.0, 1.0, step=0.01,
                          key=common.kept("errors_threshold", 0.5),
                          help="p(9) at or above it counts as a 9")
    true_digit = c2.radio("True digit", ["both", "4", "9"], horizontal=True,
                          key=common.kept("errors_digit", "both"))
    show_saliency = c2.toggle("Saliency", key=common.kept("errors_saliency", False),
                              help="colour the pixels that move the model's answer most "
                              "(final weights)", disabled=run.weights_path() is None)
    chosen_cell = c3.selectbox("Show", list(CELLS), key=common.kept("errors_cell", "all errors"),
                               help="or click a cell of the confusion matrix")

    classified = evaluate.classify(preds, threshold)
    n_errors = int((~classified["correct"]).sum())
    st.markdown(f"**{n_errors} errors** out of {len(preds)} test digits: accuracy "
                f"**{classified['correct'].mean():.1%}** at threshold {threshold:.2f}")

    left, right = st.columns([1, 2])
    with left:
        st.markdown("**Confusion matrix** (click a cell)")
        event = st.altair_chart(charts.confusion(evaluate.confusion(preds, threshold)),
                                on_select="rerun", key="confusion")
    with right:
        st.markdown("**p(9) for true 4s and true 9s**, threshold in black")
        st.altair_chart(charts.p9_histogram(preds, threshold), width="stretch")

    cell = clicked_cell(event) or CELLS[chosen_cell]
    if cell is None:
        shown, what = evaluate.errors(preds, threshold), "errors"
    else:
        shown = classified[(classified["label"] == cell[0]) & (classified["predicted"] == cell[1])]
        shown = shown.sort_values("confidence", ascending=cell[0] == cell[1])
        what = f"true {cell[0]}, predicted {cell[1]}"
    if true_digit != "both":
        shown = shown[shown["label"] == int(true_digit)]
    st.subheader(f"{what.capitalize()}: {len(shown)}")
    if shown.empty:
        st.caption("None at this threshold and filter.")
    else:
        top = shown.head(GALLERY_LIMIT)
        digits = test_images[top["index"].tolist()]
        if show_saliency and run.weights_path():
            model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
            digits = images.overlay(digits, inside.saliency(model, data.to_tensors(
                data.Digits(digits, torch.zeros(len(digits))))[0]))
        common.show_grid(digits,
                         [f"{t}  p9 {p:.2f}" for t, p in zip(top["label"], top["p9"], strict=True)],
                         cols=10, scale=3)
        st.caption("Each digit: its true label and the model's p(9)."
                   + (f" The first {GALLERY_LIMIT} are shown." if len(shown) > GALLERY_LIMIT else ""))

    if replay is not None and not shown.empty:
        st.subheader("One digit across the epochs")
        top = shown.head(GALLERY_LIMIT)
        labels = {int(i): f"test digit #{i} (true {t}, p9 {p:.2f})"
                  for i, t, p in zip(top["index"], top["label"], top["p9"], strict=True)}
        digit = st.selectbox("Digit", list(labels), format_func=labels.get)
        position = int(preds.index[preds["index"] == digit][0])
        series = replay[:, position]
        flip = evaluate.last_flip(series, threshold)
        c1, c2 = st.columns([1, 4])
        with c1:
            common.show_grid(test_images[[digit]], [labels[digit].split(" (")[0]], cols=1, scale=4)
        with c2:
            st.altair_chart(charts.p9_over_epochs(series, threshold, flip), width="stretch")
        st.caption(f"Its prediction last changed side at epoch {flip}." if flip else
                   "Its prediction never changed side of the threshold.")
