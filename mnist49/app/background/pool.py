"""The server's pool of trainings: at most a few at once, the rest queued, one worker started
ahead so that a run begins at once, and the machine's cores shared out between the runs."""

from __future__ import annotations

import heapq
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mnist49.app.background.jobs import Job, spawn_worker
from mnist49.config import Config

if TYPE_CHECKING:
    from mnist49.runs.sweep import Sweep


class PoolFull(RuntimeError):
    """The server is busy: its queue is full."""

    def __init__(self, queued: int, cap: int):
        self.queued, self.cap = queued, cap
        super().__init__(f"the server is busy: {queued} runs are waiting already (the most is {cap})")


class JobPool:
    """The trainings of one server: at most `limit` at once, the rest queued (at most `cap`),
    and one worker started ahead.

    The spare worker is started again when a run ends, not when one starts: starting Python and
    importing torch takes seconds of CPU, which a run that has just begun would lose to it. So a
    run that starts while another trains waits for its worker to warm up (the job says
    "starting" meanwhile).

    The cores are shared out: one run trains on all of them, as the CLI does, two on half each,
    and so on; each run is told again when another starts or ends. Runs whose threads outnumber
    the cores stall each other at every parallel region: here two runs on 2 threads each took
    28 s each, against 6 s each on 1 thread. (A run alone on 2 threads beats 1 thread, though the
    server and the browser share the cores: benchmarks/ui_overhead.py, app/CLI 1.19 against 1.70.)
    """

    def __init__(
        self, limit: int = 3, cores: int | None = None, cap: int = 20, spawn: Callable = spawn_worker
    ):
        self.limit, self.cap, self.cores = limit, cap, cores or os.cpu_count() or 1
        self._spawn = spawn  # starts a worker: a process here, or cluster_worker's on a cluster
        self._running: set[Job] = set()
        self._queue: list[Job] = []  # first come, first served
        self._lock = threading.Lock()
        self._closed = False
        self._spare: subprocess.Popen | None = spawn()

    def start(
        self, config: Config, runs_dir: Path | str, abandon_after: float = 30.0, sweep: Sweep | None = None
    ) -> Job:
        """A job for `config` (or for a `sweep` of it): training now if there is room, else
        queued; PoolFull past the cap."""
        with self._lock:
            self._prune()
            job = Job(config, runs_dir, abandon_after, on_exit=self._release, sweep=sweep, spawn=self._spawn)
            if len(self._running) < self.limit and not self._queue:
                self._launch(job)
            elif len(self._queue) < self.cap:
                self._queue.append(job.queue())
            else:
                raise PoolFull(len(self._queue), self.cap)
        return job

    def _prune(self) -> None:
        """Drop queued jobs that were cancelled or whose tab has gone (lock held)."""
        self._queue = [j for j in self._queue if not j.abandoned()]

    def _launch(self, job: Job) -> bool:
        """Start `job` in the spare worker if there is one (lock held); False if it was
        cancelled meanwhile."""
        job.threads = self._threads(len(self._running) + 1)
        if not job.start(self._spare):
            return False
        self._spare = None
        self._running.add(job)
        for other in self._running:
            other.share(job.threads)
        return True

    def place(self, job: Job) -> int:
        """The job's place in the queue, 1 for the next to start; 0 if it is not queued."""
        with self._lock:
            self._prune()
            return self._queue.index(job) + 1 if job in self._queue else 0

    def wait_estimate(self, job: Job) -> float | None:
        """About how many seconds until a queued job starts, or None while no run has a
        finished epoch to time (or the job is not queued).

        Each running run ends after its remaining epochs at its own pace; each queued run takes
        its epochs at the mean pace of the running ones (the settings differ, so it is rough).
        """
        with self._lock:
            if job not in self._queue:
                return None
            ends, paces = [], []
            for running in self._running:
                state = running.snapshot()
                if not state.records:
                    return None
                pace = state.elapsed / len(state.records)
                paces.append(pace)
                ends.append(pace * (running.epochs - len(state.records)))
            ends += [0.0] * (self.limit - len(ends))  # free places (a run is about to take one)
            if not ends:
                return None  # no place at all (a limit of 0)
            heapq.heapify(ends)
            pace = sum(paces) / len(paces) if paces else 0.0
            for ahead in self._queue:
                start = heapq.heappop(ends)
                if ahead is job:
                    return start
                heapq.heappush(ends, start + pace * ahead.epochs)
        return None

    @property
    def queued(self) -> int:
        with self._lock:
            self._prune()
            return len(self._queue)

    def _threads(self, count: int) -> int:
        """Each run's share of the cores when `count` (1 or more) runs train at once."""
        return max(1, self.cores // count)

    def _refill(self) -> None:
        with self._lock:
            if self._spare is not None or self._closed:
                return  # a spare is there already: starting another costs seconds of CPU
        worker = self._spawn()
        with self._lock:
            if self._spare is None and not self._closed:
                self._spare, worker = worker, None
        if worker is not None:
            worker.stdin.close()  # not needed after all: it exits when warm

    def _release(self, job: Job) -> None:
        with self._lock:
            self._running.discard(job)
            self._prune()
            # the next in line takes the spare (refilled below) or, if none, a new worker
            while self._queue and not self._closed and not self._launch(self._queue.pop(0)):
                pass
            for other in self._running:
                other.share(self._threads(len(self._running)))
            closed = self._closed
        if not closed:
            self._refill()

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def close(self, timeout: float = 30.0) -> None:
        """Cancel the queue, stop every run and end every worker (the spare included), waiting
        up to `timeout` seconds for them before killing what is left."""
        with self._lock:
            self._closed = True
            for job in self._queue:
                job.stop()
            self._queue.clear()
            running, spare, self._spare = list(self._running), self._spare, None
        for job in running:
            job.stop()
        deadline = time.monotonic() + timeout
        for job in running:
            job.join(max(0.0, deadline - time.monotonic()))
        workers = [j.worker for j in running if j.worker is not None] + ([spare] if spare else [])
        if spare is not None:
            spare.stdin.close()  # it ends once warm, without a request
        for worker in workers:
            try:
                worker.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
