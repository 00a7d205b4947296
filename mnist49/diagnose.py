"""Reading a run's curves in the chapter's terms: baseline, still learning, overfitting."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from mnist49.config import Config
from mnist49.model import DEFAULT_LR

BASELINE = 0.5  # accuracy of guessing on a two-class problem


@dataclass(frozen=True)
class Reading:
    situation: str  # "no history", "not learning", "at baseline", "still learning", "overfitting"
    best_epoch: int | None  # the epoch of lowest test loss
    text: str  # one paragraph for the learner


def best_epoch(history: pd.DataFrame) -> int | None:
    """The epoch with the lowest test loss: where the model generalises best."""
    return None if history.empty else int(history.loc[history["test_loss"].idxmin(), "epoch"])


def read(history: pd.DataFrame) -> Reading:
    """Which of the chapter's situations the curves show, and what to try."""
    if history.empty:
        return Reading("no history", None, "No epoch has finished yet.")
    first, last = history.iloc[0], history.iloc[-1]
    best = best_epoch(history)
    n = int(last["epoch"])
    best_loss = float(history["test_loss"].min())
    if len(history) >= 3 and last["train_loss"] > 0.9 * first["train_loss"]:
        return Reading("not learning", best, (
            f"Train loss hardly fell ({first['train_loss']:.3f} -> {last['train_loss']:.3f}): the "
            "model is not learning. Step 1 of the chapter: give it more parameters (more channels), "
            "or check that the learning rate is not far too high or too low."))
    if last["test_accuracy"] <= BASELINE + 0.05:
        return Reading("at baseline", best, (
            f"Test accuracy is {last['test_accuracy']:.1%}, at the {BASELINE:.0%} baseline of a "
            "two-class problem: no better than guessing. Step 2 of the chapter: check the problem, "
            "the labels and the code."))
    if best < n and last["test_loss"] > best_loss * 1.05:
        return Reading("overfitting", best, (
            f"Overfitting from epoch {best}: test loss was lowest there ({best_loss:.4f}) and rose "
            f"to {last['test_loss']:.4f} by epoch {n}, while train loss kept falling "
            f"({last['train_loss']:.4f}). This is expected, not bad: the weights of epoch {best} "
            "generalise best. To delay it (step 4): more data, a lower learning rate, fewer "
            "parameters, weight decay or dropout."))
    return Reading("still learning", best, (
        f"Still learning: test loss is at or near its lowest at epoch {n} "
        f"({last['test_loss']:.4f}, accuracy {last['test_accuracy']:.1%}) and no overfitting shows "
        "yet. Step 3 of the chapter: train longer, raise the learning rate or add parameters until "
        "the test loss turns up; if it never does, check that test digits are not in the train set."))


@dataclass(frozen=True)
class Remedy:
    """One experiment the chapter suggests: a label and the config fields it changes."""

    label: str
    changes: dict  # Config field -> new value


def _scaled(widths: tuple[int, ...], factor: float) -> tuple[int, ...]:
    return tuple(max(1, round(w * factor)) for w in widths)


def remedies(situation: str, config: Config, train_available: int) -> list[Remedy]:
    """The chapter's remedies for `situation`, as changes to `config` that can be tried at once."""
    widths = "channels" if config.model == "cnn" else "hidden"
    current = config.widths
    train_size = config.train_size or train_available
    more_params = Remedy(f"More parameters ({widths} {_scaled(current, 2)})",
                         {widths: _scaled(current, 2)})
    if situation == "not learning":
        return [more_params,
                Remedy(f"Lower learning rate ({config.lr / 10:g})", {"lr": config.lr / 10})]
    if situation == "at baseline":
        recipe = Config(model=config.model, lr=DEFAULT_LR[config.model])
        return [Remedy("Back to the chapter's recipe", {
            f.name: getattr(recipe, f.name) for f in fields(Config) if f.name not in ("data", "device")})]
    if situation == "still learning":
        return [Remedy(f"More epochs ({config.epochs * 2})", {"epochs": config.epochs * 2}),
                Remedy(f"Higher learning rate ({config.lr * 2:g})", {"lr": config.lr * 2}),
                more_params]
    if situation == "overfitting":
        found = []
        if train_size < train_available:
            more = min(train_available, train_size * 4)
            found.append(Remedy(f"More data ({more:,} train digits)", {"train_size": more}))
        found += [
            Remedy(f"Lower learning rate ({config.lr / 2:g})", {"lr": config.lr / 2}),
            Remedy("Weight decay 0.0001 with AdamW", {"optimizer": "adamw", "weight_decay": 1e-4}),
            Remedy("Dropout 0.2", {"dropout": 0.2}),
        ]
        if min(current) > 1:
            found.append(Remedy(f"Fewer parameters ({widths} {_scaled(current, 0.5)})",
                                {widths: _scaled(current, 0.5)}))
        if config.activation != "mish":
            found.append(Remedy("Mish activation", {"activation": "mish"}))
        return found
    return []
