import threading

import pytest
import torch

from mnist49 import runs
from mnist49.config import Config

CONFIG = Config(train_size=300, test_size=100, epochs=2, device="cpu")


def test_a_run_round_trips(tmp_path):
    run, seconds = runs.train_run(CONFIG, tmp_path)
    assert seconds > 0 and run.status == "finished"
    loaded = runs.load_run(run.path)
    assert loaded.config == CONFIG
    assert loaded.history["epoch"].tolist() == [1, 2]
    preds = loaded.predictions()
    assert len(preds) == 100 and set(preds["label"]) <= {4, 9}
    # the stored predictions and the stored weights agree
    model = loaded.load_model()
    from mnist49 import evaluate, train

    split = train.prepare(CONFIG)
    assert torch.allclose(
        torch.sigmoid(evaluate.logits_of(model, split.x_test)),
        torch.tensor(preds["p_9"].to_numpy(), dtype=torch.float32),
        atol=1e-5,
    )
    assert preds["index"].tolist() == split.test_index.tolist()


def test_history_is_written_after_every_epoch(tmp_path):
    seen = []

    def look(record):
        run_dir = next(tmp_path.iterdir())
        seen.append(len(runs.load_run(run_dir).history))
        assert runs.load_run(run_dir).status == "running"

    runs.train_run(CONFIG.replace(epochs=3), tmp_path, [look])
    assert seen == [1, 2, 3]


def test_stopped_and_diverged_runs_keep_their_epochs(tmp_path):
    stop = threading.Event()
    stopped, _ = runs.train_run(
        CONFIG.replace(epochs=9), tmp_path, [lambda r: r.epoch == 2 and stop.set()], stop
    )
    assert stopped.status == "stopped" and len(stopped.history) == 2
    diverged, _ = runs.train_run(CONFIG.replace(optimizer="sgd", lr=1e12, epochs=9), tmp_path)
    assert diverged.status == "diverged" and "NaN or infinite" in diverged.message


def test_an_error_while_training_marks_the_run_failed(tmp_path):
    def boom(record):
        raise RuntimeError("out of memory")

    with pytest.raises(RuntimeError):
        runs.train_run(CONFIG, tmp_path, [boom])
    (run,), problems = runs.list_runs(tmp_path)
    assert run.status == "failed" and "out of memory" in run.message
    assert len(run.history) == 1 and problems == []


def test_damaged_run_folders_are_reported_and_skipped(tmp_path):
    good, _ = runs.train_run(CONFIG.replace(epochs=1), tmp_path)
    for name, damage in [
        ("a-no-config", lambda p: (p / "config.json").unlink()),
        ("b-bad-json", lambda p: (p / "status.json").write_text("{not json")),
        ("c-bad-history", lambda p: (p / "history.csv").write_text("x,y\n1,2\n")),
        ("d-bad-config", lambda p: (p / "config.json").write_text('{"lr": -1}')),
    ]:
        copy = tmp_path / name
        copy.mkdir()
        for f in good.path.iterdir():
            (copy / f.name).write_bytes(f.read_bytes())
        damage(copy)
    (tmp_path / "stray-file.txt").write_text("not a run")
    found, problems = runs.list_runs(tmp_path)
    assert [r.name for r in found] == [good.name]
    assert len(problems) == 4
    assert any("a-no-config: config.json is missing" in p for p in problems)
    assert any("learning rate must be positive" in p for p in problems)
    assert runs.list_runs(tmp_path / "absent") == ([], [])


def test_a_ten_class_run_keeps_every_digits_probabilities(tmp_path, offline):
    from helpers import write_blocks_root

    from mnist49 import evaluate

    write_blocks_root(offline)
    config = Config(digits=tuple(range(10)), train_size=None, test_size=None, epochs=2, device="cpu")
    run, _ = runs.train_run(config, tmp_path)
    preds = run.predictions()
    assert evaluate.digits_of(preds) == tuple(range(10)) and len(preds) == 200
    replay = run.replay()
    assert replay.shape == (2, 200, 10) and replay.dtype == "float16"
    assert replay[-1].astype(float) == pytest.approx(evaluate.probs_of(preds), abs=1e-3)
    assert evaluate.confusion(preds).shape == (10, 10)
    model = run.load_model()
    assert model(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


def test_predictions_of_runs_from_before_other_digits_still_read(tmp_path):
    run, _ = runs.train_run(CONFIG.replace(epochs=1), tmp_path)
    new = run.predictions()
    old = new.drop(columns="p_4").rename(columns={"p_9": "p9"})
    old.to_csv(run.path / "predictions.csv", index=False)
    assert run.predictions()[new.columns].to_numpy() == pytest.approx(new.to_numpy(), abs=1e-6)


def test_the_replay_holds_every_epochs_probabilities(tmp_path):
    run, _ = runs.train_run(CONFIG.replace(epochs=3), tmp_path)
    replay = run.replay()
    assert replay.shape == (3, 100) and replay.dtype == "float32"
    assert replay[-1].tolist() == pytest.approx(run.predictions()["p_9"].tolist(), abs=1e-6)
    assert not (replay[0] == replay[-1]).all()  # it changed while learning
    (run.path / "replay.npy").write_bytes(b"garbage")
    assert runs.load_run(run.path).replay() is None  # damaged: ignored, not a crash
