"""R models of one architecture as one: grouped convolutions and batched matmuls over stacked weights.

Each parameter of the lone model becomes one tensor (R, *shape) whose slice r is replicate r's.
Every optimizer in the registry is elementwise (Adam, AdamW, RAdam, SGD with momentum), so one
step over the stacked tensors is each replicate's own step: one kernel call for all of them.

Between layers a batch is held in one of two layouts:
- image (B, R*C, H, W), channels-last: replicate r owns channels r*C to (r+1)*C - 1, so a conv
  with groups=R runs all replicates at once and activations and pools act per channel as they are;
- vector (R, B, F): a Linear is one batched matmul (baddbmm) over the replicates.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from mnist49.models.model import ACTIVATIONS, activation_class

# layers that act on each channel alone, so they run on R*C channels unchanged
PER_CHANNEL: tuple[type[nn.Module], ...] = (*map(activation_class, ACTIVATIONS), nn.MaxPool2d)


def _leaves(model: nn.Module) -> list[nn.Module]:
    """The model's layers in forward order (the registry's models are chains of Sequentials)."""
    return [m for m in model.modules() if not list(m.children())]


class StackedModel(nn.Module):
    """The lone models `models` (same architecture, own weights) as one batched model.

    forward takes (R, B, 1, 28, 28), each replicate its own digits, or (B, 1, 28, 28) shared by
    all (`shared=True`, how the test set is evaluated), and returns logits (R, B) or (R, B, C).
    """

    def __init__(self, models: Sequence[nn.Module], dropouts: Sequence[float]):
        super().__init__()
        self.replicates = len(models)
        self.outputs = models[0].outputs
        self.dropouts = list(dropouts)  # one rate per replicate: a sweep may vary it
        self.ops: list[tuple[str, nn.Module]] = []  # (kind, the lone model's layer) in forward order
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for column in zip(*(_leaves(m) for m in models), strict=True):
            layer = column[0]
            if isinstance(layer, nn.Conv2d | nn.Linear):
                if layer.bias is None or (isinstance(layer, nn.Conv2d) and layer.groups != 1):
                    raise NotImplementedError(f"cannot stack {layer}: needs a bias and groups=1")
                self.weights.append(_stack([m.weight.detach() for m in column]))  # (R, out, ...)
                self.biases.append(torch.stack([m.bias.detach() for m in column]))  # (R, out)
                self.ops.append(("conv" if isinstance(layer, nn.Conv2d) else "linear", layer))
            elif isinstance(layer, nn.MaxPool2d) and self.ops and isinstance(self.ops[-1][1], nn.ReLU):
                # max-pool then ReLU is ReLU then max-pool, gradient and all, on 4x fewer values
                self.ops.insert(len(self.ops) - 1, ("channel", layer))
            elif isinstance(layer, PER_CHANNEL):
                self.ops.append(("channel", layer))
            elif isinstance(layer, nn.Flatten):
                self.ops.append(("flatten", layer))
            elif isinstance(layer, nn.Dropout):
                self.ops.append(("dropout", layer))
            else:
                raise NotImplementedError(f"cannot stack a {type(layer).__name__} layer")

    def forward(
        self, x: torch.Tensor, shared: bool = False, draws: Sequence[torch.Generator] = ()
    ) -> torch.Tensor:
        """`draws`: one generator per replicate for its dropout masks (needed when training)."""
        R = self.replicates
        param = 0
        for kind, layer in self.ops:
            if kind == "conv":
                w, b = self.weights[param], self.biases[param]  # (R, out, in, kh, kw), (R, out)
                param += 1
                w = w.flatten(0, 1)  # (R*out, in, kh, kw)
                if layer.in_channels == 1 and (shared or x.ndim == 5):
                    # each replicate's digit repeated for each of its filters: a depthwise conv,
                    # which oneDNN runs faster than R groups of one input channel, or than one
                    # conv of R*out filters over shared digits (docs/performance.md)
                    x, groups = _spread(x, R, layer.out_channels, shared), R * layer.out_channels
                else:
                    if shared:  # (B, C, H, W), the same digits for every replicate
                        x = x.expand(R, *x.shape)
                    x, groups = (_as_image(x) if x.ndim == 5 else x), R
                shared = False
                x = F.conv2d(x, w, b.flatten(), layer.stride, layer.padding, layer.dilation, groups)
            elif kind == "linear":
                w, b = self.weights[param], self.biases[param]  # (R, out, in), (R, out)
                param += 1
                if shared:  # (B, in) against all R at once: one matmul, (B, R*out)
                    x = F.linear(x, w.flatten(0, 1), b.flatten()).unflatten(1, (R, -1)).transpose(0, 1)
                    shared = False
                else:
                    x = torch.baddbmm(b.unsqueeze(1), x, w.transpose(1, 2))  # (R, B, out)
            elif kind == "flatten":
                if shared:
                    x = x.flatten(1)  # (B, F), still shared
                elif x.ndim == 5:
                    x = x.flatten(2)  # (R, B, C, H, W) -> (R, B, F)
                else:
                    x = x.reshape(x.shape[0], R, -1).transpose(0, 1)  # (B, R*C, H, W) -> (R, B, C*H*W)
            elif kind == "dropout":
                if self.training and any(self.dropouts):
                    x = x if not shared else x.expand(R, *x.shape)
                    shared = False
                    x = x * _masks(x, self.dropouts, draws)
            else:
                x = layer(x)
        return x.squeeze(-1) if self.outputs == 1 else x

    @torch.no_grad()
    def copy_into(self, r: int, model: nn.Module) -> nn.Module:
        """Write replicate r's weights into `model`, a lone model of the same architecture."""
        layers = [m for m in _leaves(model) if isinstance(m, nn.Conv2d | nn.Linear)]
        for layer, w, b in zip(layers, self.weights, self.biases, strict=True):
            layer.weight.copy_(w[r])
            layer.bias.copy_(b[r])
        return model


def _stack(weights: list[torch.Tensor]) -> torch.Tensor:
    """(R, out, ...) from R weights; a conv's laid out channels-last, so that its flatten(0, 1)
    is the channels-last (R*out, in, kh, kw) oneDNN wants (else it reorders it every call)."""
    w = torch.stack(weights)
    if w.ndim == 5:
        w = w.flatten(0, 1).contiguous(memory_format=torch.channels_last).unflatten(0, w.shape[:2])
    return w


def _spread(x: torch.Tensor, R: int, repeat: int, shared: bool) -> torch.Tensor:
    """One-channel digits, (R, B, 1, H, W) or (B, 1, H, W) shared by all replicates, as
    (B, R*repeat, H, W) channels-last: each replicate's pixel copied to its `repeat` channels."""
    if shared:
        B, _, H, W = x.shape
        x = x.reshape(B, H * W, 1).expand(B, H * W, R * repeat).contiguous()
    else:
        # a product with a 0/1 matrix (exact: x * 1 plus zeros): a copy through a stride-0 view
        # of the 6-d layout took several times as long (docs/performance.md); (B, H*W, R) made
        # contiguous first, which BLAS takes faster than the transposed view
        _, B, _, H, W = x.shape
        spread = torch.eye(R, dtype=x.dtype, device=x.device).repeat_interleave(repeat, dim=1)
        x = torch.matmul(x.reshape(R, B, H * W).permute(1, 2, 0).contiguous(), spread)
    return x.view(B, H, W, R * repeat).permute(0, 3, 1, 2)


def _as_image(x: torch.Tensor) -> torch.Tensor:
    """(R, B, C, H, W) -> (B, R*C, H, W) channels-last, replicate r's channels together."""
    R, B, C, H, W = x.shape
    return x.permute(1, 3, 4, 0, 2).reshape(B, H, W, R * C).permute(0, 3, 1, 2)


def _masks(x: torch.Tensor, rates: Sequence[float], draws: Sequence[torch.Generator]) -> torch.Tensor:
    """Dropout masks (R, B, F) for x (R, B, F), replicate r's drawn from draws[r].

    Each is what F.dropout draws on a CPU for a lone (B, F) input: bernoulli(1 - p) / (1 - p)
    from one generator call, so replicate r drops the units its lone run drops.
    """
    masks = x.new_ones(x.shape)  # contiguous, as the lone run's (B, F) noise is
    for r, (p, draw) in enumerate(zip(rates, draws, strict=True)):
        if p > 0:
            masks[r].bernoulli_(1 - p, generator=draw).div_(1 - p)
    return masks
