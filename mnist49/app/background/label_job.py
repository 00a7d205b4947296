"""Checking the train labels in the background, for the app: one process per check.

A process of its own, as training has (worker.py says why: a busy server thread slows torch's
many short calls), but outside the job pool: a check is not a run, it leaves no run folder, and
the pool's worker speaks only of runs. The page starts a `LabelJob`, polls `snapshot()` and
calls `touch()` while its tab is open; a check nobody has looked at for `abandon_after` seconds
stops itself.

    parent -> child   {"config": {...}, "folds": K, "abandon_after": 30}, then "alive" or "stop"
    child -> parent   {"epoch": n} (all folds finished epoch n),
                      {"end": "finished", "suspects": [{...}, ...], "checked": N, "seconds": s},
                      {"end": "stopped" | "failed", "message": ...}

Without torch at import: the server imports this; only the child (`main`) trains.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pandas as pd

from mnist49.config import Config

COLUMNS = ["index", "label", "suggested", "p_suggested", "quality"]  # of a suspect, as sent


@dataclass(frozen=True)
class LabelState:
    status: str  # running, finished, stopped, failed
    epoch: int  # epochs all folds have finished
    suspects: pd.DataFrame  # COLUMNS, most suspect first (empty until finished)
    checked: int  # train digits checked (0 until finished)
    seconds: float  # the check's own, once finished
    error: str  # why it failed or stopped, in words

    @property
    def done(self) -> bool:
        return self.status != "running"


class LabelJob:
    def __init__(self, config: Config, folds: int = 5, abandon_after: float = 30.0):
        self.config, self.folds = config, folds
        self._lock = threading.Lock()
        self._state = LabelState("running", 0, pd.DataFrame(columns=COLUMNS), 0, 0.0, "")
        self._last_touch = time.monotonic()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "mnist49.app.background.label_job"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._tell(json.dumps({"config": config.to_dict(), "folds": folds, "abandon_after": abandon_after}))
        self._thread = threading.Thread(target=self._listen, name="mnist49-label-check", daemon=True)
        self._thread.start()

    def snapshot(self) -> LabelState:
        with self._lock:
            return self._state

    def touch(self) -> None:
        """The tab is still open (sent at most every second)."""
        if time.monotonic() - self._last_touch > 1.0:
            self._last_touch = time.monotonic()
            self._tell("alive")

    def stop(self) -> None:
        self._tell("stop")

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _tell(self, line: str) -> None:
        try:
            self._process.stdin.write(line + "\n")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the check has already ended

    def _set(self, **changes) -> None:
        with self._lock:
            self._state = LabelState(**(self._state.__dict__ | changes))

    def _listen(self) -> None:
        for line in self._process.stdout:
            message = json.loads(line)
            if "epoch" in message:
                self._set(epoch=message["epoch"])
            elif message.get("end") == "finished":
                found = pd.DataFrame(message["suspects"], columns=COLUMNS)
                self._set(
                    status="finished", suspects=found, checked=message["checked"], seconds=message["seconds"]
                )
            elif "end" in message:
                self._set(status=message["end"], error=message["message"])
        code = self._process.wait()
        if not self.snapshot().done:  # ended without saying so: killed, or out of memory
            self._set(status="failed", error=f"the label check's process ended with exit code {code}")
        with contextlib.suppress(BrokenPipeError, OSError):
            self._process.stdin.close()


def _send(**message) -> None:
    try:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the server has gone: the check stops at its next batch


def main() -> int:
    import signal

    from mnist49 import data
    from mnist49.analysis import label_check
    from mnist49.app.background.worker import listen
    from mnist49.config import ConfigError
    from mnist49.runs.status import REASONS
    from mnist49.training import events
    from mnist49.training.train import DeviceError

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is the server's to handle
    line = sys.stdin.readline()
    if not line:
        return 0
    request = json.loads(line)
    stop = events.Stop()
    listen(stop, sys.stdin, request["abandon_after"], share=False)
    start = time.perf_counter()
    try:
        config = Config.from_dict(request["config"])
        epochs = events.of(events.EpochEnded, lambda ended: _send(epoch=ended.epoch))
        found, checked = label_check.check(config, request["folds"], stop, epochs)
    except (data.DataError, ConfigError, DeviceError, ValueError) as e:
        _send(end="failed", message=str(e))
        return 0
    except Exception as e:  # a bug or out of memory: said on the page, not as a traceback
        _send(end="failed", message=f"the label check failed: {type(e).__name__}: {e}")
        return 0
    if stop.is_set():
        why, facts = stop.reason()
        _send(end="stopped", message=REASONS[why].format(**facts))
        return 0
    suspects = [
        {"index": int(r.index), "label": int(r.label), "suggested": int(r.suggested)}
        | {"p_suggested": float(r.p_suggested), "quality": float(r.quality)}
        for r in found.itertuples(index=False)
    ]
    _send(end="finished", suspects=suspects, checked=checked, seconds=time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
