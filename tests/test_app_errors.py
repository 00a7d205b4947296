import pytest
from helpers import open_app, train


def test_without_runs_the_page_points_to_train():
    at = open_app("errors")
    assert "No finished run" in at.info[0].value
    assert not at.exception


def test_errors_of_a_run_react_to_the_threshold_and_filters():
    at = train(open_app("train"), epochs=4, train_size=1000, test_size=300)
    at.switch_page("mnist49/app/errors.py").run()
    assert not at.exception

    def n_errors():
        return int(at.markdown[0].value.split("**")[1].split()[0])

    from mnist49 import runs
    from mnist49.app import common

    preds = runs.list_runs(common.runs_dir())[0][0].predictions()

    def expected(threshold):
        return int(((preds.p_9 >= threshold) != (preds.label == 9)).sum())

    assert n_errors() == expected(0.5)
    at.slider(key="k_errors_threshold").set_value(0.99).run()
    assert n_errors() == expected(0.99) != expected(0.5)
    assert at.subheader[0].value.startswith("Errors:")
    at.radio(key="k_errors_digit").set_value("9").run()
    at.selectbox(key="k_errors_cell").set_value("9-4").run()
    assert at.subheader[0].value.startswith("True 9, predicted 4:")
    # confusion matrix, histogram, and one digit's p(9) across the epochs
    assert len(at.get("vega_lite_chart")) == 3
    assert not at.exception


def test_the_epoch_slider_replays_earlier_predictions():
    at = train(open_app("train"), epochs=4, train_size=1000, test_size=300)
    at.switch_page("mnist49/app/errors.py").run()
    from mnist49 import runs
    from mnist49.app import common

    run = runs.list_runs(common.runs_dir())[0][0].median()  # the seed the page shows first
    replay, labels = run.replay(), run.predictions()["label"].to_numpy()
    slider = at.slider(key=f"epoch_{run.key}")
    assert slider.value == 4 and slider.max == 4
    for epoch in (1, 4):
        at.slider(key=f"epoch_{run.key}").set_value(epoch).run()
        wrong = int(((replay[epoch - 1] >= 0.5) != (labels == 9)).sum())
        assert at.markdown[0].value.startswith(f"**{wrong} errors**")
    assert any("last changed at epoch" in c.value for c in at.main.caption)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Label error: 3 of 5 reviewers read it as 4"), ("ja", "ラベルの誤り: 5 人中 3 人が 4")],
)
def test_a_reviewed_digit_shows_its_review(runs_dir, lang, words):
    """Test digit 1901 of MNIST (the bundled subset's 392nd) is labelled 9; 3 of 5 reviewers
    read a 4. A run tested on every 4 and 9 lists it when the model gets it wrong."""
    from mnist49 import evaluate, record
    from mnist49.config import Config

    run, _ = record.train_run(Config(train_size=2000, test_size=None, epochs=4, device="cpu"), runs_dir)
    wrong = set(evaluate.errors(run.predictions())["index"])
    assert 392 in wrong  # the model reads the 4 the reviewers saw
    at = open_app("errors")
    at.session_state["k_lang"] = lang
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "#392" in m.value]
    assert shown and words in shown[0]
