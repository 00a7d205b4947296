"""Helpers shared by the test modules."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from mnist49 import data
from mnist49.training import events


def write_root(root, n_train=30, n_test=12, seed=0):
    """A torchvision-style MNIST root with small random IDX files; returns the raw folder."""
    rng = np.random.default_rng(seed)
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for train, n in ((True, n_train), (False, n_test)):
        images_name, labels_name = data.RAW_FILES[train]
        data.write_idx(raw / images_name, rng.integers(0, 256, (n, 28, 28), dtype=np.uint8))
        data.write_idx(raw / labels_name, (np.arange(n) % 10).astype(np.uint8))
    return raw


APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(f"mnist49/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def train(at: AppTest, epochs: int = 2, **settings) -> AppTest:
    """Set the Train page's widgets (by their kept keys), press Train and wait for the worker
    to end."""
    for key, value in {"epochs": epochs, **settings}.items():
        at.session_state[f"k_{key}"] = value
    at.run()
    at.button(key="train").click().run()
    job, deadline = at.session_state["job"], time.monotonic() + 180
    while not job.snapshot().done and time.monotonic() < deadline:
        job.touch()  # as the open tab does: a run nobody watches stops itself
        job.join(1)
    return at.run()


def write_blocks_root(root, n_train=600, n_test=200, seed=0):
    """A torchvision-style MNIST root of all ten classes that a small model can learn quickly:
    digit d is a bright 8x8 block at one of ten places, on faint noise. Returns the raw folder."""
    rng = np.random.default_rng(seed)
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for train, n in ((True, n_train), (False, n_test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        pixels = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
        for i, d in enumerate(labels):
            r, c = divmod(int(d), 5)
            pixels[i, 4 + 12 * r : 12 + 12 * r, 1 + 5 * c : 7 + 5 * c] = 255
        images_name, labels_name = data.RAW_FILES[train]
        data.write_idx(raw / images_name, pixels)
        data.write_idx(raw / labels_name, labels)
    return raw


def history(train, test, accuracy):
    """A run's history.csv as a DataFrame, from its three curves."""
    n = len(train)
    return pd.DataFrame(
        {
            "epoch": range(1, n + 1),
            "train_loss": train,
            "test_loss": test,
            "test_accuracy": accuracy,
            "seconds": [0.1] * n,
        }
    )


@contextlib.contextmanager
def serve_app(env: dict[str, str], log_path: Path):
    """The app as a user runs it (`streamlit run`), on a free port with `env` added to the
    environment: yields its URL once it answers its health check; stopped afterwards in any case."""
    import pytest

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*command, "--server.address", "127.0.0.1", "--server.port", str(port)],
            cwd=Path(APP).parent,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
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
            process.wait()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def each_epoch(listen):
    """A sink that hands `listen` each epoch's record (of a lone run, or the first seed's)."""
    return events.of(events.EpochEnded, lambda ended: listen(next(iter(ended.records.values()))))
