"""The chapter's two models, their knobs as registries, and a layer summary.

Models return logits: (B,) for two digits, where the loss is BCEWithLogitsLoss and p(second
digit) = sigmoid(logit); (B, C) for C > 2 digits, with cross-entropy and softmax.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "mish": nn.Mish,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "leaky_relu": nn.LeakyReLU,
}


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
            layers += [nn.Conv2d(c_in, c_out, 3), ACTIVATIONS[activation](), nn.MaxPool2d(2)]
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
            layers += [nn.Linear(n_in, n_out), ACTIVATIONS[activation](), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers, nn.Linear(hidden[-1], outputs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, 1, 28, 28) -> (B,) or (B, C)
        out = self.net(x)
        return out.squeeze(1) if self.outputs == 1 else out


@dataclass(frozen=True)
class ModelSpec:
    """What differs per model: the one place to add a model (Config, CLI and pages read it)."""

    build: Callable[..., nn.Module]  # (widths, activation, dropout, outputs) -> module
    label: str  # as the pages and the CLI show it
    lr: float  # the chapter's learning rate for it
    widths: str  # the Config field holding its widths: "channels" or "hidden"
    default_widths: tuple[int, ...]
    depth: int | None  # how many widths it needs; None: one or more
    feature_maps: bool  # has conv stages that Inside can show


MODELS: dict[str, ModelSpec] = {
    "cnn": ModelSpec(CNN, "CNN", 0.004, "channels", (4, 8, 16), 3, True),
    "mlp": ModelSpec(MLP, "MLP", 0.0003, "hidden", (128, 64), None, False),
}


def build(
    name: str, widths: tuple[int, ...], activation: str = "relu", dropout: float = 0.0, outputs: int = 1
) -> nn.Module:
    """A model from the registry; `widths` are conv channels (CNN) or hidden units (MLP)."""
    return MODELS[name].build(widths, activation, dropout, outputs)


def probabilities(logits: torch.Tensor) -> torch.Tensor:
    """(N,) logits -> p(second digit) by sigmoid; (N, C) -> each digit's probability by softmax."""
    return torch.sigmoid(logits) if logits.ndim == 1 else torch.softmax(logits, dim=-1)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def summary(model: nn.Module) -> pd.DataFrame:
    """Each leaf layer's output shape for one 28x28 digit and its parameter count."""
    rows: list[dict] = []

    def hook_for(name: str):
        def hook(module: nn.Module, _inputs, output: torch.Tensor) -> None:
            rows.append(
                {
                    "layer": f"{name}: {module.__class__.__name__}",
                    "output shape": "x".join(str(d) for d in output.shape[1:]),
                    "params": n_params(module),
                }
            )

        return hook

    handles = [
        m.register_forward_hook(hook_for(name)) for name, m in model.named_modules() if not list(m.children())
    ]
    was_training = model.training
    try:
        device = next(model.parameters()).device
        with torch.no_grad():
            model.eval()(torch.zeros(1, 1, 28, 28, device=device))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return pd.DataFrame(rows, columns=["layer", "output shape", "params"])
