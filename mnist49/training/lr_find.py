"""The learning-rate range test (Leslie Smith's, as fastai's `lr_find` runs it).

One short run from the config's initial weights, the learning rate rising exponentially batch by
batch from `start` to `end`: while the rate is too small the loss barely moves, then it falls
fast, then it explodes. The suggested rate follows fastai's default rule, `valley`: about two
thirds of the way down the longest run of falling loss, well before the bottom where the loss
starts to explode. The steepest point of the fall (fastai's `steep`, and this module's rule
before) is given too: for Adam both train well, but for SGD with momentum the steepest point
lands at rates where some seeds never learn (0.17-0.48 over 4 seeds, and 2 to 5 of 5 seeds
trained there stayed at chance), while the valley lands at 0.03-0.05 (0.054 for seed 0, where 3
seeds x 10 epochs reach 98.5%). Either is a starting point, not
an answer: a sweep of the rate (sweep.py) says what it does over a whole run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from mnist49.config import Config
from mnist49.training import train

# fastai's defaults are 1e-7 to 10 over 100 batches; this small CNN learns little in 100 batches
# of 100 digits, and the smoothing then lags the loss so far behind the rate that the curve is
# read at rates ten times too high. 300 batches from 1e-6 to 1 give it time to learn.
START, END, BATCHES = 1e-6, 1.0, 300
SMOOTHING = 0.98  # the exponential moving average of the loss, debiased (as fastai's)
EXPLODED = 4.0  # stop once the smoothed loss is this many times its lowest
SKIP_START, SKIP_END = 10, 5  # the ends of the curve are too noisy to pick the steepest point from
# fastai reads the valley on the curve less its first tenth of the planned batches and its last 5
# (`Learner.lr_find`: `recorder.lrs[num_it//10:-5]`)
VALLEY_SKIP_END = 5


@dataclass(frozen=True)
class RangeTest:
    lrs: np.ndarray  # the rate of each batch trained
    losses: np.ndarray  # the smoothed loss after each
    raw: np.ndarray  # each batch's own loss
    suggested: float | None  # fastai's valley rule; None if too few batches ran
    steepest: float | None  # the rate where the loss falls fastest; None if too few batches ran
    exploded: bool  # whether it stopped early because the loss exploded


def steepest(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """The rate where the smoothed loss falls fastest against log(lr), leaving out the noisy
    first SKIP_START and last SKIP_END points."""
    if len(lrs) < SKIP_START + SKIP_END + 3:
        return None
    inner = slice(SKIP_START, len(lrs) - SKIP_END)
    slope = np.gradient(losses[inner], np.log(lrs[inner]))
    return float(lrs[inner][int(np.argmin(slope))])


def valley(lrs: np.ndarray, losses: np.ndarray, batches: int = BATCHES) -> float | None:
    """fastai's `valley` rule (fastai/callback/schedule.py, its default suggestion), on the curve
    as fastai's `Learner.lr_find` hands it over: less the first `batches // 10` points (a tenth of
    the batches planned, not of those run) and the last VALLEY_SKIP_END.

    The longest valley is the longest strictly falling run of losses (not necessarily
    neighbouring points: the longest decreasing subsequence, ending at `end`); the suggestion is
    the point about two thirds of the way along it, `start + int(length / 3) + int(length / 6)`.
    As in fastai, `start` is fixed the first time a point's run becomes the longest, from that
    run's length at that moment, and is not moved if the same point's run grows longer later.
    None if fewer than 2 points are left."""
    lrs, losses = lrs[batches // 10 : -VALLEY_SKIP_END], losses[batches // 10 : -VALLEY_SKIP_END]
    n = len(losses)
    if n < 2:
        return None
    start, end = 0, 0
    longest = [1] * n  # longest[i]: the length of the longest falling run ending at point i
    for i in range(1, n):
        for j in range(i):
            if losses[i] < losses[j] and longest[i] < longest[j] + 1:
                longest[i] = longest[j] + 1
            if longest[end] < longest[i]:
                end = i
                start = end - longest[end]
    sections = (end - start) / 3
    return float(lrs[start + int(sections) + int(sections / 2)])


class RangeSchedule:
    """The range test as a learning-rate schedule that train.fit follows: before each batch the
    next rate, rising exponentially from `start` to `end` over `batches` batches; after it the
    batch's loss, smoothed. It ends the run once its rates are spent or the loss has exploded."""

    def __init__(self, start: float, end: float, batches: int):
        self.lrs = start * (end / start) ** (np.arange(batches) / (batches - 1))
        self.raw: list[float] = []  # each batch's own loss
        self.smoothed: list[float] = []
        self.average, self.lowest, self.exploded = 0.0, math.inf, False

    def before(self, optimizer: torch.optim.Optimizer) -> bool:
        if self.exploded or len(self.raw) == len(self.lrs):
            return False
        for group in optimizer.param_groups:
            group["lr"] = float(self.lrs[len(self.raw)])
        return True

    def after(self, loss: torch.Tensor) -> None:
        value = loss.item()
        if not math.isfinite(value):
            self.exploded = True
            return
        self.average = SMOOTHING * self.average + (1 - SMOOTHING) * value
        smooth = self.average / (1 - SMOOTHING ** (len(self.raw) + 1))
        self.raw.append(value)
        self.smoothed.append(smooth)
        self.lowest = min(self.lowest, smooth)
        self.exploded = smooth > EXPLODED * self.lowest


def lr_find(
    config: Config, start: float = START, end: float = END, batches: int = BATCHES, stop=None
) -> RangeTest:
    """Run the range test on `config` (its model, optimizer, data and seed; not its lr): train.fit
    with a RangeSchedule, for as many epochs as its batches take."""
    if not 0 < start < end:
        raise ValueError(f"the rates must rise from a positive start, got {start} to {end}")
    if batches < 2:
        raise ValueError(f"the range test needs at least 2 batches, got {batches}")
    split = train.prepare(config)
    schedule = RangeSchedule(start, end, batches)
    epochs = math.ceil(batches / math.ceil(len(split.y_train) / config.batch_size))
    train.fit(config.replace(lr=start, epochs=epochs), split, stop=stop, schedule=schedule)
    lrs, losses = schedule.lrs[: len(schedule.raw)], np.array(schedule.smoothed)
    return RangeTest(
        lrs,
        losses,
        np.array(schedule.raw),
        valley(lrs, losses, batches),
        steepest(lrs, losses),
        schedule.exploded,
    )
