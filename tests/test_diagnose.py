import pytest
from helpers import history

from mnist49.analysis import diagnose


@pytest.mark.parametrize(
    ("curves", "situation", "best"),
    [
        (history([0.69, 0.69, 0.69, 0.69], [0.69] * 4, [0.5] * 4), "not learning", 1),
        (history([0.7, 0.5, 0.3, 0.2], [0.7, 0.7, 0.7, 0.7], [0.5, 0.52, 0.5, 0.51]), "at baseline", 1),
        (history([0.6, 0.3, 0.2, 0.1], [0.5, 0.3, 0.2, 0.15], [0.8, 0.9, 0.95, 0.96]), "still learning", 4),
        (
            history([0.6, 0.3, 0.1, 0.05, 0.02], [0.5, 0.2, 0.1, 0.15, 0.3], [0.8, 0.9, 0.97, 0.96, 0.95]),
            "overfitting",
            3,
        ),
    ],
)
def test_the_chapter_situations(curves, situation, best):
    reading = diagnose.read(curves)
    assert reading.situation == situation and reading.best_epoch == best


def test_the_baseline_of_ten_digits_is_one_in_ten():
    # 45% is no better than guessing between two digits, but far better than among ten
    curves = history([2.3, 2.0, 1.8, 1.6], [2.3, 2.1, 2.0, 1.9], [0.3, 0.4, 0.42, 0.45])
    assert diagnose.read(curves).situation == "at baseline"
    assert diagnose.read(curves, classes=10).situation == "still learning"
    reading = diagnose.read(curves.assign(test_accuracy=0.12), classes=10)
    assert reading.situation == "at baseline" and "10% baseline of a 10-class problem" in reading.text


def test_overfitting_names_the_epoch():
    reading = diagnose.read(history([0.6, 0.3, 0.1, 0.05], [0.5, 0.2, 0.3, 0.4], [0.8, 0.9, 0.9, 0.9]))
    assert reading.text.startswith("Overfitting from epoch 2") and "expected, not bad" in reading.text


def test_empty_history():
    assert diagnose.read(history([], [], [])).situation == "no history"


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        ("not learning", [{"channels": (8, 16, 32)}, {"lr": 0.0004}]),
        ("still learning", [{"epochs": 80}, {"lr": 0.008}, {"channels": (8, 16, 32)}]),
    ],
)
def test_remedies_change_the_config(situation, expected):
    from mnist49.config import Config

    found = diagnose.remedies(situation, Config(), train_available=11791)
    assert [r.changes for r in found] == expected


def test_overfitting_remedies_start_with_more_data_and_build_valid_configs():
    from mnist49.config import Config

    config = Config(train_size=2000)
    found = diagnose.remedies("overfitting", config, train_available=11791)
    assert found[0].changes == {"train_size": 8000}
    labels = " / ".join(r.label for r in found)
    assert "Weight decay" in labels and "Dropout" in labels and "Fewer parameters" in labels
    for remedy in found:
        config.replace(**remedy.changes)  # each is a config that can be trained
    whole = diagnose.remedies("overfitting", Config(train_size=None), train_available=11791)
    assert "More data" not in whole[0].label


def test_at_baseline_goes_back_to_the_recipe_of_the_model():
    from mnist49.config import Config

    (remedy,) = diagnose.remedies("at baseline", Config(model="mlp", lr=0.5, epochs=3), 11791)
    assert remedy.changes["lr"] == 0.0003 and remedy.changes["epochs"] == 40


def test_remedies_never_offer_the_setting_the_run_already_has():
    from mnist49.config import Config

    plain = diagnose.remedies("overfitting", Config(), train_available=11791)
    assert any(r.changes == {"dropout": 0.2} for r in plain)
    dropped = Config(dropout=0.2, optimizer="adamw", weight_decay=1e-4, activation="mish")
    found = diagnose.remedies("overfitting", dropped, train_available=11791)
    assert found  # more data, a lower lr, fewer parameters are still new
    for remedy in found:
        assert any(getattr(dropped, k) != v for k, v in remedy.changes.items()), remedy.label
