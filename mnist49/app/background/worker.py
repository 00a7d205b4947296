"""A training process for the app: one run, driven by JSON lines on stdin and stdout.

Why a process and not a thread of the server: the training loop makes hundreds of short calls
into torch per batch, each releasing and re-taking the GIL; any busy Python thread in the
server (redrawing a chart, serving a tab) then delays every one of them, and a run took up to
six times longer than through the CLI (benchmarks/ui_overhead.py).

    parent -> child   {"config": {...}, "runs_dir": "...", "abandon_after": 30, "threads": 2,
                       "sweep": {...} (only for a sweep of the config: see sweep.Sweep.to_dict)}
                      "alive" (the tab is still open), "stop",
                      "threads N" (train on N threads from the next batch: another run began
                      or ended, see pool.JobPool)
    child -> parent   the training's events (events.py), one `events.to_json` line each:
                      RunStarted, EpochEnded (a sweep's with their value), BatchDone (within a
                      long epoch, at most every PROGRESS seconds), Hardest (instead of the
                      probabilities), a sweep's values' RunEnded, and last the RunEnded

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
from collections.abc import Callable, Iterable

import torch

from mnist49 import data
from mnist49.config import Config, ConfigError
from mnist49.runs import cluster
from mnist49.runs.record import train_run
from mnist49.runs.sweep import Sweep, SweepError, train_sweep
from mnist49.training import evaluate, events
from mnist49.training.train import DeviceError, fit, prepare

LONG_EPOCH = 2.0  # seconds into an epoch after which its batches are counted on the page
PROGRESS = 1.0  # seconds between those counts
WATCH = 1.0  # seconds between looks at whether the tab still says it is open


def listen(stop: events.Stop, lines: Iterable[str], abandon_after: float, share: bool = True) -> None:
    """Say the server's lines into `stop`, from threads of their own: "stop" (the user), stdin
    closed ("gone"), no line for `abandon_after` seconds ("abandoned"); with `share`, "threads N"
    sets the threads it trains on (taken between batches: see train.stopped)."""
    seen = [time.monotonic()]

    def read() -> None:
        for line in lines:
            command = line.strip()
            if command == "stop":
                stop.stop("user")
            elif share and command.startswith("threads "):
                stop.threads = int(command.split()[1])
            seen[0] = time.monotonic()
        stop.stop("gone")

    def watch() -> None:  # a tab that stopped touching the run has gone
        while not stop.wait(WATCH):
            if time.monotonic() - seen[0] > abandon_after:
                stop.stop("abandoned", seconds=abandon_after)

    threading.Thread(target=read, daemon=True).start()
    threading.Thread(target=watch, daemon=True).start()


def send(event: events.Event) -> None:
    """One event to the server; once it has gone, nothing (the run still ends and is saved)."""
    try:
        sys.stdout.write(events.to_json(event) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        # the server has gone: point stdout at nothing, or Python's flush at exit would raise
        # (and print) the same error again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class Progress:
    """Passes on to `send` the BatchDone of an epoch that has run for more than LONG_EPOCH
    seconds, at most every PROGRESS seconds (short epochs send none)."""

    def __init__(self, send: Callable[[events.Event], None]) -> None:
        self.send, self.epoch, self.began = send, 0, time.monotonic()
        self.sent = self.began

    def __call__(self, batch: events.BatchDone) -> None:
        now = time.monotonic()
        if batch.epoch != self.epoch:
            self.epoch, self.began = batch.epoch, now
        elif now - self.began > LONG_EPOCH and now - self.sent > PROGRESS:
            self.sent = now
            self.send(batch)


def sender(send: Callable[[events.Event], None], digits: tuple[int, ...]) -> events.Sink:
    """The sink that sends a training's events on to the server, as the module's docstring says."""
    progress = Progress(send)

    def sent(event: events.Event) -> None:
        if isinstance(event, events.BatchDone):
            progress(event)
        elif isinstance(event, events.Probs):
            rows = evaluate.hardest(event.probs, event.index, digits).values.tolist()
            send(events.Hardest(tuple((int(i), int(d), float(c)) for i, d, c in rows)))
        elif not isinstance(event, events.Weights):
            send(event)

    return sent


def serve(
    request: dict, stop: events.Stop, send: Callable[[events.Event], None], where: str | None = None
) -> None:
    """Train what `request` asks (a run or a sweep), here or on the Ray cluster at `where`,
    sending its events; a failure is sent as a failed RunEnded."""
    try:
        config = Config.from_dict(request["config"])
        to = sender(send, config.digits)
        if request.get("sweep"):
            planned = Sweep.from_dict(request["sweep"])
            if where:
                cluster.train_sweep(where, planned, request["runs_dir"], to, stop)
            else:
                train_sweep(planned, request["runs_dir"], to, stop)
        elif where:
            cluster.train_run(where, config, request["runs_dir"], to, stop)
        else:
            train_run(config, request["runs_dir"], to, stop)
    except (data.DataError, ConfigError, DeviceError, SweepError, cluster.ClusterError) as e:
        send(events.RunEnded("failed", str(e)))
    except Exception as e:  # a bug or out of memory: said on the page, not as a traceback
        send(events.RunEnded("failed", f"training failed: {type(e).__name__}: {e}"))


def warm_up() -> None:
    """While waiting for a request: one batch of the recipe through `fit`, so that the digits,
    torch's lazy imports and oneDNN's kernels for these shapes are ready at Train."""
    config = Config(device="cpu", epochs=1, train_size=Config().batch_size)
    fit(config, prepare(config))


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()
    line = sys.stdin.readline()
    if not line:
        return 0
    request = json.loads(line)
    if request.get("threads"):
        torch.set_num_threads(request["threads"])  # the pool's share of the cores
    stop = events.Stop()
    listen(stop, sys.stdin, request["abandon_after"])
    signal.signal(signal.SIGTERM, lambda *_: stop.stop("interrupted", signal="SIGTERM"))
    serve(request, stop, send)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
