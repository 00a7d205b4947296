"""One run on a page: its live view (status in words, progress, the curves, the hardest digits),
redrawn while it trains, then its results (figures, the reading, the remedies to try); and the
same live view for a sweep."""

import functools
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from mnist49 import charts, charts_sweep, data, runs, settings
from mnist49.analysis import diagnose
from mnist49.app import common, digits_view, progress
from mnist49.app.background.jobs import Job, JobState
from mnist49.app.background.pool import PoolFull
from mnist49.app.text import chart_labels, t, why
from mnist49.app.train_form import available
from mnist49.config import Config
from mnist49.runs import HISTORY_COLUMNS, seeds, sweep
from mnist49.runs.cluster import ClusterError

# While a run trains, its fragment redraws it every REDRAW seconds. Each redraw costs the browser
# and the server CPU that the run then lacks: about 0.1 s here (benchmarks/ui_overhead.py), so
# redrawing every second took a tenth of the run's time, and every 2 s takes a twentieth.
REDRAW = 2.0
# So the first point is drawn by the click on Train itself: it waits this long at most for it.
FIRST_EPOCH_WAIT = 1.5
# Streamlit fades stale elements and slides the progress bar: on every redraw the browser then
# paints frames for a while, about a fifth of its CPU during a run. Turned off on the Train page.
NO_ANIMATION = (
    "<style>*, *::before, *::after {transition: none !important; animation: none !important}</style>"
)


def start_training(config: Config) -> None:
    """Train's button: start a run of `config` (or say the pool is full) and wait a moment for
    its first epoch."""
    # a run started after Try this is set against the run the remedy came from
    st.session_state["versus"] = st.session_state.pop("tried_from", None)
    try:
        started = common.pool().start(config, common.runs_dir())
    except PoolFull as e:
        st.session_state["train_refused"] = t("train.busy", n=e.queued, cap=e.cap)
        return
    except ClusterError as e:
        st.session_state["train_refused"] = t("train.cluster", error=e)
        return
    st.session_state["job"] = started
    started.wait_for(1, FIRST_EPOCH_WAIT)


def history_frame(state: JobState) -> pd.DataFrame:
    return pd.DataFrame([r.__dict__ for r in state.records], columns=HISTORY_COLUMNS)


def try_this(config: Config, changes: dict, run_path: Path | None = None) -> None:
    """Fill the settings above with a remedy's changes to `config` (the user then presses Train);
    the run it came from, `run_path`, is what the remedy's run is then set against."""
    st.session_state["tried_from"] = str(run_path) if run_path else None
    common.set_train(config, changes)
    # every change since `config` ran is said: a Try this pressed before is still in effect
    st.session_state["tried"] = common.train_changes(config) or {
        k: settings.FIELDS[k].show(v) for k, v in changes.items()
    }
    st.rerun()  # the button is in the run's fragment; the settings above must show the changes


def plus_minus(summary: dict, figure: str, percent: bool = False) -> str:
    """ " ± sd" of a figure's final value over the seeds (`summary`: seeds.summary), "" for one."""
    sd = summary[f"{figure}_sd"]
    if math.isnan(sd):
        return ""
    return f" ± {sd:.1%}" if percent else f" ± {sd:.4f}"


def spread_ui(histories: list[pd.DataFrame], summary: dict, config: Config) -> None:
    """How far the seeds are apart, in one sentence (`summary`: seeds.summary of `histories`), and
    whether they read the curves alike."""
    if summary["seeds"] < 2:
        return
    points = (summary["test_accuracy_max"] - summary["test_accuracy_min"]) * 100
    st.caption(t("train.spread", seeds=summary["seeds"], points=points))
    situations = [diagnose.read(h, len(config.digits)).situation for h in histories if len(h)]
    if len(set(situations)) > 1:
        counts = pd.Series(situations).value_counts()
        said = ", ".join(f"{t(f'situation.{s}')} ({n})" for s, n in counts.items())
        st.caption(t("train.seeds_disagree", situations=said))


def results_ui(
    history: pd.DataFrame, config: Config, histories: list[pd.DataFrame] = (), run_path: Path | None = None
) -> None:
    """Final and best figures (with several seeds: their mean ± sd), the reading of the (mean)
    curves, and the chapter's remedies."""
    last, baseline = history.iloc[-1], 1 / len(config.digits)
    best = history.loc[history["test_loss"].idxmin()]
    histories = list(histories)
    finals, summary = seeds.finals(histories), seeds.summary(histories)  # once for every figure below
    # a row that wraps where the page is narrow: a figure and its sd are never cut
    row = st.container(horizontal=True, gap="medium")
    row.metric(
        t("train.final_accuracy"),
        f"{last.test_accuracy:.1%}" + plus_minus(summary, "test_accuracy", percent=True),
        t("train.vs_baseline", delta=last.test_accuracy - baseline, baseline=baseline),
    )
    row.metric(
        t("train.best_accuracy"),
        f"{history.test_accuracy.max():.1%}",
        t("train.at_epoch", epoch=int(history.loc[history.test_accuracy.idxmax(), "epoch"])),
        delta_color="off",
    )
    if len(finals) < 2:  # one seed: its curve's own lowest
        row.metric(
            t("train.lowest_loss"), f"{best.test_loss:.4f}", t("train.at_epoch", epoch=int(best.epoch)),
            delta_color="off",
        )  # fmt: skip
    else:  # each seed's lowest, wherever it fell: their mean ± sd (not the mean curve's lowest)
        first, last_epoch = int(finals["lowest_epoch"].min()), int(finals["lowest_epoch"].max())
        row.metric(
            t("train.lowest_loss"),
            f"{summary['lowest_test_loss_mean']:.4f} ± {summary['lowest_test_loss_sd']:.4f}",
            t("train.at_epoch", epoch=first)
            if first == last_epoch
            else t("train.at_epochs", first=first, last=last_epoch),
            delta_color="off",
            help=t("train.lowest_loss_help"),
        )
    row.metric(t("train.final_train_loss"), f"{last.train_loss:.4f}" + plus_minus(summary, "train_loss"))
    spread_ui(histories, summary, config)
    reading = diagnose.read(history, len(config.digits), config)
    st.info(t(f"reading.{reading.situation}", **reading.facts), icon=":material/insights:")
    found = diagnose.remedies(reading.situation, config, len(available(config.digits).train))
    if found:
        st.markdown(t("train.try_this"))
        row = st.container(horizontal=True)  # buttons as wide as their words, wrapped where narrow
        for i, remedy in enumerate(found):
            facts = remedy.facts | {"what": t(f"remedy.what.{remedy.facts['what']}")}
            label = t(f"remedy.{remedy.kind}", **facts)
            row.button(
                label,
                key=f"try_{i}",
                on_click=try_this,
                args=(config, remedy.changes, run_path),
                icon=":material/science:",
            )
        if tried := st.session_state.pop("tried", None):  # said under the button pressed, not far above
            changes = ", ".join(f"{k} = {v}" for k, v in tried.items())
            st.success(t("train.tried", changes=changes), icon=":material/science:")


def progress_text(state: JobState, total: int) -> str:
    """Where a running run is, in words: its epoch, the time left, and within a long epoch
    (one that reports its batches, see worker.PROGRESS) the batches done."""
    n = len(state.records)
    left = state.elapsed / n * (total - n) if n else None
    epoch, done, batches = state.batch
    return (
        t("train.running", n=n, total=total)
        + (t("train.left", seconds=left) if left is not None else "")
        + (t("train.batch", epoch=epoch, done=done, batches=batches) if epoch == n + 1 else "")
    )


def status_ui(job: Job, state: JobState) -> None:
    """The run's status in words: queued (its place, the wait), starting, running or ended."""
    n, total = len(state.records), job.config.epochs
    if state.done:
        message = t("train.ended", status=t(f"status.{state.status}"), n=n, total=total)
        said = why(state.reason, state.facts, state.error)
        message += f" ({said})" if said else ""
        shown = st.success if state.status in ("finished", "stopped") else st.warning
        (st.error if state.status in ("failed", "diverged") else shown)(message)
    elif state.status == "queued":
        wait = common.pool().wait_estimate(job)
        st.info(
            t("train.queued", place=common.pool().place(job))
            + (t("train.queue_wait", seconds=wait) if wait is not None else ""),
            icon=":material/hourglass_top:",
        )
    elif state.status == "starting":
        st.progress(0.0, text=t("train.starting"))
    else:
        st.progress(n / total, text=progress_text(state, total))


def axis_epochs(state: JobState, planned: int) -> int:
    """Where the chart's epoch axis ends: at the planned epochs while the run trains, so the
    curves grow rightwards without the axis jumping; at the epochs run once it has ended (a
    stopped run's curves would fill only the left of its planned axis)."""
    return len(state.records) if state.done else planned


def run_ui(job: Job, state: JobState) -> None:
    """One look at a run: status in words, progress, chart; results once it has ended."""
    n, total = len(state.records), job.config.epochs
    history = history_frame(state)
    status_ui(job, state)
    # drawn from the start, empty until epoch 1 ends: the chart then stays the same element
    histories = state.histories()
    ended = state.done and n >= 2
    # where the reading says overfitting, the chart marks the rise it speaks of
    overfit = ended and diagnose.read(history, len(job.config.digits), job.config).situation == "overfitting"
    curves = functools.partial(
        charts.curves,
        history,
        axis_epochs(state, total),
        chart_labels(),
        1 / len(job.config.digits),
        seeds.spread(histories) if histories else None,
        histories if st.session_state.get(common.KEEP + "show_seeds") else (),
        rise=overfit,
    )
    st.vega_lite_chart(spec=curves(), width="stretch")
    # the zoom is a chart of its own below, so the one above stays the same element from run to run
    if ended and st.toggle(
        t("train.zoom"), value=overfit, key=f"zoom_{state.run_path}", help=t("train.zoom_help")
    ):
        st.vega_lite_chart(spec=curves(zoom=True), width="stretch")
    if state.hardest:
        st.markdown(t("train.hardest"))
        index = [i for i, _, _ in state.hardest]
        st.html(
            digits_view.inline_grid(
                data.load(job.config.data, job.config.digits).test.images[index],
                [f"{d}? {c:.0%}" for _, d, c in state.hardest],
                cols=10,
                scale=2,
            )
        )
    if state.done and n:
        versus_ui(state.run_path)
        results_ui(history, job.config, histories, state.run_path)


def versus_ui(run_path: Path | None) -> None:
    """A remedy's run, once it has ended, set against the run it came from: did it help?"""
    before = st.session_state.get("versus")
    if not before or run_path is None or str(run_path) == before:
        return
    try:
        a, b = runs.load_run(before), runs.load_run(run_path)
    except runs.RunError as e:
        st.error(t("common.run_error", error=e))
        return
    st.markdown(t("train.versus", before=a.name))
    common.verdicts_ui(a, b, t("train.versus_before"), t("train.versus_after"))


def live(job: Job, running: bool, draw: Callable[[Job, JobState], None]) -> None:
    """`draw(job, state)` in a fragment that redraws it every REDRAW seconds while it trains.

    Running or ended, the run is drawn by the same fragment, so that its chart stays the same
    element when a run starts or ends: the browser then swaps the points instead of building the
    chart anew (about 0.1 s of CPU, taken from the run that has just started)."""

    @st.fragment(run_every=REDRAW if running else None)
    def view() -> None:
        state = job.snapshot()
        if running:
            job.touch()
        draw(job, state)
        if running and state.done:  # let the whole page (buttons, runs table) see the end
            st.rerun(scope="app")

    view()


def live_ui(job: Job | None, running: bool) -> None:
    """This tab's run, live while it trains (see `live`), or a word on how to start one."""
    if job is None:
        st.caption(t("train.press_train"))
        return
    live(job, running, run_ui)


def sweep_ui(job: Job, state: JobState) -> None:
    """One look at a sweep: its progress (which value, which epoch) and a curve per value."""
    n, total = len(state.records), job.epochs
    if state.status == "queued":
        st.info(t("train.queued", place=common.pool().place(job)), icon=":material/hourglass_top:")
    elif state.status == "starting":
        st.progress(0.0, text=t("train.starting"))
    elif not state.done:
        st.progress(min(n / total, 1.0), text=progress.sweep_place(job, state, "sweep.progress"))
    else:
        said = why(state.reason, state.facts, state.error)
        message = t("sweep.ended", status=t(f"status.{state.status}")) + (f" ({said})" if said else "")
        (st.error if state.status == "failed" else st.success)(message)
    curves = state.sweep_curves()
    if len(curves):
        values = [sweep.show(v) for v in job.sweep.values]
        curves = curves.assign(value=curves["order"].map(lambda i: values[i]))
        epochs = max(c.epochs for c in job.sweep.configs)
        st.altair_chart(
            charts_sweep.sweep_curves(curves, t(f"knob.{job.sweep.knob}"), epochs, chart_labels()),
            width="stretch",
        )
