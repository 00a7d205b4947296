import contextlib

import pytest
import torch

from mnist49.config import Config
from mnist49.models import optimizers
from mnist49.training import events, graphed, replicates, train

# 350 digits in batches of 100: three full batches and a short one of 50 an epoch
SMALL = Config(train_size=350, test_size=200, epochs=2, device="cpu")
SEEDS = (0, 1, 2)


class Recorded:
    """A capture that keeps the step closure and replays it by calling it: the static-buffer
    plumbing of a CUDA graph, on a CPU. Counts what it was asked to do."""

    def __init__(self):
        self.warmups = self.captures = self.replays = 0

    def warm(self):
        self.warmups += 1
        return contextlib.nullcontext()

    def graph(self, step):
        self.captures += 1

        def replay():
            self.replays += 1
            return step()

        return replay

    def capture(self) -> graphed.Capture:
        return graphed.Capture(self.warm, self.graph, capturable=False)


@pytest.fixture
def recorded(monkeypatch):
    """Graphs switched on, and the CPU given the recording capture."""
    recorded = Recorded()
    monkeypatch.setenv(graphed.SWITCH, "1")
    monkeypatch.setitem(graphed.CAPTURES, "cpu", recorded.capture())
    return recorded


def curve(history):
    return [(r.train_loss, r.test_loss, r.test_accuracy) for r in history]


def assert_same_history(ours, theirs, tolerance):
    assert ours.status == theirs.status
    assert len(ours.history) == len(theirs.history)
    for a, b in zip(curve(ours.history), curve(theirs.history), strict=True):
        assert a == pytest.approx(b, abs=tolerance)


def test_a_graphed_step_warms_up_captures_once_and_replays_through_its_static_buffers():
    recorded, seen = Recorded(), []

    def step(x, y):
        seen.append((x, y))
        return x.sum() + y.sum()

    graphed_step = graphed.GraphedStep(step, recorded.capture(), warmup=2)
    batches = [(torch.full((4, 3), float(i)), torch.full((4,), float(i))) for i in range(5)]
    losses = [graphed_step(x, y) for x, y in batches]
    assert [loss.item() for loss in losses] == [16.0 * i for i in range(5)]
    assert (recorded.warmups, recorded.captures, recorded.replays) == (2, 1, 3)
    # every full batch went through the same static buffers, copied in
    assert all(x is graphed_step.x and y is graphed_step.y for x, y in seen)
    short_x, short_y = torch.ones(2, 3), torch.ones(2)
    assert graphed_step(short_x, short_y).item() == 8.0  # the short batch: eagerly, as given
    assert seen[-1][0] is short_x and recorded.replays == 3


@pytest.mark.parametrize("augment", [(), ("shift",)])
def test_fit_through_the_graph_plumbing_trains_as_eager_fit(augment, recorded, monkeypatch):
    if augment:
        pytest.importorskip("torchvision.transforms")  # gpu_check.sh's machine may lack it
    config = SMALL.replace(augment=augment)
    split = train.prepare(config)
    ours = train.fit(config, split)
    # 2 epochs of 3 full batches: 3 warm-ups, a capture replayed at once, 2 replays; the short
    # batches train eagerly
    assert (recorded.warmups, recorded.captures, recorded.replays) == (3, 1, 3)
    monkeypatch.delenv(graphed.SWITCH)
    assert_same_history(ours, train.fit(config, split), 1e-6)


def test_replicates_through_the_graph_plumbing_train_as_eager_replicates(recorded, monkeypatch):
    configs = [SMALL.replace(seed=s) for s in SEEDS]
    split = train.prepare(SMALL)
    ours = replicates.fit_replicates(configs, split, shards=1)
    assert (recorded.warmups, recorded.captures, recorded.replays) == (3, 1, 3)
    monkeypatch.delenv(graphed.SWITCH)
    for a, b in zip(ours, replicates.fit_replicates(configs, split, shards=1), strict=True):
        assert_same_history(a, b, 1e-6)


def test_a_stop_between_graphed_batches_ends_the_run_keeping_finished_epochs(recorded):
    stop = events.Stop()
    to = events.of(events.EpochEnded, lambda ended: stop.set() if ended.epoch == 2 else None)
    result = train.fit(SMALL.replace(epochs=5), train.prepare(SMALL), to, stop)
    assert result.status == "stopped" and [r.epoch for r in result.history] == [1, 2]


class Constant:
    """A schedule that keeps the rate and lets every batch run."""

    def before(self, optimizer):
        return True

    def after(self, loss):
        pass


@pytest.mark.parametrize(
    "why", ["switched off", "dropout", "schedule", "dropout in one replicate", "no capture for the device"]
)
def test_what_trains_eagerly(why, recorded, monkeypatch):
    config, schedule = SMALL.replace(epochs=1), None
    if why == "switched off":
        monkeypatch.setenv(graphed.SWITCH, "0")
    elif why == "dropout":
        config = config.replace(dropout=0.2)
    elif why == "schedule":
        schedule = Constant()
    elif why == "no capture for the device":
        monkeypatch.delitem(graphed.CAPTURES, "cpu")
    if why == "dropout in one replicate":
        split = train.prepare(config)
        replicates.fit_replicates([config, config.replace(seed=1, dropout=0.2)], split, shards=1)
    else:
        train.fit(config, train.prepare(config), schedule=schedule)
    assert recorded.warmups == recorded.captures == 0


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_a_capturable_optimizer_keeps_the_option_where_torch_has_it(name):
    made = optimizers.make(name, [torch.nn.Parameter(torch.zeros(1))], 0.1, capturable=True)
    assert all(group.get("capturable", True) for group in made.param_groups)
    assert name == "sgd" or made.param_groups[0]["capturable"]


# --- on a GPU: the real CUDA graph against eager training (benchmarks/gpu_check.sh runs these)

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA graphs need a CUDA device")
ON_CUDA = Config(train_size=350, test_size=200, epochs=3, device="cuda")


@pytest.fixture
def counted(monkeypatch):
    """Graphs switched on, through CUDA's own capture, counted."""
    real, captures = graphed.CAPTURES["cuda"], []

    def graph(step):
        captures.append(step)
        return real.graph(step)

    monkeypatch.setenv(graphed.SWITCH, "1")
    monkeypatch.setitem(graphed.CAPTURES, "cuda", graphed.Capture(real.warm, graph, real.capturable))
    return captures


def assert_tracks(ours, theirs, test_size):
    """Every epoch's losses to 1e-4 (the capturable optimizer rounds its bias correction on the
    GPU), the last test accuracy within one digit."""
    assert ours.status == theirs.status == "finished"
    assert len(ours.history) == len(theirs.history)
    for a, b in zip(ours.history, theirs.history, strict=True):
        assert (a.train_loss, a.test_loss) == pytest.approx((b.train_loss, b.test_loss), abs=1e-4)
    assert abs(ours.history[-1].test_accuracy - theirs.history[-1].test_accuracy) <= 1 / test_size + 1e-9


@cuda
@pytest.mark.parametrize("augment", [(), ("shift",)])
def test_cuda_graph_fit_trains_as_eager_fit(augment, counted, monkeypatch):
    if augment:
        pytest.importorskip("torchvision.transforms")
    config = ON_CUDA.replace(augment=augment)
    split = train.prepare(config)
    ours = train.fit(config, split)
    assert len(counted) == 1
    monkeypatch.delenv(graphed.SWITCH)
    assert_tracks(ours, train.fit(config, split), config.test_size)


@cuda
def test_cuda_graph_replicates_train_as_eager_replicates(counted, monkeypatch):
    configs = [ON_CUDA.replace(seed=s) for s in SEEDS]
    split = train.prepare(ON_CUDA)
    ours = replicates.fit_replicates(configs, split)
    assert len(counted) == 1
    monkeypatch.delenv(graphed.SWITCH)
    for a, b in zip(ours, replicates.fit_replicates(configs, split), strict=True):
        assert_tracks(a, b, ON_CUDA.test_size)
