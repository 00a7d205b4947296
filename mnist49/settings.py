"""One mapping between a Config and the outside world, field by field.

Text is what a CLI flag and a URL query parameter hold (`--channels 8,16,32`, `?channels=8,16,32`);
widget values are what the Train page's widgets hold (`"8, 16, 32"` in a text box). The CLI, the
Train page, Try this and the shareable link all go through here, so that a field is parsed and
written in one place (its entry, a fields.Field), and every field of Config has an entry (a test
checks it).
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Collection, Iterable, Mapping
from typing import Any, NamedTuple

from mnist49.augment import AUGMENTATIONS
from mnist49.config import DEVICES, MAX_SEEDS, Config, ConfigError
from mnist49.fields import (
    ALL_DIGITS,
    Field,
    OutOfRange,
    SettingError,
    read_bool,
    read_digits,
    read_float,
    read_indices,
    read_ints,
    read_names,
    read_size,
    show_bool,
    show_digits,
    show_list,
    show_size,
)
from mnist49.models.model import ACTIVATIONS, MODELS
from mnist49.models.optimizers import OPTIMIZERS

# The largest number of epochs a run may ask for: 25x the chapter's 40, a day of a large model
MAX_EPOCHS = 1000
# MNIST's own counts: what "all" digits of a problem can be at most
MNIST_SIZES = {"train_size": 60_000, "test_size": 10_000}
MAX_SEED = 2**31 - 1  # numpy's and the widgets' largest seed


def _whole(help: str, **limits: Any) -> Field:
    return Field(int, str, "a whole number", help, **limits)


def _drawn(split: str) -> Field:
    """How many of the split's digits are drawn: up to MNIST's, or "all"."""
    wanted, most = "a number or 'all'", MNIST_SIZES[f"{split}_size"]
    return Field(read_size, show_size, wanted, f"{split} digits drawn: {wanted}", low=1, high=most)


FIELDS: dict[str, Field] = {
    "model": Field(str, str, "a model name", "the model", MODELS),
    "channels": Field(read_ints, show_list, "numbers like 4,8,16", "CNN conv channels"),
    "hidden": Field(read_ints, show_list, "numbers like 128,64", "MLP hidden widths"),
    "activation": Field(str, str, "an activation name", "the activation function", ACTIVATIONS),
    "dropout": Field(read_float, repr, "a number", "dropout before the output layer(s)", low=0.0, high=0.9),
    "digits": Field(
        read_digits,
        show_digits,
        "digits like 3,8 or 'all'",
        "the digits to tell apart: two (4,9), more, or 'all' ten; any but 4,9 need full MNIST, "
        "downloaded on first use",
    ),
    "train_size": _drawn("train"),
    "test_size": _drawn("test"),
    "batch_size": _whole("digits per batch", low=1, high=MNIST_SIZES["train_size"]),
    "epochs": _whole("passes over the train digits", low=1, high=MAX_EPOCHS),
    "optimizer": Field(str, str, "an optimizer name", "the optimizer", OPTIMIZERS),
    "lr": Field(
        read_float,
        repr,
        "a number like 0.004",
        "learning rate (default: the model's in the chapter, "
        + ", ".join(f"{spec.lr:g} {spec.label}" for spec in MODELS.values())
        + ")",
    ),
    "weight_decay": Field(read_float, repr, "a number like 0.0001", "weight decay"),
    "augment": Field(
        read_names,
        show_list,
        "names separated by commas",
        f"augmentations applied per batch, comma-separated: {','.join(AUGMENTATIONS)}",
    ),
    "seed": _whole(
        "picks the digits, the initial weights and the batch order (replicate k: seed + k)",
        low=0,
        high=MAX_SEED,
    ),
    "seeds": _whole("replicates trained together, seeds seed, seed+1, ...", low=1, high=MAX_SEEDS),
    "vary_data": Field(
        read_bool, show_bool, "yes or no", "each replicate draws its own train digits (yes/no)"
    ),
    "replicate": _whole("train replicate k of --seeds alone, as it trains among them", page=False),
    "device": Field(str, str, "a device name", "where to train", DEVICES, page=False),
    "data": Field(
        str,
        str,
        "a data source",
        "'bundled' (4,9 shipped; other digits from full MNIST), 'mnist' (full MNIST, in "
        "$MNIST49_DATA or ./data) or a torchvision root to read full MNIST from",
        page=False,
    ),
    # not in the link: the Train page has no widget for it (Label check's "Train without them" sets it)
    "exclude": Field(
        read_indices,
        show_list,
        "train digit indices like 12,345 or 'none'",
        "train digits never drawn, by index in the train set (from label-check); others take their place",
        page=False,
    ),
}
PAGE_FIELDS = tuple(name for name, field in FIELDS.items() if field.page)


def page_fields(model: str) -> tuple[str, ...]:
    """The Train page's fields that `model` trains with: of the widths (channels, hidden) only
    its own; the other model's box keeps its text for a switch back, unread."""
    return tuple(f for f in PAGE_FIELDS if f not in ("channels", "hidden") or f == MODELS[model].widths)


# Where the Train page's defaults differ from the CLI's (the chapter's single run): three seeds
# cost little there and show how large the noise is. A link is read against these on any machine,
# so that it means the same settings everywhere.
PAGE_DEFAULTS = {"seeds": 3}
# Where the page trains on CUDA seeds are nearly free (they train as one batched model, so ten
# take little longer than one), so it starts with more of them.
CUDA_PAGE_DEFAULTS = PAGE_DEFAULTS | {"seeds": 5}


def page_defaults(cuda: bool) -> dict[str, Any]:
    """The Train page's first settings where it trains on CUDA (`cuda`) or not."""
    return CUDA_PAGE_DEFAULTS if cuda else PAGE_DEFAULTS


def parse(name: str, text: str) -> Any:
    """One field's value from its text; a SettingError says what was expected (OutOfRange, for
    a number outside the field's limits, also the nearest value within them)."""
    field = FIELDS[name]
    try:
        value = field.parse(text)
    except ValueError:
        raise SettingError(name, text, field.wanted) from None
    if field.choices is not None and value not in field.choices:
        raise SettingError(name, text, "one of " + ", ".join(field.choices))
    if not field.within(value):
        raise OutOfRange(name, text, field.wanted, value, field.nearest(value))
    return value


def build(values: Mapping[str, Any], defaults: Mapping[str, Any] = {}) -> Config:  # noqa: B006
    """A Config from the fields given, `defaults` or Config's for the rest; the learning rate
    follows the model (the chapter's rate for it) unless given."""
    model = values.get("model", defaults.get("model", Config.model))
    lr = MODELS[model].lr if model in MODELS else Config.lr
    return Config(**({"lr": lr} | dict(defaults) | dict(values)))


def to_text(
    config: Config,
    names: Iterable[str] = FIELDS,
    changed_only: bool = True,
    defaults: Mapping[str, Any] = {},  # noqa: B006
) -> dict[str, str]:
    """The fields `names` as text, by default only those that differ from the defaults (those of
    the config's model, once the model is said)."""
    base = dataclasses.replace(build({"model": config.model}, defaults), model=Config.model)
    return {
        name: FIELDS[name].show(getattr(config, name))
        for name in names
        if not changed_only or getattr(config, name) != getattr(base, name)
    }


class Reading(NamedTuple):
    """What text such as a link gave: the Config, one line per parameter left out or moved, and
    each value beyond its limits as asked (the Config holds the nearest), for a caller that says
    more of it (the Train page: a size beyond the problem's digits)."""

    config: Config
    problems: list[str]
    beyond: dict[str, Any]


def from_text(
    params: Mapping[str, str],
    names: Collection[str] = FIELDS,
    defaults: Mapping[str, Any] = {},  # noqa: B006
) -> tuple[Config, list[str]]:
    """A Config from text such as URL query parameters, and one line per parameter left out
    because it is unknown or unreadable, or moved to the nearest limit because it is beyond one
    (the rest still count)."""
    return read_text(params, names, defaults)[:2]


def read_text(
    params: Mapping[str, str],
    names: Collection[str] = FIELDS,
    defaults: Mapping[str, Any] = {},  # noqa: B006
) -> Reading:
    """from_text's Config and lines, with the values beyond their limits as asked (Reading)."""
    values, problems, beyond = {}, [], {}
    for name, text in params.items():
        if name not in names:
            problems.append(f"{name}: not a setting")
            continue
        try:
            values[name] = parse(name, text)
        except OutOfRange as e:
            values[name], beyond[name] = e.nearest, e.value
            problems.append(f"{e}; using the nearest allowed value, {FIELDS[name].show(e.nearest)}")
        except SettingError as e:
            problems.append(f"{e}; {_using_default(name, values, defaults)}")
    return Reading(*_buildable(values, defaults, problems), beyond)


def _using_default(name: str, values: Mapping[str, Any], defaults: Mapping[str, Any]) -> str:
    default = getattr(build({n: v for n, v in values.items() if n == "model"}, defaults), name)
    return f"using the default, {FIELDS[name].show(default)}"


def _buildable(
    values: dict[str, Any], defaults: Mapping[str, Any], problems: list[str]
) -> tuple[Config, list[str]]:
    """The Config of `values`, leaving out, one at a time and in words, each value the Config
    refuses (channels of 0, say); the rest still count."""
    while True:
        try:
            return build(values, defaults), problems
        except ConfigError as e:
            if e.field not in values:  # refused for no one field: nothing of the link is used
                return build({}, defaults), [*problems, f"{e}; using the defaults"]
            values = {n: v for n, v in values.items() if n != e.field}
            problems = [*problems, f"{e}; {_using_default(e.field, values, defaults)}"]


# --- URL query parameters: the shareable link ---------------------------------------------


def to_query(config: Config) -> dict[str, str]:
    """The Train page's settings that differ from the defaults, named as Config fields."""
    return to_text(config, PAGE_FIELDS, defaults=PAGE_DEFAULTS)


def from_query(params: Mapping[str, str]) -> tuple[Config, list[str]]:
    return read_query(params)[:2]


def read_query(params: Mapping[str, str]) -> Reading:
    return read_text(params, PAGE_FIELDS, PAGE_DEFAULTS)


# --- CLI flags ------------------------------------------------------------------------------


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_flags(parser: argparse.ArgumentParser, names: Iterable[str] = FIELDS) -> None:
    """One flag per field; a flag not given is absent from the parsed namespace."""
    defaults = Config()
    for name in names:
        field = FIELDS[name]

        def text_type(text: str, name: str = name) -> Any:
            try:
                return parse(name, text)
            except SettingError as e:
                raise argparse.ArgumentTypeError(f"expected {e.expected}, got {text!r}") from None

        shown = field.show(getattr(defaults, name)) or "none"
        parser.add_argument(
            flag(name),
            dest=name,
            type=text_type,
            default=argparse.SUPPRESS,
            metavar="{" + ",".join(field.choices) + "}" if field.choices else name.upper(),
            help=field.help + ("" if name == "lr" else f" (default: {shown})"),
        )


def from_args(args: argparse.Namespace) -> Config:
    """The Config of parsed flags (see `add_flags`)."""
    return build({name: getattr(args, name) for name in FIELDS if hasattr(args, name)})


def to_argv(config: Config) -> list[str]:
    """The flags that give `config`, leaving out the defaults."""
    return [part for name, text in to_text(config).items() for part in (flag(name), text)]


# --- the Train page's widgets ---------------------------------------------------------------


def problem_key(digits: tuple[int, ...]) -> str:
    """The digits as the page's problem picker names them: "4-9", "all"."""
    return "all" if digits == ALL_DIGITS else "-".join(str(d) for d in digits)


def problem_digits(key: str) -> tuple[int, ...]:
    return ALL_DIGITS if key == "all" else tuple(int(d) for d in key.split("-"))


def to_widgets(config: Config, available: Mapping[str, int]) -> dict[str, Any]:
    """The page's widget values for `config`; `available` gives the train and test digits there
    are (train_size, test_size), which stand for "all"."""
    widgets = {}
    for name in PAGE_FIELDS:
        value = getattr(config, name)
        if name in ("channels", "hidden"):
            value = ", ".join(str(w) for w in value)
        elif name == "digits":
            value = problem_key(value)
        elif name == "augment":
            value = list(value)
        elif name in available and value is None:
            value = available[name]
        widgets[name] = value
    return widgets


def from_widgets(widgets: Mapping[str, Any], **fields: Any) -> Config:
    """The Config of the page's widget values (and of `fields` the page sets itself, such as the
    data source). Unreadable widths raise SettingError; impossible settings ConfigError."""
    values = dict(widgets)
    for name in ("channels", "hidden"):
        if name in values:
            values[name] = parse(name, values[name])
    if "digits" in values:
        values["digits"] = problem_digits(values["digits"])
    if "augment" in values:
        values["augment"] = tuple(values["augment"])
    for name in ("dropout", "lr", "weight_decay"):
        if name in values:
            values[name] = float(values[name])
    for name in ("train_size", "test_size", "batch_size", "epochs", "seed"):
        if values.get(name) is not None:
            values[name] = int(values[name])
    return build(values | fields)


def replace_widgets(config: Config, changes: Mapping[str, Any], available: Mapping[str, int]) -> dict:
    """The widget values to set so that the page shows `config` with `changes` (Try this)."""
    changed = dataclasses.replace(config, **changes)
    return {name: value for name, value in to_widgets(changed, available).items() if name in changes}
