import base64
import html
import io
import re

import numpy as np
import pytest
from helpers import open_app, train
from PIL import Image

from mnist49 import data


def test_without_runs_the_page_points_to_train():
    at = open_app("errors")
    assert "No finished run" in at.info[0].value
    assert not at.exception


def test_errors_of_a_run_react_to_the_threshold_and_filters():
    at = train(open_app("train"), epochs=4, train_size=1000, test_size=300)
    at.switch_page("mnist49/app/pages/errors.py").run()
    assert not at.exception

    def n_errors():
        return int(at.markdown[0].value.split("**")[1].split()[0])

    from mnist49 import runs
    from mnist49.app import common
    from mnist49.training import evaluate

    run = runs.list_runs(common.runs_dir())[0][0]
    preds = evaluate.pool([r.predictions() for r in run.replicates()])  # the page's default view

    def expected(threshold):
        return int(((preds.p_9 >= threshold) != (preds.label == 9)).sum())

    assert n_errors() == expected(0.5)
    at.slider(key="k_errors_threshold").set_value(0.99).run()
    assert n_errors() == expected(0.99) != expected(0.5)
    assert at.subheader[0].value.startswith("Wrong in at least one seed:")
    at.radio(key="k_errors_digit").set_value("9").run()
    at.selectbox(key="k_errors_cell").set_value("9-4").run()
    assert at.subheader[0].value.startswith("True 9, predicted 4:")
    # confusion matrix, histogram, and one digit's p(9) across the epochs
    assert len(at.get("vega_lite_chart")) == 3
    assert not at.exception


def test_the_epoch_slider_replays_earlier_predictions():
    at = train(open_app("train"), epochs=4, train_size=1000, test_size=300)
    at.switch_page("mnist49/app/pages/errors.py").run()
    from mnist49 import runs
    from mnist49.app import common
    from mnist49.training import evaluate

    group = runs.list_runs(common.runs_dir())[0][0]
    seeds = group.replicates()
    frames = [r.predictions() for r in seeds]
    # the pooled view first: the seeds' replays averaged, digit by digit
    replay = evaluate.pool_replay(frames, [r.replay() for r in seeds])
    labels = np.sort(frames[0]["index"].to_numpy())
    labels = frames[0].set_index("index").loc[labels, "label"].to_numpy()
    for epoch in (1, 4):
        at.slider(key=f"epoch_{group.key}/pooled").set_value(epoch).run()
        wrong = int(((replay[epoch - 1] >= 0.5) != (labels == 9)).sum())
        assert at.markdown[0].value.startswith(f"**{wrong} errors**")
    assert any("last changed at epoch" in c.value for c in at.main.caption)
    # one seed's own replay
    at.selectbox(key=f"view_{group.name}").set_value(1).run()
    run = seeds[1]
    replay, labels = run.replay(), run.predictions()["label"].to_numpy()
    slider = at.slider(key=f"epoch_{run.key}")
    assert slider.value == 4 and slider.max == 4
    for epoch in (1, 4):
        at.slider(key=f"epoch_{run.key}").set_value(epoch).run()
        wrong = int(((replay[epoch - 1] >= 0.5) != (labels == 9)).sum())
        assert at.markdown[0].value.startswith(f"**{wrong} errors**")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Label error: 3 of 5 reviewers read it as 4"), ("ja", "ラベルの誤り: 5 人中 3 人が 4")],
)
def test_a_reviewed_digit_shows_its_review(runs_dir, lang, words):
    """Test digit 1901 of MNIST (the bundled subset's 392nd) is labelled 9; 3 of 5 reviewers
    read a 4. A run tested on every 4 and 9 lists it when the model gets it wrong."""
    from mnist49.config import Config
    from mnist49.runs import record
    from mnist49.training import evaluate

    run, _ = record.train_run(Config(train_size=2000, test_size=None, epochs=4, device="cpu"), runs_dir)
    wrong = set(evaluate.errors(run.predictions())["index"])
    assert 392 in wrong  # the model reads the 4 the reviewers saw
    at = open_app("errors")
    at.session_state["k_lang"] = lang
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "#392" in m.value]
    assert shown and words in shown[0]


@pytest.fixture(scope="module")
def three_seeds(tmp_path_factory):
    """A 3-seed run tested on every bundled 4 and 9 (so reviewed digits are among them), trained
    far enough that the gallery's first 120 digits hold some the pooled answer gets right and a
    seed gets wrong. 300 digits for 2 epochs left every seed answering one class (49% accuracy):
    there a pooled figure equals any one seed's, and no check tells them apart."""
    from mnist49.config import Config
    from mnist49.runs import record

    folder = tmp_path_factory.mktemp("runs")
    config = Config(train_size=2000, test_size=None, epochs=3, device="cpu", seeds=3)
    run, _ = record.train_run(config, folder)
    return folder, run


@pytest.mark.parametrize(
    ("lang", "split", "wrong_in"),
    [
        ("en", "Wrong in every seed: **", "wrong in {k} of 3 seeds"),
        ("ja", "個の数字はすべてのシードで誤り", "3 シード中 {k} シードで誤り"),
    ],
)
def test_errors_pool_the_seeds_by_default(three_seeds, monkeypatch, lang, split, wrong_in):
    from mnist49.analysis import reviews
    from mnist49.training import evaluate

    folder, run = three_seeds
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    pooled = evaluate.pool([r.predictions() for r in run.replicates()])
    every, some = evaluate.pooled_errors(pooled, True), evaluate.pooled_errors(pooled, False)
    at = open_app()
    at.session_state["k_lang"] = lang
    at.switch_page("mnist49/app/pages/errors.py").run()
    assert not at.exception
    assert at.selectbox(key=f"view_{run.name}").value == -1  # "Pooled (all seeds)" first
    sentence = next(m.value for m in at.markdown if split in m.value)
    assert f"**{len(every)}**" in sentence and f"**{len(some)}**" in sentence
    # the reviewed digits under the gallery, each with its k of N and its badge
    gallery = evaluate.pooled_errors(pooled).head(120)
    reviewed = [
        (int(i), int(k))
        for i, k in zip(gallery["index"], gallery["wrong_in"], strict=True)
        if reviews.review(i)
    ]
    assert reviewed  # two epochs on 300 digits get some of MNIST's doubtful digits wrong
    listed = next(m.value for m in at.markdown if "badge[" in m.value)
    for i, k in reviewed:
        assert f"#{i} ({wrong_in.format(k=k)}): :" in listed
    # the filter: wrong in every seed, then only the digits the reviewers questioned
    at.radio(key="k_errors_filter").set_value("every").run()
    assert at.subheader[0].value.endswith(f": {len(every)}") and not at.exception
    at.radio(key="k_errors_filter").set_value("questioned").run()
    doubted = [i for i in pooled.loc[pooled.wrong_in > 0, "index"] if reviews.review(i) is not None]
    doubted = [i for i in doubted if reviews.review(i).verdict != "kept"]
    assert at.subheader[0].value.endswith(f": {len(doubted)}")
    if doubted:
        listed = next(m.value for m in at.markdown if "badge[" in m.value)
        assert listed.count(":orange-badge[") == min(len(doubted), 120)
    assert not at.exception


def click_cell(at, true: int, predicted: int):
    """A click on a cell of the confusion matrix, as the browser sends it: the chart's selection."""
    key = f"confusion_{at.session_state.get('errors_clicks', 0)}"
    at.session_state[key] = {"selection": {"cell": [{"true": true, "predicted": predicted}]}}
    return at.run()


def test_a_click_on_the_matrix_sets_show_and_a_later_pick_in_show_wins(three_seeds, monkeypatch):
    folder, _ = three_seeds
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    at = open_app("errors")
    click_cell(at, 9, 4)
    assert not at.exception
    assert at.selectbox(key="k_errors_cell").value == "9-4"  # Show mirrors the click
    assert at.subheader[0].value.startswith("True 9, predicted 4:")
    at.selectbox(key="k_errors_cell").set_value("all").run()
    assert at.subheader[0].value.startswith("Wrong in at least one seed:")
    at.selectbox(key="k_errors_cell").set_value("4-9").run()
    assert at.subheader[0].value.startswith("True 4, predicted 9:")
    at.slider(key="k_errors_threshold").set_value(0.7).run()  # the old click stays gone
    assert at.subheader[0].value.startswith("True 4, predicted 9:")
    click_cell(at, 9, 4)  # the same cell again still works
    assert at.selectbox(key="k_errors_cell").value == "9-4" and not at.exception


def test_the_pooled_view_says_what_each_figure_counts(three_seeds, monkeypatch):
    """The pooled answer's errors, the digits wrong in any seed and the seeds' mean accuracy are
    three figures; each is named, and a digit's answer and certainty are the pooled answer's."""
    from mnist49.app import common
    from mnist49.training import evaluate

    folder, run = three_seeds
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    frames = [r.predictions() for r in run.replicates()]
    pooled = evaluate.pool(frames)
    classified = evaluate.classify(pooled).set_index("index")
    any_seed = len(evaluate.pooled_errors(pooled))
    mean = float(np.mean([evaluate.accuracy(f) for f in frames]))
    gallery = evaluate.pooled_errors(pooled).head(120)["index"]
    assert classified.loc[gallery, "correct"].any()  # else the likeliest wrong digit would pass too
    at = open_app("errors")
    count = at.markdown[0].value
    assert f"**{int((~classified.correct).sum())} errors**" in count
    assert f"**{any_seed}** digits are wrong in at least one seed" in count
    assert f"mean accuracy is **{mean:.1%}**" in count
    assert at.subheader[0].value == f"Wrong in at least one seed: {any_seed}"
    digit = next(s for s in at.selectbox if s.label == "Test digit to follow")
    for option in digit.options:
        index = int(option.split("#")[1].split()[0])
        row = classified.loc[index]
        assert f"predicted {row.predicted}, {common.sure(row.confidence):.0%} sure" in option, option


def test_one_seed_says_no_k_of_n_and_counts_in_the_singular(tmp_path_factory, monkeypatch):
    from mnist49.config import Config
    from mnist49.runs import record

    folder = tmp_path_factory.mktemp("runs")
    record.train_run(Config(train_size=300, test_size=None, epochs=2, device="cpu", seeds=1), folder)
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    at = open_app("errors")
    assert not at.exception
    words = " ".join(m.value for m in at.markdown) + " ".join(s.label for s in at.selectbox)
    assert "of 1 seeds" not in words and "1 seeds" not in words
    assert "badge[" in words  # the reviewed digits are listed, without a k of N
    assert not re.search(r"\*\*1 errors\*\*|\b1 digits\b", words)


def test_the_gallery_captions_are_page_text_with_the_digit_boxs_rounding(three_seeds, monkeypatch):
    """Captions drawn inside one grid image shrink with it in a narrow window; as page text they
    stay readable, and round as the Digit box does (common.sure)."""
    from mnist49.app import common
    from mnist49.training import evaluate

    folder, run = three_seeds
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    pooled = evaluate.pool([r.predictions() for r in run.replicates()])
    classified = evaluate.classify(pooled).set_index("index")
    at = open_app("errors")
    (gallery,) = [h.proto.body for h in at.get("html") if "<figcaption" in h.proto.body]
    captions = [html.unescape(c) for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", gallery)]
    order = evaluate.pooled_errors(pooled).head(120)
    assert len(order) > 1 and len(captions) == len(order) == gallery.count("<img ")
    assert classified.loc[order["index"], "correct"].any()  # some the pooled answer gets right
    for caption, i, k in zip(captions, order["index"], order["wrong_in"], strict=True):
        row = classified.loc[i]
        assert caption == f"{row.label}>{row.predicted} {common.sure(row.confidence):.2f} {k}/3"
    # each picture is its digit, dark on white as the grids draw them, at its own 28 x 28
    first = re.search(r'src="data:image/png;base64,([^"]+)" width="84" height="84"', gallery)
    picture = np.asarray(Image.open(io.BytesIO(base64.b64decode(first[1]))))
    test_images = data.load(run.config.data, run.config.digits).test.images
    assert np.array_equal(picture, 255 - test_images[order["index"].iloc[0]])


def test_saliency_colours_the_gallerys_digits(three_seeds, monkeypatch):
    folder, _ = three_seeds
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(folder))
    at = open_app("errors")
    at.toggle(key="k_errors_saliency").set_value(True).run()
    assert not at.exception and not at.error
    (gallery,) = [h.proto.body for h in at.get("html") if "<figcaption" in h.proto.body]
    pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', gallery)
    assert len(pictures) == gallery.count("<figcaption")
    shapes = {np.asarray(Image.open(io.BytesIO(base64.b64decode(p)))).shape for p in pictures}
    assert shapes == {(28, 28, 3)}  # the heat map over each digit, as Inside draws it
