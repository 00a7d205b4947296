"""Per-digit predictions, accuracy, confusion matrix and the errors, as DataFrames.

A predictions frame has one row per test digit: `index` (its place in the test set), `label`
(the true digit), `loss`, and one probability column `p_<d>` per digit d of the problem
(`p_4`, `p_9` for the chapter's). Two digits are decided at a threshold on the second's
probability; more by the most likely digit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from torch import nn

from mnist49.data import PAIR
from mnist49.models.model import probabilities


@torch.inference_mode()
def logits_of(model: nn.Module, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """The model's logits (N,) or (N, C) for inputs (N, 1, 28, 28), in eval mode, on CPU."""
    model.eval()
    return torch.cat([model(chunk) for chunk in x.split(batch_size)]).float().cpu()


def _columns(probs: np.ndarray) -> np.ndarray:
    """(M,) p(second digit) -> (M, 2); (M, C) probabilities as they are."""
    return np.stack([1 - probs, probs], axis=1) if probs.ndim == 1 else probs


def _per_digit(probs: np.ndarray, digits: tuple[int, ...]) -> dict[str, np.ndarray]:
    """(M,) p(second digit) or (M, C) -> one probability column per digit."""
    probs = _columns(probs)
    return {f"p_{d}": probs[:, i] for i, d in enumerate(digits)}


def predictions(
    logits: torch.Tensor, y: torch.Tensor, index: torch.Tensor, digits: tuple[int, ...] = PAIR
) -> pd.DataFrame:
    """One row per test digit: index, true digit, loss and each digit's probability."""
    if logits.ndim == 1:
        y = y.float().cpu()
        loss = nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
        position = y.long()
    else:
        position = y.long().cpu()
        loss = nn.functional.cross_entropy(logits, position, reduction="none")
    return pd.DataFrame(
        {
            "index": index.cpu().numpy(),
            "label": np.asarray(digits)[position.numpy()],
            "loss": loss.numpy(),
            **_per_digit(probabilities(logits).numpy(), digits),
        }
    )


@torch.inference_mode()
def answer(model: nn.Module, x: torch.Tensor, digits: tuple[int, ...]) -> pd.Series:
    """The model's probability of each digit (the index) for one input x (1, 1, 28, 28)."""
    model.eval()
    probs = _columns(probabilities(model(x)).float().cpu().numpy())  # (1, C)
    return pd.Series(probs[0], index=list(digits))


def digits_of(preds: pd.DataFrame) -> tuple[int, ...]:
    """The problem's digits, read from the probability columns."""
    return tuple(int(c[2:]) for c in preds.columns if c.startswith("p_"))


def probs_of(preds: pd.DataFrame) -> np.ndarray:
    """The probability columns as one (M, C) array."""
    return preds[[f"p_{d}" for d in digits_of(preds)]].to_numpy()


def decisions(probs: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The position of the predicted digit, from p(second digit) (...,) or probabilities (..., C).

    Two digits: the second when its probability reaches `threshold`; more: the most likely one.
    """
    probs = np.asarray(probs)
    if probs.ndim > 1 and probs.shape[-1] > 2:
        return probs.argmax(-1)
    return ((probs if probs.ndim == 1 else probs[..., 1]) >= threshold).astype(int)


def classify(preds: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """Add the predicted digit (see `decisions`), whether it is right, and the confidence in it."""
    digits, probs = digits_of(preds), probs_of(preds)
    pick = decisions(probs, threshold)
    predicted = np.asarray(digits)[pick]
    return preds.assign(
        predicted=predicted,
        correct=predicted == preds["label"].to_numpy(),
        confidence=probs[np.arange(len(preds)), pick],
    )


def accuracy(preds: pd.DataFrame, threshold: float = 0.5) -> float:
    return float(classify(preds, threshold)["correct"].mean()) if len(preds) else float("nan")


def confusion(preds: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """Counts with the true digit as rows and the predicted digit as columns."""
    c, digits = classify(preds, threshold), list(digits_of(preds))
    table = pd.crosstab(c["label"], c["predicted"])
    return table.reindex(index=digits, columns=digits, fill_value=0).rename_axis(
        index="true", columns="predicted"
    )


def errors(preds: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """The misclassified digits, most confidently wrong first."""
    c = classify(preds, threshold)
    wrong = c[~c["correct"]]
    return wrong.sort_values(["confidence", "index"], ascending=[False, True], kind="stable")


def true_prob(preds: pd.DataFrame) -> np.ndarray:
    """Each digit's probability of its true label (M,)."""
    column = {d: i for i, d in enumerate(digits_of(preds))}
    return probs_of(preds)[np.arange(len(preds)), preds["label"].map(column).to_numpy()]


def at_epoch(preds: pd.DataFrame, replay: np.ndarray, epoch: int) -> pd.DataFrame:
    """The predictions as they were after `epoch` (1-based), from a run's replay (E, M[, C])."""
    before = preds.assign(**_per_digit(replay[epoch - 1].astype(np.float64), digits_of(preds)))
    # the loss from probabilities: -log p(true digit), clipped to keep the log finite
    return before.assign(loss=-np.log(np.clip(true_prob(before), 1e-7, 1.0)))


def last_flip(probs: np.ndarray, threshold: float = 0.5) -> int | None:
    """The 1-based epoch at which the prediction last changed, or None if it never did.

    `probs`: one digit's p(second digit) per epoch (E,), or its probabilities (E, C).
    """
    side = decisions(probs, threshold)  # (E,)
    changes = np.flatnonzero(side[1:] != side[:-1])
    return int(changes[-1]) + 2 if len(changes) else None


def hardest(
    probs: torch.Tensor, index: torch.Tensor, digits: tuple[int, ...] = PAIR, k: int = 10
) -> pd.DataFrame:
    """The k test digits the model is least sure about: columns index, predicted, confidence."""
    per_digit = _columns(probs.numpy())  # (M, C)
    pick = decisions(per_digit)
    confidence = per_digit[np.arange(len(pick)), pick]
    order = np.argsort(confidence, kind="stable")[:k]
    return pd.DataFrame(
        {
            "index": index.numpy()[order],
            "predicted": np.asarray(digits)[pick[order]],
            "confidence": confidence[order],
        }
    )


def pool(frames: list[pd.DataFrame], threshold: float = 0.5) -> pd.DataFrame:
    """The seeds' predictions as one frame: each digit's mean probabilities and loss, and
    `wrong_in` (how many of the `seeds` got it wrong at `threshold`). Every frame must hold the
    same test digits (a run's replicates do)."""
    first = frames[0].sort_values("index", ignore_index=True)
    aligned = [f.set_index("index").loc[first["index"]].reset_index() for f in frames]
    digits = digits_of(first)
    columns = [f"p_{d}" for d in digits]
    mean = np.mean([a[columns].to_numpy() for a in aligned], axis=0)  # (M, C)
    wrong = np.sum([~classify(a, threshold)["correct"].to_numpy() for a in aligned], axis=0)
    return first.assign(
        loss=np.mean([a["loss"].to_numpy() for a in aligned], axis=0),
        **dict(zip(columns, mean.T, strict=True)),
        wrong_in=wrong,
        seeds=len(frames),
    )


def pooled_errors(pooled: pd.DataFrame, every: bool | None = None) -> pd.DataFrame:
    """The digits wrong in at least one seed, by the pooled probability of the most likely wrong
    digit (`p_wrong`, digit `wrong_digit`), highest first. `every`: True keeps those wrong in
    every seed, False those wrong in only some, None all."""
    digits, probs = np.asarray(digits_of(pooled)), probs_of(pooled)
    others = np.where(digits[None, :] == pooled["label"].to_numpy()[:, None], -1.0, probs)
    pick = others.argmax(1)
    out = pooled.assign(wrong_digit=digits[pick], p_wrong=others[np.arange(len(pick)), pick])
    out = out[out["wrong_in"] > 0]
    if every is not None:
        out = out[(out["wrong_in"] == out["seeds"]) == every]
    return out.sort_values(["p_wrong", "index"], ascending=[False, True], kind="stable")


def pool_replay(frames: list[pd.DataFrame], replays: list[np.ndarray]) -> np.ndarray | None:
    """The seeds' replays (E, M[, C]) averaged, in `pool`'s row order (by test index); None
    when the seeds ran different numbers of epochs (no epoch is the same for all)."""
    if len({len(r) for r in replays}) != 1:
        return None
    order = np.sort(frames[0]["index"].to_numpy())
    aligned = []
    for frame, replay in zip(frames, replays, strict=True):
        position = pd.Series(np.arange(len(frame)), index=frame["index"].to_numpy()).loc[order].to_numpy()
        aligned.append(replay[:, position])
    return np.mean(aligned, axis=0)
