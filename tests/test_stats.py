import math
import re
import statistics

import numpy as np
import pytest
from scipy import stats as scipy_stats

from mnist49.analysis import stats


def discordant(a_only: int, b_only: int, both: int = 480, neither: int = 0):
    """Right/wrong vectors (M,) with the given counts of each kind of digit."""
    right_a = [True] * a_only + [False] * b_only + [True] * both + [False] * neither
    right_b = [False] * a_only + [True] * b_only + [True] * both + [False] * neither
    return np.array(right_a), np.array(right_b)


def test_mcnemar_ten_against_none_is_two_in_1024():
    result = stats.mcnemar(*discordant(0, 10))
    assert (result.a_only, result.b_only) == (0, 10)
    assert result.p == pytest.approx(2 / 1024, rel=1e-12)  # both tails: all 10 to B, or all to A


def test_mcnemar_five_against_five_is_one():
    result = stats.mcnemar(*discordant(5, 5, neither=7))
    assert (result.a_only, result.b_only, result.p) == (5, 5, 1.0)


def test_mcnemar_with_no_disagreement_is_no_evidence():
    assert stats.mcnemar(*discordant(0, 0)).p == 1.0


def test_per_digit_with_one_replicate_a_side_is_mcnemar():
    right_a, right_b = discordant(2, 9, neither=3)
    assert stats.per_digit(right_a[None], right_b[None]) == stats.mcnemar(right_a, right_b)


def test_per_digit_counts_each_digit_once_by_the_share_of_replicates_right():
    right_a = np.array([[1, 1, 0, 0, 1], [1, 0, 0, 1, 1], [1, 0, 0, 1, 1]], bool)  # shares 1, 1/3, 0, 2/3, 1
    right_b = np.array([[1, 1, 1, 0, 1], [1, 1, 0, 0, 1]], bool)  # shares 1, 1, 1/2, 0, 1
    result = stats.per_digit(right_a, right_b)
    assert (result.a_only, result.b_only) == (1, 2)  # digit 3 for A; digits 1 and 2 for B
    assert result.p == pytest.approx(1.0)


def test_welch_interval_against_a_hand_computation():
    a, b = [1.0, 2.0, 3.0], [4.0, 6.0, 8.0]
    # means 2 and 6, variances 1 and 4: se = sqrt(1/3 + 4/3); Welch's df = (5/3)^2 / ((1/3)^2/2 + (4/3)^2/2)
    se, df = math.sqrt(5 / 3), 50 / 17
    half = scipy_stats.t.ppf(0.975, df) * se
    p = 2 * scipy_stats.t.sf(4 / se, df)
    result = stats.difference(a, b)
    assert (result.mean_a, result.mean_b, result.delta) == (2.0, 6.0, 4.0)
    assert result.low == pytest.approx(4 - half, rel=1e-9)
    assert result.high == pytest.approx(4 + half, rel=1e-9)
    assert result.p == pytest.approx(p, rel=1e-9)
    assert result.low < 0 < result.high and result.p > 0.05  # within noise here, if only just


def _t3_two_sided(t: float) -> float:
    """Two-sided p of Student's t with 3 degrees of freedom, by its closed form:
    P(|T| <= t) = (2 / pi) * (atan(t / sqrt 3) + (t / sqrt 3) / (1 + t^2 / 3))."""
    x = t / math.sqrt(3)
    return 1 - 2 / math.pi * (math.atan(x) + x / (1 + x * x))


def test_paired_against_a_hand_computation():
    a, b = [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 5.0, 7.0]
    # d = b - a = 1, 2, 2, 3: mean 2, sd sqrt(2/3), se = sd / sqrt(4); t = 2 / se = 2 sqrt 6, df 3
    se, t = math.sqrt(2 / 3) / 2, 2 * math.sqrt(6)
    half = 3.182446305284263 * se  # t(0.975, 3), as printed in tables (3.182)
    result = stats.difference(a, b, paired=True)
    assert result.test == "paired" and result.delta == 2.0
    assert result.p == pytest.approx(_t3_two_sided(t), rel=1e-9)
    assert (result.low, result.high) == pytest.approx((2 - half, 2 + half), rel=1e-9)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([0.97, 0.98, 0.99], [0.985, 0.986, 0.987, 0.990]),
        ([1.0, 1.5, 3.0, 2.5, 2.0], [4.0, 4.5]),
        ([10.0, 12.0], [11.0, 15.0, 13.0]),
    ],
)
def test_welch_against_the_welch_satterthwaite_formula(a, b):
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)  # squared standard errors
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    delta = statistics.fmean(b) - statistics.fmean(a)
    half = scipy_stats.t.ppf(0.975, df) * se  # the t distribution only, not scipy's test
    result = stats.difference(a, b)
    assert result.delta == pytest.approx(delta, rel=1e-12)
    assert result.p == pytest.approx(2 * scipy_stats.t.sf(abs(delta) / se, df), rel=1e-9)
    assert (result.low, result.high) == pytest.approx((delta - half, delta + half), rel=1e-9)


def test_seeds_of_the_issue_are_within_seed_noise():
    # the issue's figures: the recipe with seeds 0-5, dropout 0.2 with seeds 0-2
    recipe = [0.992, 0.992, 0.996, 0.986, 0.988, 0.990]
    dropout = [0.994, 0.994, 0.992]
    verdict = stats.accuracy_verdict(recipe, dropout, "the recipe", "dropout 0.2")
    assert verdict.kind == "accuracy noise up"
    assert verdict.facts["low"] < 0 < verdict.facts["high"]
    text = verdict.text()
    assert text.startswith("dropout 0.2 is 0.3 points more accurate than the recipe (95% interval -")
    assert text.endswith(
        "within seed noise, no evidence that the change helped. [Welch's t-test over the seeds]"
    )


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ([0.90, 0.91, 0.92], [0.97, 0.98, 0.99], "accuracy better"),
        ([0.97, 0.98, 0.99], [0.90, 0.91, 0.92], "accuracy worse"),
        ([0.990, 0.986, 0.992], [0.988, 0.984, 0.990], "accuracy noise down"),
        ([0.99], [0.98, 0.97], "too few seeds"),
        ([0.99, 0.99], [0.98, 0.98], "no spread"),
    ],
)
def test_accuracy_verdicts(a, b, kind):
    verdict = stats.accuracy_verdict(a, b)
    assert verdict.kind == kind
    assert verdict.text()  # every template formats with its facts


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ([0.030, 0.032, 0.034], [0.010, 0.012, 0.011], "loss better"),
        ([0.010, 0.012, 0.011], [0.030, 0.032, 0.034], "loss worse"),
        ([0.014, 0.026, 0.022], [0.020, 0.018, 0.030], "loss noise"),
    ],
)
def test_loss_verdicts_count_lower_as_better(a, b, kind):
    verdict = stats.loss_verdict(a, b)
    assert verdict.kind == kind
    assert verdict.text()


def test_digits_verdicts():
    assert stats.digits_verdict(stats.mcnemar(*discordant(0, 10))).kind == "digits better"
    assert stats.digits_verdict(stats.mcnemar(*discordant(10, 0))).kind == "digits worse"
    verdict = stats.digits_verdict(stats.mcnemar(*discordant(5, 5)), "seed 0", "seed 1")
    assert verdict.kind == "digits noise"
    assert verdict.text() == (
        "seed 1 gets 5 test digits right that seed 0 gets wrong, seed 0 5 that seed 1 gets wrong: "
        "a split like this is within chance (p = 1)."
    )


@pytest.mark.parametrize(("a_only", "b_only"), [(5, 5), (2, 9), (9, 2)])
def test_a_digits_noise_verdict_fits_even_and_uneven_splits(a_only, b_only):
    verdict = stats.digits_verdict(stats.mcnemar(*discordant(a_only, b_only)), "seed 0", "seed 1")
    assert verdict.kind == "digits noise"  # 2 against 9 is p = 0.065: not beyond chance
    assert not re.search(r"\b(un)?even\b", verdict.text())  # "this even" said of 2 against 9


@pytest.mark.parametrize("name", ["the run without them", "the experiment"])
def test_a_verdict_names_a_run_by_a_phrase_without_a_possessive(name):
    """The pages name runs by phrases; "the run without them's lowest test loss" is not English."""
    a, b = [0.030, 0.032, 0.034], [0.010, 0.012, 0.011]
    for verdict in (stats.loss_verdict(a, b, "the run with them", name), stats.loss_verdict(b, a, name)):
        said = verdict.text()
        assert f"{name}'s" not in said and "them's" not in said, said
    assert not [k for k, v in stats.VERDICTS.items() if re.search(r"\}'s\b", v)]


@pytest.mark.parametrize("n", [2, 3, 5])
def test_identical_seeds_one_digit_apart_are_no_spread_not_beyond(n):
    # var([0.99] * 3) is 1.2e-32, not 0: a t-test on it called 0.2 points certain (p = 1.5e-27)
    for a, b in [([0.990] * n, [0.992] * n), ([k / 500 for k in [495] * n], [k / 500 for k in [496] * n])]:
        for verdict in (stats.accuracy_verdict(a, b), stats.loss_verdict(a, b)):
            assert verdict.kind == "no spread"
            assert "beyond" not in verdict.text()


@pytest.mark.parametrize("n", [2, 3, 5])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_seed_at_nan_or_inf_is_a_diverged_verdict(n, bad):
    good = [0.98 + 0.002 * k for k in range(n)]
    broken = [*good[:-1], bad]
    cases = [(broken, good, "a diverged"), (good, broken, "b diverged"), (broken, broken, "both diverged")]
    for a, b, kind in cases:
        for verdict in (stats.accuracy_verdict(a, b, "A", "B"), stats.loss_verdict(a, b, "A", "B")):
            assert verdict.kind == kind
            text = verdict.text()
            assert "nan or inf" in text and "nan)" not in text and "= nan" not in text
            assert all(not (isinstance(v, float) and not math.isfinite(v)) for v in verdict.facts.values())


def test_difference_of_non_finite_values_has_no_interval():
    result = stats.difference([0.98, float("nan"), 0.97], [0.99, 0.98, 0.97])
    assert math.isnan(result.p) and math.isnan(result.low) and math.isnan(result.high)


def test_welch_against_scipy():
    rng = np.random.default_rng(0)
    for n_a, n_b in [(2, 2), (3, 5), (5, 5), (10, 4)]:
        a, b = rng.normal(0.98, 0.004, n_a), rng.normal(0.985, 0.002, n_b)
        reference = scipy_stats.ttest_ind(b, a, equal_var=False)
        interval = reference.confidence_interval(0.95)
        result = stats.difference(a, b)
        assert result.p == pytest.approx(reference.pvalue, rel=1e-12)
        assert (result.low, result.high) == pytest.approx((interval.low, interval.high), rel=1e-12)


def test_every_template_has_a_verdict_that_uses_it():
    kinds = {"accuracy better", "accuracy worse", "accuracy noise up", "accuracy noise down"}
    kinds |= {"loss better", "loss worse", "loss noise", "no spread", "too few seeds"}
    kinds |= {"a diverged", "b diverged", "both diverged", "no epochs"}
    kinds |= {"digits better", "digits worse", "digits noise"}
    assert set(stats.VERDICTS) == kinds


def test_paired_against_scipy():
    rng = np.random.default_rng(1)
    for n in (2, 3, 5, 10):
        shared = rng.normal(0.98, 0.004, n)  # what seed k gives both runs
        a, b = shared + rng.normal(0, 0.001, n), shared + 0.002 + rng.normal(0, 0.001, n)
        reference = scipy_stats.ttest_rel(b, a)
        interval = reference.confidence_interval(0.95)
        result = stats.difference(a, b, paired=True)
        assert result.test == "paired"
        assert result.p == pytest.approx(reference.pvalue, rel=1e-12)
        assert (result.low, result.high) == pytest.approx((interval.low, interval.high), rel=1e-12)


def test_a_paired_verdict_names_its_test_and_sees_what_welch_misses():
    # the seeds share most of their spread: Welch sees noise, the pairing sees a steady +0.2 points
    a = [0.980, 0.986, 0.992, 0.984, 0.990]
    b = [0.982, 0.988, 0.994, 0.986, 0.994]
    welch, paired = stats.accuracy_verdict(a, b), stats.accuracy_verdict(a, b, paired=True)
    assert (welch.kind, welch.test) == ("accuracy noise up", "welch")
    assert (paired.kind, paired.test) == ("accuracy better", "paired")
    assert paired.facts["p"] == pytest.approx(scipy_stats.ttest_rel(b, a).pvalue)
    assert "paired by seed" in paired.text() and "paired t-test" in paired.text()
    assert "Welch's t-test" in welch.text()


def test_paired_identical_steps_fall_back_to_welch_not_to_certainty():
    a, b = [0.980, 0.986, 0.992], [0.982, 0.988, 0.994]  # b - a has no spread: t would be infinite
    verdict = stats.accuracy_verdict(a, b, paired=True)
    assert verdict.test == "welch" and "beyond" not in verdict.text()
