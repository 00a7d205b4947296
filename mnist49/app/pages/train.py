"""Train: every knob of the config, a live chart of the run, and the runs on disk.

The story of the page; its parts live in train_form (the settings), run_view (the run, live and
ended), runs_table and downloads."""

import streamlit as st

from mnist49.app import common, downloads, run_view, runs_table, train_form
from mnist49.app.text import t

st.html(run_view.NO_ANIMATION)
st.title(t("page.train"))
st.caption(t("train.caption"))
train_form.gpu_ui()
config = train_form.config_ui()
if config is not None:
    config = train_form.size_ui(config)

current = common.job()
snapshot = current.snapshot() if current else None
busy = snapshot is not None and not snapshot.done
can_save = common.runs_dir_ok()  # checked before Train, not found out by a failed run
if can_save and config is not None:
    can_save = common.space_ok(config)
row = st.container(horizontal=True)  # buttons as wide as their words, in either language
row.button(
    t("train.train"),
    type="primary",
    icon=":material/play_arrow:",
    disabled=config is None or busy or not can_save,
    on_click=run_view.start_training,
    args=(config,),
    key="train",
)
queued = snapshot is not None and snapshot.status == "queued"
row.button(
    t("train.cancel" if queued else "train.stop"),
    icon=":material/stop:",
    disabled=not busy,
    on_click=current.stop if busy else None,
    key="stop",
)
if config is not None:
    downloads.share_ui(row, config)
if refused := st.session_state.pop("train_refused", None):
    st.error(refused)
run_view.live_ui(current, busy)

st.subheader(t("train.runs"))
found = runs_table.runs_ui(snapshot.run_path if busy else None)
if found:
    downloads.downloads_ui(found)
