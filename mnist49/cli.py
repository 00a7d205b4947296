"""The mnist49 command: train, sweep, lr-find, samples, download, export and compare; every Config
field a flag."""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import json
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

# What `train` needs, and `sweep` (its knobs make the parser); each other command imports its own
# modules (PIL, the analysis, the exporter), so that a plain `train` starts without them.
from mnist49 import cluster, data, events, seeds, settings, sweep
from mnist49.config import ConfigError
from mnist49.events import Stop
from mnist49.history import EpochRecord
from mnist49.record import train_run
from mnist49.runs import Run, RunError, load_run, space_problem


def _digit(text: str) -> int | None:
    try:
        return None if text == "all" else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a digit or 'all', got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mnist49", description="Tell handwritten 4s from 9s.")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model, one line per epoch")
    settings.add_flags(t)  # every Config field, named as the field
    t.add_argument("--runs-dir", type=Path, default=Path("runs"))
    t.add_argument(
        "--ray",
        metavar="ADDRESS",
        default=os.environ.get(cluster.ENV),
        help="train on this Ray cluster (auto, host:6379, ray://host:10001; default $MNIST49_RAY_ADDRESS)",
    )
    t.add_argument(
        "--json",
        action="store_true",
        help="only one JSON line on stdout (epoch lines to stderr)",
    )

    w = sub.add_parser("sweep", help="train one knob over several values, each with several seeds")
    w.add_argument("--knob", required=True, choices=list(sweep.KNOBS), help="the setting to turn")
    w.add_argument(
        "--values",
        default=None,
        help="its values, comma-separated (default: a sensible range for the knob, e.g. lr "
        "0.0003,0.001,0.004,0.01,0.03); width is a factor on the model's widths",
    )
    settings.add_flags(w)  # the base config: every train flag
    w.set_defaults(seeds=3)  # a sweep's point is to tell a knob's effect from seed noise
    w.add_argument("--runs-dir", type=Path, default=Path("runs"))
    w.add_argument(
        "--ray",
        metavar="ADDRESS",
        default=os.environ.get(cluster.ENV),
        help="train on this Ray cluster (auto, host:6379, ray://host:10001; default $MNIST49_RAY_ADDRESS)",
    )
    w.add_argument("--json", action="store_true", help="one JSON line per value, then one of the sweep")

    f = sub.add_parser("lr-find", help="the learning-rate range test: loss against a rising rate")
    settings.add_flags(f)
    f.add_argument("--json", action="store_true", help="one JSON line per batch, then the suggestion")

    s = sub.add_parser("samples", help="write a labelled grid of digits as PNG")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--split", choices=("train", "test"), default="train")
    settings.add_flags(s, ("digits", "seed", "data"))
    s.add_argument("--digit", type=_digit, default=None, help="only this one of them ('all': any)")
    s.add_argument("--count", type=int, default=40)

    g = sub.add_parser("download", help="fetch full MNIST (for digits other than 4 and 9)")
    g.add_argument(
        "--root", type=Path, default=None, help="a torchvision root (default: $MNIST49_DATA or ./data)"
    )

    e = sub.add_parser("export", help="write a run as one standalone training script")
    e.add_argument("run", help="a run folder, or the name of one in --runs-dir")
    e.add_argument("--out", type=Path, default=None, help="the script to write (default: print it)")
    e.add_argument(
        "--seed",
        type=int,
        default=None,
        help="of a run of several seeds, the one to train: 0, 1, ... (default: the one with the "
        "median final test loss)",
    )
    e.add_argument("--runs-dir", type=Path, default=Path("runs"))

    c = sub.add_parser("compare", help="is run B better than run A, beyond seed noise?")
    c.add_argument("run_a", help="a run folder, or the name of one in --runs-dir")
    c.add_argument("run_b", help="the same, for the run to set against A")
    c.add_argument("--runs-dir", type=Path, default=Path("runs"))
    c.add_argument("--json", action="store_true", help="one JSON line of verdicts instead of text")

    k = sub.add_parser("label-check", help="suspect train labels: K-fold probabilities and cleanlab")
    settings.add_flags(k)  # the train flags: the digits checked and the model each fold trains
    k.add_argument("--folds", type=int, default=5, help="K of the K-fold cross-validation (2 to 10)")
    k.add_argument("--json", action="store_true", help="one JSON line per suspect, then one of the count")

    r = sub.add_parser("errors", help="a run's test digits wrong in any seed, pooled over its seeds")
    r.add_argument("run", help="a run folder, or the name of one in --runs-dir")
    r.add_argument("--seed", type=int, default=None, help="one replicate's view (0-based) instead")
    r.add_argument("--runs-dir", type=Path, default=Path("runs"))
    r.add_argument("--json", action="store_true", help="one JSON line per digit")
    return parser


def _progress(fraction: float, text: str) -> None:
    end = "\n" if fraction >= 1 else ""
    print(f"\rdownloading MNIST {fraction:4.0%}  {text:<48}", end=end, file=sys.stderr, flush=True)


def _ensure(source: str, digits: tuple[int, ...]) -> None:
    """Download full MNIST first if these digits need it and it is not there yet."""
    root = data.root_of(source, digits)
    if root is not None and data.missing_files(root):
        print(f"full MNIST is not in {root} yet: downloading it (about 12 MB)", file=sys.stderr)
        from mnist49 import download

        download.download(root, _progress)


@contextlib.contextmanager
def _source(text: str) -> Iterator[str]:
    """`--data` as the source name a config holds. A folder is full MNIST read from there for
    this command (as $MNIST49_DATA says), so that the run records "mnist", not this machine's
    path, and its config.json means the same on any machine."""
    if text in data.SOURCES:
        yield text
        return
    before = os.environ.get("MNIST49_DATA")
    os.environ["MNIST49_DATA"] = text
    try:
        yield "mnist"
    finally:  # main() is called in-process by tests and tools: leave their environment be
        if before is None:
            del os.environ["MNIST49_DATA"]
        else:
            os.environ["MNIST49_DATA"] = before


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


def _train(args: argparse.Namespace) -> int:
    config = settings.from_args(args)
    _ensure(config.data, config.digits)
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


def _sweep(args: argparse.Namespace) -> int:
    base = settings.from_args(args)
    _ensure(base.data, base.digits)
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


def _lr_find(args: argparse.Namespace) -> int:
    from mnist49 import lr_find

    config = settings.from_args(args)
    _ensure(config.data, config.digits)
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


def _samples(args: argparse.Namespace) -> int:
    from mnist49 import images

    config = settings.from_args(args)  # checks the digits
    if args.digit is not None and args.digit not in config.digits:
        raise ConfigError(f"--digit {args.digit} is not one of --digits {config.digits}")
    _ensure(config.data, config.digits)
    digits = getattr(data.arrays(config.data, config.digits), args.split)
    if args.digit is not None:
        digits = digits[digits.labels == args.digit]
    if not 1 <= args.count <= len(digits):
        raise ConfigError(f"--count must be between 1 and {len(digits)}, got {args.count}")
    chosen = data.draw(digits, args.count, config.seed)  # the digits the Samples page shows
    images.grid(chosen.images, [str(int(d)) for d in chosen.labels]).save(args.out)
    print(f"wrote {args.count} {args.split} digits to {args.out}")
    return 0


def _run(text: str, runs_dir: Path) -> Run:
    """A run by its folder, or by its name in `runs_dir`."""
    path = Path(text)
    if not path.is_dir() and (runs_dir / text).is_dir():
        path = runs_dir / text
    if not path.is_dir():
        raise RunError(f"no run folder {text} (nor {runs_dir / text})")
    try:
        return load_run(path)
    except RunError as e:
        raise RunError(f"{e}; fix that file, or train the run again") from None


def _compare(args: argparse.Namespace) -> int:
    from mnist49 import compare

    a, b = _run(args.run_a, args.runs_dir), _run(args.run_b, args.runs_dir)
    found = compare.verdicts(a, b, a.name, b.name)
    if args.json:
        print(
            json.dumps(
                {
                    "a": str(a.path),
                    "b": str(b.path),
                    "verdicts": [
                        {
                            "kind": v.kind,
                            "test": v.test or None,
                            "text": v.text(),
                            **{k: x for k, x in v.facts.items() if k not in ("a", "b")},
                        }
                        for v in found
                    ],
                }
            )
        )
    else:
        print("\n".join(v.text() for v in found))
    return 0


def _label_check(args: argparse.Namespace) -> int:
    from mnist49 import label_check  # torch and cleanlab: only for this command

    config = settings.from_args(args)
    _ensure(config.data, config.digits)
    if not 2 <= args.folds <= 10:
        raise ConfigError(f"--folds must be 2 to 10, got {args.folds}")
    start = time.perf_counter()
    split, index = label_check.split_of(config)
    probs = label_check.out_of_fold(config, split.x_train, split.y_train, args.folds)
    found = label_check.suspects(split.y_train.long().cpu().numpy(), probs, config.digits)
    seconds = time.perf_counter() - start
    for row in found.itertuples(index=False):
        i = int(index[row.position])
        if args.json:
            print(
                json.dumps(
                    {
                        "index": i,
                        "label": int(row.label),
                        "suggested": int(row.suggested),
                        "p_label": float(row.p_label),
                        "quality": float(row.quality),
                    }
                )
            )
        else:
            print(
                f"train digit {i:5d}  label {row.label}  suggested {row.suggested}  quality {row.quality:.3f}"
            )
    if args.json:
        print(
            json.dumps(
                {"suspects": len(found), "checked": len(index), "folds": args.folds, "seconds": seconds}
            )
        )
    else:
        n, k = len(found), args.folds
        print(f"{n} suspect labels of {len(index)} train digits ({k} folds) in {seconds:.1f} s")
    return 0


def _errors(args: argparse.Namespace) -> int:
    from mnist49 import evaluate, reviews  # only for this command

    run = _run(args.run, args.runs_dir)
    replicates = run.replicates()
    if args.seed is not None:
        numbers = [r.config.replicate for r in replicates]
        if args.seed not in numbers:
            raise RunError(f"{run.name} has seeds {', '.join(map(str, numbers))}, not {args.seed}")
        replicates = [replicates[numbers.index(args.seed)]]
    # the seeds with predictions are pooled: one without (stopped before its first epoch) is left out
    frames = [f for f in (r.predictions() for r in replicates) if f is not None]
    if not frames:
        raise RunError(f"{run.name} has no predictions yet (has it finished an epoch?)")
    digits = run.config.digits
    for row in evaluate.pooled_errors(evaluate.pool(frames)).itertuples(index=False):
        found = reviews.review(row.index, digits)
        review = (
            None
            if found is None
            else {
                "verdict": found.verdict,
                "suggested": found.suggested,
                "votes": list(found.votes),
                "mnist_index": found.mnist_index,
            }
        )
        if args.json:
            print(
                json.dumps(
                    {
                        "index": int(row.index),
                        "label": int(row.label),
                        "wrong_digit": int(row.wrong_digit),
                        "p_wrong": float(row.p_wrong),
                        "wrong_in": int(row.wrong_in),
                        "seeds": int(row.seeds),
                        "review": review,
                    }
                )
            )
        else:
            text = (
                ""
                if found is None
                else (
                    f"  review: {found.verdict}, votes label/{found.suggested}/neither "
                    + "/".join(map(str, found.votes))
                )
            )
            print(
                f"{row.index:>6}  label {row.label}  p({row.wrong_digit}) {row.p_wrong:.3f}  "
                f"wrong in {row.wrong_in} of {row.seeds}{text}"
            )
    return 0


def _export(args: argparse.Namespace) -> int:
    from mnist49 import export

    run = _run(args.run, args.runs_dir)
    if args.seed is None:
        chosen = run.median()
    else:
        by_seed = {r.config.replicate: r for r in run.replicates()}  # {k: replicate k}; lone: itself
        if args.seed not in by_seed:
            found = ", ".join(map(str, sorted(by_seed)))
            raise RunError(f"{run.name} has no seed {args.seed}: --seed takes {found}")
        chosen = by_seed[args.seed]
    if run.config.seeds > 1:  # the script trains one seed alone
        how = "the one with the median final test loss" if args.seed is None else "as asked"
        print(
            f"{run.name} has {run.config.seeds} seeds: the script trains seed {chosen.config.replicate} "
            f"alone ({how}; --seed picks another)",
            file=sys.stderr,
        )
    code = export.script(chosen.config, run.name, args.out.name if args.out else "train_run.py")
    if args.out is None:
        print(code, end="")
        return 0
    args.out.write_text(code)
    print(f"wrote {args.out}: run {run.name} as a standalone script; run it with python {args.out}")
    return 0


# The errors that say what was wrong with the input (a message, exit 2, no traceback), by the
# module that raises them: a module the command never imported cannot have raised its error.
SAID = {
    "mnist49.data": "DataError",
    "mnist49.config": "ConfigError",
    "mnist49.train": "DeviceError",
    "mnist49.runs": "RunError",
    "mnist49.export": "ExportError",
    "mnist49.sweep": "SweepError",
    "mnist49.cluster": "ClusterError",
}


def _said(error: Exception) -> bool:
    return isinstance(error, OSError) or any(
        isinstance(error, getattr(sys.modules[module], name))
        for module, name in SAID.items()
        if module in sys.modules
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "download":
            from mnist49 import download

            root = args.root or data.default_root()
            download.download(root, _progress)
            print(f"full MNIST is in {root / 'MNIST' / 'raw'}")
            return 0
        if args.command == "export":
            return _export(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "errors":
            return _errors(args)
        with _source(getattr(args, "data", "bundled")) as source:
            if hasattr(args, "data"):
                args.data = source
            commands = {
                "train": _train,
                "sweep": _sweep,
                "lr-find": _lr_find,
                "samples": _samples,
                "label-check": _label_check,
            }
            return commands[args.command](args)
    except Exception as e:
        if not _said(e):
            raise
        if isinstance(e, OSError) and e.errno == errno.ENOSPC:
            where = f" ({e.filename})" if e.filename else ""
            print(f"mnist49: error: the disk is full{where}: free some space and try again", file=sys.stderr)
        else:
            print(f"mnist49: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mnist49: interrupted", file=sys.stderr)
        return 130
