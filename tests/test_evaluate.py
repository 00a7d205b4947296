import numpy as np
import pandas as pd
import pytest
import torch

from mnist49.training import evaluate


def preds(p9, labels):
    p9 = np.asarray(p9)
    return pd.DataFrame({"index": range(len(p9)), "label": labels, "loss": 0.0, "p_4": 1 - p9, "p_9": p9})


P9 = [0.10, 0.95, 0.60, 0.40, 0.99, 0.02, 0.55]
LABELS = [4, 9, 4, 9, 4, 9, 9]


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    table = evaluate.confusion(preds(P9, LABELS))
    # true 4: 0.10 ok, 0.60 wrong, 0.99 wrong; true 9: 0.95 ok, 0.40 wrong, 0.02 wrong, 0.55 ok
    assert table.loc[4].tolist() == [1, 2]
    assert table.loc[9].tolist() == [2, 2]
    assert table.to_numpy().sum() == len(P9)


@pytest.mark.parametrize(
    ("threshold", "accuracy"),
    [
        (0.5, 3 / 7),
        (0.0, 4 / 7),
        (1.0, 3 / 7),
        (0.58, 2 / 7),
        (0.7, 3 / 7),
    ],
)
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
    assert table["p_9"].tolist() == pytest.approx([0.5, 1.0, 0.0])
    assert table["p_4"].tolist() == pytest.approx([0.5, 0.0, 1.0])
    # BCE: -log(0.5), ~0, and 100 for a confident wrong answer (finite: computed from logits)
    assert table["loss"].tolist() == pytest.approx([0.6931, 0.0, 100.0], abs=1e-4)


def test_predictions_at_an_earlier_epoch_come_from_the_replay():
    table = preds([0.9, 0.1], [9, 4])
    replay = np.array([[0.2, 0.7], [0.9, 0.1]], dtype=np.float32)
    early = evaluate.at_epoch(table, replay, 1)
    assert early["p_9"].tolist() == pytest.approx([0.2, 0.7])
    assert early["loss"].tolist() == pytest.approx([-np.log(0.2), -np.log(0.3)], rel=1e-5)
    assert evaluate.errors(early)["index"].tolist() == [0, 1]  # both wrong then, 0.2 surer than 0.7


@pytest.mark.parametrize(
    ("series", "flip"),
    [
        ([0.1, 0.2, 0.3], None),
        ([0.1, 0.6, 0.7], 2),
        ([0.1, 0.6, 0.4, 0.8, 0.9], 4),
        ([0.9, 0.2], 2),
    ],
)
def test_last_flip(series, flip):
    assert evaluate.last_flip(series) == flip


def test_hardest_are_closest_to_one_half():
    p9 = torch.tensor([0.01, 0.49, 0.99, 0.6, 0.3])
    table = evaluate.hardest(p9, torch.tensor([10, 11, 12, 13, 14]), k=3)
    assert table["index"].tolist() == [11, 13, 14]
    assert table["predicted"].tolist() == [4, 9, 4]
    assert table["confidence"].tolist() == pytest.approx([0.51, 0.6, 0.7])


# Three digits (0, 3, 7): each row is one test digit's probabilities.
PROBS = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.6, 0.1], [0.5, 0.1, 0.4]])
TRUE = [0, 3, 3, 7]


def three():
    return pd.DataFrame(
        {
            "index": range(4),
            "label": TRUE,
            "loss": 0.0,
            **{f"p_{d}": PROBS[:, i] for i, d in enumerate((0, 3, 7))},
        }
    )


def test_more_digits_are_decided_by_the_most_likely_one():
    c = evaluate.classify(three())
    assert c["predicted"].tolist() == [0, 7, 3, 0]
    assert c["correct"].tolist() == [True, False, True, False]
    assert c["confidence"].tolist() == pytest.approx([0.7, 0.8, 0.6, 0.5])
    table = evaluate.confusion(three())
    assert table.index.tolist() == [0, 3, 7] and table.columns.tolist() == [0, 3, 7]
    assert table.loc[3].tolist() == [0, 1, 1] and table.loc[7].tolist() == [1, 0, 0]
    assert evaluate.errors(three())["index"].tolist() == [1, 3]
    assert evaluate.true_prob(three()).tolist() == pytest.approx([0.7, 0.1, 0.6, 0.4])


def test_predictions_from_logits_of_more_digits():
    logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    table = evaluate.predictions(logits, torch.tensor([0, 2]), torch.tensor([5, 6]), (1, 5, 8))
    assert table["label"].tolist() == [1, 8]
    assert [c for c in table.columns if c.startswith("p_")] == ["p_1", "p_5", "p_8"]
    p = np.exp(2) / (np.exp(2) + 2)
    assert table["p_1"].tolist() == pytest.approx([p, 1 / 3], rel=1e-5)
    assert table["loss"].tolist() == pytest.approx([-np.log(p), np.log(3)], rel=1e-5)


def test_replay_and_flips_of_more_digits():
    replay = np.stack([np.roll(PROBS, 1, axis=1), PROBS])  # (E=2, M=4, C=3)
    early = evaluate.at_epoch(three(), replay, 1)
    assert evaluate.classify(early)["predicted"].tolist() == [3, 0, 7, 3]
    assert early["loss"].tolist() == pytest.approx(-np.log([0.1, 0.1, 0.3, 0.1]))
    assert evaluate.last_flip(replay[:, 0]) == 2 and evaluate.last_flip(PROBS[[0, 0]]) is None
    hard = evaluate.hardest(torch.tensor(PROBS), torch.arange(4), (0, 3, 7), k=2)
    assert hard["index"].tolist() == [3, 2] and hard["predicted"].tolist() == [0, 3]


def test_answer_gives_every_digits_probability_for_one_input():
    from mnist49.models import model

    torch.manual_seed(0)
    x = torch.rand(1, 1, 28, 28)
    two = model.build("cnn", (4, 8, 16))
    p = torch.sigmoid(two.eval()(x)).item()
    assert evaluate.answer(two, x, (3, 8)).to_dict() == pytest.approx({3: 1 - p, 8: p})
    ten = model.build("cnn", (4, 8, 16), outputs=10)
    probs = evaluate.answer(ten, x, tuple(range(10)))
    assert list(probs.index) == list(range(10)) and probs.sum() == pytest.approx(1.0)
    assert probs.idxmax() == int(ten.eval()(x).argmax())
