"""record.py's runs of several seeds: replicates trained together, each recorded as a run folder
of its own, as each would train alone."""

import pandas as pd
import pytest
import torch

from mnist49.config import Config
from mnist49.runs import record, seeds
from mnist49.training import events, train

SMALL = Config(train_size=300, test_size=100, epochs=2, device="cpu")


def test_a_run_of_three_seeds_keeps_every_replicate(tmp_path):
    spread = []
    to = events.of(events.EpochEnded, lambda ended: spread.append(ended.records))
    run, _ = record.train_run(SMALL.replace(seeds=3), tmp_path, to)
    assert run.status == "finished"
    reps = run.replicates()
    assert [r.config.replicate for r in reps] == [0, 1, 2]
    assert [r.path.name for r in reps] == ["0", "1", "2"]
    for rep in reps:
        assert rep.status == "finished" and len(rep.history) == 2
        assert rep.weights_path() and len(rep.predictions()) == 100 and rep.replay().shape == (2, 100)
    # the run's history is the mean of its replicates', epoch by epoch
    together = pd.concat(r.history for r in reps).groupby("epoch").mean()
    for name in ("train_loss", "test_loss", "test_accuracy"):
        assert run.history[name].tolist() == pytest.approx(together[name].tolist(), abs=1e-12)
    assert [sorted(s) for s in spread] == [[0, 1, 2], [0, 1, 2]]
    # every replicate is tested on the same digits
    assert len({tuple(r.predictions()["index"]) for r in reps}) == 1
    # the run's own files are its median replicate's
    median = reps[seeds.median_replicate(reps)]
    assert run.weights_path().read_bytes() == median.weights_path().read_bytes()
    assert run.predictions().equals(median.predictions())
    band = run.spread()
    assert set(band["figure"]) == {"train_loss", "test_loss", "test_accuracy"}
    accuracy = band[band.figure == "test_accuracy"].set_index("epoch")
    finals = [r.history.test_accuracy.iloc[-1] for r in reps]
    assert accuracy.loc[2, "min"] == min(finals) and accuracy.loc[2, "max"] == max(finals)


def test_each_replicate_trains_as_its_lone_run(tmp_path):
    run, _ = record.train_run(SMALL.replace(seeds=3), tmp_path / "together")
    for rep in run.replicates():
        alone, _ = record.train_run(rep.config.replace(seeds=1), tmp_path / "alone")
        assert alone.config.training_seed == SMALL.seed + rep.config.replicate
        first, lone_first = rep.history.iloc[0], alone.history.iloc[0]
        for name in ("train_loss", "test_loss", "test_accuracy"):
            assert first[name] == pytest.approx(lone_first[name], abs=1e-4)
        assert (
            abs(rep.history.test_accuracy.iloc[-1] - alone.history.test_accuracy.iloc[-1]) <= 1 / 100 + 1e-9
        )
        assert rep.predictions()["index"].tolist() == alone.predictions()["index"].tolist()


def test_varying_the_train_digits_keeps_the_test_digits(tmp_path):
    run, _ = record.train_run(SMALL.replace(seeds=2, vary_data=True, epochs=1), tmp_path)
    a, b = run.replicates()
    assert a.predictions()["index"].tolist() == b.predictions()["index"].tolist()
    train_a, train_b = (train.prepare(r.config).x_train for r in (a, b))
    assert not torch.equal(train_a, train_b)


def test_a_stopped_run_of_seeds_keeps_its_replicates_finished_epochs(tmp_path):
    stop = events.Stop()
    run, _ = record.train_run(
        SMALL.replace(seeds=2, epochs=50),
        tmp_path,
        events.of(events.EpochEnded, lambda e: e.epoch == 2 and stop.stop("user")),
        stop,
    )
    assert run.status == "stopped" and run.reason == "user" and len(run.history) == 2
    for rep in run.replicates():
        assert rep.status == "stopped" and len(rep.history) == 2 and rep.load_model() is not None
