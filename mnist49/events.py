"""What training reports, as one small vocabulary of typed events.

`train.fit` hands each event to one sink: a callable taking an event, or a list of them (the
tests pass `list.append`). The rest of the training path (`replicates.fit_replicates`,
`record.train_run`, the app's worker and jobs) still speaks in callback lists; `record` turns
fit's events into them. Moving those onto this vocabulary is the rest of issue 23's first step.

Without torch at import, like history.py, so that the app's server can read events back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mnist49.history import EpochProbs, EpochRecord

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class BatchDone:
    epoch: int  # 1-based
    done: int  # batches done in the epoch
    batches: int  # the epoch's batches in all


@dataclass(frozen=True)
class EpochEnded:
    """One finished epoch: every replicate's record of it, by replicate (0 for a lone run)."""

    epoch: int
    records: dict[int, EpochRecord] = field(hash=False)


@dataclass(frozen=True)
class Weights:
    """A replicate's weights after a finished epoch (a copy, on CPU); sent before its EpochEnded,
    so that a saved history never runs ahead of its weights."""

    replicate: int
    epoch: int
    state: dict[str, torch.Tensor] = field(hash=False, repr=False)


Probs = EpochProbs  # every test digit's probabilities after an epoch

Event = BatchDone | EpochEnded | Weights | EpochProbs
Sink = Callable[[Event], None]


def sink(to: Sink | Iterable[Sink] | None) -> Sink:
    """One sink from a sink, a list of sinks (each gets every event, in order) or None."""
    if to is None:
        return lambda _: None
    if callable(to):
        return to
    sinks = list(to)

    def each(event: Event) -> None:
        for s in sinks:
            s(event)

    return each


def of(kind: type, to: Callable) -> Sink:
    """A sink that passes only the events of `kind` on to `to` (for a listener of one kind)."""
    return lambda event: to(event) if isinstance(event, kind) else None
