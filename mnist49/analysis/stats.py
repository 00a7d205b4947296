"""Is a difference between two runs or two settings real, or seed noise? scipy's tests, verdicts as data.

Two kinds of noise are at work. Seed noise: the same setting trained with another seed ends a
few tenths of a point of accuracy higher or lower (Welch's interval over the replicates measures
it). Digit noise: a test set of 500 digits is one sample of all the digits there are (the paired
tests over the digits measure it). A change helped only when the difference is beyond both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95
# Values whose range is within this (relative to their size) have no spread: a mean of equal
# floats is not exactly each of them, so var() of [0.99] * 3 is 1.2e-32, not 0, and a t-test on it
# would call a one-digit difference certain.
TOLERANCE = 1e-9
ALPHA = 0.05  # p below this: "beyond chance"

# Templates over a verdict's facts, so that a UI can say the same in another language.
# a, b: the two names; points: accuracy in percentage points; low/high: the interval's ends.
VERDICTS = {
    "accuracy better": (
        "{b} is {points:.1f} points more accurate than {a} ({confidence:.0%} interval {low:+.1f} to "
        "{high:+.1f}): better beyond seed noise (p = {p:.2g})."
    ),
    "accuracy worse": (
        "{b} is {points:.1f} points less accurate than {a} ({confidence:.0%} interval {low:+.1f} to "
        "{high:+.1f}): worse beyond seed noise (p = {p:.2g})."
    ),
    "accuracy noise up": (
        "{b} is {points:.1f} points more accurate than {a} ({confidence:.0%} interval {low:+.1f} to "
        "{high:+.1f}): within seed noise, no evidence that the change helped."
    ),
    "accuracy noise down": (
        "{b} is {points:.1f} points less accurate than {a} ({confidence:.0%} interval {low:+.1f} to "
        "{high:+.1f}): within seed noise, no evidence that the change hurt."
    ),
    "loss better": (
        "The lowest test loss of {b} is {delta:.4f} lower than that of {a} ({confidence:.0%} interval "
        "{low:+.4f} to {high:+.4f}): better beyond seed noise (p = {p:.2g})."
    ),
    "loss worse": (
        "The lowest test loss of {b} is {delta:.4f} higher than that of {a} ({confidence:.0%} interval "
        "{low:+.4f} to {high:+.4f}): worse beyond seed noise (p = {p:.2g})."
    ),
    "loss noise": (
        "The lowest test loss of {b} differs from that of {a} by {signed:+.4f} ({confidence:.0%} "
        "interval {low:+.4f} to {high:+.4f}): within seed noise."
    ),
    "no spread": (
        "Every seed of {a} gave {mean_a:.4g} and every seed of {b} {mean_b:.4g}: with no spread "
        "between seeds there is nothing to measure the noise by; train more seeds."
    ),
    "a diverged": (
        "{a} diverged: {count} of its {n} seeds ended at a value that is not a number (nan or inf), so "
        "there is no difference to measure; train {a} again at a lower learning rate."
    ),
    "b diverged": (
        "{b} diverged: {count} of its {n} seeds ended at a value that is not a number (nan or inf), so "
        "there is no difference to measure; train {b} again at a lower learning rate."
    ),
    "both diverged": (
        "{a} and {b} both diverged: some of their seeds ended at a value that is not a number (nan or "
        "inf), so there is no difference to measure; train them again at a lower learning rate."
    ),
    "no epochs": ("{side} has no finished epoch, so there is nothing to compare it by: train it again."),
    "too few seeds": (
        "{b} and {a} differ by {signed:+.4g}, but with {n_a} and {n_b} seeds the seed noise cannot "
        "be measured: train at least 2 seeds of each."
    ),
    "digits better": (
        "{b} gets {b_only} test digits right that {a} gets wrong, {a} {a_only} that {b} gets wrong: "
        "{b} is better on these digits beyond chance (p = {p:.2g})."
    ),
    "digits worse": (
        "{b} gets {b_only} test digits right that {a} gets wrong, {a} {a_only} that {b} gets wrong: "
        "{b} is worse on these digits beyond chance (p = {p:.2g})."
    ),
    "digits noise": (
        "{b} gets {b_only} test digits right that {a} gets wrong, {a} {a_only} that {b} gets wrong: "
        "a split like this is within chance (p = {p:.2g})."
    ),
}


# The test a seed-noise verdict used, named after its sentence.
TESTS = {
    "welch": "[Welch's t-test over the seeds]",
    "paired": "[paired by seed: paired t-test of seed k against seed k]",
}


@dataclass(frozen=True)
class Verdict:
    kind: str  # a key of VERDICTS
    facts: dict  # the figures its template quotes
    test: str = ""  # a key of TESTS where the verdict came from a t-test, else ""

    def text(self) -> str:
        """One sentence for the learner (in English; VERDICTS and TESTS hold the templates)."""
        said = VERDICTS[self.kind].format(**self.facts)
        return f"{said} {TESTS[self.test]}" if self.test else said


@dataclass(frozen=True)
class Discordant:
    """How two sides split the test digits they disagree on, and an exact test of that split."""

    a_only: int  # digits A gets right (more often) and B wrong (more often)
    b_only: int
    p: float  # two-sided exact binomial test of b_only among a_only + b_only at 1/2


@dataclass(frozen=True)
class Difference:
    """mean(b) - mean(a) with a Welch t interval (NaN where fewer than 2 values a side)."""

    mean_a: float
    mean_b: float
    delta: float
    low: float
    high: float
    p: float
    n_a: int
    n_b: int
    test: str = "welch"  # a key of TESTS


def mcnemar(right_a: np.ndarray, right_b: np.ndarray) -> Discordant:
    """McNemar's exact test for two runs on the same test digits: right_a, right_b (M,) bool.

    Only the discordant digits (one run right, the other wrong) carry evidence; if the runs were
    equally good each would fall to either run with probability 1/2: a binomial test."""
    right_a, right_b = np.asarray(right_a, bool), np.asarray(right_b, bool)
    a_only, b_only = int((right_a & ~right_b).sum()), int((right_b & ~right_a).sum())
    return Discordant(a_only, b_only, _binomial(a_only, b_only))


def per_digit(right_a: np.ndarray, right_b: np.ndarray) -> Discordant:
    """The sign test over test digits for two settings' replicates: right_a (n, M), right_b (m, M).

    A digit counts for B when a larger share of B's replicates get it right than of A's, and
    for A the other way round; ties carry no evidence. The digits are the sampled unit (each an
    independent draw from all the 4s and 9s), and the replicates of a side are pooled into one
    share per digit, so no digit is counted more than once. The sign test asks only which side
    each digit favours, so it needs no assumption about the shares' distribution (mostly 0 or
    1), and with one replicate a side it is exactly McNemar's test. It measures digit noise,
    not seed noise: read it next to the Welch interval of `difference`."""
    share_a = np.asarray(right_a, float).reshape(-1, np.shape(right_a)[-1]).mean(0)  # (M,)
    share_b = np.asarray(right_b, float).reshape(-1, np.shape(right_b)[-1]).mean(0)
    a_only, b_only = int((share_a > share_b).sum()), int((share_b > share_a).sum())
    return Discordant(a_only, b_only, _binomial(a_only, b_only))


def _binomial(a_only: int, b_only: int) -> float:
    from scipy import stats  # here, not at import: the app's pages import this module at start

    n = a_only + b_only
    return 1.0 if n == 0 else float(stats.binomtest(b_only, n, 0.5).pvalue)


def difference(
    a: Sequence[float], b: Sequence[float], confidence: float = CONFIDENCE, paired: bool = False
) -> Difference:
    """mean(b) - mean(a) with Welch's t interval and p (unequal variances: a change of setting
    may change how much the seeds spread), or, when `paired` (value k of each from the same seed:
    same initial weights and batch order), the paired t-test's, which removes what the seeds share.
    Paired differences without spread fall back to Welch."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if (
        paired
        and len(a) == len(b) >= 2
        and np.isfinite(a).all()
        and np.isfinite(b).all()
        and not _flat(b - a)
    ):
        from scipy import stats

        test = stats.ttest_rel(b, a)
        interval = test.confidence_interval(confidence)
        return Difference(
            float(a.mean()),
            float(b.mean()),
            float(b.mean() - a.mean()),
            float(interval.low),
            float(interval.high),
            float(test.pvalue),
            len(a),
            len(b),
            "paired",
        )
    delta = float(b.mean() - a.mean())
    # no interval: too few values, a value that is not finite, or no spread on either side
    unknown = len(a) < 2 or len(b) < 2 or not (np.isfinite(a).all() and np.isfinite(b).all())
    if unknown or (_flat(a) and _flat(b)):
        return Difference(
            float(a.mean()), float(b.mean()), delta, math.nan, math.nan, math.nan, len(a), len(b)
        )
    from scipy import stats

    test = stats.ttest_ind(b, a, equal_var=False)
    interval = test.confidence_interval(confidence)
    return Difference(
        float(a.mean()),
        float(b.mean()),
        delta,
        float(interval.low),
        float(interval.high),
        float(test.pvalue),
        len(a),
        len(b),
    )


def _flat(values: np.ndarray) -> bool:
    """Whether the values have no spread: their range is within TOLERANCE of their size."""
    return float(np.ptp(values)) <= TOLERANCE * max(1.0, float(np.abs(values).max()))


def accuracy_verdict(
    accuracy_a: Sequence[float],
    accuracy_b: Sequence[float],
    a: str = "A",
    b: str = "B",
    paired: bool = False,
) -> Verdict:
    """Final test accuracies (fractions), one per seed: is B better, worse, or within seed noise?
    `paired`: value k of each came from the same seed (see `difference`)."""
    unmeasured = _diverged(accuracy_a, accuracy_b, a, b)
    if unmeasured:
        return unmeasured
    d = difference(accuracy_a, accuracy_b, paired=paired)
    unmeasured = _unmeasured(d, a, b)
    if unmeasured:
        return unmeasured
    facts = {"a": a, "b": b, "confidence": CONFIDENCE, "p": d.p}
    facts |= {"points": abs(d.delta) * 100, "low": d.low * 100, "high": d.high * 100}
    if d.low > 0:
        return Verdict("accuracy better", facts, d.test)
    if d.high < 0:
        return Verdict("accuracy worse", facts, d.test)
    return Verdict("accuracy noise up" if d.delta >= 0 else "accuracy noise down", facts, d.test)


def loss_verdict(
    lowest_a: Sequence[float],
    lowest_b: Sequence[float],
    a: str = "A",
    b: str = "B",
    paired: bool = False,
) -> Verdict:
    """Lowest test losses, one per seed (lower is better); `paired` as in `accuracy_verdict`."""
    unmeasured = _diverged(lowest_a, lowest_b, a, b)
    if unmeasured:
        return unmeasured
    d = difference(lowest_a, lowest_b, paired=paired)
    unmeasured = _unmeasured(d, a, b)
    if unmeasured:
        return unmeasured
    facts = {"a": a, "b": b, "confidence": CONFIDENCE, "p": d.p}
    facts |= {"delta": abs(d.delta), "signed": d.delta, "low": d.low, "high": d.high}
    if d.high < 0:
        return Verdict("loss better", facts, d.test)
    if d.low > 0:
        return Verdict("loss worse", facts, d.test)
    return Verdict("loss noise", facts, d.test)


def _diverged(values_a: Sequence[float], values_b: Sequence[float], a: str, b: str) -> Verdict | None:
    """A verdict of its own where some seed ended at nan or inf (or a side has no seed at all): no
    mean or interval over it means anything, and none of it reaches a verdict's text."""
    if not len(values_a) or not len(values_b):
        return Verdict("no epochs", {"a": a, "b": b, "side": b if len(values_a) else a})
    bad_a = int((~np.isfinite(np.asarray(values_a, float))).sum())
    bad_b = int((~np.isfinite(np.asarray(values_b, float))).sum())
    if bad_a and bad_b:
        return Verdict("both diverged", {"a": a, "b": b})
    if bad_a:
        return Verdict("a diverged", {"a": a, "b": b, "count": bad_a, "n": len(values_a)})
    if bad_b:
        return Verdict("b diverged", {"a": a, "b": b, "count": bad_b, "n": len(values_b)})
    return None


def _unmeasured(d: Difference, a: str, b: str) -> Verdict | None:
    if min(d.n_a, d.n_b) < 2:
        return Verdict("too few seeds", {"a": a, "b": b, "signed": d.delta, "n_a": d.n_a, "n_b": d.n_b})
    if math.isnan(d.p):
        return Verdict("no spread", {"a": a, "b": b, "mean_a": d.mean_a, "mean_b": d.mean_b})
    return None


def digits_verdict(discordant: Discordant, a: str = "A", b: str = "B") -> Verdict:
    """The verdict of `mcnemar` or `per_digit`."""
    facts = {"a": a, "b": b, "a_only": discordant.a_only, "b_only": discordant.b_only, "p": discordant.p}
    if discordant.p >= ALPHA:
        return Verdict("digits noise", facts)
    return Verdict("digits better" if discordant.b_only > discordant.a_only else "digits worse", facts)
