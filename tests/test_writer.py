"""The writer of a run folder (mnist49/runs/writer.py): its heartbeat, when it saves, and the
predictions.csv it writes."""

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import each_epoch

from mnist49 import runs
from mnist49.config import Config
from mnist49.runs import record, writer
from mnist49.training import events
from mnist49.training.history import EpochProbs

CONFIG = Config(train_size=300, test_size=100, epochs=2, device="cpu")


def test_status_names_its_owner_and_beats_while_running(tmp_path, monkeypatch):
    import json
    import os
    import socket

    monkeypatch.setattr(writer, "HEARTBEAT", 0.0)  # a beat after every batch
    beats = []

    def look(epoch, done, batches):
        status = json.loads(next(tmp_path.iterdir()).joinpath("status.json").read_text())
        beats.append(status["updated"])
        assert status["status"] == "running" and status["pid"] == os.getpid()
        assert status["host"] == socket.gethostname()

    record.train_run(
        CONFIG, tmp_path, events.of(events.BatchDone, lambda b: look(b.epoch, b.done, b.batches))
    )
    assert len(beats) == 2 * 3  # 300 digits in batches of 100, 2 epochs


def test_weights_are_written_after_every_epoch(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "WEIGHTS_EVERY", 0.0)  # else at most once a second
    monkeypatch.setattr(writer, "SAVE_SHARE", 0)  # else waiting 20 times as long as a save took
    seen = []

    def look(record):
        run = runs.load_run(next(tmp_path.iterdir()))
        seen.append(run.load_model().state_dict()["head.2.bias"].item())

    run, _ = record.train_run(CONFIG.replace(epochs=3), tmp_path, each_epoch(look))
    assert len(set(seen)) == 3  # a new file after each epoch
    assert seen[-1] == run.load_model().state_dict()["head.2.bias"].item()
    assert not list(run.path.glob("*.tmp"))  # written to a temporary name, then renamed


def test_slow_saves_as_a_run_goes_wait_longer(tmp_path, monkeypatch):
    """A save of predictions that takes 0.1 s makes the next wait SAVE_SHARE times as long."""
    import time

    from mnist49.training.history import EpochProbs

    monkeypatch.setattr(writer, "WEIGHTS_EVERY", 0.0)
    write = writer.RunWriter._write_replay
    monkeypatch.setattr(writer.RunWriter, "_write_replay", lambda self: (time.sleep(0.1), write(self)))
    run_writer = writer.RunWriter(tmp_path, CONFIG, labels=torch.tensor([0.0, 1.0]))
    state = {"w": torch.zeros(2)}
    probs = EpochProbs(1, torch.tensor([0.2, 0.9]), torch.tensor([3, 5]))
    run_writer.record_state(1, state)
    run_writer.record_probs(probs)
    assert (run_writer.path / "predictions.csv").exists() and run_writer._wait >= writer.SAVE_SHARE * 0.1
    (run_writer.path / "weights.pt").unlink()
    run_writer.record_state(2, state)  # too soon: not saved
    assert not (run_writer.path / "weights.pt").exists()


@pytest.mark.parametrize("digits", [(4, 9), (1, 4, 9)])
def test_predictions_csv_is_written_as_pandas_writes_it(tmp_path, digits):
    """The same bytes as DataFrame.to_csv(index=False), from the float32 columns of a finished
    run and the float64 ones of a run as it goes, tiny, exact and negative-zero values included."""
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(len(digits)), size=50)  # (50, C)
    p[0, 0], p[1, 0], p[2, 0] = 1e-9, 0.5, 1.0
    for dtype in (np.float32, np.float64):
        columns = {
            "index": rng.permutation(1000)[:50],
            "label": np.asarray(digits)[rng.integers(0, len(digits), 50)],
            "loss": np.r_[-0.0, 1e-7, rng.exponential(size=48)].astype(dtype),
            **{f"p_{d}": p[:, i].astype(dtype) for i, d in enumerate(digits)},
        }
        writer.write_predictions(tmp_path / "predictions.csv", columns)
        pd.DataFrame(columns).to_csv(tmp_path / "by_pandas.csv", index=False)
        assert (tmp_path / "predictions.csv").read_bytes() == (tmp_path / "by_pandas.csv").read_bytes()


def test_predictions_as_a_run_goes_read_back(tmp_path):
    run_writer = writer.RunWriter(tmp_path, CONFIG, labels=torch.tensor([0.0, 1.0, 1.0]))
    probs = torch.tensor([0.25, 0.875, 1e-8], dtype=torch.float32)
    run_writer.record_state(1, {"w": torch.zeros(2)})
    run_writer.record_probs(EpochProbs(1, probs, torch.tensor([3, 5, 7])))
    preds = runs.load_run(run_writer.path).predictions()
    assert preds["index"].tolist() == [3, 5, 7] and preds["label"].tolist() == [4, 9, 9]
    assert preds["p_9"].tolist() == pytest.approx(probs.double().tolist(), rel=1e-15)
    assert preds["loss"].tolist() == pytest.approx([-np.log(0.75), -np.log(0.875), -np.log(1e-7)])
