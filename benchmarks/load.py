"""The app under load: many browser sessions press Train at once on one server.

    uv run python benchmarks/load.py [--sessions 10] [--epochs 100]

Starts the app on a free port with a fresh runs folder, opens `--sessions` browser sessions on
the Train page, each with its own seed, and presses Train in each within about a second. Past
the server's limit (MNIST49_MAX_JOBS, 3) the runs queue. While they train, one more session
switches between Samples and Train and times each switch (click to the page's heading). When
every run has ended it prints:

- runs finished (target: all), and runs crossed (target 0): a session whose page shows the final
  accuracy of a run other than its own (its own is the run folder with its seed);
- page-switch seconds under load, median and max (target: median <= 1 s);
- the resident memory (RSS, from /proc) of the server and of its worker processes: idle, at
  most during the runs, and after.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(server: int) -> tuple[float, float]:
    """RSS in MB of the server and of all its child processes (the workers) together."""
    children = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server:  # the parent pid
            children += rss_mb(int(stat.parent.name))
    return rss_mb(server), children


def ended(runs_dir: Path) -> list[str]:
    """The statuses of the run folders that have ended."""
    found = []
    for path in runs_dir.glob("*/status.json"):
        try:
            status = json.loads(path.read_text())["status"]
        except (OSError, ValueError, KeyError):
            continue
        if status != "running":
            found.append(status)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    runs_dir = Path(tempfile.mkdtemp())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true"]
        + ["--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MNIST49_RUNS_DIR": str(runs_dir)},
    )
    peak = [0.0, 0.0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.5):
            now = memory(server.pid)
            peak[0], peak[1] = max(peak[0], now[0]), max(peak[1], now[1])

    switches: list[float] = []
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            )
            pages = []
            for i in range(args.sessions):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.set_default_timeout(120_000)
                page.goto(f"{url}/train")
                expect(page.get_by_role("heading", name="Train", level=1)).to_be_visible()
                for label, value in (("Epochs", args.epochs), ("Seed", i)):
                    box = page.get_by_label(label, exact=True)
                    box.fill(str(value))
                    box.press("Enter")
                    expect(box).to_have_value(str(value))
                    box.blur()
                pages.append(page)
            time.sleep(10)  # the reruns settle, the spare worker warms up
            idle = memory(server.pid)
            threading.Thread(target=sample, daemon=True).start()
            start = time.monotonic()
            for page in pages:
                page.get_by_role("button", name="Train", exact=True).click(no_wait_after=True)
            pressed = time.monotonic() - start

            watcher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            watcher.set_default_timeout(120_000)
            watcher.goto(url)
            expect(watcher.get_by_role("heading", name="Samples", level=1)).to_be_visible()
            deadline = time.monotonic() + args.timeout
            while len(ended(runs_dir)) < args.sessions and time.monotonic() < deadline:
                for title in ("Train", "Samples"):
                    begin = time.perf_counter()
                    watcher.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
                    expect(watcher.get_by_role("heading", name=title, level=1)).to_be_visible()
                    switches.append(time.perf_counter() - begin)
                    time.sleep(1)
            took = time.monotonic() - start
            sampling.set()
            time.sleep(5)  # the workers of ended runs exit; the next spare starts
            after = memory(server.pid)

            found, _ = runs.list_runs(runs_dir)
            by_seed = {r.config.seed: r for r in found}
            finished = sum(r.status == "finished" and len(r.history) == args.epochs for r in found)
            crossed = 0
            for seed, page in enumerate(pages):
                run = by_seed.get(seed)
                metric = page.get_by_test_id("stMetric").filter(has_text="Final test accuracy")
                expect(metric).to_be_visible(timeout=60_000)
                shown = metric.get_by_test_id("stMetricValue").inner_text().strip()
                own = f"{run.history.test_accuracy.iloc[-1]:.1%}" if run is not None else None
                others = {f"{r.history.test_accuracy.iloc[-1]:.1%}" for s, r in by_seed.items() if s != seed}
                # crossed: the page shows another run's figure and not its own
                crossed += shown != own and shown in others
            browser.close()
    finally:
        sampling.set()
        server.terminate()
        server.wait(30)

    print(f"{args.sessions} sessions pressed Train within {pressed:.2f} s, {args.epochs} epochs each")
    print(f"runs finished: {finished} of {args.sessions}; runs crossed: {crossed}; all ended in {took:.0f} s")
    print(
        f"page switch under load: median {statistics.median(switches):.2f} s, "
        f"max {max(switches):.2f} s ({len(switches)} switches)"
    )
    print(
        f"RSS MB, server / workers: idle {idle[0]:.0f} / {idle[1]:.0f}, "
        f"peak during {peak[0]:.0f} / {peak[1]:.0f}, after {after[0]:.0f} / {after[1]:.0f}"
    )


if __name__ == "__main__":
    main()
