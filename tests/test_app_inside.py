import pytest
from helpers import open_app, train


def test_without_a_cnn_run_the_page_points_to_train():
    at = open_app("inside")
    assert "No trained CNN" in at.info[0].value and not at.exception


def test_inside_shows_stages_with_shapes_kernels_and_saliency():
    at = train(open_app("train"), epochs=2, train_size=500, test_size=100)
    at.switch_page("mnist49/app/pages/inside.py").run()
    assert not at.exception
    shapes = [m.value for m in at.markdown if "->" in m.value]
    assert shapes[0] == "**conv 1 (Conv2d)** -> 4x26x26" and shapes[-1].endswith("16x1x1")
    assert len(shapes) == 9
    assert [s.value for s in at.subheader] == ["Saliency", "Feature maps", "Learned kernels"]
    digit = at.selectbox(key="inside_digit")
    assert "(wrong)" in digit.options[0] or "wrong" not in " ".join(digit.options)  # errors first
    first = at.session_state["inside_digit"]
    last = int(digit.options[-1].split(":")[0].lstrip("#"))
    at.session_state["inside_digit"] = last
    at.run()
    assert at.session_state["inside_digit"] == last != first and not at.exception


def test_errors_gallery_can_show_saliency():
    at = train(open_app("train"), epochs=2, train_size=500, test_size=300)
    at.switch_page("mnist49/app/pages/errors.py").run()
    at.toggle(key="k_errors_saliency").set_value(True).run()
    assert not at.exception and at.toggle(key="k_errors_saliency").value


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Label error: 3 of 5 reviewers read it as 4"), ("ja", "ラベルの誤り: 5 人中 3 人が 4")],
)
def test_a_reviewed_digit_shows_its_review(runs_dir, lang, words):
    """MNIST test digit 1901 (the bundled subset's 392nd): labelled 9, read as 4 by 3 of 5."""
    from mnist49.config import Config
    from mnist49.runs import record

    record.train_run(Config(train_size=300, test_size=None, epochs=1, device="cpu"), runs_dir)
    at = open_app()
    at.session_state["k_lang"] = lang
    at.switch_page("mnist49/app/pages/inside.py").run()
    at.selectbox(key="inside_digit").set_value(392).run()
    assert not at.exception
    assert any(m.value.startswith(f":orange-badge[{words}") for m in at.markdown)
    at.selectbox(key="inside_digit").set_value(0).run()  # MNIST test digit 4: nobody doubted it
    assert not any("badge[" in m.value for m in at.markdown)
