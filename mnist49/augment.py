"""Data augmentation with torchvision.transforms.v2, on tensors, once per batch.

Each call draws one set of random parameters for the whole batch (per-digit draws cost 30-100x
more on a CPU): every digit in a batch moves the same way, each batch and epoch differently.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torchvision.transforms import v2

SMOOTH = v2.InterpolationMode.BILINEAR  # nearest-neighbour would leave jagged strokes

AUGMENTATIONS: dict[str, Callable[[], v2.Transform]] = {
    "rotate": lambda: v2.RandomRotation(15, interpolation=SMOOTH),  # up to 15 degrees either way
    "shift": lambda: v2.RandomAffine(degrees=0, translate=(0.1, 0.1)),  # up to 3 pixels
    "scale": lambda: v2.RandomAffine(degrees=0, scale=(0.85, 1.15), interpolation=SMOOTH),
    "elastic": lambda: v2.ElasticTransform(alpha=20.0, sigma=4.0),  # wobbly strokes
}


def pipeline(names: tuple[str, ...]) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """One transform applying `names` in order to a batch (B, 1, 28, 28), or None for none."""
    return v2.Compose([AUGMENTATIONS[n]() for n in names]) if names else None
