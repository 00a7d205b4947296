import json

import pandas as pd
import pytest

from mnist49 import charts_compare, runs
from mnist49.analysis import compare
from mnist49.config import Config
from mnist49.runs import record

BASE = Config(train_size=300, test_size=200, epochs=2, device="cpu")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    a, _ = record.train_run(BASE, root)
    b, _ = record.train_run(BASE.replace(lr=0.0004, epochs=3), root)
    c, _ = record.train_run(BASE.replace(test_size=150), root)
    return a, b, c


def test_curves_are_long_with_every_metric(pair):
    a, b, _ = pair
    long = compare.curves([a, b])
    assert len(long) == (2 + 3) * 3
    assert set(long["metric"]) == {"train_loss", "test_loss", "test_accuracy"}
    assert (
        long[(long.run == b.name) & (long.metric == "test_loss")]["value"].tolist()
        == b.history["test_loss"].tolist()
    )
    spec = charts_compare.compare(long).to_dict()
    assert spec["resolve"]["scale"]["y"] == "independent"


def test_only_differing_settings_are_listed(pair):
    a, b, _ = pair
    table = compare.differing_settings([a, b])
    assert list(table.index) == ["epochs", "lr"]
    assert table.loc["lr"].tolist() == ["0.004", "0.0004"]


def test_disagreements_on_the_same_test_digits(pair):
    a, b, c = pair
    split = compare.disagreements(a, b)
    pa = a.predictions().set_index("index")
    pb = b.predictions().set_index("index")
    right_a = (pa.p_9 >= 0.5) == (pa.label == 9)
    right_b = (pb.p_9 >= 0.5) == (pb.label == 9)
    expected = set(right_a.index[right_a != right_b.reindex(right_a.index)])
    assert set(split["index"]) == expected
    for _, row in split.iterrows():
        assert row["right"] == ("a" if right_a[row["index"]] else "b")
    assert compare.disagreements(a, c) is None  # other test digits: not comparable


def test_disagreements_by_hand(tmp_path):
    def fake(name, p9):
        path = tmp_path / name
        path.mkdir()
        p9 = pd.Series(p9)
        pd.DataFrame({"index": [5, 6, 7], "label": [4, 9, 9], "loss": 0.0, "p_4": 1 - p9, "p_9": p9}).to_csv(
            path / "predictions.csv", index=False
        )
        return runs.Run(path, BASE, "finished", "", "", pd.DataFrame())

    split = compare.disagreements(fake("a", [0.1, 0.9, 0.2]), fake("b", [0.8, 0.9, 0.7]))
    assert split[["index", "right"]].values.tolist() == [[5, "a"], [7, "b"]]


def test_a_cli_run_and_an_app_run_of_3_vs_8_compare_digit_by_digit(offline, runs_dir, fresh_pool):
    from helpers import open_app, train, write_blocks_root

    from mnist49.cli import main

    write_blocks_root(offline)
    at = open_app("train")
    at.selectbox(key="k_digits").set_value("3-8").run()
    train(at, epochs=2, train_size=100, test_size=30, seeds=1)  # one run, as the CLI trains
    assert not at.exception
    flags = "train --digits 3,8 --epochs 2 --train-size 100 --test-size 30 --lr 0.0004 --runs-dir"
    assert main([*flags.split(), str(runs_dir)]) == 0
    found, _ = runs.list_runs(runs_dir)
    (cli,) = [r for r in found if r.config.lr == 0.0004]
    (app,) = [r for r in found if r is not cli]
    assert cli.config.data == app.config.data == "bundled"
    assert list(compare.differing_settings([cli, app]).index) == ["lr"]
    split = compare.disagreements(cli, app)
    assert split is not None  # the same test digits: comparable
    pa, pb = (r.predictions().set_index("index") for r in (cli, app))
    assert sorted(pa.index) == sorted(pb.index) and set(pa.label) == {3, 8}
    right_a = (pa.p_8 >= 0.5) == (pa.label == 8)
    right_b = ((pb.p_8 >= 0.5) == (pb.label == 8)).reindex(right_a.index)
    assert set(split["index"]) == set(right_a.index[right_a != right_b])

    # a run folder written when the app stored the full MNIST folder's path still loads, reads
    # its digits from there and compares with the others
    stored = json.loads((app.path / "config.json").read_text())
    (app.path / "config.json").write_text(json.dumps(stored | {"data": str(offline.resolve())}))
    old = runs.load_run(app.path)
    assert old.config.data == str(offline.resolve())
    assert compare.disagreements(cli, old) is not None


def test_runs_of_the_same_seeds_are_paired_by_seed_in_verdicts_and_cli(tmp_path, capsys):
    from mnist49 import cli

    base = BASE.replace(train_size=200, test_size=100, epochs=1, seeds=2)
    a, _ = record.train_run(base, tmp_path)
    b, _ = record.train_run(base.replace(dropout=0.2), tmp_path)
    c, _ = record.train_run(base.replace(seed=7, dropout=0.2), tmp_path)
    assert compare.paired_by_seed(a, b) and not compare.paired_by_seed(a, c)
    assert [v.test for v in compare.verdicts(a, b)[:2]] == ["paired", "paired"]
    assert [v.test for v in compare.verdicts(a, c)[:2]] == ["welch", "welch"]
    assert cli.main(["compare", str(a.path), str(b.path), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)["verdicts"]
    assert [v["test"] for v in said[:2]] == ["paired", "paired"]
    assert all("paired by seed" in v["text"] for v in said[:2])
    assert said[2]["test"] is None  # the digit-level test is not a t-test


def test_a_diverged_seed_makes_a_verdict_of_its_own_and_no_nan_reaches_the_text(tmp_path):
    """A diverged replicate's history stops at its last finite epoch: the verdict must not read
    that epoch as its final figure, nor print nan."""
    fine, _ = record.train_run(BASE.replace(seeds=2), tmp_path)
    wild, _ = record.train_run(BASE.replace(seeds=2, optimizer="sgd", lr=1e6), tmp_path)
    assert {r.status for r in wild.replicates()} == {"diverged"}
    found = compare.verdicts(fine, wild, "the recipe", "lr 1e6")
    kinds = [v.kind for v in found]
    assert kinds[:2] == ["b diverged", "b diverged"]
    assert all("nan" not in v.text().replace("(nan or inf)", "") for v in found)


def test_a_run_without_a_finished_epoch_says_so_rather_than_nan():
    from mnist49.analysis import stats

    verdict = stats.accuracy_verdict([], [0.98, 0.99], "A", "B")
    assert verdict.kind == "no epochs" and verdict.facts["side"] == "A"
    assert "nan" not in verdict.text()
