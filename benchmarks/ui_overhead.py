"""What the live UI costs: the same run through the app (watched in Chromium) and the CLI.

    uv run python benchmarks/ui_overhead.py [--epochs 40] [--repeats 2]

Starts the app on a free port, trains the recipe from the Train page while the chart redraws,
then trains it with `mnist49 train` in a subprocess, alternating; prints the training seconds of
each (the sum of epoch times in history.csv) and their ratio. While the app trains, the
benchmark waits on the run's status.json, not on the page: polling the page would load the
browser it measures. One more run first measures the time from clicking Train to the first
point of the curve, polling the page every 50 ms.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from mnist49 import runs

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newest_seconds(runs_dir: Path) -> float:
    found, _ = runs.list_runs(runs_dir)
    return float(found[0].history["seconds"].sum())


def wait_for_run(runs_dir: Path, count: int, timeout: float = 300) -> None:
    """Until `count` runs in `runs_dir` have ended, reading only their status.json files."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        statuses = [json.loads(p.read_text())["status"] for p in runs_dir.glob("*/status.json")]
        if len(statuses) >= count and "running" not in statuses:
            return
        time.sleep(0.25)
    raise TimeoutError(f"no run ended in {runs_dir} within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    app_dir, cli_dir = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    port = free_port()
    server = subprocess.Popen(
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MNIST49_RUNS_DIR": str(app_dir)},
    )
    app, cli, first_point = [], [], 0.0
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/train")
            expect(page.get_by_role("heading", name="Train", level=1)).to_be_visible(timeout=30_000)
            page.get_by_label("Epochs", exact=True).fill(str(args.epochs))
            page.get_by_label("Epochs", exact=True).press("Enter")
            page.wait_for_timeout(5000)  # the app's first worker warms up (worker.warm_up)
            train = page.get_by_role("button", name="Train", exact=True)
            finished = page.get_by_test_id("stAlertContentSuccess")
            train.click()
            start = time.perf_counter()
            # the progress text and the first point are drawn by the same poll
            page.wait_for_function(
                "() => /Running.*epoch [1-9]\\d* of/.test(document.querySelector("
                "'[data-testid=stMainBlockContainer] [data-testid=stProgress]')?.innerText)",
                timeout=30_000,
                polling=50,
            )
            first_point = time.perf_counter() - start
            wait_for_run(app_dir, 1)
            expect(finished).to_contain_text("Finished", timeout=30_000)
            time.sleep(3)  # the app starts its next spare worker now: let it settle first
            for i in range(args.repeats):
                train.click()
                wait_for_run(app_dir, i + 2)
                app.append(newest_seconds(app_dir))
                expect(finished).to_contain_text("Finished", timeout=30_000)
                time.sleep(3)
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "mnist49",
                        "train",
                        "--epochs",
                        str(args.epochs),
                        "--runs-dir",
                        str(cli_dir),
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    cwd=ROOT,
                )
                cli.append(newest_seconds(cli_dir))
            browser.close()
    finally:
        server.terminate()
    a, c = statistics.median(app), statistics.median(cli)
    # Each app run is followed by a CLI run: the ratio of each such pair cancels the machine's
    # slow spells, which here stretch a run by up to half for a minute at a time.
    pairs = sorted(x / y for x, y in zip(app, cli, strict=True))
    print(f"{args.repeats} x {args.epochs} epochs of the default recipe, training seconds")
    print(
        f"app, watched live : median {a:.2f} s, fastest {min(app):.2f}  "
        f"({', '.join(f'{s:.2f}' for s in app)})"
    )
    print(
        f"CLI               : median {c:.2f} s, fastest {min(cli):.2f}  "
        f"({', '.join(f'{s:.2f}' for s in cli)})"
    )
    print(
        f"app / CLI         : {statistics.median(pairs):.3f} (median of the pairs; "
        f"{' '.join(f'{p:.2f}' for p in pairs)}), fastest / fastest {min(app) / min(cli):.3f}"
    )
    print(f"Train click -> first point: {first_point:.2f} s")


if __name__ == "__main__":
    main()
