import time

import pytest
import torch
from torch import nn

from mnist49 import augment
from mnist49.config import Config
from mnist49.models import optimizers
from mnist49.models.stacked import StackedModel
from mnist49.training import events, replicates, shards, train

SMALL = Config(train_size=300, test_size=200, epochs=2, device="cpu")
MODELS = {"cnn": SMALL, "mlp": SMALL.replace(model="mlp", lr=0.0003)}
SEEDS = (0, 1, 2)


def lone_runs(configs, splits):
    return [train.fit(c, s) for c, s in zip(configs, splits, strict=True)]


def assert_tracks(together, alone, test_size):
    """Epoch 1 equal to 1e-4; the last epoch's accuracy within one test digit."""
    assert together.status == alone.status
    assert len(together.history) == len(alone.history)
    first, lone_first = together.history[0], alone.history[0]
    assert first.train_loss == pytest.approx(lone_first.train_loss, abs=1e-4)
    assert first.test_loss == pytest.approx(lone_first.test_loss, abs=1e-4)
    assert first.test_accuracy == pytest.approx(lone_first.test_accuracy, abs=1e-4)
    last, lone_last = together.history[-1], alone.history[-1]
    assert abs(last.test_accuracy - lone_last.test_accuracy) <= 1 / test_size + 1e-9


@pytest.mark.parametrize("name", MODELS)
def test_each_replicate_starts_from_its_lone_runs_weights(name, monkeypatch):
    config = MODELS[name].replace(epochs=1)
    built = []

    def recording(models, dropouts):
        net = StackedModel(models, dropouts)
        built.append([p.detach().clone() for p in net.parameters()])
        return net

    monkeypatch.setattr(replicates, "StackedModel", recording)
    replicates.fit_replicates([config.replace(seed=s) for s in SEEDS], train.prepare(config), shards=1)
    stacks = built[0]
    for r, seed in enumerate(SEEDS):
        lone = train.make_model(config.replace(seed=seed), torch.device("cpu"))
        weights = [
            p for layer in lone.modules() if hasattr(layer, "weight") for p in (layer.weight, layer.bias)
        ]
        # the stack holds every weight, then every bias, each in layer order
        n = len(weights) // 2
        ours = [s[r] for pair in zip(stacks[:n], stacks[n:], strict=True) for s in pair]
        assert len(ours) == len(weights)
        for a, b in zip(ours, weights, strict=True):
            assert torch.equal(a, b.detach())


@pytest.mark.parametrize("name", MODELS)
def test_each_replicate_sees_its_lone_runs_batches(name, monkeypatch):
    config = MODELS[name].replace(epochs=2)
    seen = []

    def recorder(_names):
        def record(x):
            seen.append(x.clone())
            return x

        return record

    monkeypatch.setattr(augment, "pipeline", recorder)
    split = train.prepare(config)
    replicates.fit_replicates([config.replace(seed=s) for s in SEEDS], split, shards=1)  # one stack: in order
    together = [seen[r :: len(SEEDS)] for r in range(len(SEEDS))]
    for r, seed in enumerate(SEEDS):
        seen.clear()
        train.fit(config.replace(seed=seed), split)
        assert len(together[r]) == len(seen) == 2 * 3  # 2 epochs of 300 digits in batches of 100
        for ours, theirs in zip(together[r], seen, strict=True):
            assert torch.equal(ours, theirs)


@pytest.mark.parametrize("optimizer", list(optimizers.OPTIMIZERS))
@pytest.mark.parametrize("name", MODELS)
def test_each_replicate_trains_as_its_lone_run(name, optimizer):
    config = MODELS[name].replace(optimizer=optimizer, weight_decay=1e-4)
    split = train.prepare(config)
    configs = [config.replace(seed=s) for s in SEEDS]
    together = replicates.fit_replicates(configs, split)
    for ours, theirs in zip(together, lone_runs(configs, [split] * 3), strict=True):
        assert_tracks(ours, theirs, config.test_size)


@pytest.mark.parametrize("name", MODELS)
def test_dropout_and_augmentation_draw_what_the_lone_run_draws(name):
    config = MODELS[name].replace(dropout=0.3, augment=("rotate", "shift"), epochs=2)
    split = train.prepare(config)
    configs = [config.replace(seed=s) for s in SEEDS]
    before = torch.get_rng_state()
    together = replicates.fit_replicates(configs, split)
    assert torch.equal(torch.get_rng_state(), before)  # the caller's global RNG is left alone
    for ours, theirs in zip(together, lone_runs(configs, [split] * 3), strict=True):
        assert_tracks(ours, theirs, config.test_size)
    # and the draws differ between replicates: the same seed twice would give equal curves
    assert together[0].history[0].train_loss != together[1].history[0].train_loss


def ten_digit_split(config: Config) -> train.Split:
    """Three classes from the bundled 4s and 9s: a hand-made cross-entropy problem."""
    split = train.prepare(config)
    y_train = split.y_train.long() + (torch.arange(len(split.y_train)) % 3 == 0).long()  # 0, 1, 2
    y_test = split.y_test.long() + (torch.arange(len(split.y_test)) % 3 == 0).long()
    return train.Split(split.x_train, y_train, split.x_test, y_test, split.test_index)


@pytest.mark.parametrize("name", MODELS)
def test_more_than_two_digits_train_with_cross_entropy(name):
    config = MODELS[name].replace(digits=(0, 1, 2), dropout=0.2)
    split = ten_digit_split(config.replace(digits=(4, 9)))
    configs = [config.replace(seed=s) for s in SEEDS]
    together = replicates.fit_replicates(configs, split)
    assert together[0].test_logits.shape == (200, 3)
    for ours, theirs in zip(together, lone_runs(configs, [split] * 3), strict=True):
        assert_tracks(ours, theirs, config.test_size)


def test_one_split_per_replicate_varies_the_train_sample():
    configs = [SMALL.replace(seed=s) for s in SEEDS]
    splits = [train.prepare(c) for c in configs]  # today the seed also picks the digits
    together = replicates.fit_replicates(configs, splits)
    for ours, theirs in zip(together, lone_runs(configs, splits), strict=True):
        assert_tracks(ours, theirs, SMALL.test_size)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])  # each optimizer's update: the test below
def test_replicates_may_differ_in_lr_weight_decay_and_dropout(optimizer):
    config = SMALL.replace(optimizer=optimizer, epochs=2)
    split = train.prepare(config)
    configs = [
        config.replace(lr=0.004, weight_decay=0.0, dropout=0.0),
        config.replace(lr=0.001, weight_decay=1e-3, dropout=0.3),
        config.replace(seed=1, lr=0.01, weight_decay=1e-4, dropout=0.1),
    ]
    together = replicates.fit_replicates(configs, split)
    for ours, theirs in zip(together, lone_runs(configs, [split] * 3), strict=True):
        assert_tracks(ours, theirs, config.test_size)


def pairs(net: StackedModel, r: int, model: nn.Module):
    """(replicate r's slice of a stack, the lone model's parameter), for every parameter."""
    layers = [m for m in model.modules() if isinstance(m, nn.Conv2d | nn.Linear)]
    for layer, w, b in zip(layers, net.weights, net.biases, strict=True):
        yield w, w[r], layer.weight
        yield b, b[r], layer.bias


VARIED = {  # (lrs, weight decays, the optimizer's groups): one group per run of equal neighbours
    "shared": ([0.01] * 3, [1e-3] * 3, 1),
    "each its own": ([0.01, 0.003, 0.03], [0.0, 1e-2, 1e-3], 3),
    "two share": ([0.01, 0.01, 0.03], [1e-3, 1e-3, 1e-3], 2),  # a sweep's value of two seeds
}


@pytest.mark.parametrize("varied", list(VARIED))
@pytest.mark.parametrize("optimizer", list(optimizers.OPTIMIZERS))
def test_the_stacked_update_is_torch_optims_update_of_each_replicate(optimizer, varied):
    # every optimizer here is elementwise, so one step over the stacks is each replicate's own;
    # checked against torch.optim on each replicate alone, with random gradients
    lrs, decays, groups = VARIED[varied]
    configs = [
        SMALL.replace(seed=s, optimizer=optimizer, lr=lr, weight_decay=wd)
        for s, lr, wd in zip(SEEDS, lrs, decays, strict=True)
    ]
    models, _ = replicates.initial_models(configs, torch.device("cpu"))
    net = StackedModel(models, [0.0] * 3)
    together = replicates._Optimizer(net, configs)
    assert len(together.optimizer.param_groups) == groups
    alone = [
        optimizers.make(optimizer, m.parameters(), c.lr, c.weight_decay)
        for m, c in zip(models, configs, strict=True)
    ]
    draw = torch.Generator().manual_seed(0)
    for _ in range(4):
        together.zero_grad()
        for stack in net.parameters():
            stack.grad = torch.randn(stack.shape, generator=draw)
        for r, model in enumerate(models):
            for stack, _, lone in pairs(net, r, model):
                lone.grad = stack.grad[r].clone()
        together.step()
        for opt in alone:
            opt.step()
    for r, model in enumerate(models):
        for _, ours, lone in pairs(net, r, model):
            torch.testing.assert_close(ours, lone.detach(), rtol=1e-5, atol=1e-6)
    # the steps moved the weights (a test of equality between two frozen copies would pass anyway)
    fresh = train.make_model(configs[0], torch.device("cpu"))
    assert not torch.equal(net.weights[0][0], next(fresh.parameters()))


def test_a_diverged_replicate_leaves_the_others_as_their_lone_runs():
    config = SMALL.replace(optimizer="sgd", lr=0.01, epochs=3)
    split = train.prepare(config)
    configs = [config, config.replace(lr=1e12), config.replace(seed=1)]
    together = replicates.fit_replicates(configs, split)
    assert [r.status for r in together] == ["finished", "diverged", "finished"]
    assert len(together[1].history) < 3
    alone = lone_runs(configs, [split] * 3)
    assert alone[1].status == "diverged" and len(alone[1].history) == len(together[1].history)
    assert_tracks(together[0], alone[0], config.test_size)
    assert_tracks(together[2], alone[2], config.test_size)


def test_stop_ends_every_replicate_keeping_finished_epochs():
    stop = events.Stop()
    seen = []

    def stop_after_two(weights):
        seen.append((weights.replicate, weights.epoch))
        if weights.epoch == 2:
            stop.set()

    configs = [SMALL.replace(seed=s, epochs=10) for s in SEEDS]
    to = events.of(events.Weights, stop_after_two)
    together = replicates.fit_replicates(configs, train.prepare(SMALL), to, stop, shards=1)
    assert [r.status for r in together] == ["stopped"] * 3
    assert [len(r.history) for r in together] == [2, 2, 2]
    assert seen == [(0, 1), (1, 1), (2, 1), (0, 2), (1, 2), (2, 2)]


def test_results_are_lone_models_that_reproduce_their_logits_and_probs():
    split = train.prepare(SMALL)
    configs = [SMALL.replace(seed=s) for s in SEEDS]
    records, probs = [], []
    to = [
        events.of(events.EpochEnded, lambda ended: records.extend(ended.records.items())),
        events.of(events.Probs, lambda p: probs.append((p.replicate, p))),
    ]
    together = replicates.fit_replicates(configs, split, to, probs=True)
    assert sorted((rec.epoch, r) for r, rec in records) == [(e, r) for e in (1, 2) for r in range(3)]
    for r, result in enumerate(together):
        assert type(result.model) is type(train.make_model(SMALL, torch.device("cpu")))
        assert [rec for i, rec in records if i == r] == result.history
        loss, accuracy, logits = train.measure(result.model, split.x_test, split.y_test)
        torch.testing.assert_close(logits, result.test_logits, rtol=1e-4, atol=1e-5)
        assert accuracy == pytest.approx(result.history[-1].test_accuracy, abs=1e-6)
        last = [p for i, p in probs if i == r][-1]
        assert last.epoch == 2 and torch.equal(last.index, split.test_index)
        torch.testing.assert_close(last.probs, torch.sigmoid(result.test_logits))


def test_refuses_replicates_that_one_model_cannot_hold():
    with pytest.raises(ValueError, match="not in epochs"):
        replicates.fit_replicates([SMALL, SMALL.replace(epochs=5)], train.prepare(SMALL))
    with pytest.raises(ValueError, match="at least one"):
        replicates.fit_replicates([], train.prepare(SMALL))
    small = train.prepare(SMALL.replace(train_size=250))
    with pytest.raises(ValueError, match="one train size"):
        replicates.fit_replicates([SMALL, SMALL], [train.prepare(SMALL), small])


@pytest.mark.parametrize("shards", [2, 3])
def test_shards_train_each_replicate_as_one_batched_model_does(shards):
    """Replicates split over threads (one batched model each) train exactly as one batched model
    of all of them, and the epochs are passed on whole and in order."""
    configs = [
        SMALL.replace(seed=s, lr=lr, dropout=d)
        for s, lr, d in ((0, 0.004, 0.0), (1, 0.01, 0.2), (2, 0.001, 0.1))
    ]
    split = train.prepare(SMALL)
    runs = {}
    for k in (1, shards):
        epochs, records = [], []
        to = [
            events.of(events.Weights, lambda w, records=records: records.append((w.replicate, w.epoch))),
            events.of(
                events.EpochEnded,
                lambda e, epochs=epochs: epochs.append(sorted((r, x.epoch) for r, x in e.records.items())),
            ),
        ]
        found = replicates.fit_replicates(configs, split, to, shards=k)
        runs[k] = found
        assert epochs == [[(0, 1), (1, 1), (2, 1)], [(0, 2), (1, 2), (2, 2)]]
        assert sorted(records) == [(r, e) for r in range(3) for e in (1, 2)]
    for one, split_up in zip(runs[1], runs[shards], strict=True):
        for a, b in zip(one.history, split_up.history, strict=True):
            assert a.train_loss == pytest.approx(b.train_loss, abs=1e-5)
            assert a.test_loss == pytest.approx(b.test_loss, abs=1e-5)
            assert a.test_accuracy == b.test_accuracy


def test_a_stop_within_an_epoch_ends_every_shard_at_the_same_epoch():
    # shards of replicates 0-1 and 2; the first is slowed (it alone hears every batch), so a Stop
    # said when replicate 2 ends epoch 2 finds replicates 0 and 1 within it: they finish it too
    stop = events.Stop()
    to = [
        events.of(events.Weights, lambda w: w.replicate == 2 and w.epoch == 2 and stop.set()),
        events.of(events.BatchDone, lambda _: time.sleep(0.05)),
    ]
    found = replicates.fit_replicates(
        [SMALL.replace(seed=s, epochs=5) for s in range(3)], train.prepare(SMALL), to, stop, shards=2
    )
    assert [r.status for r in found] == ["stopped"] * 3
    assert [len(r.history) for r in found] == [2, 2, 2]


def test_the_first_shard_to_settle_an_epoch_decides_whether_it_is_kept():
    merged = shards.Merge(2, lambda _: None)
    assert merged.settle(2)  # one shard ended epoch 2 before the Stop ...
    assert not merged.abandon(2)  # ... so one stopped within it finishes it
    assert merged.abandon(3)  # stopped within epoch 3 before any shard ended it ...
    assert not merged.settle(3) and merged.abandon(3)  # ... so no shard keeps it


def test_a_stop_ends_every_shard_and_a_failing_shard_stops_the_others(monkeypatch):
    stop = events.Stop()
    configs = [SMALL.replace(seed=s, epochs=10) for s in range(4)]
    to = events.of(events.EpochEnded, lambda ended: ended.epoch == 2 and stop.set())
    found = replicates.fit_replicates(configs, train.prepare(SMALL), to, stop, shards=2)
    assert [r.status for r in found] == ["stopped"] * 4 and [len(r.history) for r in found] == [2] * 4

    real = replicates.StackedModel

    def broken(models, dropouts):
        if len(models) == 1:  # the second shard
            raise RuntimeError("out of memory")
        return real(models, dropouts)

    monkeypatch.setattr(replicates, "StackedModel", broken)
    with pytest.raises(RuntimeError, match="out of memory"):
        replicates.fit_replicates(
            [SMALL.replace(seed=s, epochs=50) for s in range(3)], train.prepare(SMALL), shards=2
        )
