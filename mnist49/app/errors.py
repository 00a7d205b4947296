"""Errors: the test digits a run gets wrong, its confusion matrix and how sure it was."""

import streamlit as st

from mnist49 import charts, data, evaluate, images, inside, reviews, runs
from mnist49.app import common
from mnist49.app.text import chart_labels, t

GALLERY_LIMIT = 120  # digits drawn at most; the count above says how many there are


def cells(digits: tuple[int, ...]) -> dict[str, tuple[int, int] | None]:
    """What the gallery can show: all errors, or one cell (true, predicted) of the matrix;
    the errors' cells first."""
    pairs = sorted(((a, b) for a in digits for b in digits), key=lambda c: (c[0] == c[1], c))
    return {"all": None} | {f"{a}-{b}": (a, b) for a, b in pairs}


def cell_name(cell: tuple[int, int] | None) -> str:
    return t("errors.cell.all") if cell is None else t("errors.cell", true=cell[0], predicted=cell[1])


def run_ui():
    """The run to study (the latest with predictions by default), or None."""
    found = [r for r in common.list_runs() if r.has_predictions]
    if not found:
        st.info(t("errors.no_run"), icon=":material/info:")
        st.page_link("mnist49/app/train.py", label=t("common.go_train"), icon=":material/show_chart:")
        return None
    return common.pick_replicate(common.pick_run(t("common.run"), found), lambda r: r.has_predictions)


def review_text(index: int, digits: tuple[int, ...]) -> str | None:
    """The reviewers' verdict on a test digit, as a badge's words, or None if none reviewed it."""
    found = reviews.review(index, digits)
    if found is None:
        return None
    if found.verdict == "error":
        return t("review.error", n=found.votes_suggested, total=sum(found.votes), digit=found.suggested)
    if found.verdict == "split":
        return t("review.split", votes=" / ".join(map(str, found.votes)))
    return t("review.kept")


def clicked_cell(event) -> tuple[int, int] | None:
    points = (event or {}).get("selection", {}).get("cell") or []
    return (int(points[0]["true"]), int(points[0]["predicted"])) if points else None


st.title(t("page.errors"))
st.caption(t("errors.caption"))
run = run_ui()
labels = chart_labels()
if run is not None:
    digits = run.config.digits
    try:
        preds = run.predictions()
        test_images = data.load(run.config.data, digits).test.images
    except runs.RunError as e:
        st.error(t("common.run_error", error=e))
        st.stop()
    except data.DataError as e:
        st.error(t("common.data_error", error=e))
        st.stop()
    try:
        replay = run.replay()
    except runs.RunError as e:  # the page goes on without the replay
        st.error(t("common.run_error", error=e))
        replay = None
    if replay is not None and len(replay) > 1:
        epoch = st.slider(
            t("errors.epoch"),
            1,
            len(replay),
            len(replay),
            key=f"epoch_{run.key}",
            help=t("errors.epoch_help"),
        )
        preds = evaluate.at_epoch(preds, replay, epoch)
    c1, c2, c3 = st.columns([3, 2, 3])
    if run.config.binary:
        threshold = c1.slider(
            t("errors.threshold", digit=digits[1]),
            0.0,
            1.0,
            step=0.01,
            key=common.kept("errors_threshold", 0.5),
            help=t("errors.threshold_help", digit=digits[1]),
        )
    else:
        threshold = 0.5  # unused: more than two digits are decided by the most likely one
        c1.caption(t("errors.most_likely"))
    options = ["all", *map(str, digits)]
    true_digit = c2.radio(
        t("errors.true_digit"),
        options,
        horizontal=True,
        format_func={"all": t("common.all"), **{o: o for o in options[1:]}}.get,
        key=common.valid("errors_digit", options, "all"),
    )
    show_saliency = c2.toggle(
        t("errors.saliency"),
        key=common.kept("errors_saliency", False),
        help=t("errors.saliency_help"),
        disabled=run.weights_path() is None,
    )
    choices = cells(digits)
    chosen_cell = c3.selectbox(
        t("errors.show"),
        list(choices),
        format_func={k: cell_name(c) for k, c in choices.items()}.get,
        key=common.valid("errors_cell", list(choices), "all"),
        help=t("errors.show_help"),
    )

    classified = evaluate.classify(preds, threshold)
    n_errors = int((~classified["correct"]).sum())
    st.markdown(
        t("errors.count", n=n_errors, total=len(preds), accuracy=classified["correct"].mean())
        + (t("errors.at_threshold", threshold=threshold) if run.config.binary else "")
    )

    left, right = st.columns([1, 2] if run.config.binary else [3, 2])
    with left:
        st.markdown(t("errors.confusion"))
        event = st.altair_chart(
            charts.confusion(evaluate.confusion(preds, threshold), labels), on_select="rerun", key="confusion"
        )
    with right:
        if run.config.binary:
            st.markdown(t("errors.histogram", a=digits[0], b=digits[1]))
            st.altair_chart(charts.p_histogram(preds, threshold, labels), width="stretch")
        else:
            st.markdown(t("errors.confidence"))
            st.altair_chart(charts.confidence_histogram(classified, labels), width="stretch")

    cell = clicked_cell(event) or choices[chosen_cell]
    if cell is None:
        shown = evaluate.errors(preds, threshold)
    else:
        shown = classified[(classified["label"] == cell[0]) & (classified["predicted"] == cell[1])]
        shown = shown.sort_values("confidence", ascending=cell[0] == cell[1])
    if true_digit != "all":
        shown = shown[shown["label"] == int(true_digit)]
    st.subheader(
        t("errors.errors", n=len(shown))
        if cell is None
        else t("errors.cell_title", true=cell[0], predicted=cell[1], n=len(shown))
    )
    if shown.empty:
        st.caption(t("errors.none"))
    else:
        top = shown.head(GALLERY_LIMIT)
        pictures = test_images[top["index"].tolist()]
        if show_saliency and run.weights_path():
            try:
                model = common.model_of(str(run.path), run.weights_path().stat().st_mtime)
                heat = inside.saliency(model, data.to_inputs(pictures))  # (N, 28, 28)
                if heat.isfinite().all():
                    pictures = images.overlay(pictures, heat)
                else:
                    st.error(t("common.not_finite"))
            except runs.RunError as e:  # the digits without their saliency
                st.error(t("common.run_error", error=e))
        common.show_grid(
            pictures,
            [
                f"{d}>{p} {c:.2f}"
                for d, p, c in zip(top["label"], top["predicted"], top["confidence"], strict=True)
            ],
            cols=10,
            scale=3,
        )
        st.caption(
            t("errors.gallery_caption")
            + (t("errors.first_shown", n=GALLERY_LIMIT) if len(shown) > GALLERY_LIMIT else "")
        )
        reviewed = {int(i): review_text(int(i), digits) for i in top["index"]}
        reviewed = {i: r for i, r in reviewed.items() if r}
        if reviewed:
            st.markdown(
                t("errors.reviewed", n=len(reviewed))
                + "".join(f"\n- #{i}: :orange-badge[{r}]" for i, r in reviewed.items())
            )

    if replay is not None and not shown.empty:
        st.subheader(t("errors.one_digit"))
        top = shown.head(GALLERY_LIMIT)
        names = {
            int(i): t("errors.digit_label", index=i, true=d, predicted=p, confidence=common.sure(c))
            for i, d, p, c in zip(
                top["index"], top["label"], top["predicted"], top["confidence"], strict=True
            )
        }
        digit = st.selectbox(t("errors.digit"), list(names), format_func=names.get)
        position = int(preds.index[preds["index"] == digit][0])
        probs = replay[:, position].astype(float)  # (E,) p(second digit) or (E, C)
        flip = evaluate.last_flip(probs, threshold)
        true = int(preds.loc[position, "label"])
        if run.config.binary:
            series, title = probs, f"p({digits[1]})"
        else:
            series, title = probs[:, digits.index(true)], t("errors.p_true", digit=true)
        c1, c2 = st.columns([1, 4])
        with c1:
            common.show_grid(test_images[[digit]], [f"#{digit}"], cols=1, scale=4)
        with c2:
            st.altair_chart(
                charts.p_over_epochs(series, title, threshold if run.config.binary else None, flip, labels),
                width="stretch",
            )
        st.caption(t("errors.flip", epoch=flip) if flip else t("errors.no_flip"))
        if badge := review_text(digit, digits):
            st.markdown(f":orange-badge[{badge}]")
