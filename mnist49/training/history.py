"""What training reports after each epoch: the record that `train.fit` emits, the CLI prints, the
app plots and a run's history.csv holds a line of, and every test digit's probabilities.

Without torch, so that the app's server can read runs and follow trainings before it loads torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class EpochRecord:
    epoch: int  # 1-based
    train_loss: float  # mean loss (BCE, or cross-entropy past two digits) over the epoch's digits
    test_loss: float  # mean loss over the test set after the epoch
    test_accuracy: float  # decided as evaluate.decisions does: p >= 0.5 (two digits) or the most likely
    seconds: float  # wall time of the epoch, evaluation included


@dataclass(frozen=True)
class EpochProbs:
    """Every test digit's probabilities after one epoch: what Replay and the hardest digits use."""

    epoch: int
    probs: torch.Tensor  # (M,) p(second digit) of two, or (M, C) per digit; float32 on CPU
    index: torch.Tensor  # (M,) positions in the whole test set
