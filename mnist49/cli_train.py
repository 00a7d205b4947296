"""The CLI's training commands: train, sweep and lr-find, each printing as it goes (JSON lines
under --json)."""

from __future__ import annotations

import argparse
import functools
import json
import math
import signal
import sys
import threading
import time

from mnist49 import settings
from mnist49.cli import ensure
from mnist49.runs import Run, cluster, load_run, seeds, space_problem, sweep
from mnist49.runs.record import train_run
from mnist49.training import events
from mnist49.training.events import Stop
from mnist49.training.history import EpochRecord


def _epoch_line(record: EpochRecord, file=None) -> None:
    print(
        f"epoch {record.epoch:3d}  train loss {record.train_loss:.4f}  "
        f"test loss {record.test_loss:.4f}  test accuracy {record.test_accuracy:.4f}  "
        f"({record.seconds:.2f} s)",
        file=file,
        flush=True,
    )


def _spread_line(records: dict[int, EpochRecord], file=None) -> None:
    """One epoch of several seeds: the mean of each figure and its range over the replicates."""
    first, mean = next(iter(records.values())), seeds.mean(records)

    def figure(name: str) -> str:
        values = [getattr(r, name) for r in records.values()]
        return f"{getattr(mean, name):.4f} [{min(values):.4f}-{max(values):.4f}]"

    print(
        f"epoch {first.epoch:3d}  train loss {figure('train_loss')}  test loss {figure('test_loss')}  "
        f"test accuracy {figure('test_accuracy')}  ({first.seconds:.2f} s, {len(records)} seeds)",
        file=file,
        flush=True,
    )


def train(args: argparse.Namespace) -> int:
    config = settings.from_args(args)
    ensure(config.data, config.digits)
    if short := space_problem(args.runs_dir, config):
        needed, free = short
        print(
            f"mnist49: error: the disk of {args.runs_dir} has {free / 1e6:.1f} MB free, and this run "
            f"writes up to {needed / 1e6:.1f} MB: free some space, or give another --runs-dir",
            file=sys.stderr,
        )
        return 2
    human = sys.stderr if args.json else sys.stdout  # under --json, stdout holds only JSON lines
    stop, handlers = _stop_on_signals()
    try:
        lines = events.of(
            events.EpochEnded,
            lambda ended: (
                _spread_line(ended.records, file=human)
                if config.seeds > 1
                else _epoch_line(ended.records[0], file=human)
            ),
        )
        if args.ray:
            run, seconds = cluster.train_run(args.ray, config, args.runs_dir, lines, stop)
        else:
            run, seconds = train_run(config, args.runs_dir, lines, stop)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    last = run.history.iloc[-1] if len(run.history) else None
    why = f" ({run.message})" if run.reason else ""
    # The epochs' own time (each epoch's record: its batches and evaluation) apart from the rest
    # of train_run's time, which a figure per epoch would otherwise spread over the epochs: the
    # model and the optimizer's first (dynamo) import before the first batch, and writing the run
    # folder after each epoch. Loading the data comes before train_run's clock and is in neither.
    n = len(run.history)
    epochs_seconds = float(run.history["seconds"].sum()) if n else 0.0
    per_epoch = epochs_seconds / n if n else None
    startup = seconds - epochs_seconds
    shown = f", {per_epoch:.3f} s per epoch + {startup:.1f} s start-up and writing" if n else ""
    print(f"{run.status}{why}: {n} epochs in {seconds:.1f} s{shown} -> {run.path}", file=human)
    if args.json:
        print(
            json.dumps(
                {
                    "status": run.status,
                    "epochs": n,
                    "train_loss": None if last is None else float(last.train_loss),
                    "test_loss": None if last is None else float(last.test_loss),
                    "test_accuracy": None if last is None else float(last.test_accuracy),
                    "seconds": seconds,
                    "seconds_per_epoch": per_epoch,
                    "startup_seconds": startup,
                    "run_dir": str(run.path),
                }
                | _seeds_summary(run)
            )
        )
    if run.reason == "interrupted":
        return 128 + signal.Signals[run.facts["signal"]].value  # as if the signal had ended it
    return 0 if run.status == "finished" else 1


def _seeds_summary(run) -> dict:
    """For several seeds: how many, and the sd over them of the final test accuracy and loss (the
    other figures are then means over the replicates)."""
    if run.config.seeds == 1:
        return {}
    summary = seeds.summary([r.history for r in run.replicates()])
    return {"seeds": run.config.seeds} | _json_figures(summary, "test_accuracy_sd", "test_loss_sd")


def _json_figures(summary: dict, *names: str) -> dict:
    """Figures of seeds.summary for a JSON line: NaN (no seed, or one: no sd) as null."""
    return {name: None if math.isnan(summary[name]) else summary[name] for name in names}


def _stop_on_signals() -> tuple[Stop, dict]:
    """A Stop that Ctrl-C and SIGTERM set, as the app's Stop button does: the run (or sweep) ends
    at the next batch, keeping what it finished, and says why. Returns it and the handlers to
    put back."""
    stop = Stop()
    handlers = (
        {
            number: signal.signal(
                number, lambda n, _: stop.stop("interrupted", signal=signal.Signals(n).name)
            )
            for number in (signal.SIGINT, signal.SIGTERM)
        }
        if threading.current_thread() is threading.main_thread()  # where Python runs handlers
        else {}
    )
    return stop, handlers


def sweep_command(args: argparse.Namespace) -> int:
    base = settings.from_args(args)
    ensure(base.data, base.digits)
    values = sweep.parse_values(args.knob, args.values) if args.values else ()
    planned = sweep.Sweep(base, args.knob, values)
    print(
        f"sweep of {args.knob} over {', '.join(map(sweep.show, planned.values))}, "
        f"{base.seeds} seeds each: {planned.runs} runs",
        file=sys.stderr,
        flush=True,
    )

    def value_line(i: int, run: Run) -> None:
        row = sweep_run_summary(run, planned.values[i])
        if args.json:
            print(json.dumps(row), flush=True)
        else:

            def figure(name: str) -> str:  # "-" where no seed finished an epoch (or one did)
                mean, sd = row[f"{name}_mean"], row[f"{name}_sd"]
                return ("-" if mean is None else f"{mean:.4f}") + ("" if sd is None else f" ± {sd:.4f}")

            print(
                f"{args.knob} {sweep.show(row['value']):>8}  final test accuracy {figure('test_accuracy')}  "
                f"lowest test loss {figure('lowest_test_loss')}  ({row['seeds']} seeds, {run.status})",
                flush=True,
            )

    stop, handlers = _stop_on_signals()
    try:
        train = functools.partial(cluster.train_sweep, args.ray) if args.ray else sweep.train_sweep
        value_ended = lambda ended: ended.value is not None and value_line(ended.value, load_run(ended.path))  # noqa: E731
        found, seconds = train(planned, args.runs_dir, events.of(events.RunEnded, value_ended), stop)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    best = found.best()
    best_value = None if best is None else planned.values[best]
    table = found.summary()
    best_finished = best is not None and bool(table.loc[table["value"] == best_value, "finished"].iloc[0])
    if args.json:
        print(
            json.dumps(
                {
                    "knob": args.knob,
                    "best_value": best_value,
                    "best_finished": best_finished,  # False: no value finished; the best was cut short
                    "runs": sum(len(r.replicates()) for r in found.runs.values()),
                    "seconds": seconds,
                    "status": found.status,
                    "sweep_dir": str(found.path),
                }
            )
        )
    else:
        why = f" ({found.message})" if found.message else ""
        shown = "none" if best_value is None else sweep.show(best_value)
        shown += "" if best_value is None or best_finished else " (did not finish: no value did)"
        print(f"{found.status}{why}: best {args.knob} {shown}, in {seconds:.1f} s -> {found.path}")
    if stop.is_set() and stop.why == "interrupted":
        return 128 + signal.Signals[stop.facts["signal"]].value
    return 0 if found.status == "finished" else 1


def sweep_run_summary(run: Run, value) -> dict:
    """One value of a sweep for --json: mean and sd over its seeds of the final test accuracy and
    of the lowest test loss."""
    summary = seeds.summary([r.history for r in run.replicates()])
    figures = ("test_accuracy_mean", "test_accuracy_sd", "lowest_test_loss_mean", "lowest_test_loss_sd")
    return (
        {"value": value}
        | _json_figures(summary, *figures)
        | {"seeds": summary["seeds"], "status": run.status, "run_dir": str(run.path)}
    )


def lr_find_command(args: argparse.Namespace) -> int:
    from mnist49.training import lr_find

    config = settings.from_args(args)
    ensure(config.data, config.digits)
    start = time.perf_counter()
    found = lr_find.lr_find(config)
    seconds = time.perf_counter() - start
    if args.json:
        for lr, loss in zip(found.lrs, found.losses, strict=True):
            print(json.dumps({"lr": float(lr), "loss": float(loss)}))
        print(
            json.dumps(
                {
                    "suggested_lr": found.suggested,
                    "steepest_lr": found.steepest,
                    "batches": len(found.lrs),
                    "exploded": found.exploded,
                    "seconds": seconds,
                }
            )
        )
    else:
        for lr, loss in list(zip(found.lrs, found.losses, strict=True))[:: max(1, len(found.lrs) // 20)]:
            print(f"lr {lr:9.2e}  smoothed loss {loss:.4f}")

        def shown(lr: float | None) -> str:
            return "none (too few batches)" if lr is None else f"{lr:.2g}"

        end = "the loss exploded" if found.exploded else f"up to lr {found.lrs[-1]:.2g}"
        print(
            f"suggested lr {shown(found.suggested)} (fastai's valley rule; the steepest descent is at "
            f"{shown(found.steepest)}; {len(found.lrs)} batches, {end}, {seconds:.1f} s)"
        )
    return 0
