"""How soon the first page is drawn: from `streamlit run` to the Samples page in headless Chromium.

    uv run python benchmarks/first_page.py [--repeats 5] [--app DIR ...]

Each repeat starts the app afresh (as tests/e2e/conftest.py does), waits until it answers its
health check, then opens it in a new browser context and times until the Samples page is drawn:
its title, the grid of digits decoded, the class-count chart and the mean images on screen, and
the script run ended. Chromium is started once, before the first server, so that its start-up is
not counted. With several --app folders (another checkout of the project, say) they take turns
in each repeat, so that a slow spell of the machine falls on all of them alike.

Prints, per app folder and repeat, the seconds from start to health check and from health check
to drawn, and the CPU seconds the server and its training worker used meanwhile (on a busy
machine the wall time stretches, the CPU time much less), then medians and spread (min-max).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
CHROMIUM = os.environ.get("MNIST49_CHROMIUM", "/usr/bin/chromium")
FLAGS = [  # as in tests/e2e/conftest.py
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# drawn: the grid of digits decoded, the chart and the means on screen, no script run going on
DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const title = document.querySelector('h1');
    const images = [...document.querySelectorAll('[data-testid=stImage] img')];
    const chart = document.querySelector('[data-testid=stVegaLiteChart] .marks');
    return app && app.dataset.testScriptState === 'notRunning' && title
        && title.innerText.includes('Samples') && images.length >= 2
        && images.every(i => i.complete && i.naturalWidth > 0) && chart !== null;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def cpu_seconds(group: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each process of a process group."""
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # pgrp; utime and stime follow at 11 and 12
            used[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return used


@contextlib.contextmanager
def serve(app_dir: Path, env: dict[str, str]) -> Iterator[tuple[str, int, float]]:
    """The app in `app_dir` on a free port, with `env` added to this process's, until the block
    ends: its URL, the server's pid (its process group: the training worker too) and the seconds
    from its start to its health check."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
        + ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=app_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # PYTHONPATH: the app folder's own mnist49, also in its training worker
        env={**os.environ, "PYTHONPATH": str(app_dir), **env},
        start_new_session=True,  # its worker too is stopped with the group afterwards
    )
    try:
        deadline = start + 120
        while not healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app in {app_dir} did not start")
            time.sleep(0.02)
        yield url, server.pid, time.monotonic() - start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        with contextlib.suppress(ProcessLookupError):  # the worker, in the same group
            os.killpg(server.pid, signal.SIGKILL)


def one_start(browser, app_dir: Path) -> tuple[float, float, float, float]:
    """Seconds from start to health check and from health check to Samples drawn, and the CPU
    seconds the server and its other processes (the training worker) used in between."""
    work = Path(tempfile.mkdtemp())
    env = {"MNIST49_RUNS_DIR": str(work / "runs"), "MNIST49_DATA": str(work / "mnist")}
    with serve(app_dir, env) as (url, pid, up):
        drawn_from, cpu_up = time.monotonic(), cpu_seconds(pid)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(DRAWN, timeout=120_000, polling=20)
        drawn, cpu_drawn = time.monotonic() - drawn_from, cpu_seconds(pid)
        context.close()
    used = {p: cpu - cpu_up.get(p, 0.0) for p, cpu in cpu_drawn.items()}
    server_cpu = used.pop(pid)
    return up, drawn, server_cpu, sum(used.values())


def spread(values) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--app", type=Path, action="append", help="a project folder (default: this one)")
    args = parser.parse_args()
    apps = [a.resolve() for a in args.app or [ROOT]]
    results: dict[Path, list[tuple[float, float, float, float]]] = {a: [] for a in apps}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for repeat in range(args.repeats):
            for app in apps if repeat % 2 == 0 else apps[::-1]:
                result = one_start(browser, app)
                results[app].append(result)
                print(
                    f"{app}: start -> health %.2f s, health -> Samples drawn %.2f s "
                    "(CPU: server %.2f s, worker %.2f s)" % result
                )
        browser.close()
    print()
    for app, rows in results.items():
        health, drawn, server_cpu, worker_cpu = zip(*rows, strict=True)
        print(app)
        print(f"  start -> health check:            {spread(health)}")
        print(f"  health check -> Samples drawn:    {spread(drawn)}")
        total = [h + d for h, d in zip(health, drawn, strict=True)]
        print(f"  start -> Samples drawn:           {spread(total)}")
        print(f"  server CPU, health -> drawn:      {spread(server_cpu)}")
        print(f"  worker CPU, health -> drawn:      {spread(worker_cpu)}")
    first = statistics.median(r[1] for r in results[apps[0]])
    for app in apps[1:]:
        ratio = first / statistics.median(r[1] for r in results[app])
        print(f"health -> drawn, median {apps[0]} / median {app}: {ratio:.2f}")


if __name__ == "__main__":
    main()
