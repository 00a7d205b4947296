"""Train a config and record it as a run folder: the one way from a Config to a saved Run,
for the CLI and the app's worker alike."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import torch

from mnist49 import evaluate, events, replicates
from mnist49.atomic import no_leftover
from mnist49.config import Config
from mnist49.history import EpochProbs, EpochRecord
from mnist49.replicates import BatchCallback
from mnist49.runs import Run, RunWriter, Stop, load_run, remove
from mnist49.seeds import mean, median_replicate
from mnist49.train import StopSignal, fit, prepare

Callback = Callable[[EpochRecord], None]
ProbsCallback = Callable[[EpochProbs], None]

SpreadCallback = Callable[[dict[int, EpochRecord]], None]  # one epoch's records, by replicate

# What trains, as (fit, fit_replicates) with their signatures: by default this process; within
# cluster.fitting, Ray tasks whose events come back here to be recorded
FITTERS: ContextVar[tuple[Callable, Callable] | None] = ContextVar("fitters", default=None)


def _fitters() -> tuple[Callable, Callable]:
    return FITTERS.get() or (fit, replicates.fit_replicates)


def train_run(
    config: Config,
    runs_dir: Path | str,
    callbacks: Iterable[Callback] = (),
    stop: StopSignal | None = None,
    on_start: Callable[[Path], None] | None = None,
    on_probs: Iterable[ProbsCallback] = (),
    on_batch: Iterable[BatchCallback] = (),
    on_spread: Iterable[SpreadCallback] = (),
) -> tuple[Run, float]:
    """Prepare the data, train and record the run; returns it and the seconds spent training.

    With several seeds the replicates train together (replicates.fit_replicates); `callbacks`
    then get the mean of each epoch, `on_spread` ones every replicate's record of it, and
    `on_probs` ones the mean probabilities.

    Bad data or settings raise before any folder is made. A stopped run records why: `stop`'s
    `why` and `facts` (see runs.Stop; "user" if it has none). Ctrl-C (KeyboardInterrupt) stops
    the run as interrupted and is raised again; any other error marks it failed and is raised
    again. Either way the finished epochs and their last weights stay.
    """
    if config.seeds > 1:
        return _train_replicates(config, runs_dir, callbacks, stop, on_start, on_probs, on_batch, on_spread)
    split = prepare(config)
    writer = RunWriter(runs_dir, config, labels=split.y_test)
    if on_start:
        on_start(writer.path)
    start = time.perf_counter()
    with marks_an_error(writer.finish):
        result = _fitters()[0](
            config, split, _listener(writer, callbacks, on_probs, on_batch), stop, probs=True
        )
    seconds = time.perf_counter() - start
    _finish(writer, config, result, split, stop)
    return load_run(writer.path), seconds


def _listener(writer: RunWriter, callbacks, on_probs, on_batch) -> events.Sink:
    """The sink that records a lone run's events in `writer` and passes them on."""
    callbacks, on_probs, on_batch = list(callbacks), list(on_probs), list(on_batch)

    def listen(event: events.Event) -> None:
        if isinstance(event, events.BatchDone):
            for callback in [writer.beat, *on_batch]:
                callback(event.epoch, event.done, event.batches)
        elif isinstance(event, events.Weights):
            writer.record_state(event.epoch, event.state)
        elif isinstance(event, events.EpochEnded):
            for callback in [writer, *callbacks]:
                callback(event.records[0])
        elif isinstance(event, events.Probs):
            for callback in [writer.record_probs, *on_probs]:
                callback(event)

    return listen


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


def stop_reason(stop: StopSignal | None) -> tuple[str, dict]:
    """Why `stop` was set, as a key of status.REASONS and its facts ("user" if it does not say)."""
    return (stop.why or "user", stop.facts) if isinstance(stop, Stop) else ("user", {})


def _why(result, stop: StopSignal | None) -> tuple[str, dict]:
    """Why a run ended early, as a key of status.REASONS and its facts ("" if it did not)."""
    if result.status == "stopped":
        return stop_reason(stop)
    if result.status == "diverged":
        return "diverged", {"epoch": len(result.history) + 1}
    return "", {}


def _finish(writer: RunWriter, config: Config, result, split, stop: StopSignal | None) -> None:
    finished = bool(result.history)  # with no finished epoch there are no weights to keep
    preds = evaluate.predictions(result.test_logits, split.y_test, split.test_index, config.digits)
    writer.finish(
        result.status,
        *_why(result, stop),
        model=result.model if finished else None,
        predictions=preds if finished else None,
    )


def _train_replicates(
    config: Config,
    runs_dir: Path | str,
    callbacks: Iterable[Callback],
    stop: StopSignal | None,
    on_start: Callable[[Path], None] | None,
    on_probs: Iterable[ProbsCallback],
    on_batch: Iterable[BatchCallback],
    on_spread: Iterable[SpreadCallback],
) -> tuple[Run, float]:
    """`train_run` of several seeds: a run folder whose replicates are run folders of their own."""
    callbacks, on_probs, on_spread = list(callbacks), list(on_probs), list(on_spread)

    def epoch_ended(_: int, records: dict[int, EpochRecord], probs: EpochProbs | None) -> None:
        for callback in callbacks:
            callback(mean(records))
        for callback in on_spread:
            callback(records)
        for callback in on_probs if probs is not None else ():
            callback(probs)

    (run,), seconds = train_together(
        [config],
        [runs_dir],
        stop,
        on_start=lambda paths: on_start(paths[0]) if on_start else None,
        on_epoch=[epoch_ended],
        on_batch=on_batch,
        probs=bool(on_probs),
    )
    return run, seconds


RunEpochCallback = Callable[[int, dict[int, EpochRecord], EpochProbs | None], None]


def train_together(
    configs: Sequence[Config],
    places: Sequence[Path | str],
    stop: StopSignal | None = None,
    names: Sequence[str | None] | None = None,
    on_start: Callable[[list[Path]], None] | None = None,
    on_epoch: Iterable[RunEpochCallback] = (),
    on_batch: Iterable[BatchCallback] = (),
    probs: bool = False,
) -> tuple[list[Run], float]:
    """Train runs that one batched model can hold (configs differing only in replicates.VARYING,
    each of any number of seeds) together, run i recorded in `places[i]` (named `names[i]`).

    A run of several seeds is a folder whose replicates are run folders of their own; a run of
    one seed is a plain run folder. `on_epoch` callbacks get, after every epoch, each run's
    index, its replicates' records by replicate and (with `probs`) the mean probabilities of
    every test digit. Returns the runs and the seconds spent training.
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
    if on_start:
        on_start([w.path for w in writers])
    on_epoch = list(on_epoch)
    latest: dict[int, EpochProbs] = {}

    def replicate_probs(r: int, p: EpochProbs) -> None:
        children[r].record_probs(p)
        latest[r] = p  # averaged over each run's replicates when the epoch ends

    def epoch_ended(records: dict[int, EpochRecord]) -> None:
        for i, writer in enumerate(writers):
            own = {flat[r][1].replicate: rec for r, rec in records.items() if flat[r][0] == i}
            if not own:
                continue
            if configs[i].seeds > 1:
                writer(mean(own))
            together = None
            if probs:
                rows = [r for r in records if flat[r][0] == i]
                first = latest[rows[0]]
                together = EpochProbs(
                    first.epoch, torch.stack([latest[r].probs for r in rows]).mean(0), first.index
                )
            for callback in on_epoch:
                callback(i, own, together)

    start = time.perf_counter()
    with marks_an_error(*(w.finish for w in {id(w): w for w in [*children, *writers]}.values())):
        results = _fitters()[1](
            [c for _, c in flat],
            splits,
            [lambda r, record: children[r](record)],
            stop,
            [replicate_probs],
            [epoch_ended],
            [lambda r, epoch, state: children[r].record_state(epoch, state)],
            [*(w.beat for w in writers), *on_batch],
        )
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


def _finish_parent(
    writer: RunWriter, children: list[RunWriter], results: list, stop: StopSignal | None
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
