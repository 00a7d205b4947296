"""Leaving train digits out (Config.exclude): the draw without them, checked, and compared."""

import json

import pytest
import torch

from mnist49 import data, settings
from mnist49.analysis import compare, label_check, nearest
from mnist49.cli import main
from mnist49.config import Config, ConfigError
from mnist49.runs import record
from mnist49.training import train

BASE = Config(train_size=300, test_size=200, epochs=1, device="cpu", seeds=2)


def drawn(config: Config) -> list[int]:
    """The train-set indices of the digits a config trains on."""
    _, index = label_check.split_of(config)
    return index.tolist()


def test_excluded_digits_are_absent_and_their_places_taken_by_the_next_in_the_draw():
    before = drawn(BASE)
    left_out = tuple(sorted(before[:5] + before[100:103]))
    after = drawn(BASE.replace(exclude=left_out))
    assert len(after) == len(before) == 300  # the run still trains on train_size digits
    assert not set(after) & set(left_out)
    assert [i for i in after if i in before] == [i for i in before if i not in left_out]  # same order
    assert len(set(after) - set(before)) == len(left_out)


def test_prepare_trains_on_the_draw_without_the_excluded_digits():
    config = BASE.replace(exclude=tuple(sorted(drawn(BASE)[:10])))
    split = train.prepare(config)
    train_set = data.load("bundled", (4, 9)).train
    x, y = data.to_tensors(train_set[torch.as_tensor(drawn(config))], config.digits)
    assert torch.equal(split.x_train, x) and torch.equal(split.y_train, y)
    for i in config.exclude:  # no excluded image is among the split's, pixel for pixel
        image = data.to_inputs(train_set.images[i : i + 1])
        assert not (split.x_train == image).flatten(1).all(1).any()
    assert len(nearest.train_digits(config)) == 300


def test_all_the_train_digits_without_the_excluded_ones():
    n = len(data.load("bundled", (4, 9)).train)
    split = train.prepare(Config(train_size=None, test_size=10, device="cpu", exclude=(0, 7, n - 1)))
    assert len(split.y_train) == n - 3


@pytest.mark.parametrize(
    "exclude, message",
    [((10**6,), "exclude names train digit 1000000"), (tuple(range(11_791)), "exclude leaves none")],
)
def test_excluded_indices_beyond_the_train_set_are_named(exclude, message):
    with pytest.raises(data.DataError, match=message):
        train.prepare(BASE.replace(exclude=exclude))


def test_a_train_size_larger_than_what_is_left_is_named():
    with pytest.raises(data.DataError, match="train size 11791 is larger than the 11789 train digits"):
        train.prepare(BASE.replace(train_size=11_791, exclude=(1, 2)))


@pytest.mark.parametrize("bad", [(5, 3), (3, 3), (-1,), (True,)])
def test_exclude_must_be_increasing_indices(bad):
    with pytest.raises(ConfigError, match="exclude must be") as e:
        Config(exclude=bad)
    assert e.value.field == "exclude"


def test_exclude_is_written_in_config_json_and_as_a_flag():
    config = Config(exclude=(3, 50, 700))
    assert Config.from_dict(config.to_dict()) == config
    assert settings.to_argv(config) == ["--exclude", "3,50,700"]
    assert settings.parse("exclude", "700, 3,50,3") == (3, 50, 700)
    assert settings.parse("exclude", "none") == ()
    with pytest.raises(ConfigError, match="exclude must be a list of whole numbers"):
        Config.from_dict({"exclude": ["3"]})
    with pytest.raises(settings.SettingError, match="exclude: expected train digit indices"):
        settings.parse("exclude", "-4")
    assert "exclude" not in settings.to_query(config)  # the Train page has no widget for it


def test_a_run_without_some_digits_compares_with_its_parent_unpaired(tmp_path):
    parent, _ = record.train_run(BASE, tmp_path)
    child, _ = record.train_run(BASE.replace(exclude=tuple(sorted(drawn(BASE)[:20]))), tmp_path)
    assert child.config.exclude == BASE.replace(exclude=tuple(sorted(drawn(BASE)[:20]))).exclude
    assert not compare.paired_by_seed(parent, child)  # other train digits: not paired seed by seed
    assert compare.paired_by_seed(parent, record.train_run(BASE.replace(lr=0.001), tmp_path)[0])
    found = compare.verdicts(parent, child, "before", "without")
    assert {v.test for v in found} >= {"welch"}
    assert all(v.kind for v in found) and any("before" in v.text() for v in found)


def test_cli_label_check_of_a_run_without_some_digits_never_names_them(capsys):
    left_out = tuple(sorted(drawn(BASE)[:50]))
    flags = ["--train-size", "300", "--epochs", "1", "--folds", "2", "--json"]
    assert main(["label-check", *flags, "--exclude", ",".join(map(str, left_out))]) == 0
    *suspects, summary = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert summary["checked"] == 300 and suspects
    assert not {s["index"] for s in suspects} & set(left_out)


def test_the_training_script_says_it_cannot_leave_digits_out():
    from mnist49.analysis import export

    with pytest.raises(
        export.ExportError, match="does not leave train digits out yet .this run leaves out 2"
    ) as e:
        export.script(Config(exclude=(1, 5)))
    assert e.value.kind == "exclude"
