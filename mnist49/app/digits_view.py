"""Digits on a page: grids of digits with captions (cached PNGs), and MNIST's reviews of a test
digit's label as words and badges."""

from __future__ import annotations

import base64
import html

import numpy as np
import streamlit as st

from mnist49 import images
from mnist49.analysis import reviews
from mnist49.app.text import t


def review_text(index: int, digits: tuple[int, ...]) -> str | None:
    """The reviewers' verdict on a run's test digit, as a badge's words, or None if none reviewed it."""
    found = reviews.review(index, digits)
    if found is None:
        return None
    if found.verdict == "error":
        return t("review.error", n=found.votes_suggested, total=sum(found.votes), digit=found.suggested)
    if found.verdict == "split":
        return t("review.split", votes=" / ".join(map(str, found.votes)))
    return t("review.kept")


def review_badge(index: int, digits: tuple[int, ...]) -> str:
    """The review as a Markdown badge (orange: the label is in doubt), or "" if none reviewed it."""
    found, words = reviews.review(index, digits), review_text(index, digits)
    if words is None:
        return ""
    return f":{'blue' if found.verdict == 'kept' else 'orange'}-badge[{words}]"


def reviews_ui(indices, digits: tuple[int, ...]) -> None:
    """Under a gallery: the shown test digits MNIST's reviewers saw, each with its badge."""
    badges = {int(i): review_badge(int(i), digits) for i in indices}
    lines = [f"\n- #{i}: {b}" for i, b in badges.items() if b]
    if lines:
        st.markdown(t("errors.reviewed", n=len(lines)) + "".join(lines))


@st.cache_data(max_entries=64, show_spinner=False)
def grid_png(
    pixels: bytes,
    shape: tuple[int, ...],
    captions: tuple[str, ...],
    cols: int,
    scale: int,
    border: bool = False,
) -> bytes:
    """One PNG for a whole grid of digits: cheap to send, sharp when scaled."""
    array = np.frombuffer(pixels, dtype=np.uint8).reshape(shape)
    return images.png(images.grid(array, captions, cols=cols, scale=scale, border=border))


def show_grid(digits, captions: list[str], cols: int = 10, scale: int = 3, border: bool = False) -> None:
    """Draw (N, H, W) uint8 digits, or (N, H, W, 3) colour images, as one image."""
    array = np.ascontiguousarray(digits, dtype=np.uint8)
    st.image(grid_png(array.tobytes(), array.shape, tuple(captions), cols, scale, border))


def show_each(digits, captions: list[str], scale: int = 3) -> None:
    """Each of (N, H, W) uint8 digits as its own picture with its caption as page text (any
    language), in a row that wraps."""
    array = np.ascontiguousarray(digits, dtype=np.uint8)
    st.image(
        [grid_png(a.tobytes(), (1, *a.shape), (), 1, scale) for a in array],
        caption=captions,
    )


def show_gallery(digits, captions: list[str], scale: int = 3) -> None:
    """Many (N, H, W) uint8 digits, each with its caption as page text under it, in rows that wrap:
    one HTML element with each digit inline at its own size, scaled up by the browser. As st.image
    pictures (show_each) each digit was a media file of its own, encoded upscaled and fetched
    apart: with 120, Errors took 1.37x as long to draw (benchmarks/errors_gallery.py)."""
    array = np.asarray(digits, dtype=np.uint8)
    h, w = array.shape[1:3]
    figures = "".join(
        '<figure style="margin:0;text-align:center">'
        f'<img src="data:image/png;base64,{base64.b64encode(images.digit_png(a)).decode()}" '
        f'width="{w * scale}" height="{h * scale}" style="image-rendering:pixelated" alt="{html.escape(c)}">'
        f'<figcaption style="font-size:0.8rem;opacity:0.7">{html.escape(c)}</figcaption></figure>'
        for a, c in zip(array, captions, strict=True)
    )
    st.html(f'<div style="display:flex;flex-wrap:wrap;gap:0.25rem 0.75rem">{figures}</div>')


def inline_grid(digits, captions: list[str], cols: int = 10, scale: int = 3) -> str:
    """Digits as one PNG inside an <img> tag, for st.html: for a grid that changes on every
    redraw, as the Train page's strip of hardest digits does. An st.image would be a new media
    file each time, for the browser to fetch, decode and lay out again: during a run that cost
    the browser and the server about 65 ms of CPU a second, against 45 ms inline (measured with
    a redraw every second)."""
    picture = images.grid(digits, captions, cols, scale)
    data = base64.b64encode(images.png(picture)).decode()
    return (
        f'<img src="data:image/png;base64,{data}" width="{picture.width}" '
        f'height="{picture.height}" alt="{html.escape(" ".join(captions))}">'
    )
