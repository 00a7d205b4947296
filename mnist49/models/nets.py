"""The chapter's two networks as torch modules; `model.MODELS` builds them by name."""

from __future__ import annotations

import torch
from torch import nn

from mnist49.models.model import activation_class


class CNN(nn.Module):
    """3 x (Conv2d 3x3 -> activation -> max-pool 2), then Linear(channels[-1], outputs)."""

    def __init__(
        self,
        channels: tuple[int, ...] = (4, 8, 16),
        activation: str = "relu",
        dropout: float = 0.0,
        outputs: int = 1,
    ):
        super().__init__()
        self.outputs = outputs
        layers: list[nn.Module] = []
        for c_in, c_out in zip((1, *channels[:-1]), channels, strict=True):
            layers += [nn.Conv2d(c_in, c_out, 3), activation_class(activation)(), nn.MaxPool2d(2)]
        # 28 -> 26 -> 13 -> 11 -> 5 -> 3 -> 1: three stages leave (B, C, 1, 1)
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(channels[-1], outputs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, 1, 28, 28) -> (B,) or (B, C)
        out = self.head(self.features(x))
        return out.squeeze(1) if self.outputs == 1 else out


class MLP(nn.Module):
    """784 -> hidden... -> outputs, the chapter's second model."""

    def __init__(
        self,
        hidden: tuple[int, ...] = (128, 64),
        activation: str = "relu",
        dropout: float = 0.0,
        outputs: int = 1,
    ):
        super().__init__()
        self.outputs = outputs
        layers: list[nn.Module] = [nn.Flatten()]
        for n_in, n_out in zip((28 * 28, *hidden[:-1]), hidden, strict=True):
            layers += [nn.Linear(n_in, n_out), activation_class(activation)(), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers, nn.Linear(hidden[-1], outputs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, 1, 28, 28) -> (B,) or (B, C)
        out = self.net(x)
        return out.squeeze(1) if self.outputs == 1 else out
