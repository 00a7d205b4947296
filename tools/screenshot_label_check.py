"""docs/label_check.png: the Label check page of a recipe run, as README shows it.

uv run python tools/screenshot_label_check.py [--epochs 10] [--out docs/label_check.png]

Trains a 3-seed run of the recipe through the CLI into a fresh runs folder, serves the app on it,
checks the run's train labels in headless Chromium (/usr/bin/chromium) and takes the gallery.
"""

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from helpers import serve_app  # noqa: E402

from mnist49.cli import main as cli  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "label_check.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as runs_dir:
        with contextlib.redirect_stdout(sys.stderr):
            cli(["train", "--epochs", str(args.epochs), "--seeds", "3", "--runs-dir", runs_dir])
        log = Path(runs_dir) / "streamlit.log"
        with serve_app({"MNIST49_RUNS_DIR": runs_dir}, log) as url, sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/label_check")
            page.get_by_role("button", name="Check the train labels").click()
            expect(page.get_by_text("suspect labels among")).to_be_visible(timeout=600_000)
            page.get_by_text("suspect labels among").scroll_into_view_if_needed()
            page.wait_for_timeout(1500)  # the images and the table drawn
            page.screenshot(path=args.out)
            browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
