import base64
import io
import json
import re

import pandas as pd
import pyarrow
import pytest
from helpers import open_app, train
from PIL import Image

from mnist49 import runs
from mnist49.analysis import diagnose


def test_defaults_are_the_chapter_recipe_and_the_summary_shows():
    at = open_app("train")
    assert at.selectbox(key="k_model").value == "cnn"
    assert at.select_slider(key="k_lr").value == 0.004
    assert at.slider(key="k_epochs").value == 40
    assert at.select_slider(key="k_train_size").value == 2000
    assert at.number_input(key="k_batch_size").value == 100
    assert "1521 parameters" in at.expander[0].label
    summary = at.dataframe[0].value
    assert summary["params"].sum() == 1521


def test_switching_to_the_mlp_takes_its_chapter_lr():
    at = open_app("train")
    at.selectbox(key="k_model").set_value("mlp").run()
    assert at.select_slider(key="k_lr").value == 0.0003
    assert "108801 parameters" in at.expander[0].label


def test_training_draws_the_chart_metrics_and_reading(runs_dir):
    at = train(open_app("train"), epochs=3, train_size=1000, test_size=200)
    assert not at.exception
    assert any("Finished" in s.value and "3 of 3" in s.value for s in at.success)
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert '"#1f77b4"' in spec and '"#2ca02c"' in spec and '"#d62728"' in spec  # blue, green, red
    assert '"strokeDash"' in spec  # the 0.5 baseline
    assert {m.label for m in at.metric} >= {"Final test accuracy", "Lowest test loss"}
    (run,), _ = runs.list_runs(runs_dir)
    assert [i.value for i in at.info] == [diagnose.read(run.history).text]
    # three seeds by default: the mean of their final accuracy, ± their sd, and their spread
    reps = run.replicates()
    finals = pd.Series([r.history.test_accuracy.iloc[-1] for r in reps])
    assert len(reps) == 3 and at.metric[0].value == f"{finals.mean():.1%} ± {finals.std():.1%}"
    lowest = pd.Series([r.history.test_loss.min() for r in reps])  # each seed's, not the mean curve's
    (shown,) = [m for m in at.metric if m.label == "Lowest test loss"]
    assert shown.value == f"{lowest.mean():.4f} ± {lowest.std():.4f}"
    points = (finals.max() - finals.min()) * 100
    assert any(f"The 3 seeds differ by up to {points:.1f} points" in c.value for c in at.caption)
    chart = at.get("vega_lite_chart")[0].proto
    bands = {d.name: d for d in chart.datasets}
    assert {"loss_band", "accuracy_band"} <= set(bands) and '"loss_band"' in chart.spec
    runs_table = at.dataframe[-1].value
    assert len(runs_table) == 1 and runs_table["status"][0] == "Finished"
    assert runs_table["loss"][0] == pytest.approx(lowest.mean())
    assert len(list(runs_dir.iterdir())) == 1
    assert any(m.value.startswith("**Hardest test digits**") for m in at.markdown)
    (strip,) = [h.proto.body for h in at.get("html") if "<img" in h.proto.body]
    png = Image.open(io.BytesIO(base64.b64decode(re.search(r'base64,([^"]+)"', strip)[1])))
    assert png.format == "PNG" and f'width="{png.width}"' in strip
    assert png.width > 10 * 28 * 2  # ten digits, each twice its size
    downloads = at.get("download_button")
    assert [d.label for d in downloads] == ["History (CSV)", "Weights (.pt)", "Download the script (.py)"]


def test_stop_keeps_the_finished_epochs():
    at = open_app("train")
    at.slider(key="k_epochs").set_value(200).run()
    at.button(key="train").click().run()
    job = at.session_state["job"]
    # Streamlit's fades are off on this page (they made the browser paint for nothing)
    assert any("transition: none" in h.proto.body for h in at.get("html"))
    job.wait_for(1, 60)
    at.run()
    name = job.snapshot().run_path.name
    # the run trains above the table of runs, and joins it when it ends
    assert "Running" in at.get("progress")[0].proto.text
    listed = at.dataframe[1].value["run"].tolist() if len(at.dataframe) > 1 else []  # [0]: layers
    assert name not in listed
    at.button(key="stop").click().run()  # Stop
    job.join(30)
    at.run()
    state = job.snapshot()
    assert state.status == "stopped" and 1 <= len(state.records) < 200
    assert any("Stopped" in s.value for s in at.success)
    assert name in at.dataframe[-1].value["run"].tolist()


def test_the_sidebar_badge_shows_a_run_on_other_pages_not_twice_on_train():
    at = open_app("train")
    at.slider(key="k_epochs").set_value(200).run()
    at.button(key="train").click().run()
    job = at.session_state["job"]
    assert not at.sidebar.caption  # Train draws the run itself; no second poll of it
    at.switch_page("mnist49/app/pages/samples.py").run()
    assert at.sidebar.caption[0].value.startswith("Training: epoch")
    job.stop()
    job.join(30)
    at.run()
    assert at.sidebar.caption[0].value.startswith("Last run: Stopped")
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.sidebar.caption


def test_bad_settings_are_refused_in_words():
    at = open_app("train")
    at.text_input(key="k_channels").input("4, eight, 16").run()
    assert not at.exception
    assert "three whole numbers of 1 or more" in at.error[0].value
    assert at.button(key="train").disabled  # Train
    for wrong in ("4, 8", "4, 0, 16", ""):
        at.text_input(key="k_channels").input(wrong).run()
        assert "three whole numbers of 1 or more" in at.error[0].value and not at.exception
    at.selectbox(key="k_model").set_value("mlp").run()
    at.text_input(key="k_hidden").input("128, -1").run()
    assert "one or more whole numbers" in at.error[0].value and not at.exception


def test_try_this_fills_in_the_remedy(runs_dir):
    at = train(open_app("train"), epochs=3, train_size=1000, test_size=200)
    (run,), _ = runs.list_runs(runs_dir)
    reading = diagnose.read(run.history)
    remedy = diagnose.remedies(reading.situation, run.config, 11791)[0]
    button = at.button(key="try_0")
    assert button.label == remedy.label
    button.click().run()
    assert not at.exception
    for name, value in remedy.changes.items():
        shown = at.session_state[f"k_{name}"]
        if name in ("channels", "hidden"):
            shown = tuple(int(w) for w in shown.split(","))
        assert shown == value
    # the confirmation comes right after the Try this buttons, where the learner is looking
    from streamlit.testing.v1.element_tree import Button, Success

    def in_order(node):
        yield node
        children = getattr(node, "children", {})
        for child in children.values() if isinstance(children, dict) else children:
            yield from in_order(child)

    shown = [e for e in in_order(at._tree) if isinstance(e, Button | Success)]
    last_try = max(
        i for i, e in enumerate(shown) if isinstance(e, Button) and (e.key or "").startswith("try_")
    )
    confirmation = shown[last_try + 1]
    assert isinstance(confirmation, Success) and "Press Train to run the experiment" in confirmation.value


def test_a_second_try_this_says_the_first_change_too(runs_dir):
    """Two Try this before Train: both changes are in effect, so both are said, not the last alone."""
    at = train(open_app("train"), epochs=3, train_size=1000, test_size=200)
    (run,), _ = runs.list_runs(runs_dir)
    found = diagnose.remedies(diagnose.read(run.history).situation, run.config, 11791)
    # two remedies that change different settings, so that the second leaves the first in effect
    first, second = next(
        (i, j)
        for i in range(len(found))
        for j in range(len(found))
        if not found[i].changes.keys() & found[j].changes.keys()
    )
    at.button(key=f"try_{first}").click().run()
    at.button(key=f"try_{second}").click().run()
    assert not at.exception
    (said,) = [s.value for s in at.success if "Press Train" in s.value]
    for name in [*found[first].changes, *found[second].changes]:
        assert f"{name} = " in said, said


def test_ten_digits_train_with_a_one_in_ten_baseline_and_errors_show_a_10x10_matrix(
    offline, runs_dir, fresh_pool
):
    from helpers import write_blocks_root

    write_blocks_root(offline)
    at = open_app("train")
    at.selectbox(key="k_digits").set_value("all").run()
    # the default sizes (2,000 and 500) are cut to the 600 and 200 digits there are
    assert at.select_slider(key="k_train_size").value == 600
    assert at.number_input(key="k_test_size").value == 200
    assert "1674 parameters" in at.expander[0].label  # 1521 + 9 more outputs of 17 weights
    at = train(at, epochs=3)
    assert not at.exception
    (run,), _ = runs.list_runs(runs_dir)
    assert run.config.digits == tuple(range(10)) and run.config.data == "bundled"
    assert at.metric[0].delta.endswith("vs 10% baseline")
    assert [i.value for i in at.info] == [diagnose.read(run.history, 10).text]

    at.switch_page("mnist49/app/pages/errors.py").run()
    assert not at.exception
    assert "k_errors_threshold" not in [s.key for s in at.slider]  # no threshold for ten
    assert any("most likely digit" in c.value for c in at.caption)
    confusion = at.get("vega_lite_chart")[0].proto.spec
    assert '"width": 360' in confusion  # ten cells of 36 px across
    assert len(at.radio(key="k_errors_digit").options) == 11
    assert len(at.selectbox(key="k_errors_cell").options) == 101
    at.selectbox(key="k_errors_cell").set_value("3-3").run()
    assert at.subheader[0].value.startswith("True 3, predicted 3:") and not at.exception


def test_a_link_fills_the_settings_and_the_page_keeps_its_link_in_step():
    from helpers import APP
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lr": "0.01", "dropout": "0.2", "channels": "8,16,32", "train_size": "all"})
    at.run()
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.exception
    assert at.select_slider(key="k_lr").value == 0.01
    assert at.slider(key="k_dropout").value == 0.2
    assert at.text_input(key="k_channels").value == "8, 16, 32"
    assert at.select_slider(key="k_train_size").value == 11791  # all the 4s and 9s
    assert "5921 parameters" in at.expander[0].label  # 80 + 1168 + 4640 + 33
    at.select_slider(key="k_lr").set_value(0.02).run()
    assert at.query_params["lr"] == "0.02" and at.query_params["channels"] == "8,16,32"
    (share,) = [p for p in at.get("popover") if len(p.code)]  # Share: the link and the command
    assert "lr=0.02" in share.code[0].value and "channels=8,16,32" in share.code[0].value
    assert share.code[1].value.startswith("uv run mnist49 train --channels 8,16,32 ")


def test_a_bad_link_is_said_in_words_and_the_rest_is_kept():
    from helpers import APP
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lr": "fast", "epochs": "7"})
    at.run()
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.exception
    assert "lr: expected a number like 0.004, got 'fast'" in at.warning[0].value
    assert at.slider(key="k_epochs").value == 7 and at.select_slider(key="k_lr").value == 0.004


def test_a_hostile_link_warns_once_per_setting_and_the_widgets_show_what_it_says():
    link = {"lr": "abc", "epochs": "-5", "channels": "9999999", "batch_size": "0", "train_size": "99999999"}
    at = _link_app(link)
    assert not at.exception
    shown = [w.value for w in at.warning]
    assert len(shown) == 5, shown
    assert not any("left at its default" in w or "(9999999,)" in w for w in shown)
    assert any("got '-5'; using the nearest allowed value, 1" in w for w in shown)
    assert any("got 9999999; using the default, 4,8,16" in w for w in shown)
    assert any("got '0'; using the nearest allowed value, 1" in w for w in shown)
    assert any("train_size 99,999,999, more than the 11,791 digits" in w for w in shown)
    assert at.slider(key="k_epochs").value == 1 and at.text_input(key="k_channels").value == "4, 8, 16"
    assert at.select_slider(key="k_lr").value == 0.004


def test_a_link_value_is_shown_as_text_not_markdown():
    at = _link_app({"model": "![p](http://h/x.png)", "optimizer": "<script>alert(1)</script>"})
    assert not at.exception
    shown = " ".join(w.value for w in at.warning)
    assert r"got '\!\[p\](http://h/x.png)'" in shown  # no image: nothing is fetched
    assert r"got '\<script\>alert(1)\</script\>'" in shown
    assert "![p]" not in shown and "<script>" not in shown


def _link_app(params: dict):
    from helpers import APP
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    return at.switch_page("mnist49/app/pages/train.py").run()


def test_a_link_to_a_wide_model_is_estimated_without_training_in_the_server(monkeypatch):
    from torch import nn

    from mnist49.training import train

    def refuse(*args, **kwargs):
        raise AssertionError("the server built or trained the linked model")

    monkeypatch.setattr(nn.Conv2d, "__init__", refuse)
    monkeypatch.setattr(train, "fit", refuse)
    monkeypatch.setattr(train, "memory_bytes", lambda: 10**12)
    at = _link_app({"channels": "4096,4096,4096", "seeds": "1"})
    assert not at.exception
    (big,) = [w.value for w in at.warning if "A large model" in w.value]
    assert "302,043,137 parameters" in big and "estimated from its size" in big
    assert "302043137 parameters" in at.expander[0].label
    assert not at.button(key="train").disabled


def test_a_link_to_a_model_too_large_to_allocate_is_refused_with_its_size():
    at = _link_app({"channels": "100000,100000,100000"})
    assert not at.exception
    (refusal,) = [e.value for e in at.error if "too large to train here" in e.value]
    assert "180,001,300,001 parameters" in refusal and "GB" in refusal
    assert at.button(key="train").disabled


def test_link_values_beyond_the_widgets_limits_are_named_and_moved_to_them():
    at = _link_app(
        {
            "dropout": "0.95",
            "batch_size": "100000",
            "seed": str(10**30),
            "epochs": str(10**9),
            "test_size": "1",
        }
    )
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    for name in ("dropout", "batch_size", "seed", "epochs"):
        assert f"{name}: expected" in said
    assert at.slider(key="k_dropout").value == 0.9 and at.number_input(key="k_batch_size").value == 60000
    assert at.number_input(key="k_seed").value == 2**31 - 1 and at.slider(key="k_epochs").value == 1000
    assert at.number_input(key="k_test_size").value == 1  # within the limits: kept, not made 10
    at.run()  # the next run of the page (another click) has no StreamlitValueAboveMaxError either
    assert not at.exception


def test_a_linked_size_beyond_the_problems_digits_is_said_and_cut():
    at = _link_app({"train_size": "50000"})
    assert not at.exception
    assert any("train_size 50,000" in w.value and "11,791" in w.value for w in at.warning)
    assert at.select_slider(key="k_train_size").value == 11791


def test_the_run_this_tab_started_is_picked_on_every_page_not_the_newest(runs_dir):
    """A sweep (or another tab) started after the learner's run is newer on disk; the pages still
    open on the run the learner started here (issue 26 row 8)."""
    import shutil

    at = train(open_app("train"), epochs=1, train_size=500, test_size=100)
    mine = at.session_state["job"].snapshot().run_path.name
    shutil.copytree(runs_dir / mine, runs_dir / "29991231-000000-cnn-newest")  # sorts first
    at.run()
    table = at.dataframe[-1]  # the runs table: accuracy in points, shown to one decimal in every row
    columns = json.loads(table.proto.columns)
    formats = {c: v["type_config"]["format"] for c, v in columns.items() if "type_config" in v}
    assert formats["accuracy"] == "%.1f%%" and formats["loss"] == "%.4f"
    assert 40 <= table.value["accuracy"].min() <= 100
    picked = next(s for s in at.selectbox if s.label == "Download the files of")
    assert picked.options[0].startswith("29991231") and picked.value == mine
    for page in ("errors", "inside", "your_digit"):
        at.switch_page(f"mnist49/app/pages/{page}.py").run()
        assert not at.exception, page
        assert next(s for s in at.selectbox if s.label == "Run").value == mine, page


@pytest.fixture
def no_gpu_name_kept():
    """The GPU's name is asked once per process (common._gpu_name): each test asks afresh."""
    from mnist49.app import common

    common._gpu_name.clear()
    yield
    common._gpu_name.clear()


def test_on_cuda_the_page_says_so_and_starts_with_five_seeds(monkeypatch, no_gpu_name_kept):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "NVIDIA H200")
    at = open_app("train")
    assert at.slider(key="k_seeds").value == 5
    (notice,) = [i.value for i in at.info if "GPU" in i.value]
    assert "(NVIDIA H200)" in notice and "1.23 times" in notice and "5 seeds here, not 3" in notice
    # the link says so: it is read against the same defaults on any machine (3 seeds)
    assert at.query_params["seeds"] == "5"
    at.slider(key="k_seeds").set_value(2).run()  # the learner's choice stands
    assert at.slider(key="k_seeds").value == 2 and not at.exception


def test_without_cuda_the_page_says_nothing_of_a_gpu_and_starts_with_three_seeds(
    monkeypatch, no_gpu_name_kept
):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    at = open_app("train")
    assert at.slider(key="k_seeds").value == 3
    assert not [i.value for i in at.info if "GPU" in i.value]


def test_the_reading_switches_on_the_zoom_and_the_marks_of_the_rise(runs_dir):
    """Few digits for many epochs: the reading says whether the run overfits, and the chart
    follows it: the rise marked, and the zoom on the lowest test loss switched on (or neither)."""
    at = train(open_app("train"), epochs=25, train_size=300, test_size=200, seeds=1)
    assert not at.exception
    (run,), _ = runs.list_runs(runs_dir)
    overfit = diagnose.read(run.history).situation == "overfitting"
    (zoom,) = [w for w in at.toggle if w.key.startswith("zoom_")]
    assert zoom.label == "Zoom in on the lowest test loss" and zoom.value == overfit
    charts = at.get("vega_lite_chart")
    assert len(charts) == (2 if overfit else 1)
    rise = {d.name: d for d in charts[0].proto.datasets}["rise"]
    assert pyarrow.ipc.open_stream(rise.data.data).read_all().num_rows == (1 if overfit else 0)
    zoom.set_value(not overfit).run()
    charts = at.get("vega_lite_chart")
    assert len(charts) == (1 if overfit else 2) and not at.exception
    if not overfit:  # the zoom's own chart: its axes cut the lines, as the whole chart's do not
        assert '"clip": true' in charts[1].proto.spec and '"clip"' not in charts[0].proto.spec


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_runs_table_gives_each_column_the_width_of_its_header_in_either_language(runs_dir, lang):
    """The grid's own sizing cut Japanese headers ("最小テスト損失") at 1000 and 1400 px: each
    column is as wide as its header drawn at 14 px a Japanese character (seen in a browser)."""
    from mnist49.app.tables import PADDING, text_width
    from mnist49.app.text import TABLES
    from mnist49.config import Config
    from mnist49.runs import record

    record.train_run(Config(train_size=100, test_size=50, epochs=1, device="cpu"), runs_dir)
    at = open_app()
    at.session_state["k_lang"] = lang
    at.switch_page("mnist49/app/pages/train.py").run()
    tables = [json.loads(d.proto.columns or "{}") for d in at.dataframe]  # the layers' table too
    (columns,) = [c for c in tables if "run" in c]
    named = {name: config for name, config in columns.items() if f"train.col.{name}" in TABLES[lang]}
    assert len(named) == 11, columns  # less the hidden index
    for name, config in named.items():
        header = TABLES[lang][f"train.col.{name}"]
        assert config["label"] == header
        assert config["width"] >= text_width(header) + PADDING, (name, config)
    assert columns["loss"]["width"] >= 7 * 14  # 最小テスト損失: seven characters of 14 px
