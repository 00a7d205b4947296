"""The Train page's Code for a run whose folder name is code: what the browser shows and downloads
parses, keeps the name as a literal, and calls nothing the template does not. Its own server and
runs folder, so that this run does not become the other browser tests' newest."""

import ast
from pathlib import Path

import pytest
from helpers import serve_app
from playwright.sync_api import expect
from test_browser import goto, idle, no_exception

from mnist49.analysis import export
from mnist49.config import Config
from mnist49.runs import record

# A run folder name that would touch `pwned` if the script put it in its docstring unescaped
HOSTILE = 'x""";__import__("os").system("touch pwned");"""'


def calls(tree: ast.AST) -> set[str]:
    """What each call in a script calls, as written (`torch.randperm`, `nn.Linear`, ...)."""
    return {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}


@pytest.fixture(scope="module")
def app(browser, tmp_path_factory):
    """The app on a runs folder holding one finished run, renamed to HOSTILE."""
    runs_dir = tmp_path_factory.mktemp("hostile_runs")
    run, _ = record.train_run(Config(train_size=200, test_size=50, epochs=1, device="cpu"), runs_dir)
    run.path.rename(runs_dir / HOSTILE)
    log_path = tmp_path_factory.mktemp("hostile_log") / "streamlit.log"
    with serve_app({"MNIST49_RUNS_DIR": str(runs_dir)}, log_path) as url:
        yield url


def test_the_code_of_a_run_with_a_hostile_name_holds_no_call_of_its_own(browser, app, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(app)
        goto(page, "Train")
        idle(page)
        page.get_by_text("Code: this run as a training script").click()
        shown = page.get_by_test_id("stExpanderDetails").get_by_test_id("stCode")
        expect(shown).to_contain_text("RUN_NAME")
        shown_text = shown.inner_text()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the script (.py)").click()
        script = Path(download.value.path()).read_text()
        no_exception(page)
    finally:
        page.screenshot(path=tmp_path / "hostile_code.png", full_page=True)
        context.close()

    own = calls(ast.parse(export.script(Config(), "20261129-120000-cnn-abcdef")))
    for text in (script, shown_text):  # as downloaded, and as the page shows it
        tree = ast.parse(text)  # compiles: the name did not end the docstring
        assert calls(tree) <= own  # no call outside the template's own
        assert "system" not in {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        (name,) = [
            n.value.value
            for n in tree.body
            if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "RUN_NAME"
        ]
        assert name == HOSTILE  # kept, as a string literal
