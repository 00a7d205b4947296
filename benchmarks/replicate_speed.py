"""Seconds per epoch: R replicates trained together against one lone run, in one process.

    uv run python benchmarks/replicate_speed.py [--replicates 5] [--epochs 10] [--repeats 5]

Both train the default recipe on the same 2,000 train and 500 test digits (evaluation included):
`replicates.fit_replicates` with seeds 0..R-1 and `train.fit` with seed 0, alternating so that
machine noise hits both alike. Each repeat gives a pair (median s/epoch of each, first epoch left
out); the ratio of a pair cancels the machine's slow spells. Sequential runs would cost R times one.
"""

import argparse
import statistics
import time

import torch

from mnist49.config import Config
from mnist49.training import events, replicates, train


def per_epoch(ends: list[float]) -> float:
    """The median wall seconds between the ends of two epochs (the first epoch, which pays
    one-off costs, is left out). Wall time, not a record's seconds: replicates on several cores
    each time their own shard, and an epoch ends when the last shard ends it."""
    return statistics.median(b - a for a, b in zip(ends, ends[1:], strict=False))


def cpu_per_epoch(run, epochs: int) -> tuple[object, float]:
    """run()'s result and its CPU seconds per epoch (all threads): less moved by other
    processes on a shared machine than wall time, which they stretch by taking the cores."""
    start = time.process_time()
    result = run()
    return result, (time.process_time() - start) / epochs


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f}, min {min(values):.3f}, max {max(values):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument(
        "--shards",
        type=int,
        default=None,
        help="batched models (default: replicates.fit_replicates' own choice)",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = Config(epochs=args.epochs, device=args.device)
    configs = [config.replace(seed=s) for s in range(args.replicates)]
    split = train.prepare(config)
    train.fit(config.replace(epochs=2), split)  # warm-up: lazy imports, allocator, oneDNN kernels
    replicates.fit_replicates([c.replace(epochs=2) for c in configs], split)
    lone, together, ratios, accuracy = [], [], [], {}
    cpu = {"lone": [], "together": []}
    for repeat in range(args.repeats):
        # swap which goes first each repeat, so that neither always follows the other
        for which in ("lone", "together") if repeat % 2 == 0 else ("together", "lone"):
            ends: list[float] = []

            def stamp(*_, ends: list[float] = ends) -> None:
                ends.append(time.perf_counter())

            to = events.of(events.EpochEnded, stamp)
            if which == "lone":
                result, seconds = cpu_per_epoch(lambda to=to: train.fit(config, split, to), args.epochs)
                lone.append(per_epoch(ends))
                cpu["lone"].append(seconds)
            else:
                results, seconds = cpu_per_epoch(
                    lambda to=to: replicates.fit_replicates(configs, split, to, shards=args.shards),
                    args.epochs,
                )
                cpu["together"].append(seconds)
                together.append(per_epoch(ends))
                accuracy["together"] = [r.history[-1].test_accuracy for r in results]
        ratios.append(together[-1] / lone[-1])
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, shards {args.shards or 'default'}, "
        f"{args.device}, "
        f"{args.repeats} x {args.epochs} epochs of 2,000 train / 500 test digits"
    )
    print(f"one lone run        : {spread(lone)} s/epoch")
    print(f"{args.replicates} replicates together: {spread(together)} s/epoch")
    print(f"ratio (per repeat)  : {spread(ratios)}  (sequential would be {args.replicates}x)")
    cpu_ratios = [t / o for t, o in zip(cpu["together"], cpu["lone"], strict=True)]
    print(f"CPU s/epoch, lone   : {spread(cpu['lone'])}")
    print(f"CPU s/epoch, together: {spread(cpu['together'])}")
    print(f"CPU ratio (per repeat): {spread(cpu_ratios)}")
    print(f"final test accuracy of the replicates: {', '.join(f'{a:.3f}' for a in accuracy['together'])}")


if __name__ == "__main__":
    main()
