"""What training reports, as one small vocabulary of typed events, and the Stop that ends it.

One stream runs from the batch loop to the page: `train.fit` and `replicates.fit_replicates`
hand each event to one sink (a callable taking an event, or a list of them; the tests pass
`list.append`); `record` writes the run folder from it and passes it on; the CLI prints it; the
app's worker sends it as JSON lines (`to_json`), which the job reads back (`from_json`); a Ray
task yields the same events to its driver.

Without torch at import, like history.py, so that the app's server can read events back.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from mnist49.training.history import EpochProbs, EpochRecord

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class RunStarted:
    path: str  # the run (or sweep) folder, made and written to


@dataclass(frozen=True)
class BatchDone:
    epoch: int  # 1-based
    done: int  # batches done in the epoch
    batches: int  # the epoch's batches in all


@dataclass(frozen=True)
class Weights:
    """A replicate's weights after a finished epoch (a copy, on CPU); sent before its EpochEnded,
    so that a saved history never runs ahead of its weights."""

    replicate: int
    epoch: int
    state: dict[str, torch.Tensor] = field(hash=False, repr=False)


@dataclass(frozen=True)
class Probs(EpochProbs):
    """Every test digit's probabilities after an epoch, of one replicate (0 for a lone run, and
    for the mean of a run of several seeds); sent before its EpochEnded."""

    replicate: int = 0


@dataclass(frozen=True)
class EpochEnded:
    """One finished epoch: every replicate's record of it, by replicate (0 for a lone run)."""

    epoch: int
    records: dict[int, EpochRecord] = field(hash=False)
    value: int | None = None  # in a sweep, the value (its place) whose run this is


@dataclass(frozen=True)
class Hardest:
    """The test digits the model was least sure about after the last epoch."""

    rows: tuple[tuple[int, int, float], ...]  # (test index, predicted digit, confidence)


@dataclass(frozen=True)
class RunEnded:
    """A run (or a sweep) ended, and why; with `value`, one value of a sweep did."""

    status: str  # status.STATUSES
    message: str = ""  # why it failed or stopped, in words
    reason: str = ""  # why it ended early, as a key of status.REASONS (with `facts`), or ""
    facts: dict = field(default_factory=dict, hash=False)
    path: str = ""  # its folder ("" if it failed before it had one)
    value: int | None = None


Event = RunStarted | BatchDone | Weights | Probs | EpochEnded | Hardest | RunEnded
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


def of(kind: type | tuple[type, ...], to: Callable) -> Sink:
    """A sink that passes only the events of `kind` on to `to` (for a listener of one kind)."""
    return lambda event: to(event) if isinstance(event, kind) else None


# The events that cross a process's pipe as JSON lines (a Weights' or a Probs' tensors stay in
# the process that trained them: the worker sends the hardest digits instead)
_SENT = {kind.__name__: kind for kind in (RunStarted, BatchDone, EpochEnded, Hardest, RunEnded)}


def to_json(event: Event) -> str:
    """One event as a JSON line's text: {"kind": {its fields}}."""
    return json.dumps({type(event).__name__: asdict(event)})


def from_json(line: str) -> Event:
    """The event `to_json` wrote."""
    ((kind, fields),) = json.loads(line).items()
    if kind == "EpochEnded":  # JSON's keys are text
        records = {int(r): EpochRecord(**rec) for r, rec in fields["records"].items()}
        return EpochEnded(fields["epoch"], records, fields["value"])
    if kind == "Hardest":
        return Hardest(tuple((int(i), int(d), float(c)) for i, d, c in fields["rows"]))
    return _SENT[kind](**fields)


class Stop(threading.Event):
    """Ends a training between batches, and says why: a key of status.REASONS and its facts. It also
    carries the torch threads the training may use (`threads`, 0: as it is), which whoever holds
    it may change while it trains (the app's pool, as runs start and end)."""

    def __init__(self, threads: int = 0) -> None:
        super().__init__()
        self.why, self.facts, self.threads = "", {}, threads

    def stop(self, why: str, **facts) -> None:
        """Stop for this reason, unless already stopping for another."""
        if not self.is_set():
            self.why, self.facts = why, facts
        self.set()

    def reason(self) -> tuple[str, dict]:
        """Why it was set ("user" if it was set without a reason)."""
        return self.why or "user", self.facts
