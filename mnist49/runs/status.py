"""How a run or a sweep stands: the one writer and reader of its status.

A run keeps it in status.json; a sweep in sweep.json, beside the sweep's knob and values. Both hold
    status     one of STATUSES
    reason     why it ended early: a key of REASONS, or ""
    facts      the figures REASONS[reason] quotes
    message    the English words (REASONS[reason] with the facts, or what went wrong)
    started, updated    ISO times; `updated` is the heartbeat of a running one
    pid, host  its owner: the process writing it while it runs

A reader trusts "running" only while the owner shows signs of life (see `truth`), and says the
reason in REASONS' words, so that a UI can say it in another language.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
from datetime import datetime
from pathlib import Path

from mnist49.runs import atomic

STATUSES = ("running", "finished", "stopped", "diverged", "failed", "interrupted")
# Why a run ended early, as templates over facts, so that a UI can say it in another language.
REASONS = {
    "user": "stopped by the user",
    "cancelled": "cancelled before it started",
    "gone": "stopped: the app went away",
    "abandoned": "stopped: nobody watched it for {seconds:.0f} s (tab closed?)",
    "interrupted": "stopped: interrupted ({signal})",
    "diverged": "the loss became NaN or infinite in epoch {epoch}",
    "died": "interrupted: the training process ended unexpectedly (exit code {code})",
    "lost": "interrupted: the process training it (pid {pid} on {host}) is gone",
    "silent": "interrupted: no sign of life from its process for {seconds:.0f} s",
    "ahead": "interrupted: its last sign of life is dated {seconds:.0f} s ahead of this machine's clock",
}
HEARTBEAT = 5.0  # seconds between status writes while an epoch is under way
# A "running" status not written for this long is shown as interrupted: a live owner writes it
# at least every HEARTBEAT seconds (plus one batch and one evaluation).
STALE = 120.0
RUN_FILE = "status.json"
SWEEP_FILE = "sweep.json"  # marks a sweep's folder, whose runs are its values (see sweep.py)


def is_sweep(path: Path | str) -> bool:
    """Whether a folder is a sweep's (its runs are the sweep's values)."""
    return (Path(path) / SWEEP_FILE).is_file()


def file_of(folder: Path | str) -> Path:
    """Where a run's or a sweep's folder keeps its status."""
    folder = Path(folder)
    return folder / (SWEEP_FILE if is_sweep(folder) else RUN_FILE)


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def write_status(
    path: Path,
    status: str,
    reason: str = "",
    facts: dict | None = None,
    message: str = "",
    *,
    started: str,
    extra: dict | None = None,
) -> None:
    """Write a status file (`path`: a status.json or sweep.json) with this process as its owner:
    `reason` (a key of REASONS) and its facts say why it ended early, in REASONS' words; else
    `message` says what went wrong. `extra`: the file's other fields (a sweep's knob, values)."""
    facts = facts or {}
    atomic.write_json(
        path,
        (extra or {})
        | {
            "status": status,
            "message": REASONS[reason].format(**facts) if reason else message,
            "reason": reason,
            "facts": facts,
            "started": started,
            "updated": now(),
            "pid": os.getpid(),
            "host": socket.gethostname(),
        },
    )


def status_problem(raw: object) -> str:
    """What is wrong with the status fields read from a status file, in words ("" if nothing)."""
    if not isinstance(raw, dict):
        return f"holds {type(raw).__name__}, not the status's fields"
    if raw.get("status") not in STATUSES:
        return f"has an unknown status {raw.get('status')!r}"
    seconds = raw.get("seconds", 0.0)  # a sweep's
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
        return f"has seconds of {seconds!r}, not a number"
    if not isinstance(raw.get("started", ""), str):
        return f"has a start time of {raw.get('started')!r}, not a date"
    return ""


def said(raw: dict) -> tuple[str, dict, str]:
    """(reason, facts, message) of a status read back: the message in REASONS' words when the
    reason is one this version knows and its facts fit; else no reason, and the message as
    written."""
    reason, facts = raw.get("reason", ""), raw.get("facts") or {}
    try:
        return reason, facts, REASONS[reason].format(**facts)
    except (KeyError, ValueError, IndexError, TypeError):  # no reason, or one this version lacks
        return "", {}, str(raw.get("message", ""))


def mark_ended(path: Path | str, status: str, reason: str, **facts) -> None:
    """Rewrite a run's status as ended (by someone other than its owner, which is gone),
    keeping when it started. `path`: a run or sweep folder, or the status file itself."""
    path = Path(path)
    if path.is_dir():
        path = file_of(path)
    before = json.loads(path.read_text())
    atomic.write_json(
        path,
        before
        | {
            "status": status,
            "message": REASONS[reason].format(**facts),
            "reason": reason,
            "facts": facts,
            "updated": now(),
        },
    )


def status_files(folder: Path | str) -> list[Path]:
    """The status files in a run or sweep folder: its own, then its replicates' and values'."""
    folder = Path(folder)
    inside = sorted(p for p in folder.rglob("*.json") if p.name in (RUN_FILE, SWEEP_FILE))
    own = file_of(folder)
    return [own] + [p for p in inside if p != own]


def mark_died(path: Path | str, code: int) -> None:
    """A run or sweep folder whose worker died (kill -9, out of memory): it, and each of its
    replicates and values still marked running, become interrupted with the exit code."""
    own, *inside = status_files(path)
    mark_ended(own, "interrupted", "died", code=code)
    for status in inside:
        if json.loads(status.read_text()).get("status") == "running":
            mark_ended(status, "interrupted", "died", code=code)


def _owner_alive(status: dict) -> bool | None:
    """Whether the process that wrote a status is alive: True or False for a process of this
    machine, None where it cannot be asked (another machine's, a shared folder: only its
    heartbeat tells)."""
    pid = status.get("pid")
    if not isinstance(pid, int) or status.get("host") != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, someone else's
    return True


def _silent_for(status: dict) -> float:
    try:
        return (datetime.now() - datetime.fromisoformat(status["updated"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return 0.0


def truth(path: Path, status: dict) -> dict:
    """A "running" status as it is: interrupted when its owner is gone (and so rewritten on
    disk) or when it has been silent for more than STALE seconds (only shown: it may yet
    speak, from a machine we cannot see). A heartbeat dated more than STALE seconds ahead of this
    machine's clock (a wrong clock, or a forged file) proves nothing: such a run is running only
    while its owner is a live process here. `path`: the run or sweep folder, or its status file."""
    if status.get("status") != "running":
        return status
    if _owner_alive(status) is False:
        facts = {"pid": status["pid"], "host": status["host"]}
        with contextlib.suppress(OSError):  # a read-only folder: said, not written
            mark_ended(path, "interrupted", "lost", **facts)
        return status | {"status": "interrupted", "reason": "lost", "facts": facts}
    silent = _silent_for(status)
    if silent > STALE:
        return status | {"status": "interrupted", "reason": "silent", "facts": {"seconds": silent}}
    if -silent > STALE and _owner_alive(status) is not True:
        return status | {"status": "interrupted", "reason": "ahead", "facts": {"seconds": -silent}}
    return status
