"""What the pages share: the runs folder, cached data and pool, the session's job."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import streamlit as st
from torch import nn

from mnist49 import images, runs
from mnist49.app.text import t
from mnist49.augment import AUGMENTATIONS
from mnist49.jobs import Job, JobPool

KEEP = "k_"  # widget keys with this prefix survive page switches (see streamlit_app.py)


def kept(key: str, default) -> str:
    """The key of a widget whose value survives page switches, holding `default` at first.

    Pass the returned key and no default value to the widget.
    """
    st.session_state.setdefault(KEEP + key, default)
    return KEEP + key


def augment_ui() -> tuple[str, ...]:
    """The augmentations to train with; the same setting on Train and Samples."""
    return tuple(st.multiselect(t("common.augment"), list(AUGMENTATIONS), key=kept("augment", []),
                                placeholder=t("common.augment_none"),
                                help=t("common.augment_help")))


def runs_dir() -> Path:
    return Path(os.environ.get("MNIST49_RUNS_DIR", "runs"))


@st.cache_resource
def pool() -> JobPool:
    """The server's trainings (at most MNIST49_MAX_JOBS at once), shared by every tab."""
    return JobPool(int(os.environ.get("MNIST49_MAX_JOBS", "3")))


def job() -> Job | None:
    """This tab's training, running or ended (each browser tab is its own session)."""
    return st.session_state.get("job")


def list_runs() -> list[runs.Run]:
    """The runs on disk, newest first; damaged folders are named in a warning, not a crash."""
    found, problems = runs.list_runs(runs_dir())
    if problems:
        with st.expander(t("common.skipped", n=len(problems))):
            st.write("\n".join(f"- {p}" for p in problems))
    return found


def run_label(run: runs.Run) -> str:
    accuracy = run.history["test_accuracy"].iloc[-1] if len(run.history) else float("nan")
    return t("common.run_label", name=run.name, status=t(f"status.{run.status}"),
             n=len(run.history), accuracy=accuracy)


@st.cache_resource(max_entries=8)
def model_of(run_path: str, weights_mtime: float) -> nn.Module:
    """A run's trained model on CPU, loaded once per weights file."""
    return runs.load_run(run_path).load_model()


def pick_run(label: str, found: list[runs.Run]) -> runs.Run:
    """A selectbox of runs (by name, so the choice survives new runs appearing)."""
    by_name = {r.name: r for r in found}
    labels = {r.name: run_label(r) for r in found}  # words chosen now, not when formatting
    return by_name[st.selectbox(label, list(by_name), format_func=labels.get)]


@st.cache_data(max_entries=64)
def grid_png(pixels: bytes, shape: tuple[int, ...], captions: tuple[str, ...], cols: int,
             scale: int) -> bytes:
    """One PNG for a whole grid of digits: cheap to send, sharp when scaled."""
    array = np.frombuffer(pixels, dtype=np.uint8).reshape(shape)
    return images.png(images.grid(array, captions, cols=cols, scale=scale))


def show_grid(digits, captions: list[str], cols: int = 10, scale: int = 3) -> None:
    """Draw (N, H, W) uint8 digits, or (N, H, W, 3) colour images, as one image."""
    array = np.ascontiguousarray(digits, dtype=np.uint8)
    st.image(grid_png(array.tobytes(), array.shape, tuple(captions), cols, scale))
