"""Links as a learner shares them: the language kept on reload, an unknown page said in words."""

import re

import pytest
from conftest import ARTIFACTS
from playwright.sync_api import Page, expect
from test_browser import goto, idle, no_exception, start_training, wait_finished


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


@pytest.mark.parametrize(
    ("query", "title", "said"),
    [
        ("", "Samples", "The link's address names no page of this app: Samples is shown instead"),
        ("?lang=ja", "サンプル", "ページはこのアプリにありません。代わりにサンプルを表示しています"),
    ],
    ids=["en", "ja"],  # the screenshot's file name
)
def test_an_unknown_page_is_said_in_the_pages_language(page: Page, query: str, title: str, said: str):
    page.goto(f"{base(page)}/nosuchpage{query}")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    _close_streamlit_notice(page)
    expect(page.get_by_test_id("stAlertContentWarning").filter(has_text=said)).to_have_count(1)
    no_exception(page)


def test_a_known_page_and_the_root_say_nothing_of_it(page: Page):
    for path in ("", "/samples", "/train"):
        page.goto(f"{base(page)}{path}")
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        idle(page)
        _close_streamlit_notice(page)
        expect(page.get_by_text("names no page")).to_have_count(0)


# What may stay in Latin letters in the Japanese uploader: the units and the file types
NAMES = {"B", "MB", "KB", "PNG", "JPG", "JPEG", "four", "png"}  # four.png: the uploaded file's name
PSEUDO = """e => [e, ...e.querySelectorAll('*')]
    .map(x => getComputedStyle(x, '::after').content)
    .filter(c => c && c !== 'none' && c !== 'normal')"""
FITS = "e => e.scrollWidth <= e.clientWidth + 1"
# the words shown: visible text, less the icons' (a Material icon is a word drawn as a picture)
# and a screen reader's (clipped to a pixel: "add icon")
SHOWN = """e => { const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT), out = [];
    while (w.nextNode()) { const p = w.currentNode.parentElement, r = p.getBoundingClientRect();
        if (!p.closest('[data-testid=stIconMaterial]') && p.checkVisibility() && r.width > 1 && r.height > 1)
            out.push(w.currentNode.data) }
    return out.join(' ') }"""


def test_the_uploader_speaks_japanese_on_the_japanese_page(page: Page, tmp_path):
    """Streamlit's uploader words (its button, its limit) are in Japanese on the Japanese Your
    digit page, whole, at 1000 and 1400 px; before and after a picture is uploaded."""
    from PIL import Image

    start_training(page, 2)
    wait_finished(page, 2)
    picture = tmp_path / "four.png"
    Image.new("L", (28, 28), 255).save(picture)
    for width in (1000, 1400):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"{base(page)}/your_digit?lang=ja")
        uploader = page.get_by_test_id("stFileUploader")
        expect(uploader).to_be_visible()
        idle(page)
        for uploaded in (False, True):
            if uploaded:
                page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(picture)
                expect(uploader).to_contain_text("four.png")
                idle(page)
            english = set(re.findall(r"[A-Za-z]+", uploader.evaluate(SHOWN))) - NAMES
            assert not english, f"{width} px: English left in the uploader: {english}"
            if uploaded:  # the file's chip (its name and size) in place of the button and limit
                continue
            ARTIFACTS.mkdir(exist_ok=True)
            uploader.screenshot(path=ARTIFACTS / f"uploader_ja_{width}.png")
            drawn = uploader.evaluate(PSEUDO)
            assert '"アップロード"' in drawn and any("200MB まで • PNG, JPG, JPEG" in c for c in drawn), drawn
            button = uploader.get_by_test_id("stBaseButton-secondary")
            instructions = uploader.get_by_test_id("stFileUploaderDropzoneInstructions")
            assert button.evaluate(FITS) and instructions.evaluate(FITS), f"{width} px: words cut off"
            zone = uploader.get_by_test_id("stFileUploaderDropzone").bounding_box()
            for part in (button.bounding_box(), instructions.bounding_box()):
                assert part["width"] > 20 and part["x"] + part["width"] <= zone["x"] + zone["width"] + 1
    no_exception(page)
