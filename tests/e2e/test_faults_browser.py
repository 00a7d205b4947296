"""Every page in headless Chromium with a diverged run and then a run with garbage weights
selected: words on the page, never a traceback. Its own server and runs folder, so that these
runs do not become the other browser tests' newest."""

import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import serve_app
from playwright.sync_api import Page, expect
from test_browser import goto, idle, no_exception

from mnist49 import data
from mnist49.config import Config
from mnist49.runs import record
from mnist49.training import train

SMALL = Config(train_size=300, test_size=100, epochs=2, device="cpu")
PAGES = ["Samples", "Train", "Errors", "Compare", "Inside", "Your digit"]


def diverged_run(runs_dir: Path, monkeypatch) -> None:
    """A run whose loss turns infinite in its third epoch (as SGD at lr 10 does, but at once)."""
    measure, calls = train.measure, []

    def blows_up_in_epoch_3(model, x, y):
        calls.append(1)
        loss, accuracy, logits = measure(model, x, y)
        return (float("inf") if len(calls) == 3 else loss), accuracy, logits

    with monkeypatch.context() as m:
        m.setattr(train, "measure", blows_up_in_epoch_3)
        run, _ = record.train_run(SMALL.replace(epochs=5, seed=1), runs_dir)
    assert run.status == "diverged" and len(run.history) == 2


@pytest.fixture(scope="module")
def app(browser, tmp_path_factory):
    """The app on its own runs folder: a good run and a newer diverged one."""
    runs_dir = tmp_path_factory.mktemp("fault_runs")
    record.train_run(SMALL, runs_dir)
    with pytest.MonkeyPatch.context() as monkeypatch:
        diverged_run(runs_dir, monkeypatch)
    log_path = tmp_path_factory.mktemp("fault_log") / "streamlit.log"
    with serve_app({"MNIST49_RUNS_DIR": str(runs_dir)}, log_path) as url:
        yield url, runs_dir


def a_digit_png(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "four.png"
    buffer = io.BytesIO()
    Image.fromarray(255 - data.load().test.images[0].numpy()).resize((160, 160)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def visit_every_page(page: Page, upload: Path) -> list[str]:
    """Open each page (uploading a digit on Your digit, saliency on in Errors); the errors shown."""
    said = []
    for title in PAGES:
        goto(page, title)
        idle(page)
        if title == "Your digit":
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
            expect(
                page.get_by_test_id("stMetric").or_(page.get_by_test_id("stAlertContentError"))
            ).to_be_visible()
        if title == "Errors":
            page.get_by_text("Saliency", exact=True).click()
        idle(page)
        no_exception(page)
        said += [f"{title}: {e}" for e in page.get_by_test_id("stAlertContentError").all_inner_texts()]
    return said


def _config_value(folder: Path, key: str, value: str) -> None:
    config = json.loads((folder / "config.json").read_text())
    config[key] = "@"
    (folder / "config.json").write_text(json.dumps(config).replace('"@"', value))


def _history(folder: Path, change) -> None:
    (folder / "history.csv").write_text(change((folder / "history.csv").read_text()))


# issue 22: files damaged one way each, and the words the runs list then says about them
DAMAGED_FILES = {
    "cell": lambda f: _history(f, lambda s: s.replace("\n2,", "\n2x,", 1)),
    "truncated": lambda f: _history(f, lambda s: s.rstrip("\n").rsplit(",", 2)[0]),
    "seed": lambda f: _config_value(f, "seed", '"x"'),
    "float_channels": lambda f: _config_value(f, "channels", "[4.0, 8.0, 16.0]"),
    "infinite_channels": lambda f: _config_value(f, "channels", "[Infinity, 8, 16]"),
}
SAID = {
    "cell": "'2x' is not a finite number",
    "truncated": "is cut short (a write that never finished) and left out",
    "seed": "seed must be a whole number, got 'x'",
    "float_channels": "channels must be a list of whole numbers, got (4.0, 8.0, 16.0)",
    "infinite_channels": "channels must be a list of whole numbers, got (inf, 8, 16)",
}


def test_every_page_with_a_diverged_then_a_damaged_run_selected(browser, app, tmp_path):
    url, runs_dir = app
    upload = a_digit_png(tmp_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(url)
        assert visit_every_page(page, upload) == []  # the diverged run kept finite weights

        # a newer run whose weights are garbage: preselected on every page from now on
        newest = sorted(runs_dir.iterdir())[-1]
        damaged = runs_dir / ("99999999-" + newest.name)
        shutil.copytree(newest, damaged)
        (damaged / "weights.pt").write_bytes(b"\x00garbage")
        page.reload()
        visit_every_page(page, upload)  # no traceback on any page; Errors' saliency now on
        for title in ("Errors", "Inside", "Your digit"):  # and where the weights are needed, words
            goto(page, title)
            idle(page)
            if title == "Your digit":
                page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
            said = page.get_by_test_id("stAlertContentError").filter(has_text="This run cannot be shown")
            expect(said.filter(has_text="weights.pt")).to_be_visible()
            no_exception(page)

        # damaged files beside them: each one run unreadable (or, cut short, read with a note)
        for name, damage in DAMAGED_FILES.items():
            folder = runs_dir / f"00000000-{name}"
            shutil.copytree(newest, folder)
            damage(folder)
        page.reload()
        visit_every_page(page, upload)  # still no traceback on any page
        goto(page, "Train")
        idle(page)
        page.get_by_text("run folder(s) could not be read").click()
        page.get_by_text("read with a part left out").click()
        shown = "\n".join(page.get_by_test_id("stText").all_inner_texts())
        for words in SAID.values():
            assert words in shown, (words, shown)
        no_exception(page)
    finally:
        page.screenshot(path=tmp_path / "faults.png", full_page=True)
        context.close()
