"""What a setting's field is: how its kind of value is read from text and written back, its
limits, and the errors that name the setting. settings.FIELDS holds one Field per Config field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

ALL_DIGITS = tuple(range(10))


class SettingError(ValueError):
    """A setting's text that cannot be read; says which setting and what it expects."""

    def __init__(self, name: str, text: str, expected: str):
        self.name, self.text, self.expected = name, text, expected
        super().__init__(f"{name}: expected {expected}, got {text!r}")


class OutOfRange(SettingError):
    """A number outside its setting's limits: `value` as asked, `nearest` the closest value within
    them."""

    def __init__(self, name: str, text: str, expected: str, value: Any, nearest: Any):
        super().__init__(name, text, expected)
        self.value, self.nearest = value, nearest


# --- text: how each kind of value is written and read back ---------------------------------


def read_ints(text: str) -> tuple[int, ...]:
    values = tuple(int(w) for w in text.replace(" ", "").split(",") if w)
    if not values:
        raise ValueError("no numbers")
    return values


def read_digits(text: str) -> tuple[int, ...]:
    return ALL_DIGITS if text.strip() == "all" else tuple(sorted(set(read_ints(text))))


def read_size(text: str) -> int | None:
    return None if text.strip() == "all" else int(text)


def read_indices(text: str) -> tuple[int, ...]:
    if text.strip() in ("", "none"):
        return ()
    values = tuple(sorted(set(read_ints(text))))
    if values[0] < 0:
        raise ValueError("negative")
    return values


def read_names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


def read_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


def read_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false", "yes", "no", "1", "0"):
        raise ValueError(text)
    return lowered in ("true", "yes", "1")


def show_bool(value: bool) -> str:
    return "yes" if value else "no"


def show_list(values: Iterable) -> str:
    return ",".join(str(v) for v in values)


def show_digits(digits: tuple[int, ...]) -> str:
    return "all" if digits == ALL_DIGITS else show_list(digits)


def show_size(size: int | None) -> str:
    return "all" if size is None else str(size)


@dataclass(frozen=True)
class Field:
    """One setting: how its text is read and written, what it expects, and its limits."""

    parse: Callable[[str], Any]  # text -> value; raises ValueError on bad text
    show: Callable[[Any], str]  # value -> the text `parse` reads back
    expected: str  # what good text looks like, for messages
    help: str  # for the CLI
    choices: Collection[str] | None = None  # a registry: read live, so a new entry shows up
    page: bool = True  # a Train page setting, carried in the shareable link
    # The limits of a number (None: not a number, or unbounded), the same for the widgets, the
    # link and the CLI; "all" (None) is always within a size's
    low: float | None = None
    high: float | None = None

    def within(self, value: Any) -> bool:
        return not isinstance(value, int | float) or (
            (self.low is None or value >= self.low) and (self.high is None or value <= self.high)
        )

    def nearest(self, value: Any) -> Any:
        """The value moved to the closer limit (unchanged when within them)."""
        if self.within(value):
            return value
        return type(value)(self.low if self.low is not None and value < self.low else self.high)

    @property
    def wanted(self) -> str:
        """What good text looks like, with the limits."""
        if self.low is None or self.high is None:
            return self.expected
        low, high = (v if isinstance(v, int) else f"{v:g}" for v in (self.low, self.high))
        return f"{self.expected} (from {low} to {high})"
