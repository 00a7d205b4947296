"""Sweep: one knob of the Train page's settings over several values, each with several seeds,
and the chart that answers "what does this knob do?"."""

from pathlib import Path

import pandas as pd
import streamlit as st

from mnist49 import charts_sweep, runs, settings
from mnist49.app import common, run_view, tables
from mnist49.app.background.jobs import Job
from mnist49.app.background.pool import PoolFull
from mnist49.app.text import chart_labels, t
from mnist49.config import MAX_SEEDS, ConfigError
from mnist49.models.model import MODELS
from mnist49.runs import sweep
from mnist49.runs.cluster import ClusterError
from mnist49.runs.status import is_sweep
from mnist49.runs.sweep import KNOBS, Sweep, SweepRun

TRAIN_PAGE = "mnist49/app/pages/train.py"


def shown(value) -> str:
    """A knob's value as the page writes it: 11,791 digits, a rate of 0.004."""
    return f"{value:,}" if isinstance(value, int) else sweep.show(value)


def sweep_job() -> Job | None:
    """This tab's sweep, training or ended."""
    return st.session_state.get("sweep_job")


def base_ui():
    """The Train page's settings, the sweep's base, in one line; None after saying what is wrong."""
    try:
        base = common.train_config()
    except (settings.SettingError, ConfigError) as e:
        st.error(t("sweep.bad_base", error=e))
        st.page_link(TRAIN_PAGE, label=t("sweep.fix_base"), icon=":material/tune:")
        return None
    shown = " ".join(settings.to_argv(base.replace(seeds=1))) or t("sweep.recipe")
    c1, c2 = st.columns([4, 1])
    c1.markdown(t("sweep.base", settings=shown))
    c2.page_link(TRAIN_PAGE, label=t("sweep.change_base"), icon=":material/tune:")
    return base


def plan_ui(base) -> Sweep | None:
    """The knob, its values and the seeds; the sweep, or None after saying what is wrong."""
    c1, c2, c3 = st.columns([2, 4, 2])
    knob = c1.selectbox(
        t("sweep.knob"),
        list(KNOBS),
        format_func={k: t(f"knob.{k}") for k in KNOBS}.get,  # words chosen now, not when formatting
        key=common.kept("sweep_knob", "lr"),
        help=t("sweep.knob_help"),
    )
    try:
        defaults = ", ".join(sweep.show(v) for v in KNOBS[knob].defaults(base))
    except Exception as e:  # the learning curve needs the data: said, not a traceback
        st.error(t("sweep.bad", error=e))
        return None
    text = c2.text_input(
        t("sweep.values"),
        key=common.kept(f"sweep_values_{knob}", defaults),
        help=t(f"knob.{knob}_help", names=", ".join(KNOBS[knob].choices() if KNOBS[knob].choices else ())),
    )
    seeds = c3.slider(t("train.seeds"), 1, MAX_SEEDS, key=common.kept("sweep_seeds", base.seeds))
    try:
        planned = Sweep(base.replace(seeds=seeds), knob, sweep.parse_values(knob, text))
    except sweep.SweepError as e:
        st.error(t("sweep.bad", error=e))
        return None
    together = t("sweep.together") if KNOBS[knob].batched else t("sweep.in_turn")
    st.caption(t("sweep.plan", values=len(planned.values), seeds=seeds, runs=planned.runs, how=together))
    return planned


def start(planned: Sweep) -> None:
    try:
        job = common.pool().start(planned.base, common.runs_dir(), sweep=planned)
    except PoolFull as e:
        st.session_state["sweep_refused"] = t("train.busy", n=e.queued, cap=e.cap)
        return
    except ClusterError as e:
        st.session_state["sweep_refused"] = t("train.cluster", error=e)
        return
    st.session_state["sweep_job"] = job
    st.session_state["sweep_shown"] = None  # the new sweep's result is shown when it ends


def best_text(knob: str, value, row: pd.Series) -> str:
    """The best value and its figures in words: with several seeds their mean ± sd; with one the
    figures alone, as Train shows them (one seed has no spread, and "± 0.0" would say it had)."""
    figures = {"knob": t(f"knob.{knob}"), "value": shown(value), "accuracy": row["test_accuracy_mean"]}
    figures["loss"] = row["lowest_test_loss_mean"]
    if row["seeds"] < 2:
        return t("sweep.best_one", **figures)
    sd, loss_sd = row["test_accuracy_sd"], row["lowest_test_loss_sd"]
    return t("sweep.best", **figures, sd=sd, loss_sd=loss_sd, seeds=int(row["seeds"]))


def reading_ui(found: SweepRun) -> None:
    """The best value in words, and whether it beats its neighbours beyond seed noise."""
    from mnist49.analysis import compare  # here: it brings scipy, which only the verdicts need

    best = found.best()
    if best is None:
        st.info(t("sweep.nothing"))
        return
    knob, value = found.sweep.knob, found.sweep.values[best]
    row = found.summary().set_index("run").loc[found.runs[best].name]
    st.markdown(best_text(knob, value, row))
    unfinished = found.summary().query("not finished")
    if len(unfinished):  # set apart, and said: a value cut short is not a whole one
        said = ", ".join(
            f"{shown(v)} ({e} / {found.sweep.base.epochs})"
            for v, e in zip(unfinished["value"], unfinished["epochs"], strict=True)
        )
        best_cut = not row["finished"]
        st.warning(
            t("sweep.best_unfinished" if best_cut else "sweep.unfinished", values=said),
            icon=":material/warning:",
        )
    for other in found.neighbours():
        name_a = f"{t(f'knob.{knob}')} {shown(found.sweep.values[other])}"
        name_b = f"{t(f'knob.{knob}')} {shown(value)}"
        name_b = name_b[:1].upper() + name_b[1:]  # it begins the sentences of the verdicts shown
        try:  # final accuracy and lowest loss against the seeds' spread (not the digits' split)
            said = compare.verdicts(found.runs[other], found.runs[best], name_a, name_b)[:2]
        except runs.RunError as e:
            st.error(t("common.run_error", error=e))
            continue
        for verdict in said:
            text = common.verdict_text(verdict)
            (st.success if verdict.kind.endswith("better") else st.info)(text, icon=":material/balance:")
    if found.sweep.base.seeds == 1:
        st.caption(t("sweep.one_seed"))
    # what Train gets: the value itself, or for a width factor the widths it gave
    field = MODELS[found.sweep.base.model].widths if knob == "width" else knob
    changes = {field: found.runs[best].config.widths if knob == "width" else value}
    if st.button(
        t("sweep.use", knob=t(f"knob.{knob}"), value=shown(value)),
        icon=":material/check:",
        key=f"use_{found.name}",
    ):
        common.set_train(found.sweep.base, changes)
        st.switch_page(TRAIN_PAGE)


def result_ui(found: SweepRun) -> None:
    """A sweep that has ended (or is being looked at): the knob chart and its reading."""
    table = found.summary()
    if table.empty:
        st.info(t("sweep.nothing"))
        return
    knob = found.sweep.knob
    best = found.best()
    table = table.assign(label=table["value"].map(shown))
    for column, figure in zip(st.columns(2), ("test_accuracy", "lowest_test_loss"), strict=True):
        column.altair_chart(
            charts_sweep.knob(
                table,
                t(f"knob.{knob}"),
                KNOBS[knob].scale,
                None if best is None else found.sweep.values[best],
                figure,
                chart_labels(),
            ),
            width="stretch",
        )
    one_seed = table["seeds"].max() < 2  # no spread to show: no band, no sd, min and max the mean
    st.caption(t("sweep.chart_caption_one" if one_seed else "sweep.chart_caption"))
    reading_ui(found)
    spread = [c for c in table if c.endswith(("_sd", "_min", "_max"))] if one_seed else []
    with st.expander(t("sweep.table")):
        figures_table(table.drop(columns=["label", *spread]), knob)


def figures_table(table: pd.DataFrame, knob: str) -> None:
    """The figures behind the charts, headed in the page's words (not summary's column names),
    accuracy in percent and the loss to 4 places, as the runs table shows them."""
    figures = table.assign(**{c: table[c] * 100 for c in table if c.startswith("test_accuracy_")})
    columns = {"value": st.column_config.Column(t(f"knob.{knob}"))}
    columns |= {c: st.column_config.Column(t(f"sweep.col.{c}")) for c in ("seeds", "epochs", "run")}
    columns["finished"] = st.column_config.CheckboxColumn(t("sweep.col.finished"))
    for c in figures.columns:
        figure, _, statistic = c.rpartition("_")
        if figure in ("test_accuracy", "lowest_test_loss"):
            label = t(
                "sweep.col.figure", figure=t(f"sweep.col.{figure}"), statistic=t(f"sweep.stat.{statistic}")
            )
            columns[c] = st.column_config.NumberColumn(
                label, format="%.1f%%" if figure == "test_accuracy" else "%.4f"
            )
    st.dataframe(figures, hide_index=True, width="stretch", column_config=tables.sized(figures, columns))


def past_ui(shown: str | None) -> None:
    """Pick a sweep on disk to look at (the one this tab just trained first)."""
    found = sweeps()
    if not found:
        st.caption(t("sweep.none_yet"))
        return
    names = [s.name for s in found]
    index = names.index(shown) if shown in names else 0
    labels = {
        s.name: t(
            "sweep.label",
            started=s.started.replace("T", " ")[:16],
            knob=t(f"knob.{s.sweep.knob}"),
            values=len(s.sweep.values),
            seeds=s.sweep.base.seeds,
            status=t(f"status.{s.status}"),
        )
        for s in found
    }
    picked = st.selectbox(t("sweep.pick"), names, index=index, format_func=labels.get)
    result_ui(found[names.index(picked)])


def sweeps() -> list[SweepRun]:
    """The sweeps on disk, newest first; damaged ones are named, not a crash."""
    found, problems = sweep.list_sweeps(common.runs_dir())
    if problems:
        with st.expander(t("common.skipped", n=len(problems))):
            st.write("\n".join(f"- {p}" for p in problems))
    return found


st.title(t("page.sweep"))
st.caption(t("sweep.caption"))
base = base_ui()
planned = plan_ui(base) if base is not None else None
job = sweep_job()
training = job is not None and not job.snapshot().done
row = st.container(horizontal=True)  # buttons as wide as their words, in either language
if row.button(
    t("sweep.train"), type="primary", icon=":material/play_arrow:", disabled=planned is None or training
):
    start(planned)
    job = sweep_job()
    training = job is not None and not job.snapshot().done
if row.button(t("train.stop"), icon=":material/stop:", disabled=not training):
    job.stop()
if refused := st.session_state.pop("sweep_refused", None):
    st.error(refused)
if job is not None:
    run_view.live(job, not job.snapshot().done, run_view.sweep_ui)
    state = job.snapshot()
    if state.done and state.run_path is not None and is_sweep(state.run_path):
        st.session_state["sweep_shown"] = Path(state.run_path).name
st.divider()
st.subheader(t("sweep.results"))
if training:
    st.caption(t("sweep.results_later"))
else:
    past_ui(st.session_state.get("sweep_shown"))
