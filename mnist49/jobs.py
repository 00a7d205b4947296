"""Training in a background thread, for the app: start, poll, stop; never touches the UI.

A page starts a `Job` through the server-wide `JobPool` (which caps how many train at once),
polls `snapshot()` to draw, and calls `touch()` while its tab is open: a job nobody has looked
at for `abandon_after` seconds stops itself, so a closed tab does not train forever.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mnist49.config import Config, ConfigError
from mnist49.data import DataError
from mnist49.runs import train_run
from mnist49.train import DeviceError, EpochRecord


@dataclass(frozen=True)
class JobState:
    status: str  # starting, running, finished, stopped, diverged, failed
    records: tuple[EpochRecord, ...]
    error: str  # why it failed or stopped, in words; "" otherwise
    run_path: Path | None  # the run folder, once training has begun
    elapsed: float  # seconds since start

    @property
    def done(self) -> bool:
        return self.status not in ("starting", "running")


class Job:
    def __init__(self, config: Config, runs_dir: Path | str, abandon_after: float = 30.0,
                 on_exit=None):
        self.config, self.runs_dir, self.abandon_after = config, Path(runs_dir), abandon_after
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._records: list[EpochRecord] = []
        self._status, self._error, self._run_path = "starting", "", None
        self._start = self._seen = time.monotonic()
        self._on_exit = on_exit
        self._thread = threading.Thread(target=self._work, name="mnist49-train", daemon=True)

    def start(self) -> Job:
        self._thread.start()
        return self

    def is_set(self) -> bool:
        """The stop signal `fit` checks between batches: asked to stop, or abandoned."""
        if not self._stop.is_set() and time.monotonic() - self._seen > self.abandon_after:
            self._error = f"stopped: nobody watched it for {self.abandon_after:.0f} s (tab closed?)"
            self._stop.set()
        return self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()

    def touch(self) -> None:
        self._seen = time.monotonic()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def snapshot(self) -> JobState:
        with self._lock:
            return JobState(self._status, tuple(self._records), self._error, self._run_path,
                            time.monotonic() - self._start)

    def _on_epoch(self, record: EpochRecord) -> None:
        with self._lock:
            self._records.append(record)

    def _on_start(self, path: Path) -> None:
        with self._lock:
            self._status, self._run_path = "running", path

    def _work(self) -> None:
        try:
            run, _ = train_run(self.config, self.runs_dir, [self._on_epoch], stop=self,
                               on_start=self._on_start)
            with self._lock:
                self._status, self._run_path = run.status, run.path
                if run.status == "diverged":
                    self._error = run.message
        except (DataError, ConfigError, DeviceError) as e:
            self._finish_failed(str(e))
        except Exception as e:  # a bug or out of memory: say so on the page, not in a traceback
            self._finish_failed(f"training failed: {type(e).__name__}: {e}")
        finally:
            if self._on_exit:
                self._on_exit(self)

    def _finish_failed(self, message: str) -> None:
        with self._lock:
            self._status, self._error = "failed", message


class PoolFull(RuntimeError):
    """Too many trainings are running on this server."""


class JobPool:
    """The trainings of one server: at most `limit` at once."""

    def __init__(self, limit: int = 3):
        self.limit = limit
        self._running: set[Job] = set()
        self._lock = threading.Lock()

    def start(self, config: Config, runs_dir: Path | str, abandon_after: float = 30.0) -> Job:
        with self._lock:
            if len(self._running) >= self.limit:
                raise PoolFull(f"{len(self._running)} trainings are already running on this "
                               f"server (the limit is {self.limit}); try again when one ends")
            job = Job(config, runs_dir, abandon_after, on_exit=self._release)
            self._running.add(job)
        return job.start()

    def _release(self, job: Job) -> None:
        with self._lock:
            self._running.discard(job)

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._running)
