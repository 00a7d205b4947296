"""A run of several seeds killed (kill -9) mid-way stays useful: its median seed's weights,
predictions and replay, as saved, open on Errors, Inside and Your digit."""

import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from helpers import open_app


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    """`mnist49 train --seeds 3` killed with SIGKILL once its run has finished two epochs."""
    folder = tmp_path_factory.mktemp("runs")
    cli = subprocess.Popen(
        [sys.executable, "-m", "mnist49", "train", "--seeds", "3", "--epochs", "500"]
        + ["--train-size", "300", "--test-size", "100", "--device", "cpu", "--runs-dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline and cli.poll() is None:
            lines = [len(h.read_text().splitlines()) for h in folder.glob("*/history.csv")]
            if lines and lines[0] >= 3:  # the header and two epochs
                break
            time.sleep(0.05)
        assert cli.poll() is None, cli.stderr.read()
    finally:
        cli.send_signal(signal.SIGKILL)
        cli.wait(timeout=30)
    (run,) = [p for p in folder.iterdir() if p.is_dir()]
    return folder, run


@pytest.mark.slow
def test_a_killed_run_of_seeds_offers_its_median_seeds_files(killed):
    from mnist49 import runs

    folder, path = killed
    assert not (path / "predictions.csv").exists()  # the run never wrote its own
    run = runs.load_run(path)
    assert run.status == "interrupted" and run.reason == "lost"
    assert len(run.history) >= 2
    median = run.median()
    assert median is not run and median.status == "interrupted"
    assert run.has_predictions and run.weights_path() == median.path / "weights.pt"
    preds, replay = run.predictions(), run.replay()
    # the files are of the last epoch saved (weights are saved at most every WEIGHTS_EVERY s):
    # the replay's epochs are 1..k, and the predictions are its last row
    k = len(replay)
    assert 1 <= k <= len(median.history) and replay.shape[1] == len(preds) == 100
    assert np.allclose(preds["p_9"], replay[-1], atol=1e-6)
    assert np.allclose(preds["p_4"] + preds["p_9"], 1.0)
    true = np.where(preds["label"] == 9, preds["p_9"], preds["p_4"])
    assert np.allclose(preds["loss"], -np.log(np.clip(true, 1e-7, 1)))
    assert run.load_model() is not None
    for replicate in run.replicates():  # every seed kept its own, as saved
        assert replicate.has_predictions and replicate.replay() is not None


@pytest.mark.slow
@pytest.mark.parametrize("page", ["errors", "inside", "your_digit"])
def test_a_killed_run_of_seeds_opens_on_the_pages(killed, monkeypatch, page):
    folder, path = killed
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    at = open_app(page)
    assert not at.exception and not at.error
    assert any(path.name in option for option in at.selectbox[0].options)
