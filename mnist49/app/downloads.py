"""What a run or the settings give to take away: a run's history and weights, the run as a
training script, and the settings as a link and a command line."""

import re
import shlex
from urllib.parse import urlencode

import streamlit as st

from mnist49 import settings
from mnist49.analysis import export
from mnist49.app import common, links
from mnist49.app.text import t
from mnist49.config import Config
from mnist49.runs import Run


def downloads_ui(found: list[Run]) -> None:
    """Pick one of the runs `found`: its history and weights to download, and its script."""
    chosen = common.pick_run(t("train.download_of"), found)
    c1, c2 = st.columns(2)
    c1.download_button(
        t("train.history_csv"),
        chosen.history.to_csv(index=False),
        f"{common.file_stem(chosen)}-history.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    weights = chosen.weights_path()
    c2.download_button(
        t("train.weights"),
        weights.read_bytes() if weights else b"",
        f"{common.file_stem(chosen)}-weights.pt",
        on_click="ignore",
        disabled=weights is None,
        icon=":material/download:",
        help=None if weights else t("train.no_weights"),
    )
    code_ui(chosen)


def code_ui(run: Run) -> None:
    """A finished run as the chapter's kind of training script, to read and to download."""
    if run.status != "finished":  # only a running run may still finish; the rest ended short
        st.caption(t("train.code_unfinished" if run.status == "running" else "train.code_ended"))
        return
    name, stem, seeds = run.name, common.file_stem(run), run.config.seeds
    try:  # the settings every seed shares: can the script hold them?
        export.script(run.config, name)
    except export.ExportError as e:
        st.info(t(f"export.error.{e.kind}", **e.facts), icon=":material/code_off:")
        return
    with st.expander(t("train.code"), icon=":material/code:"):
        if seeds > 1:  # the script trains one seed alone: the median one unless another is picked
            run = common.pick_replicate(run)
            stem += f"_seed{run.config.replicate}"
            st.caption(t("train.code_seed", k=run.config.replicate, seeds=seeds))
        else:
            st.caption(t("train.code_caption"))
        script = f"train_{re.sub(r'[^0-9A-Za-z]', '_', stem)}.py"  # a Python name
        code = export.script(run.config, name, script)
        st.download_button(
            t("train.code_download"),
            code,
            script,
            "text/x-python",
            on_click="ignore",
            icon=":material/download:",
        )
        st.code(code, language="python")


def share_ui(column, config: Config) -> None:
    """These settings as a link (the page's URL carries them) and as a command line."""
    link = write_link(config)
    with column.popover(t("train.share"), icon=":material/link:"):
        st.caption(t("train.share_link"))
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("train.share_cli"))
        st.code(shlex.join(["uv", "run", "mnist49", "train", *settings.to_argv(config)]), language="bash")


def write_link(config: Config) -> str:
    """Keep the page's URL in step with the settings (and the language); returns the link to share."""
    query = {**settings.to_query(config), **links.language_link()}
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    return f"{st.context.url or ''}?{urlencode(query, safe=',')}" if query else (st.context.url or "")
