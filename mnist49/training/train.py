"""The training loop: tensors on the device once, its events (events.py) to one sink."""

from __future__ import annotations

import ctypes
import functools
import math
import os
import platform
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import torch
from torch import nn
from torch.nn import functional as F

from mnist49 import augment, data
from mnist49.config import Config
from mnist49.models import optimizers
from mnist49.models.model import build, plan, probabilities
from mnist49.training import evaluate, events, graphed
from mnist49.training.history import EpochRecord


class DeviceError(RuntimeError):
    """The asked-for device is not available on this machine."""


@dataclass(frozen=True)
class Split:
    """A config's train and test digits as model-ready tensors on its device."""

    x_train: torch.Tensor  # (N, 1, 28, 28) float in [0, 1]
    y_train: torch.Tensor  # (N,) 0.0 / 1.0 for two digits, else int64 class positions
    x_test: torch.Tensor  # (M, 1, 28, 28)
    y_test: torch.Tensor  # (M,)
    test_index: torch.Tensor  # (M,) positions in the whole test set, to find the images again


@dataclass
class FitResult:
    model: nn.Module  # as it was after the last finished epoch (never NaN: see `fit`)
    history: list[EpochRecord]
    status: str  # "finished", "stopped" or "diverged"
    test_logits: torch.Tensor  # (M,) or (M, C) of the last finished epoch, on CPU (zeros if none)


@functools.cache
def keep_freed_memory() -> None:
    """Have glibc's malloc keep the memory training frees, to use again, rather than hand it back.

    Every batch allocates and frees the same large buffers: the first layer's maps and their
    gradients, 9 MB a batch for 8 replicates on one core. glibc maps blocks that large afresh and
    gives them back when freed, and hands freed memory at the top of its heap back too, so each
    batch paid the kernel's page faults to map and zero them again: 0.85 million faults in 6
    epochs of 8 replicates, and two fifths of their time (0.70 against 0.41 s an epoch, side by
    side). The limits are glibc's largest block it allows in the heap (32 MB) and 512 MB of free
    heap kept. A setting of the whole process, once: `fit` and `fit_replicates` call it, which
    run in the CLI's process and in the app's training workers, never in the app's server (the
    range test, which the server runs, does not call it). Elsewhere than glibc (macOS, musl), or
    where glibc refuses, nothing changes.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # a glibc system without the usual name: train as before
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # malloc.h
    # each returns 1 when taken; a refused one (32 MB is the most a 64-bit glibc takes) leaves
    # glibc's own setting, which trains correctly, only slower
    libc.mallopt(m_mmap_threshold, 32 << 20)
    libc.mallopt(m_trim_threshold, 512 << 20)


def resolve_device(name: str = "auto") -> torch.device:
    """auto: CUDA, then Apple MPS, then CPU; an explicit choice must be available."""
    available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    if name == "auto":
        return torch.device(next(d for d in ("cuda", "mps", "cpu") if available[d]))
    if not available.get(name, False):
        found = ", ".join(d for d, ok in available.items() if ok)
        raise DeviceError(
            f"device {name!r} is not available here (available: {found}); use --device auto or cpu"
        )
    return torch.device(name)


def prepare(config: Config) -> Split:
    """Load the data, draw the config's seeded subsets and put them on its device."""
    dataset = data.load(config.data, config.digits)
    data.check_exclude(config.data, dataset.train, config.exclude)
    for name, size, n in (
        ("train", config.train_size, len(dataset.train) - len(config.exclude)),
        ("test", config.test_size, len(dataset.test)),
    ):
        if size is not None and size > n:
            raise data.DataError(
                config.data, f"{name} size {size} is larger than the {n} {name} digits available"
            )
    device = resolve_device(config.device)
    train, _ = data.sample(dataset.train, config.train_size, config.train_digits_seed, config.exclude)
    test, test_index = data.sample(dataset.test, config.test_size, config.test_digits_seed)
    return Split(
        *data.to_tensors(train, config.digits, device),
        *data.to_tensors(test, config.digits, device),
        test_index,
    )


_seed_lock = threading.Lock()  # torch's global RNG seeds the initial weights; runs may be threads


def make_model(config: Config, device: torch.device) -> nn.Module:
    with _seed_lock:
        torch.manual_seed(config.training_seed)
        model = build(config.model, config.widths, config.activation, config.dropout, config.outputs)
    # channels-last lets oneDNN pick faster conv kernels on CPU (about a third off a step)
    return model.to(device, memory_format=torch.channels_last)


# Per-unit costs of a training step on CPU, measured with benchmarks/size_hint.py on 2026-12-04
# (2 cores shared with other work, load 3-7, torch's 2 threads, batch 100, Adam): channels
# 256,256,256 ran 1.0e10 multiply-adds a second and 512,512,512 1.9e10 (forward and backward, taken
# as 3x the forward's), so the lower; MLP 4096,4096 left 1.6e-8 s per parameter beyond its
# multiply-adds; the recipe's step, 4 ms (docs/performance.md: 0.07-0.09 s epochs of 20 steps).
STEP_SECONDS = 4e-3
MACS_PER_SECOND = 1e10
PARAM_SECONDS = 1.6e-8
# Bytes a parameter holds while training: its value, its gradient and Adam's two moments (float32)
PARAM_BYTES = 4 * 4
# Bytes per activation of a digit in a batch: the output kept for backward and its gradient
ACTIVATION_BYTES = 4 * 2


@dataclass(frozen=True)
class Estimate:
    """What training a config would cost, worked out from its layers without building it."""

    params: int  # of one seed's model
    seconds: float  # per epoch, all seeds (evaluation left out)
    bytes: int  # memory while training, all seeds


def estimate(config: Config, n_train: int) -> Estimate:
    """The rough cost of an epoch of `config` on `n_train` digits, from the parameter count and
    multiply-adds of its layers (model.plan) and the per-unit costs above; nothing is trained
    or allocated, so a link to a huge model costs the server nothing."""
    layers = plan(config.model, config.widths, config.activation, config.outputs)
    params, macs, outputs = (int(layers[c].sum()) for c in ("params", "macs", "outputs"))
    batch = min(config.batch_size, n_train)
    steps = math.ceil(n_train / batch)
    seconds = n_train * 3 * macs / MACS_PER_SECOND + steps * (STEP_SECONDS + params * PARAM_SECONDS)
    memory = params * PARAM_BYTES + batch * outputs * ACTIVATION_BYTES
    return Estimate(params, config.seeds * seconds, config.seeds * memory)


def memory_bytes() -> int:
    """This machine's physical memory: more than a run can ever allocate."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


# Digits evaluated at once: a slice's activations stay in the caches. The recipe's 500 test digits
# took 16 ms at once and 9 ms in slices of 100 (one thread).
EVAL_CHUNK = 100


@torch.inference_mode()
def measure(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float, torch.Tensor]:
    """Mean loss, accuracy and the logits (M,) or (M, C) of a whole set, EVAL_CHUNK digits at a time.

    The accuracy decides as `evaluate.decisions` does, so that the curves and the Errors page
    count the same digits as right.
    """
    model.eval()
    logits = torch.cat([model(part) for part in x.split(EVAL_CHUNK)])
    loss = loss_of(logits, y)
    picked = evaluate.decisions(probabilities(logits).float().cpu().numpy())  # (M,) positions
    accuracy = float((picked == y.long().cpu().numpy()).mean())
    return loss.item(), accuracy, logits


def loss_of(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The mean loss: binary cross-entropy on the logit of the second digit for two digits
    (logits (B,)), else cross-entropy over the digits (logits (B, C))."""
    if logits.ndim == 1:
        return F.binary_cross_entropy_with_logits(logits, y)
    return F.cross_entropy(logits, y)


def losses_of(logits: torch.Tensor, y: torch.Tensor, binary: bool) -> torch.Tensor:
    """loss_of for each replicate of a batched model: (R,) from logits (R, B) or (R, B, C) and
    labels (R, B)."""
    if binary:
        return F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(1)
    return F.cross_entropy(logits.flatten(0, 1), y.flatten(), reduction="none").view(y.shape).mean(1)


def batch_orders(config: Config, n: int) -> Iterator[torch.Tensor]:
    """Each epoch's order of the n train digits (n,): permutations drawn from the config's
    training seed, so that a replicate of a batched model sees its lone run's batches."""
    draw = torch.Generator().manual_seed(config.training_seed)
    while True:
        yield torch.randperm(n, generator=draw)


class Schedule(Protocol):
    """A learning rate per batch that `fit` follows (lr_find.RangeSchedule)."""

    def before(self, optimizer: torch.optim.Optimizer) -> bool:
        """Set the next batch's rate; False ends the run before it."""
        ...

    def after(self, loss: torch.Tensor) -> None:
        """The batch's loss."""
        ...


def _step(
    model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
) -> torch.Tensor:
    """One step of training on a batch (x already transformed); its mean loss."""
    loss = loss_of(model(x), y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss


def _copy(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}


def stopped(stop: events.Stop | None) -> bool:
    """Whether `stop` is set; on the way, this thread takes the torch threads it names (OpenMP's
    setting belongs to the thread that makes it: the training thread)."""
    if stop is None:
        return False
    if stop.threads and stop.threads != torch.get_num_threads():
        torch.set_num_threads(stop.threads)
    return stop.is_set()


def fit(
    config: Config,
    split: Split,
    to: events.Sink | Iterable[events.Sink] | None = None,
    stop: events.Stop | None = None,
    probs: bool = False,
    schedule: Schedule | None = None,
) -> FitResult:
    """Train `config` on `split`, sending its events to `to`: BatchDone after every batch (for
    progress and heartbeats), then after every finished epoch Weights, with `probs` every test
    digit's probabilities (events.Probs), and EpochEnded (replicate 0).

    A `schedule` sets the learning rate before each batch, and may end the run (as stopped).
    `stop` is checked between batches: once set, it ends the run, keeping finished epochs. A
    stopped or diverged run's model is put back to its last finished epoch (the initial weights
    if none finished), so that what is saved matches the history and is never NaN.
    Deterministic on CPU: the same config and split give the same history. With
    MNIST49_CUDA_GRAPHS=1 on CUDA, full batches replay a captured CUDA graph (graphed.py).
    """
    if schedule is None:  # the range test (a schedule) runs in the app's server: not there
        keep_freed_memory()
    emit = events.sink(to)
    device = split.x_train.device
    model = make_model(config, device)
    how = None if schedule is not None else graphed.capture(config, device)  # a graph holds its lr
    capturable = how is not None and how.capturable
    optimizer = optimizers.make(
        config.optimizer, model.parameters(), config.lr, config.weight_decay, capturable=capturable
    )
    step = graphed.stepper(functools.partial(_step, model, optimizer), how)
    transform = augment.pipeline(config.augment)
    n, history = len(split.y_train), []
    orders = batch_orders(config, n)
    batches = math.ceil(n / config.batch_size)
    logits = torch.zeros(len(split.y_test), *(() if config.binary else (config.outputs,)))
    kept = _copy(model)  # the weights of the last finished epoch

    def ended(status: str) -> FitResult:
        if status != "finished":
            model.load_state_dict(kept)
        return FitResult(model, history, status, logits.float().cpu())

    for epoch in range(1, config.epochs + 1):
        start, total = time.perf_counter(), torch.zeros((), device=device)
        model.train()
        for done, batch in enumerate(next(orders).to(device).split(config.batch_size), 1):
            if stopped(stop) or (schedule is not None and not schedule.before(optimizer)):
                return ended("stopped")
            x = split.x_train[batch]  # (B, 1, 28, 28)
            loss = step(transform(x) if transform else x, split.y_train[batch])
            if schedule is not None:
                schedule.after(loss)
            total += loss.detach() * len(batch)
            emit(events.BatchDone(epoch, done, batches))
        test_loss, accuracy, epoch_logits = measure(model, split.x_test, split.y_test)
        train_loss = total.item() / n
        if not (math.isfinite(train_loss) and math.isfinite(test_loss)):
            return ended("diverged")
        logits, kept = epoch_logits, _copy(model)
        record = EpochRecord(epoch, train_loss, test_loss, accuracy, time.perf_counter() - start)
        history.append(record)
        emit(events.Weights(0, epoch, kept))  # before the record: see events.Weights
        if probs:
            emit(events.Probs(epoch, probabilities(logits).float().cpu(), split.test_index))
        emit(events.EpochEnded(epoch, {0: record}))
    return ended("finished")
