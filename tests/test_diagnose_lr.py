"""The reading names a learning rate far too high, from hand-made curves."""

import math

import pandas as pd
import pytest

from mnist49.analysis import diagnose
from mnist49.app import text
from mnist49.config import Config


def history(train_losses, accuracy):
    n = len(train_losses)
    return pd.DataFrame(
        {
            "epoch": range(1, n + 1),
            "train_loss": train_losses,
            "test_loss": train_losses,
            "test_accuracy": [accuracy] * n,
            "seconds": [0.1] * n,
        }
    )


# Adam at lr 10 on 4 vs 9: a wild first epoch, then stuck at ln 2 with the accuracy of guessing
STUCK_AT_LN2 = history([3.1, 0.6935, 0.6932, 0.6931, 0.6933], 0.496)


def test_a_loss_stuck_at_ln2_after_a_huge_lr_reads_as_lr_too_high():
    config = Config(lr=10.0)
    reading = diagnose.read(STUCK_AT_LN2, 2, config)
    assert reading.situation == "lr too high"
    assert reading.facts["ratio"] == pytest.approx(2500) and reading.facts["chance"] == pytest.approx(
        math.log(2)
    )
    assert "learning rate 10 is 2500 times this model's 0.004" in reading.text
    remedies = diagnose.remedies(reading.situation, config, 11791)
    assert [r.changes for r in remedies] == [{"lr": 0.004}, {"lr": 1.0}]  # the default first
    assert all(r.kind == "lower lr" for r in remedies)
    ja = text.JA["reading.lr too high"].format(**reading.facts)
    assert "2500" in ja and "0.004" in ja


def test_ten_digits_stuck_at_ln10_read_the_same():
    config = Config(digits=tuple(range(10)), model="mlp", lr=0.01)  # 33x the MLP's 0.0003
    reading = diagnose.read(history([2.5, 2.303, 2.301, 2.302], 0.11), 10, config)
    assert reading.situation == "lr too high" and reading.facts["classes"] == 10


@pytest.mark.parametrize(
    "curves, config, why",
    [
        (STUCK_AT_LN2, Config(lr=0.004), "the recipe's lr: not the cause"),
        (STUCK_AT_LN2, None, "no config: the lr is not known"),
        (history([3.1, 0.69, 0.69, 0.69], 0.9), Config(lr=10.0), "accuracy above the baseline"),
        (history([0.69, 0.5, 0.3, 0.2], 0.5), Config(lr=10.0), "the loss falls: not stuck at chance"),
    ],
)
def test_other_curves_are_not_called_lr_too_high(curves, config, why):
    assert diagnose.read(curves, 2, config).situation != "lr too high", why
