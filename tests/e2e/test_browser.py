"""The running app in headless Chromium, as a user sees it."""

import re

from playwright.sync_api import Page, expect


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def idle(page: Page) -> None:
    """Until no script run is in progress (a click during one can be lost in the rerun)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def goto(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def open_link(page: Page, query: str) -> None:
    """Open the Train page from a link that carries settings, as a shared link does."""
    base = re.match(r"https?://[^/]+", page.url)[0]
    page.goto(f"{base}/train?{query}")
    expect(page.get_by_role("heading", name="Train", level=1)).to_be_visible()
    idle(page)


def start_training(page: Page, epochs: int, query: str = "") -> None:
    """Open Train from a link with `epochs` (and the settings in `query`), press Train."""
    open_link(page, f"epochs={epochs}{query and '&' + query}")
    expect(page.get_by_role("slider", name="Epochs")).to_have_value(str(epochs))
    train = page.get_by_role("button", name="Train", exact=True)
    expect(train).to_be_enabled()
    train.click()
    # started: this run's progress, or (for a short run) its end, is on the page
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMainBlockContainer] "
        "[data-testid=stProgress], [data-testid=stAlertContentSuccess]')]"
        ".some(e => e.innerText.includes(`of ${n} epochs`) || e.innerText.includes(`of ${n},`)"
        " || new RegExp(`epoch \\d+ of ${n}`).test(e.innerText))",
        arg=epochs,
        # a run that finds no warm spare worker (the second of two at once) starts one: torch's
        # import alone takes many seconds on a loaded machine
        timeout=90_000,
    )


def main_progress(page: Page):
    return page.get_by_test_id("stMainBlockContainer").get_by_test_id("stProgress")


def wait_finished(page: Page, epochs: int) -> None:
    """Until the run has ended and the page has rerun (Train is enabled again)."""
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"Finished after {epochs} of {epochs} epochs", timeout=60_000
    )
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
    idle(page)


def test_samples_grid_and_digit_filter(page: Page):
    expect(page.get_by_role("heading", name="Samples", level=1)).to_be_visible()
    caption = page.get_by_text(re.compile(r"\d+ of [\d,]+ train digits"))
    expect(caption).to_contain_text("50 of 11,791 train digits")
    grid = page.get_by_test_id("stImage").first.locator("img").first
    expect(grid).to_be_visible()
    before = grid.get_attribute("src")
    page.get_by_test_id("stRadio").filter(has_text="Digit").get_by_text("9", exact=True).click()
    expect(caption).to_contain_text("50 of 5,949 train digits")
    expect(grid).not_to_have_attribute("src", before)
    box = grid.bounding_box()
    assert box["width"] > 28 * 10 * 2  # digits drawn large: 10 a row, scaled up
    no_exception(page)


def test_train_three_epochs_live(page: Page):
    start_training(page, 3)
    chart = page.get_by_test_id("stVegaLiteChart")
    expect(chart).to_be_visible(timeout=10_000)  # appears without a reload
    wait_finished(page, 3)
    # three seeds by default: a band around each mean curve, and how far the seeds are apart
    expect(page.get_by_text(re.compile(r"The 3 seeds differ by up to [\d.]+ points"))).to_be_visible()
    marks = "[...document.querySelectorAll('[data-testid=stVegaLiteChart] .marks')].length"
    assert page.evaluate(f"() => {marks}") == 1
    expect(page.get_by_test_id("stMetric")).to_have_count(4)
    expect(
        page.get_by_text(re.compile("^(Still learning|Overfitting from epoch|Test accuracy is)"))
    ).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").last).to_be_visible()
    expect(page.get_by_role("combobox", name="Download the files of")).to_have_value(
        re.compile(r"\(4 vs 9, Finished, 3 epochs")
    )
    no_exception(page)


def test_the_next_run_reuses_the_chart(page: Page):
    """A new run's points go into the chart already on the page: the browser does not build the
    chart anew when a run starts or ends (that cost the run 0.1 s of CPU, twice)."""
    start_training(page, 3)
    wait_finished(page, 3)
    newest = page.get_by_role("combobox", name="Download the files of")
    first = newest.input_value()
    marks = "document.querySelector('[data-testid=stVegaLiteChart] .marks')"
    page.evaluate(f"() => {{ {marks}.dataset.kept = 'yes' }}")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(newest).not_to_have_value(first, timeout=60_000)
    wait_finished(page, 3)
    assert page.evaluate(f"() => {marks}.dataset.kept") == "yes"
    no_exception(page)


def test_stop_a_long_run(page: Page):
    start_training(page, 300)
    expect(main_progress(page)).to_be_visible(timeout=10_000)
    page.wait_for_function("() => /epoch [2-9]\\d* of 300/.test(document.body.innerText)", timeout=20_000)
    page.get_by_role("button", name="Stop").click()
    stopped = page.get_by_test_id("stAlertContentSuccess")
    # the worker ends the batch and saves the seeds' files, then the page reruns: slow on a loaded machine
    expect(stopped).to_contain_text(re.compile(r"Stopped after \d+ of 300 epochs"), timeout=30_000)
    done = int(re.search(r"after (\d+) of 300", stopped.inner_text()).group(1))
    assert 2 <= done < 300
    # the curves stay; a second chart (the zoom) joins them where the reading says overfitting
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    no_exception(page)


def test_switch_pages_during_a_run(page: Page):
    start_training(page, 300)  # still running at the Stop below (40 epochs could end before it)
    expect(main_progress(page)).to_be_visible(timeout=10_000)
    goto(page, "Samples")
    badge = page.get_by_test_id("stSidebar").get_by_text(re.compile("Training: epoch|Last run"))
    expect(badge).to_be_visible()
    first = badge.inner_text()
    if first.startswith("Training"):
        expect(badge).not_to_have_text(first)  # the badge follows the run from Samples
    goto(page, "Train")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=10_000)
    expect(page.get_by_text(re.compile(r"(Running\*?\*?: epoch|Finished)")).first).to_be_visible()
    page.get_by_role("button", name="Stop").click()
    # stopped, not left training beside the next tests on the same server
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Stopped after", timeout=30_000)
    no_exception(page)


def test_two_users_train_at_once(browser, server):
    pages = []
    for epochs in (4, 6):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        p = context.new_page()
        p.set_default_timeout(20_000)
        p.goto(server)
        start_training(p, epochs)
        pages.append((p, epochs))
    for p, epochs in pages:
        wait_finished(p, epochs)
    for p, epochs in pages:
        other = 10 - epochs
        expect(p.get_by_text(f"of {other} epochs")).to_have_count(0)
        no_exception(p)
        p.context.close()


def test_errors_page_for_a_finished_run(page: Page):
    start_training(page, 3)
    wait_finished(page, 3)
    goto(page, "Errors")
    count = page.get_by_text(re.compile(r"errors? out of 500 test digits"))
    expect(count).to_be_visible()
    # a run of 3 seeds opens pooled: what the split of its errors means, in one sentence
    expect(page.get_by_text(re.compile(r"Wrong in every seed: "))).to_be_visible()
    expect(count).to_contain_text("pooled over 3 seeds")
    expect(page.get_by_text("One digit across the epochs")).to_be_visible()
    # the confusion matrix, the p(9) histogram, one digit's p(9) across the epochs
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(3)
    expect(page.get_by_test_id("stImage").first).to_be_visible()  # the Digit box's digit
    gallery = page.get_by_test_id("stHtml").locator("figure img")
    expect(gallery.first).to_be_visible()  # the gallery: each digit drawn, its caption as text
    assert gallery.first.evaluate("i => i.complete && i.naturalWidth") == 28
    assert gallery.first.bounding_box()["width"] == 84
    before = count.inner_text()
    slider = page.get_by_role("slider", name="Threshold on p(9)")
    slider.focus()
    for _ in range(45):  # 0.50 -> 0.95
        slider.press("ArrowRight")
    expect(count).not_to_have_text(before, timeout=10_000)
    no_exception(page)


def test_all_ten_digits_from_samples_to_errors(page: Page):
    digits = page.get_by_test_id("stSelectbox").filter(has_text="Digits to tell apart")
    digits.click()
    page.get_by_role("option", name="all ten digits (0-9)").click()
    caption = page.get_by_text(re.compile(r"\d+ of [\d,]+ train digits"))
    expect(caption).to_contain_text("50 of 600 train digits")  # the server's own "full MNIST"
    idle(page)
    goto(page, "Train")
    expect(page.get_by_role("combobox", name="Digits to tell apart")).to_have_value(
        "all ten digits (0-9)"
    )  # the same setting on both pages
    start_training(page, 2, "digits=all")  # a link opens a new session: it says the digits too
    wait_finished(page, 2)
    goto(page, "Errors")
    expect(page.get_by_text(re.compile(r"errors out of 200 test digits"))).to_be_visible()
    expect(page.get_by_text("the model's answer is its most likely digit")).to_be_visible()
    expect(page.get_by_role("slider", name=re.compile("Threshold"))).to_have_count(0)
    no_exception(page)


def test_compare_two_runs(page: Page):
    for epochs in (2, 3):
        start_training(page, epochs)
        wait_finished(page, epochs)
    goto(page, "Compare")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_text("Settings that differ")).to_be_visible()
    expect(page.get_by_text("Digits one run gets right and the other wrong")).to_be_visible()
    # whether the difference is real: accuracy and loss against the seeds' noise, and the digits
    expect(page.get_by_text("Is the difference real?")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^B is [\d.]+ points (more|less) accurate than A"))).to_be_visible()
    no_exception(page)


def test_inside_the_cnn(page: Page):
    start_training(page, 2)
    wait_finished(page, 2)
    goto(page, "Inside")
    expect(page.get_by_text("conv 1 (Conv2d)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"pool 3 .* 16x1x1"))).to_be_visible()
    expect(page.get_by_text("Learned kernels")).to_be_visible()
    assert page.get_by_test_id("stImage").count() >= 10  # saliency, 9 stages, kernels
    no_exception(page)


def test_try_this_fills_in_the_settings(page: Page):
    start_training(page, 3)
    wait_finished(page, 3)
    remedy = page.get_by_role("button", name=re.compile(r"(More|Lower|Higher|Back|Weight|Dropout)"))
    expect(remedy.first).to_be_visible()
    remedy.first.click()
    expect(page.get_by_text("Press Train to run the experiment")).to_be_visible()
    no_exception(page)


def test_japanese_switch(page: Page):
    page.get_by_test_id("stSidebar").get_by_text("日本語").click()
    expect(page.get_by_role("heading", name="サンプル", level=1)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="学習")).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="学習").click()
    expect(page.get_by_role("button", name="学習", exact=True)).to_be_visible()
    no_exception(page)


def test_a_shared_link_opens_with_its_settings(page: Page):
    open_link(page, "lr=0.01&dropout=0.2")
    expect(page.get_by_role("slider", name="Learning rate")).to_have_attribute("aria-valuetext", "0.01")
    expect(page.get_by_role("slider", name="Dropout")).to_have_attribute(
        "aria-valuetext", re.compile(r"^0\.20?$")
    )
    page.get_by_role("button", name="Share").click()
    link = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode").first  # not a run's Code
    expect(link).to_contain_text("lr=0.01")
    expect(link).to_contain_text("dropout=0.2")
    # the link a learner copies opens the same settings in a new browser
    other = page.context.browser.new_context().new_page()
    other.goto(link.inner_text().strip())
    expect(other.get_by_role("slider", name="Dropout")).to_have_attribute(
        "aria-valuetext", re.compile(r"^0\.20?$"), timeout=30_000
    )
    other.context.close()


def stroke(page: Page, canvas, points: list[tuple[float, float]]) -> None:
    """One pen stroke through `points`, given as fractions of the canvas's width and height."""
    box = canvas.bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for (x0, y0), (x1, y1) in zip(xy, xy[1:], strict=False):
        page.mouse.move(x1, y1, steps=max(2, int(abs(x1 - x0) + abs(y1 - y0)) // 8))
    page.mouse.up()


def test_draw_a_digit_and_clear_it(page: Page):
    start_training(page, 2)
    wait_finished(page, 2)
    goto(page, "Your digit")
    empty = page.get_by_text("The box is empty")
    expect(empty).to_be_visible()
    canvas = page.locator("canvas.upper-canvas")
    expect(canvas).to_be_visible()
    stroke(page, canvas, [(0.35, 0.2), (0.3, 0.55), (0.7, 0.55)])  # a 4: the open left side...
    answer = page.get_by_test_id("stMetric")
    expect(answer).to_contain_text("The model says")
    expect(empty).to_have_count(0)
    idle(page)
    stroke(page, canvas, [(0.6, 0.25), (0.6, 0.85)])  # ...and its stem
    expect(answer).to_contain_text("The model says")
    sees = page.get_by_test_id("stColumn").filter(has_text="What the model sees").last
    preview = sees.get_by_test_id("stImage").locator("img")
    expect(preview).to_be_visible()
    width, height = preview.evaluate("i => [i.naturalWidth, i.naturalHeight]")
    assert width == height >= 28 * 6  # the 28x28 digit, drawn six times as large
    expect(page.get_by_text("training digits nearest to it")).to_be_visible()
    idle(page)
    page.get_by_title("Reset canvas & history").click()
    expect(empty).to_be_visible()
    expect(answer).to_have_count(0)
    no_exception(page)


def test_a_three_value_sweep_draws_its_knob_chart(page: Page):
    # the base: the Train page's settings from a link, short; then the sweep over three rates
    open_link(page, "epochs=3&train_size=500&test_size=200&seeds=2")
    goto(page, "Sweep")
    expect(page.get_by_text("--epochs 3")).to_be_visible()
    values = page.get_by_role("textbox", name="Values (comma-separated)")
    values.fill("0.001, 0.004, 0.02")
    values.press("Enter")
    expect(page.get_by_text("3 values × 2 seeds = 6 runs; all values train together.")).to_be_visible()
    idle(page)
    page.get_by_role("button", name="Train sweep").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Sweep: Finished", timeout=90_000)
    idle(page)
    expect(page.get_by_text(re.compile(r"Best learning rate: (0\.001|0\.004|0\.02)"))).to_be_visible()
    # the knob chart drawn: its two panels, titled, side by side
    for title in ("final test accuracy", "lowest test loss"):
        chart = page.get_by_test_id("stVegaLiteChart").filter(has_text=title).last
        expect(chart.locator(".marks")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Use learning rate = "))).to_be_visible()
    no_exception(page)


def test_the_results_figures_fit_one_row_at_1400_px(page: Page):
    """The four figures of an ended run stand in one row in the page's 1400 px: none wraps alone."""
    start_training(page, 3)
    wait_finished(page, 3)
    metrics = page.locator("[data-testid=stMainBlockContainer] [data-testid=stMetric]")
    expect(metrics).to_have_count(4)
    tops = {round(metrics.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1, tops
