"""The page's link keeps the language: a reload or a shared link comes back in it."""

import pytest
from helpers import APP
from streamlit.testing.v1 import AppTest


def _app(params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(f"mnist49/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_a_link_with_a_language_shows_the_page_in_it():
    at = _app({"lang": "ja"})
    assert at.session_state["k_lang"] == "ja"
    assert at.title[0].value == "サンプル"
    assert not at.warning
    assert at.query_params["lang"] == "ja"


def test_the_chosen_language_goes_into_the_link_and_english_leaves_it():
    at = _app({})
    assert "lang" not in at.query_params
    at.segmented_control[0].set_value("ja").run()
    assert at.query_params["lang"] == "ja"
    at.segmented_control[0].set_value("en").run()
    assert "lang" not in at.query_params


def test_an_unknown_language_in_the_link_is_said_in_both_languages():
    at = _app({"lang": "xx"})
    assert at.session_state["k_lang"] == "en"
    (warning,) = at.warning
    assert "language 'xx', which this app does not have" in warning.value
    assert "リンクの言語「xx」はこのアプリにありません" in warning.value
    assert "lang" not in at.query_params  # the link now says what is shown
    at.run()
    assert not at.warning  # read once


def test_the_train_link_keeps_the_language_and_does_not_call_it_a_setting():
    at = _app({"lang": "ja", "epochs": "7"}, "train")
    assert at.session_state["k_lang"] == "ja"
    assert at.slider(key="k_epochs").value == 7
    assert not at.warning, [w.value for w in at.warning]  # "lang: not a setting" is not said
    assert at.query_params["lang"] == "ja" and at.query_params["epochs"] == "7"
    at.slider(key="k_epochs").set_value(9).run()
    assert at.query_params["lang"] == "ja" and at.query_params["epochs"] == "9"
    (share,) = [p for p in at.get("popover") if len(p.code)]
    assert "lang=ja" in share.code[0].value and "epochs=9" in share.code[0].value


@pytest.mark.parametrize("value", ["https://evil.example/login", "www.evil.example", "[fix](https://x.y)"])
@pytest.mark.parametrize("param", ["lang", "digits"])
def test_a_links_value_that_is_no_plain_word_is_not_repeated(param, value):
    """Markdown makes a link of a bare URL even escaped: the app's own warning would carry it."""
    at = _app({param: value})
    (warning,) = at.warning
    assert "evil" not in warning.value and "x.y" not in warning.value and "…" in warning.value
