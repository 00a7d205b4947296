"""Shards: the parts of a batched group of replicates, each trained by a thread of its own
(replicates.fit_replicates), and how they stop and report in step."""

from __future__ import annotations

import threading
from collections.abc import Callable

import torch

from mnist49.training import events
from mnist49.training.history import EpochRecord


def run(count: int, stop: events.Stop | None, emit: events.Sink, work: Callable) -> list:
    """`work(k, stop, merged)` for each shard k of `count`, on a thread of its own (a lone shard
    in this thread), with the Stop and the Merge they share; the list of what each returned.

    Each thread takes its share of this thread's torch threads. A shard that raises stops the
    others, and is raised again here once all have ended."""
    threads = torch.get_num_threads()
    merged, either = Merge(count, emit), Either(stop, count)
    if count == 1:
        either.share(threads)
        return [work(0, either, merged)]
    results: list = [None] * count
    failures: list[BaseException] = []

    def shard(k: int) -> None:
        either.share(threads)  # this thread's own OpenMP setting
        try:
            results[k] = work(k, either, merged)
        except BaseException as e:  # raised again by the caller's thread, once all have ended
            failures.append(e)
            either.fail()
        finally:
            try:
                merged.done(k)  # may pass epochs on: their sinks may raise too
            except BaseException as e:
                failures.append(e)
                either.fail()

    workers = [threading.Thread(target=shard, args=(k,), daemon=True) for k in range(count)]
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            worker.join()
    except BaseException:  # Ctrl-C in a caller without the CLI's handlers: no shard trains on
        either.fail()
        for worker in workers:
            worker.join()
        raise
    if failures:
        raise failures[0]
    return results


class Either:
    """The caller's Stop, or a shard's failure: either stops every shard.

    The Stop's `threads` may change as it trains (the app's worker sets it when its share of the
    cores changes): each shard then takes its part of the new share (at least one thread)."""

    def __init__(self, stop: events.Stop | None, shards: int):
        self.stop, self.shards, self.failed = stop, shards, threading.Event()
        self.mine = threading.local()  # each shard thread's own thread count, as it set it

    def share(self, budget: int) -> None:
        """Set the calling shard's threads to its part of `budget` threads."""
        self.mine.budget, self.mine.threads = budget, max(1, budget // self.shards)
        torch.set_num_threads(self.mine.threads)

    def fail(self) -> None:
        self.failed.set()

    def is_set(self) -> bool:
        if self.failed.is_set():
            return True
        if self.stop is None:
            return False
        stopped = self.stop.is_set()
        budget = self.stop.threads or self.mine.budget
        if budget != self.mine.budget or torch.get_num_threads() != self.mine.threads:
            self.share(budget)
        return stopped


class Merge:
    """Each epoch's records from every shard, passed on as one EpochEnded once every shard still
    training has finished that epoch, in epoch order. A shard waits at the end of each epoch
    until then: the shards train in step, so that a Stop said when epoch e is passed on ends
    every replicate after epoch e.

    A Stop within an epoch ends every shard at the same epoch too. The first shard to settle it
    decides: a shard stopped within epoch e ends before it (`abandon`) unless another shard has
    already kept e (`settle` at its end), in which case it finishes e first; a shard reaching the
    end of an epoch that another has abandoned ends without it."""

    def __init__(self, shards: int, emit: events.Sink):
        self.emit, self.live = emit, set(range(shards))
        self.pending: dict[int, dict[int, EpochRecord]] = {}
        self.reported: dict[int, set[int]] = {}
        self.kept: set[int] = set()
        self.abandoned: set[int] = set()
        self.changed = threading.Condition()

    def abandon(self, epoch: int) -> bool:
        """A shard was stopped within `epoch`: True if it ends now, without it; False if another
        shard has kept it (the shard then finishes it and stops after it)."""
        with self.changed:
            if epoch not in self.kept:
                self.abandoned.add(epoch)
            return epoch in self.abandoned

    def settle(self, epoch: int) -> bool:
        """A shard has finished `epoch`: True if it keeps it; False if another was stopped within it."""
        with self.changed:
            if epoch not in self.abandoned:
                self.kept.add(epoch)
            return epoch in self.kept

    def add(self, shard: int, epoch: int, records: dict[int, EpochRecord]) -> None:
        with self.changed:
            self.pending.setdefault(epoch, {}).update(records)
            self.reported.setdefault(epoch, set()).add(shard)
            self._flush()
            self.changed.wait_for(lambda: epoch not in self.pending)

    def done(self, shard: int) -> None:
        """A shard has ended (finished, stopped, failed, or every replicate of it diverged)."""
        with self.changed:
            self.live.discard(shard)
            self._flush()

    def _flush(self) -> None:
        try:
            for epoch in sorted(self.pending):
                if not self.live <= self.reported[epoch]:
                    return
                self.emit(events.EpochEnded(epoch, dict(sorted(self.pending.pop(epoch).items()))))
        finally:
            self.changed.notify_all()
