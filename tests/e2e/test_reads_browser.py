"""What the learner reads, at the narrow end of a laptop's width (1000 px) in both languages:
nothing cut off on Train's results, Compare's legend and the toggles; a reload keeps the digits.
Also takes the README's Japanese screenshots (docs/*_ja.png are copies of them)."""

import re

import pytest
from conftest import ARTIFACTS
from helpers import serve_app
from playwright.sync_api import Page, expect
from test_browser import goto, idle, no_exception, stroke

from mnist49.config import Config
from mnist49.runs import record

CANVAS = 280  # pixels: your_digit.CANVAS (a page's module runs its page when imported)
SMALL = Config(train_size=1000, test_size=300, epochs=4, device="cpu")

# Every element under these whose text is wider than its box (cut off, or ended with "…")
CUT = """selector => [...document.querySelectorAll(selector)]
    .flatMap(root => [root, ...root.querySelectorAll('*')])
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .filter(e => (e.innerText || e.textContent).trim())
    .map(e => `${(e.innerText || e.textContent).trim()} (${e.scrollWidth} > ${e.clientWidth} px)`)"""
READ = ", ".join(
    f"[data-testid=stMainBlockContainer] {s}"
    for s in (
        "[data-testid=stMetric]",
        "[data-testid=stWidgetLabel]",
        "[data-testid=stCheckbox]",
        "[data-testid=stButton] button",
    )
)
# How much of an element's width shows: its box cut by every ancestor that clips what overflows
VISIBLE_WIDTH = """e => {
    const up = a => a.parentElement || a.getRootNode().host;  // through a shadow root too
    const box = e.getBoundingClientRect();
    let left = box.left, right = box.right;
    for (let a = up(e); a; a = up(a)) {
        if (getComputedStyle(a).overflowX === 'visible') continue;
        const r = a.getBoundingClientRect();
        left = Math.max(left, r.left); right = Math.min(right, r.right);
    }
    return right - left;
}"""
LEGEND = "[data-testid=stVegaLiteChart] .role-legend-label text"


@pytest.fixture(scope="module")
def app(browser, tmp_path_factory):
    """The app on its own runs folder (two small runs to compare) and without full MNIST, as a
    learner has it before the download."""
    runs_dir = tmp_path_factory.mktemp("reads_runs")
    for lr in (0.004, 0.0004):  # the chapter's rate and a tenth of it: curves apart
        record.train_run(SMALL.replace(lr=lr), runs_dir)
    no_mnist = tmp_path_factory.mktemp("no_mnist")
    log_path = tmp_path_factory.mktemp("reads_log") / "streamlit.log"
    with serve_app({"MNIST49_RUNS_DIR": str(runs_dir), "MNIST49_DATA": str(no_mnist)}, log_path) as url:
        yield url


@pytest.fixture
def narrow(browser, app, request):
    context = browser.new_context(viewport={"width": 1000, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(app)
    expect(page.get_by_role("heading", name="Samples", level=1)).to_be_visible()
    yield page
    shot(page, request.node.name)
    context.close()


def japanese(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_text("日本語").click()
    expect(page.get_by_role("heading", name="サンプル", level=1)).to_be_visible()
    idle(page)


def cut_off(page: Page, selector: str = READ) -> list[str]:
    """The texts cut off under `selector`, once the page has settled: what is still cut after a
    few looks (the columns take their widths a moment after the script has run)."""
    for _ in range(10):
        found = page.evaluate(CUT, selector)
        if not found:
            return []
        page.wait_for_timeout(300)
    return found


def legend_labels(page: Page) -> list[str]:
    return page.evaluate(f"() => [...document.querySelectorAll('{LEGEND}')].map(e => e.textContent)")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_compare_names_its_runs_in_full_in_distinct_colours(narrow: Page, language: str):
    if language == "ja":
        japanese(narrow)
    goto(narrow, "Compare" if language == "en" else "比較")
    idle(narrow)
    chart = narrow.get_by_test_id("stVegaLiteChart")
    expect(chart).to_have_count(1)
    expect(chart.locator(".role-legend-label text").first).to_be_attached()
    labels = legend_labels(narrow)
    runs = [label for label in labels if re.match(r"^[AB] ", label)]
    assert len(runs) == 2 and len(set(runs)) == 2, labels
    assert not any(label.endswith("…") for label in labels), labels  # vega's mark of a cut label
    swatches = narrow.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] .role-legend-symbol path')]"
        ".map(e => getComputedStyle(e).stroke)"
    )
    colours = {s for s in swatches if s.startswith("rgb(")}
    assert len(colours) >= 2, swatches  # two runs, two colours
    cut = cut_off(narrow)
    assert cut == [], "\n".join(cut)
    no_exception(narrow)
    if language == "ja":
        narrow.set_viewport_size({"width": 1400, "height": 1300})
        idle(narrow)
        shot(narrow, "compare_ja")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_samples_reads_in_full_and_a_reload_keeps_the_digits(narrow: Page, language: str):
    if language == "ja":
        japanese(narrow)
        narrow.set_viewport_size({"width": 1400, "height": 1450})  # down to the mean images
        idle(narrow)
        shot(narrow, "samples_ja")
        narrow.set_viewport_size({"width": 1000, "height": 1000})
    idle(narrow)
    cut = cut_off(narrow)
    assert cut == [], "\n".join(cut)
    name = "Digits to tell apart" if language == "en" else "見分ける数字"
    pair = "3 vs 8" if language == "en" else "3 と 8"
    narrow.get_by_role("combobox", name=name).click()
    narrow.keyboard.type(pair)  # the list is long: typed, as a learner looking for a pair would
    narrow.get_by_role("option", name=pair, exact=True).click()
    expect(narrow).to_have_url(re.compile(r"digits=3(,|%2C)8"))
    expect(narrow.get_by_test_id("stAlertContentInfo")).to_be_visible()  # no full MNIST here
    narrow.reload()  # as the info says to, once the files are copied: a new session, same language
    expect(narrow.get_by_role("combobox", name=name)).to_have_value(pair)
    expect(narrow).to_have_url(re.compile(r"digits=3(,|%2C)8"))
    if language == "ja":  # the link keeps the language too
        expect(narrow).to_have_url(re.compile(r"lang=ja"))
    no_exception(narrow)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_train_results_read_in_full_with_the_zoom_toggle(narrow: Page, language: str):
    """A run of three seeds (figures with their sd) on few digits for many epochs, which
    overfits: its results, the toggles and the zoom, nothing cut off at 1000 px."""
    base = re.match(r"https?://[^/]+", narrow.url)[0]
    narrow.goto(f"{base}/train?epochs=40&train_size=300&test_size=300&lr=0.01")
    expect(narrow.get_by_role("heading", name="Train", level=1)).to_be_visible()
    idle(narrow)
    if language == "ja":
        narrow.get_by_test_id("stSidebar").get_by_text("日本語").click()
        expect(narrow.get_by_role("heading", name="学習", level=1)).to_be_visible()
        idle(narrow)
    narrow.get_by_role("button", name="Train" if language == "en" else "学習", exact=True).click()
    zoom = narrow.get_by_test_id("stCheckbox").filter(
        has_text="Zoom in on the lowest test loss" if language == "en" else "最小テスト損失のあたりを拡大"
    )
    expect(zoom).to_be_visible(timeout=300_000)  # shown once the run has ended
    idle(narrow)
    expect(narrow.get_by_test_id("stMetric")).to_have_count(4)
    values = narrow.get_by_test_id("stMetricValue").all_inner_texts()
    assert sum("±" in v for v in values) >= 3, values  # three seeds: figures with their sd
    cut = cut_off(narrow)
    assert cut == [], "\n".join(cut)
    if not zoom.locator("input").is_checked():  # on by itself where the reading overfits
        zoom.click()
        idle(narrow)
    expect(narrow.get_by_test_id("stVegaLiteChart")).to_have_count(2)
    no_exception(narrow)
    if language == "ja":  # the README's: from the run's end to its reading
        narrow.set_viewport_size({"width": 1400, "height": 1700})
        idle(narrow)
        narrow.get_by_test_id("stAlertContentSuccess").first.evaluate("e => e.scrollIntoView()")
        narrow.wait_for_timeout(500)
        narrow.screenshot(path=ARTIFACTS / "train_ja.png")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_sweep_reads_in_full(narrow: Page, language: str):
    if language == "ja":
        japanese(narrow)
    goto(narrow, "Sweep" if language == "en" else "スイープ")
    idle(narrow)
    cut = cut_off(narrow)
    assert cut == [], "\n".join(cut)
    no_exception(narrow)


PAGES = {"Errors": "誤り", "Label check": "ラベル検査", "Inside": "CNNの中", "Your digit": "あなたの数字"}


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_other_pages_read_in_full(narrow: Page, language: str, name: str):
    """Every label, toggle and button of the pages no test above reads (Errors' saliency toggle
    showed "サリエ…" in Japanese)."""
    if language == "ja":
        japanese(narrow)
    goto(narrow, name if language == "en" else PAGES[name])
    idle(narrow)
    cut = cut_off(narrow)
    assert cut == [], "\n".join(cut)
    no_exception(narrow)


def test_your_digit_shows_the_whole_canvas_and_the_answer_below_it(narrow: Page):
    """At 1000 px the drawing box keeps its 280 pixels, and the answer wraps below it."""
    goto(narrow, "Your digit")
    canvas = narrow.locator("canvas.upper-canvas")
    expect(canvas).to_be_visible()
    idle(narrow)
    shown = canvas.evaluate(VISIBLE_WIDTH)
    assert shown >= CANVAS, f"{shown} of the canvas's {CANVAS} pixels are shown"
    stroke(narrow, canvas, [(0.5, 0.2), (0.5, 0.8)])
    answer = narrow.get_by_test_id("stMetric")
    expect(answer).to_contain_text("The model says")
    box = canvas.bounding_box()
    assert answer.bounding_box()["y"] >= box["y"] + box["height"], "the answer is not below the canvas"
    no_exception(narrow)
