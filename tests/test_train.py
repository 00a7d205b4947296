import os
import platform
import subprocess
import sys

import pytest
import torch

from mnist49.config import Config, ConfigError
from mnist49.training import events, train

SMALL = Config(train_size=400, test_size=200, epochs=3, device="cpu")


def test_fit_learns_on_real_digits():
    # a seconds-long run of the default recipe on the bundled digits
    config = Config(epochs=6, device="cpu")
    records = []
    to = events.of(events.EpochEnded, lambda ended: records.append(ended.records[0]))
    result = train.fit(config, train.prepare(config), to)
    assert result.status == "finished" and records == result.history
    assert [r.epoch for r in records] == [1, 2, 3, 4, 5, 6]
    assert records[-1].train_loss < records[0].train_loss / 3
    assert records[-1].test_accuracy > 0.95
    assert all(r.seconds > 0 for r in records)
    predicted_9 = (result.test_logits > 0).float()  # (500,)
    accuracy = (predicted_9 == train.prepare(config).y_test).float().mean()
    assert accuracy == pytest.approx(records[-1].test_accuracy)


def test_fit_is_deterministic_on_cpu():
    a = train.fit(SMALL, train.prepare(SMALL)).history
    b = train.fit(SMALL, train.prepare(SMALL)).history
    c = train.fit(SMALL.replace(seed=1), train.prepare(SMALL.replace(seed=1))).history

    def curve(h):
        return [(r.train_loss, r.test_loss, r.test_accuracy) for r in h]

    assert curve(a) == curve(b)
    assert curve(a) != curve(c)


def test_stop_event_ends_the_run_keeping_finished_epochs():
    stop = events.Stop()

    def stop_after_two(ended):
        if ended.epoch == 2:
            stop.set()

    to = events.of(events.EpochEnded, stop_after_two)
    result = train.fit(SMALL.replace(epochs=10), train.prepare(SMALL), to, stop)
    assert result.status == "stopped"
    assert [r.epoch for r in result.history] == [1, 2]


def test_a_loss_that_blows_up_ends_the_run_as_diverged():
    config = SMALL.replace(optimizer="sgd", lr=1e12, epochs=20)
    result = train.fit(config, train.prepare(config))
    assert result.status == "diverged"
    assert len(result.history) < 20
    for r in result.history:
        assert r.train_loss == r.train_loss  # kept epochs are finite (not NaN)


@pytest.mark.parametrize("optimizer", ["adam", "adamw", "radam", "sgd"])
def test_every_optimizer_trains(optimizer):
    config = SMALL.replace(optimizer=optimizer, epochs=2, weight_decay=1e-4)
    assert train.fit(config, train.prepare(config)).status == "finished"


def test_mlp_trains():
    config = SMALL.replace(model="mlp", lr=0.0003, epochs=2)
    history = train.fit(config, train.prepare(config)).history
    assert history[-1].test_accuracy > 0.5


def test_prepare_refuses_sizes_larger_than_the_data():
    from mnist49.data import DataError

    with pytest.raises(DataError, match="train size 20000 is larger than the 11791"):
        train.prepare(SMALL.replace(train_size=20000))


def test_device_auto_falls_back_to_cpu_and_explicit_absent_devices_fail(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert train.resolve_device("auto") == torch.device("cpu")
    with pytest.raises(train.DeviceError, match="'cuda' is not available here"):
        train.resolve_device("cuda")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"model": "resnet"}, "unknown model"),
        ({"lr": 0}, "learning rate must be positive"),
        ({"lr": float("nan")}, "learning rate"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"train_size": 0}, "train_size must be at least 1"),
        ({"dropout": 1.0}, "dropout"),
        ({"channels": (4, 8)}, "channels of the CNN must be 3 numbers"),
        ({"optimizer": "lbfgs"}, "unknown optimizer"),
        ({"device": "tpu"}, "unknown device"),
        ({"digits": (4,)}, "two or more different digits"),
        ({"digits": (9, 4)}, "in increasing order"),
        ({"digits": (3, 3)}, "two or more different digits"),
        ({"digits": (4, 10)}, "digits 0-9"),
    ],
)
def test_config_refuses_bad_settings(change, message):
    with pytest.raises(ConfigError, match=message):
        Config(**change)


def test_fit_learns_ten_classes_with_softmax(offline):
    from helpers import write_blocks_root

    write_blocks_root(offline)
    config = Config(digits=tuple(range(10)), train_size=None, test_size=None, epochs=20, device="cpu")
    assert config.outputs == 10 and not config.binary
    split = train.prepare(config)
    assert split.y_train.dtype == torch.int64 and set(split.y_train.tolist()) == set(range(10))
    probs = []
    result = train.fit(config, split, events.of(events.Probs, probs.append), probs=True)
    assert result.status == "finished" and result.test_logits.shape == (200, 10)
    history = result.history
    # cross-entropy starts near log(10) = 2.30 for a guess among ten
    assert history[0].train_loss == pytest.approx(2.3, abs=0.25)
    assert history[-1].train_loss < history[0].train_loss / 3
    assert history[-1].test_accuracy > 0.95
    assert probs[-1].probs.shape == (200, 10)
    assert probs[-1].probs.sum(1).tolist() == pytest.approx([1.0] * 200, abs=1e-5)


def test_config_round_trips_through_a_dict():
    config = Config(channels=(2, 4, 8), train_size=None, digits=(0, 3, 8))
    assert Config.from_dict(config.to_dict()) == config
    with pytest.raises(ConfigError, match="unknown config keys: colour"):
        Config.from_dict({"colour": "red"})


def test_augmentation_changes_the_batches_and_stays_deterministic():
    config = SMALL.replace(augment=("rotate", "shift", "scale", "elastic"))
    a = train.fit(config, train.prepare(config)).history
    b = train.fit(config, train.prepare(config)).history
    plain = train.fit(SMALL, train.prepare(SMALL)).history
    assert [r.train_loss for r in a] == [r.train_loss for r in b]
    assert [r.train_loss for r in a] != [r.train_loss for r in plain]
    with pytest.raises(ConfigError, match="unknown augmentation blur"):
        SMALL.replace(augment=("blur",))


def test_each_augmentation_moves_pixels_but_keeps_the_shape():
    from mnist49 import augment, data

    x = data.to_tensors(data.load().test[:100])[0]
    torch.manual_seed(0)
    for name in augment.AUGMENTATIONS:
        transform = augment.pipeline((name,))
        outs = [transform(x) for _ in range(3)]
        assert all(out.shape == x.shape for out in outs)
        assert any(not torch.equal(out, x) for out in outs), name
    assert augment.pipeline(()) is None


class Fixed(torch.nn.Module):
    """A "model" that answers the given logits whatever the input."""

    def __init__(self, logits):
        super().__init__()
        self.logits = logits

    def forward(self, x):
        return self.logits


@pytest.mark.parametrize(
    "logits, y",
    [
        (torch.tensor([0.0, -1.0, 2.0, 0.0]), torch.tensor([1.0, 0.0, 0.0, 1.0])),  # logit 0: p = 0.5
        (torch.tensor([[0.0, 0.0, 1.0], [3.0, 1.0, 0.0]]), torch.tensor([2, 1])),
    ],
)
def test_the_loops_accuracy_decides_as_the_errors_page_does(logits, y):
    from mnist49.training import evaluate

    _, accuracy, _ = train.measure(Fixed(logits), torch.zeros(len(y), 1, 28, 28), y)
    digits = (4, 9) if logits.ndim == 1 else (0, 1, 2)
    preds = evaluate.predictions(logits, y, torch.arange(len(y)), digits)
    assert accuracy == pytest.approx(evaluate.accuracy(preds))


@pytest.mark.parametrize(
    "name, widths, activation, outputs",
    [
        ("cnn", (4, 8, 16), "relu", 1),
        ("cnn", (5, 7, 9), "gelu", 3),
        ("mlp", (128, 64), "tanh", 1),
        ("mlp", (10,), "silu", 10),
    ],
)
def test_the_plan_of_a_model_is_torchs_own_summary_of_it(name, widths, activation, outputs):
    from mnist49.models import model

    planned = model.plan(name, widths, activation, outputs)
    built = model.build(name, widths, activation, 0.1, outputs)
    assert planned[["layer", "output shape", "params"]].equals(model.summary(built))
    assert planned["params"].sum() == model.n_params(built)


def test_the_plan_counts_multiply_adds_by_hand():
    from mnist49.models import model

    # conv 1->4 on 26x26, 4->8 on 11x11, 8->16 on 3x3, then Linear 16->1
    hand = 4 * 26 * 26 * 9 + 8 * 11 * 11 * 4 * 9 + 16 * 3 * 3 * 8 * 9 + 16
    assert model.plan("cnn", (4, 8, 16))["macs"].sum() == hand


def test_the_estimate_builds_nothing_and_grows_with_the_model(monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("built a model")

    monkeypatch.setattr(train, "build", no_model)
    recipe = train.estimate(Config(), 2000)
    wide = train.estimate(Config(channels=(256, 256, 256)), 2000)
    assert recipe.params == 1521 and wide.params > 500 * recipe.params
    assert 0 < recipe.seconds < wide.seconds and 0 < recipe.bytes < wide.bytes
    assert train.estimate(Config(seeds=3), 2000).seconds == pytest.approx(3 * recipe.seconds)
    huge = train.estimate(Config(channels=(100_000,) * 3), 2000)
    assert huge.bytes > 100_000 * 100_000 * 9 * 2 * 4  # the two big convs' weights alone


FAULTS = """
import resource, sys
from mnist49.training import replicates, train
from mnist49.config import Config
config = Config(train_size=500, test_size=100, epochs=1, device="cpu")
split = train.prepare(config)
configs = [config.replace(seed=s) for s in range(8)]
if sys.argv[1] == "default":  # glibc's own setting: freed blocks handed back to the system
    train.keep_freed_memory = lambda: None
replicates.fit_replicates(configs, split, shards=1)  # a first epoch pays the one-off allocations
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
replicates.fit_replicates(configs, split, shards=1)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc" or "LD_PRELOAD" in os.environ,
    reason="a setting of glibc's malloc (another allocator may be preloaded)",
)
@pytest.mark.slow
def test_training_keeps_the_memory_it_frees_instead_of_faulting_it_in_again():
    # an epoch of 8 replicates on 500 digits: 30,000-40,000 page faults with glibc's default
    faults = {}
    for how in ("default", "keep"):
        ran = subprocess.run([sys.executable, "-c", FAULTS, how], capture_output=True, text=True, check=True)
        faults[how] = int(ran.stdout)
    assert faults["default"] > 5_000  # the default faults its buffers in afresh (9,866-40,000 seen)
    assert faults["keep"] * 10 < faults["default"]  # (66-1,124 seen, by what else the machine runs)
