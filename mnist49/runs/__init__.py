"""Runs on disk: one folder each, written as training goes, listed and loaded back.

<runs_dir>/<name>/
    config.json       the Config
    status.json       running | finished | stopped | diverged | failed | interrupted, why (a key
                      of status.REASONS and its facts, and the English message), times, and the owner
                      (pid, host) whose heartbeat `updated` is while it runs
    history.csv       one line per finished epoch, appended as it finishes
    weights.pt        the state_dict of the last finished epoch; while it runs, rewritten after
                      an epoch at most every writer.WEIGHTS_EVERY seconds (so a killed run keeps some)
    predictions.csv   index, label, loss, p_<digit>... of every test digit after the last epoch
    replay.npy        every test digit's probabilities after every epoch: (epochs, test digits)
                      float32 p(second digit) for two digits, (epochs, test digits, digits)
                      float16 for more
                      While it runs, these two are written with the weights, of the same epoch
                      (the loss then from the probabilities, as evaluate.at_epoch's): a killed
                      run's replay may end some epochs before its history.

A run of several seeds (config.seeds > 1) keeps each replicate as a run folder of its own:

<runs_dir>/<name>/
    config.json, status.json   as above, for the run as a whole
    history.csv       the mean over the replicates that finished each epoch
    weights.pt, predictions.csv, replay.npy
                      copies of the median replicate's (see seeds.median_replicate), written at the
                      end, so that a reader of one run sees a typical replicate; until then (or
                      when it was killed) the run reads the median replicate's (Run._saved)
    replicates/<k>/   replicate k (0, 1, ...): a complete run folder as above, whose config.json
                      has `replicate` k (training seed seed + k)

A sweep (sweep.py) is a folder holding its sweep.json and one such run folder per value:
<runs_dir>/<sweep>/<i>-<value>/. Its runs are listed with the others, named "<sweep>/<i>-<value>".

writer.py writes these folders (RunWriter); this module reads them back. Every file is written to
a temporary name and renamed, so a reader never sees half of one.

torch is imported only to read and write weights: the app lists runs and follows trainings
before it has loaded torch.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from mnist49.runs import seeds
from mnist49.config import Config
from mnist49.training.history import EpochRecord
from mnist49.models.model import build, plan
from mnist49.runs.status import RUN_FILE, is_sweep, said, status_problem, truth

if TYPE_CHECKING:
    from torch import nn

HISTORY_COLUMNS = [f.name for f in fields(EpochRecord)]


class RunError(Exception):
    """A run folder, or a file in it, that cannot be read back; the message names it."""


@dataclass(frozen=True)
class Run:
    path: Path
    config: Config
    status: str
    message: str
    started: str  # ISO time
    history: pd.DataFrame  # HISTORY_COLUMNS, one row per finished epoch
    reason: str = ""  # why it ended early: a key of status.REASONS, or ""
    facts: dict = field(default_factory=dict)  # the figures status.REASONS[reason] quotes
    notes: tuple[str, ...] = ()  # what reading it left out, in words (a history line cut short)

    @property
    def name(self) -> str:
        """The folder's name; "<sweep>/<value's run>" for a run of a sweep (its folder's place
        under the runs folder), so that no two runs listed together share a name."""
        parent = self.path.parent
        return f"{parent.name}/{self.path.name}" if is_sweep(parent) else self.path.name

    @property
    def sweep(self) -> str | None:
        """The name of the sweep this run is a value of, if it is one."""
        parent = self.path.parent
        return parent.name if is_sweep(parent) else None

    @property
    def key(self) -> str:
        """Unique among runs and their replicates: the name, or "<run's name>/<k>" for replicate k."""
        parent = self.path.parent
        if parent.name != "replicates":
            return self.name
        run = parent.parent  # the run folder, itself perhaps a value of a sweep
        sweep = f"{run.parent.name}/" if is_sweep(run.parent) else ""
        return f"{sweep}{run.name}/{self.path.name}"

    def _saved(self, file: str) -> Path:
        """Where the run's `file` is: its own, or, for a run of several seeds that has none (its
        worker was killed before the run wrote the median seed's), the median replicate's."""
        own = self.path / file
        if own.exists() or self.config.seeds == 1:
            return own
        median = self.median()
        return median.path / file if median is not self else own

    @property
    def has_predictions(self) -> bool:
        return self._saved("predictions.csv").exists()

    def _problem(self, file: str, problem: str) -> RunError:
        return RunError(f"{self.name}: {file} {problem}")

    def predictions(self) -> pd.DataFrame | None:
        """See evaluate.py; None if the run saved none. A damaged file is a RunError."""
        if not self.has_predictions:
            return None
        try:
            preds = pd.read_csv(self._saved("predictions.csv"))
        except Exception as e:
            raise self._problem("predictions.csv", f"cannot be read ({type(e).__name__}: {e})") from None
        expected = ["index", "label", "loss", *(f"p_{d}" for d in self.config.digits)]
        if list(preds.columns) != expected:
            raise self._problem("predictions.csv", f"has the columns {list(preds.columns)}, not {expected}")
        try:
            values = preds.to_numpy(dtype=np.float64)  # (M, 3 + C)
        except (TypeError, ValueError):
            raise self._problem("predictions.csv", "holds values that are not numbers") from None
        probs = values[:, 3:]
        if not np.isfinite(values).all():
            raise self._problem("predictions.csv", "holds NaN or infinite values")
        if (probs < 0).any() or (probs > 1).any():
            raise self._problem("predictions.csv", "holds probabilities outside [0, 1]")
        if not preds["label"].isin(self.config.digits).all() or (values[:, 0] < 0).any():
            raise self._problem("predictions.csv", "holds labels or test indices that cannot be")
        return preds.astype({"index": int, "label": int})

    def replay(self) -> np.ndarray | None:
        """Probabilities per finished epoch and test digit (E, M[, C]) in history order, or None
        if the run saved none. A damaged file, or one that does not fit the run, is a RunError."""
        path = self._saved("replay.npy")
        if path.parent != self.path:  # the median replicate's: checked against its own history
            return self.median().replay()
        if not path.exists():
            return None
        try:
            replay = np.load(path, allow_pickle=False)
        except Exception as e:
            raise self._problem("replay.npy", f"cannot be read ({type(e).__name__}: {e})") from None
        preds = self.predictions()
        classes = () if self.config.binary else (len(self.config.digits),)
        shape = (len(self.history), None if preds is None else len(preds), *classes)
        # a run that did not end (running, or killed) saves its files at most every
        # writer.WEIGHTS_EVERY seconds: its replay may stop some epochs short of its history
        short = self.status in ("running", "interrupted") and replay.ndim and 1 <= replay.shape[0] < shape[0]
        if replay.ndim != len(shape) or any(
            w is not None and w != h and not (i == 0 and short)
            for i, (w, h) in enumerate(zip(shape, replay.shape, strict=True))
        ):
            raise self._problem("replay.npy", f"has the shape {replay.shape}, not {shape}")
        if replay.dtype.kind != "f" or not np.isfinite(replay).all():
            raise self._problem("replay.npy", "holds NaN, infinite or non-float values")
        return replay

    def replicates(self) -> list[Run]:
        """Each replicate as a run of its own, by replicate number: [self] for a lone run. A
        damaged replicate folder is a RunError."""
        if self.config.seeds == 1:
            return [self]
        found = sorted(
            (p for p in (self.path / "replicates").glob("*") if p.is_dir() and p.name.isdigit()),
            key=lambda p: int(p.name),
        )
        return [load_run(p) for p in found]

    def median(self) -> Run:
        """The replicate with the median final test loss (seeds.median_replicate); the run
        itself for one seed, or when its replicates cannot be read."""
        if self.config.seeds == 1:
            return self
        try:
            replicates = self.replicates()
        except RunError:
            return self
        return replicates[seeds.median_replicate(replicates)] if replicates else self

    def spread(self) -> pd.DataFrame:
        """See seeds.spread: over this run's replicates."""
        return seeds.spread([r.history for r in self.replicates()])

    def weights_path(self) -> Path | None:
        path = self._saved("weights.pt")
        return path if path.exists() else None

    def load_model(self) -> nn.Module:
        """The model of the last finished epoch, on CPU in eval mode; a RunError if weights.pt
        is missing, cannot be read, does not fit config.json's model or is not finite."""
        import torch

        try:
            state = torch.load(self._saved("weights.pt"), map_location="cpu", weights_only=True)
        except FileNotFoundError:
            raise self._problem("weights.pt", "is missing") from None
        except Exception as e:
            raise self._problem("weights.pt", f"cannot be read ({type(e).__name__}: {e})") from None
        if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
            raise self._problem("weights.pt", "is not a state_dict of tensors")
        if not all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point()):
            raise self._problem("weights.pt", "holds NaN or infinite weights")
        c = self.config
        # built on the meta device: no initial weights are drawn, so no RNG is touched
        with torch.device("meta"):
            model = build(c.model, c.widths, c.activation, c.dropout, c.outputs)
        model = model.to_empty(device="cpu")
        try:
            model.load_state_dict(state)
        except RuntimeError as e:
            first = str(e).splitlines()[0].rstrip(":.")
            raise self._problem("weights.pt", f"does not fit the model of config.json ({first})") from None
        return model.eval()


def remove(path: Path) -> None:
    """Remove a run folder this process has just made (one that never started)."""
    shutil.rmtree(path, ignore_errors=True)


def folder_problem(runs_dir: Path | str) -> tuple[str, Path] | None:
    """Why runs could not be written under `runs_dir`, found without writing anything:
    ("not a folder", the file in the way) or ("read-only", the folder that cannot be written),
    or None when a run could be written there (the folder is made on the first run)."""
    path = Path(runs_dir).absolute()
    for place in (path, *path.parents):  # the folder, or the nearest of its parents that exists
        if place.exists():
            if not place.is_dir():
                return "not a folder", place
            if not os.access(place, os.W_OK | os.X_OK):  # also a read-only file system
                return "read-only", place
            return None
    return None


MNIST_TEST = 10_000  # MNIST's test digits: the most a run can predict


def space_needed(config: Config) -> int:
    """A generous bound on the bytes a run of `config` writes: for each copy of the files (each
    seed, and a run of several seeds' own), its weights twice (a new file is written beside the
    old, then renamed), predictions and replay (twice too) of up to every test digit, and the
    history and status."""
    params = int(plan(config.model, config.widths, config.activation, config.outputs)["params"].sum())
    digits = config.test_size or MNIST_TEST
    per_digit = 1 if config.binary else len(config.digits)
    copies = config.seeds + (config.seeds > 1)
    files = (
        2 * 4 * params  # float32 weights
        + 2 * digits * (3 + len(config.digits)) * 25  # a CSV line of up to 25 characters a number
        + 2 * config.epochs * digits * per_digit * 4
        + config.epochs * 120  # a history line
        + 16_384  # config.json, status.json and their temporary copies, with room
    )
    return copies * files


def space_problem(runs_dir: Path | str, config: Config) -> tuple[int, int] | None:
    """(bytes needed, bytes free) when the disk of `runs_dir` has too little room for a run of
    `config` (see `space_needed`), else None (also when there is no folder to ask)."""
    path = Path(runs_dir).absolute()
    place = next((p for p in (path, *path.parents) if p.is_dir()), None)
    if place is None:
        return None
    free, needed = shutil.disk_usage(place).free, space_needed(config)
    return (needed, free) if free < needed else None


def load_run(path: Path | str) -> Run:
    """Read one run folder; a missing or damaged part is a RunError naming it."""
    path = Path(path)
    try:
        config = Config.from_dict(json.loads((path / "config.json").read_text()))
        status = json.loads((path / RUN_FILE).read_text())
        history = pd.read_csv(path / "history.csv")
    except FileNotFoundError as e:
        raise RunError(f"{path.name}: {Path(e.filename).name} is missing") from None
    except Exception as e:
        raise RunError(f"{path.name}: cannot read it ({type(e).__name__}: {e})") from None
    if list(history.columns) != HISTORY_COLUMNS:
        raise RunError(f"{path.name}: history.csv has columns {list(history.columns)}")
    history, notes = _numeric_history(path, history)
    if problem := status_problem(status):
        raise RunError(f"{path.name}: {RUN_FILE} {problem}")
    status = truth(path, status)
    reason, facts, message = said(status)
    return Run(
        path, config, status["status"], message, status.get("started", ""), history, reason, facts, notes
    )


def _numeric_history(path: Path, history: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """history.csv as numbers, and notes: a last line cut short by a write that never finished
    is dropped (the run then ends at the epoch before it), with a note saying so; any other cell
    that is not a finite number, or epochs that are not 1, 2, 3, ..., make the run unreadable,
    naming the cell."""
    numbers, notes = history.apply(pd.to_numeric, errors="coerce"), ()
    text = (path / "history.csv").read_bytes()
    if len(numbers) and not text.endswith(b"\n") and numbers.iloc[-1].isna().any():
        numbers = numbers.iloc[:-1]  # the truncated last line
        notes = (
            f"history.csv line {len(numbers) + 2} is cut short (a write that never finished) and left out",
        )
    # training records only finite epochs (a diverged epoch ends the run before it is written),
    # so an empty, NaN or infinite cell is damage too, as are epochs that are not 1, 2, 3, ...
    bad = ~np.isfinite(numbers.to_numpy(float))
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        found = history.iloc[row, col]
        found = "an empty or NaN cell" if pd.isna(found) and not isinstance(found, str) else repr(str(found))
        raise RunError(
            f"{path.name}: history.csv line {row + 2}, {numbers.columns[col]}: {found} is not a finite number"
        )
    if not np.array_equal(numbers["epoch"].to_numpy(float), np.arange(1, len(numbers) + 1)):
        raise RunError(
            f"{path.name}: history.csv's epochs are not 1, 2, 3, ...: {list(history['epoch'])[:5]}"
        )
    return numbers.astype({"epoch": int}), notes


def list_runs(runs_dir: Path | str) -> tuple[list[Run], list[str]]:
    """Every readable run, newest first, and one line per folder that could not be read."""
    runs, problems = [], []
    root = Path(runs_dir)
    for path in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        if not path.is_dir():
            continue
        # a sweep's runs are listed in its place, in the order of its values
        for run_path in sorted(p for p in path.iterdir() if p.is_dir()) if is_sweep(path) else [path]:
            try:
                runs.append(load_run(run_path))
            except RunError as e:
                problems.append(str(e))
    return runs, problems
