"""A training process for the app: one run, driven by JSON lines on stdin and stdout.

Why a process and not a thread of the server: the training loop makes hundreds of short calls
into torch per batch, each releasing and re-taking the GIL; any busy Python thread in the
server (redrawing a chart, serving a tab) then delays every one of them, and a run took up to
six times longer than through the CLI (benchmarks/ui_overhead.py).

    parent -> child   {"config": {...}, "runs_dir": "...", "abandon_after": 30, "threads": 2,
                       "sweep": {...} (only for a sweep of the config: see sweep.Sweep.to_dict)}
                      "alive" (the tab is still open), "stop",
                      "threads N" (train on N threads from the next batch: another run began
                      or ended, see jobs.JobPool)
    child -> parent   {"start": path}, {"epoch": {...}}, {"hardest": [[index, predicted, confidence], ...]},
                      {"batch": [epoch, batches done, batches]} (at most every PROGRESS seconds),
                      a sweep: {"start": its folder}, then for each epoch of each value
                      {"value": [value index, {replicate: {...}}]} and {"epoch": {...}} (the mean),
                      {"end": status, "message": ..., "reason": a key of status.REASONS or "",
                       "facts": {...}}

The worker belongs to the server: Ctrl-C in the server's terminal reaches it too, but the
server decides, so it ignores SIGINT; when the server goes, its stdin closes and the run stops
as "the app went away". SIGTERM stops the run as interrupted. Neither leaves a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict

import torch

from mnist49 import data, evaluate
from mnist49.config import Config, ConfigError
from mnist49.record import train_run
from mnist49.runs import Stop
from mnist49.seeds import mean
from mnist49.sweep import Sweep, SweepError, train_sweep
from mnist49.train import DeviceError, fit, prepare

LONG_EPOCH = 2.0  # seconds into an epoch after which its batches are counted on the page
PROGRESS = 1.0  # seconds between those counts


class Signals(Stop):
    """The run's Stop, said by the server: a "stop" line, stdin closed, or no "alive" for a while.

    `fit` checks it between batches, on the training thread; that is also where a "threads N"
    line takes effect, since OpenMP's thread count belongs to the thread that sets it.
    """

    def __init__(self, abandon_after: float, lines: Iterable[str] = sys.stdin):
        super().__init__()
        self.abandon_after, self.seen = abandon_after, time.monotonic()
        threading.Thread(target=self._listen, args=(lines,), daemon=True).start()

    def _listen(self, lines: Iterable[str]) -> None:
        for line in lines:
            command = line.strip()
            if command == "stop":
                self.stop("user")
            elif command.startswith("threads "):
                self.threads = int(command.split()[1])
            self.seen = time.monotonic()
        self.stop("gone")

    def is_set(self) -> bool:
        if self.threads and self.threads != torch.get_num_threads():
            torch.set_num_threads(self.threads)
        if not super().is_set() and time.monotonic() - self.seen > self.abandon_after:
            self.stop("abandoned", seconds=self.abandon_after)
        return super().is_set()


def send(**message) -> None:
    """One line to the server; once it has gone, nothing (the run still ends and is saved)."""
    try:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        # the server has gone: point stdout at nothing, or Python's flush at exit would raise
        # (and print) the same error again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class Progress:
    """An on_batch callback sending the batches done within an epoch that has run for more than
    LONG_EPOCH seconds, at most every PROGRESS seconds (short epochs send nothing)."""

    def __init__(self) -> None:
        self.epoch, self.began = 0, time.monotonic()
        self.sent = self.began

    def __call__(self, epoch: int, done: int, batches: int) -> None:
        now = time.monotonic()
        if epoch != self.epoch:
            self.epoch, self.began = epoch, now
        elif now - self.began > LONG_EPOCH and now - self.sent > PROGRESS:
            self.sent = now
            send(batch=[epoch, done, batches])


def warm_up() -> None:
    """While waiting for a request: one batch of the recipe through `fit`, so that the digits,
    torch's lazy imports and oneDNN's kernels for these shapes are ready at Train."""
    config = Config(device="cpu", epochs=1, train_size=Config().batch_size)
    fit(config, prepare(config))


def _sweep(sweep: Sweep, runs_dir: str, signals: Signals) -> None:
    def value_epoch(i: int, records: dict) -> None:
        send(value=[i, {r: asdict(rec) for r, rec in records.items()}])
        send(epoch=asdict(mean(records)))

    found, _ = train_sweep(
        sweep,
        runs_dir,
        stop=signals,
        on_start=lambda path: send(start=str(path)),
        on_epoch=[value_epoch],
        on_batch=[Progress()],
    )
    send(
        end=found.status,
        message=found.message,
        reason=signals.why if found.status == "stopped" else "",
        facts=signals.facts if found.status == "stopped" else {},
    )


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()
    line = sys.stdin.readline()
    if not line:
        return 0
    request = json.loads(line)
    if request.get("threads"):
        torch.set_num_threads(request["threads"])  # the pool's share of the cores
    signals = Signals(request["abandon_after"])
    signal.signal(signal.SIGTERM, lambda *_: signals.stop("interrupted", signal="SIGTERM"))
    try:
        config = Config.from_dict(request["config"])
        if request.get("sweep"):
            _sweep(Sweep.from_dict(request["sweep"]), request["runs_dir"], signals)
            return 0
        run, _ = train_run(
            config,
            request["runs_dir"],
            [lambda r: send(epoch=asdict(r))],
            stop=signals,
            on_start=lambda path: send(start=str(path)),
            on_probs=[
                lambda p: send(hardest=evaluate.hardest(p.probs, p.index, config.digits).values.tolist())
            ],
            on_batch=[Progress()],
            on_spread=[lambda records: send(spread={r: asdict(rec) for r, rec in records.items()})],
        )
        send(end=run.status, message=run.message, reason=run.reason, facts=run.facts)
    except (data.DataError, ConfigError, DeviceError, SweepError) as e:
        send(end="failed", message=str(e))
    except Exception as e:  # a bug or out of memory: said on the page, not as a traceback
        send(end="failed", message=f"training failed: {type(e).__name__}: {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
