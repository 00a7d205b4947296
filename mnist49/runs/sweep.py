"""Sweeps: one knob of the recipe over several values, each value a run of several seeds.

A sweep answers "what does this knob do?": final test accuracy and lowest test loss against
the knob's value, with the seeds' spread. Values that one batched model can hold (learning
rate, weight decay, dropout: replicates.VARYING) train together, all values and seeds at once;
the others train one value after another, each value's seeds together.

<runs_dir>/<name>/
    sweep.json        the knob, its values, the base config, the status (as a run's, with the
                      owner's pid and host) and the seconds the sweep took
    <i>-<value>/      value i's run: a run folder (see runs.py), of several seeds if the sweep
                      has them; made when its training begins, so a stopped sweep lacks the
                      values it never reached
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from mnist49 import data, runs
from mnist49.training import events, replicates
from mnist49.runs import record, seeds
from mnist49.config import Config, ConfigError
from mnist49.models.model import ACTIVATIONS, MODELS
from mnist49.models.optimizers import OPTIMIZERS
from mnist49.runs import Run, RunError
from mnist49.runs.status import HEARTBEAT, SWEEP_FILE, is_sweep, said, status_problem, truth, write_status

MAX_VALUES = 8
# SweepRun.summary's columns: a value's run, then what the knob chart draws of its seeds
SUMMARY = ["value", "seeds", "epochs", "finished", "run"] + [
    f"{figure}_{s}" for figure in ("test_accuracy", "lowest_test_loss") for s in seeds.STATISTICS
]
FILE = SWEEP_FILE


class SweepError(ValueError):
    """A sweep that cannot be trained: the message says which value or setting and why."""


def _sizes(base: Config) -> tuple[int, ...]:
    """Train sizes doubling from 250, then all the train digits: the learning curve."""
    available = len(data.load(base.data, base.digits).train)
    sizes = [250]
    while sizes[-1] * 2 < available and len(sizes) < MAX_VALUES - 1:
        sizes.append(sizes[-1] * 2)
    return (*sizes, available)


def _widths(config: Config, factor: float) -> Config:
    """The model's widths (the CNN's channels, the MLP's hidden layers) times `factor`."""
    spec = MODELS[config.model]
    widths = tuple(max(1, round(w * factor)) for w in spec.default_widths)
    return config.replace(**{spec.widths: widths})


@dataclass(frozen=True)
class Knob:
    """What a sweep can turn: how a value sets the config, and how values are read and drawn."""

    parse: Callable[[str], Any]  # one value from its text; ValueError if it is not one
    defaults: Callable[[Config], tuple]  # sensible values for this base config
    apply: Callable[[Config, Any], Config]
    scale: str  # how the knob chart spaces the values: "log", "linear" or "category"
    batched: bool = False  # its values differ only in what one batched model holds
    choices: Callable[[], Sequence[str]] | None = None  # a registry's names, for category knobs


def _field(name: str) -> Callable[[Config, Any], Config]:
    return lambda config, value: config.replace(**{name: value})


KNOBS: dict[str, Knob] = {
    "lr": Knob(float, lambda b: (0.0003, 0.001, 0.004, 0.01, 0.03), _field("lr"), "log", batched=True),
    "weight_decay": Knob(
        float, lambda b: (1e-5, 1e-4, 1e-3, 1e-2, 1e-1), _field("weight_decay"), "log", batched=True
    ),
    "dropout": Knob(float, lambda b: (0.0, 0.1, 0.2, 0.3, 0.5), _field("dropout"), "linear", batched=True),
    "train_size": Knob(int, _sizes, _field("train_size"), "log"),
    "width": Knob(float, lambda b: (0.5, 1.0, 2.0, 4.0), _widths, "log"),
    "batch_size": Knob(int, lambda b: (25, 50, 100, 200, 400), _field("batch_size"), "log"),
    "epochs": Knob(int, lambda b: (5, 10, 20, 40, 80), _field("epochs"), "log"),
    "optimizer": Knob(
        str, lambda b: tuple(OPTIMIZERS), _field("optimizer"), "category", choices=lambda: OPTIMIZERS
    ),
    "activation": Knob(
        str, lambda b: tuple(ACTIVATIONS), _field("activation"), "category", choices=lambda: ACTIVATIONS
    ),
}
assert all(name in replicates.VARYING for name, knob in KNOBS.items() if knob.batched)


def show(value: Any) -> str:
    """A value as the CLI's --values and the app's field read it back."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse_values(knob: str, text: str) -> tuple:
    """`--values` text ("0.001,0.01") as the knob's values; SweepError says what was wrong."""
    if knob not in KNOBS:
        raise SweepError(f"unknown knob {knob!r}; choose from {', '.join(KNOBS)}")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise SweepError(f"no values for {knob}: give them separated by commas, like 0.001,0.01")
    values = []
    for part in parts:
        try:
            values.append(KNOBS[knob].parse(part))
        except ValueError:
            raise SweepError(f"{knob} value {part!r} is not a number") from None
    return tuple(values)


@dataclass(frozen=True)
class Sweep:
    """A base config, one knob and its values; each value a run of `base.seeds` seeds."""

    base: Config
    knob: str
    values: tuple = ()  # empty: the knob's defaults for the base

    def __post_init__(self) -> None:
        if self.knob not in KNOBS:
            raise SweepError(f"unknown knob {self.knob!r}; choose from {', '.join(KNOBS)}")
        knob = KNOBS[self.knob]
        if not self.values:
            object.__setattr__(self, "values", tuple(knob.defaults(self.base)))
        values = self.values
        if not 2 <= len(values) <= MAX_VALUES:
            raise SweepError(f"a sweep needs 2 to {MAX_VALUES} values of {self.knob}, got {len(values)}")
        if len(set(values)) != len(values):
            raise SweepError(f"{self.knob} values repeat: {', '.join(map(show, values))}; give each once")
        if knob.scale != "category":
            object.__setattr__(self, "values", tuple(sorted(values)))
        if self.base.replicate != 0:
            raise SweepError("a sweep's base config trains every replicate: leave replicate at 0")
        for value in self.values:
            try:
                knob.apply(self.base, value)
            except ConfigError as e:
                raise SweepError(f"{self.knob} = {show(value)}: {e}") from None

    @property
    def configs(self) -> list[Config]:
        """Each value's run config, in the order of `values`."""
        return [KNOBS[self.knob].apply(self.base, v) for v in self.values]

    def progress(self, finished: Iterable[int]) -> tuple[int, int, int]:
        """Where training is, from the value index of each epoch finished so far: (the value in
        training, from 1; its epochs done; its epochs). Values that train together are at the
        same epoch, so the first of them stands for all."""
        done = [0] * len(self.values)
        for i in finished:
            done[i] += 1
        configs = self.configs
        i = next((i for i, c in enumerate(configs) if done[i] < c.epochs), len(configs) - 1)
        return i + 1, done[i], configs[i].epochs

    @property
    def together(self) -> bool:
        """Whether the values train at once, in one batched model, rather than one after another."""
        return KNOBS[self.knob].batched

    @property
    def names(self) -> list[str]:
        """Each value's run folder name: its place and value, so that folders list in order."""
        return [f"{i}-{show(v)}" for i, v in enumerate(self.values)]

    @property
    def runs(self) -> int:
        """Runs in all: one per value and seed."""
        return len(self.values) * self.base.seeds

    def groups(self) -> list[list[int]]:
        """The values (by position) that train together: all of them for a batched knob."""
        return (
            [list(range(len(self.values)))]
            if KNOBS[self.knob].batched
            else [[i] for i in range(len(self.values))]
        )

    def to_dict(self) -> dict:
        return {"knob": self.knob, "values": list(self.values), "base": self.base.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> Sweep:
        return cls(Config.from_dict(d["base"]), d["knob"], tuple(d["values"]))


# --- training -----------------------------------------------------------------------------


class SweepWriter:
    """The sweep folder and its sweep.json: written at the start, at each value, and at the end."""

    def __init__(self, runs_dir: Path | str, sweep: Sweep, name: str | None = None):
        now = datetime.now()
        name = name or f"{now:%Y%m%d-%H%M%S}-sweep-{sweep.knob}-{secrets.token_hex(3)}"
        self.path = Path(runs_dir) / name
        self.path.mkdir(parents=True)
        self.sweep, self.started, self.begin = sweep, now.isoformat(timespec="seconds"), time.perf_counter()
        self.write("running")

    def beat(self, epoch: int, done: int, batches: int) -> None:
        """After a batch: sweep.json rewritten if status.HEARTBEAT seconds have passed, so that a
        listing tells a live sweep (one batched group may train for minutes) from a dead one."""
        if time.monotonic() - self._beat > HEARTBEAT:
            self.write("running")

    def write(self, state: str, reason: str = "", facts: dict | None = None, message: str = "") -> None:
        """sweep.json: the sweep, its `state` (see status.write_status) and its seconds so far."""
        extra = self.sweep.to_dict() | {"seconds": time.perf_counter() - self.begin}
        write_status(self.path / FILE, state, reason, facts, message, started=self.started, extra=extra)
        self._beat = time.monotonic()


def train_sweep(
    sweep: Sweep,
    runs_dir: Path | str,
    to: events.Sink | Iterable[events.Sink] | None = None,
    stop: events.Stop | None = None,
) -> tuple[SweepRun, float]:
    """Train every value of the sweep (see the module's docstring for what trains together).

    Its events go to `to`: RunStarted of the sweep's folder, BatchDone, each value's EpochEnded
    (its `value` the value's place, its records by replicate), a RunEnded of each value's run
    when it ends (with its `value`), and the sweep's RunEnded. `stop` ends the sweep at the next
    batch: the values already trained stay as they are, the value training stops as a run does,
    the rest never start.
    """
    emit = events.sink(to)
    writer = SweepWriter(runs_dir, sweep)
    emit(events.RunStarted(str(writer.path)))
    configs, names = sweep.configs, sweep.names
    status, reason, facts = "finished", "", {}
    with record.marks_an_error(writer.write):
        for group in sweep.groups():
            if stop is not None and stop.is_set():
                break
            found, _ = record.train_together(
                [configs[i] for i in group],
                [writer.path] * len(group),
                [beats(writer), values_of(group, emit)],
                stop,
                names=[names[i] for i in group],
            )
            writer.write("running")
            for i, run in zip(group, found, strict=True):
                emit(value_ended(i, run))
    if stop is not None and stop.is_set():
        status, (reason, facts) = "stopped", stop.reason()
    writer.write(status, reason, facts)
    found = load_sweep(writer.path)
    emit(events.RunEnded(found.status, found.message, reason, facts, str(found.path)))
    return found, found.seconds


def beats(writer: SweepWriter) -> events.Sink:
    """The sink that keeps the sweep's heartbeat at every BatchDone."""
    return events.of(events.BatchDone, lambda done: writer.beat(done.epoch, done.done, done.batches))


def values_of(group: list[int], emit: events.Sink) -> events.Sink:
    """The sink that passes on the BatchDone and EpochEnded of `train_together` over the values
    `group`, each EpochEnded with its value's place in the sweep."""

    def passed(event: events.Event) -> None:
        if isinstance(event, events.EpochEnded):
            emit(replace(event, value=group[event.value]))
        elif isinstance(event, events.BatchDone):
            emit(event)

    return passed


def value_ended(i: int, run: Run) -> events.RunEnded:
    """The RunEnded of value i's run."""
    return events.RunEnded(run.status, run.message, run.reason, run.facts, str(run.path), i)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepRun:
    """A sweep folder read back: the sweep, how it ended, and the runs of the values it reached."""

    path: Path
    sweep: Sweep
    status: str
    message: str
    started: str
    seconds: float
    runs: dict[int, Run] = field(default_factory=dict)  # value index -> its run

    @property
    def name(self) -> str:
        return self.path.name

    def summary(self) -> pd.DataFrame:
        """One row per value trained: value, seeds (replicates with a finished epoch), the
        epochs its run finished and whether it finished all of them (finished: a value
        interrupted after 3 of 10 epochs is not set against whole ones unsaid), the run's name,
        and of the final test accuracy and the lowest test loss the mean, sd, min and max over
        the seeds as seeds.summary names them (test_accuracy_mean, lowest_test_loss_sd, ...)."""
        rows = [
            {
                "value": self.sweep.values[i],
                "epochs": len(run.history),
                "finished": run.status == "finished" and len(run.history) == run.config.epochs,
                "run": run.name,
            }
            | seeds.summary([r.history for r in run.replicates()])
            for i, run in sorted(self.runs.items())
        ]
        return pd.DataFrame(rows, columns=SUMMARY)

    def best(self) -> int | None:
        """The position (in `sweep.values`) of the best value trained: among the values that
        finished if any did, the highest mean final test accuracy, ties going to the lower mean
        lowest test loss; None if none trained. (Whether it finished: summary's `finished`.)"""
        table = self.summary().dropna(subset=["test_accuracy_mean"])
        if table.empty:
            return None
        if table["finished"].any():
            table = table[table["finished"]]
        best = table.sort_values(
            ["test_accuracy_mean", "lowest_test_loss_mean"], ascending=[False, True]
        ).iloc[0]
        return self.sweep.values.index(best["value"])

    def neighbours(self) -> list[int]:
        """The values the best is set against: those next to it on an ordered knob, every other
        trained value on a category knob."""
        best = self.best()
        if best is None:
            return []
        if KNOBS[self.sweep.knob].scale == "category":
            return [i for i in self.runs if i != best]
        return [i for i in (best - 1, best + 1) if i in self.runs]

    def curves(self) -> pd.DataFrame:
        """Every value's mean curve in long form: value, epoch, metric, value of the metric."""
        frames = [
            run.history.melt("epoch", ["train_loss", "test_loss", "test_accuracy"], "metric", "y").assign(
                value=show(self.sweep.values[i]), order=i
            )
            for i, run in sorted(self.runs.items())
        ]
        columns = ["epoch", "metric", "y", "value", "order"]
        return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def list_sweeps(runs_dir: Path | str) -> tuple[list[SweepRun], list[str]]:
    """Every readable sweep under `runs_dir`, newest first, and one line per damaged one."""
    root, found, problems = Path(runs_dir), [], []
    for path in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        if is_sweep(path):
            try:
                found.append(load_sweep(path))
            except RunError as e:
                problems.append(str(e))
    return found, problems


def load_sweep(path: Path | str) -> SweepRun:
    """Read a sweep folder; a damaged sweep.json is a RunError naming it. A value's run that
    cannot be read is left out (runs.list_runs names it)."""
    path = Path(path)
    try:
        raw = json.loads((path / FILE).read_text())
        sweep = Sweep.from_dict(raw)
    except FileNotFoundError:
        raise RunError(f"{path.name}: {FILE} is missing") from None
    except Exception as e:
        raise RunError(f"{path.name}: cannot read {FILE} ({type(e).__name__}: {e})") from None
    if problem := status_problem(raw):
        raise RunError(f"{path.name}: {FILE} {problem}")
    status = truth(path / FILE, raw)
    found = {}
    for i, name in enumerate(sweep.names):
        if (path / name).is_dir():
            try:
                found[i] = runs.load_run(path / name)
            except RunError:
                continue
    _, _, message = said(status)
    return SweepRun(
        path, sweep, status["status"], message, raw.get("started", ""), float(raw.get("seconds", 0.0)), found
    )
