"""The app's training worker for a Ray cluster: worker.py's protocol, spoken by a thread of the
server whose training runs as a task on the cluster (cluster.py).

jobs.Job talks to a worker through its stdin and stdout; `ClusterWorker` gives it the same two
pipes and ends, so a job, its queue, Stop and the pages work unchanged, and the run folder is
written in the server from the task's events. It costs the server a thread, not a process:
the training itself is on the cluster.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mnist49 import cluster, data, evaluate, worker
from mnist49.config import Config, ConfigError
from mnist49.jobs import JobPool
from mnist49.seeds import mean
from mnist49.sweep import Sweep, SweepError
from mnist49.train import DeviceError

# A class of 100 on one node of 4 cores waits in line rather than being turned away: 25 rounds
# of a recipe run is a wait of a few minutes at most (docs/scaling.md)
ROUNDS = 25


class _Signals(worker.Signals):
    """worker.py's Stop ("stop", the tab gone or abandoned), minus its thread count: "threads N"
    shares out a worker's own cores, and this one's training runs on a node of the cluster."""

    def is_set(self) -> bool:
        self.threads = 0
        return super().is_set()


class ClusterWorker:
    """Stands in for a worker process (subprocess.Popen's stdin, stdout, wait, kill, poll)."""

    def __init__(self, where: str):
        self.where = where
        into, self._from_job = os.pipe()
        self._to_job, out = os.pipe()
        self.stdin = open(self._from_job, "w", buffering=1)  # noqa: SIM115 (closed by the job)
        self.stdout = open(self._to_job)  # noqa: SIM115 (read to its end by the job)
        self._lines, self._out = open(into), open(out, "w", buffering=1)  # noqa: SIM115
        self._signals: _Signals | None = None
        self.returncode: int | None = None
        self._thread = threading.Thread(target=self._main, name="mnist49-cluster-worker", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> int:
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise subprocess.TimeoutExpired("cluster worker", timeout or 0)
        return 0

    def poll(self) -> int | None:
        return self.returncode

    def kill(self) -> None:
        if self._signals is not None:
            self._signals.stop("interrupted", signal="SIGKILL")

    def _send(self, **message: Any) -> None:
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):  # the job has gone: the
            self._out.write(json.dumps(message) + "\n")  # run still ends and is saved

    def _main(self) -> None:
        try:
            line = self._lines.readline()
            if line:
                self._train(json.loads(line))
        finally:
            self.returncode = 0
            self._out.close()

    def _train(self, request: dict) -> None:
        self._signals = signals = _Signals(request["abandon_after"], self._lines)
        progress = _Progress(self._send)
        try:
            config = Config.from_dict(request["config"])
            if request.get("sweep"):
                self._sweep(Sweep.from_dict(request["sweep"]), request["runs_dir"], progress)
                return
            run, _ = cluster.train_run(
                self.where,
                config,
                request["runs_dir"],
                [lambda r: self._send(epoch=asdict(r))],
                stop=signals,
                on_start=lambda path: self._send(start=str(path)),
                on_probs=[
                    lambda p: self._send(
                        hardest=evaluate.hardest(p.probs, p.index, config.digits).values.tolist()
                    )
                ],
                on_batch=[progress],
                on_spread=[lambda records: self._send(spread={r: asdict(e) for r, e in records.items()})],
            )
            self._send(end=run.status, message=run.message, reason=run.reason, facts=run.facts)
        except (data.DataError, ConfigError, DeviceError, SweepError, cluster.ClusterError) as e:
            self._send(end="failed", message=str(e))
        except Exception as e:  # a bug: said on the page, not as a traceback
            self._send(end="failed", message=f"training failed: {type(e).__name__}: {e}")

    def _sweep(self, planned: Sweep, runs_dir: str, progress: _Progress) -> None:
        signals = self._signals

        def value_epoch(i: int, records: dict) -> None:
            self._send(value=[i, {r: asdict(rec) for r, rec in records.items()}])
            self._send(epoch=asdict(mean(records)))

        found, _ = cluster.train_sweep(
            self.where,
            planned,
            Path(runs_dir),
            stop=signals,
            on_start=lambda path: self._send(start=str(path)),
            on_epoch=[value_epoch],
            on_batch=[progress],
        )
        stopped = found.status == "stopped"
        self._send(
            end=found.status,
            message=found.message,
            reason=signals.why if stopped else "",
            facts=signals.facts if stopped else {},
        )


class _Progress:
    """worker.Progress, sending through a ClusterWorker: the batches done in a long epoch."""

    def __init__(self, send) -> None:
        self.send, self.epoch, self.began, self.sent = send, 0, time.monotonic(), 0.0

    def __call__(self, epoch: int, done: int, batches: int) -> None:
        now = time.monotonic()
        if epoch != self.epoch:
            self.epoch, self.began = epoch, now
        elif now - self.began > worker.LONG_EPOCH and now - self.sent > worker.PROGRESS:
            self.sent = now
            self.send(batch=[epoch, done, batches])


def pool(where: str, cap: int | None = None) -> JobPool:
    """The app's pool of trainings on the cluster at `where`: as many at once as it has CPUs,
    and by default a queue of ROUNDS times that (at least the local pool's 20)."""
    cluster.connect(where)
    limit = cluster.capacity()
    cap = max(20, ROUNDS * limit) if cap is None else cap
    return JobPool(limit, cores=limit, cap=cap, spawn=lambda: ClusterWorker(where))
