"""Runs of several seeds: a config's seeds, the summaries over them (seeds.py), reading them back
and what the CLI says of them. How record.py trains and records them is in test_record.py."""

import json

import numpy as np
import pandas as pd
import pytest

from mnist49 import runs
from mnist49.cli import main
from mnist49.config import Config, ConfigError
from mnist49.runs import record, seeds

SMALL = Config(train_size=300, test_size=100, epochs=2, device="cpu")


def test_the_seeds_of_a_config():
    config = Config(seed=7, seeds=3)
    assert [c.training_seed for c in config.replicates()] == [7, 8, 9]
    assert {c.train_digits_seed for c in config.replicates()} == {7}  # shared train digits
    assert {c.test_digits_seed for c in config.replicates()} == {8}  # and test digits
    varied = config.replace(vary_data=True).replicates()
    assert [c.train_digits_seed for c in varied] == [7, 8, 9]
    assert {c.test_digits_seed for c in varied} == {8}
    # a lone run is replicate 0 of itself: the seed picks everything, as always
    lone = Config(seed=7)
    assert (lone.training_seed, lone.train_digits_seed, lone.test_digits_seed) == (7, 7, 8)
    for bad in (0, 11):
        with pytest.raises(ConfigError, match="seeds must be 1 to 10"):
            Config(seeds=bad)


def test_the_median_replicate():
    def fake(*losses):
        history = pd.DataFrame({"epoch": [1], "train_loss": [0.0], "test_loss": [losses[0]]})
        return runs.Run(None, Config(), "finished", "", "", history)

    assert seeds.median_replicate([fake(0.3), fake(0.1), fake(0.2)]) == 2
    assert seeds.median_replicate([fake(0.4), fake(0.1), fake(0.2), fake(0.3)]) == 2  # the lower middle
    assert seeds.median_replicate([fake(0.5)]) == 0


def test_a_folder_written_before_seeds_still_loads(tmp_path):
    run, _ = record.train_run(SMALL, tmp_path)
    config = json.loads((run.path / "config.json").read_text())
    for key in ("seeds", "vary_data", "replicate"):
        del config[key]
    (run.path / "config.json").write_text(json.dumps(config))
    old = runs.load_run(run.path)
    assert old.config == SMALL and old.replicates() == [old]
    assert old.spread()["sd"].isna().all()  # one seed: no spread to measure


def test_cli_seeds_prints_the_mean_and_range_and_the_sd(tmp_path, capsys):
    argv = ["train", "--seeds", "2", "--epochs", "2", "--train-size", "200", "--test-size", "100"]
    assert main([*argv, "--runs-dir", str(tmp_path), "--json"]) == 0
    captured = capsys.readouterr()
    lines, human = captured.out.strip().splitlines(), captured.err.splitlines()
    assert len(lines) == 1  # under --json the epoch lines go to stderr
    assert human[0].startswith("epoch   1  train loss ") and "seeds)" in human[0] and "[" in human[0]
    result = json.loads(lines[-1])
    assert result["seeds"] == 2 and result["epochs"] == 2
    reps = runs.load_run(result["run_dir"]).replicates()
    finals = [r.history.test_accuracy.iloc[-1] for r in reps]
    assert result["test_accuracy"] == pytest.approx(sum(finals) / 2)
    assert result["test_accuracy_sd"] == pytest.approx(pd.Series(finals).std())


def test_verdicts_pair_runs_of_seeds_on_their_test_digits(tmp_path, capsys):
    from mnist49.analysis import compare

    a, _ = record.train_run(SMALL.replace(seeds=2), tmp_path)
    b, _ = record.train_run(SMALL.replace(seeds=2, dropout=0.2), tmp_path)
    accuracy, loss, digits = compare.verdicts(a, b, "plain", "dropout")
    finals = [[r.history.test_accuracy.iloc[-1] for r in run.replicates()] for run in (a, b)]
    delta = (sum(finals[1]) - sum(finals[0])) / 2 * 100
    assert accuracy.kind.startswith("accuracy") and loss.kind.startswith("loss")
    assert accuracy.facts["points"] == pytest.approx(abs(delta))
    # the digits: a sign test over the 100 shared test digits, pooling each run's two seeds
    from mnist49.training import evaluate

    right = [
        np.stack(
            [evaluate.classify(r.predictions()).sort_values("index")["correct"] for r in run.replicates()]
        )
        for run in (a, b)
    ]  # (2 seeds, 100 digits) each
    share_a, share_b = right[0].mean(0), right[1].mean(0)
    assert digits.facts["a_only"] == int((share_a > share_b).sum())
    assert digits.facts["b_only"] == int((share_b > share_a).sum())
    assert "dropout" in digits.text() and "plain" in digits.text()
    # the CLI says the same
    assert main(["compare", a.name, b.name, "--runs-dir", str(tmp_path), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert [v["kind"] for v in said["verdicts"]] == [accuracy.kind, loss.kind, digits.kind]


def test_one_seed_each_is_mcnemars_test_and_says_the_seeds_are_too_few(tmp_path, capsys):
    from mnist49.analysis import compare, stats
    from mnist49.training import evaluate

    a, _ = record.train_run(SMALL, tmp_path)
    b, _ = record.train_run(SMALL.replace(lr=0.001), tmp_path)
    accuracy, loss, digits = compare.verdicts(a, b)
    assert accuracy.kind == loss.kind == "too few seeds"
    right = [evaluate.classify(r.predictions()).sort_values("index")["correct"].to_numpy() for r in (a, b)]
    expected = stats.mcnemar(*right)
    assert (digits.facts["a_only"], digits.facts["b_only"]) == (expected.a_only, expected.b_only)
    assert main(["compare", str(a.path), str(b.path)]) == 0
    assert "train at least 2 seeds of each" in capsys.readouterr().out
    assert main(["compare", "nowhere", str(b.path)]) == 2
    assert "no run folder nowhere" in capsys.readouterr().err


def test_lowest_test_loss_is_each_seeds_lowest_not_the_mean_curves():
    from helpers import history

    # the seeds reach their lowest at epochs 2 and 3: the mean curve's lowest (0.25, epoch 3)
    # is higher than the mean of the seeds' lowest (0.15)
    two = [history([0.6] * 3, [0.5, 0.2, 0.4], [0.9] * 3), history([0.6] * 3, [0.5, 0.4, 0.1], [0.9] * 3)]
    mean_curve = pd.concat(two).groupby("epoch").test_loss.mean()
    assert mean_curve.min() == pytest.approx(0.25)
    finals = seeds.finals(two)
    assert finals["lowest_test_loss"].tolist() == [0.2, 0.1] and finals["lowest_epoch"].tolist() == [2, 3]
    summary = seeds.summary(two)
    assert summary["lowest_test_loss_mean"] == pytest.approx(0.15)
    assert summary["lowest_test_loss_sd"] == pytest.approx(np.std([0.2, 0.1], ddof=1))
    one = seeds.summary(two[:1])
    assert one["lowest_test_loss_mean"] == 0.2 and np.isnan(one["lowest_test_loss_sd"])
    assert seeds.finals(two[:1])["lowest_epoch"].tolist() == [2]
    none = seeds.summary([two[0].iloc[:0]])  # no epoch finished
    assert none["seeds"] == 0 and all(np.isnan(v) for k, v in none.items() if k != "seeds")
    with_nan = two[1].assign(test_loss=[0.5, float("nan"), 0.3])
    assert seeds.finals([with_nan])["lowest_test_loss"].tolist() == [0.3]


@pytest.mark.parametrize("n", [1, 2, 5])
def test_the_summary_over_seeds_is_numpys_mean_sd_min_and_max(n):
    import statistics

    from helpers import history

    rng = np.random.default_rng(n)
    # seeds of different lengths (one stopped early): each seed's own last epoch is its final
    runs_of = [history(*(rng.uniform(0.05, 1.0, 4 + k).tolist() for _ in range(3))) for k in range(n)]
    summary = seeds.summary(runs_of)
    assert summary["seeds"] == n
    for figure, values in {
        "test_accuracy": [h.test_accuracy.iloc[-1] for h in runs_of],
        "test_loss": [h.test_loss.iloc[-1] for h in runs_of],
        "train_loss": [h.train_loss.iloc[-1] for h in runs_of],
        "lowest_test_loss": [h.test_loss.min() for h in runs_of],
    }.items():
        assert summary[f"{figure}_mean"] == pytest.approx(np.mean(values))
        assert summary[f"{figure}_min"] == min(values) and summary[f"{figure}_max"] == max(values)
        if n == 1:
            assert np.isnan(summary[f"{figure}_sd"])  # one seed: no sd (NaN, never 0)
        else:
            assert summary[f"{figure}_sd"] == pytest.approx(np.std(values, ddof=1))
            assert summary[f"{figure}_sd"] == pytest.approx(statistics.stdev(values))


def test_the_spread_per_epoch_is_pandas_over_the_seeds_that_reached_it():
    from helpers import history

    a = history([0.6, 0.5, 0.4], [0.5, 0.3, 0.2], [0.8, 0.9, 0.95])
    b = history([0.7, 0.5], [0.6, 0.4], [0.7, 0.85])  # stopped after epoch 2
    table = seeds.spread([a, b]).set_index(["epoch", "figure"])
    assert table.loc[(1, "test_loss"), "mean"] == pytest.approx(0.55)
    assert table.loc[(1, "test_loss"), "sd"] == pytest.approx(np.std([0.5, 0.6], ddof=1))
    assert table.loc[(2, "test_accuracy"), ["min", "max"]].tolist() == [0.85, 0.9]
    assert table.loc[(3, "test_accuracy"), "mean"] == 0.95 and np.isnan(table.loc[(3, "test_accuracy"), "sd"])
    assert seeds.spread([a.iloc[:0]]).empty


def test_the_mean_record_of_an_epoch_is_the_mean_of_each_figure():
    from mnist49.training.history import EpochRecord

    records = {0: EpochRecord(3, 0.2, 0.3, 0.9, 1.5), 1: EpochRecord(3, 0.4, 0.5, 0.8, 1.5)}
    assert seeds.mean(records) == EpochRecord(
        3, pytest.approx(0.3), pytest.approx(0.4), pytest.approx(0.85), 1.5
    )


@pytest.mark.parametrize(
    ("losses", "index"),
    [
        ([0.014, 0.026, 0.022], 2),
        ([0.043, 0.014, 0.033, 0.026, 0.022], 3),
        ([0.03, 0.01, 0.02, 0.04], 2),  # even: the lower of the two middle ones
        ([0.03, float("nan"), 0.01], 2),  # a diverged replicate is left out
        ([0.02], 0),
        ([float("nan"), float("nan")], 0),
    ],
)
def test_median_replicate(losses, index):
    assert seeds.median_position(losses) == index
