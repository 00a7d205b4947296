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

from mnist49.app.background import worker
from mnist49.app.background.pool import JobPool
from mnist49.runs import cluster
from mnist49.training import events

# A class of 100 on one node of 4 cores waits in line rather than being turned away: 25 rounds
# of a recipe run is a wait of a few minutes at most (docs/scaling.md)
ROUNDS = 25


class ClusterWorker:
    """Stands in for a worker process (subprocess.Popen's stdin, stdout, wait, kill, poll)."""

    def __init__(self, where: str):
        self.where = where
        into, self._from_job = os.pipe()
        self._to_job, out = os.pipe()
        self.stdin = open(self._from_job, "w", buffering=1)  # noqa: SIM115 (closed by the job)
        self.stdout = open(self._to_job)  # noqa: SIM115 (read to its end by the job)
        self._lines, self._out = open(into), open(out, "w", buffering=1)  # noqa: SIM115
        self._stop: events.Stop | None = None
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
        if self._stop is not None:
            self._stop.stop("interrupted", signal="SIGKILL")

    def _send(self, event: events.Event) -> None:
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):  # the job has gone: the
            self._out.write(events.to_json(event) + "\n")  # run still ends and is saved

    def _main(self) -> None:
        try:
            line = self._lines.readline()
            if line:
                self._train(json.loads(line))
        finally:
            self.returncode = 0
            self._out.close()

    def _train(self, request: dict) -> None:
        # "threads N" shares out a worker's own cores: this one's training runs on a node
        self._stop = stop = events.Stop()
        worker.listen(stop, self._lines, request["abandon_after"], share=False)
        worker.serve(request, stop, self._send, self.where)


def pool(where: str, cap: int | None = None) -> JobPool:
    """The app's pool of trainings on the cluster at `where`: as many at once as it has CPUs,
    and by default a queue of ROUNDS times that (at least the local pool's 20)."""
    cluster.connect(where)
    limit = cluster.capacity()
    cap = max(20, ROUNDS * limit) if cap is None else cap
    return JobPool(limit, cores=limit, cap=cap, spawn=lambda: ClusterWorker(where))
