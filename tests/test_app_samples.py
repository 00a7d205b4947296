from helpers import open_app


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
    at.switch_page("mnist49/app/train.py").run()
    at.switch_page("mnist49/app/samples.py").run()
    assert at.slider(key="k_samples_count").value == 30


def test_augmented_versions_of_a_digit_and_the_setting_is_shared_with_train():
    at = open_app()
    at.multiselect(key="k_augment").set_value(["rotate", "shift"]).run()
    assert not at.exception
    assert len(at.get("image")) == 3  # grid, means, and the ten augmented versions
    at.switch_page("mnist49/app/train.py").run()
    assert at.multiselect(key="k_augment").value == ["rotate", "shift"]
