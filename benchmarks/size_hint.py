"""The Train page's size hint against real training steps: the per-unit costs in
`train.estimate` and how close its seconds come.

    uv run python benchmarks/size_hint.py [--steps 3]

Each model trains `--steps` timed batches of 100 random digits (after three untimed warm-up ones) with
Adam, on CPU, in this process (torch's default threads). Printed per model: its parameters and
multiply-adds per digit, the measured seconds per batch, the estimate's, and their ratio. Then
the per-unit costs the measurements give: multiply-adds per second (forward and backward, taken as
3x the forward's) on the largest CNN, seconds per parameter per step on the largest MLP (Adam's
update and the gradient of a weight used once per digit dominate there), and the fixed cost of a
step on the recipe.
"""

import argparse
import time

import torch
from torch import nn

from mnist49.config import Config
from mnist49.models import model, optimizers
from mnist49.training import train

MODELS = [
    Config(),  # the recipe: fixed cost per step
    Config(channels=(64, 128, 128)),
    Config(channels=(256, 256, 256)),
    Config(channels=(512, 512, 512)),  # multiply-adds
    Config(model="mlp", hidden=(128, 64)),
    Config(model="mlp", hidden=(2048, 2048)),
    Config(model="mlp", hidden=(4096, 4096)),  # parameters
]


def seconds_per_step(config: Config, steps: int) -> float:
    net = model.build(config.model, config.widths).to(memory_format=torch.channels_last).train()
    optimizer = optimizers.make(config.optimizer, net.parameters(), config.lr)
    x = torch.rand(config.batch_size, 1, 28, 28)  # (B, 1, 28, 28)
    y = torch.zeros(config.batch_size)
    loss_fn = nn.BCEWithLogitsLoss()

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss_fn(net(x), y).backward()
        optimizer.step()

    for _ in range(3):  # warm-up: the first steps import and allocate
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    print(f"torch threads: {torch.get_num_threads()}")
    print(f"{'model':<24}{'params':>12}{'MACs/digit':>14}{'measured s':>12}{'estimate s':>12}{'ratio':>8}")
    measured = {}
    for config in MODELS:
        plan = model.plan(config.model, config.widths)
        seconds = seconds_per_step(config, args.steps)
        measured[config] = (seconds, plan.params.sum(), plan.macs.sum())
        guess = train.estimate(config.replace(seeds=1), config.batch_size).seconds
        name = f"{config.model} {','.join(map(str, config.widths))}"
        print(
            f"{name:<24}{plan.params.sum():>12,}{plan.macs.sum():>14,}{seconds:>12.4f}{guess:>12.4f}"
            f"{guess / seconds:>8.2f}"
        )
    fixed = measured[MODELS[0]][0]
    s, _, macs = measured[MODELS[3]]
    print(f"fixed seconds per step (recipe): {fixed:.2e}")
    rate = 3 * macs * 100 / (s - fixed)
    print(f"multiply-adds per second (cnn 512^3): {rate:.3g}")
    s, params, macs = measured[MODELS[-1]]
    print(
        f"seconds per parameter per step (mlp 4096,4096): {(s - fixed - 3 * macs * 100 / rate) / params:.3g}"
    )


if __name__ == "__main__":
    main()
