"""Training in the background, for the app: start, poll, stop; never touches the UI.

A page starts a `Job` through the server-wide `JobPool` (which caps how many train at once),
polls `snapshot()` to draw, and calls `touch()` while its tab is open: a job nobody has looked
at for `abandon_after` seconds stops itself, so a closed tab does not train forever.

Each job trains in a worker process (see worker.py for why) that a background thread of the
server feeds and listens to; the pool keeps one worker started ahead, so a run begins at once,
and shares the machine's cores out between the runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mnist49 import runs
from mnist49.config import Config
from mnist49.train import EpochRecord

ACTIVE = ("starting", "running")


@dataclass(frozen=True)
class JobState:
    status: str  # starting, running, finished, stopped, diverged, failed
    records: tuple[EpochRecord, ...]
    error: str  # why it failed or stopped, in words; "" otherwise
    reason: str  # why it ended early as a key of runs.REASONS (with `facts`), or ""
    facts: dict
    run_path: Path | None  # the run folder, once training has begun
    elapsed: float  # seconds since start
    hardest: tuple[tuple[int, int, float], ...]  # (test index, predicted digit, confidence) of the
    # test digits the model was least sure about after the last epoch
    batch: tuple[int, int, int] = (0, 0, 0)  # (epoch, batches done, batches) within a long epoch

    @property
    def done(self) -> bool:
        return self.status not in ACTIVE


def _spawn_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mnist49.worker"],
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
    ):
        self.config, self.runs_dir, self.abandon_after = config, Path(runs_dir), abandon_after
        self.threads = threads  # torch threads the worker trains on; 0: its default
        self._lock, self._pipe_lock = threading.Lock(), threading.Lock()
        self._changed = threading.Condition(self._lock)  # notified on every message
        self._records: list[EpochRecord] = []
        self._hardest: tuple[tuple[int, int, float], ...] = ()
        self._batch = (0, 0, 0)
        self._status, self._error, self._run_path = "starting", "", None
        self._reason, self._facts = "", {}
        self._start = self._last_touch = time.monotonic()
        self._worker = worker or _spawn_worker()
        self._on_exit = on_exit
        self._thread = threading.Thread(target=self._work, name="mnist49-job", daemon=True)

    def start(self) -> Job:
        # the request goes first, before any other line the worker reads
        self._tell(
            json.dumps(
                {
                    "config": self.config.to_dict(),
                    "runs_dir": str(self.runs_dir),
                    "abandon_after": self.abandon_after,
                    "threads": self.threads,
                }
            )
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._tell("stop")

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
        self._thread.join(timeout)

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
            )

    def _tell(self, line: str) -> None:
        try:
            with self._pipe_lock:  # the page, the pool and the job's thread all write here
                self._worker.stdin.write(line + "\n")
                self._worker.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the worker has already ended

    def _work(self) -> None:
        try:
            for line in self._worker.stdout:
                message = json.loads(line)
                with self._lock:
                    if "start" in message:
                        self._status, self._run_path = "running", Path(message["start"])
                    elif "epoch" in message:
                        self._records.append(EpochRecord(**message["epoch"]))
                    elif "batch" in message:
                        self._batch = tuple(message["batch"])
                    elif "hardest" in message:
                        self._hardest = tuple((int(i), int(d), float(c)) for i, d, c in message["hardest"])
                    elif "end" in message:
                        self._status, self._error = message["end"], message["message"]
                        self._reason, self._facts = message.get("reason", ""), message.get("facts", {})
                    self._changed.notify_all()
            code = self._worker.wait()
            with self._lock:
                died, run_path = self._status in ACTIVE, self._run_path
            if died and run_path is not None:
                # the worker cannot say it any more: its run folder must, before the page
                with contextlib.suppress(OSError, ValueError):
                    runs.mark_ended(run_path, "failed", "died", code=code)
            if died:
                with self._lock:
                    self._status, self._reason, self._facts = "failed", "died", {"code": code}
                    self._error = runs.REASONS["died"].format(code=code)
                    self._changed.notify_all()
        finally:
            with self._pipe_lock:
                self._worker.stdin.close()
            self._worker.wait()
            if self._on_exit:
                self._on_exit(self)


class PoolFull(RuntimeError):
    """Too many trainings are running on this server."""

    def __init__(self, running: int, limit: int):
        self.running, self.limit = running, limit
        super().__init__(
            f"{running} trainings are already running on this server (the limit is "
            f"{limit}); try again when one ends"
        )


class JobPool:
    """The trainings of one server: at most `limit` at once, and one worker started ahead.

    The spare worker is started again when a run ends, not when one starts: starting Python and
    importing torch takes seconds of CPU, which a run that has just begun would lose to it.

    The cores are shared out: one run trains on all of them, as the CLI does, two on half each,
    and so on; each run is told again when another starts or ends. Runs whose threads outnumber
    the cores stall each other at every parallel region: here two runs on 2 threads each took
    28 s each, against 6 s each on 1 thread. (A run alone on 2 threads beats 1 thread, though the
    server and the browser share the cores: benchmarks/ui_overhead.py, app/CLI 1.19 against 1.70.)
    """

    def __init__(self, limit: int = 3, cores: int | None = None):
        self.limit, self.cores = limit, cores or os.cpu_count() or 1
        self._running: set[Job] = set()
        self._lock = threading.Lock()
        self._spare: subprocess.Popen | None = _spawn_worker()

    def start(self, config: Config, runs_dir: Path | str, abandon_after: float = 30.0) -> Job:
        with self._lock:
            if len(self._running) >= self.limit:
                raise PoolFull(len(self._running), self.limit)
            worker, self._spare = self._spare, None
            threads = self._threads(len(self._running) + 1)
            job = Job(config, runs_dir, abandon_after, worker, self._release, threads).start()
            self._running.add(job)
            for other in self._running:
                other.share(threads)
        return job

    def _threads(self, count: int) -> int:
        """Each run's share of the cores when `count` (1 or more) runs train at once."""
        return max(1, self.cores // count)

    def _refill(self) -> None:
        worker = _spawn_worker()
        with self._lock:
            if self._spare is None:
                self._spare, worker = worker, None
        if worker is not None:
            worker.stdin.close()  # not needed after all: it exits at once

    def _release(self, job: Job) -> None:
        with self._lock:
            self._running.discard(job)
            for other in self._running:
                other.share(self._threads(len(self._running)))
        self._refill()

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._running)
