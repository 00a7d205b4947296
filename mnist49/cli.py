"""The mnist49 command: the parser (every Config field a flag), the helpers its commands share, the
errors it says in one line, and main. The commands live in cli_train.py (train, sweep, lr-find)
and cli_inspect.py (samples, compare, errors, label-check, export); download is here."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

# What `train` needs, and `sweep` (its knobs make the parser); each other command imports its own
# modules (PIL, the analysis, the exporter), so that a plain `train` starts without them.
from mnist49 import data, settings
from mnist49.runs import Run, RunError, cluster, load_run, sweep


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


def progress(fraction: float, text: str) -> None:
    end = "\n" if fraction >= 1 else ""
    print(f"\rdownloading MNIST {fraction:4.0%}  {text:<48}", end=end, file=sys.stderr, flush=True)


def ensure(source: str, digits: tuple[int, ...]) -> None:
    """Download full MNIST first if these digits need it and it is not there yet."""
    root = data.root_of(source, digits)
    if root is not None and data.missing_files(root):
        print(f"full MNIST is not in {root} yet: downloading it (about 12 MB)", file=sys.stderr)
        from mnist49 import download

        download.download(root, progress)


@contextlib.contextmanager
def data_source(text: str) -> Iterator[str]:
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


def find_run(text: str, runs_dir: Path) -> Run:
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


# The errors that say what was wrong with the input (a message, exit 2, no traceback), by the
# module that raises them: a module the command never imported cannot have raised its error.
SAID = {
    "mnist49.data": "DataError",
    "mnist49.config": "ConfigError",
    "mnist49.training.train": "DeviceError",
    "mnist49.runs": "RunError",
    "mnist49.analysis.export": "ExportError",
    "mnist49.runs.sweep": "SweepError",
    "mnist49.runs.cluster": "ClusterError",
}


def _said(error: Exception) -> bool:
    return isinstance(error, OSError) or any(
        isinstance(error, getattr(sys.modules[module], name))
        for module, name in SAID.items()
        if module in sys.modules
    )


def main(argv: list[str] | None = None) -> int:
    from mnist49 import cli_inspect, cli_train  # the commands, which import this module's helpers

    args = _parser().parse_args(argv)
    try:
        if args.command == "download":
            from mnist49 import download

            root = args.root or data.default_root()
            download.download(root, progress)
            print(f"full MNIST is in {root / 'MNIST' / 'raw'}")
            return 0
        if args.command == "export":
            return cli_inspect.export(args)
        if args.command == "compare":
            return cli_inspect.compare(args)
        if args.command == "errors":
            return cli_inspect.errors(args)
        with data_source(getattr(args, "data", "bundled")) as source:
            if hasattr(args, "data"):
                args.data = source
            commands = {
                "train": cli_train.train,
                "sweep": cli_train.sweep_command,
                "lr-find": cli_train.lr_find_command,
                "samples": cli_inspect.samples,
                "label-check": cli_inspect.label_check,
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
