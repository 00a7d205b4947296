"""A training process for the app: one run, driven by JSON lines on stdin and stdout.

Why a process and not a thread of the server: the training loop makes hundreds of short calls
into torch per batch, each releasing and re-taking the GIL; any busy Python thread in the
server (redrawing a chart, serving a tab) then delays every one of them, and a run took up to
six times longer than through the CLI (benchmarks/ui_overhead.py).

    parent -> child   {"config": {...}, "runs_dir": "...", "abandon_after": 30}
                      "alive" (the tab is still open), "stop"
    child -> parent   {"start": path}, {"epoch": {...}}, {"hardest": [[index, predicted, confidence], ...]},
                      {"end": status, "message": ..., "reason": a key of runs.REASONS or "",
                       "facts": {...}}
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import asdict

import torch

from mnist49 import data, evaluate, runs
from mnist49.config import Config, ConfigError
from mnist49.runs import train_run
from mnist49.train import DeviceError, fit, prepare


class Signals:
    """The stop signal `fit` checks: a "stop" line, stdin closed, or no "alive" for a while."""

    def __init__(self, abandon_after: float):
        self.abandon_after, self.seen, self.why = abandon_after, time.monotonic(), ""
        self._stop = threading.Event()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        for line in sys.stdin:
            if line.strip() == "stop":
                self.why = self.why or "user"
                self._stop.set()
            self.seen = time.monotonic()
        self.why = self.why or "gone"
        self._stop.set()

    def is_set(self) -> bool:
        if not self._stop.is_set() and time.monotonic() - self.seen > self.abandon_after:
            self.why = "abandoned"
            self._stop.set()
        return self._stop.is_set()


def send(**message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def warm_up() -> None:
    """While waiting for a request: one batch of the recipe through `fit`, so that the digits,
    torch's lazy imports and oneDNN's kernels for these shapes are ready at Train."""
    config = Config(device="cpu", epochs=1, train_size=Config().batch_size)
    fit(config, prepare(config))


def main() -> int:
    # Every core, as the CLI uses. This once left a core to the server and the browser, when
    # they were busy enough to stall OpenMP's threads; now that a redraw costs them little, two
    # threads train faster than one here (benchmarks/ui_overhead.py: app/CLI 1.19 against 1.70).
    threads = int(os.environ.get("MNIST49_WORKER_THREADS", 0))
    if threads:
        torch.set_num_threads(threads)
    warm_up()
    line = sys.stdin.readline()
    if not line:
        return 0
    request = json.loads(line)
    signals = Signals(request["abandon_after"])
    try:
        config = Config.from_dict(request["config"])
        run, _ = train_run(
            config, request["runs_dir"], [lambda r: send(epoch=asdict(r))], stop=signals,
            on_start=lambda path: send(start=str(path)),
            on_probs=[lambda p: send(hardest=evaluate.hardest(p.probs, p.index, config.digits)
                                     .values.tolist())])
        reason = {"stopped": signals.why, "diverged": "diverged"}.get(run.status, "")
        facts = {"seconds": signals.abandon_after, "epoch": len(run.history) + 1}
        send(end=run.status, message=runs.REASONS[reason].format(**facts) if reason else run.message,
             reason=reason, facts=facts)
    except (data.DataError, ConfigError, DeviceError) as e:
        send(end="failed", message=str(e))
    except Exception as e:  # a bug or out of memory: said on the page, not as a traceback
        send(end="failed", message=f"training failed: {type(e).__name__}: {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
