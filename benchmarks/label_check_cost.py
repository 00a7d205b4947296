"""What checking the train labels costs: `mnist49 label-check` (K folds, one batched model)
against `mnist49 train --seeds K` of the same settings, both through the CLI, alternating.

uv run python benchmarks/label_check_cost.py [--epochs 10] [--repeats 3] [--folds 5] [--train-size 2000]

The target (issue 24) is a ratio of at most 1.5.
"""

import argparse
import contextlib
import io
import statistics
import tempfile
import time

from mnist49.cli import main as cli


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli(argv)
    if code != 0:
        raise SystemExit(f"mnist49 {' '.join(argv)} exited with {code}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--train-size", type=int, default=2000)
    args = parser.parse_args()
    flags = ["--epochs", str(args.epochs), "--train-size", str(args.train_size), "--device", "cpu"]
    with tempfile.TemporaryDirectory() as runs_dir:
        check = ["label-check", *flags, "--folds", str(args.folds), "--json"]
        run = ["train", *flags, "--seeds", str(args.folds), "--runs-dir", runs_dir, "--json"]
        timed(["label-check", "--epochs", "1", *check[3:]])  # warm-up: imports, data, kernels
        checks, runs = [], []
        for i in range(args.repeats):  # alternate, and swap the order, so noise hits both alike
            for which in ("check", "run") if i % 2 else ("run", "check"):
                (checks if which == "check" else runs).append(timed(check if which == "check" else run))
    ratios = [c / r for c, r in zip(checks, runs, strict=True)]
    print(f"{args.repeats} x {args.epochs} epochs, {args.train_size} train digits, {args.folds} folds/seeds")
    for name, times in ((f"label-check --folds {args.folds}", checks), (f"train --seeds {args.folds}", runs)):
        print(f"{name:<24}: median {statistics.median(times):.1f} s ({min(times):.1f}-{max(times):.1f})")
    ratio = f"median {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
    print(f"{'ratio (pairwise)':<24}: {ratio}; target at most 1.5")


if __name__ == "__main__":
    main()
