"""The optimizers a run can train with: the one place to add one (Config, CLI and pages read it).

torch is imported only when an optimizer is made: the config and the pages need only the names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

    Params = Iterable[torch.nn.Parameter]


@dataclass(frozen=True)
class OptimizerSpec:
    # (the module torch.optim, params, lr, weight_decay) -> the optimizer
    build: Callable[[ModuleType, Params, float, float], torch.optim.Optimizer]
    label: str  # as the pages show it


# Adam and AdamW update all parameters in one fused kernel (a few per cent off a CPU epoch)
OPTIMIZERS: dict[str, OptimizerSpec] = {
    "adam": OptimizerSpec(
        lambda optim, params, lr, wd: optim.Adam(params, lr=lr, weight_decay=wd, fused=True), "Adam"
    ),
    "adamw": OptimizerSpec(
        lambda optim, params, lr, wd: optim.AdamW(params, lr=lr, weight_decay=wd, fused=True), "AdamW"
    ),
    "radam": OptimizerSpec(
        lambda optim, params, lr, wd: optim.RAdam(params, lr=lr, weight_decay=wd), "RAdam"
    ),
    "sgd": OptimizerSpec(
        lambda optim, params, lr, wd: optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd),
        "SGD (momentum 0.9)",
    ),
}


def make(
    name: str, params: Params, lr: float, weight_decay: float = 0.0, capturable: bool = False
) -> torch.optim.Optimizer:
    """The optimizer `name` over `params` (parameters, or param groups with their own lr).

    `capturable`: its step may be captured in a CUDA graph (graphed.py). Where it has that option
    (Adam, AdamW, RAdam) it is set, which keeps the step count on the device; SGD keeps no count
    on the host and is capturable as it is."""
    from torch import optim

    optimizer = OPTIMIZERS[name].build(optim, params, lr, weight_decay)
    if capturable:  # set on the groups, which `step` reads: the builders stay (optim, params, lr, wd)
        for group in optimizer.param_groups:
            if "capturable" in group:
                group["capturable"] = True
    return optimizer
