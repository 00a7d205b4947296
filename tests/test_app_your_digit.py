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
    assert "p(9) = " in at.metric[0].delta
    at.file_uploader(key="own_upload").set_value(("notes.png", b"not a picture", "image/png"))
    at.run()
    assert not at.exception and "not a picture that can be read" in at.error[0].value
