"""The one training config: the chapter's recipe as defaults, checked on construction."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from mnist49.augment import AUGMENTATIONS
from mnist49.models.model import ACTIVATIONS, MODELS
from mnist49.models.optimizers import OPTIMIZERS

MAX_SEEDS = 10
DEVICES = ("auto", "cpu", "cuda", "mps")


class ConfigError(ValueError):
    """A setting that cannot be trained; the message says which and why, `field` names it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Config:
    model: str = "cnn"  # a key of model.MODELS: "cnn" or "mlp"
    channels: tuple[int, ...] = MODELS["cnn"].default_widths  # CNN: output channels of its 3 stages
    hidden: tuple[int, ...] = MODELS["mlp"].default_widths  # MLP: hidden layer widths
    activation: str = "relu"  # a key of model.ACTIVATIONS
    dropout: float = 0.0  # before the last Linear (CNN) or after each hidden layer (MLP)
    digits: tuple[int, ...] = (4, 9)  # told apart, in label order: two (one logit, BCE) or more (softmax)
    train_size: int | None = 2000  # drawn from the train digits (11,791 4s and 9s); None: all
    test_size: int | None = 500  # drawn from the test digits (1,991 4s and 9s); None: all
    batch_size: int = 100
    epochs: int = 40
    optimizer: str = "adam"  # a key of optimizers.OPTIMIZERS
    lr: float = MODELS["cnn"].lr  # the chapter's CNN rate (each model's is in model.MODELS)
    weight_decay: float = 0.0
    augment: tuple[str, ...] = ()  # per-batch augmentations, keys of augment.AUGMENTATIONS
    seed: int = 0  # picks the digits; replicate k's initial weights, batch order and draws: seed + k
    seeds: int = 1  # replicates trained together, 1 to MAX_SEEDS (see training_seed)
    vary_data: bool = False  # each replicate draws its own train digits (the test digits stay shared)
    replicate: int = 0  # which replicate of `seeds` this config trains (0 for a lone run)
    device: str = "auto"  # auto: CUDA, then Apple MPS, then CPU
    data: str = "bundled"  # one of data.SOURCES ("bundled": 4/9 shipped; "mnist": full MNIST)
    # train digits never drawn, by their index in the train set (suspect labels: label_check.py);
    # the draw skips them, so a run still trains on train_size digits
    exclude: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        def need(ok: bool, message: str, field: str | None = None) -> None:
            if not ok:
                raise ConfigError(message, field)

        # config.json may hold any JSON: a seed of "x" is named here, not met later as a TypeError
        need(
            isinstance(self.seed, int) and not isinstance(self.seed, bool),
            f"seed must be a whole number, got {self.seed!r}",
            "seed",
        )
        need(self.model in MODELS, f"unknown model {self.model!r}; choose from {', '.join(MODELS)}")
        need(
            self.activation in ACTIVATIONS,
            f"unknown activation {self.activation!r}; choose from {', '.join(ACTIVATIONS)}",
        )
        need(
            self.optimizer in OPTIMIZERS,
            f"unknown optimizer {self.optimizer!r}; choose from {', '.join(OPTIMIZERS)}",
        )
        need(self.device in DEVICES, f"unknown device {self.device!r}; choose from {', '.join(DEVICES)}")
        need(
            len(self.digits) >= 2
            and list(self.digits) == sorted(set(self.digits))
            and all(d in range(10) for d in self.digits),
            f"digits must be two or more different digits 0-9 in increasing order, got {self.digits}",
        )
        for name in sorted({spec.widths for spec in MODELS.values()}):
            widths = getattr(self, name)
            need(
                len(widths) >= 1 and all(w >= 1 for w in widths),
                f"{name} must be one or more positive numbers, got {_widths(widths)}",
                name,
            )
        spec = MODELS[self.model]
        need(
            spec.depth is None or len(self.widths) == spec.depth,
            f"{spec.widths} of the {spec.label} must be {spec.depth} numbers, got {_widths(self.widths)}",
            spec.widths,
        )
        need(0.0 <= self.dropout < 1.0, f"dropout must be in [0, 1), got {self.dropout}")
        for name in ("train_size", "test_size"):
            size = getattr(self, name)
            need(size is None or size >= 1, f"{name} must be at least 1 (or all), got {size}")
        unknown = [a for a in self.augment if a not in AUGMENTATIONS]
        need(
            not unknown, f"unknown augmentation {', '.join(unknown)}; choose from {', '.join(AUGMENTATIONS)}"
        )
        need(1 <= self.seeds <= MAX_SEEDS, f"seeds must be 1 to {MAX_SEEDS}, got {self.seeds}")
        need(
            all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in self.exclude)
            and list(self.exclude) == sorted(set(self.exclude)),
            f"exclude must be train digit indices (0 or more) in increasing order, without repeats, "
            f"got {_short(self.exclude)}",
            "exclude",
        )
        need(self.replicate >= 0, f"replicate must be 0 or more, got {self.replicate}")
        need(self.batch_size >= 1, f"batch size must be at least 1, got {self.batch_size}")
        need(self.epochs >= 1, f"epochs must be at least 1, got {self.epochs}")
        need(math.isfinite(self.lr) and self.lr > 0, f"learning rate must be positive, got {self.lr}")
        need(
            math.isfinite(self.weight_decay) and self.weight_decay >= 0,
            f"weight decay must be 0 or more, got {self.weight_decay}",
        )

    @property
    def training_seed(self) -> int:
        """Picks the initial weights, the batch order, and the dropout and augmentation draws."""
        return self.seed + self.replicate

    @property
    def train_digits_seed(self) -> int:
        return self.seed + self.replicate if self.vary_data else self.seed

    @property
    def test_digits_seed(self) -> int:
        return self.seed + 1  # shared by every replicate, so they can be compared digit by digit

    def replicates(self) -> list[Config]:
        """One lone-run config per replicate: replicate k trains as `mnist49 train --replicate k`."""
        return [self.replace(replicate=k) for k in range(self.seeds)]

    @property
    def binary(self) -> bool:
        return len(self.digits) == 2

    @property
    def outputs(self) -> int:
        """Logits per digit: one for two digits (p of the second = sigmoid), else one per class."""
        return 1 if self.binary else len(self.digits)

    @property
    def widths(self) -> tuple[int, ...]:
        return getattr(self, MODELS[self.model].widths)

    def replace(self, **changes) -> Config:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Config:
        """From `to_dict` output (JSON turns tuples to lists); unknown keys are an error."""
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - fields
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(sorted(unknown))}")
        d = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
        for f in dataclasses.fields(cls):
            default = _example(f)
            if f.name in d and not _of_type(d[f.name], default, "None" in str(f.type)):
                raise ConfigError(f"{f.name} must be {_kind(default)}, got {_short(d[f.name])}", f.name)
        return cls(**d)


def _example(f: dataclasses.Field) -> object:
    """A value of the field's type: its default, or for an empty tuple one with an element of
    the annotated type (exclude's (), a tuple of ints)."""
    if f.default == () and "tuple[int" in str(f.type):
        return (0,)
    return f.default


def _widths(widths: tuple[int, ...]) -> str:
    """Widths as a flag and a link write them (4,8,16), not as a Python tuple."""
    return ",".join(map(str, widths))


def _short(value: object, most: int = 10) -> str:
    """A value for a message; a long tuple (a list of indices) cut to its first `most`."""
    if isinstance(value, tuple | list) and len(value) > most:
        return f"({', '.join(map(repr, value[:most]))}, ... {len(value)} in all)"
    return repr(value)


def _kind(default: object) -> str:
    """What a field holds, in words, for the message about a value of the wrong type."""
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a finite number"
    if isinstance(default, tuple):
        return f"a list of {_kind(default[0]).removeprefix('a ')}s" if default else "a list of names"
    return "text"


def _of_type(value: object, default: object, optional: bool) -> bool:
    """Whether a value read from JSON has its field's type: the default's (a whole number for an
    int, a finite number for a float, the same element type inside a tuple)."""
    if value is None:
        return optional
    if isinstance(default, bool) or isinstance(value, bool):
        return type(value) is type(default)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, float):
        return isinstance(value, int | float) and math.isfinite(value)
    if isinstance(default, tuple):
        element = default[0] if default else ""
        return isinstance(value, tuple) and all(_of_type(v, element, False) for v in value)
    return isinstance(value, type(default))
