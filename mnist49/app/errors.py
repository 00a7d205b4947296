"""Errors: the test digits a run gets wrong, its confusion matrix and how sure it was."""

import streamlit as st
import torch

from mnist49 import charts, data, evaluate, images, inside
from mnist49.app import common
from mnist49.app.text import chart_labels, t

GALLERY_LIMIT = 120  # digits drawn at most; the count above says how many there are

CELLS = {"all": None, "4-9": (4, 9), "9-4": (9, 4), "4-4": (4, 4), "9-9": (9, 9)}  # true-predicted


def cell_name(key: str) -> str:
    cell = CELLS[key]
    return t("errors.cell.all") if cell is None else t("errors.cell", true=cell[0],
                                                        predicted=cell[1])


def run_ui():
    """The run to study (the latest with predictions by default), or None."""
    found = [r for r in common.list_runs() if r.has_predictions]
    if not found:
        st.info(t("errors.no_run"), icon=":material/info:")
        st.page_link("mnist49/app/train.py", label=t("common.go_train"), icon=":material/show_chart:")
        return None
    return common.pick_run(t("common.run"), found)


def clicked_cell(event) -> tuple[int, int] | None:
    points = (event or {}).get("selection", {}).get("cell") or []
    return (int(points[0]["true"]), int(points[0]["predicted"])) if points else None


st.title(t("page.errors"))
st.caption(t("errors.caption"))
run = run_ui()
labels = chart_labels()
if run is not None:
    preds = run.predictions()
    try:
        test_images = data.load(run.config.data).test.images
    except data.DataError as e:
        st.error(t("common.data_error", error=e))
        st.stop()
    replay = run.replay()
    if replay is not None and len(replay) > 1:
        epoch = st.slider(t("errors.epoch"), 1, len(replay), len(replay), key=f"epoch_{run.name}",
                          help=t("errors.epoch_help"))
        preds = evaluate.at_epoch(preds, replay, epoch)
    c1, c2, c3 = st.columns([3, 2, 3])
    threshold = c1.slider(t("errors.threshold"), 0.0, 1.0, step=0.01,
                          key=common.kept("errors_threshold", 0.5),
                          help=t("errors.threshold_help"))
    true_digit = c2.radio(t("errors.true_digit"), ["both", "4", "9"], horizontal=True,
                          format_func={"both": t("common.both"), "4": "4", "9": "9"}.get,
                          key=common.kept("errors_digit", "both"))
    show_saliency = c2.toggle(t("errors.saliency"), key=common.kept("errors_saliency", False),
                              help=t("errors.saliency_help"), disabled=run.weights_path() is None)
    chosen_cell = c3.selectbox(t("errors.show"), list(CELLS),
                               format_func={k: cell_name(k) for k in CELLS}.get,
                               key=common.kept("errors_cell", "all"), help=t("errors.show_help"))

    classified = evaluate.classify(preds, threshold)
    n_errors = int((~classified["correct"]).sum())
    st.markdown(t("errors.count", n=n_errors, total=len(preds),
                  accuracy=classified["correct"].mean(), threshold=threshold))

    left, right = st.columns([1, 2])
    with left:
        st.markdown(t("errors.confusion"))
        event = st.altair_chart(charts.confusion(evaluate.confusion(preds, threshold), labels),
                                on_select="rerun", key="confusion")
    with right:
        st.markdown(t("errors.histogram"))
        st.altair_chart(charts.p9_histogram(preds, threshold, labels), width="stretch")

    cell = clicked_cell(event) or CELLS[chosen_cell]
    if cell is None:
        shown = evaluate.errors(preds, threshold)
    else:
        shown = classified[(classified["label"] == cell[0]) & (classified["predicted"] == cell[1])]
        shown = shown.sort_values("confidence", ascending=cell[0] == cell[1])
    if true_digit != "both":
        shown = shown[shown["label"] == int(true_digit)]
    st.subheader(t("errors.errors", n=len(shown)) if cell is None else
                 t("errors.cell_title", true=cell[0], predicted=cell[1], n=len(shown)))
    if shown.empty:
        st.caption(t("errors.none"))
    else:
        top = shown.head(GALLERY_LIMIT)
        digits = test_images[top["index"].tolist()]
        if show_saliency and run.weights_path():
            model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
            digits = images.overlay(digits, inside.saliency(model, data.to_tensors(
                data.Digits(digits, torch.zeros(len(digits))))[0]))
        common.show_grid(digits,
                         [f"{d}  p9 {p:.2f}" for d, p in zip(top["label"], top["p9"], strict=True)],
                         cols=10, scale=3)
        st.caption(t("errors.gallery_caption")
                   + (t("errors.first_shown", n=GALLERY_LIMIT) if len(shown) > GALLERY_LIMIT else ""))

    if replay is not None and not shown.empty:
        st.subheader(t("errors.one_digit"))
        top = shown.head(GALLERY_LIMIT)
        names = {int(i): t("errors.digit_label", index=i, true=d, p9=p)
                 for i, d, p in zip(top["index"], top["label"], top["p9"], strict=True)}
        digit = st.selectbox(t("errors.digit"), list(names), format_func=names.get)
        position = int(preds.index[preds["index"] == digit][0])
        series = replay[:, position]
        flip = evaluate.last_flip(series, threshold)
        c1, c2 = st.columns([1, 4])
        with c1:
            common.show_grid(test_images[[digit]], [f"#{digit}"], cols=1, scale=4)
        with c2:
            st.altair_chart(charts.p9_over_epochs(series, threshold, flip, labels), width="stretch")
        st.caption(t("errors.flip", epoch=flip) if flip else t("errors.no_flip"))
