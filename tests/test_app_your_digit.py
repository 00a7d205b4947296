import base64
import io

import numpy as np
import pytest
from helpers import open_app, train
from PIL import Image, ImageDraw

from mnist49 import data
from mnist49.analysis import own


def photo_of_test_digit(i: int) -> bytes:
    picture = Image.fromarray(255 - data.load().test.images[i].numpy()).resize((160, 160))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def canvas_png(lines, width=22, size=280) -> bytes:
    """What the canvas sends: a white square with black strokes, as PNG."""
    picture = Image.new("RGBA", (size, size), "white")
    pen = ImageDraw.Draw(picture)
    for line in lines:
        pen.line(line, fill="black", width=width)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def draw(at, png: bytes | None):
    """Hand the page a drawing as the canvas component does after a stroke (None: cleared)."""
    objects = [{"type": "path"}] if png else []
    url = "data:image/png;base64," + base64.b64encode(png).decode() if png else None
    at.session_state["own_canvas"] = {"drawing": {"raw": {"objects": objects}, "data": url}}
    return at.run()


def test_without_a_model_the_page_points_to_train():
    at = open_app("your_digit")
    assert "No trained model" in at.info[0].value and not at.exception


def test_an_uploaded_digit_is_classified_and_bad_files_are_refused():
    at = train(open_app("train"), epochs=4, train_size=2000, test_size=100)
    at.switch_page("mnist49/app/pages/your_digit.py").run()
    test = data.load().test
    nine = int((test.labels == 9).nonzero()[0])
    at.file_uploader(key="own_upload").set_value(("nine.png", photo_of_test_digit(nine), "image/png"))
    at.run()
    assert not at.exception
    assert at.metric[0].label == "The model says" and at.metric[0].value == "9"
    assert "p(9) = " in at.metric[0].delta and any("A model of 4 vs 9" in c.value for c in at.main.caption)
    at.file_uploader(key="own_upload").set_value(("notes.png", b"not a picture", "image/png"))
    at.run()
    assert not at.exception and "not a picture that can be read" in at.error[0].value


def test_a_ten_digit_model_answers_with_every_digits_probability(offline, runs_dir):
    from helpers import write_blocks_root

    from mnist49.config import Config
    from mnist49.runs import record

    write_blocks_root(offline)
    record.train_run(
        Config(digits=tuple(range(10)), train_size=None, test_size=None, epochs=2, device="cpu"), runs_dir
    )
    at = open_app("your_digit")
    at.file_uploader(key="own_upload").set_value(("four.png", photo_of_test_digit(0), "image/png"))
    at.run()
    assert not at.exception
    assert at.metric[0].value in list("0123456789")
    assert at.metric[0].delta.startswith(f"p({at.metric[0].value}) = ")
    assert any("A model of all ten digits (0-9)" in c.value for c in at.main.caption)
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) >= 1  # the ten bars

    # Inside and Errors read the same run, with its own digits
    at.switch_page("mnist49/app/pages/inside.py").run()
    assert not at.exception and "predicted" in at.selectbox[1].options[0]
    at.switch_page("mnist49/app/pages/errors.py").run()
    assert not at.exception
    at.toggle(key="k_errors_saliency").set_value(True).run()
    assert not at.exception


def test_a_drawing_is_classified_like_an_upload_and_shows_its_nearest_training_digits(monkeypatch):
    at = train(open_app("train"), epochs=4, train_size=2000, test_size=100)
    at.switch_page("mnist49/app/pages/your_digit.py").run()
    assert "The box is empty" in at.info[0].value and not at.metric  # nothing drawn yet

    seen = []
    to_mnist = own.to_mnist
    monkeypatch.setattr(own, "to_mnist", lambda image: seen.append(image.size) or to_mnist(image))
    # a 9: a closed loop on top of a stem
    nine = canvas_png([[(100, 60), (180, 60), (180, 130), (100, 130), (100, 60)], [(180, 60), (180, 240)]])
    draw(at, nine)
    assert not at.exception and seen == [(280, 280)]  # the upload's preprocessing, whole canvas
    assert at.metric[0].label == "The model says" and at.metric[0].value in ("4", "9")
    assert any("training digits nearest" in m.value for m in at.markdown)
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) == 1  # the bars

    draw(at, None)  # cleared: no prediction
    assert "The box is empty" in at.info[0].value and not at.metric and not at.exception

    # drawn edge to edge: cropped, scaled and centred like a huge upload, no error
    draw(at, canvas_png([[(0, 0), (279, 279)], [(0, 279), (279, 0)]]))
    assert not at.exception and not at.error and at.metric[0].value in ("4", "9")

    at.file_uploader(key="own_upload").set_value(("nine.png", photo_of_test_digit(0), "image/png")).run()
    assert any("Showing your drawing" in c.value for c in at.caption)  # the drawing comes first
    assert seen[-1] == (280, 280)
    draw(at, None)  # cleared: the uploaded picture is read again
    assert seen[-1] == (160, 160) and at.metric and not at.exception


def test_a_canvas_drawn_edge_to_edge_comes_out_centred_in_20x20_like_mnist():
    png = canvas_png([[(0, 0), (279, 279)], [(0, 279), (279, 0)]], width=30)  # an X to every corner
    digit = own.to_mnist(own.read_image(png)).astype(float)  # (28, 28)
    rows, cols = np.nonzero(digit)
    assert rows.max() - rows.min() < 20 and cols.max() - cols.min() < 20  # scaled into 20x20
    centre = (np.indices(digit.shape) * digit).sum(axis=(1, 2)) / digit.sum()
    assert np.abs(centre - 14).max() <= 1  # on its centre of mass, as MNIST's digits are


@pytest.mark.parametrize(
    ("p", "shown"),
    [
        (0.996, "99%"),
        (0.9994, "99%"),
        (0.9996, "100%"),
        (1.0, "100%"),
        (0.57, "57%"),
        (0.29, "29%"),
        (0.5, "50%"),
    ],
)
def test_100_percent_sure_only_where_p_reads_1_000(p, shown):
    from mnist49.app import common

    assert f"{common.sure(p):.0%}" == shown
