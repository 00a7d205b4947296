"""mnist49: watch a small CNN learn to tell handwritten 4s from 9s.

uv run streamlit run streamlit_app.py
"""

import streamlit as st

from mnist49.app.common import KEEP, job, pool, runs_dir_ok
from mnist49.app.links import language_ui, unknown_page_ui
from mnist49.app.progress import badge_text
from mnist49.app.text import t

st.set_page_config(page_title="mnist49: 4 or 9?", page_icon=":material/neurology:", layout="wide")

# Streamlit forgets a widget's value when a page without it runs; writing the kept keys back
# each run keeps every setting across page switches.
for key in [k for k in st.session_state if str(k).startswith(KEEP)]:
    st.session_state[key] = st.session_state[key]

language_ui()

HOME = "samples"  # the page at the app's root (Streamlit serves it at no /samples)
pages = [
    st.Page(
        f"mnist49/app/pages/{HOME}.py", title=t("page.samples"), icon=":material/grid_view:", default=True
    ),
    st.Page("mnist49/app/pages/train.py", title=t("page.train"), icon=":material/show_chart:"),
    st.Page("mnist49/app/pages/sweep.py", title=t("page.sweep"), icon=":material/tune:"),
    st.Page("mnist49/app/pages/errors.py", title=t("page.errors"), icon=":material/error:"),
    st.Page("mnist49/app/pages/label_check.py", title=t("page.labels"), icon=":material/fact_check:"),
    st.Page("mnist49/app/pages/compare.py", title=t("page.compare"), icon=":material/compare_arrows:"),
    st.Page("mnist49/app/pages/inside.py", title=t("page.inside"), icon=":material/visibility:"),
    st.Page("mnist49/app/pages/your_digit.py", title=t("page.your_digit"), icon=":material/draw:"),
]
page = st.navigation(pages)
unknown_page_ui(page, {HOME, *(p.url_path for p in pages)})
if page.url_path != "train":  # Train says it above its button
    with st.sidebar:
        runs_dir_ok()


def training_badge(jobs: tuple) -> None:
    """On every page: this tab's training and sweep at a glance, and a sign that the tab is
    still open."""
    for current in jobs:
        if current is None:
            continue
        current.touch()
        state = current.snapshot()
        st.caption(badge_text(current, state))
        if not state.done and state.status != "queued":
            st.progress(min(len(state.records) / current.epochs, 1.0))


# The Train page shows this tab's run itself: a second poll there would only take CPU from the
# training; but not its sweep, which the badge keeps alive there (a sweep nobody watches stops).
# The badge polls only while something trains, so that an idle tab costs the server nothing.
shown = (
    (st.session_state.get("sweep_job"),)
    if page.url_path == "train"
    else (job(), st.session_state.get("sweep_job"))
)
running = any(current is not None and not current.snapshot().done for current in shown)
with st.sidebar:
    st.fragment(training_badge, run_every=2 if running else None)(shown)


def checking_badge(check) -> None:
    """A label check under way, kept alive while its tab shows another page (a check nobody
    watches stops)."""
    state = check.snapshot()
    if not state.done:
        check.touch()
        st.caption(t("badge.labels", n=state.epoch, total=check.config.epochs))


_, check = st.session_state.get("label_job", (None, None))
if check is not None and not check.snapshot().done and page.url_path != "label_check":
    with st.sidebar:  # Label check shows it itself
        st.fragment(checking_badge, run_every=2)(check)
page.run()
# The pool, and with it a training worker that loads torch and runs one batch ahead of Train,
# starts once this page is drawn, so that its start-up leaves the CPU to the first page.
pool()
