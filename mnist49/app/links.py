"""What the page's link holds for the whole app, beyond Train's settings: the language, and a
page name that is not one of the app's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

import streamlit as st

from mnist49.app.common import KEEP, kept
from mnist49.app.text import LANGUAGES, TABLES, plain, t

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

LANG = "lang"  # the page link's parameter that holds the language (language_ui)


def language_ui() -> None:
    """The sidebar's language, also in the page's link (`?lang=ja`; absent for English), so that
    a reload or a shared link keeps it. The link is read once per session."""
    if not st.session_state.get("lang_link_read"):
        st.session_state["lang_link_read"] = True
        asked = st.query_params.get(LANG)
        if asked in LANGUAGES:
            st.session_state[KEEP + "lang"] = asked
        elif asked is not None:  # said in every language: the learner's is not known
            said = [TABLES[code]["common.lang_link"].format(lang=plain(asked)) for code in LANGUAGES]
            st.warning("\n\n".join(said), icon=":material/link_off:")
    st.sidebar.segmented_control(
        "Language / 言語", list(LANGUAGES), format_func=LANGUAGES.get, key=kept("lang", "en"), required=True
    )
    shown = language_link().get(LANG)
    if st.query_params.get(LANG) != shown:
        if shown is None:
            del st.query_params[LANG]
        else:
            st.query_params[LANG] = shown


def language_link() -> dict[str, str]:
    """The language as the page's link holds it: nothing for English, the default."""
    chosen = st.session_state.get(KEEP + "lang", "en")
    return {} if chosen == "en" else {LANG: chosen}


def unknown_page_ui(shown: StreamlitPage, names: set[str]) -> None:
    """Say so where the browser's address names no page of the app (a mistyped or old link):
    Streamlit then runs the default page, `shown`, with a notice in English only that does not
    say which page was asked for or which is shown. `names`: the pages' URL paths."""
    if asked_page() not in names and shown.url_path == "":  # not named: see asked_page
        st.warning(t("common.no_such_page", shown=shown.title), icon=":material/link_off:")


def asked_page() -> str:
    """The page named in the browser's address ("" at the app's root), below the app's base URL
    path (`server.baseUrlPath`) where it is served under one. Not to be shown: Streamlit cuts
    from it an ending that is one of the app's pages' names (/retrain reads "re")."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return path.removeprefix(base).strip("/") if base else path
