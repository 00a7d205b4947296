"""Runs on disk: one folder each, written as training goes, listed and loaded back.

<runs_dir>/<name>/
    config.json       the Config
    status.json       running | finished | stopped | diverged | failed, a message, times
    history.csv       one line per finished epoch, appended as it finishes
    weights.pt        the final state_dict
    predictions.csv   index, label, loss, p_<digit>... of every test digit after the last epoch
    replay.npy        every test digit's probabilities after every epoch: (epochs, test digits)
                      float32 p(second digit) for two digits, (epochs, test digits, digits)
                      float16 for more
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from mnist49 import evaluate
from mnist49.config import Config
from mnist49.train import (
    Callback,
    EpochProbs,
    EpochRecord,
    ProbsCallback,
    StopSignal,
    fit,
    make_model,
    prepare,
)

STATUSES = ("running", "finished", "stopped", "diverged", "failed")
# Why a run ended early, as templates over facts, so that a UI can say it in another language.
REASONS = {
    "user": "stopped by the user",
    "gone": "stopped: the app went away",
    "abandoned": "stopped: nobody watched it for {seconds:.0f} s (tab closed?)",
    "diverged": "the loss became NaN or infinite in epoch {epoch}",
}
HISTORY_COLUMNS = [f.name for f in fields(EpochRecord)]


class RunError(Exception):
    """A run folder that cannot be read back."""


@dataclass(frozen=True)
class Run:
    path: Path
    config: Config
    status: str
    message: str
    started: str  # ISO time
    history: pd.DataFrame  # HISTORY_COLUMNS, one row per finished epoch

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def has_predictions(self) -> bool:
        return (self.path / "predictions.csv").exists()

    def predictions(self) -> pd.DataFrame | None:
        """See evaluate.py; runs from before mnist49 knew other digits had a `p9` column."""
        if not self.has_predictions:
            return None
        preds = pd.read_csv(self.path / "predictions.csv")
        if "p9" in preds.columns:
            preds = preds.assign(p_4=1 - preds["p9"], p_9=preds["p9"]).drop(columns="p9")
        return preds

    def replay(self) -> np.ndarray | None:
        """Probabilities per finished epoch and test digit (E, M[, C]) in history order, or None."""
        path = self.path / "replay.npy"
        if not path.exists():
            return None
        try:
            replay = np.load(path)
        except (OSError, ValueError):
            return None
        ndim = 2 if self.config.binary else 3
        return replay if replay.ndim == ndim and len(replay) == len(self.history) else None

    def weights_path(self) -> Path | None:
        path = self.path / "weights.pt"
        return path if path.exists() else None

    def load_model(self) -> nn.Module:
        model = make_model(self.config, torch.device("cpu"))
        model.load_state_dict(torch.load(self.path / "weights.pt", map_location="cpu"))
        return model.eval()


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_suffix(".tmp")  # write then rename: a reader never sees half a file
    tmp.write_text(json.dumps(obj, indent=2))
    tmp.replace(path)


class RunWriter:
    """Creates a run folder and records a run as it goes; use it as a `fit` callback."""

    def __init__(self, runs_dir: Path | str, config: Config):
        now = datetime.now()
        name = f"{now:%Y%m%d-%H%M%S}-{config.model}-{secrets.token_hex(3)}"
        self.path = Path(runs_dir) / name
        self.path.mkdir(parents=True)
        self.started = now.isoformat(timespec="seconds")
        _write_json(self.path / "config.json", config.to_dict())
        (self.path / "history.csv").write_text(",".join(HISTORY_COLUMNS) + "\n")
        self._probs: list[np.ndarray] = []
        self._status("running")

    def _status(self, status: str, message: str = "") -> None:
        _write_json(
            self.path / "status.json",
            {
                "status": status,
                "message": message,
                "started": self.started,
                "updated": datetime.now().isoformat(timespec="seconds"),
            },
        )

    def __call__(self, record: EpochRecord) -> None:
        with open(self.path / "history.csv", "a") as f:
            f.write(",".join(repr(getattr(record, c)) for c in HISTORY_COLUMNS) + "\n")

    def record_probs(self, probs: EpochProbs) -> None:
        # ten digits' probabilities for every epoch add up: half precision is plenty to replay
        self._probs.append(probs.probs.numpy().astype(np.float32 if probs.probs.ndim == 1 else np.float16))

    def finish(
        self,
        status: str,
        message: str = "",
        model: nn.Module | None = None,
        predictions: pd.DataFrame | None = None,
    ) -> None:
        if model is not None:
            torch.save({k: v.cpu() for k, v in model.state_dict().items()}, self.path / "weights.pt")
        if predictions is not None:
            predictions.to_csv(self.path / "predictions.csv", index=False)
        if self._probs:
            np.save(self.path / "replay.npy", np.stack(self._probs))
        self._status(status, message)


def load_run(path: Path | str) -> Run:
    """Read one run folder; a missing or damaged part is a RunError naming it."""
    path = Path(path)
    try:
        config = Config.from_dict(json.loads((path / "config.json").read_text()))
        status = json.loads((path / "status.json").read_text())
        history = pd.read_csv(path / "history.csv")
    except FileNotFoundError as e:
        raise RunError(f"{path.name}: {Path(e.filename).name} is missing") from None
    except Exception as e:
        raise RunError(f"{path.name}: cannot read it ({type(e).__name__}: {e})") from None
    if list(history.columns) != HISTORY_COLUMNS:
        raise RunError(f"{path.name}: history.csv has columns {list(history.columns)}")
    if status.get("status") not in STATUSES:
        raise RunError(f"{path.name}: unknown status {status.get('status')!r}")
    return Run(path, config, status["status"], status.get("message", ""), status.get("started", ""), history)


def list_runs(runs_dir: Path | str) -> tuple[list[Run], list[str]]:
    """Every readable run, newest first, and one line per folder that could not be read."""
    runs, problems = [], []
    root = Path(runs_dir)
    for path in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        if path.is_dir():
            try:
                runs.append(load_run(path))
            except RunError as e:
                problems.append(str(e))
    return runs, problems


def train_run(
    config: Config,
    runs_dir: Path | str,
    callbacks: Iterable[Callback] = (),
    stop: StopSignal | None = None,
    on_start: Callable[[Path], None] | None = None,
    on_probs: Iterable[ProbsCallback] = (),
) -> tuple[Run, float]:
    """Prepare the data, train and record the run; returns it and the seconds spent training.

    Bad data or settings raise before any folder is made; an error while training marks the
    run failed (keeping its finished epochs) and is raised again.
    """
    split = prepare(config)
    writer = RunWriter(runs_dir, config)
    if on_start:
        on_start(writer.path)
    start = time.perf_counter()
    try:
        result = fit(config, split, [writer, *callbacks], stop, [writer.record_probs, *on_probs])
    except BaseException as e:
        writer.finish("failed", f"{type(e).__name__}: {e}")
        raise
    seconds = time.perf_counter() - start
    preds = evaluate.predictions(result.test_logits, split.y_test, split.test_index, config.digits)
    message = {
        "finished": "",
        "stopped": REASONS["user"],
        "diverged": REASONS["diverged"].format(epoch=len(result.history) + 1),
    }
    writer.finish(result.status, message[result.status], result.model, preds if result.history else None)
    return load_run(writer.path), seconds
