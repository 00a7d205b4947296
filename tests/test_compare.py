import pandas as pd
import pytest

from mnist49 import charts, compare, record, runs
from mnist49.config import Config

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
    spec = charts.compare(long).to_dict()
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
