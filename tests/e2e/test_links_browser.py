"""Links as a learner shares them: the language kept on reload, an unknown page said in words."""

import re

from playwright.sync_api import Page, expect
from test_browser import goto, idle, no_exception


def base(page: Page) -> str:
    return re.match(r"https?://[^/]+", page.url)[0]


def test_the_language_stays_in_the_link_across_pages_and_a_reload(page: Page):
    idle(page)
    page.get_by_test_id("stSidebar").get_by_text("日本語").click()
    expect(page.get_by_role("heading", name="サンプル", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?lang=ja$"))
    idle(page)
    goto(page, "学習")
    expect(page).to_have_url(re.compile(r"/train\?(.*&)?lang=ja"))
    idle(page)
    page.reload()
    expect(page.get_by_role("heading", name="学習", level=1)).to_be_visible()
    no_exception(page)


def _close_streamlit_notice(page: Page) -> None:
    """Streamlit's own notice (a modal, in English only): closed, as a learner would."""
    dialog = page.get_by_role("dialog")
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)


def test_an_unknown_page_is_said_and_the_page_shown_named(page: Page):
    page.goto(f"{base(page)}/nosuchpage")
    expect(page.get_by_role("heading", name="Samples", level=1)).to_be_visible()
    _close_streamlit_notice(page)
    said = page.get_by_test_id("stAlertContentWarning").filter(has_text="nosuchpage")
    expect(said).to_contain_text("There is no page 'nosuchpage' in this app")
    expect(said).to_contain_text("Samples is shown instead")
    no_exception(page)


def test_an_unknown_page_is_said_in_japanese_on_a_japanese_link(page: Page):
    page.goto(f"{base(page)}/nosuchpage?lang=ja")
    expect(page.get_by_role("heading", name="サンプル", level=1)).to_be_visible()
    _close_streamlit_notice(page)
    said = page.get_by_test_id("stAlertContentWarning").filter(has_text="nosuchpage")
    expect(said).to_contain_text("ページ「nosuchpage」はこのアプリにありません")
    expect(said).to_contain_text("サンプル を表示しています")


def test_a_known_page_and_the_root_say_nothing_of_it(page: Page):
    for path in ("", "/samples", "/train"):
        page.goto(f"{base(page)}{path}")
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        idle(page)
        _close_streamlit_notice(page)
        expect(page.get_by_text("There is no page")).to_have_count(0)
