"""The Sweep page, the LR range test on Train, and sweeps among the runs on Train and Compare."""

import json
import time
from types import SimpleNamespace

import pytest
from helpers import open_app

from mnist49 import runs
from mnist49.config import Config
from mnist49.runs import sweep
from mnist49.runs.status import is_sweep

SHORT = {"epochs": 2, "train_size": 300, "test_size": 100}


def sweep_page(**train_settings):
    at = open_app()
    for key, value in {**SHORT, **train_settings}.items():
        at.session_state[f"k_{key}"] = value  # the Train page's settings: the sweep's base
    at.switch_page("mnist49/app/pages/sweep.py").run()
    assert not at.exception, at.exception
    return at


def train_sweep(at):
    [b for b in at.button if b.label == "Train sweep"][0].click().run()
    job, deadline = at.session_state["sweep_job"], time.monotonic() + 240
    while not job.snapshot().done and time.monotonic() < deadline:
        job.touch()
        job.join(1)
    return at.run()


def test_a_two_value_sweep_draws_its_knob_chart_and_says_which_is_best(runs_dir):
    at = sweep_page()
    assert at.title[0].value == "Sweep"
    assert "--epochs 2" in at.markdown[0].value  # the base is the Train page's settings
    at.selectbox(key="k_sweep_knob").set_value("lr").run()
    at.text_input(key="k_sweep_values_lr").input("0.001, 0.01").run()
    at.slider(key="k_sweep_seeds").set_value(2).run()
    assert "2 values × 2 seeds = 4 runs" in at.caption[1].value
    at = train_sweep(at)
    assert not at.exception, at.exception
    job = at.session_state["sweep_job"]
    assert job.snapshot().status == "finished"
    (folder,) = [p for p in runs_dir.iterdir() if is_sweep(p)]
    found = sweep.load_sweep(folder)
    assert sorted(found.runs) == [0, 1] and all(r.config.seeds == 2 for r in found.runs.values())
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert any("final test accuracy" in c.proto.spec for c in charts)  # the knob chart
    best = found.sweep.values[found.best()]
    said = [m.value for m in at.markdown]
    assert any(f"Best learning rate: {sweep.show(best)}" in m for m in said)
    # the lowest test loss: each seed's lowest, their mean ± sd
    row = found.summary().set_index("run").loc[found.runs[found.best()].name]
    assert any(
        f"lowest test loss {row['lowest_test_loss_mean']:.4f} ± {row['lowest_test_loss_sd']:.4f}" in m
        for m in said
    )
    # the verdict against its neighbour, and the button that sets Train's rate
    assert [*at.success, *at.info]
    # neighbouring values trained the same seeds on the same digits: seed k against seed k
    assert any("paired by seed" in m.value for m in [*at.success, *at.info])
    use = [b for b in at.button if b.label.startswith("Use learning rate")][0]
    use.click().run()
    assert at.session_state["k_lr"] == best


def test_bad_values_are_named_and_nothing_trains(runs_dir):
    at = sweep_page()
    at.selectbox(key="k_sweep_knob").set_value("dropout").run()
    at.text_input(key="k_sweep_values_dropout").input("0.1, 1.5").run()
    assert not at.exception
    assert "dropout = 1.5: dropout must be in \\[0, 1)" in at.error[0].value  # [ escaped: Markdown
    assert [b for b in at.button if b.label == "Train sweep"][0].disabled
    at.text_input(key="k_sweep_values_dropout").input("0.1, x").run()
    assert "'x' is not a number" in at.error[0].value
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


def test_a_sweep_can_be_stopped_and_keeps_what_it_finished(runs_dir):
    # the most epochs a page allows: 40 of 300 digits could end before the Stop is clicked
    at = sweep_page(epochs=1000, train_size=300, test_size=100)
    at.selectbox(key="k_sweep_knob").set_value("batch_size").run()
    at.text_input(key="k_sweep_values_batch_size").input("50, 100").run()
    at.slider(key="k_sweep_seeds").set_value(1).run()
    [b for b in at.button if b.label == "Train sweep"][0].click().run()
    job = at.session_state["sweep_job"]
    assert job.wait_for(3, 120)  # some epochs of the first value
    [b for b in at.button if b.label == "Stop"][0].click().run()
    job.join(60)
    at.run()
    assert not at.exception
    assert job.snapshot().status == "stopped"
    (folder,) = [p for p in runs_dir.iterdir() if is_sweep(p)]
    found = sweep.load_sweep(folder)
    assert found.status == "stopped" and found.runs[0].status == "stopped"
    assert 1 not in found.runs  # the second value never started


def test_sweeps_are_a_group_in_the_runs_table_and_one_pick_on_compare(runs_dir):
    found, _ = sweep.train_sweep(
        sweep.Sweep(Config(epochs=1, train_size=200, test_size=100, seeds=1), "dropout", (0.0, 0.2, 0.4)),
        runs_dir,
    )
    at = open_app("train")
    expanders = [e.label for e in at.expander]
    assert any(label.startswith(f"Sweep {found.name}: dropout, 3 values") for label in expanders)
    at.switch_page("mnist49/app/pages/compare.py").run()
    at.selectbox(key="compare_sweep").set_value(found.name).run()
    assert not at.exception
    assert at.multiselect(key="k_compare_runs").value == [f"{found.name}/{n}" for n in found.sweep.names]
    listed, _ = runs.list_runs(runs_dir)
    assert len(listed) == 3
    # a sweep's run downloads under a file name without its "/" (the script's own name too)
    at.switch_page("mnist49/app/pages/train.py").run()
    (picker,) = [s for s in at.selectbox if s.label == "Download the files of"]
    picker.set_value(f"{found.name}/{found.sweep.names[1]}").run()
    (code,) = [c for c in at.code if c.language == "python"]
    assert f"python train_{found.name.replace('-', '_')}_1_0_2.py" in code.value


def test_the_lr_range_test_suggests_a_rate_and_fills_it_in():
    at = open_app("train")
    at.button(key="lr_find_run").click().run()
    assert not at.exception, at.exception
    said = [m.value for m in at.markdown if "Suggested learning rate" in m.value]
    assert said and "fastai's valley rule" in said[0]
    assert any(c.value.startswith("The loss falls steepest at") for c in at.caption)
    use = at.button(key="lr_find_use")
    rate = float(use.label.split()[-1])
    assert 1e-4 <= rate <= 1e-1
    use.click().run()
    assert at.session_state["k_lr"] == rate
    assert at.select_slider(key="k_lr").value == rate


def test_a_sweep_stays_alive_while_its_tab_is_on_train(runs_dir, monkeypatch):
    """Only the badge touches a sweep's job on the Train page: the sweep must not stop as
    abandoned while the learner changes the base settings there."""
    at = sweep_page(epochs=1000)  # still training when the badge looks (40 epochs could end first)
    at.selectbox(key="k_sweep_knob").set_value("batch_size").run()
    at.text_input(key="k_sweep_values_batch_size").input("50, 100").run()
    [b for b in at.button if b.label == "Train sweep"][0].click().run()
    job = at.session_state["sweep_job"]
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.exception
    touched = []
    monkeypatch.setattr(job, "touch", lambda: touched.append(1))
    at.run()
    assert touched  # the sidebar's badge on Train touched it
    assert any(c.value.startswith("Sweep training: value 1 of 2, epoch ") for c in at.sidebar.caption)
    job.stop()
    job.join(60)


def test_the_reading_marks_values_that_did_not_finish(runs_dir):
    from test_sweep import cut_short

    planned = sweep.Sweep(
        Config(train_size=300, test_size=100, epochs=2, seeds=1, device="cpu"), "lr", (0.001, 0.01)
    )
    found, _ = sweep.train_sweep(planned, runs_dir)
    cut_short(found.runs[1], 1, 1.0)
    at = open_app("sweep")
    assert not at.exception
    (said,) = [w.value for w in at.warning if "Did not finish" in w.value]
    assert "0.01 (1 / 2)" in said
    assert any(m.value.startswith("**Best learning rate: 0.001**") for m in at.markdown)
    cut_short(found.runs[0], 1, 0.5)
    at = open_app("sweep")
    assert any("No value finished" in w.value for w in at.warning)


def test_a_one_seed_sweep_shows_its_figures_without_a_spread(runs_dir):
    """One seed has no spread: the figures stand alone, as on Train, not "± 0.0"."""
    planned = sweep.Sweep(
        Config(train_size=300, test_size=100, epochs=1, seeds=1, device="cpu"), "lr", (0.001, 0.01)
    )
    sweep.train_sweep(planned, runs_dir)
    at = open_app("sweep")
    assert not at.exception
    (best,) = [m.value for m in at.markdown if m.value.startswith("**Best learning rate")]
    assert "±" not in best and "no spread" in best
    assert any("one seed gives no spread" in c.value for c in at.caption)
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    knob_charts = [c.proto.spec for c in charts if "final test accuracy" in c.proto.spec]
    assert knob_charts and not any('"title": "sd"' in s or '"title":"sd"' in s for s in knob_charts)
    table = at.dataframe[-1].value
    assert "test_accuracy_mean" in table and not [c for c in table if c.endswith("_sd")]


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("en", {"value": "learning rate", "seeds": "seeds", "test_accuracy_sd": "final test accuracy: sd"}),
        ("ja", {"value": "学習率", "seeds": "シード数", "lowest_test_loss_mean": "最小テスト損失（平均）"}),
    ],
)
def test_the_figures_table_is_headed_in_the_pages_words(runs_dir, lang, headers):
    """Not summary()'s column names ("test_accuracy_mean"), and accuracy in percent as the runs
    table shows it; every column as wide as its header."""
    from mnist49.app.tables import PADDING, text_width

    planned = sweep.Sweep(
        Config(train_size=300, test_size=100, epochs=1, seeds=2, device="cpu"), "lr", (0.001, 0.01)
    )
    sweep.train_sweep(planned, runs_dir)
    at = open_app()
    at.session_state["k_lang"] = lang
    at.switch_page("mnist49/app/pages/sweep.py").run()
    assert not at.exception
    columns = json.loads(at.dataframe[-1].proto.columns)
    for name, label in headers.items():
        assert columns[name]["label"] == label
    for name, config in columns.items():
        if name != "_index":
            assert config["label"] and "_" not in config["label"], name
            assert config["width"] >= text_width(config["label"]) + PADDING, name
    accuracy = at.dataframe[-1].value["test_accuracy_mean"]
    assert accuracy.between(0, 100).all() and accuracy.max() > 1  # percent, not a fraction


@pytest.mark.parametrize(
    ("knob", "values", "finished", "status", "said"),
    [
        # two values of 3 epochs in turn, the second's first done: not "4 of 6 epochs"
        ("batch_size", (50, 100), [0, 0, 0, 1], "running", "Sweep training: value 2 of 2, epoch 1 of 3"),
        (
            "batch_size",
            (50, 100),
            [0, 0, 0, 1, 1, 1],
            "finished",
            "Last sweep: Finished, value 2 of 2, epoch 3 of 3",
        ),
        ("lr", (0.001, 0.01), [0, 1, 0, 1], "running", "Sweep training: epoch 2 of 3, all 2 values at once"),
    ],
)
def test_the_sidebar_says_a_sweeps_value_and_epoch_not_all_values_epochs(
    knob, values, finished, status, said
):
    from mnist49.app import progress
    from mnist49.app.background.jobs import JobState

    planned = sweep.Sweep(Config(epochs=3), knob, values)
    job = SimpleNamespace(sweep=planned, epochs=sum(c.epochs for c in planned.configs))
    curves = tuple((i, {}) for i in finished)
    state = JobState(status, (None,) * len(finished), "", "", {}, None, 0.0, (), curves=curves)
    assert progress.badge_text(job, state) == said
