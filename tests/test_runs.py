import re

import numpy as np
import pytest
import torch
from helpers import each_epoch

from mnist49 import runs
from mnist49.config import Config
from mnist49.runs import record
from mnist49.training import events

CONFIG = Config(train_size=300, test_size=100, epochs=2, device="cpu")


def test_a_run_round_trips(tmp_path):
    run, seconds = record.train_run(CONFIG, tmp_path)
    assert seconds > 0 and run.status == "finished"
    loaded = runs.load_run(run.path)
    assert loaded.config == CONFIG
    assert loaded.history["epoch"].tolist() == [1, 2]
    preds = loaded.predictions()
    assert len(preds) == 100 and set(preds["label"]) <= {4, 9}
    # the stored predictions and the stored weights agree
    model = loaded.load_model()
    from mnist49.training import evaluate, train

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

    record.train_run(CONFIG.replace(epochs=3), tmp_path, each_epoch(look))
    assert seen == [1, 2, 3]


def test_stopped_and_diverged_runs_keep_their_epochs(tmp_path):
    stop = events.Stop()
    stopped, _ = record.train_run(
        CONFIG.replace(epochs=9), tmp_path, each_epoch(lambda r: r.epoch == 2 and stop.set()), stop
    )
    assert stopped.status == "stopped" and len(stopped.history) == 2
    diverged, _ = record.train_run(CONFIG.replace(optimizer="sgd", lr=1e12, epochs=9), tmp_path)
    assert diverged.status == "diverged" and "NaN or infinite" in diverged.message


def test_an_error_while_training_marks_the_run_failed(tmp_path):
    def boom(record):
        raise RuntimeError("out of memory")

    with pytest.raises(RuntimeError):
        record.train_run(CONFIG, tmp_path, each_epoch(boom))
    (run,), problems = runs.list_runs(tmp_path)
    assert run.status == "failed" and "out of memory" in run.message
    assert len(run.history) == 1 and problems == []


def test_damaged_run_folders_are_reported_and_skipped(tmp_path):
    good, _ = record.train_run(CONFIG.replace(epochs=1), tmp_path)
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

    from mnist49.training import evaluate

    write_blocks_root(offline)
    config = Config(digits=tuple(range(10)), train_size=None, test_size=None, epochs=2, device="cpu")
    run, _ = record.train_run(config, tmp_path)
    preds = run.predictions()
    assert evaluate.digits_of(preds) == tuple(range(10)) and len(preds) == 200
    replay = run.replay()
    assert replay.shape == (2, 200, 10) and replay.dtype == "float16"
    assert replay[-1].astype(float) == pytest.approx(evaluate.probs_of(preds), abs=1e-3)
    assert evaluate.confusion(preds).shape == (10, 10)
    model = run.load_model()
    assert model(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


def test_the_replay_holds_every_epochs_probabilities(tmp_path):
    run, _ = record.train_run(CONFIG.replace(epochs=3), tmp_path)
    replay = run.replay()
    assert replay.shape == (3, 100) and replay.dtype == "float32"
    assert replay[-1].tolist() == pytest.approx(run.predictions()["p_9"].tolist(), abs=1e-6)
    assert not (replay[0] == replay[-1]).all()  # it changed while learning
    (run.path / "replay.npy").unlink()
    assert runs.load_run(run.path).replay() is None  # a run may have none


def fake_running(tmp_path, **status):
    """A finished run rewritten as "running", owned as `status` says."""
    import json

    run, _ = record.train_run(CONFIG.replace(epochs=1), tmp_path)
    before = json.loads((run.path / "status.json").read_text())
    (run.path / "status.json").write_text(json.dumps(before | {"status": "running"} | status))
    return run.path


def test_a_run_whose_process_is_gone_is_listed_and_rewritten_as_interrupted(tmp_path):
    import json
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    path = fake_running(tmp_path, pid=int(gone.stdout))
    (run,), _ = runs.list_runs(tmp_path)
    assert run.status == "interrupted" and run.reason == "lost"
    assert "is gone" in run.message and len(run.history) == 1  # its finished epoch stays
    assert json.loads((path / "status.json").read_text())["status"] == "interrupted"  # on disk too


def test_a_silent_run_is_shown_interrupted_but_not_rewritten(tmp_path):
    import json
    import os

    from mnist49.runs.status import STALE

    path = fake_running(tmp_path, pid=os.getpid(), updated="2020-01-01T00:00:00")  # alive, but silent
    run = runs.load_run(path)
    assert run.status == "interrupted" and run.reason == "silent" and run.facts["seconds"] > STALE
    assert json.loads((path / "status.json").read_text())["status"] == "running"
    fresh = fake_running(tmp_path / "fresh", pid=os.getpid())  # alive and just written
    assert runs.load_run(fresh).status == "running"


@pytest.mark.parametrize("host", ["another-host", None])  # None: this machine, a dead pid
def test_a_heartbeat_from_the_future_is_not_running_without_a_live_owner(tmp_path, host):
    import os
    import socket
    import subprocess
    import sys

    gone = int(
        subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout
    )
    owner = {"pid": 1234, "host": host} if host else {"pid": gone, "host": socket.gethostname()}
    path = fake_running(tmp_path, updated="2099-01-01T00:00:00", **owner)
    run = runs.load_run(path)
    assert run.status == "interrupted"
    if host:  # another machine's: shown as interrupted, the file left alone
        assert run.reason == "ahead" and run.facts["seconds"] > 365 * 24 * 3600
        assert "ahead of this machine's clock" in run.message
    live = fake_running(tmp_path / "live", updated="2099-01-01T00:00:00", pid=os.getpid())
    assert runs.load_run(live).status == "running"  # its owner is alive here: it is running


def test_a_stop_says_why_in_status_json(tmp_path):
    import json

    stop = events.Stop()
    run, _ = record.train_run(
        CONFIG.replace(epochs=9),
        tmp_path,
        each_epoch(lambda r: r.epoch == 2 and stop.stop("abandoned", seconds=30)),
        stop,
    )
    status = json.loads((run.path / "status.json").read_text())
    assert status["status"] == "stopped" and status["reason"] == "abandoned"
    assert status["facts"] == {"seconds": 30} and "nobody watched it for 30 s" in status["message"]
    assert run.reason == "abandoned" and run.message == status["message"]


def check_consistent(run):
    """The saved weights give the saved predictions, which are the replay's last epoch."""
    from mnist49.training import evaluate, train

    split = train.prepare(run.config)
    p9 = torch.sigmoid(evaluate.logits_of(run.load_model(), split.x_test))
    preds = run.predictions()
    assert p9.tolist() == pytest.approx(preds["p_9"].tolist(), abs=1e-5)
    assert run.replay()[-1].tolist() == pytest.approx(preds["p_9"].tolist(), abs=1e-5)
    assert len(run.replay()) == len(run.history)


def test_a_diverged_run_keeps_its_last_finite_epoch(tmp_path, monkeypatch):
    from mnist49.training import train

    measure, calls = train.measure, []

    def blows_up_in_epoch_3(model, x, y):
        calls.append(1)
        loss, accuracy, logits = measure(model, x, y)
        return (float("nan") if len(calls) == 3 else loss), accuracy, logits

    monkeypatch.setattr(train, "measure", blows_up_in_epoch_3)
    run, _ = record.train_run(CONFIG.replace(epochs=5), tmp_path)
    assert run.status == "diverged" and run.reason == "diverged" and run.facts == {"epoch": 3}
    assert len(run.history) == 2
    check_consistent(run)  # epoch 2's weights and predictions, not NaN


def test_a_stopped_run_keeps_its_last_finished_epochs_weights(tmp_path):
    stop = events.Stop()
    third = events.of(events.BatchDone, lambda b: b.epoch == 3 and stop.set())
    run, _ = record.train_run(CONFIG.replace(epochs=9), tmp_path, third, stop)
    assert run.status == "stopped" and run.reason == "user" and len(run.history) == 2
    check_consistent(run)  # epoch 2's weights, not those of the half-done epoch 3


def test_ctrl_c_in_train_run_stops_the_run_as_interrupted(tmp_path):
    def interrupt(record):
        if record.epoch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        record.train_run(CONFIG.replace(epochs=9), tmp_path, each_epoch(interrupt))
    (run,), _ = runs.list_runs(tmp_path)
    assert run.status == "stopped" and run.reason == "interrupted" and len(run.history) == 2
    assert run.load_model() is not None


def test_loading_a_model_leaves_the_global_rng_alone(tmp_path):
    run, _ = record.train_run(CONFIG.replace(epochs=1), tmp_path)
    torch.manual_seed(123)
    before = torch.get_rng_state()
    run.load_model()
    assert torch.equal(torch.get_rng_state(), before)


def damaged(tmp_path, file, content):
    run, _ = record.train_run(CONFIG.replace(epochs=2), tmp_path)
    path = run.path / file
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    return runs.load_run(run.path)


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"garbage bytes", "weights.pt cannot be read"),
        (b"", "weights.pt cannot be read"),
        (lambda p: torch.save({"x": torch.zeros(3)}, p), "weights.pt does not fit the model"),
        (lambda p: torch.save([1, 2], p), "weights.pt is not a state_dict"),
        (
            lambda p: torch.save({k: v * float("nan") for k, v in torch.load(p).items()}, p),
            "weights.pt holds NaN or infinite",
        ),
        (lambda p: p.unlink(), "weights.pt is missing"),
    ],
)
def test_damaged_weights_are_a_run_error_naming_the_file(tmp_path, content, problem):
    run = damaged(tmp_path, "weights.pt", content)
    with pytest.raises(runs.RunError, match=problem):
        run.load_model()


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda p: p.write_bytes(b"\x00\xff garbage"), "predictions.csv"),
        (lambda p: p.write_text("a,b\n1,2\n"), "has the columns"),
        (lambda p: p.write_text("index,label,loss,p9\n1,4,0.1,0.2\n"), "has the columns"),
        (lambda p: p.write_text("index,label,loss,p_4,p_9\n1,4,0.1,0.8,x\n"), "not numbers"),
        (lambda p: p.write_text("index,label,loss,p_4,p_9\n1,4,0.1,nan,nan\n"), "NaN or infinite"),
        (lambda p: p.write_text("index,label,loss,p_4,p_9\n1,4,0.1,1.5,-0.5\n"), "outside"),
        (lambda p: p.write_text("index,label,loss,p_4,p_9\n1,7,0.1,0.5,0.5\n"), "labels"),
    ],
)
def test_damaged_predictions_are_a_run_error_naming_the_file(tmp_path, change, problem):
    run = damaged(tmp_path, "predictions.csv", change)
    with pytest.raises(runs.RunError, match=problem):
        run.predictions()


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda p: p.write_bytes(b"garbage"), "replay.npy cannot be read"),
        (lambda p: np.save(p, np.zeros((5, 100), np.float32)), "has the shape"),
        (lambda p: np.save(p, np.zeros((2, 7), np.float32)), "has the shape"),
        (lambda p: np.save(p, np.full((2, 100), np.nan, np.float32)), "NaN"),
        (lambda p: np.save(p, np.array([{"a": 1}], dtype=object)), "cannot be read"),
    ],
)
def test_a_damaged_replay_is_a_run_error_naming_the_file(tmp_path, change, problem):
    run = damaged(tmp_path, "replay.npy", change)
    with pytest.raises(runs.RunError, match=problem):
        run.replay()


def test_a_runs_folder_that_cannot_be_written_is_found_without_writing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    assert runs.folder_problem(blocker) == ("not a folder", blocker)
    assert runs.folder_problem(blocker / "runs" / "deeper") == ("not a folder", blocker)
    assert runs.folder_problem(tmp_path / "not-yet" / "runs") is None  # made on the first run
    assert not (tmp_path / "not-yet").exists()
    assert runs.folder_problem(tmp_path) is None
    monkeypatch.setattr(runs.os, "access", lambda path, mode: False)  # as on a read-only disk
    assert runs.folder_problem(tmp_path / "runs") == ("read-only", tmp_path)


HEADER = "epoch,train_loss,test_loss,test_accuracy,seconds\n"


@pytest.mark.parametrize(
    "body, problem",
    [
        (HEADER + ",0.4,0.3,0.95,1.0\n", "line 2, epoch: an empty or NaN cell is not a finite number"),
        (HEADER + "1,nan,0.3,0.95,1.0\n", "line 2, train_loss: an empty or NaN cell"),
        (HEADER + "1,0.5,inf,0.95,1.0\n", "line 2, test_loss: 'inf' is not a finite number"),
        (HEADER + "1,0.5,0.4,2x,1.0\n", "line 2, test_accuracy: '2x' is not a finite number"),
        (HEADER + "1.5,0.5,0.4,0.9,1.0\n", "epochs are not 1, 2, 3, ...: [1.5]"),
        (HEADER + "1,0.5,0.4,0.9,1.0\n1,0.5,0.4,0.9,1.0\n", "epochs are not 1, 2, 3, ...: [1, 1]"),
    ],
)
def test_a_history_cell_that_is_not_a_finite_number_is_a_run_error(tmp_path, body, problem):
    path = fake_running(tmp_path)
    (path / "history.csv").write_text(body)
    with pytest.raises(runs.RunError, match=re.escape(problem)):
        runs.load_run(path)
    assert runs.list_runs(tmp_path)[0] == []  # listed as unreadable, not raised


def test_a_status_json_that_is_not_an_object_is_a_run_error(tmp_path):
    path = fake_running(tmp_path)
    (path / "status.json").write_text('"finished"')
    with pytest.raises(runs.RunError, match="status.json holds str"):
        runs.load_run(path)
