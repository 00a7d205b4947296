"""Replicates: several runs of one recipe, each with its own seed, trained together as one model.

`fit_replicates(configs, splits)` returns what `[train.fit(c, s) for c, s in zip(configs, splits)]`
would, in one batched training loop (mnist49.models.stacked) that costs far less than R runs:

- replicate r starts from the weights `train.make_model(configs[r], device)` builds, draws its
  batch order from its own generator seeded as the lone run's, and its dropout masks and
  augmentation parameters from a copy of the RNG state its lone run draws them from (on CUDA the
  dropout masks come from a device generator seeded with its seed: independent, not identical);
- the configs may differ only in what one batched model can hold (VARYING): the training seed,
  and lr, weight decay and dropout (a sweep);
- one replicate that diverges ends as "diverged" with its own history; the others train on.
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from mnist49 import augment
from mnist49.config import Config
from mnist49.models import optimizers
from mnist49.models.model import probabilities
from mnist49.models.stacked import StackedModel
from mnist49.training import evaluate, events, graphed, train
from mnist49.training import shards as shards_
from mnist49.training.history import EpochRecord
from mnist49.training.train import FitResult, Split

VARYING = (
    "seed",
    "replicate",
    "lr",
    "weight_decay",
    "dropout",
)  # what replicates trained together may differ in

# Up to this many replicates train as one batched model on every thread; more are split, one
# model per thread. Side by side on 2 cores, seconds per epoch of the recipe as one model on
# both threads against one model per thread: 2 replicates 0.084 against 0.122, 3 0.107 against
# 0.127. For 4-6 one model was ahead on a quiet machine (5: 0.157 against 0.168) and behind with
# other work on the cores (5: 0.198 against 0.181): its operators wait for their slower thread.
ONE_MODEL_UP_TO = 3


def check_batchable(configs: Sequence[Config]) -> None:
    """Raise ValueError unless the configs differ only in VARYING (one batched model holds them)."""
    if not configs:
        raise ValueError("no replicates to train: give at least one config")
    first = {k: v for k, v in configs[0].to_dict().items() if k not in VARYING}
    for config in configs[1:]:
        rest = {k: v for k, v in config.to_dict().items() if k not in VARYING}
        differ = sorted(k for k in first if first[k] != rest[k])
        if differ:
            raise ValueError(
                f"replicates may differ only in {', '.join(VARYING)}, not in {', '.join(differ)}; "
                "train those as separate runs"
            )


def initial_models(
    configs: Sequence[Config], device: torch.device
) -> tuple[list[nn.Module], list[torch.Generator]]:
    """Each replicate's lone initial model, and a generator holding the CPU RNG state its lone
    run draws dropout and augmentation from (what make_model leaves in the global RNG)."""
    models, draws = [], []
    for config in configs:
        with torch.random.fork_rng(devices=[]):  # leave the caller's global RNG as it was
            models.append(train.make_model(config, device))
            draws.append(torch.Generator().set_state(torch.get_rng_state()))
    return models, draws


class _Optimizer:
    """torch.optim's optimizer over the stacked parameters. Every optimizer in the registry is
    elementwise, so a group over slices of the stacks steps each of their replicates as its own
    optimizer would (up to float rounding: a fused kernel may take several rows in vector code
    and one row in scalar code). One group when all replicates share lr and weight decay; else
    one per run of neighbours that share them (in a sweep, a value's seeds), over their slices."""

    def __init__(self, net: StackedModel, configs: Sequence[Config], capturable: bool = False):
        name, lr, weight_decay = configs[0].optimizer, configs[0].lr, configs[0].weight_decay
        self.stacks = list(net.parameters())
        self.slices: list[tuple[slice, list[torch.Tensor]]] = []
        if len({(c.lr, c.weight_decay) for c in configs}) == 1:
            self.optimizer = optimizers.make(name, self.stacks, lr, weight_decay, capturable=capturable)
            return
        groups, start = [], 0
        for (own_lr, own_decay), run in itertools.groupby(configs, key=lambda c: (c.lr, c.weight_decay)):
            rows = slice(start, start + len(list(run)))
            start = rows.stop
            # detached slices are leaves sharing the stacks' storage: the optimizer updates them in place
            own = [p.detach()[rows].requires_grad_() for p in self.stacks]
            self.slices.append((rows, own))
            groups.append({"params": own, "lr": own_lr, "weight_decay": own_decay})
        self.optimizer = optimizers.make(name, groups, lr, weight_decay, capturable=capturable)

    def zero_grad(self) -> None:
        for p in self.stacks:
            p.grad = None

    def step(self) -> None:
        for rows, own in self.slices:
            for p, stack in zip(own, self.stacks, strict=True):
                p.grad = stack.grad[rows]
        self.optimizer.step()


@torch.inference_mode()
def measure(
    net: StackedModel, x: torch.Tensor, y: torch.Tensor, shared: bool
) -> tuple[list[float], list[float], torch.Tensor]:
    """Each replicate's mean loss and accuracy, and the logits (R, M) or (R, M, C), all replicates at once.

    x is (M, 1, 28, 28) and y (M,) when the replicates share the test set, else (R, M, ...)."""
    net.eval()
    # in slices, as train.measure (the first layer's maps of 500 digits for 15 replicates are
    # 94 MB: evaluating them at once took 2.5x as long, a sixth of an epoch)
    parts = x.split(train.EVAL_CHUNK, dim=0 if shared else 1)  # (m, ...) shared, else (R, m, ...)
    logits = torch.cat([net(part, shared=shared) for part in parts], dim=1)  # (R, M) or (R, M, C)
    y = y.expand(logits.shape[:2])  # (R, M)
    loss = train.losses_of(logits, y, logits.ndim == 2)
    # each replicate decides as evaluate.decisions does, like train.measure for a lone run
    picked = np.stack([evaluate.decisions(probabilities(r).float().cpu().numpy()) for r in logits])  # (R, M)
    accuracy = (picked == y.long().cpu().numpy()).mean(1)
    return loss.tolist(), accuracy.tolist(), logits


def _step(
    net: StackedModel,
    optimizer: _Optimizer,
    masks: Sequence[torch.Generator],
    binary: bool,
    x: torch.Tensor,
    y: torch.Tensor,
) -> torch.Tensor:
    """One step of every replicate on its batch, x (R, B, 1, 28, 28) already transformed and
    y (R, B); each one's mean loss (R,)."""
    loss = train.losses_of(net(x, draws=masks), y, binary)  # (R,)
    optimizer.zero_grad()
    loss.sum().backward()  # replicates share no weights: each gets its own loss's gradient
    optimizer.step()
    return loss


def _with_draws(draw: torch.Generator, transform: Callable, x: torch.Tensor) -> torch.Tensor:
    """transform(x) drawing from `draw` (torchvision draws from the global CPU RNG)."""
    torch.set_rng_state(draw.get_state())
    out = transform(x)
    draw.set_state(torch.get_rng_state())
    return out


def fit_replicates(
    configs: Sequence[Config],
    splits: Split | Sequence[Split],
    to: events.Sink | Iterable[events.Sink] | None = None,
    stop: events.Stop | None = None,
    probs: bool = False,
    shards: int | None = None,
) -> list[FitResult]:
    """Train replicate r of `configs[r]` on its split, all together; one FitResult each.

    `splits`: one Split shared by all (they then test on the same digits and are evaluated in one
    pass), or one per replicate, all of one size. The events go to `to` as train.fit's do, each
    replicate named by its place r: BatchDone after every batch; after every epoch Weights and
    (with `probs`) Probs of each replicate that finished it, then one EpochEnded with all their
    records (a record's seconds is the epoch of its shard, below). `stop` is checked between
    batches, as in train.fit. Each replicate's model ends as it was after its last finished
    epoch (its initial weights if none), never NaN.

    On a CPU the replicates are split into `shards` batched models, each trained by a thread of
    its own on its share of the cores (shards.py). By default a few replicates (up to
    ONE_MODEL_UP_TO, on up to 2 threads) are one model on every thread, and more are one model per
    thread torch may use here: a batched model of many replicates gains little from a second core
    inside its kernels, one of a few does.
    """
    configs = list(configs)
    check_batchable(configs)
    train.keep_freed_memory()
    R = len(configs)
    shared = isinstance(splits, Split)
    splits = [splits] * R if shared else list(splits)
    if len(splits) != R or len({(len(s.y_train), len(s.y_test)) for s in splits}) != 1:
        raise ValueError(f"give one split, or {R} splits of one train size and one test size")
    device = splits[0].x_train.device
    models, draws = initial_models(configs, device)  # here, not in the shards: the global RNG
    threads = torch.get_num_threads()
    if shards is None:  # the rule for a few replicates was measured on 2 cores only
        shards = 1 if R <= ONE_MODEL_UP_TO and threads <= 2 else threads
    shards = min(shards, R) if device.type == "cpu" else 1
    emit = events.sink(to)
    quiet = events.of((events.Weights, events.Probs, events.EpochEnded), emit)
    groups = [
        _Group(
            [configs[i] for i in index],
            [splits[i] for i in index],
            shared,
            [models[i] for i in index],
            [draws[i] for i in index],
            index,
            k,
        )  # fmt: skip
        for k, part in enumerate(np.array_split(np.arange(R), shards))
        for index in [[int(i) for i in part]]
    ]

    def work(k: int, stop: shards_.Either, merged: shards_.Merge) -> list[FitResult]:
        # progress and heartbeats: one shard says them
        return _fit(groups[k], emit if k == 0 else quiet, stop, merged, probs)

    found = shards_.run(len(groups), stop, emit, work)
    return [result for part in found for result in part]


@dataclass
class _Group:
    """The replicates one batched model trains: their configs, splits, initial models and RNG
    draws, and their places among all (`index`)."""

    configs: list[Config]
    splits: list[Split]
    shared: bool  # one split for all
    models: list[nn.Module]
    draws: list[torch.Generator]
    index: list[int]
    shard: int  # its place among the shards


def _fit(
    group: _Group, emit: events.Sink, stop: shards_.Either, merged: shards_.Merge, probs: bool
) -> list[FitResult]:
    """One batched model of the replicates of `group`, a shard of `merged`: the training loop.
    Its events name each replicate by its place among all."""
    configs, splits, shared, models, draws = (
        group.configs, group.splits, group.shared, group.models, group.draws
    )  # fmt: skip
    R, config = len(configs), configs[0]
    device = splits[0].x_train.device
    # dropout draws on the model's device; a CPU replicate's come from its lone run's RNG stream
    masks = (
        draws
        if device.type == "cpu"
        else [torch.Generator(device).manual_seed(c.training_seed) for c in configs]
    )
    net = StackedModel(models, [c.dropout for c in configs])
    # any replicate's dropout > 0 trains eagerly (graphed.py): all share one graph
    how = graphed.capture(max(configs, key=lambda c: c.dropout), device)
    optimizer = _Optimizer(net, configs, capturable=how is not None and how.capturable)
    step = graphed.stepper(functools.partial(_step, net, optimizer, masks, config.binary), how)
    orders = [train.batch_orders(c, len(splits[0].y_train)) for c in configs]
    transform = augment.pipeline(config.augment)

    # every replicate's train digits in one tensor (the one split's when shared), replicate r's
    # digit i at row starts[r] + i: a batch of all replicates is one index_select (3x as fast as
    # indexing a stack of them with (replicate, digit) pairs)
    n = len(splits[0].y_train)
    x_train = splits[0].x_train if shared else torch.cat([s.x_train for s in splits])
    y_train = splits[0].y_train if shared else torch.cat([s.y_train for s in splits])
    starts = torch.arange(R, device=device)[:, None] * (0 if shared else n)  # (R, 1)
    x_test = splits[0].x_test if shared else torch.stack([s.x_test for s in splits])
    y_test = splits[0].y_test if shared else torch.stack([s.y_test for s in splits])

    histories: list[list[EpochRecord]] = [[] for _ in configs]
    status = ["finished"] * R
    logits = torch.zeros(R, len(splits[0].y_test), *(() if config.binary else (config.outputs,)))
    batches_per_epoch = math.ceil(n / config.batch_size)

    def results(running: str) -> list[FitResult]:
        return [
            FitResult(models[r], histories[r], running if status[r] == "finished" else status[r], logits[r])
            for r in range(R)
        ]

    for epoch in range(1, config.epochs + 1):
        begin, total = time.perf_counter(), torch.zeros(R, device=device)
        net.train()
        batches = torch.stack([next(order) for order in orders]).to(device)  # (R, n)
        for done, batch in enumerate(batches.split(config.batch_size, dim=1), 1):  # (R, B)
            if stop.is_set() and merged.abandon(epoch):
                return results("stopped")
            rows = (batch + starts).flatten()
            x = x_train.index_select(0, rows).view(R, -1, *x_train.shape[1:])  # (R, B, 1, 28, 28)
            if transform:
                with train._seed_lock:  # the global RNG is borrowed for each replicate's draws
                    saved = torch.get_rng_state()
                    x = torch.stack([_with_draws(draws[r], transform, x[r]) for r in range(R)])
                    torch.set_rng_state(saved)
            loss = step(x, y_train.index_select(0, rows).view(R, -1))  # y (R, B)
            total += loss.detach() * batch.shape[1]
            emit(events.BatchDone(epoch, done, batches_per_epoch))
        test_loss, accuracy, epoch_logits = measure(net, x_test, y_test, shared)
        if not merged.settle(epoch):  # another shard was stopped within this epoch: end before it
            return results("stopped")
        train_loss = (total / n).tolist()
        seconds = time.perf_counter() - begin
        finished = {}
        for r, place in enumerate(group.index):
            if status[r] == "diverged":
                continue
            if not (math.isfinite(train_loss[r]) and math.isfinite(test_loss[r])):
                status[r] = "diverged"  # as train.fit: it keeps its last finished epoch's model
                continue
            net.copy_into(r, models[r])
            logits[r] = epoch_logits[r].float().cpu()
            finished[place] = record = EpochRecord(epoch, train_loss[r], test_loss[r], accuracy[r], seconds)
            histories[r].append(record)
            # the weights first, as train.fit: a history line never runs ahead of them
            state = {k: v.detach().cpu().clone() for k, v in models[r].state_dict().items()}
            emit(events.Weights(place, epoch, state))
            if probs:
                emit(events.Probs(epoch, probabilities(logits[r]), splits[r].test_index, place))
        merged.add(group.shard, epoch, finished)
        if all(s == "diverged" for s in status):
            break
    return results("finished")
