"""Train: every knob of the config, a live chart of the run, and the runs on disk."""

import math
import re
import shlex
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from mnist49 import charts, data, diagnose, export, lr_find, model, runs, settings, sweep, train
from mnist49.app import common
from mnist49.app.text import chart_labels, md, t, why
from mnist49.cluster import ClusterError
from mnist49.config import Config, ConfigError
from mnist49.jobs import Job, JobState, PoolFull
from mnist49.optimizers import OPTIMIZERS
from mnist49.runs import HISTORY_COLUMNS, Run

DEFAULTS = Config()
DEFAULT_WIDGETS = common.TRAIN_WIDGETS


def available(digits: tuple[int, ...]) -> data.Dataset:
    """All the train and test digits of a problem (cached by the core)."""
    return data.load(DEFAULTS.data, digits)


FIELDS = settings.FIELDS
MNIST_SIZES = settings.MNIST_SIZES  # what "all" digits of a problem can be, until it is known


def steps(low: float, high: float) -> list[float]:
    """1-2-5 steps from low to high (both powers of ten): the learning rate's slider."""
    exponents = range(round(math.log10(low)), round(math.log10(high)) + 1)
    return [float(f"{m}e{e}") for e in exponents for m in (1, 2, 5) if low <= float(f"{m}e{e}") <= high]


def slider_options(ladder: list[float], key: str, *also: float) -> list[float]:
    """A slider's steps, with the kept value among them: a link or Try this may set an exact
    value between two steps, and the slider keeps it."""
    return sorted({*ladder, *also, st.session_state[key]})


LR_STEPS = steps(1e-5, 1.0)
WEIGHT_DECAY_STEPS = [0.0, *steps(1e-6, 0.1)]


def apply_link() -> None:
    """Once per session: the settings in the page's link (a shared one, say) fill the widgets."""
    if st.session_state.get("link_read"):
        return
    st.session_state["link_read"] = True
    params = st.query_params.to_dict()
    if not params:
        return
    config, problems = settings.from_query(params)
    for name, value in settings.to_widgets(config, MNIST_SIZES).items():
        st.session_state[common.KEEP + name] = value
    # a size beyond this problem's digits is cut to them (in _size_ui), and said so
    st.session_state["link_sizes"] = {n: getattr(config, n) for n in MNIST_SIZES if getattr(config, n)}
    if problems:
        st.session_state["link_problems"] = problems


def write_link(config: Config) -> str:
    """Keep the page's URL in step with the settings; returns the link to share."""
    query = settings.to_query(config)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    return f"{st.context.url or ''}?{urlencode(query, safe=',')}" if query else (st.context.url or "")


def _size_ui(column, name: str, n: int) -> int:
    key = common.kept(name, DEFAULT_WIDGETS[name])
    # a size kept from a bigger problem (all ten digits, or "all" in a link) is cut to this one's
    st.session_state[key] = min(st.session_state[key], n)
    linked = st.session_state.get("link_sizes", {}).pop(name, None)
    if linked is not None and linked > n:
        column.warning(t("train.size_cut", name=name, size=linked, n=n), icon=":material/link_off:")
    if name == "test_size":
        return column.number_input(t(f"train.{name}", n=n), FIELDS[name].low, n, step=100, key=key)
    ladder = [v for v in steps(10, 10_000) if v < n]
    return column.select_slider(
        t(f"train.{name}", n=n),
        [int(v) for v in slider_options(ladder, key, n)],
        key=key,
        format_func="{:,}".format,
    )


def _switch_lr() -> None:
    # the chapter trains each model at its own rate: follow the model if the rate is untouched
    chosen = st.session_state[common.KEEP + "model"]
    if st.session_state[common.KEEP + "lr"] in {spec.lr for spec in model.MODELS.values()}:
        st.session_state[common.KEEP + "lr"] = model.MODELS[chosen].lr


def config_ui() -> Config | None:
    """The settings as a Config, or None after saying in words what is wrong."""
    apply_link()
    for problem in st.session_state.pop("link_problems", []):
        st.warning(t("train.bad_link", problem=problem), icon=":material/link_off:")
    digits = common.digits_ui()
    if digits is None:
        return None
    everything = available(digits)

    def kept(name: str) -> str:
        return common.kept(name, DEFAULT_WIDGETS[name])

    c1, c2, c3, c4 = st.columns(4)
    name = c1.selectbox(
        t("train.model"),
        list(model.MODELS),
        format_func=lambda m: model.MODELS[m].label,
        key=kept("model"),
        on_change=_switch_lr,
    )
    spec = model.MODELS[name]
    c2.selectbox(
        t("train.activation"),
        list(model.ACTIVATIONS),
        format_func=lambda a: model.activation_class(a).__name__,  # ReLU, Mish, ...: names in any language
        key=kept("activation"),
    )
    c3.slider(
        t("train.dropout"), FIELDS["dropout"].low, FIELDS["dropout"].high, step=0.05, key=kept("dropout")
    )
    c4.text_input(t(f"train.{spec.widths}"), key=kept(spec.widths), help=t(f"train.{spec.widths}_help"))
    c1, c2, c3, c4 = st.columns(4)
    c1.selectbox(
        t("train.optimizer"),
        list(OPTIMIZERS),
        format_func=lambda o: OPTIMIZERS[o].label,
        key=kept("optimizer"),
    )
    lr_options = slider_options(LR_STEPS, kept("lr"), *(m.lr for m in model.MODELS.values()))
    c2.select_slider(t("train.lr"), lr_options, format_func="{:g}".format, key=kept("lr"))
    finder = c2.popover(t("train.lr_find"), icon=":material/search:", help=t("train.lr_find_help"))
    wd_options = slider_options(WEIGHT_DECAY_STEPS, kept("weight_decay"))
    c3.select_slider(t("train.weight_decay"), wd_options, format_func="{:g}".format, key=kept("weight_decay"))
    # the slider spans 300 epochs, or up to a larger kept value (a link's, within the limit)
    epochs = FIELDS["epochs"]
    c4.slider(t("train.epochs"), epochs.low, max(300, st.session_state[kept("epochs")]), key=kept("epochs"))
    c1, c2, c3, c4 = st.columns(4)
    _size_ui(c1, "train_size", len(everything.train))
    _size_ui(c2, "test_size", len(everything.test))
    batch, seed, seeds = FIELDS["batch_size"], FIELDS["seed"], FIELDS["seeds"]
    c3.number_input(t("train.batch_size"), batch.low, batch.high, step=10, key=kept("batch_size"))
    c4.number_input(t("train.seed"), seed.low, seed.high, key=kept("seed"), help=t("train.seed_help"))
    c1, c2, c3, _ = st.columns(4)
    c1.slider(t("train.seeds"), seeds.low, seeds.high, key=kept("seeds"), help=t("train.seeds_help"))
    c2.toggle(t("train.vary_data"), key=kept("vary_data"), help=t("train.vary_data_help"))
    c3.toggle(t("train.show_seeds"), key=common.kept("show_seeds", False), help=t("train.show_seeds_help"))
    common.augment_ui()
    widgets = {
        field: st.session_state[common.KEEP + field]
        for field in settings.PAGE_FIELDS
        if field not in ("channels", "hidden") or field == spec.widths
    }
    try:
        config = settings.from_widgets(widgets)
    except (settings.SettingError, ConfigError) as e:
        field = e.name if isinstance(e, settings.SettingError) else e.field
        if field == spec.widths:  # said with an example of good widths
            st.error(t(f"train.bad_{field}", text=widgets[field]))
        else:
            st.error(t("train.bad_config", error=e))
        with finder:
            st.caption(t("train.bad_config", error=e))
        return None
    with finder:
        lr_find_ui(config)
    return config


def _use_lr(lr: float) -> None:
    st.session_state[common.KEEP + "lr"] = lr


def lr_find_ui(config: Config) -> None:
    """The LR range test of these settings (all but the rate): its curve, the suggested rate (the
    valley) and the steepest point marked, and a button that puts the suggestion in the learning rate."""
    st.caption(t("train.lr_find_help"))
    asked = config.replace(lr=DEFAULTS.lr, seeds=1)  # the test sets the rate; one seed is enough
    if st.button(t("train.lr_find_run"), icon=":material/play_arrow:", key="lr_find_run"):
        with st.spinner(t("train.lr_find_running")):
            try:
                st.session_state["lr_found"] = (asked, lr_find.lr_find(asked))
            except Exception as e:  # bad data, a device, memory: said, not a traceback
                st.session_state["lr_found"] = (asked, e)
    found = st.session_state.get("lr_found")
    if found is None or found[0] != asked:  # none yet, or one of other settings
        return
    result = found[1]
    if isinstance(result, Exception) or result.suggested is None:
        st.warning(
            t("train.lr_find_none", error=result if isinstance(result, Exception) else len(result.lrs))
        )
        return
    st.altair_chart(
        charts.lr_range(result.lrs, result.losses, result.suggested, chart_labels(), result.steepest),
        width="stretch",
    )
    exploded = t("train.lr_find_exploded", lr=result.lrs[-1]) if result.exploded else ""
    st.markdown(t("train.lr_find_result", lr=result.suggested, exploded=exploded))
    if result.steepest is not None:
        st.caption(t("train.lr_find_steepest", lr=result.steepest))
    rounded = float(f"{result.suggested:.2g}")
    st.button(
        t("train.lr_find_use", lr=rounded),
        on_click=_use_lr,
        args=(rounded,),
        icon=":material/check:",
        key="lr_find_use",
    )


# A model this many times the recipe's parameters gets its count and a rough time per epoch
# before Train: such a run can take minutes an epoch.
BIG = 20


def size_ui(config: Config) -> Config | None:
    """The layer summary worked out from the widths (no model is built), and for a model much
    larger than the recipe its size and about how long an epoch takes; None after refusing a
    model too large to allocate here."""
    layers = model.plan(config.model, config.widths, config.activation, config.outputs)
    with st.expander(t("train.summary", n=layers["params"].sum())):
        shown = layers[["layer", "output shape", "params"]]
        st.dataframe(shown.rename(columns=lambda c: t(f"summary.{c}")), hide_index=True)
    n_train = config.train_size or len(available(config.digits).train)
    cost = train.estimate(config, n_train)
    memory = train.memory_bytes()
    if cost.bytes > memory:
        st.error(
            t("train.too_big", n=cost.params, gb=cost.bytes / 1e9, memory=memory / 1e9, seeds=config.seeds),
            icon=":material/memory:",
        )
        return None
    recipe = model.plan(DEFAULTS.model, DEFAULTS.widths)["params"].sum()
    if cost.params >= BIG * recipe:
        st.warning(
            t(
                "train.big",
                n=cost.params,
                times=cost.params / recipe,
                seconds=cost.seconds,
                minutes=cost.seconds * config.epochs / 60,
                seeds=config.seeds,
            ),
            icon=":material/timer:",
        )
    return config


def history_frame(state: JobState) -> pd.DataFrame:
    return pd.DataFrame([r.__dict__ for r in state.records], columns=HISTORY_COLUMNS)


def try_this(config: Config, changes: dict, run_path: Path | None = None) -> None:
    """Fill the settings above with a remedy's changes to `config` (the user then presses Train);
    the run it came from, `run_path`, is what the remedy's run is then set against."""
    st.session_state["tried_from"] = str(run_path) if run_path else None
    common.set_train(config, changes)
    st.session_state["tried"] = changes
    st.rerun()  # the button is in the run's fragment; the settings above must show the changes


def plus_minus(histories: list[pd.DataFrame], figure: str, percent: bool = False) -> str:
    """ " ± sd" of a figure's final value over the seeds, "" for one."""
    values = [h[figure].iloc[-1] for h in histories if len(h)]
    if len(values) < 2:
        return ""
    sd = pd.Series(values).std()
    return f" ± {sd:.1%}" if percent else f" ± {sd:.4f}"


def spread_ui(histories: list[pd.DataFrame], config: Config) -> None:
    """How far the seeds are apart, in one sentence, and whether they read the curves alike."""
    finals = [h.test_accuracy.iloc[-1] for h in histories if len(h)]
    if len(finals) < 2:
        return
    st.caption(t("train.spread", seeds=len(finals), points=(max(finals) - min(finals)) * 100))
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
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        t("train.final_accuracy"),
        f"{last.test_accuracy:.1%}" + plus_minus(histories, "test_accuracy", percent=True),
        t("train.vs_baseline", delta=last.test_accuracy - baseline, baseline=baseline),
    )
    c2.metric(
        t("train.best_accuracy"),
        f"{history.test_accuracy.max():.1%}",
        t("train.at_epoch", epoch=int(history.loc[history.test_accuracy.idxmax(), "epoch"])),
        delta_color="off",
    )
    lowest = runs.lowest_test_loss(list(histories)) if len(histories) > 1 else None
    if lowest is None or len(lowest.losses) < 2:  # one seed: its curve's own lowest
        c3.metric(
            t("train.lowest_loss"), f"{best.test_loss:.4f}", t("train.at_epoch", epoch=int(best.epoch)),
            delta_color="off",
        )  # fmt: skip
    else:  # each seed's lowest, wherever it fell: their mean ± sd (not the mean curve's lowest)
        first, last_epoch = min(lowest.epochs), max(lowest.epochs)
        c3.metric(
            t("train.lowest_loss"),
            f"{lowest.mean:.4f} ± {lowest.sd:.4f}",
            t("train.at_epoch", epoch=first)
            if first == last_epoch
            else t("train.at_epochs", first=first, last=last_epoch),
            delta_color="off",
            help=t("train.lowest_loss_help"),
        )
    c4.metric(t("train.final_train_loss"), f"{last.train_loss:.4f}" + plus_minus(histories, "train_loss"))
    spread_ui(list(histories), config)
    reading = diagnose.read(history, len(config.digits), config)
    st.info(t(f"reading.{reading.situation}", **reading.facts), icon=":material/insights:")
    found = diagnose.remedies(reading.situation, config, len(available(config.digits).train))
    if found:
        st.markdown(t("train.try_this"))
        columns = st.columns(min(len(found), 3))
        for i, remedy in enumerate(found):
            facts = remedy.facts | {"what": t(f"remedy.what.{remedy.facts['what']}")}
            label = t(f"remedy.{remedy.kind}", **facts)
            columns[i % len(columns)].button(
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


def run_ui(job: Job, state: JobState) -> None:
    """One look at a run: status in words, progress, chart; results once it has ended."""
    n, total = len(state.records), job.config.epochs
    history = history_frame(state)
    status_ui(job, state)
    # drawn from the start, empty until epoch 1 ends: the chart then stays the same element
    histories = state.histories()
    st.vega_lite_chart(
        spec=charts.curves(
            history,
            total,
            chart_labels(),
            1 / len(job.config.digits),
            runs.spread(histories) if histories else None,
            histories if st.session_state.get(common.KEEP + "show_seeds") else (),
        ),
        width="stretch",
    )
    if state.hardest:
        st.markdown(t("train.hardest"))
        index = [i for i, _, _ in state.hardest]
        st.html(
            common.inline_grid(
                data.load(job.config.data, job.config.digits).test.images[index],
                [f"{d}? {c:.0%}" for _, d, c in state.hardest],
                cols=10,
                scale=2,
            )
        )
    if state.done and n:
        versus_ui(state.run_path)
        results_ui(history, job.config, histories, state.run_path)


# While a run trains, its fragment redraws it every REDRAW seconds. Each redraw costs the browser
# and the server CPU that the run then lacks: about 0.1 s here (benchmarks/ui_overhead.py), so
# redrawing every second took a tenth of the run's time, and every 2 s takes a twentieth.
REDRAW = 2.0
# So the first point is drawn by the click on Train itself: it waits this long at most for it.
FIRST_EPOCH_WAIT = 1.5
# Streamlit fades stale elements and slides the progress bar: on every redraw the browser then
# paints frames for a while, about a fifth of its CPU during a run. Turned off on this page.
NO_ANIMATION = (
    "<style>*, *::before, *::after {transition: none !important; animation: none !important}</style>"
)


def live_ui(job: Job | None, running: bool) -> None:
    """This tab's run, in a fragment that redraws it every REDRAW seconds while it trains.

    Running or ended, the run is drawn by the same fragment, so that its chart stays the same
    element when a run starts or ends: the browser then swaps the points instead of building the
    chart anew (about 0.1 s of CPU, taken from the run that has just started)."""
    if job is None:
        st.caption(t("train.press_train"))
        return

    @st.fragment(run_every=REDRAW if running else None)
    def view() -> None:
        state = job.snapshot()
        if running:
            job.touch()
        run_ui(job, state)
        if running and state.done:  # let the whole page (buttons, runs table) see the end
            st.rerun(scope="app")

    view()


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
    common.verdicts_ui(a, b, t("train.versus_before"), t("train.versus_remedy"))


def start_training(config: Config) -> None:
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


def _lowest_mean(run: Run) -> float | None:
    """A run's lowest test loss for the runs table: the mean of each seed's own lowest, as the
    results show it (a run of several seeds: not the lowest of its mean curve)."""
    try:
        lowest = runs.lowest_test_loss([r.history for r in run.replicates()])
    except runs.RunError:  # a damaged replicate folder: the lowest of the mean curve, as before
        lowest = None
    if lowest is None:
        return float(run.history.test_loss.min()) if len(run.history) else None
    return lowest.mean


def runs_ui(training: Path | None) -> None:
    """Past runs, also those made with the CLI, with their files to download; not the run this
    tab is `training`, which the page draws above and which joins the table when it ends. (The
    table then stays as it was when Train is pressed, and the browser redraws it in less time:
    0.1 s of CPU less, out of 0.4 s, at a time when that CPU is the new run's.)"""
    found = [r for r in common.list_runs() if r.path != training]
    if not found:
        st.caption(t("train.no_runs", path=common.runs_dir()))
        return

    def table(group: list[Run]) -> None:
        rows = pd.DataFrame(
            [
                {
                    "run": r.name,
                    "status": t(f"status.{r.status}"),
                    "digits": common.problem_name(r.config.digits),
                    "model": r.config.model.upper(),
                    "epochs": len(r.history),
                    "accuracy": r.history.test_accuracy.iloc[-1] * 100 if len(r.history) else None,
                    "loss": _lowest_mean(r),
                    "optimizer": r.config.optimizer,
                    "lr": r.config.lr,
                    "train_size": r.config.train_size,
                    "started": r.started,
                }
                for r in group
            ]
        )
        columns = {c: st.column_config.Column(t(f"train.col.{c}")) for c in rows.columns}
        # one precision for every row (format="percent" gave 99%, 99.2% and 99.13% side by side)
        columns["accuracy"] = st.column_config.NumberColumn(t("train.col.accuracy"), format="%.1f%%")
        columns["loss"] = st.column_config.NumberColumn(t("train.col.loss"), format="%.4f")
        st.dataframe(rows, hide_index=True, width="stretch", column_config=columns)

    lone = [r for r in found if r.sweep is None]
    if lone:
        table(lone)
    # a sweep's runs as one group, opened on demand
    sweeps: dict[str, list[Run]] = {}
    for r in found:
        if r.sweep is not None:
            sweeps.setdefault(r.sweep, []).append(r)
    for name, group in sweeps.items():
        try:
            knob = t(f"knob.{sweep.load_sweep(group[0].path.parent).sweep.knob}")
        except runs.RunError:
            knob = "?"  # its sweep.json is damaged: the runs are still shown
        label = t(
            "train.sweep_group",
            name=md(name),
            knob=knob,
            values=len(group),
            runs=sum(r.config.seeds for r in group),
        )
        with st.expander(label, icon=":material/tune:"):
            table(group)
    chosen = common.pick_run(t("train.download_of"), found)
    c1, c2 = st.columns(2)
    c1.download_button(
        t("train.history_csv"),
        chosen.history.to_csv(index=False),
        f"{common.file_stem(chosen)}-history.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    weights = chosen.weights_path()
    c2.download_button(
        t("train.weights"),
        weights.read_bytes() if weights else b"",
        f"{common.file_stem(chosen)}-weights.pt",
        on_click="ignore",
        disabled=weights is None,
        icon=":material/download:",
        help=None if weights else t("train.no_weights"),
    )
    code_ui(chosen)


def code_ui(run: Run) -> None:
    """A finished run as the chapter's kind of training script, to read and to download."""
    if run.status != "finished":
        st.caption(t("train.code_unfinished"))
        return
    name, stem, seeds = run.name, common.file_stem(run), run.config.seeds
    try:  # the settings every seed shares: can the script hold them?
        export.script(run.config, name)
    except export.ExportError as e:
        st.info(t(f"export.error.{e.kind}", **e.facts), icon=":material/code_off:")
        return
    with st.expander(t("train.code"), icon=":material/code:"):
        if seeds > 1:  # the script trains one seed alone: the median one unless another is picked
            run = common.pick_replicate(run)
            stem += f"_seed{run.config.replicate}"
            st.caption(t("train.code_seed", k=run.config.replicate, seeds=seeds))
        else:
            st.caption(t("train.code_caption"))
        script = f"train_{re.sub(r'[^0-9A-Za-z]', '_', stem)}.py"  # a Python name
        code = export.script(run.config, name, script)
        st.download_button(
            t("train.code_download"),
            code,
            script,
            "text/x-python",
            on_click="ignore",
            icon=":material/download:",
        )
        st.code(code, language="python")


def share_ui(column, config: Config) -> None:
    """These settings as a link (the page's URL carries them) and as a command line."""
    link = write_link(config)
    with column.popover(t("train.share"), icon=":material/link:"):
        st.caption(t("train.share_link"))
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("train.share_cli"))
        st.code(shlex.join(["uv", "run", "mnist49", "train", *settings.to_argv(config)]), language="bash")


st.html(NO_ANIMATION)
st.title(t("page.train"))
st.caption(t("train.caption"))
config = config_ui()
if config is not None:
    config = size_ui(config)

current = common.job()
snapshot = current.snapshot() if current else None
busy = snapshot is not None and not snapshot.done
can_save = common.runs_dir_ok()  # checked before Train, not found out by a failed run
c1, c2, c3, c4 = st.columns([1, 1, 1, 5])
c1.button(
    t("train.train"),
    type="primary",
    icon=":material/play_arrow:",
    disabled=config is None or busy or not can_save,
    on_click=start_training,
    args=(config,),
    key="train",
)
queued = snapshot is not None and snapshot.status == "queued"
c2.button(
    t("train.cancel" if queued else "train.stop"),
    icon=":material/stop:",
    disabled=not busy,
    on_click=current.stop if busy else None,
    key="stop",
)
if config is not None:
    share_ui(c3, config)
if refused := st.session_state.pop("train_refused", None):
    c4.error(refused)
live_ui(current, busy)

st.subheader(t("train.runs"))
runs_ui(snapshot.run_path if busy else None)
