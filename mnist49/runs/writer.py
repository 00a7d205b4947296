"""Writing a run folder as its training goes (the format is in runs.py's docstring).

Every file is written to a temporary name and renamed (atomic.py), so a reader never sees half of
one. It needs no pandas (predictions.csv is written as plain text), so training need not load it.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mnist49.runs.atomic import no_leftover, write_json
from mnist49.config import Config
from mnist49.training.history import EpochProbs, EpochRecord
from mnist49.runs import HISTORY_COLUMNS, remove
from mnist49.runs.status import HEARTBEAT, RUN_FILE, write_status

if TYPE_CHECKING:
    import torch
    from torch import nn

# Predictions by column name: a dict of (M,) arrays, or evaluate.predictions's DataFrame
Columns = Mapping[str, np.ndarray]

# Writing weights.pt costs a few per cent of a recipe epoch: while a run goes, they are written
# after an epoch only when this many seconds have passed since the last.
WEIGHTS_EVERY = 1.0
# With them go the predictions and replay (see RunWriter's labels), which take longer (ten
# digits' 10,000 test digits most of all). So the next save waits at least this many times as
# long as the last took, keeping the saves to a few per cent of a run's time.
SAVE_SHARE = 20


class RunWriter:
    """Creates a run folder and records a run as it goes, from the events of its training.

    Its process is the run's owner: status.json names it (pid, host) and is rewritten at every
    epoch and at least every HEARTBEAT seconds within one, so a listing can tell a live run from
    one whose process is gone.
    """

    def __init__(
        self,
        runs_dir: Path | str,
        config: Config,
        name: str | None = None,
        labels: torch.Tensor | None = None,
    ):
        """`labels`: the test digits' labels as the split holds them; with them, predictions.csv
        and replay.npy are saved with the weights as the run goes, so a killed run keeps them."""
        now = datetime.now()
        name = name or f"{now:%Y%m%d-%H%M%S}-{config.model}-{secrets.token_hex(3)}"
        self.path = Path(runs_dir) / name
        self.path.mkdir(parents=True)
        self.started = now.isoformat(timespec="seconds")
        self.config, self._labels = config, labels
        self._probs: list[np.ndarray] = []
        self._beat = 0.0
        self._saved = 0.0  # when weights.pt was last written (monotonic)
        self._wait = WEIGHTS_EVERY  # seconds from one save as a run goes to the next
        self._due = 0  # the epoch whose weights were saved and whose predictions are still due
        try:
            write_json(self.path / "config.json", config.to_dict())
            (self.path / "history.csv").write_text(",".join(HISTORY_COLUMNS) + "\n")
            self._status("running")
        except BaseException:  # a full disk: no folder that cannot be read is left behind
            remove(self.path)
            raise

    def _status(self, status: str, reason: str = "", facts: dict | None = None, message: str = "") -> None:
        write_status(self.path / RUN_FILE, status, reason, facts, message, started=self.started)
        self._beat = time.monotonic()

    def __call__(self, record: EpochRecord) -> None:
        with open(self.path / "history.csv", "a") as f:
            f.write(",".join(repr(getattr(record, c)) for c in HISTORY_COLUMNS) + "\n")
        self._status("running")

    def beat(self, epoch: int, done: int, batches: int) -> None:
        """After a batch (a BatchDone): the heartbeat, if HEARTBEAT has passed."""
        if time.monotonic() - self._beat > HEARTBEAT:
            self._status("running")

    def record_state(self, epoch: int, state: dict[str, torch.Tensor]) -> None:
        """After an epoch (its Weights): its weights, so that they outlive a kill,
        if WEIGHTS_EVERY seconds (or SAVE_SHARE times the last save's time) have passed since
        they were last written."""
        if time.monotonic() - self._saved >= self._wait:
            start = time.monotonic()
            self._save(state)
            self._due, self._wait = epoch, max(WEIGHTS_EVERY, SAVE_SHARE * (time.monotonic() - start))

    def _save(self, state: dict[str, torch.Tensor]) -> None:
        import torch

        tmp = self.path / "weights.pt.tmp"
        with no_leftover(tmp):
            torch.save(state, tmp)
            tmp.replace(self.path / "weights.pt")
        self._saved = time.monotonic()

    def record_probs(self, probs: EpochProbs) -> None:
        """After an epoch (after its weights): its probabilities; when that epoch's weights were
        just saved, also the predictions and replay of it (with `labels`)."""
        # ten digits' probabilities for every epoch add up: half precision is plenty to replay
        self._probs.append(probs.probs.numpy().astype(np.float32 if probs.probs.ndim == 1 else np.float16))
        if self._labels is not None and self._due == probs.epoch:
            start = time.monotonic()
            self._write_predictions(_predictions(probs, self._labels, self.config.digits))
            self._write_replay()
            self._due = 0
            self._wait = max(self._wait, SAVE_SHARE * (time.monotonic() - start))

    def _write_predictions(self, predictions: Columns) -> None:
        write_predictions(self.path / "predictions.csv", predictions)

    def _write_replay(self) -> None:
        tmp = self.path / "replay.npy.tmp"
        with no_leftover(tmp):
            with open(tmp, "wb") as f:
                np.save(f, np.stack(self._probs))
            tmp.replace(self.path / "replay.npy")

    def finish(
        self,
        status: str,
        reason: str = "",
        facts: dict | None = None,
        message: str = "",
        model: nn.Module | None = None,
        predictions: Columns | None = None,
    ) -> None:
        """The end: the final files, then the status (with why, if it ended early). A file that
        cannot be written (a full disk) ends the run as failed, saying why, and is raised; the
        files saved before it stay."""
        try:
            if model is not None:
                self._save({k: v.cpu() for k, v in model.state_dict().items()})
            if predictions is not None:
                self._write_predictions(predictions)
            if self._probs:
                self._write_replay()
        except OSError as e:
            with contextlib.suppress(OSError):  # then the listing finds its owner gone: interrupted
                self._status("failed", message=f"its last files could not be written ({e})")
            raise
        self._status(status, reason, facts, message)


def _predictions(probs: EpochProbs, labels: torch.Tensor, digits: tuple[int, ...]) -> Columns:
    """evaluate.predictions's columns from one epoch's probabilities (the loss from them, clipped as
    evaluate.at_epoch's); `labels` as the split holds them: 0/1 for two digits, else positions."""
    p = probs.probs.double().numpy()
    per_digit = np.stack([1 - p, p], axis=1) if p.ndim == 1 else p  # (M, C)
    position = labels.long().cpu().numpy()
    true = per_digit[np.arange(len(position)), position]
    return {
        "index": probs.index.cpu().numpy(),
        "label": np.asarray(digits)[position],
        "loss": -np.log(np.clip(true, 1e-7, 1.0)),
        **{f"p_{d}": per_digit[:, i] for i, d in enumerate(digits)},
    }


def write_predictions(path: Path, predictions: Columns) -> None:
    """predictions.csv as pandas' to_csv(index=False) writes it: numbers as numpy's str, the
    shortest text that reads back the same."""
    names = list(predictions)
    cells = [np.asarray(predictions[name]).astype(str) for name in names]  # each (M,)
    tmp = path.with_name(f"{path.name}.tmp")
    with no_leftover(tmp):
        with open(tmp, "w", newline="") as f:
            f.write(",".join(names) + "\n")
            f.writelines(",".join(row) + "\n" for row in zip(*cells, strict=True))
        tmp.replace(path)
