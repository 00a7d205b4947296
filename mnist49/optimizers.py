"""The optimizers a run can train with: the one place to add one (Config, CLI and pages read it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch

Params = Iterable[torch.nn.Parameter]


@dataclass(frozen=True)
class OptimizerSpec:
    build: Callable[[Params, float, float], torch.optim.Optimizer]  # (params, lr, weight_decay)
    label: str  # as the pages show it


# Adam and AdamW update all parameters in one fused kernel (a few per cent off a CPU epoch)
OPTIMIZERS: dict[str, OptimizerSpec] = {
    "adam": OptimizerSpec(
        lambda params, lr, wd: torch.optim.Adam(params, lr=lr, weight_decay=wd, fused=True), "Adam"
    ),
    "adamw": OptimizerSpec(
        lambda params, lr, wd: torch.optim.AdamW(params, lr=lr, weight_decay=wd, fused=True), "AdamW"
    ),
    "radam": OptimizerSpec(lambda params, lr, wd: torch.optim.RAdam(params, lr=lr, weight_decay=wd), "RAdam"),
    "sgd": OptimizerSpec(
        lambda params, lr, wd: torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd),
        "SGD (momentum 0.9)",
    ),
}


def make(name: str, params: Params, lr: float, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    return OPTIMIZERS[name].build(params, lr, weight_decay)
