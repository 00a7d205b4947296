"""The training digits nearest to a digit: which examples a model's knowledge comes from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from mnist49 import data
from mnist49.config import Config


def train_digits(config: Config) -> data.Digits:
    """The digits a run trained on: its seeded sample of the train set, as `train.prepare` draws it."""
    train = data.load(config.data, config.digits).train
    digits, _ = data.sample(train, config.train_size, config.seed, config.exclude)
    return digits


@dataclass(frozen=True)
class Index:
    """Digits made ready to search once: every query is then one matrix-vector product."""

    pixels: torch.Tensor  # (N, 784) float32 in [0, 1]
    norms: torch.Tensor  # (N,) squared lengths of the rows

    @classmethod
    def of(cls, images: torch.Tensor) -> Index:
        """From uint8 digits (N, 28, 28)."""
        pixels = images.reshape(len(images), -1).float() / 255
        return cls(pixels, pixels.square().sum(1))


def nearest(digit: np.ndarray, index: Index, k: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    """Positions and distances of the `k` indexed digits closest to `digit` (28, 28) uint8.

    The distance is Euclidean over the 784 pixels in [0, 1]; closest first.
    """
    query = torch.from_numpy(np.ascontiguousarray(digit)).reshape(-1).float() / 255  # (784,)
    # |x - q|^2 = |x|^2 - 2 x.q + |q|^2: one (N, 784) @ (784,) product, no (N, 784) temporaries
    squared = index.norms - 2 * (index.pixels @ query) + query.square().sum()  # (N,)
    found = squared.topk(min(k, len(squared)), largest=False)  # sorted, closest first
    return found.indices, found.values.clamp(min=0).sqrt()
