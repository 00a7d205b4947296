"""The runs on disk as a table, also those made with the CLI; a sweep's runs as one group."""

import math
from pathlib import Path

import pandas as pd
import streamlit as st

from mnist49 import runs
from mnist49.app import common, tables
from mnist49.app.text import md, t
from mnist49.runs import Run, seeds, sweep


def _lowest_mean(run: Run) -> float | None:
    """A run's lowest test loss for the runs table: the mean of each seed's own lowest, as the
    results show it (a run of several seeds: not the lowest of its mean curve)."""
    try:
        lowest = seeds.summary([r.history for r in run.replicates()])["lowest_test_loss_mean"]
    except runs.RunError:  # a damaged replicate folder: the lowest of the mean curve, as before
        lowest = math.nan
    if math.isnan(lowest):
        return float(run.history.test_loss.min()) if len(run.history) else None
    return lowest


def runs_ui(training: Path | None) -> list[Run]:
    """Past runs, also those made with the CLI, and returns them; not the run this
    tab is `training`, which the page draws above and which joins the table when it ends. (The
    table then stays as it was when Train is pressed, and the browser redraws it in less time:
    0.1 s of CPU less, out of 0.4 s, at a time when that CPU is the new run's.)"""
    found = [r for r in common.list_runs() if r.path != training]
    if not found:
        st.caption(t("train.no_runs", path=common.runs_dir()))
        return found

    def table(group: list[Run]) -> None:
        rows = pd.DataFrame(
            [
                {
                    "run": r.name,
                    "status": t(f"status.{r.status}"),
                    "digits": common.problem_name(r.config.digits),
                    "model": r.config.model.upper(),
                    "epochs": len(r.history),
                    "accuracy": r.history.test_accuracy.iloc[-1] * 100 if len(r.history) else None,
                    "loss": _lowest_mean(r),
                    "optimizer": r.config.optimizer,
                    "lr": r.config.lr,
                    "train_size": r.config.train_size,
                    "started": r.started,
                }
                for r in group
            ]
        )
        columns = {c: st.column_config.Column(t(f"train.col.{c}")) for c in rows.columns}
        # one precision for every row (format="percent" gave 99%, 99.2% and 99.13% side by side)
        for c, printf in (("accuracy", "%.1f%%"), ("loss", "%.4f")):
            columns[c] = st.column_config.NumberColumn(t(f"train.col.{c}"), format=printf)
        st.dataframe(rows, hide_index=True, width="stretch", column_config=tables.sized(rows, columns))

    lone = [r for r in found if r.sweep is None]
    if lone:
        table(lone)
    # a sweep's runs as one group, opened on demand
    sweeps: dict[str, list[Run]] = {}
    for r in found:
        if r.sweep is not None:
            sweeps.setdefault(r.sweep, []).append(r)
    for name, group in sweeps.items():
        try:
            knob = t(f"knob.{sweep.load_sweep(group[0].path.parent).sweep.knob}")
        except runs.RunError:
            knob = "?"  # its sweep.json is damaged: the runs are still shown
        label = t(
            "train.sweep_group",
            name=md(name),
            knob=knob,
            values=len(group),
            runs=sum(r.config.seeds for r in group),
        )
        with st.expander(label, icon=":material/tune:"):
            table(group)
    return found
