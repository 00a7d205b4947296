"""Every word the app shows, one table per language (en.py, ja.py, keyed by page in the order of
the sidebar). English is the default.

Keys are grouped by page. Values are `str.format` templates; both languages use the same fields.
The readings and remedies come from `diagnose.READINGS` / `diagnose.REMEDIES` in English.
"""

from __future__ import annotations

import re
import string
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


# A value from a link that a sentence may repeat: a short plain word. md() escapes markup, but
# Streamlit's Markdown still makes a link of a bare "https://..." or "www...", and a link's value
# is anybody's: repeated in the app's own warning it would read as the app's.
PLAIN = re.compile(r"[A-Za-z0-9_,-]{1,32}")


def plain(value: str) -> str:
    """A link's `value` to repeat in a sentence: as written where it is a plain word, else "…"."""
    return value if PLAIN.fullmatch(value) else "…"


# Japanese letters and full-width punctuation (kana, kanji, 、。「」（）：？). The Japanese table puts
# spaces around a {field} for the Latin names and numbers that fill most of them ("{n} 個");
# filled with Japanese (a run named 除いた実行 in "{b} は {a} より"), those spaces would stand
# between Japanese letters, where Japanese sets none. Only the table's spaces go: a value's own
# (a folder name, an error) is shown as it is.
JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u9fff\uff01-\uff60]")


def japanese_format(template: str, fields: dict) -> str:
    """`template.format(**fields)`, less the template's spaces between a field filled with
    Japanese and the Japanese beside it."""
    formatter = string.Formatter()
    pieces = []  # literal, value, literal, value, ..., literal
    for literal, name, spec, conversion in formatter.parse(template):
        pieces.append(literal)
        if name is not None:
            value = formatter.convert_field(formatter.get_field(name, (), fields)[0], conversion)
            pieces.append(formatter.format_field(value, spec or ""))
    if len(pieces) % 2 == 0:
        pieces.append("")
    for i in range(0, len(pieces), 2):
        before, after = pieces[i - 1] if i else "", pieces[i + 1] if i + 1 < len(pieces) else ""
        literal = pieces[i]
        if JAPANESE.match(before[-1:]) and JAPANESE.match(literal.lstrip(" ")[:1]):
            literal = literal.lstrip(" ")
        if JAPANESE.match(after[:1]) and JAPANESE.match(literal.rstrip(" ")[-1:]):
            literal = literal.rstrip(" ")
        pieces[i] = literal
    return "".join(pieces)


def t(key: str, **fields) -> str:
    """The text for `key` in the chosen language, filled in (`key.one` where it exists and n is 1).
    Errors and paths are escaped (md): they hold names and text read from disk, and every page
    shows them as Markdown."""
    table = TABLES[language()]
    if fields.get("n") == 1 and f"{key}.one" in table:  # English's singular: "1 error"
        key = f"{key}.one"
    escaped = {k: md(v) if isinstance(v, BaseException | PurePath) else v for k, v in fields.items()}
    return japanese_format(table[key], escaped) if language() == "ja" else table[key].format(**escaped)


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
