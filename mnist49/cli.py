"""`mnist49 train`, `samples`, `download` and `export`: the chapter's scripts, every knob a flag."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mnist49 import data, export, images
from mnist49.augment import AUGMENTATIONS
from mnist49.config import DEVICES, OPTIMIZERS, Config, ConfigError
from mnist49.model import ACTIVATIONS, DEFAULT_LR, MODELS
from mnist49.runs import RunError, load_run, train_run
from mnist49.train import DeviceError, EpochRecord


def _size(text: str) -> int | None:
    if text == "all":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'all', got {text!r}") from None


def _widths(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 4,8,16, got {text!r}") from None


def _digits(text: str) -> tuple[int, ...]:
    if text == "all":
        return tuple(range(10))
    try:
        return tuple(sorted(int(d) for d in text.split(",")))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected digits like 3,8 or 'all', got {text!r}") from None


def _one_digit(text: str) -> int | None:
    return _size("all" if text == "both" else text)  # "both" as before there were other digits


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


def _parser() -> argparse.ArgumentParser:
    d = Config()
    parser = argparse.ArgumentParser(prog="mnist49", description="Tell handwritten 4s from 9s.")
    sub = parser.add_subparsers(dest="command", required=True)
    digits_help = (
        "the digits to tell apart: two (4,9), more, or 'all' ten; any but 4,9 need full "
        "MNIST, downloaded on first use"
    )

    t = sub.add_parser("train", help="train a model, one line per epoch")
    t.add_argument("--digits", type=_digits, default=d.digits, help=digits_help)
    t.add_argument("--model", choices=list(MODELS), default=d.model)
    t.add_argument("--channels", type=_widths, default=d.channels, help="CNN conv channels (4,8,16)")
    t.add_argument("--hidden", type=_widths, default=d.hidden, help="MLP hidden widths (128,64)")
    t.add_argument("--activation", choices=list(ACTIVATIONS), default=d.activation)
    t.add_argument("--dropout", type=float, default=d.dropout)
    t.add_argument("--train-size", type=_size, default=d.train_size, help="a number or 'all'")
    t.add_argument("--test-size", type=_size, default=d.test_size, help="a number or 'all'")
    t.add_argument("--batch-size", type=int, default=d.batch_size)
    t.add_argument("--epochs", type=int, default=d.epochs)
    t.add_argument("--optimizer", choices=OPTIMIZERS, default=d.optimizer)
    t.add_argument(
        "--lr",
        type=float,
        default=None,
        help="learning rate (default: the chapter's, 0.004 CNN / 0.0003 MLP)",
    )
    t.add_argument("--weight-decay", type=float, default=d.weight_decay)
    t.add_argument(
        "--augment",
        type=_names,
        default=d.augment,
        help=f"comma-separated, applied per batch: {','.join(AUGMENTATIONS)}",
    )
    t.add_argument("--seed", type=int, default=d.seed)
    t.add_argument("--device", choices=DEVICES, default=d.device)
    t.add_argument(
        "--data",
        default=d.data,
        help="'bundled' (4,9 shipped; other digits from "
        "$MNIST49_DATA or ./data) or a torchvision root (MNIST/raw)",
    )
    t.add_argument("--runs-dir", type=Path, default=Path("runs"))
    t.add_argument("--json", action="store_true", help="end with one JSON line of results")

    s = sub.add_parser("samples", help="write a labelled grid of digits as PNG")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--split", choices=("train", "test"), default="train")
    s.add_argument("--digits", type=_digits, default=d.digits, help=digits_help)
    s.add_argument("--digit", type=_one_digit, default=None, help="only this one of them ('all': any)")
    s.add_argument("--count", type=int, default=40)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--data", default=d.data)

    g = sub.add_parser("download", help="fetch full MNIST (for digits other than 4 and 9)")
    g.add_argument(
        "--root", type=Path, default=None, help="a torchvision root (default: $MNIST49_DATA or ./data)"
    )

    e = sub.add_parser("export", help="write a run as one standalone training script")
    e.add_argument("run", help="a run folder, or the name of one in --runs-dir")
    e.add_argument("--out", type=Path, default=None, help="the script to write (default: print it)")
    e.add_argument("--runs-dir", type=Path, default=Path("runs"))
    return parser


def _progress(fraction: float, text: str) -> None:
    end = "\n" if fraction >= 1 else ""
    print(f"\rdownloading MNIST {fraction:4.0%}  {text:<48}", end=end, file=sys.stderr, flush=True)


def _ensure(source: str, digits: tuple[int, ...]) -> None:
    """Download full MNIST first if these digits need it and it is not there yet."""
    root = data.root_of(source, digits)
    if root is not None and data.missing_files(root):
        print(f"full MNIST is not in {root} yet: downloading it (about 12 MB)", file=sys.stderr)
        data.download(root, _progress)


def _epoch_line(record: EpochRecord) -> None:
    print(
        f"epoch {record.epoch:3d}  train loss {record.train_loss:.4f}  "
        f"test loss {record.test_loss:.4f}  test accuracy {record.test_accuracy:.4f}  "
        f"({record.seconds:.2f} s)",
        flush=True,
    )


def _train(args: argparse.Namespace) -> int:
    config = Config(
        digits=args.digits,
        model=args.model,
        channels=args.channels,
        hidden=args.hidden,
        activation=args.activation,
        dropout=args.dropout,
        train_size=args.train_size,
        test_size=args.test_size,
        batch_size=args.batch_size,
        epochs=args.epochs,
        optimizer=args.optimizer,
        lr=args.lr if args.lr is not None else DEFAULT_LR[args.model],
        weight_decay=args.weight_decay,
        augment=args.augment,
        seed=args.seed,
        device=args.device,
        data=args.data,
    )
    _ensure(config.data, config.digits)
    run, seconds = train_run(config, args.runs_dir, [_epoch_line])
    last = run.history.iloc[-1] if len(run.history) else None
    print(f"{run.status}: {len(run.history)} epochs in {seconds:.1f} s -> {run.path}")
    if args.json:
        n = len(run.history)
        print(
            json.dumps(
                {
                    "status": run.status,
                    "epochs": n,
                    "train_loss": None if last is None else float(last.train_loss),
                    "test_loss": None if last is None else float(last.test_loss),
                    "test_accuracy": None if last is None else float(last.test_accuracy),
                    "seconds": seconds,
                    "seconds_per_epoch": seconds / n if n else None,
                    "run_dir": str(run.path),
                }
            )
        )
    return 0 if run.status == "finished" else 1


def _samples(args: argparse.Namespace) -> int:
    Config(digits=args.digits)  # checks them
    if args.digit is not None and args.digit not in args.digits:
        raise ConfigError(f"--digit {args.digit} is not one of --digits {args.digits}")
    _ensure(args.data, args.digits)
    digits = getattr(data.load(args.data, args.digits), args.split)
    if args.digit is not None:
        digits = digits[digits.labels == args.digit]
    if not 1 <= args.count <= len(digits):
        raise ConfigError(f"--count must be between 1 and {len(digits)}, got {args.count}")
    chosen, _ = data.sample(digits, args.count, args.seed)
    images.grid(chosen.images, [str(int(d)) for d in chosen.labels]).save(args.out)
    print(f"wrote {args.count} {args.split} digits to {args.out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    path = Path(args.run)
    if not path.is_dir() and (args.runs_dir / args.run).is_dir():
        path = args.runs_dir / args.run
    if not path.is_dir():
        raise RunError(f"no run folder {args.run} (nor {args.runs_dir / args.run})")
    run = load_run(path)
    code = export.script(run.config, run.name, args.out.name if args.out else "train_run.py")
    if args.out is None:
        print(code, end="")
        return 0
    args.out.write_text(code)
    print(f"wrote {args.out}: run {run.name} as a standalone script; run it with python {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "download":
            root = args.root or data.default_root()
            data.download(root, _progress)
            print(f"full MNIST is in {root / 'MNIST' / 'raw'}")
            return 0
        if args.command == "export":
            return _export(args)
        return _train(args) if args.command == "train" else _samples(args)
    except (data.DataError, ConfigError, DeviceError, OSError, RunError, export.ExportError) as e:
        print(f"mnist49: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mnist49: interrupted", file=sys.stderr)
        return 130
