"""Start the real app on a free port and drive it in headless Debian Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import write_blocks_root

ROOT = Path(__file__).resolve().parents[2]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    port = _free_port()
    runs_dir = tmp_path_factory.mktemp("runs")
    mnist_dir = tmp_path_factory.mktemp("mnist")  # "full MNIST": ten easy classes, written here
    write_blocks_root(mnist_dir)
    log_path = tmp_path_factory.mktemp("log") / "streamlit.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "streamlit_app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MNIST49_RUNS_DIR": str(runs_dir), "MNIST49_DATA": str(mnist_dir)},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the app did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


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
