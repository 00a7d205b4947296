"""Train a config and record it as a run folder: the one way from a Config to a saved Run,
for the CLI and the app's worker alike."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path

import torch

from mnist49.training import evaluate, events, replicates
from mnist49.runs.atomic import no_leftover
from mnist49.config import Config
from mnist49.training.history import EpochRecord
from mnist49.runs import Run, load_run, remove
from mnist49.runs.seeds import mean, median_replicate
from mnist49.training.train import fit, prepare
from mnist49.runs.writer import RunWriter

# What trains, as (fit, fit_replicates) with their signatures: by default this process; within
# cluster.fitting, Ray tasks whose events come back here to be recorded
FITTERS: ContextVar[tuple[Callable, Callable] | None] = ContextVar("fitters", default=None)


def _fitters() -> tuple[Callable, Callable]:
    return FITTERS.get() or (fit, replicates.fit_replicates)


def train_run(
    config: Config,
    runs_dir: Path | str,
    to: events.Sink | Iterable[events.Sink] | None = None,
    stop: events.Stop | None = None,
) -> tuple[Run, float]:
    """Prepare the data, train and record the run; returns it and the seconds spent training.

    Its events go to `to`: RunStarted once the folder is made, BatchDone, after every epoch Probs
    (the mean over the seeds, with several) and EpochEnded (every seed's record, by replicate),
    and RunEnded. With several seeds the replicates train together (replicates.fit_replicates).

    Bad data or settings raise before any folder is made. A stopped run records why: `stop`'s
    reason ("user" if it has none). Ctrl-C (KeyboardInterrupt) stops the run as interrupted and
    is raised again; any other error marks it failed and is raised again. Either way the
    finished epochs and their last weights stay.
    """
    emit = events.sink(to)
    if config.seeds > 1:
        run_only = lambda e: emit(replace(e, value=None) if isinstance(e, events.EpochEnded) else e)  # noqa: E731
        (run,), seconds = train_together([config], [runs_dir], run_only, stop, probs=True)
    else:
        split = prepare(config)
        writer = RunWriter(runs_dir, config, labels=split.y_test)
        emit(events.RunStarted(str(writer.path)))

        def recorded(event: events.Event) -> None:
            _record(writer, event)
            if not isinstance(event, events.Weights):
                emit(event)

        start = time.perf_counter()
        with marks_an_error(writer.finish):
            result = _fitters()[0](config, split, recorded, stop, True)
        seconds = time.perf_counter() - start
        _finish(writer, config, result, split, stop)
        run = load_run(writer.path)
    emit(events.RunEnded(run.status, run.message, run.reason, run.facts, str(run.path)))
    return run, seconds


def _record(writer: RunWriter, event: events.Event) -> None:
    """Write one event of a lone run (or of one seed) into its folder."""
    if isinstance(event, events.BatchDone):
        writer.beat(event.epoch, event.done, event.batches)
    elif isinstance(event, events.Weights):
        writer.record_state(event.epoch, event.state)
    elif isinstance(event, events.Probs):
        writer.record_probs(event)
    elif isinstance(event, events.EpochEnded):
        writer(next(iter(event.records.values())))


@contextmanager
def marks_an_error(*ends: Callable[..., None]) -> Iterator[None]:
    """Within it, Ctrl-C (KeyboardInterrupt) ends each of `ends` (a RunWriter's finish, a
    SweepWriter's write) as stopped, interrupted, and any other error as failed, with its message;
    the error is raised again."""
    try:
        yield
    except KeyboardInterrupt:
        for end in ends:
            end("stopped", "interrupted", {"signal": "SIGINT"})
        raise
    except BaseException as e:
        for end in ends:
            end("failed", message=f"{type(e).__name__}: {e}")
        raise


def _why(result, stop: events.Stop | None) -> tuple[str, dict]:
    """Why a run ended early, as a key of status.REASONS and its facts ("" if it did not)."""
    if result.status == "stopped":
        return stop.reason() if stop is not None else ("user", {})
    if result.status == "diverged":
        return "diverged", {"epoch": len(result.history) + 1}
    return "", {}


def _finish(writer: RunWriter, config: Config, result, split, stop: events.Stop | None) -> None:
    finished = bool(result.history)  # with no finished epoch there are no weights to keep
    preds = evaluate.predictions(result.test_logits, split.y_test, split.test_index, config.digits)
    writer.finish(
        result.status,
        *_why(result, stop),
        model=result.model if finished else None,
        predictions=preds if finished else None,
    )


def train_together(
    configs: Sequence[Config],
    places: Sequence[Path | str],
    to: events.Sink | Iterable[events.Sink] | None = None,
    stop: events.Stop | None = None,
    names: Sequence[str | None] | None = None,
    probs: bool = False,
) -> tuple[list[Run], float]:
    """Train runs that one batched model can hold (configs differing only in replicates.VARYING,
    each of any number of seeds) together, run i recorded in `places[i]` (named `names[i]`).

    A run of several seeds is a folder whose replicates are run folders of their own; a run of
    one seed is a plain run folder. Its events go to `to`: RunStarted of each run, BatchDone,
    and after every epoch, for each run i, (with `probs`) the mean probabilities of every test
    digit over its seeds and EpochEnded with its replicates' records by replicate and `value` i.
    Returns the runs and the seconds spent training.
    """
    configs = list(configs)
    names = list(names) if names is not None else [None] * len(configs)
    flat = [(i, c) for i, config in enumerate(configs) for c in config.replicates()]  # (run, replicate)
    vary = any(config.vary_data for config in configs)
    # shared test digits; the train digits shared too unless each replicate draws its own
    splits = [prepare(c) for _, c in flat] if vary else prepare(configs[0])
    split_of = splits if isinstance(splits, list) else [splits] * len(flat)
    first = {i: r for r, (i, _) in reversed(list(enumerate(flat)))}  # each run's first replicate
    writers: list[RunWriter] = []
    try:  # a start that fails (a full disk) leaves no folder behind
        for i, (place, config, name) in enumerate(zip(places, configs, names, strict=True)):
            labels = split_of[first[i]].y_test if config.seeds == 1 else None
            writers.append(RunWriter(place, config, name=name, labels=labels))
        children = [
            writers[i]
            if configs[i].seeds == 1
            else RunWriter(writers[i].path / "replicates", c, str(c.replicate), split_of[r].y_test)
            for r, (i, c) in enumerate(flat)
        ]
    except BaseException:
        for writer in writers:
            remove(writer.path)
        raise
    emit = events.sink(to)
    for writer in writers:
        emit(events.RunStarted(str(writer.path)))
    recorder = _Together(writers, children, [i for i, _ in flat], emit, probs)
    start = time.perf_counter()
    with marks_an_error(*(w.finish for w in {id(w): w for w in [*children, *writers]}.values())):
        results = _fitters()[1]([c for _, c in flat], splits, recorder, stop, True)
    seconds = time.perf_counter() - start
    failed: OSError | None = None
    for child, (_, c), result, split in zip(children, flat, results, split_of, strict=True):
        try:
            _finish(child, c, result, split, stop)
        except OSError as e:  # a full disk: the seed is marked failed; the others still end
            failed = failed or e
    if failed is not None:  # a seed's last write failed: so did its run's
        for i, writer in enumerate(writers):
            if configs[i].seeds > 1:
                with contextlib.suppress(OSError):
                    writer.finish("failed", message=f"its last files could not be written ({failed})")
        raise failed
    for i, writer in enumerate(writers):
        if configs[i].seeds > 1:
            own = [r for r, (j, _) in enumerate(flat) if j == i]
            _finish_parent(writer, [children[r] for r in own], [results[r] for r in own], stop)
    return [load_run(w.path) for w in writers], seconds


class _Together:
    """The sink that records the events of runs trained together (train_together) in their
    folders, and passes each run's on."""

    def __init__(
        self, writers: list[RunWriter], children: list[RunWriter], run_of: list[int], emit, probs: bool
    ):
        self.writers, self.children, self.run_of = writers, children, run_of
        self.emit, self.probs = emit, probs
        self.latest: dict[int, events.Probs] = {}  # averaged over each run's seeds at the epoch's end

    def __call__(self, event: events.Event) -> None:
        if isinstance(event, events.BatchDone):
            for writer in self.writers:
                writer.beat(event.epoch, event.done, event.batches)
            self.emit(event)
        elif isinstance(event, events.Weights):
            self.children[event.replicate].record_state(event.epoch, event.state)
        elif isinstance(event, events.Probs):
            self.children[event.replicate].record_probs(event)
            self.latest[event.replicate] = event
        elif isinstance(event, events.EpochEnded):
            self._ended(event.epoch, event.records)

    def _ended(self, epoch: int, records: dict[int, EpochRecord]) -> None:
        for r, record in records.items():
            self.children[r](record)
        for i, writer in enumerate(self.writers):
            rows = [r for r in records if self.run_of[r] == i]
            if not rows:
                continue
            own = {self.children[r].config.replicate: records[r] for r in rows}
            if writer.config.seeds > 1:
                writer(mean(own))
            if self.probs:
                first = self.latest[rows[0]]
                together = torch.stack([self.latest[r].probs for r in rows]).mean(0)
                self.emit(events.Probs(epoch, together, first.index))
            self.emit(events.EpochEnded(epoch, own, i))


def _finish_parent(
    writer: RunWriter, children: list[RunWriter], results: list, stop: events.Stop | None
) -> None:
    """A run of several seeds as a whole: diverged only if every replicate did; the median
    replicate's files."""
    ended = [r for r in results if r.status != "diverged"] or results
    median = load_run(children[median_replicate([load_run(c.path) for c in children])].path)
    with marks_an_error(writer.finish):
        for name in ("weights.pt", "predictions.csv", "replay.npy"):
            if (median.path / name).exists():
                with no_leftover(writer.path / f"{name}.tmp"):
                    shutil.copyfile(median.path / name, writer.path / f"{name}.tmp")
                    (writer.path / f"{name}.tmp").replace(writer.path / name)
    writer.finish(ended[0].status, *_why(ended[0], stop))
