"""What the pages share: the runs folder, cached data and pool, the session's job, the digits and
run pickers, verdicts in words."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from mnist49 import data, download, runs, settings
from mnist49.app.background.jobs import Job
from mnist49.app.background.pool import JobPool
from mnist49.app.text import plain, t
from mnist49.augment import AUGMENTATIONS
from mnist49.config import Config, ConfigError
from mnist49.runs import cluster, seeds

if TYPE_CHECKING:
    from torch import nn

KEEP = "k_"  # widget keys with this prefix survive page switches (see streamlit_app.py)


def gpu() -> str | None:
    """The name of the CUDA GPU that runs train on (their device is "auto"), or None without one.
    Only the pages that train ask: it imports torch."""
    import torch

    return _gpu_name() if torch.cuda.is_available() else None


@st.cache_resource(show_spinner=False)
def _gpu_name() -> str:
    import torch

    return torch.cuda.get_device_name(0)  # this initialises CUDA in the server: once per process


def train_widgets() -> dict:
    """The Train page's settings before the learner touches them: the recipe, with the page's
    defaults (more seeds where runs train on CUDA)."""
    return settings.to_widgets(settings.build({}, settings.page_defaults(gpu() is not None)), {})


def kept(key: str, default) -> str:
    """The key of a widget whose value survives page switches, holding `default` at first.

    Pass the returned key and no default value to the widget.
    """
    st.session_state.setdefault(KEEP + key, default)
    return KEEP + key


# The problems a learner can pick (named as settings.problem_key names them): the chapter's
# first, then all ten, then every other pair.
PROBLEMS: dict[str, tuple[int, ...]] = {
    settings.problem_key(digits): digits
    for digits in [data.PAIR, settings.ALL_DIGITS]
    + [(a, b) for a in range(10) for b in range(a + 1, 10) if (a, b) != data.PAIR]
}


def problem_name(digits: tuple[int, ...]) -> str:
    if len(digits) == 10:
        return t("common.all_ten")
    return (
        " / ".join(str(d) for d in digits) if len(digits) > 2 else t("common.pair", a=digits[0], b=digits[1])
    )


def sure(p: float) -> float:
    """How sure, for a whole percent: floored, so that "100%" is shown only where p reads 1.000
    (p(9) = 0.996 is 99% sure, not rounded up to certainty)."""
    return (round(float(p) * 1000) // 10) / 100  # in whole thousandths: 0.57 * 100 is 56.99...


def valid(key: str, options: list, default) -> str:
    """`kept(key, default)`, reset to `default` when the kept value is not among `options` (the
    choices of a digit filter change with the run or the problem)."""
    if st.session_state.get(KEEP + key, default) not in options:
        st.session_state[KEEP + key] = default
    return kept(key, default)


def _read_digits_link() -> None:
    """Once per session: the digits in the page's link (a reload's, or a shared link's) picked."""
    if st.session_state.get("digits_link_read"):
        return
    st.session_state["digits_link_read"] = True
    text = st.query_params.get("digits")
    if text is None:
        return
    try:
        key = settings.problem_key(settings.parse("digits", text))
    except settings.SettingError:
        key = None
    if key in PROBLEMS:
        st.session_state[KEEP + "digits"] = key
    else:
        st.warning(t("common.digits_link", digits=plain(text)), icon=":material/link_off:")


def digits_ui() -> tuple[int, ...] | None:
    """The digits to tell apart, the same setting on Samples and Train; None (after offering
    the download) while full MNIST, which digits other than 4 and 9 need, is not here yet."""
    names = {key: problem_name(digits) for key, digits in PROBLEMS.items()}
    names["4-9"] += t("common.chapter")
    _read_digits_link()
    key = st.selectbox(
        t("common.digits"),
        list(PROBLEMS),
        format_func=names.get,
        key=kept("digits", "4-9"),
        help=t("common.digits_help"),
    )
    digits = PROBLEMS[key]
    # in the page's link too, so that a reload (after copying MNIST's files, say) keeps them
    shown = settings.FIELDS["digits"].show(digits) if key != "4-9" else None
    if st.query_params.get("digits") != shown:
        if shown is None:
            del st.query_params["digits"]
        else:
            st.query_params["digits"] = shown
    root = data.root_of("bundled", digits)
    if root is None or not data.missing_files(root):
        try:
            data.arrays(digits=digits)  # cached: read once per server
        except data.DataError as e:
            st.error(t("common.bad_mnist", error=e))
            return None
        return digits
    raw = (root / "MNIST" / "raw").resolve()
    st.info(t("common.needs_mnist", path=raw), icon=":material/cloud_download:")
    if st.button(t("common.download"), icon=":material/download:", key="download_mnist"):
        bar = st.progress(0.0, text=t("common.downloading"))
        try:
            download.download(root, lambda fraction, text: bar.progress(fraction, text=text))
        except data.DataError as e:
            bar.empty()
            # the info above already says how to copy the files: not a second time
            st.error(t("common.download_failed", error=e.problem.removesuffix(f"; {download.OFFLINE}")))
            return None
        st.rerun()
    return None


def augment_ui(shared_with: str) -> tuple[str, ...]:
    """The augmentations to train with; one setting on Train and Samples (Samples shows what
    Train will feed the model), and said so where some are picked. `shared_with`: the other
    page's name ("train" or "samples")."""
    picked = tuple(
        st.multiselect(
            t("common.augment"),
            list(AUGMENTATIONS),
            key=kept("augment", []),
            format_func=lambda name: t(f"augment.{name}"),
            placeholder=t("common.augment_none"),
            help=t("common.augment_help"),
        )
    )
    if picked:
        st.caption(t("common.augment_shared", page=t(f"page.{shared_with}")))
    return picked


def train_config() -> Config:
    """The Train page's settings as they are kept across pages (its defaults where untouched):
    the base of a sweep. SettingError or ConfigError if they cannot be trained."""
    defaults = train_widgets()
    model = st.session_state.get(KEEP + "model", defaults["model"])
    return settings.from_widgets(
        {field: st.session_state.get(KEEP + field, defaults[field]) for field in settings.page_fields(model)}
    )


def _sizes(config: Config) -> dict[str, int]:
    """The train and test digits of `config`'s problem: what a size of "all" stands for."""
    return {
        f"{split}_size": len(getattr(data.load(config.data, config.digits), split))
        for split in ("train", "test")
    }


def set_train(config: Config, changes: dict) -> None:
    """Set the Train page's settings to `config` with `changes` (they show there next time)."""
    for name, value in settings.replace_widgets(config, changes, _sizes(config)).items():
        st.session_state[KEEP + name] = value


def train_changes(config: Config) -> dict[str, str] | None:
    """The Train page's settings that differ from `config`'s, as text: every Try this pressed
    since `config` ran, not the last alone, so that no change is made unsaid. None where the
    settings cannot be read (widths being typed, say)."""
    try:
        now = train_config()
    except (settings.SettingError, ConfigError):
        return None
    sizes = _sizes(config)  # a size of "all" and the same number of digits are no change
    before, after = settings.to_widgets(config, sizes), settings.to_widgets(now, sizes)
    return {
        name: settings.FIELDS[name].show(getattr(now, name))
        for name in settings.page_fields(now.model)
        if before[name] != after[name]
    }


def runs_dir() -> Path:
    return Path(os.environ.get("MNIST49_RUNS_DIR", "runs"))


def runs_dir_ok() -> bool:
    """Whether runs can be saved; if not, says why and what to set (no traceback at Train)."""
    problem = runs.folder_problem(runs_dir())
    if problem is not None:
        kind, blocker = problem
        st.error(t(f"common.runs_dir.{kind}", path=runs_dir().absolute(), blocker=blocker))
    return problem is None


def space_ok(config: Config) -> bool:
    """Whether the runs folder's disk has room for a run of `config`; if not, says so."""
    short = runs.space_problem(runs_dir(), config)
    if short is not None:
        needed, free = short
        st.error(
            t("common.disk_full", path=runs_dir().absolute(), free=free / 1e6, needed=needed / 1e6),
            icon=":material/hard_drive:",
        )
    return short is None


@st.cache_resource
def pool() -> JobPool:
    """The server's trainings, shared by every tab: on the Ray cluster at MNIST49_RAY_ADDRESS
    if set (as many at once as it has CPUs; cluster.ClusterError if it cannot be reached), else
    here (at most MNIST49_MAX_JOBS at once)."""
    if cluster.address():
        from mnist49.app.background import cluster_worker  # Ray and torch: only for a cluster

        return cluster_worker.pool(cluster.address())
    return JobPool(int(os.environ.get("MNIST49_MAX_JOBS", "3")))


def job() -> Job | None:
    """This tab's training, running or ended (each browser tab is its own session)."""
    return st.session_state.get("job")


def list_runs() -> list[runs.Run]:
    """The runs on disk, newest first; damaged folders are named in a warning, not a crash."""
    found, problems = runs.list_runs(runs_dir())
    if problems:
        with st.expander(t("common.skipped", n=len(problems))):
            st.text("\n".join(problems))  # as text: a folder or a status may hold Markdown or HTML
    notes = [f"{r.name}: {note}" for r in found for note in r.notes]
    if notes:
        with st.expander(t("common.noted", n=len(notes))):
            st.text("\n".join(notes))
    return found


def file_stem(run: runs.Run) -> str:
    """A run's name as the start of a file name: a sweep's runs are named <sweep>/<value>."""
    return run.name.replace("/", "-")


def run_label(run: runs.Run) -> str:
    accuracy = run.history["test_accuracy"].iloc[-1] if len(run.history) else float("nan")
    return t(
        "common.run_label",
        name=run.name,
        digits=problem_name(run.config.digits),
        status=t(f"status.{run.status}"),
        n=len(run.history),
        accuracy=accuracy,
    )


@st.cache_resource(max_entries=8)
def model_of(run_path: str, weights_mtime: float) -> nn.Module:
    """A run's trained model on CPU, loaded once per weights file."""
    return runs.load_run(run_path).load_model()


def started_here() -> Path | None:
    """The folder of the run this tab last started on Train, once it has one."""
    current = job()
    path = current.snapshot().run_path if current else None
    return Path(path).resolve() if path else None


def pick_run(label: str, found: list[runs.Run]) -> runs.Run:
    """A selectbox of runs (by name, so the choice survives new runs appearing). The run this
    tab last started on Train comes picked, not the newest on disk: a sweep started after it,
    or another tab's run, is newer but not the one the learner is following."""
    by_name = {r.name: r for r in found}
    labels = {r.name: run_label(r) for r in found}  # words chosen now, not when formatting
    mine = started_here()
    index = next((i for i, r in enumerate(found) if mine and r.path.resolve() == mine), 0)
    return by_name[st.selectbox(label, list(by_name), index=index, format_func=labels.get)]


def verdicts_ui(a: runs.Run, b: runs.Run, name_a: str, name_b: str) -> None:
    """Whether B is better than A beyond seed noise and beyond chance, in words."""
    from mnist49.analysis import compare  # here: it brings scipy, which only this needs

    try:
        found = compare.verdicts(a, b, name_a, name_b)
    except runs.RunError as e:
        st.error(t("common.run_error", error=e))
        return
    for verdict in found:
        said = verdict_text(verdict)
        said = said[:1].upper() + said[1:]  # a sentence, though it starts with a name ("the experiment")
        if verdict.kind.endswith("better"):
            st.success(said, icon=":material/trending_up:")
        elif verdict.kind.endswith("worse"):
            st.warning(said, icon=":material/trending_down:")
        else:
            st.info(said, icon=":material/balance:")


def replicate_label(r: runs.Run, median: bool = False) -> str:
    """One seed of a run, in words: its epochs, final test loss and accuracy."""
    last = r.history.iloc[-1] if len(r.history) else None
    return t(
        "common.replicate_label",
        k=r.config.replicate,
        n=len(r.history),
        loss=float("nan") if last is None else last["test_loss"],
        accuracy=float("nan") if last is None else last["test_accuracy"],
    ) + (t("common.replicate_median") if median else "")


def pick_replicate(run: runs.Run, usable: Callable[[runs.Run], bool] = lambda r: True) -> runs.Run:
    """A run of several seeds: a picker of its `usable` seeds (a seed that diverged in its first
    epoch has no model to show), the one with the median final test loss first, and the seed
    picked (a run of its own). A run of one seed: the run itself."""
    if run.config.seeds == 1:
        return run
    try:
        replicates = [r for r in run.replicates() if usable(r)]
    except runs.RunError as e:
        st.error(t("common.run_error", error=e))
        return run
    if not replicates:
        return run
    median = seeds.median_replicate(replicates)
    labels = {i: replicate_label(r, i == median) for i, r in enumerate(replicates)}
    picked = st.selectbox(
        t("common.replicate"),
        list(labels),
        index=median,
        format_func=labels.get,
        key=f"replicate_{run.name}",
        help=t("common.replicate_help"),
    )
    return replicates[picked]


def verdict_text(verdict) -> str:
    """A verdict's sentence in the page's language, with the name of the test it used."""
    said = t(f"verdict.{verdict.kind}", **verdict.facts)
    return f"{said} {t(f'test.{verdict.test}')}" if verdict.test else said
