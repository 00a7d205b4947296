"""Looking inside a trained model: feature maps stage by stage, kernels, saliency."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn


class Stage(NamedTuple):
    kind: str  # "conv", "activation" or "pool": the pages name it in their language
    number: int  # which of its kind, from 1
    layer: str  # the module's class name, e.g. "Conv2d"
    maps: torch.Tensor  # (C, H, W)


@torch.inference_mode()
def stages(model: nn.Module, x: torch.Tensor) -> list[Stage]:
    """The CNN's activations after each conv, activation and pool for one digit x (1, 1, 28, 28),
    in order: what the chapter's `print(data.shape)` shows."""
    if not hasattr(model, "features"):
        raise ValueError("feature maps need a CNN; this run's model has no conv stages")
    model.eval()
    out, found, counts = x, [], {}
    for layer in model.features:
        out = layer(out)
        kind = {nn.Conv2d: "conv", nn.MaxPool2d: "pool"}.get(type(layer), "activation")
        counts[kind] = counts.get(kind, 0) + 1
        found.append(Stage(kind, counts[kind], type(layer).__name__, out[0].float().cpu()))
    return found


def kernels(model: nn.Module) -> list[torch.Tensor]:
    """The learned weights of each conv layer, (C_out, C_in, 3, 3)."""
    return [m.weight.detach().float().cpu() for m in model.modules() if isinstance(m, nn.Conv2d)]


def saliency(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """|d logit / d pixel| for digits x (N, 1, 28, 28), each scaled to [0, 1]: (N, 28, 28).

    With more than two digits, the logit is that of each digit's most likely class.
    """
    model.eval()
    x = x.detach().clone().requires_grad_(True)
    logits = model(x)  # (N,) or (N, C)
    if logits.ndim == 2:
        logits = logits.gather(1, logits.argmax(1, keepdim=True))
    logits.sum().backward()  # each logit depends on its own digit only
    grad = x.grad.abs()[:, 0]  # (N, 28, 28)
    peak = grad.flatten(1).amax(1).clamp_min(1e-12)[:, None, None]
    return (grad / peak).cpu()


def to_pixels(maps: torch.Tensor) -> torch.Tensor:
    """Maps (N, H, W) as uint8 images on one shared scale 0..255, so the channels of a stage can
    be compared (a 1x1 map shows its value; an all-equal stage is black)."""
    low, span = maps.min(), (maps.max() - maps.min()).clamp_min(1e-12)
    return ((maps - low) / span * 255).round().to(torch.uint8)
