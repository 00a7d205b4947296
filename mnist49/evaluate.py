"""Per-digit predictions, accuracy, confusion matrix and the errors, as DataFrames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from torch import nn

from mnist49.data import PAIR


@torch.inference_mode()
def logits_of(model: nn.Module, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """The model's logits (N,) for inputs (N, 1, 28, 28), in eval mode, on CPU."""
    model.eval()
    return torch.cat([model(chunk) for chunk in x.split(batch_size)]).float().cpu()


def predictions(logits: torch.Tensor, y: torch.Tensor, index: torch.Tensor) -> pd.DataFrame:
    """One row per test digit: its index in the test set, true digit, p(9) and BCE loss."""
    y = y.float().cpu()
    loss = nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
    return pd.DataFrame({
        "index": index.cpu().numpy(),
        "label": torch.where(y > 0.5, PAIR[1], PAIR[0]).numpy(),
        "p9": torch.sigmoid(logits).numpy(),
        "loss": loss.numpy(),
    })


def classify(preds: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """Add the predicted digit at `threshold`, whether it is right, and the confidence in it."""
    predicted_9 = preds["p9"] >= threshold
    return preds.assign(
        predicted=predicted_9.map({True: PAIR[1], False: PAIR[0]}).astype(int),
        correct=predicted_9 == (preds["label"] == PAIR[1]),
        confidence=preds["p9"].where(predicted_9, 1 - preds["p9"]),
    )


def accuracy(preds: pd.DataFrame, threshold: float = 0.5) -> float:
    return float(classify(preds, threshold)["correct"].mean()) if len(preds) else float("nan")


def confusion(preds: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """Counts with the true digit as rows and the predicted digit as columns (4, 9)."""
    c = classify(preds, threshold)
    table = pd.crosstab(c["label"], c["predicted"])
    return table.reindex(index=list(PAIR), columns=list(PAIR), fill_value=0).rename_axis(
        index="true", columns="predicted")


def errors(preds: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """The misclassified digits, most confidently wrong first."""
    c = classify(preds, threshold)
    wrong = c[~c["correct"]]
    return wrong.sort_values(["confidence", "index"], ascending=[False, True], kind="stable")


def at_epoch(preds: pd.DataFrame, replay: np.ndarray, epoch: int) -> pd.DataFrame:
    """The predictions as they were after `epoch` (1-based), from a run's replay (E, M)."""
    p9 = replay[epoch - 1].astype(np.float64)
    target = (preds["label"] == PAIR[1]).to_numpy()
    clipped = np.clip(p9, 1e-7, 1 - 1e-7)  # BCE from probabilities: keep the log finite
    loss = -np.where(target, np.log(clipped), np.log(1 - clipped))
    return preds.assign(p9=p9, loss=loss)


def last_flip(p9: np.ndarray, threshold: float = 0.5) -> int | None:
    """The 1-based epoch at which the prediction last changed side, or None if it never did."""
    side = np.asarray(p9) >= threshold  # (E,)
    changes = np.flatnonzero(side[1:] != side[:-1])
    return int(changes[-1]) + 2 if len(changes) else None


def hardest(p9: torch.Tensor, index: torch.Tensor, k: int = 10) -> pd.DataFrame:
    """The k test digits the model is least sure about: p(9) closest to 0.5."""
    order = (p9 - 0.5).abs().argsort()[:k]
    return pd.DataFrame({"index": index[order].numpy(), "p9": p9[order].numpy()})
