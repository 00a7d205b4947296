"""Tables whose every column is as wide as its header or its widest cell, in either language."""

import math
import unicodedata

import pandas as pd
import streamlit as st

# st.dataframe draws on a canvas and sizes a column to its text as measured there, which came out a
# character or two short of Japanese text as drawn ("最小テスト損失" in the runs table, and
# "シードごとに訓練データを変える" in Compare's settings, cut off at 1000 and 1400 px). Each column is
# given the width of its widest text instead: a wide (Japanese) character is the grid's 14 px font
# size, a Latin one half that, plus the cell's padding.
WIDE, NARROW, PADDING = 14, 7, 24  # px
MAX_WIDTH = 480  # px: a longer cell is cut, and shows whole on hover


def text_width(text: str) -> float:
    """About how wide the grid draws `text`, in px."""
    return sum(WIDE if unicodedata.east_asian_width(c) in "WF" else NARROW for c in text)


def column_width(label: str, cells: list[str]) -> int:
    """A column's width in px: its header or its widest cell, as shown, whichever is wider, up to
    MAX_WIDTH (a run without 100 suspect labels lists them all in Compare: 4,924 px)."""
    return min(math.ceil(max(text_width(s) for s in [label, *cells]) + PADDING), MAX_WIDTH)


def sized(table: pd.DataFrame, columns: dict | None = None) -> dict:
    """A column_config for `table` (hidden index): `columns`' own config of a column (its label,
    format, help), else one labelled with the column's name, each with the width of its header or
    its widest cell as the grid shows it (a number in its printf format; an image by its header)."""
    configs = {}
    for name in table.columns:
        config = (columns or {}).get(name) or st.column_config.Column(str(name))
        label = config["label"] or str(name)
        # Streamlit's own layout of a column config (type_config, format): should an upgrade move
        # it, a number is measured as str() gives it, wider than its format, so never cut
        kind = config.get("type_config") or {}
        printf = kind.get("format") or ""  # a NumberColumn's, as "%.3f"
        shown = [printf % v if "%" in printf else str(v) for v in table[name].dropna()]
        cells = [] if kind.get("type") == "image" else shown
        configs[name] = {**config, "label": label, "width": column_width(label, cells)}
    return configs
