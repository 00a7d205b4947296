"""Data augmentation with torchvision.transforms.v2, on tensors, once per batch.

Each call draws one set of random parameters for the whole batch (per-digit draws cost 30-100x
more on a CPU): every digit in a batch moves the same way, each batch and epoch differently.

torch and torchvision are imported only when a transform is built or applied: the imports take
seconds, and the config and the pages need only the names.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

SMOOTH = "BILINEAR"  # v2.InterpolationMode: nearest-neighbour would leave jagged strokes

# name -> builder, given the module torchvision.transforms.v2
AUGMENTATIONS: dict[str, Callable[[ModuleType], Callable[[torch.Tensor], torch.Tensor]]] = {
    "rotate": lambda v2: v2.RandomRotation(15, interpolation=v2.InterpolationMode[SMOOTH]),  # +-15 degrees
    "shift": lambda v2: v2.RandomAffine(degrees=0, translate=(0.1, 0.1)),  # up to 3 pixels
    "scale": lambda v2: v2.RandomAffine(
        degrees=0, scale=(0.85, 1.15), interpolation=v2.InterpolationMode[SMOOTH]
    ),
    "elastic": lambda v2: v2.ElasticTransform(alpha=20.0, sigma=4.0),  # wobbly strokes
}

# torchvision draws its parameters from torch's global RNG, which every thread of a process
# shares: seeded draws (`versions`) take it one at a time and give it back as they found it
_global_rng = threading.Lock()


def pipeline(names: tuple[str, ...]) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """One transform applying `names` in order to a batch (B, 1, 28, 28), or None for none."""
    if not names:
        return None
    from torchvision.transforms import v2

    return v2.Compose([AUGMENTATIONS[n](v2) for n in names])


def versions(x: torch.Tensor, names: tuple[str, ...], n: int, seed: int) -> torch.Tensor:
    """`n` augmented versions of the batch `x` (B, 1, 28, 28) -> (n * B, 1, 28, 28), the same for
    the same seed, leaving torch's global RNG as it was."""
    import torch

    transform = pipeline(names)
    if transform is None:
        return x.repeat(n, 1, 1, 1)
    with _global_rng, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return torch.cat([transform(x) for _ in range(n)])
