"""Every word the app shows, one table per language (en.py, ja.py, keyed by page in the order of
the sidebar). English is the default.

Keys are grouped by page. Values are `str.format` templates; both languages use the same fields.
The readings and remedies come from `diagnose.READINGS` / `diagnose.REMEDIES` in English.
"""

from __future__ import annotations

import re
from pathlib import PurePath

import streamlit as st

from mnist49 import charts
from mnist49.app.text.en import EN
from mnist49.app.text.ja import JA

LANGUAGES = {"en": "English", "ja": "日本語"}


TABLES = {"en": EN, "ja": JA}


def language() -> str:
    return st.session_state.get("k_lang", "en")


# What Markdown could read as markup inside a line: images and links ([ ] !), HTML (< >), code,
# emphasis, strike-through and math; the rest (. - # |) is markup only at a line's start, and md
# keeps the text on one line
MARKUP = re.compile(r"([\\`*\[\]<>!~$])")


def md(text: object) -> str:
    """Text from outside (a run's folder name, a status, an error read from disk) escaped for
    Markdown, on one line, so that it shows as written: `![p](x.png)` and `<script>` are not
    rendered."""
    return MARKUP.sub(r"\\\1", " ".join(str(text).split()))


# Japanese letters and full-width punctuation (kana, kanji, 、。「」（）：？). The Japanese table puts
# spaces around a {field} for the Latin names and numbers that fill most of them ("{n} 個");
# filled with Japanese (a run named 除いた実行 in "{b} は {a} より"), those spaces would stand
# between Japanese letters, where Japanese sets none.
JAPANESE = "\u3000-\u30ff\u3400-\u9fff\uff01-\uff60"
SPACE_IN_JAPANESE = re.compile(rf"(?<=[{JAPANESE}]) +(?=[{JAPANESE}])")


def unspaced(text: str) -> str:
    """Japanese text without the spaces between two Japanese characters."""
    return SPACE_IN_JAPANESE.sub("", text)


def t(key: str, **fields) -> str:
    """The text for `key` in the chosen language, filled in (`key.one` where it exists and n is 1).
    Errors and paths are escaped (md): they hold names and text read from disk, and every page
    shows them as Markdown."""
    table = TABLES[language()]
    if fields.get("n") == 1 and f"{key}.one" in table:  # English's singular: "1 error"
        key = f"{key}.one"
    escaped = {k: md(v) if isinstance(v, BaseException | PurePath) else v for k, v in fields.items()}
    said = table[key].format(**escaped)
    return unspaced(said) if language() == "ja" else said


def why(reason: str | None, facts: dict, error: str | None) -> str:
    """Why a run ended, in words: its reason with its facts, or its error; both come from the
    worker or from disk, so their text is escaped."""
    if not reason:
        return md(error or "")
    return t(f"train.why.{reason}", **{k: md(v) if isinstance(v, str) else v for k, v in facts.items()})


def chart_labels() -> dict[str, str]:
    """The labels for `charts` functions, in the chosen language."""
    table = TABLES[language()]
    return {k: table[f"chart.{k}"] for k in charts.LABELS}
