"""Training on a Ray cluster: each training is a Ray generator task whose events stream back.

Where it trains is chosen at the edge: `MNIST49_RAY_ADDRESS` (the app) or `--ray ADDRESS` (the
CLI's train and sweep). Without either, nothing here runs and Ray is never imported.

A task trains with `train.fit` or `replicates.fit_replicates` on a node of the cluster and yields
the events they report (events.py: picklable dataclasses), then the results. This process, the
driver, feeds them to record.py exactly as a local fit's: the run folder is written here, so
the cluster needs no shared filesystem. Each node reads (or downloads) the digits itself, from
its own project install (`uv sync --extra cluster`).

Importing this module imports neither Ray nor torch (the app's server reads `address` early).
Stop reaches a task through a flag in the cluster's key-value store, which it reads between
batches; a task lost with its node raises `Lost`, and its run becomes interrupted ("lost").
"""

from __future__ import annotations

import contextvars
import functools
import json
import math
import os
import queue
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mnist49 import runs
from mnist49.training import events
from mnist49.config import Config
from mnist49.runs.status import mark_ended, status_files
from mnist49.runs.writer import WEIGHTS_EVERY

if TYPE_CHECKING:
    from mnist49.runs import Run
    from mnist49.runs.sweep import Sweep, SweepRun
    from mnist49.training.train import FitResult, Split

ENV = "MNIST49_RAY_ADDRESS"
INSTALL = "training on a Ray cluster needs Ray, the project's cluster extra: uv sync --extra cluster"
BATCH_EVERY = 0.5  # seconds between the batch events a task sends (each is a message to the driver)
POLL = 0.25  # seconds between a task's looks at its stop flag, and the driver's at its Stop


class ClusterError(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


class Lost(RuntimeError):
    """The task training a run was lost (its node or its worker process went away)."""

    def __init__(self, pid: int, host: str, why: str):
        self.pid, self.host = pid, host
        super().__init__(f"the process training it (pid {pid} on {host}) is gone: {why}")


def address() -> str | None:
    """The cluster the app trains on (MNIST49_RAY_ADDRESS), or None: this machine."""
    return os.environ.get(ENV) or None


def _ray():
    # Under `uv run`, Ray 2.4x+ has every worker run `uv run` again, which rebuilds an
    # environment without the cluster extra and so without Ray: the workers die at start. The
    # nodes' own interpreter (the project's .venv) is the right one.
    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    try:
        import ray
    except ImportError as e:
        raise ClusterError(INSTALL) from e
    return ray


_joining = threading.Lock()  # the app's jobs may all join at once, from threads of their own


def connect(where: str) -> Any:
    """Join the cluster at `where` (auto, host:6379, ray://host:10001) once per process; the
    remote training function, ready to call."""
    ray = _ray()
    with _joining:
        if ray.is_initialized():
            return _remote()
        try:
            ray.init(address=where, logging_level="warning", log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise ClusterError(f"cannot reach the Ray cluster at {where!r}: {e}") from e
    return _remote()


@functools.cache
def _remote() -> Any:
    # no retries: a run retried from scratch would record its epochs twice; lost is said instead
    return _ray().remote(num_cpus=1, max_retries=0)(_train_task)


def capacity() -> int:
    """How many trainings the cluster runs at once: one per CPU it has."""
    return max(1, int(_ray().cluster_resources().get("CPU", 1)))


class _Flag(events.Stop):
    """A task's Stop: the driver's flag in the cluster's key-value store, read every POLL s."""

    def __init__(self, key: str):
        from ray.experimental import internal_kv

        super().__init__()
        self.key, self.kv, self.seen = key, internal_kv, 0.0

    def is_set(self) -> bool:
        if not super().is_set() and time.monotonic() - self.seen > POLL:
            self.seen = time.monotonic()
            if self.kv._internal_kv_exists(self.key):
                self.set()
        return super().is_set()


def _cpu(state: dict) -> dict:
    return {k: v.cpu() for k, v in state.items()}


def _train_task(kind: str, configs: list[dict], key: str, probs: bool) -> Iterator[tuple]:
    """A Ray generator task: trains on this node, yielding ("hello", pid, host, node id), then ("event",
    event) as training reports, then ("result", [(state, history, status, test_logits)]) or
    ("error", exception)."""
    import ray

    from mnist49.training import replicates
    from mnist49.training.train import fit, prepare

    yield ("hello", os.getpid(), socket.gethostname(), ray.get_runtime_context().get_node_id())
    configs_ = [Config.from_dict(c) for c in configs]
    stop, out = _Flag(key), queue.Queue()
    sent: dict = {}  # when each kind of throttled news was last sent (monotonic)

    def every(seconds: float, kind, event) -> None:
        """Send `event` if `seconds` have passed since the last of its `kind`: a batch event per
        batch would flood the driver, and the weights are only written every WEIGHTS_EVERY."""
        if time.monotonic() - sent.get(kind, -math.inf) >= seconds:
            sent[kind] = time.monotonic()
            out.put(("event", event))

    def send(event: events.Event) -> None:
        if isinstance(event, events.BatchDone):
            every(BATCH_EVERY, "batch", event)
        elif isinstance(event, events.Weights):
            every(WEIGHTS_EVERY, ("weights", event.replicate), event)
        else:
            out.put(("event", event))

    def train() -> None:
        try:
            if kind == "fit":
                results = [fit(configs_[0], prepare(configs_[0]), send, stop, probs)]
            else:
                splits = [prepare(c) for c in configs_] if configs_[0].vary_data else prepare(configs_[0])
                results = replicates.fit_replicates(configs_, splits, send, stop, probs)
            out.put(
                (
                    "result",
                    [(_cpu(r.model.state_dict()), r.history, r.status, r.test_logits) for r in results],
                )
            )
        except Exception as e:  # said to the driver, which raises it as a local fit would
            out.put(("error", e))

    threading.Thread(target=train, daemon=True).start()
    while True:
        item = out.get()
        yield item
        if item[0] in ("result", "error"):
            return


def _stream(
    kind: str,
    configs: Sequence[Config],
    stop: events.Stop | None,
    probs: bool,
    replay: events.Sink,
    placed: list,
) -> list:
    """Run one training task on the cluster, `replay`ing its events here as they come, its
    place (node id, pid, host) added to `placed`; its FitResults, with the models rebuilt here
    on the CPU."""
    import torch

    from mnist49.training.train import FitResult, make_model

    ray = _ray()
    # the key-value store every node reaches: a flag costs no process (an actor would)
    from ray.experimental import internal_kv

    key, done = f"mnist49-stop-{uuid.uuid4().hex}", threading.Event()

    def watch() -> None:  # the driver's Stop is set here (a page, Ctrl-C): the task reads the flag
        while not done.wait(POLL):
            if stop is not None and stop.is_set():
                internal_kv._internal_kv_put(key, b"stop")
                return

    threading.Thread(target=watch, daemon=True).start()
    pid, host = 0, "?"
    try:
        for ref in _remote().remote(kind, [c.to_dict() for c in configs], key, probs):
            item = ray.get(ref)
            if item[0] == "hello":
                pid, host = item[1], item[2]
                placed.append((item[3], pid, host))
            elif item[0] == "event":
                replay(item[1])
            elif item[0] == "error":
                raise item[1]
            else:
                results = []
                for config, (state, history, status, logits) in zip(configs, item[1], strict=True):
                    model = make_model(config, torch.device("cpu"))
                    model.load_state_dict(state)
                    results.append(FitResult(model, history, status, logits))
                return results
        raise Lost(pid, host, "its stream ended without results")
    except ray.exceptions.RayTaskError as e:  # the task itself raised, outside training
        raise ClusterError(f"training on the cluster failed: {e}") from e
    except ray.exceptions.RayError as e:
        raise Lost(pid, host, type(e).__name__) from e
    finally:
        done.set()
        internal_kv._internal_kv_del(key)


def _fit(
    placed: list, config: Config, split: Split, to=None, stop: events.Stop | None = None, probs: bool = False
) -> FitResult:
    """train.fit, on the cluster (the task prepares its own split, the same as `split`)."""
    return _stream("fit", [config], stop, probs, events.sink(to), placed)[0]


def _fit_replicates(
    placed: list,
    configs: Sequence[Config],
    splits,
    to=None,
    stop: events.Stop | None = None,
    probs: bool = False,
) -> list[FitResult]:
    """replicates.fit_replicates, as one task on the cluster (on its node's share of cores)."""
    return _stream("replicates", configs, stop, probs, events.sink(to), placed)


@contextmanager
def fitting(where: str, placed: list | None = None) -> Iterator[list[tuple[str, int, str]]]:
    """Within it, record.py's trainings (train_run, train_together, so sweeps too) run as tasks
    on the cluster at `where`, in this thread. Yields the list (`placed`, or a new one) of
    where each task ran, as (node id, pid, host), added to as they start."""
    from mnist49.runs import record

    connect(where)
    placed = [] if placed is None else placed
    token = record.FITTERS.set((functools.partial(_fit, placed), functools.partial(_fit_replicates, placed)))
    try:
        yield placed
    finally:
        record.FITTERS.reset(token)


def train_run(
    where: str, config: Config, runs_dir: Path | str, to=None, stop: events.Stop | None = None
) -> tuple[Run, float]:
    """record.train_run (same arguments) on the cluster at `where`. A run whose task was lost
    is recorded as interrupted (status.REASONS["lost"]) with its finished epochs, and returned."""
    from mnist49.runs import record

    emit, started = events.sink(to), []

    def seen(event: events.Event) -> None:
        if isinstance(event, events.RunStarted):
            started.append(event.path)
        emit(event)

    begin = time.perf_counter()
    with fitting(where):
        try:
            return record.train_run(config, runs_dir, seen, stop)
        except Lost as lost:
            mark_lost(started[0], lost)
            run = runs.load_run(started[0])
            emit(events.RunEnded(run.status, run.message, run.reason, run.facts, str(run.path)))
            return run, time.perf_counter() - begin


def mark_lost(path: Path | str, lost: Lost) -> None:
    """A run (or sweep) folder whose task was lost: it and everything in it that had not
    finished become interrupted, keeping their finished epochs."""
    for status in status_files(path):
        if json.loads(status.read_text()).get("status") != "finished":
            mark_ended(status, "interrupted", "lost", pid=lost.pid, host=lost.host)


def train_sweep(
    where: str,
    planned: Sweep,
    runs_dir: Path | str,
    to=None,
    stop: events.Stop | None = None,
    placed: list | None = None,
) -> tuple[SweepRun, float]:
    """sweep.train_sweep (same events) on the cluster at `where`: each value, its seeds batched,
    is a task of its own, all sent at once, so that they spread over the nodes (one machine
    batches values together instead). A value whose task was lost is interrupted, and so is the
    sweep; the other values go on. `placed`: as fitting's."""
    from mnist49.runs import record, sweep
    from mnist49.runs.sweep import SweepWriter, load_sweep

    writer = SweepWriter(runs_dir, planned)
    lock, lost, errors, emit = threading.Lock(), [], [], events.sink(to)

    def locked(event: events.Event) -> None:  # the values report from threads of their own
        with lock:
            emit(event)

    emit(events.RunStarted(str(writer.path)))
    beats = sweep.beats(writer)

    def value(i: int) -> None:
        config, name = planned.configs[i], planned.names[i]
        try:
            (run,), _ = record.train_together(
                [config], [writer.path], [beats, sweep.values_of([i], locked)], stop, names=[name]
            )
        except Lost as e:
            mark_lost(writer.path / name, e)
            lost.append(e)
            run = runs.load_run(writer.path / name)
        except Exception as e:  # raised below, in the caller's thread
            errors.append(e)
            return
        with lock:
            writer.write("running")
            emit(sweep.value_ended(i, run))

    with fitting(where, placed), record.marks_an_error(writer.write):
        threads = [
            threading.Thread(target=contextvars.copy_context().run, args=(value, i), daemon=True)
            for i in range(len(planned.configs))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    reason, facts = "", {}
    if stop is not None and stop.is_set():
        reason, facts = stop.reason()
        writer.write("stopped", reason, facts)
    elif lost:
        reason, facts = "lost", {"pid": lost[0].pid, "host": lost[0].host}
        writer.write("interrupted", reason, facts)
    else:
        writer.write("finished")
    found = load_sweep(writer.path)
    emit(events.RunEnded(found.status, found.message, reason, facts, str(found.path)))
    return found, found.seconds
