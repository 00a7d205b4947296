"""Files written so that a reader never sees half of one: to a temporary name, then renamed."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path


def write_json(path: Path, obj: dict) -> None:
    # write then rename: a reader never sees half a file; the temp name is the writer thread's
    # own, since two threads may write one status (a heartbeat and an epoch's end, in shards)
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    with no_leftover(tmp):
        tmp.write_text(json.dumps(obj, indent=2))
        tmp.replace(path)


@contextlib.contextmanager
def no_leftover(tmp: Path) -> Iterator[None]:
    """A write to `tmp` that fails (a full disk) removes what it had written: no half file stays,
    and its space is free again for the status that says why."""
    try:
        yield
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
