import io

from helpers import open_app, train
from PIL import Image

from mnist49 import data


def photo_of_test_digit(i: int) -> bytes:
    picture = Image.fromarray(255 - data.load().test.images[i].numpy()).resize((160, 160))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def test_without_a_model_the_page_points_to_train():
    at = open_app("your_digit")
    assert "No trained model" in at.info[0].value and not at.exception


def test_an_uploaded_digit_is_classified_and_bad_files_are_refused():
    at = train(open_app("train"), epochs=4, train_size=2000, test_size=100)
    at.switch_page("mnist49/app/your_digit.py").run()
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

    from mnist49 import record
    from mnist49.config import Config

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
    at.switch_page("mnist49/app/inside.py").run()
    assert not at.exception and "predicted" in at.selectbox[1].options[0]
    at.switch_page("mnist49/app/errors.py").run()
    assert not at.exception
    at.toggle(key="k_errors_saliency").set_value(True).run()
    assert not at.exception
