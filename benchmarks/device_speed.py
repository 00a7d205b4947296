"""The recipe's speed on each device here (CPU, and CUDA where there is one): issue 27's table.

    uv run python benchmarks/device_speed.py [--device cuda] [--epochs 10] [--seeds 10]
    uv run python benchmarks/device_speed.py --device cpu --quick     # seconds: checks it runs

For each device, one line per row (a row that fails prints why and the others still run):
- eager: `fit` on digits put there once (`train.prepare`), median seconds per epoch after the
  first (which pays for kernel selection), and the final test accuracy;
- recorded: the same through `record.train_run`, which writes the run folder as it goes;
- one profiled epoch: on CUDA the GPU's own busy time (the kernels' summed device time), the
  kernel launches and the host-to-device copies (the data is not moved per batch: only the
  epoch's shuffled order is); on CPU the aten operators dispatched, a launch's counterpart;
- seeds: `--seeds` replicates trained together against the recorded lone run, per epoch;
- ten digits on all 60,000 train digits (full MNIST from --mnist, as $MNIST49_DATA), per epoch;
- CUDA graphs (mnist49/training/graphed.py) against eager, the recipe and the ten digits: each run both
  ways on one split, seconds per epoch and the ratio ("CUDA only" on other devices).

The rows above the last two train as $MNIST49_CUDA_GRAPHS says (their names say which): run with
MNIST49_CUDA_GRAPHS=1 on a GPU to see the recorded, profiled and seeds rows through graphs too.
"""

import argparse
import contextlib
import os
import statistics
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import torch

from mnist49.config import Config
from mnist49.runs import record
from mnist49.training import graphed, train


def median_epoch(seconds: list[float]) -> float:
    """The median of the epochs after the first (all of them when there is only one)."""
    return statistics.median(seconds[1:] or seconds)


def eager(config: Config) -> str:
    split = train.prepare(config)
    assert split.x_train.device.type == config.device, split.x_train.device
    result = train.fit(config, split)
    seconds = median_epoch([r.seconds for r in result.history])
    return f"{seconds:.4f} s/epoch, test accuracy {result.history[-1].test_accuracy:.3f}"


@contextlib.contextmanager
def graphs(on: bool) -> Iterator[None]:
    """CUDA graphs switched on or off for the body, as they were after it."""
    was = os.environ.get(graphed.SWITCH)
    os.environ[graphed.SWITCH] = "1" if on else "0"
    try:
        yield
    finally:
        if was is None:
            del os.environ[graphed.SWITCH]
        else:
            os.environ[graphed.SWITCH] = was


def graphed_against_eager(config: Config) -> str:
    """`fit` of `config` eagerly, then through a CUDA graph, on one split."""
    if config.device != "cuda":
        return "CUDA only"
    split = train.prepare(config)
    seconds, accuracy = {}, {}
    for on in (False, True):
        with graphs(on):
            history = train.fit(config, split).history
        seconds[on], accuracy[on] = median_epoch([r.seconds for r in history]), history[-1].test_accuracy
    return (
        f"eager {seconds[False]:.4f}, graphed {seconds[True]:.4f} s/epoch "
        f"({seconds[False] / seconds[True]:.2f}x as fast), test accuracy {accuracy[False]:.3f} eager, "
        f"{accuracy[True]:.3f} graphed"
    )


def recorded(config: Config) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as runs_dir:
        run, _ = record.train_run(config, runs_dir)
    seconds = median_epoch(list(run.history["seconds"]))
    return seconds, f"{seconds:.4f} s/epoch ({run.status})"


def profiled(config: Config) -> str:
    """One epoch of `fit` under torch.profiler, after a warm-up epoch."""
    from torch.autograd import DeviceType
    from torch.profiler import ProfilerActivity, profile

    split = train.prepare(config)
    one = config.replace(epochs=1)
    train.fit(one, split)  # kernel selection and the dynamo import, outside the profile
    cuda = config.device == "cuda"
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    start = time.perf_counter()
    with profile(activities=activities) as prof:
        train.fit(one, split)
        if cuda:
            torch.cuda.synchronize()
    wall = time.perf_counter() - start
    events = prof.events()
    if not cuda:
        ops = sum(1 for e in events if e.device_type == DeviceType.CPU and e.name.startswith("aten::"))
        return f"{ops} aten operators dispatched in one epoch ({wall:.3f} s wall under the profiler)"
    on_gpu = [e for e in events if e.device_type == DeviceType.CUDA and not e.is_user_annotation]
    busy = sum(e.self_device_time_total for e in on_gpu) / 1e6  # microseconds -> s
    launches = sum(1 for e in events if "LaunchKernel" in e.name)  # cudaLaunchKernel(ExC), cuLaunchKernel
    copies = sum(1 for e in events if "HtoD" in e.name)
    return (
        f"GPU busy {busy:.4f} s in one epoch ({wall:.3f} s wall under the profiler), {launches} kernel "
        f"launches, {len(on_gpu)} GPU operations, {copies} host-to-device copies"
    )


def row(name: str, work: Callable[[], str]) -> None:
    try:
        print(f"  {name}: {work()}", flush=True)
    except Exception:
        print(f"  {name}: failed\n{traceback.format_exc(limit=3)}", flush=True)


def rows(device: str, args: argparse.Namespace) -> None:
    name = torch.cuda.get_device_name() if device == "cuda" else "CPU"
    print(f"{device} ({name}), the recipe, {args.epochs} epochs:", flush=True)
    config = Config(device=device, epochs=args.epochs)
    mode = "graphed" if device == "cuda" and os.environ.get(graphed.SWITCH) == "1" else "eager"
    print(f"  ({mode}: ${graphed.SWITCH}={os.environ.get(graphed.SWITCH, '')!r})", flush=True)
    row(f"{mode} fit", lambda: eager(config))
    lone: list[float] = []  # the recorded lone run's seconds per epoch, for the seeds' ratio

    def lone_recorded() -> str:
        seconds, text = recorded(config)
        lone.append(seconds)
        return text

    def seeds() -> str:
        seconds, text = recorded(config.replace(seeds=args.seeds))
        return text + (f", {seconds / lone[0]:.2f}x one seed" if lone else "")

    row("fit with recording", lone_recorded)
    row("one profiled epoch", lambda: profiled(config))
    row(f"{args.seeds} seeds together, recorded", seeds)
    ten = Config(device=device, epochs=args.ten_epochs, digits=tuple(range(10)), data="mnist")
    ten = ten.replace(train_size=args.ten_train_size)
    size = "all 60,000" if ten.train_size is None else f"{ten.train_size:,}"
    row(f"ten digits on {size} train digits, {ten.epochs} epochs", lambda: eager(ten))
    row("CUDA graph against eager, the recipe", lambda: graphed_against_eager(config))
    row(f"CUDA graph against eager, ten digits on {size}", lambda: graphed_against_eager(ten))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", choices=("cpu", "cuda"), default=None, help="(default: each one here)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--ten-epochs", type=int, default=3, help="epochs of the ten-digit row")
    parser.add_argument("--ten-train-size", type=int, default=None, help="(default: all 60,000)")
    parser.add_argument("--mnist", type=Path, default=Path("/work/shared/mnist"), help="full MNIST's root")
    parser.add_argument("--quick", action="store_true", help="2 epochs, 3 seeds, ten digits on 2,000")
    args = parser.parse_args()
    if args.quick:
        args.epochs, args.seeds, args.ten_epochs, args.ten_train_size = 2, 3, 2, 2000
    os.environ["MNIST49_DATA"] = str(args.mnist)
    devices = [args.device] if args.device else ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, load {os.getloadavg()[0]:.1f}")
    for device in devices:
        rows(device, args)


if __name__ == "__main__":
    main()
