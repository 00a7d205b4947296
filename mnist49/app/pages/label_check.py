"""Label check: the train digits whose labels a model that never saw them doubts (K-fold
out-of-fold probabilities ranked by cleanlab), and a run trained without them, set against the
run they came from."""

import base64
from pathlib import Path

import streamlit as st

from mnist49 import data, runs
from mnist49.app import common, digits_view
from mnist49.app.background.label_job import LabelJob, LabelState
from mnist49.app.background.pool import PoolFull
from mnist49.app.text import md, t, why

GALLERY_LIMIT = 120  # digits drawn at most in the grid; the table lists them all
REDRAW = 2.0  # seconds between looks at a check or a run under way


def run_ui() -> runs.Run | None:
    """The run whose train digits to check (the latest finished one by default), or None."""
    found = [r for r in common.list_runs() if r.has_predictions]
    if not found:
        st.info(t("errors.no_run"), icon=":material/info:")
        st.page_link("mnist49/app/pages/train.py", label=t("common.go_train"), icon=":material/show_chart:")
        return None
    # the run "Train without them" came from stays picked, not the run it started
    parent = st.session_state.get("without", (None, None))[0]
    mine = Path(parent).resolve() if parent else common.started_here()
    index = next((i for i, r in enumerate(found) if mine and r.path.resolve() == mine), 0)
    labels = {r.name: common.run_label(r) for r in found}  # words chosen now, not when formatting
    by_name = {r.name: r for r in found}
    return by_name[st.selectbox(t("common.run"), list(by_name), index=index, format_func=labels.get)]


def checked_config(run: runs.Run):
    """The settings the check trains each fold with: the run's, as one seed on its train digits."""
    return run.config.replace(seeds=1, replicate=0, vary_data=False)


def start_check(key: tuple[str, int], run: runs.Run, folds: int) -> None:
    st.session_state.setdefault("label_checks", {}).pop(key, None)  # checked again: the new result
    st.session_state["label_job"] = (key, LabelJob(checked_config(run), folds))


def check_ui(key: tuple[str, int], folds: int) -> LabelState | None:
    """The check of `key` (run, folds): its progress while it runs, in a fragment that looks
    again every REDRAW seconds; its state once finished (kept for the session), else None."""
    done = st.session_state.setdefault("label_checks", {})
    if key in done:
        return done[key]
    current = st.session_state.get("label_job")
    if current is None or current[0] != key:
        st.caption(t("labels.not_checked"))
        return None
    job = current[1]
    running = not job.snapshot().done

    @st.fragment(run_every=REDRAW if running else None)
    def view() -> None:
        state = job.snapshot()
        if not state.done:
            job.touch()
            total = job.config.epochs
            text = t("labels.checking", n=state.epoch, total=total, folds=folds)
            st.progress(min(state.epoch / total, 1.0), text=text if state.epoch else t("labels.starting"))
            st.button(t("labels.stop"), icon=":material/stop:", on_click=job.stop, key="stop_check")
        elif state.status == "finished":
            done[key] = state
            if running:
                st.rerun(scope="app")
        elif state.status == "stopped":
            st.warning(t("labels.stopped"))
        else:
            st.error(t("labels.failed", error=md(state.error)))

    view()
    return done.get(key)


def thumbnail(image) -> str:
    """A digit as a PNG data URL, for the table's image column."""
    png = digits_view.grid_png(image.tobytes(), (1, *image.shape), (), 1, 2)
    return "data:image/png;base64," + base64.b64encode(png).decode()


def gallery_ui(state: LabelState, run: runs.Run, folds: int) -> None:
    """The suspects, most suspect first: as a grid of digits, and as a table with each one's
    label, the digit the model reads, its out-of-fold probability and cleanlab's label quality."""
    found = state.suspects
    if found.empty:
        st.success(t("labels.none", n=state.checked))
        return
    st.markdown(t("labels.found", n=len(found), total=state.checked, seconds=state.seconds, folds=folds))
    train_images = data.arrays(run.config.data, run.config.digits).train.images
    pictures = train_images[found["index"].to_numpy()]
    top = found.head(GALLERY_LIMIT)
    digits_view.show_grid(
        pictures[:GALLERY_LIMIT],
        [
            f"{a}>{b} {p:.2f}"
            for a, b, p in zip(top["label"], top["suggested"], top["p_suggested"], strict=True)
        ],
        cols=10,
        scale=3,
    )
    st.caption(
        t("labels.gallery_caption")
        + (t("labels.first_shown", n=GALLERY_LIMIT) if len(found) > GALLERY_LIMIT else "")
    )
    table = found.assign(digit=[thumbnail(p) for p in pictures])[
        ["digit", "index", "label", "suggested", "p_suggested", "quality"]
    ]
    column = st.column_config
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "digit": column.ImageColumn(t("labels.col.digit")),
            "index": column.NumberColumn(t("labels.col.index"), format="%d"),
            "label": column.NumberColumn(t("labels.col.label"), format="%d"),
            "suggested": column.NumberColumn(t("labels.col.suggested"), format="%d"),
            "p_suggested": column.NumberColumn(
                t("labels.col.p_suggested"), format="%.3f", help=t("labels.p_help")
            ),
            "quality": column.NumberColumn(
                t("labels.col.quality"), format="%.3f", help=t("labels.quality_help")
            ),
        },
        key="suspects",
    )


def train_without(run: runs.Run, indices: list[int]) -> None:
    """Train the run's settings again without the suspects, through the Train page's pool; the
    run is then set against `run` here and on Train (as the run of a Try this button is)."""
    config = run.config.replace(exclude=tuple(sorted(set(run.config.exclude) | set(indices))))
    try:
        started = common.pool().start(config, common.runs_dir())
    except PoolFull as e:
        st.session_state["without_refused"] = t("train.busy", n=e.queued, cap=e.cap)
        return
    st.session_state["job"] = started
    st.session_state["versus"] = str(run.path)  # Train's own verdict, when the run is shown there
    st.session_state["without"] = (str(run.path), started)


def without_ui(run: runs.Run, state: LabelState) -> None:
    """The button, and the run without the suspects: its progress, then its verdict."""
    current = common.job()
    busy = current is not None and not current.snapshot().done
    n = len(state.suspects)
    st.subheader(t("labels.without"))
    st.markdown(t("labels.without_help", run=run.name, n=n))
    st.button(
        t("labels.without"),
        icon=":material/play_arrow:",
        type="primary",
        disabled=busy or not n or not common.runs_dir_ok(),
        help=t("labels.without_busy") if busy else None,
        on_click=train_without,
        args=(run, state.suspects["index"].astype(int).tolist()),
        key="train_without",
    )
    if refused := st.session_state.pop("without_refused", None):
        st.error(refused)
    parent, job = st.session_state.get("without", (None, None))
    if job is None or parent != str(run.path):
        return
    running = not job.snapshot().done

    @st.fragment(run_every=REDRAW if running else None)
    def view() -> None:
        snapshot = job.snapshot()
        if not snapshot.done:
            job.touch()
            k, total = len(snapshot.records), job.epochs
            if snapshot.status == "queued":
                st.info(t("labels.without_queued"), icon=":material/hourglass_top:")
            else:
                st.progress(
                    k / total, text=t("labels.without_running", n=len(job.config.exclude), k=k, total=total)
                )
            st.page_link(
                "mnist49/app/pages/train.py", label=t("labels.see_train"), icon=":material/show_chart:"
            )
            return
        if running:
            st.rerun(scope="app")
        said = why(snapshot.reason, snapshot.facts, snapshot.error)
        if snapshot.status != "finished" or snapshot.run_path is None:
            st.warning(t("labels.without_ended", status=t(f"status.{snapshot.status}"), why=said))
            return
        try:
            before, after = runs.load_run(parent), runs.load_run(snapshot.run_path)
        except runs.RunError as e:
            st.error(t("common.run_error", error=e))
            return
        st.markdown(t("labels.versus", child=after.name, parent=before.name))
        common.verdicts_ui(before, after, t("labels.versus_before"), t("labels.versus_after"))

    view()


st.title(t("page.labels"))
st.caption(t("labels.caption"))
picked = run_ui()
if picked is not None:
    folds = st.slider(
        t("labels.folds"), 2, 10, key=common.kept("label_folds", 5), help=t("labels.folds_help")
    )
    config = checked_config(picked)
    n_train = config.train_size or len(data.arrays(config.data, config.digits).train) - len(config.exclude)
    st.markdown(t("labels.what", n=n_train, run=picked.name, epochs=config.epochs, folds=folds))
    key = (str(picked.path), folds)
    current = st.session_state.get("label_job")
    checking = current is not None and not current[1].snapshot().done
    st.button(
        t("labels.check"),
        icon=":material/fact_check:",
        type="primary",
        disabled=checking,
        on_click=start_check,
        args=(key, picked, folds),
        key="check_labels",
    )
    checked = check_ui(key, folds)
    if checked is not None:
        gallery_ui(checked, picked, folds)
        without_ui(picked, checked)
