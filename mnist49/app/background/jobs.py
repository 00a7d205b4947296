"""Training in the background, for the app: start, poll, stop; never touches the UI.

A page starts a `Job` through the server-wide pool (pool.JobPool: it caps how many train at once
and queues the rest, first come first served), polls `snapshot()` to draw, and calls `touch()`
while its tab is open: a job nobody has looked at for `abandon_after` seconds stops itself (or
leaves the queue), so a closed tab does not train forever.

Each job trains in a worker process (see worker.py for why) that a background thread of the
server feeds and listens to.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mnist49 import runs
from mnist49.config import Config
from mnist49.runs import seeds
from mnist49.runs.status import REASONS, mark_died
from mnist49.training import events
from mnist49.training.history import EpochRecord

if TYPE_CHECKING:
    from mnist49.runs.sweep import Sweep

ACTIVE = ("queued", "starting", "running")


@dataclass(frozen=True)
class JobState:
    status: str  # queued, starting, running, finished, stopped, diverged, failed
    records: tuple[EpochRecord, ...]
    error: str  # why it failed or stopped, in words; "" otherwise
    reason: str  # why it ended early as a key of status.REASONS (with `facts`), or ""
    facts: dict
    run_path: Path | None  # the run folder, once training has begun
    elapsed: float  # seconds since start
    hardest: tuple[tuple[int, int, float], ...]  # (test index, predicted digit, confidence) of the
    # test digits the model was least sure about after the last epoch
    batch: tuple[int, int, int] = (0, 0, 0)  # (epoch, batches done, batches) within a long epoch
    spread: tuple[dict[int, EpochRecord], ...] = ()  # with several seeds: each epoch's records by
    # replicate (`records` then holds their means)
    curves: tuple[tuple[int, dict[int, EpochRecord]], ...] = ()  # a sweep's: (value, records by
    # replicate) for each epoch of each value, as they finish (`records` then holds their means)

    def sweep_curves(self) -> pd.DataFrame:
        """A sweep's mean curves so far, as sweep.SweepRun.curves gives them: epoch, metric, y,
        and the value's place (order); the value's text is the page's to add."""
        rows = [
            {"epoch": mean.epoch, "metric": metric, "y": getattr(mean, metric), "order": i}
            for i, records in self.curves
            for mean in [seeds.mean(records)]
            for metric in seeds.CURVES
        ]
        return pd.DataFrame(rows, columns=["epoch", "metric", "y", "order"])

    def histories(self) -> list[pd.DataFrame]:
        """With several seeds, each replicate's history so far (as runs.Run.history)."""
        by_replicate: dict[int, list[dict]] = {}
        for epoch in self.spread:
            for r, record in epoch.items():
                by_replicate.setdefault(r, []).append(asdict(record))
        return [pd.DataFrame(rows, columns=runs.HISTORY_COLUMNS) for _, rows in sorted(by_replicate.items())]

    @property
    def done(self) -> bool:
        return self.status not in ACTIVE


def spawn_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mnist49.app.background.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


class Job:
    def __init__(
        self,
        config: Config,
        runs_dir: Path | str,
        abandon_after: float = 30.0,
        worker: subprocess.Popen | None = None,
        on_exit=None,
        threads: int = 0,
        sweep: Sweep | None = None,
        spawn: Callable = spawn_worker,
    ):
        self._spawn = spawn  # starts a worker when no spare is given
        self.config, self.runs_dir, self.abandon_after = config, Path(runs_dir), abandon_after
        self.sweep = sweep  # a sweep of `config` (its base), rather than one run of it
        self.threads = threads  # torch threads the worker trains on; 0: its default
        self._lock, self._pipe_lock = threading.Lock(), threading.Lock()
        self._changed = threading.Condition(self._lock)  # notified on every message
        self._records: list[EpochRecord] = []
        self._spread: list[dict[int, EpochRecord]] = []
        self._curves: list[tuple[int, dict[int, EpochRecord]]] = []
        self._hardest: tuple[tuple[int, int, float], ...] = ()
        self._batch = (0, 0, 0)
        self._status, self._error, self._run_path = "starting", "", None
        self._reason, self._facts = "", {}
        self._start = self._last_touch = time.monotonic()
        self._worker = worker
        self._on_exit = on_exit
        self._thread = threading.Thread(target=self._work, name="mnist49-job", daemon=True)

    @property
    def epochs(self) -> int:
        """The epochs it trains in all: a sweep's are every value's (its `records` count them)."""
        return sum(c.epochs for c in self.sweep.configs) if self.sweep else self.config.epochs

    def queue(self) -> Job:
        """Wait in a pool's queue until `start`: no worker yet."""
        self._status = "queued"
        return self

    def start(self, worker: subprocess.Popen | None = None) -> bool:
        """Train now, in `worker` if given (a spare, already warm) or a new one; False if the
        job was cancelled while it waited (then `worker` is not taken)."""
        request = json.dumps(
            {
                "config": self.config.to_dict(),
                "runs_dir": str(self.runs_dir),
                "abandon_after": self.abandon_after,
                "threads": self.threads,
            }
            | ({"sweep": self.sweep.to_dict()} if self.sweep else {})
        )
        # the request goes first, before any other line the worker reads: it is written under the
        # pipe's lock taken before the worker is visible to `_tell` (touch, stop) from other threads
        with self._pipe_lock:
            with self._lock:
                if self._status not in ACTIVE:
                    return False
                self._worker = self._worker or worker or self._spawn()
                self._status, self._start = "starting", time.monotonic()
            try:
                self._worker.stdin.write(request + "\n")
                self._worker.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass  # the worker has already ended: the job's thread says so
        self._thread.start()
        return True

    def stop(self) -> None:
        """Stop the run, or take it out of the queue if it has not started."""
        with self._lock:
            if self._status == "queued":
                self._end_unstarted("cancelled")
                return
        self._tell("stop")

    def _end_unstarted(self, reason: str, **facts) -> None:
        """A queued job ends without training (call with the lock held)."""
        self._status, self._reason, self._facts = "stopped", reason, facts
        self._error = REASONS[reason].format(**facts)
        self._changed.notify_all()

    def abandoned(self) -> bool:
        """Whether nobody has touched this queued job for `abandon_after` seconds; if so it ends."""
        with self._lock:
            if self._status == "queued" and time.monotonic() - self._last_touch > self.abandon_after:
                self._end_unstarted("abandoned", seconds=self.abandon_after)
            return self._status not in ACTIVE

    def share(self, threads: int) -> None:
        """Train on `threads` threads from the next batch on."""
        if threads != self.threads:
            self.threads = threads
            self._tell(f"threads {threads}")

    def touch(self) -> None:
        """The tab is still open (sent at most every second: it costs a pipe write)."""
        if time.monotonic() - self._last_touch > 1.0:
            self._last_touch = time.monotonic()
            self._tell("alive")

    def join(self, timeout: float | None = None) -> None:
        """Until the job has ended (queued, started and ended), at most `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            self._changed.wait_for(lambda: self._status not in ACTIVE, timeout)
        if self._thread.is_alive() or self._thread.ident is not None:
            self._thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def wait_for(self, epochs: int, timeout: float) -> bool:
        """Until `epochs` epochs have finished or the run has ended, at most `timeout` seconds;
        whether that happened."""
        with self._changed:
            return self._changed.wait_for(
                lambda: len(self._records) >= epochs or self._status not in ACTIVE, timeout
            )

    def snapshot(self) -> JobState:
        with self._lock:
            return JobState(
                self._status,
                tuple(self._records),
                self._error,
                self._reason,
                self._facts,
                self._run_path,
                time.monotonic() - self._start,
                self._hardest,
                self._batch,
                tuple(self._spread),
                tuple(self._curves),
            )

    @property
    def worker(self) -> subprocess.Popen | None:
        return self._worker

    def _tell(self, line: str) -> None:
        if self._worker is None:
            return  # queued: nothing to tell yet
        try:
            with self._pipe_lock:  # the page, the pool and the job's thread all write here
                self._worker.stdin.write(line + "\n")
                self._worker.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the worker has already ended

    def _take(self, event: events.Event) -> None:
        """One event from the worker into the state (lock held)."""
        if isinstance(event, events.RunStarted):
            self._status, self._run_path = "running", Path(event.path)
        elif isinstance(event, events.EpochEnded):
            self._records.append(seeds.mean(event.records))
            if event.value is not None:  # a sweep's value finished an epoch
                self._curves.append((event.value, event.records))
            elif self.config.seeds > 1:
                self._spread.append(event.records)
        elif isinstance(event, events.BatchDone):
            self._batch = (event.epoch, event.done, event.batches)
        elif isinstance(event, events.Hardest):
            self._hardest = event.rows
        elif isinstance(event, events.RunEnded) and event.value is None:  # not a sweep's value
            self._status, self._error = event.status, event.message
            self._reason, self._facts = event.reason, event.facts

    def _work(self) -> None:
        try:
            for line in self._worker.stdout:
                event = events.from_json(line)
                with self._lock:
                    self._take(event)
                    self._changed.notify_all()
            code = self._worker.wait()
            with self._lock:
                died, run_path = self._status in ACTIVE, self._run_path
            if died and run_path is not None:
                # the worker cannot say it any more: its run folder must, before the page
                with contextlib.suppress(OSError, ValueError):
                    mark_died(run_path, code)
            if died:
                with self._lock:
                    self._status, self._reason, self._facts = "interrupted", "died", {"code": code}
                    self._error = REASONS["died"].format(code=code)
                    self._changed.notify_all()
        finally:
            # closing flushes what is buffered: into a worker that has died, that raises, and the
            # pool must still hear that this job's worker has ended
            with self._pipe_lock, contextlib.suppress(BrokenPipeError, OSError):
                self._worker.stdin.close()
            self._worker.wait()
            if self._on_exit:
                self._on_exit(self)
