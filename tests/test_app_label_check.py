"""The Label check page: the check in its own process, the gallery of suspects, and a run
trained without them set against the run they came from."""

import time

import pytest
from helpers import open_app

from mnist49 import data, runs
from mnist49.analysis import label_check
from mnist49.app.background.label_job import COLUMNS, LabelState
from mnist49.config import Config
from mnist49.runs import record

PARENT = Config(train_size=300, test_size=200, epochs=1, device="cpu", seeds=2)


@pytest.fixture
def parent(runs_dir):
    run, _ = record.train_run(PARENT, runs_dir)
    return run


def checked(run: runs.Run, folds: int = 2) -> LabelState:
    """A finished check of the run's train digits, computed here as the page's process would."""
    found, n = label_check.check(run.config.replace(seeds=1), folds)
    return LabelState("finished", run.config.epochs, found[COLUMNS], n, 1.0, "")


def wait(done, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert done()


def test_without_runs_the_page_points_to_train():
    at = open_app("label_check")
    assert "No finished run" in at.info[0].value


@pytest.mark.parametrize(
    "lang, found, column, button", [("en", "suspect labels", "Label quality", "Train without them"),
                                    ("ja", "疑わしいラベル", "ラベル品質", "除いて学習")],
)  # fmt: skip
def test_the_gallery_shows_each_suspect_with_its_label_probability_and_quality(
    parent, lang, found, column, button
):
    state = checked(parent)
    assert len(state.suspects)  # one epoch on 300 digits leaves labels in doubt
    at = open_app()
    at.session_state["k_lang"] = lang
    at.session_state["k_label_folds"] = 2
    at.session_state["label_checks"] = {(str(parent.path), 2): state}
    at.switch_page("mnist49/app/pages/label_check.py").run()
    assert not at.exception
    assert found in at.markdown[1].value and str(len(state.suspects)) in at.markdown[1].value
    table = at.dataframe[0].value
    assert table["index"].tolist() == state.suspects["index"].tolist()
    assert table["quality"].tolist() == state.suspects["quality"].tolist()
    assert table["digit"].str.startswith("data:image/png;base64,").all()
    train = data.load("bundled", (4, 9)).train
    assert (train.labels[table["index"].to_numpy()].numpy() == table["label"].to_numpy()).all()
    assert len(at.get("image")) == 1  # the grid of digits
    assert at.button(key="train_without").label == button
    assert not at.button(key="train_without").disabled
    assert at.button(key="check_labels").label == (
        "Check the train labels" if lang == "en" else "訓練ラベルを検査"
    )


def test_folds_not_checked_yet_offer_the_check(parent):
    at = open_app()
    at.session_state["label_checks"] = {(str(parent.path), 2): checked(parent)}
    at.switch_page("mnist49/app/pages/label_check.py").run()  # 5 folds by default: not checked
    assert "Not checked yet" in at.caption[1].value
    assert not at.dataframe


@pytest.mark.slow
def test_the_check_runs_in_its_own_process_and_shows_its_gallery(parent):
    at = open_app("label_check")
    at.slider(key="k_label_folds").set_value(2).run()
    at.button(key="check_labels").click().run()
    assert not at.exception
    _, job = at.session_state["label_job"]
    assert at.button(key="check_labels").disabled  # one check at a time
    wait(lambda: (job.touch(), job.snapshot().done)[1])
    at.run()
    assert job.snapshot().status == "finished", job.snapshot().error
    assert "suspect labels" in at.markdown[1].value
    assert at.dataframe[0].value["index"].tolist() == job.snapshot().suspects["index"].tolist()


@pytest.mark.slow
@pytest.mark.parametrize(
    "lang, question, name",
    [
        ("en", "Did leaving them out help?", "the run without them"),
        ("ja", "除いて良くなったか", "除いた実行"),
    ],
)
def test_train_without_them_leaves_them_out_and_says_whether_it_helped(
    parent, fresh_pool, lang, question, name
):
    state = checked(parent)
    at = open_app()
    at.session_state["k_lang"] = lang
    at.session_state["k_label_folds"] = 2
    at.session_state["label_checks"] = {(str(parent.path), 2): state}
    at.switch_page("mnist49/app/pages/label_check.py").run()
    at.button(key="train_without").click().run()
    assert not at.exception
    job = at.session_state["job"]
    assert job.config.exclude == tuple(sorted(state.suspects["index"]))
    assert job.config.replace(exclude=()) == parent.config
    wait(lambda: (job.touch(), job.snapshot().done)[1])
    at.run()
    assert job.snapshot().status == "finished", job.snapshot().error
    child = runs.load_run(job.snapshot().run_path)
    assert child.config.exclude == job.config.exclude
    _, drawn = label_check.split_of(child.config)
    assert not set(drawn.tolist()) & set(child.config.exclude)
    assert any(question in m.value for m in at.markdown)
    said = [e.value for e in [*at.success, *at.warning, *at.info]]
    assert any(name in s for s in said), said
    assert at.session_state["versus"] == str(parent.path)  # Train sets it against the parent too


@pytest.mark.slow
def test_a_check_under_way_shows_in_the_sidebar_of_other_pages_and_is_kept_alive():
    from mnist49.app.background.label_job import LabelJob

    # long enough to outlast the loop below on a fast machine (500 epochs of 300 digits took 6 s)
    job = LabelJob(Config(train_size=300, epochs=5000, device="cpu"), 2, abandon_after=5)
    try:
        at = open_app()
        at.session_state["label_job"] = (("elsewhere", 2), job)
        for _ in range(4):  # longer than abandon_after, the page looked at every few seconds
            at.switch_page("mnist49/app/pages/samples.py").run()
            assert any("Checking train labels: epoch" in c.value for c in at.sidebar.caption)
            time.sleep(2)
        assert not job.snapshot().done, job.snapshot().error
    finally:
        job.stop()
        job.join(30)
    assert job.snapshot().status == "stopped"
