"""Train a config and record it as a run folder: the one way from a Config to a saved Run,
for the CLI and the app's worker alike."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from mnist49 import evaluate
from mnist49.config import Config
from mnist49.runs import Run, RunWriter, load_run
from mnist49.train import BatchCallback, Callback, ProbsCallback, StopSignal, fit, prepare


def train_run(
    config: Config,
    runs_dir: Path | str,
    callbacks: Iterable[Callback] = (),
    stop: StopSignal | None = None,
    on_start: Callable[[Path], None] | None = None,
    on_probs: Iterable[ProbsCallback] = (),
    on_batch: Iterable[BatchCallback] = (),
) -> tuple[Run, float]:
    """Prepare the data, train and record the run; returns it and the seconds spent training.

    Bad data or settings raise before any folder is made. A stopped run records why: `stop`'s
    `why` and `facts` (see runs.Stop; "user" if it has none). Ctrl-C (KeyboardInterrupt) stops
    the run as interrupted and is raised again; any other error marks it failed and is raised
    again. Either way the finished epochs and their last weights stay.
    """
    split = prepare(config)
    writer = RunWriter(runs_dir, config)
    if on_start:
        on_start(writer.path)
    start = time.perf_counter()
    try:
        result = fit(
            config,
            split,
            [writer, *callbacks],
            stop,
            [writer.record_probs, *on_probs],
            [writer.record_state],
            [writer.beat, *on_batch],
        )
    except KeyboardInterrupt:
        writer.finish("stopped", "interrupted", {"signal": "SIGINT"})
        raise
    except BaseException as e:
        writer.finish("failed", message=f"{type(e).__name__}: {e}")
        raise
    seconds = time.perf_counter() - start
    reason, facts = "", {}
    if result.status == "stopped":
        reason, facts = (getattr(stop, "why", "") or "user"), getattr(stop, "facts", {})
    elif result.status == "diverged":
        reason, facts = "diverged", {"epoch": len(result.history) + 1}
    finished = bool(result.history)  # with no finished epoch there are no weights to keep
    preds = evaluate.predictions(result.test_logits, split.y_test, split.test_index, config.digits)
    writer.finish(
        result.status,
        reason,
        facts,
        model=result.model if finished else None,
        predictions=preds if finished else None,
    )
    return load_run(writer.path), seconds
