import shutil

from helpers import APP, open_app, write_root
from streamlit.testing.v1 import AppTest


def test_samples_is_the_first_page_and_draws_one_grid():
    at = open_app()
    assert [t.value for t in at.title] == ["Samples"]
    assert len(at.get("image")) == 2  # the grid of digits and the two mean images: two PNGs
    assert "50 of 11,791 train digits" in at.caption[1].value


def test_filters_change_what_is_shown():
    at = open_app()
    at.radio(key="k_samples_split").set_value("test")
    at.radio(key="k_samples_digit").set_value("9")
    at.slider(key="k_samples_count").set_value(120).run()
    assert "120 of 1,009 test digits" in at.caption[1].value
    at.button[0].click().run()  # reshuffle
    assert "seed 1" in at.caption[1].value and not at.exception


def test_settings_survive_a_page_switch():
    at = open_app()
    at.slider(key="k_samples_count").set_value(30).run()
    at.switch_page("mnist49/app/pages/train.py").run()
    at.switch_page("mnist49/app/pages/samples.py").run()
    assert at.slider(key="k_samples_count").value == 30


def test_augmented_versions_of_a_digit_and_the_setting_is_shared_with_train():
    at = open_app()
    at.multiselect(key="k_augment").set_value(["rotate", "shift"]).run()
    assert not at.exception
    assert len(at.get("image")) == 3  # grid, means, and the ten augmented versions
    # one setting by design (Samples shows what Train feeds the model), and both pages say so
    assert "The same setting as on Train" in [c.value for c in at.caption][-1]
    at.switch_page("mnist49/app/pages/train.py").run()
    assert at.multiselect(key="k_augment").value == ["rotate", "shift"]
    shared = [c.value for c in at.caption if c.value.startswith("The same setting as on Samples")]
    assert shared and "picked there too" in shared[0]
    at.multiselect(key="k_augment").set_value([]).run()
    assert not [c for c in at.caption if c.value.startswith("The same setting")]  # none picked: no word


def test_other_digits_offer_the_download_and_say_where_the_files_go(offline):
    at = open_app()
    at.selectbox(key="k_digits").set_value("3-8").run()
    assert not at.exception
    assert str(offline / "MNIST" / "raw") in at.info[0].value
    assert not at.get("image")  # no digits until the data is there
    at.button(key="download_mnist").click().run()  # the only mirror is a closed port
    assert not at.exception
    assert "The download failed" in at.error[0].value and "press Download MNIST again" in at.error[0].value
    said = at.info[0].value + at.error[0].value
    assert said.count("copy the four") == 1  # the offline instructions once
    assert at.selectbox(key="k_digits").value == "3-8"  # the choice is kept
    shutil.rmtree(offline / "MNIST")  # the empty folder the failed download made
    write_root(offline)  # the learner copies the files and presses the button again, no reload
    at.button(key="download_mnist").click().run()
    assert not at.exception and not at.error and at.selectbox(key="k_digits").value == "3-8"
    assert at.caption[0].value.startswith("The digits the model learns from: 3 vs 8, from MNIST")


def test_a_broken_mnist_file_is_named_not_a_traceback(offline):
    from helpers import write_blocks_root

    raw = write_blocks_root(offline)
    (raw / "t10k-labels-idx1-ubyte").write_bytes(b"broken")
    at = open_app()
    at.selectbox(key="k_digits").set_value("3-8").run()
    assert not at.exception
    assert "t10k-labels-idx1-ubyte" in at.error[0].value and "download again" in at.error[0].value
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.exception and at.button(key="train").disabled  # Train waits for good data


def test_downloading_mnist_in_the_app_shows_the_new_digits(mnist_server):
    at = open_app()
    at.selectbox(key="k_digits").set_value("all").run()
    at.button(key="download_mnist").click().run()
    assert not at.exception and not at.error
    assert "50 of 600 train digits" in at.caption[1].value
    assert len(at.radio(key="k_samples_digit").options) == 11  # all and the ten digits
    at.selectbox(key="k_digits").set_value("3-8").run()
    at.radio(key="k_samples_digit").set_value("8").run()
    assert not at.exception
    at.selectbox(key="k_digits").set_value("4-9").run()  # 8 is not a choice there: back to all
    assert at.radio(key="k_samples_digit").value == "all"
    assert "50 of 11,791 train digits" in at.caption[1].value


def test_in_japanese_the_mean_images_are_captioned_as_page_text():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["k_lang"] = "ja"
    at.session_state["k_augment"] = ["rotate"]
    at.run()
    assert not at.exception
    captions = [img.caption for image in at.get("image") for img in image.proto.imgs]
    assert [c for c in captions if "平均" in c] == ["4 の平均", "9 の平均"]
    assert captions.count("回転") == 9 and "元の画像" in captions


def test_the_picked_digits_live_in_the_link_so_a_reload_keeps_them():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["digits"] = "3,8"  # a reload of the page after 3 vs 8 was picked
    at.run()
    assert not at.exception
    assert at.selectbox(key="k_digits").value == "3-8"
    at.selectbox(key="k_digits").set_value("all").run()
    assert at.query_params["digits"] == "all"
    at.selectbox(key="k_digits").set_value("4-9").run()
    assert "digits" not in at.query_params  # the chapter's pair: a plain link
    bad = AppTest.from_file(APP, default_timeout=60)
    bad.query_params["digits"] = "3,3"
    bad.run()
    assert "the digits '3,3', which are not among the choices" in bad.warning[0].value
    assert bad.selectbox(key="k_digits").value == "4-9" and not bad.exception
