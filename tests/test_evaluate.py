import pandas as pd
import pytest
import torch

from mnist49 import evaluate


def preds(p9, labels):
    return pd.DataFrame({"index": range(len(p9)), "label": labels, "p9": p9, "loss": 0.0})


P9 = [0.10, 0.95, 0.60, 0.40, 0.99, 0.02, 0.55]
LABELS = [4, 9, 4, 9, 4, 9, 9]


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    table = evaluate.confusion(preds(P9, LABELS))
    # true 4: 0.10 ok, 0.60 wrong, 0.99 wrong; true 9: 0.95 ok, 0.40 wrong, 0.02 wrong, 0.55 ok
    assert table.loc[4].tolist() == [1, 2]
    assert table.loc[9].tolist() == [2, 2]
    assert table.to_numpy().sum() == len(P9)


@pytest.mark.parametrize(("threshold", "accuracy"), [
    (0.5, 3 / 7), (0.0, 4 / 7), (1.0, 3 / 7), (0.58, 2 / 7), (0.7, 3 / 7),
])
def test_accuracy_at_a_threshold(threshold, accuracy):
    assert evaluate.accuracy(preds(P9, LABELS), threshold) == pytest.approx(accuracy)


def test_errors_come_most_confidently_wrong_first():
    wrong = evaluate.errors(preds(P9, LABELS))
    # 4 at 0.99 (conf .99), 9 at 0.02 (conf .98), 9 at 0.40 (conf .60), 4 at 0.60 (conf .60)
    assert wrong["index"].tolist() == [4, 5, 2, 3]
    assert wrong["confidence"].tolist() == pytest.approx([0.99, 0.98, 0.60, 0.60])
    assert (wrong["predicted"] != wrong["label"]).all()


def test_predictions_from_logits():
    logits = torch.tensor([0.0, 100.0, -100.0])
    table = evaluate.predictions(logits, torch.tensor([1.0, 1.0, 1.0]), torch.tensor([7, 8, 9]))
    assert table["index"].tolist() == [7, 8, 9]
    assert table["label"].tolist() == [9, 9, 9]
    assert table["p9"].tolist() == pytest.approx([0.5, 1.0, 0.0])
    # BCE: -log(0.5), ~0, and 100 for a confident wrong answer (finite: computed from logits)
    assert table["loss"].tolist() == pytest.approx([0.6931, 0.0, 100.0], abs=1e-4)


def test_predictions_at_an_earlier_epoch_come_from_the_replay():
    import numpy as np

    table = preds([0.9, 0.1], [9, 4])
    replay = np.array([[0.2, 0.7], [0.9, 0.1]], dtype=np.float32)
    early = evaluate.at_epoch(table, replay, 1)
    assert early["p9"].tolist() == pytest.approx([0.2, 0.7])
    assert early["loss"].tolist() == pytest.approx([-np.log(0.2), -np.log(0.3)], rel=1e-5)
    assert evaluate.errors(early)["index"].tolist() == [0, 1]  # both wrong then, 0.2 surer than 0.7


@pytest.mark.parametrize(("series", "flip"), [
    ([0.1, 0.2, 0.3], None),
    ([0.1, 0.6, 0.7], 2),
    ([0.1, 0.6, 0.4, 0.8, 0.9], 4),
    ([0.9, 0.2], 2),
])
def test_last_flip(series, flip):
    assert evaluate.last_flip(series) == flip


def test_hardest_are_closest_to_one_half():
    p9 = torch.tensor([0.01, 0.49, 0.99, 0.6, 0.3])
    table = evaluate.hardest(p9, torch.tensor([10, 11, 12, 13, 14]), k=3)
    assert table["index"].tolist() == [11, 13, 14]
