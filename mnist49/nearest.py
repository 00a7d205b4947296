"""The training digits nearest to a digit: which examples a model's knowledge comes from."""

from __future__ import annotations

import numpy as np
import torch

from mnist49 import data
from mnist49.config import Config


def train_digits(config: Config) -> data.Digits:
    """The digits a run trained on: its seeded sample of the train set, as `train.prepare` draws it."""
    digits, _ = data.sample(data.load(config.data, config.digits).train, config.train_size, config.seed)
    return digits


def nearest(digit: np.ndarray, images: torch.Tensor, k: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    """Positions and distances of the `k` images (N, 28, 28) uint8 closest to `digit` (28, 28) uint8.

    The distance is Euclidean over the 784 pixels in [0, 1]; closest first.
    """
    x = images.reshape(len(images), -1).float() / 255  # (N, 784)
    query = torch.from_numpy(np.ascontiguousarray(digit)).reshape(1, -1).float() / 255  # (1, 784)
    distances = (x - query).square().sum(1).sqrt()  # (N,)
    found = distances.topk(min(k, len(distances)), largest=False)  # sorted, closest first
    return found.indices, found.values
