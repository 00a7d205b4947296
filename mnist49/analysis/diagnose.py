"""Reading a run's curves in the chapter's terms: baseline, still learning, overfitting."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import pandas as pd

from mnist49.config import Config
from mnist49.models.model import MODELS

BASELINE = 0.5  # accuracy of guessing on a two-class problem; 1 / C for C balanced classes
TOO_HIGH = 10  # a learning rate this many times the model's default counts as far above it
STUCK = 0.15  # a train loss within this fraction of ln C is "at chance": the loss of answering 1/C


# The texts, as templates over a reading's facts, so a UI can say the same in another language.
READINGS = {
    "no history": "No epoch has finished yet.",
    "lr too high": (
        "Train loss is stuck at {last_train:.3f}, near ln {classes} = {chance:.3f} (the loss of "
        "answering 1/{classes} for every digit), and test accuracy is at the {baseline:.0%} "
        "baseline: the learning rate {lr:g} is {ratio:.0f} times this model's {default:g}, so every "
        "step overshoots and the model has settled on guessing. Lower the learning rate."
    ),
    "not learning": (
        "Train loss hardly fell ({first_train:.3f} -> {last_train:.3f}): the model is not "
        "learning. Step 1 of the chapter: give it more parameters (more channels), or check that "
        "the learning rate is not far too high or too low."
    ),
    "at baseline": (
        "Test accuracy is {accuracy:.1%}, at the {baseline:.0%} baseline of a {classes}-class problem: "
        "no better than guessing. Step 2 of the chapter: check the problem, the labels and the "
        "code."
    ),
    "overfitting": (
        "Overfitting from epoch {best}: test loss was lowest there ({best_loss:.4f}) and rose to "
        "{last_loss:.4f} by epoch {last}, while train loss kept falling ({last_train:.4f}). This "
        "is expected, not bad: the weights of epoch {best} generalise best. To delay it (step 4): "
        "more data, a lower learning rate, fewer parameters, weight decay or dropout."
    ),
    "still learning": (
        "Still learning: test loss is at or near its lowest at epoch {last} ({last_loss:.4f}, "
        "accuracy {accuracy:.1%}) and no overfitting shows yet. Step 3 of the chapter: train "
        "longer, raise the learning rate or add parameters until the test loss turns up; if it "
        "never does, check that test digits are not in the train set."
    ),
}
REMEDIES = {
    "more params": "More parameters ({what} {value})",
    "fewer params": "Fewer parameters ({what} {value})",
    "lower lr": "Lower learning rate ({value:g})",
    "higher lr": "Higher learning rate ({value:g})",
    "more epochs": "More epochs ({value})",
    "more data": "More data ({value:,} train digits)",
    "recipe": "Back to the chapter's recipe",
    "weight decay": "Weight decay 0.0001 with AdamW",
    "dropout": "Dropout 0.2",
    "mish": "Mish activation",
}


@dataclass(frozen=True)
class Reading:
    situation: str  # a key of READINGS
    best_epoch: int | None  # the epoch of lowest test loss
    facts: dict  # the figures the text quotes

    @property
    def text(self) -> str:
        """One paragraph for the learner (in English; READINGS holds the template)."""
        return READINGS[self.situation].format(**self.facts)


def best_epoch(history: pd.DataFrame) -> int | None:
    """The epoch with the lowest test loss: where the model generalises best."""
    return None if history.empty else int(history.loc[history["test_loss"].idxmin(), "epoch"])


def _lr_too_high(history: pd.DataFrame, classes: int, config: Config | None) -> dict | None:
    """The facts of a learning rate far too high, if the curves show one: the train loss at
    chance (ln C) from the first epochs on, accuracy at the baseline, the lr far above the
    model's default. None otherwise."""
    if config is None:
        return None
    default, chance = MODELS[config.model].lr, math.log(classes)
    settled = history["train_loss"].iloc[1:] if len(history) > 1 else history["train_loss"]
    if (
        config.lr >= TOO_HIGH * default
        and ((settled - chance).abs() <= STUCK * chance).all()
        and history["test_accuracy"].iloc[-1] <= 1 / classes + 0.05
    ):
        return {"lr": config.lr, "default": default, "ratio": config.lr / default, "chance": chance}
    return None


def read(history: pd.DataFrame, classes: int = 2, config: Config | None = None) -> Reading:
    """Which of the chapter's situations the curves show, for a problem of `classes` digits
    (trained with `config`, if given: a learning rate far too high needs its lr to be named)."""
    if history.empty:
        return Reading("no history", None, {})
    first, last = history.iloc[0], history.iloc[-1]
    best = best_epoch(history)
    facts = {
        "first_train": float(first["train_loss"]),
        "last_train": float(last["train_loss"]),
        "last_loss": float(last["test_loss"]),
        "accuracy": float(last["test_accuracy"]),
        "best": best,
        "best_loss": float(history["test_loss"].min()),
        "last": int(last["epoch"]),
        "baseline": 1 / classes,
        "classes": classes,
    }
    too_high = _lr_too_high(history, classes, config)
    if too_high is not None:
        situation, facts = "lr too high", facts | too_high
    elif len(history) >= 3 and last["train_loss"] > 0.9 * first["train_loss"]:
        situation = "not learning"
    elif last["test_accuracy"] <= facts["baseline"] + 0.05:
        situation = "at baseline"
    elif best < facts["last"] and last["test_loss"] > facts["best_loss"] * 1.05:
        situation = "overfitting"
    else:
        situation = "still learning"
    return Reading(situation, best, facts)


@dataclass(frozen=True)
class Remedy:
    """One experiment the chapter suggests: what it is and the config fields it changes."""

    kind: str  # a key of REMEDIES
    facts: dict  # the figures its label quotes
    changes: dict  # Config field -> new value

    @property
    def label(self) -> str:
        return REMEDIES[self.kind].format(**self.facts)


def _scaled(widths: tuple[int, ...], factor: float) -> tuple[int, ...]:
    return tuple(max(1, round(w * factor)) for w in widths)


def remedies(situation: str, config: Config, train_available: int) -> list[Remedy]:
    """The chapter's remedies for `situation`, as changes to `config` that can be tried at once;
    never one the run already has (a dropout-0.2 run is not offered dropout 0.2)."""
    found = _remedies(situation, config, train_available)
    return [r for r in found if any(getattr(config, k) != v for k, v in r.changes.items())]


def _remedies(situation: str, config: Config, train_available: int) -> list[Remedy]:
    widths = MODELS[config.model].widths
    current = config.widths
    train_size = config.train_size or train_available

    def remedy(kind: str, value=None, **changes) -> Remedy:
        return Remedy(kind, {"what": widths, "value": value}, changes)

    more_params = remedy("more params", _scaled(current, 2), **{widths: _scaled(current, 2)})
    if situation == "lr too high":
        default = MODELS[config.model].lr
        return [
            remedy("lower lr", default, lr=default),
            remedy("lower lr", config.lr / 10, lr=config.lr / 10),
        ]
    if situation == "not learning":
        return [more_params, remedy("lower lr", config.lr / 10, lr=config.lr / 10)]
    if situation == "at baseline":
        recipe = Config(model=config.model, lr=MODELS[config.model].lr)
        return [
            remedy(
                "recipe",
                **{
                    f.name: getattr(recipe, f.name)
                    for f in fields(Config)
                    if f.name not in ("digits", "data", "device")
                },
            )
        ]
    if situation == "still learning":
        return [
            remedy("more epochs", config.epochs * 2, epochs=config.epochs * 2),
            remedy("higher lr", config.lr * 2, lr=config.lr * 2),
            more_params,
        ]
    if situation == "overfitting":
        found = []
        if train_size < train_available:
            more = min(train_available, train_size * 4)
            found.append(remedy("more data", more, train_size=more))
        found += [
            remedy("lower lr", config.lr / 2, lr=config.lr / 2),
            remedy("weight decay", optimizer="adamw", weight_decay=1e-4),
            remedy("dropout", dropout=0.2),
        ]
        if min(current) > 1:
            found.append(remedy("fewer params", _scaled(current, 0.5), **{widths: _scaled(current, 0.5)}))
        if config.activation != "mish":
            found.append(remedy("mish", activation="mish"))
        return found
    return []
