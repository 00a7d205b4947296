"""The chapter's two models and their knobs as registries, and a layer summary.

Models return logits: (B,) for two digits, where the loss is BCEWithLogitsLoss and p(second
digit) = sigmoid(logit); (B, C) for C > 2 digits, with cross-entropy and softmax. The networks
themselves are in nets.py.

torch is imported only inside the functions here: the config and the pages read the registries,
and the first page is drawn before torch is loaded (tests/test_imports.py).
"""

from __future__ import annotations

import math
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
    from mnist49.models.nets import CNN

    return CNN(widths, activation, dropout, outputs)


def _mlp(widths: tuple[int, ...], activation: str, dropout: float, outputs: int) -> nn.Module:
    from mnist49.models.nets import MLP

    return MLP(widths, activation, dropout, outputs)


@dataclass(frozen=True)
class Layer:
    """One leaf layer as the arithmetic gives it, before any weight exists."""

    name: str  # as named_modules() names it: "features.0"
    kind: str  # its class: "Conv2d", or "activation" for the configured one
    shape: tuple[int, ...]  # output shape for one digit
    params: int
    macs: int  # multiply-adds for one digit, forward


def _cnn_layers(widths: tuple[int, ...], outputs: int) -> list[Layer]:
    layers, c_in, size = [], 1, 28
    for i, c in enumerate(widths):
        size -= 2  # a 3x3 conv without padding
        layers += [
            Layer(
                f"features.{3 * i}", "Conv2d", (c, size, size), c_in * c * 9 + c, c * size * size * c_in * 9
            ),
            Layer(f"features.{3 * i + 1}", "activation", (c, size, size), 0, 0),
        ]
        size //= 2
        layers.append(Layer(f"features.{3 * i + 2}", "MaxPool2d", (c, size, size), 0, 0))
        c_in = c
    flat = c_in * size * size
    return [
        *layers,
        Layer("head.0", "Flatten", (flat,), 0, 0),
        Layer("head.1", "Dropout", (flat,), 0, 0),
        Layer("head.2", "Linear", (outputs,), flat * outputs + outputs, flat * outputs),
    ]


def _mlp_layers(widths: tuple[int, ...], outputs: int) -> list[Layer]:
    layers, n_in = [Layer("net.0", "Flatten", (28 * 28,), 0, 0)], 28 * 28
    for n in widths:
        i = len(layers)
        layers += [
            Layer(f"net.{i}", "Linear", (n,), n_in * n + n, n_in * n),
            Layer(f"net.{i + 1}", "activation", (n,), 0, 0),
            Layer(f"net.{i + 2}", "Dropout", (n,), 0, 0),
        ]
        n_in = n
    return [
        *layers,
        Layer(f"net.{len(layers)}", "Linear", (outputs,), n_in * outputs + outputs, n_in * outputs),
    ]


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
    layers: Callable[[tuple[int, ...], int], list[Layer]]  # (widths, outputs) -> its leaf layers


MODELS: dict[str, ModelSpec] = {
    "cnn": ModelSpec(_cnn, "CNN", 0.004, "channels", (4, 8, 16), 3, True, _cnn_layers),
    "mlp": ModelSpec(_mlp, "MLP", 0.0003, "hidden", (128, 64), None, False, _mlp_layers),
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


def plan(name: str, widths: tuple[int, ...], activation: str = "relu", outputs: int = 1) -> pd.DataFrame:
    """The layer summary of a model worked out from its widths, without building it: what
    `summary` measures, plus each layer's multiply-adds for one digit. A model too large to
    allocate still has one."""
    act = activation_class(activation).__name__
    return pd.DataFrame(
        [
            {
                "layer": f"{layer.name}: {act if layer.kind == 'activation' else layer.kind}",
                "output shape": "x".join(str(d) for d in layer.shape),
                "params": layer.params,
                "macs": layer.macs,
                "outputs": math.prod(layer.shape),
            }
            for layer in MODELS[name].layers(widths, outputs)
        ],
        columns=["layer", "output shape", "params", "macs", "outputs"],
    )


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
