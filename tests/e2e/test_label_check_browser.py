"""The Label check page in headless Chromium: the check, its gallery, and Train without them."""

import re

from playwright.sync_api import Page, expect
from test_browser import goto, idle, no_exception, start_training, wait_finished


def test_label_check_gallery_and_train_without_them(page: Page):
    start_training(page, 2, "train_size=300")
    wait_finished(page, 2)
    goto(page, "Label check")
    expect(page.get_by_text("Not checked yet with these settings.")).to_be_visible()
    page.get_by_role("button", name="Check the train labels").click()
    found = page.get_by_text(re.compile(r"suspect labels among the 300 train digits"))
    expect(found).to_be_visible(timeout=180_000)
    # the gallery: the grid of suspect digits, and the table with each one's figures
    expect(page.get_by_test_id("stImage").first).to_be_visible()
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    expect(page.get_by_text("Each digit: its label >")).to_be_visible()
    idle(page)
    page.get_by_role("button", name="Train without them").first.click()
    expect(page.get_by_text(re.compile(r"Did leaving them out help\?"))).to_be_visible(timeout=180_000)
    expect(page.get_by_text(re.compile(r"the run without them")).first).to_be_visible()
    no_exception(page)
