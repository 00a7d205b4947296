import json
import re

import numpy as np
import pytest

from mnist49 import cli, runs
from mnist49.config import Config
from mnist49.runs import record, sweep
from mnist49.training import events, train

SMALL = Config(train_size=200, test_size=100, epochs=2, seeds=2, device="cpu")


def test_each_knob_has_valid_defaults_for_both_models():
    for model in ("cnn", "mlp"):
        base = SMALL.replace(model=model)
        for knob in sweep.KNOBS:
            planned = sweep.Sweep(base, knob)
            assert 2 <= len(planned.values) <= sweep.MAX_VALUES
            assert len(planned.configs) == len(planned.values)
            # each value changes the config, and only the knob's field(s)
            assert len({c.to_dict().__repr__() for c in planned.configs}) == len(planned.values)


def test_default_values_are_the_sensible_ranges():
    assert sweep.Sweep(SMALL, "lr").values == (0.0003, 0.001, 0.004, 0.01, 0.03)
    sizes = sweep.Sweep(SMALL, "train_size").values
    assert sizes[0] == 250 and sizes[-1] == 11791  # the learning curve ends with every 4 and 9
    assert all(b == 2 * a for a, b in zip(sizes[:-2], sizes[1:-1], strict=True))
    widths = sweep.Sweep(SMALL, "width").configs
    assert [c.channels for c in widths] == [(2, 4, 8), (4, 8, 16), (8, 16, 32), (16, 32, 64)]
    mlp = sweep.Sweep(SMALL.replace(model="mlp"), "width").configs
    assert [c.hidden for c in mlp][1] == (128, 64)


@pytest.mark.parametrize(
    ("knob", "values", "says"),
    [
        ("depth", (1, 2), "unknown knob"),
        ("lr", (0.01,), "2 to 8 values"),
        ("lr", (0.01, 0.01), "repeat"),
        ("dropout", (0.1, 1.5), "dropout = 1.5: dropout must be in [0, 1)"),
        ("lr", (0.01, -1.0), "lr = -1: learning rate must be positive"),
        ("optimizer", ("adam", "lion"), "unknown optimizer 'lion'"),
    ],
)
def test_a_bad_sweep_says_which_value_and_why(knob, values, says):
    with pytest.raises(sweep.SweepError, match=None) as e:
        sweep.Sweep(SMALL, knob, values)
    assert says in str(e.value)


def test_values_are_parsed_and_ordered():
    assert sweep.parse_values("lr", "0.01, 0.001") == (0.01, 0.001)
    assert sweep.Sweep(SMALL, "lr", (0.01, 0.001)).values == (0.001, 0.01)  # drawn left to right
    assert sweep.Sweep(SMALL, "optimizer", ("sgd", "adam")).values == ("sgd", "adam")  # as given
    with pytest.raises(sweep.SweepError, match="'x' is not a number"):
        sweep.parse_values("lr", "0.01,x")
    with pytest.raises(sweep.SweepError, match="no values"):
        sweep.parse_values("lr", " , ")


def test_what_trains_together():
    assert sweep.Sweep(SMALL, "lr", (0.001, 0.01, 0.1)).groups() == [[0, 1, 2]]
    assert sweep.Sweep(SMALL, "dropout", (0.0, 0.5)).groups() == [[0, 1]]
    assert sweep.Sweep(SMALL, "train_size", (100, 200)).groups() == [[0], [1]]
    assert sweep.Sweep(SMALL, "optimizer", ("adam", "sgd")).groups() == [[0], [1]]


def test_an_lr_sweep_trains_every_value_and_seed_as_its_lone_run(tmp_path):
    planned = sweep.Sweep(SMALL, "lr", (0.001, 0.01))
    seen = []
    found, seconds = sweep.train_sweep(
        planned, tmp_path, events.of(events.EpochEnded, lambda e: seen.append((e.value, sorted(e.records))))
    )
    assert found.status == "finished" and seconds > 0
    assert sorted(seen) == [(0, [0, 1]), (0, [0, 1]), (1, [0, 1]), (1, [0, 1])]
    # the folder: sweep.json and one run of two seeds per value, each seed a run folder
    assert json.loads((found.path / "sweep.json").read_text())["knob"] == "lr"
    assert sorted(p.name for p in found.path.iterdir()) == ["0-0.001", "1-0.01", "sweep.json"]
    split = train.prepare(SMALL)
    for i, lr in enumerate(planned.values):
        reps = found.runs[i].replicates()
        assert [r.config.replicate for r in reps] == [0, 1]
        for rep in reps:
            assert rep.config.lr == lr
            alone = train.fit(rep.config, split)  # per-replicate lr: its lone run's training
            assert rep.history.train_loss.iloc[0] == pytest.approx(alone.history[0].train_loss, abs=1e-4)
            assert rep.history.test_loss.iloc[0] == pytest.approx(alone.history[0].test_loss, abs=1e-4)
            assert abs(rep.history.test_accuracy.iloc[-1] - alone.history[-1].test_accuracy) <= 0.01 + 1e-9
    table = found.summary()
    assert list(table["value"]) == [0.001, 0.01] and list(table["seeds"]) == [2, 2]
    for i, row in table.iterrows():
        finals = [r.history.test_accuracy.iloc[-1] for r in found.runs[i].replicates()]
        assert row["test_accuracy_mean"] == pytest.approx(np.mean(finals))
        assert row["test_accuracy_sd"] == pytest.approx(np.std(finals, ddof=1))
    assert found.best() in (0, 1)
    assert found.neighbours() == [1 - found.best()]


def test_a_sweep_of_another_knob_trains_value_after_value(tmp_path):
    planned = sweep.Sweep(SMALL.replace(seeds=1), "train_size", (100, 200))
    order = []
    ended = events.of(events.RunEnded, lambda e: e.value is not None and order.append((e.value, e.status)))
    found, _ = sweep.train_sweep(planned, tmp_path, ended)
    assert order == [(0, "finished"), (1, "finished")]
    assert [found.runs[i].config.train_size for i in (0, 1)] == [100, 200]
    assert found.runs[0].config.seeds == 1 and not (found.runs[0].path / "replicates").exists()
    # a lone value run trains as `mnist49 train` of that config would
    alone = train.fit(found.runs[1].config, train.prepare(found.runs[1].config))
    assert found.runs[1].history.test_loss.iloc[-1] == pytest.approx(alone.history[-1].test_loss, abs=1e-5)


def test_stop_keeps_the_finished_values_and_starts_no_more(tmp_path):
    stop = events.Stop()
    planned = sweep.Sweep(SMALL.replace(epochs=3), "batch_size", (50, 100, 200))

    def stop_in_the_second(ended):
        if ended.value == 1 and ended.epoch == 1:
            stop.set()

    found, _ = sweep.train_sweep(planned, tmp_path, events.of(events.EpochEnded, stop_in_the_second), stop)
    assert found.status == "stopped" and "stopped" in found.message
    assert sorted(found.runs) == [0, 1]  # the third value never started
    assert found.runs[0].status == "finished" and len(found.runs[0].history) == 3
    assert found.runs[1].status == "stopped" and len(found.runs[1].history) == 1
    assert list(found.summary()["value"]) == [50, 100]


def test_sweeps_are_listed_with_the_runs_as_one_group(tmp_path):
    lone, _ = record.train_run(SMALL.replace(seeds=1, epochs=1), tmp_path)
    found, _ = sweep.train_sweep(sweep.Sweep(SMALL.replace(epochs=1), "dropout", (0.0, 0.3)), tmp_path)
    listed, problems = runs.list_runs(tmp_path)
    assert problems == []
    names = [r.name for r in listed]
    assert f"{found.name}/0-0" in names and f"{found.name}/1-0.3" in names and lone.name in names
    assert {r.sweep for r in listed} == {found.name, None}
    by_name = {r.name: r for r in listed}
    assert by_name[f"{found.name}/1-0.3"].config.dropout == 0.3
    assert by_name[f"{found.name}/1-0.3"].replicates()[1].key == f"{found.name}/1-0.3/1"


def test_a_damaged_sweep_file_is_named_not_a_crash(tmp_path):
    found, _ = sweep.train_sweep(sweep.Sweep(SMALL.replace(epochs=1, seeds=1), "lr", (0.001, 0.01)), tmp_path)
    (found.path / "sweep.json").write_text("{not json")
    with pytest.raises(runs.RunError, match="sweep.json"):
        sweep.load_sweep(found.path)
    listed, problems = sweep.list_sweeps(tmp_path)
    assert listed == [] and len(problems) == 1 and "sweep.json" in problems[0]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"seconds": "x"}, "seconds of 'x'"),
        ({"status": None}, "unknown status None"),
        ({"started": 5}, "start time of 5"),
    ],
)
def test_a_sweep_file_with_fields_of_the_wrong_type_is_named_not_a_crash(tmp_path, change, problem):
    found, _ = sweep.train_sweep(sweep.Sweep(SMALL.replace(epochs=1, seeds=1), "lr", (0.001, 0.01)), tmp_path)
    raw = json.loads((found.path / "sweep.json").read_text())
    (found.path / "sweep.json").write_text(json.dumps(raw | change))
    with pytest.raises(runs.RunError, match=re.escape(problem)):
        sweep.load_sweep(found.path)
    listed, problems = sweep.list_sweeps(tmp_path)
    assert listed == [] and problem in problems[0]


def test_a_sweep_whose_process_died_reads_as_interrupted(tmp_path):
    found, _ = sweep.train_sweep(sweep.Sweep(SMALL.replace(epochs=1, seeds=1), "lr", (0.001, 0.01)), tmp_path)
    raw = json.loads((found.path / "sweep.json").read_text())
    dead = 2**22 + 12345  # above the default pid_max: no such process
    (found.path / "sweep.json").write_text(json.dumps(raw | {"status": "running", "pid": dead}))
    assert sweep.load_sweep(found.path).status == "interrupted"


def test_cli_sweep_prints_a_line_per_value_then_the_best(tmp_path, capsys):
    code = cli.main(
        [
            "sweep",
            "--knob",
            "lr",
            "--values",
            "0.001,0.01",
            "--seeds",
            "2",
            "--epochs",
            "1",
            "--train-size",
            "200",
            "--test-size",
            "100",
            "--runs-dir",
            str(tmp_path),
            "--json",
        ]  # fmt: skip
    )
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["value"] for line in lines[:2]] == [0.001, 0.01]
    for line in lines[:2]:
        assert line["seeds"] == 2 and 0 <= line["test_accuracy_mean"] <= 1
        assert line["test_accuracy_sd"] is not None and line["lowest_test_loss_sd"] is not None
    last = lines[-1]
    assert last["knob"] == "lr" and last["runs"] == 4 and last["seconds"] > 0
    assert last["best_value"] in (0.001, 0.01)


def test_cli_sweep_says_what_is_wrong_with_bad_values(tmp_path, capsys):
    assert cli.main(["sweep", "--knob", "lr", "--values", "0.01,abc", "--runs-dir", str(tmp_path)]) == 2
    assert "lr value 'abc' is not a number" in capsys.readouterr().err
    assert not tmp_path.exists() or not any(tmp_path.iterdir())  # nothing written


def cut_short(run, epochs_done: int, accuracy: float) -> None:
    """Rewrite a one-seed value's run as interrupted after `epochs_done` epochs, its last
    accuracy `accuracy`."""
    import json

    history = (run.path / "history.csv").read_text().splitlines()
    kept = history[: 1 + epochs_done]
    cells = kept[-1].split(",")
    cells[history[0].split(",").index("test_accuracy")] = str(accuracy)
    (run.path / "history.csv").write_text("\n".join([*kept[:-1], ",".join(cells)]) + "\n")
    status = json.loads((run.path / "status.json").read_text())
    (run.path / "status.json").write_text(json.dumps(status | {"status": "interrupted", "reason": ""}))


def test_a_value_that_did_not_finish_is_marked_and_never_best_unsaid(tmp_path):
    planned = sweep.Sweep(SMALL.replace(epochs=3, seeds=1), "lr", (0.001, 0.01))
    found, _ = sweep.train_sweep(planned, tmp_path)
    cut_short(found.runs[1], 1, 1.0)  # the highest accuracy, after 1 of 3 epochs
    found = sweep.load_sweep(found.path)
    table = found.summary()
    assert table["finished"].tolist() == [True, False] and table["epochs"].tolist() == [3, 1]
    assert found.best() == 0  # a whole value beats one cut short, whatever its accuracy
    cut_short(found.runs[0], 2, 0.5)  # none finished: the best is of values cut short
    found = sweep.load_sweep(found.path)
    assert found.best() == 1 and not found.summary()["finished"].any()


def test_progress_is_told_in_the_sweeps_own_epochs():
    """A 5-epoch sweep of three values trained together is at epoch 5 of 5 when it ends, not at
    "15 of 15"; values trained in turn say which value and its epoch (its own, for an epochs knob)."""
    together = sweep.Sweep(Config(epochs=5), "lr", (0.001, 0.004, 0.01))
    assert together.progress([]) == (1, 0, 5)
    assert together.progress([0, 1, 2, 0, 1, 2]) == (1, 2, 5)
    assert together.progress([0, 1, 2] * 5) == (3, 5, 5)
    in_turn = sweep.Sweep(Config(), "epochs", (2, 4))
    assert in_turn.progress([0]) == (1, 1, 2)
    assert in_turn.progress([0, 0, 1]) == (2, 1, 4)
