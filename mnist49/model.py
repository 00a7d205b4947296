"""The chapter's two models and their knobs as registries, and a layer summary.

Models return logits: (B,) for two digits, where the loss is BCEWithLogitsLoss and p(second
digit) = sigmoid(logit); (B, C) for C > 2 digits, with cross-entropy and softmax. The networks
themselves are in nets.py.

torch is imported only inside the functions here: the config and the pages read the registries,
and the first page is drawn before torch is loaded (tests/test_imports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import torch
    from torch import nn

# name -> the activation's class, given the module torch.nn
ACTIVATIONS: dict[str, Callable[[ModuleType], type[nn.Module]]] = {
    "relu": lambda nn: nn.ReLU,
    "mish": lambda nn: nn.Mish,
    "gelu": lambda nn: nn.GELU,
    "silu": lambda nn: nn.SiLU,
    "tanh": lambda nn: nn.Tanh,
    "leaky_relu": lambda nn: nn.LeakyReLU,
}


def activation_class(name: str) -> type[nn.Module]:
    """The nn.Module class of an activation of ACTIVATIONS."""
    from torch import nn

    return ACTIVATIONS[name](nn)


def _cnn(widths: tuple[int, ...], activation: str, dropout: float, outputs: int) -> nn.Module:
    from mnist49.nets import CNN

    return CNN(widths, activation, dropout, outputs)


def _mlp(widths: tuple[int, ...], activation: str, dropout: float, outputs: int) -> nn.Module:
    from mnist49.nets import MLP

    return MLP(widths, activation, dropout, outputs)


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
    "cnn": ModelSpec(_cnn, "CNN", 0.004, "channels", (4, 8, 16), 3, True),
    "mlp": ModelSpec(_mlp, "MLP", 0.0003, "hidden", (128, 64), None, False),
}


def build(
    name: str, widths: tuple[int, ...], activation: str = "relu", dropout: float = 0.0, outputs: int = 1
) -> nn.Module:
    """A model from the registry; `widths` are conv channels (CNN) or hidden units (MLP)."""
    return MODELS[name].build(widths, activation, dropout, outputs)


def probabilities(logits: torch.Tensor) -> torch.Tensor:
    """(N,) logits -> p(second digit) by sigmoid; (N, C) -> each digit's probability by softmax."""
    import torch

    return torch.sigmoid(logits) if logits.ndim == 1 else torch.softmax(logits, dim=-1)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def summary(model: nn.Module) -> pd.DataFrame:
    """Each leaf layer's output shape for one 28x28 digit and its parameter count."""
    import torch

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
