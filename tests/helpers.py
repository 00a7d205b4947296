"""Helpers shared by the test modules."""

import time
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from mnist49 import data


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
        at.switch_page(f"mnist49/app/{page}.py").run()
    assert not at.exception, at.exception
    return at


def train(at: AppTest, epochs: int = 2, **settings) -> AppTest:
    """Set the Train page's widgets (by their kept keys), press Train and wait for the worker
    to end."""
    for key, value in {"epochs": epochs, **settings}.items():
        at.session_state[f"k_{key}"] = value
    at.run()
    at.button[0].click().run()
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
