"""Seconds per epoch of the recipe on each device here (CPU, and CUDA where there is one).

    uv run python benchmarks/device_speed.py [--epochs 10] [--digits 4,9]

For each device: the digits are put there once (`train.prepare`), the recipe is trained, and the
median seconds per epoch after the first (which pays for kernel selection) is printed with the
final test accuracy. On CUDA it also counts host-to-device copies during one epoch, to show that
the data is not moved per batch: only the epoch's shuffled order (one small index tensor) is.
"""

import argparse
import statistics

import torch

from mnist49 import train
from mnist49.config import Config


def copies_to_device(config: Config, split: train.Split) -> int:
    """Host-to-device memory copies during one epoch of `fit` (CUDA only)."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        train.fit(config.replace(epochs=1), split)
    torch.cuda.synchronize()
    return sum(e.count for e in prof.key_averages() if "HtoD" in e.key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--digits", default="4,9", help="as mnist49 train --digits (not 'all')")
    args = parser.parse_args()
    digits = tuple(int(d) for d in args.digits.split(","))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads; devices: {devices}")
    for device in devices:
        config = Config(device=device, epochs=args.epochs, digits=digits)
        split = train.prepare(config)
        assert split.x_train.device.type == device, split.x_train.device
        result = train.fit(config, split)
        seconds = [r.seconds for r in result.history[1:]]
        line = (
            f"{device:4s}: {statistics.median(seconds):.4f} s/epoch (median of epochs 2-"
            f"{args.epochs}), test accuracy {result.history[-1].test_accuracy:.3f}"
        )
        if device == "cuda":
            line += f", {copies_to_device(config, split)} host-to-device copies in one epoch"
            line += f" ({torch.cuda.get_device_name()})"
        print(line)


if __name__ == "__main__":
    main()
