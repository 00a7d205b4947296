"""A train step captured once as a CUDA graph and replayed per batch (opt-in: MNIST49_CUDA_GRAPHS=1).

The recipe's step is a few dozen small kernels: on a GPU their launches, not their arithmetic,
take the time. A CUDA graph launches them all at once. `train.fit` and `replicates.fit_replicates`
take their step from `stepper`, which gives the eager step unless graphs are switched on, the
device has a capture in CAPTURES (CUDA only) and the run can be captured:

- the batch is copied into static buffers the graph reads; augmentation draws its parameters
  from the CPU RNG, so it runs eagerly on the batch before the copy and graphs keep it;
- the first WARMUP full batches train eagerly on a side stream (PyTorch's CUDA Graphs notes:
  cuBLAS and the optimizer's state are set up outside the capture), the next one is captured
  and every full batch after it replays the graph;
- a batch of another shape (the short last batch) trains eagerly;
- dropout > 0 trains eagerly (the replicates' masks come from generators of their own, which a
  graph would replay with the masks of its capture), and so does a schedule (lr_find): the
  graph holds the learning rate it was captured with.

The optimizer must then keep its step count on the device (`capturable`, optimizers.make).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch

from mnist49.config import Config

SWITCH = "MNIST49_CUDA_GRAPHS"  # "1" switches graphs on where the device has a capture
WARMUP = 3  # eager steps before the capture, as PyTorch's whole-network example takes

Step = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (x, y) -> its loss, after the update


@contextlib.contextmanager
def side_stream() -> Iterator[None]:
    """Run the body on a CUDA stream of its own, in order with the current stream's work."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        yield
    torch.cuda.current_stream().wait_stream(side)


def cuda_graph(step: Callable[[], torch.Tensor]) -> Callable[[], torch.Tensor]:
    """`step` captured as one CUDA graph (nothing runs yet); each call replays it and returns
    its static loss, which the next replay overwrites."""
    graph = torch.cuda.CUDAGraph()
    # thread_local: the app trains runs in threads; another's CUDA work must not fail this capture
    with torch.cuda.graph(graph, capture_error_mode="thread_local"):
        loss = step()

    def replay() -> torch.Tensor:
        graph.replay()
        return loss

    return replay


@dataclass(frozen=True)
class Capture:
    """How one device type captures a step and replays it."""

    warm: Callable[[], contextlib.AbstractContextManager]  # where a warm-up step runs
    graph: Callable[[Callable[[], torch.Tensor]], Callable[[], torch.Tensor]]  # step -> its replay
    capturable: bool  # the optimizer must keep its state on the device (Adam's `capturable`)


# device type -> its capture: the one place a device gains graphs
CAPTURES: dict[str, Capture] = {"cuda": Capture(side_stream, cuda_graph, capturable=True)}


def capture(config: Config, device: torch.device) -> Capture | None:
    """The capture `config`'s steps on `device` go through, or None to train eagerly."""
    if os.environ.get(SWITCH) != "1" or config.dropout > 0:
        return None
    return CAPTURES.get(device.type)


class GraphedStep:
    """`step` over static input and target buffers: warmed up, captured once, then replayed."""

    def __init__(self, step: Step, how: Capture, warmup: int = WARMUP):
        self.step, self.how, self.warmup = step, how, warmup
        self.x: torch.Tensor | None = None  # the static batch (B, ...) the graph reads
        self.y: torch.Tensor | None = None
        self.replay: Callable[[], torch.Tensor] | None = None
        self.warmed = 0  # warm-up steps taken

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if self.x is None:  # the first full batch sets the buffers' shapes
            self.x, self.y = torch.empty_like(x), torch.empty_like(y)
        if x.shape != self.x.shape or y.shape != self.y.shape:  # the short last batch
            return self.step(x, y)
        self.x.copy_(x)
        self.y.copy_(y)
        if self.replay is None and self.warmed < self.warmup:
            self.warmed += 1
            with self.how.warm():
                return self._static()
        if self.replay is None:
            self.replay = self.how.graph(self._static)
        return self.replay()

    def _static(self) -> torch.Tensor:
        return self.step(self.x, self.y)


def stepper(step: Step, how: Capture | None) -> Step:
    """`step` itself when training eagerly (`how` None), else through a GraphedStep."""
    return step if how is None else GraphedStep(step, how)
