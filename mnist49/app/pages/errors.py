"""Errors: the test digits a run gets wrong, its confusion matrix and how sure it was. A run of
several seeds is pooled by default: each digit's mean probability over the seeds, and how many
seeds got it wrong."""

import numpy as np
import streamlit as st

from mnist49 import charts_errors, data, images, runs
from mnist49.analysis import inside, reviews
from mnist49.app import common, digits_view
from mnist49.app.text import chart_labels, t
from mnist49.runs import seeds
from mnist49.training import evaluate

GALLERY_LIMIT = 120  # digits drawn at most; the count above says how many there are
POOLED = -1  # the view choice of all seeds together


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
        st.page_link("mnist49/app/pages/train.py", label=t("common.go_train"), icon=":material/show_chart:")
        return None
    return common.pick_run(t("common.run"), found)


def view_ui(run: runs.Run) -> tuple[list[runs.Run], runs.Run | None]:
    """The seeds to show and the one picked: a run of several seeds offers "Pooled (all seeds)"
    first (picked: None), then each seed with predictions; a lone run is its own one seed."""
    if run.config.seeds == 1:
        return [run], run
    try:
        replicates = [r for r in run.replicates() if r.has_predictions]
    except runs.RunError as e:
        st.error(t("common.run_error", error=e))
        replicates = []
    if not replicates:
        return [run], run  # the median seed's files, copied into the run's own folder
    median = seeds.median_replicate(replicates)
    labels = {POOLED: t("errors.pooled", n=len(replicates))} | {
        i: common.replicate_label(r, i == median) for i, r in enumerate(replicates)
    }
    picked = st.selectbox(
        t("errors.view"),
        list(labels),
        format_func=labels.get,
        key=f"view_{run.name}",
        help=t("errors.view_help"),
    )
    return (replicates, None) if picked == POOLED else ([replicates[picked]], replicates[picked])


def questioned(index: int, digits: tuple[int, ...]) -> bool:
    """Whether MNIST's reviewers doubted the digit's label (read another digit, or split)."""
    found = reviews.review(index, digits)
    return found is not None and found.verdict != "kept"


def keep(shown, which: str, digits: tuple[int, ...]):
    """The gallery's rows that pass the filter: all, wrong in every seed, in only some, or
    only the digits the reviewers questioned."""
    if which == "every":
        return shown[shown["wrong_in"] == shown["seeds"]]
    if which == "some":
        return shown[(shown["wrong_in"] > 0) & (shown["wrong_in"] < shown["seeds"])]
    if which == "questioned":
        return shown[[questioned(int(i), digits) for i in shown["index"]]]
    return shown


def clicked_cell(event) -> tuple[int, int] | None:
    points = (event or {}).get("selection", {}).get("cell") or []
    return (int(points[0]["true"]), int(points[0]["predicted"])) if points else None


def confusion_key() -> str:
    """The confusion matrix's widget key; a click moves to Show, and the chart under a new key
    starts unselected, so the old click is not applied again over a later pick in Show."""
    return f"confusion_{st.session_state.get('errors_clicks', 0)}"


def take_click(choices: dict[str, tuple[int, int] | None], show_key: str) -> None:
    """A click on a cell of the matrix, since the last run, set as Show's value (before Show is
    drawn), and the chart's selection cleared."""
    cell = clicked_cell(st.session_state.get(confusion_key()))
    if cell is None or cell not in choices.values():
        return
    st.session_state[show_key] = next(k for k, c in choices.items() if c == cell)
    st.session_state["errors_clicks"] = st.session_state.get("errors_clicks", 0) + 1


def pooled_counts(frames, preds, threshold: float) -> str:
    """What the pooled view's other figures count: the digits wrong in any seed (the gallery's
    "all errors") and the mean of the seeds' own accuracies (Train's figure)."""
    mean = float(np.mean([evaluate.accuracy(f, threshold) for f in frames]))
    return t("errors.count_pooled", any=len(evaluate.pooled_errors(preds)), mean=mean)


def pooled_answer(wrong, classified):
    """The digits wrong in any seed, in their order, with the pooled answer and how sure it is."""
    answers = classified.set_index("index")[["predicted", "confidence"]]
    found = answers.loc[wrong["index"]].to_numpy()
    return wrong.assign(answer=found[:, 0].astype(int), sure=found[:, 1].astype(float))


st.title(t("page.errors"))
st.caption(t("errors.caption"))
group = run_ui()
labels = chart_labels()
if group is not None:
    digits = group.config.digits
    seeds, picked = view_ui(group)
    n_seeds = len(seeds)
    if picked is None:
        view = t("errors.view_pooled", n=n_seeds)
    else:
        view = t("errors.view_seed", k=picked.config.replicate)
    key = f"{group.key}/pooled" if picked is None else picked.key
    try:
        frames = [r.predictions() for r in seeds]
        test_images = data.load(group.config.data, digits).test.images
    except runs.RunError as e:
        st.error(t("common.run_error", error=e))
        st.stop()
    except data.DataError as e:
        st.error(t("common.data_error", error=e))
        st.stop()
    try:
        replays = [r.replay() for r in seeds]
    except runs.RunError as e:  # the page goes on without the replay
        st.error(t("common.run_error", error=e))
        replays = [None]
    replay = None if any(r is None for r in replays) else evaluate.pool_replay(frames, replays)
    if replay is None and not any(r is None for r in replays):
        st.caption(t("errors.no_pooled_replay"))
    if replay is not None and len(replay) > 1:
        epoch = st.slider(
            t("errors.epoch"), 1, len(replay), len(replay), key=f"epoch_{key}", help=t("errors.epoch_help")
        )
        frames = [evaluate.at_epoch(f, r, epoch) for f, r in zip(frames, replays, strict=True)]
    c1, c2, c3 = st.columns([3, 2, 3])
    if group.config.binary:
        threshold = c1.slider(
            t("errors.threshold", digit=digits[1]),
            0.0,
            1.0,
            step=0.01,
            key=common.kept("errors_threshold", 0.5),
            help=t("errors.threshold_help", digit=digits[1]) + t("errors.threshold_view", view=view),
        )
    else:
        threshold = 0.5  # unused: more than two digits are decided by the most likely one
        c1.caption(t("errors.most_likely"))
    filters = ["all", "every", "some", "questioned"] if n_seeds > 1 else ["all", "questioned"]
    which = c1.radio(
        t("errors.filter"),
        filters,
        horizontal=True,
        format_func={f: t(f"errors.filter.{f}") for f in filters}.get,  # words chosen now
        key=common.valid("errors_filter", filters, "all"),
        help=t("errors.filter_help"),
    )
    options = ["all", *map(str, digits)]
    true_digit = c2.radio(
        t("errors.true_digit"),
        options,
        horizontal=True,
        format_func={"all": t("common.all"), **{o: o for o in options[1:]}}.get,
        key=common.valid("errors_digit", options, "all"),
    )
    choices = cells(digits)
    show_key = common.valid("errors_cell", list(choices), "all")
    take_click(choices, show_key)
    chosen_cell = c3.selectbox(
        t("errors.show"),
        list(choices),
        format_func={k: cell_name(c) for k, c in choices.items()}.get,
        key=show_key,
        help=t("errors.show_help"),
    )
    show_saliency = c3.toggle(  # under Show, the widest column: c2 cut its label in Japanese
        t("errors.saliency"),
        key=common.kept("errors_saliency", False),
        help=t("errors.saliency_help"),
        disabled=(picked or group).weights_path() is None,
    )

    preds = evaluate.pool(frames, threshold)  # one seed: its own predictions, wrong in 0 or 1 of 1
    classified = evaluate.classify(preds, threshold)
    n_errors = int((~classified["correct"]).sum())
    st.markdown(
        t("errors.count", n=n_errors, total=len(preds), accuracy=classified["correct"].mean())
        + (t("errors.at_threshold", threshold=threshold) if group.config.binary else "")
        + t("errors.of_view", view=view)
        + (pooled_counts(frames, preds, threshold) if n_seeds > 1 else "")
    )
    if n_seeds > 1:
        every, some = len(evaluate.pooled_errors(preds, True)), len(evaluate.pooled_errors(preds, False))
        st.markdown(t("errors.split", every=every, some=some, n=n_seeds))

    left, right = st.columns([1, 2] if group.config.binary else [3, 2])
    with left:
        st.markdown(t("errors.confusion", view=view))
        st.altair_chart(
            charts_errors.confusion(evaluate.confusion(preds, threshold), labels),
            on_select="rerun",
            key=confusion_key(),
        )
    with right:
        if group.config.binary:
            st.markdown(t("errors.histogram", a=digits[0], b=digits[1], view=view))
            st.altair_chart(charts_errors.p_histogram(preds, threshold, labels), width="stretch")
        else:
            st.markdown(t("errors.confidence", view=view))
            st.altair_chart(charts_errors.confidence_histogram(classified, labels), width="stretch")

    cell = choices[chosen_cell]
    if cell is None:  # wrong in any seed, by the pooled probability of the likeliest wrong digit
        shown = pooled_answer(evaluate.pooled_errors(preds), classified)
    else:
        shown = classified[(classified["label"] == cell[0]) & (classified["predicted"] == cell[1])]
        shown = shown.sort_values("confidence", ascending=cell[0] == cell[1])
        shown = shown.rename(columns={"predicted": "answer", "confidence": "sure"})
    if true_digit != "all":
        shown = shown[shown["label"] == int(true_digit)]
    shown = keep(shown, which, digits)
    st.subheader(
        t("errors.errors" if n_seeds == 1 else "errors.any_seed", n=len(shown))
        if cell is None
        else t("errors.cell_title", true=cell[0], predicted=cell[1], n=len(shown))
    )
    if shown.empty:
        st.caption(t("errors.none"))
    else:
        top = shown.head(GALLERY_LIMIT)
        pictures = test_images[top["index"].tolist()]
        if show_saliency and (picked or group).weights_path():
            model_run = picked or group  # pooled: the median seed's model (the run's own weights)
            try:
                model = common.model_of(str(model_run.path), model_run.weights_path().stat().st_mtime)
                heat = inside.saliency(model, data.to_inputs(pictures))  # (N, 28, 28)
                if heat.isfinite().all():
                    pictures = images.overlay(pictures, heat)
                else:
                    st.error(t("common.not_finite"))
            except runs.RunError as e:  # the digits without their saliency
                st.error(t("common.run_error", error=e))
        digits_view.show_gallery(  # captions as page text: inside a grid image they shrink with it
            pictures,
            [
                f"{d}>{a} {common.sure(p):.2f}" + (f" {k}/{n_seeds}" if n_seeds > 1 else "")
                for d, a, p, k in zip(top["label"], top["answer"], top["sure"], top["wrong_in"], strict=True)
            ],
            scale=3,
        )
        st.caption(
            t("errors.gallery_caption")
            + (t("errors.gallery_k_of_n", n=n_seeds) if n_seeds > 1 else "")
            + (t("errors.first_shown", n=GALLERY_LIMIT) if len(shown) > GALLERY_LIMIT else "")
        )
        badges = {int(i): digits_view.review_badge(int(i), digits) for i in top["index"]}
        wrong_in = dict(zip(top["index"].astype(int), top["wrong_in"].astype(int), strict=True))
        badges = {i: b for i, b in badges.items() if b}
        if badges:
            lines = [
                f"\n- #{i}"
                + (f" ({t('errors.wrong_in', k=wrong_in[i], n=n_seeds)})" if n_seeds > 1 else "")
                + f": {b}"
                for i, b in badges.items()
            ]
            st.markdown(t("errors.reviewed", n=len(badges)) + "".join(lines))

    if replay is not None and not shown.empty:
        st.subheader(t("errors.one_digit"))
        top = shown.head(GALLERY_LIMIT)
        names = {
            int(i): t("errors.digit_label", index=i, true=d, predicted=a, confidence=common.sure(c))
            + (f", {t('errors.wrong_in', k=k, n=n_seeds)}" if n_seeds > 1 else "")
            for i, d, a, c, k in zip(
                top["index"], top["label"], top["answer"], top["sure"], top["wrong_in"], strict=True
            )
        }
        digit = st.selectbox(t("errors.digit"), list(names), format_func=names.get)
        position = int(np.flatnonzero(preds["index"].to_numpy() == digit)[0])  # pool: rows by index
        probs = replay[:, position].astype(float)  # (E,) p(second digit) or (E, C)
        flip = evaluate.last_flip(probs, threshold)
        true = int(preds.loc[position, "label"])
        if group.config.binary:
            series, title = probs, f"p({digits[1]})"
        else:
            series, title = probs[:, digits.index(true)], t("errors.p_true", digit=true)
        c1, c2 = st.columns([1, 4])
        with c1:
            digits_view.show_grid(test_images[[digit]], [f"#{digit}"], cols=1, scale=4)
        with c2:
            st.altair_chart(
                charts_errors.p_over_epochs(
                    series, title, threshold if group.config.binary else None, flip, labels
                ),
                width="stretch",
            )
        st.caption(
            (t("errors.flip", epoch=flip) if flip else t("errors.no_flip"))
            + (t("errors.replay_pooled", n=n_seeds) if n_seeds > 1 else "")
        )
        if badge := digits_view.review_badge(digit, digits):
            st.markdown(badge)
