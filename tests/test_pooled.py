"""Errors pooled over a run's seeds, checked against the replicates' own predictions.csv."""

import numpy as np
import pandas as pd
import pytest

from mnist49.config import Config
from mnist49.runs import record
from mnist49.training import evaluate

SMALL = Config(train_size=300, test_size=200, epochs=2, device="cpu", seeds=3)


@pytest.fixture(scope="module")
def three_seeds(tmp_path_factory):
    run, _ = record.train_run(SMALL, tmp_path_factory.mktemp("runs"))
    frames = [pd.read_csv(r.path / "predictions.csv") for r in run.replicates()]
    return frames


def test_pooled_probabilities_and_k_of_n_match_the_replicates(three_seeds):
    pooled = evaluate.pool(three_seeds).set_index("index")
    by_index = [f.set_index("index").loc[pooled.index] for f in three_seeds]
    assert pooled["p_9"].to_numpy() == pytest.approx(np.mean([f["p_9"] for f in by_index], axis=0))
    # wrong in k of N: count, seed by seed, predictions on the wrong side of 0.5
    wrong = sum(((f["p_9"] >= 0.5).astype(int) * 5 + 4 != f["label"]).astype(int) for f in by_index)
    assert (pooled["wrong_in"] == wrong).all() and (pooled["seeds"] == 3).all()
    assert wrong.sum() > 0  # two epochs on 300 digits leave mistakes to rank


def test_pooled_gallery_ranks_by_mean_probability_of_the_wrong_digit(three_seeds):
    pooled = evaluate.pool(three_seeds)
    gallery = evaluate.pooled_errors(pooled)
    p_true = np.where(gallery["label"] == 9, gallery["p_9"], gallery["p_4"])
    assert gallery["p_wrong"].to_numpy() == pytest.approx(1 - p_true)
    assert (np.diff(gallery["p_wrong"].to_numpy()) <= 0).all()
    assert set(gallery["index"]) == set(pooled.loc[pooled.wrong_in > 0, "index"])
    every, some = evaluate.pooled_errors(pooled, True), evaluate.pooled_errors(pooled, False)
    assert (every.wrong_in == 3).all() and (some.wrong_in < 3).all()
    assert len(every) + len(some) == len(gallery)


def test_ten_digits_pool_to_the_most_likely_wrong_digit():
    def frame(p):
        p = np.asarray(p, dtype=float)
        cols = {f"p_{d}": p[:, d] for d in range(10)}
        return pd.DataFrame({"index": [5, 7], "label": [1, 2], "loss": [0.0, 0.0], **cols})

    a = np.full((2, 10), 0.0)
    a[0, 3], a[0, 1], a[1, 2] = 0.6, 0.4, 1.0  # digit 5 (a 1) read as 3; digit 7 right
    b = np.full((2, 10), 0.0)
    b[0, 1], b[0, 8], b[1, 2] = 0.7, 0.3, 1.0  # digit 5 right
    pooled = evaluate.pool([frame(a), frame(b)])
    gallery = evaluate.pooled_errors(pooled)
    assert gallery["index"].tolist() == [5]
    row = gallery.iloc[0]
    assert (row.wrong_in, row.seeds, row.wrong_digit) == (1, 2, 3)
    # pooled p_3 = (0.6 + 0) / 2 = 0.3 beats p_8 = (0 + 0.3) / 2 = 0.15; no tie: the true
    # digit's pooled 0.55 is the highest, and is left out of the wrong digits
    assert row.p_wrong == pytest.approx(0.3)


def test_cli_errors_lists_the_pooled_ranking(tmp_path, capsys):
    import json

    from mnist49.cli import main

    run, _ = record.train_run(SMALL.replace(train_size=200, test_size=100, epochs=1), tmp_path)
    frames = [r.predictions() for r in run.replicates()]
    expected = evaluate.pooled_errors(evaluate.pool(frames))
    assert main(["errors", str(run.path), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [x["index"] for x in lines] == expected["index"].tolist()
    assert [x["wrong_in"] for x in lines] == expected["wrong_in"].tolist()
    assert all(x["seeds"] == 3 for x in lines)
    assert main(["errors", str(run.path), "--seed", "1"]) == 0
    one = capsys.readouterr().out.splitlines()
    assert len(one) == int((~evaluate.classify(frames[1])["correct"]).sum())
    assert all("wrong in 1 of 1" in line for line in one)
    assert main(["errors", str(run.path), "--seed", "5"]) == 2
    assert "seeds 0, 1, 2, not 5" in capsys.readouterr().err


def test_pooled_replay_averages_each_digit_across_seeds_in_index_order():
    def frame(index):
        return pd.DataFrame({"index": index, "label": [4, 9, 4], "loss": 0.0, "p_4": 0.5, "p_9": 0.5})

    a, b = frame([7, 2, 5]), frame([5, 7, 2])  # the same digits, saved in another order
    replay_a = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])  # (E, M) in a's order
    replay_b = np.array([[0.9, 0.7, 0.8], [0.0, 0.2, 0.4]])  # digit 5, 7, 2
    pooled = evaluate.pool_replay([a, b], [replay_a, replay_b])
    # rows by index: 2, 5, 7
    assert pooled == pytest.approx(np.array([[0.5, 0.6, 0.4], [0.45, 0.3, 0.3]]))
    assert evaluate.pool_replay([a, b], [replay_a, replay_b[:1]]) is None  # epochs differ


@pytest.mark.slow
def test_pooled_top_five_holds_mnist_known_label_errors(tmp_path, capsys):
    """Every bundled test 4 and 9, 3 seeds of 2,000 train digits for 4 epochs (the smallest
    measured to do it: 1,000 digits or 2 epochs rank them 10th to 63rd): the pooled gallery's
    top 5 holds at least two of MNIST test digits 1901, 2130 and 4823 (bundled 392, 434, 983),
    the labels MNIST's reviewers doubted, and the ranking lists each with its review. Measured
    ranks (392, 434, 983) for seeds 0, 1, 2: (2, 13, 3), (2, 11, 5), (4, 1, 3)."""
    import json

    from mnist49.cli import main

    config = Config(train_size=2000, test_size=None, epochs=4, device="cpu", seeds=3)
    run, _ = record.train_run(config, tmp_path)
    assert main(["errors", str(run.path), "--json"]) == 0
    top = [json.loads(line) for line in capsys.readouterr().out.splitlines()[:5]]
    known = {392: 1901, 434: 2130, 983: 4823}
    found = [x for x in top if x["index"] in known]
    assert len(found) >= 2, [x["index"] for x in top]
    for x in found:
        assert x["review"]["mnist_index"] == known[x["index"]]
        assert x["review"]["verdict"] in ("error", "split")
