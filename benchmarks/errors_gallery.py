"""What the Errors page's gallery costs to draw: 120 digits as pictures of their own (captions as
page text) against one grid image, in headless Chromium.

    git worktree add /tmp/grid 1cf1fa9~1     (the page before its gallery became 120 pictures)
    uv run python benchmarks/errors_gallery.py --app . --app /tmp/grid [--repeats 7]

One 3-seed run, trained first into a fresh runs folder, has over 120 digits wrong in some seed,
so each page draws a full gallery. Each app folder gets a server of its own, started and warmed
up (one visit) before timing; then every repeat opens Errors in a new browser context, in each
app in turn (alternating the order, so that a slow spell falls on both), and times from the
request until the page is drawn: the script run ended and every picture decoded. Prints each
visit, the medians and spread (min-max), the CPU seconds each server used per visit, and the
ratio of the medians.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from first_page import CHROMIUM, FLAGS, cpu_seconds, serve, spread
from playwright.sync_api import sync_playwright

from mnist49.config import Config
from mnist49.runs import record

# drawn: the Errors page's script run ended, its gallery and Digit box pictures all decoded
DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const images = [...document.querySelectorAll('[data-testid=stImage] img, [data-testid=stHtml] img')];
    const digit = [...document.querySelectorAll('h3')].some(h => h.innerText.includes('One digit'));
    return app && app.dataset.testScriptState === 'notRunning' && digit && images.length >= 2
        && images.every(i => i.complete && i.naturalWidth > 0);
}"""


def visit(browser, url: str, pid: int) -> tuple[float, float, int]:
    """Seconds from asking for Errors to its gallery drawn, the server's CPU seconds meanwhile,
    and the pictures on the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    before, start = cpu_seconds(pid).get(pid, 0.0), time.monotonic()
    page.goto(f"{url}/errors")
    page.wait_for_function(DRAWN, timeout=120_000, polling=20)
    drawn = time.monotonic() - start
    used = cpu_seconds(pid).get(pid, 0.0) - before
    pictures = page.locator("[data-testid=stImage] img, [data-testid=stHtml] img").count()
    context.close()
    return drawn, used, pictures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--app", type=Path, action="append", required=True, help="a project folder")
    args = parser.parse_args()
    apps = [a.resolve() for a in args.app]
    runs_dir = Path(tempfile.mkdtemp()) / "runs"
    run, _ = record.train_run(Config(train_size=300, test_size=None, epochs=2, seeds=3), runs_dir)
    print(f"run {run.name}: 3 seeds, {len(run.replicates()[0].predictions())} test digits")
    results: dict[Path, list[tuple[float, float, int]]] = {a: [] for a in apps}
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        env = {"MNIST49_RUNS_DIR": str(runs_dir)}
        servers = {a: stack.enter_context(serve(a, env))[:2] for a in apps}
        for app in apps:
            visit(browser, *servers[app])  # warm: the run's files read, the page's modules imported
        for repeat in range(args.repeats):
            for app in apps if repeat % 2 == 0 else apps[::-1]:
                result = visit(browser, *servers[app])
                results[app].append(result)
                print(f"{app}: drawn in %.2f s, server CPU %.2f s, %d pictures" % result)
        browser.close()
    print()
    for app, rows in results.items():
        drawn, used, pictures = zip(*rows, strict=True)
        print(f"{app} ({pictures[0]} pictures)")
        print(f"  request -> Errors drawn: {spread(drawn)}")
        print(f"  server CPU per visit:    {spread(used)}")
    first = statistics.median(r[0] for r in results[apps[0]])
    for app in apps[1:]:
        ratio = first / statistics.median(r[0] for r in results[app])
        print(f"drawn, median {apps[0]} / median {app}: {ratio:.2f}")


if __name__ == "__main__":
    main()
