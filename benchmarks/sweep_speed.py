"""Wall time of a learning-rate sweep against the same runs one after another, in one process.

    uv run python benchmarks/sweep_speed.py [--epochs 40] [--repeats 2] [--seeds 3]
                                            [--values 0.0003,0.001,0.004,0.01,0.03]

The sweep (`sweep.train_sweep`: 5 values x 3 seeds of the default recipe, one batched model) and
the same 15 runs one after another (`record.train_run` of each value and replicate, as
`mnist49 train --lr V --replicate K` would run them), both writing their run folders to a
temporary folder. They alternate, and swap which goes first in each repeat, so that machine
noise falls on both alike; each repeat gives a pair and its ratio.
"""

import argparse
import statistics
import tempfile
import time

import torch

from mnist49.config import Config
from mnist49.runs import record, sweep


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--values", default="0.0003,0.001,0.004,0.01,0.03")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    base = Config(epochs=args.epochs, seeds=args.seeds, device="cpu")
    planned = sweep.Sweep(base, "lr", sweep.parse_values("lr", args.values))
    lone = [c.replace(seeds=1, replicate=k) for c in planned.configs for k in range(args.seeds)]
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads: lr sweep of "
        f"{len(planned.values)} values x {args.seeds} seeds ({planned.runs} runs of {args.epochs} epochs)",
        flush=True,
    )

    def together() -> None:
        with tempfile.TemporaryDirectory() as folder:
            sweep.train_sweep(planned, folder)

    def one_by_one() -> None:
        with tempfile.TemporaryDirectory() as folder:
            for config in lone:
                record.train_run(config, folder)

    swept, sequential, ratios = [], [], []
    for repeat in range(args.repeats):
        order = [("sweep", together), ("sequential", one_by_one)]
        if repeat % 2:
            order.reverse()
        seconds = {name: timed(run) for name, run in order}
        swept.append(seconds["sweep"])
        sequential.append(seconds["sequential"])
        ratios.append(seconds["sweep"] / seconds["sequential"])
        print(
            f"repeat {repeat + 1}: sweep {seconds['sweep']:.1f} s, one after another "
            f"{seconds['sequential']:.1f} s, ratio {ratios[-1]:.3f}",
            flush=True,
        )

    def spread(values: list[float], unit: str = " s") -> str:
        return f"median {statistics.median(values):.3f}{unit} (min {min(values):.3f}, max {max(values):.3f})"

    print(f"sweep          : {spread(swept)}")
    print(f"one after another: {spread(sequential)}")
    print(f"ratio (per repeat): {spread(ratios, '')}  (target: at most 0.4)")


if __name__ == "__main__":
    main()
