"""Start the real app on a free port and drive it in headless Debian Chromium."""

import os
from pathlib import Path

import pytest
from helpers import serve_app, write_blocks_root

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("MNIST49_CHROMIUM", "/usr/bin/chromium")
INSTALL = "install it with: apt-get update && apt-get install -y chromium"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    """Every test in this folder drives a browser: marked e2e, so `pytest -m "not e2e"` skips them."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM} in CI; {INSTALL}")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}; {INSTALL}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # the first page view imports torch: allow for it
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(browser, tmp_path_factory):
    """The app, as a user runs it, with its own runs folder; stopped afterwards in any case."""
    runs_dir = tmp_path_factory.mktemp("runs")
    mnist_dir = tmp_path_factory.mktemp("mnist")  # "full MNIST": ten easy classes, written here
    write_blocks_root(mnist_dir)
    log_path = tmp_path_factory.mktemp("log") / "streamlit.log"
    with serve_app({"MNIST49_RUNS_DIR": str(runs_dir), "MNIST49_DATA": str(mnist_dir)}, log_path) as url:
        yield url


@pytest.fixture
def page(browser, server, request):
    """A fresh browser context (a new user) on the app; screenshot saved when the test ends."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.goto(server)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
