"""Digits as pictures: labelled grids, nearest-neighbour upscaling, one PNG per grid."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    import torch


def upscale(image: torch.Tensor | np.ndarray, scale: int) -> np.ndarray:
    """(H, W) uint8 -> (H*scale, W*scale) by repeating pixels: sharp, never blurred."""
    a = np.asarray(image)
    return a.repeat(scale, axis=0).repeat(scale, axis=1)


def overlay(digits: torch.Tensor | np.ndarray, heat: torch.Tensor | np.ndarray) -> np.ndarray:
    """Digits (N, H, W) uint8 drawn dark on white with `heat` (N, H, W) in [0, 1] in red:
    (N, H, W, 3) uint8."""
    ink = 255 - np.asarray(digits, dtype=np.float32)  # dark digit on white, as in the grids
    heat = np.asarray(heat, dtype=np.float32)
    rgb = np.stack([ink, ink * (1 - heat), ink * (1 - heat)], axis=-1)
    rgb[..., 0] = np.maximum(rgb[..., 0], 255 * heat)
    return rgb.round().astype(np.uint8)


def grid(
    images: torch.Tensor | np.ndarray,
    captions: Sequence[str] = (),
    cols: int = 10,
    scale: int = 3,
    invert: bool = False,
    border: bool = False,
) -> Image.Image:
    """Digits (N, H, W) uint8 (or ready colour images (N, H, W, 3)) in rows of `cols`, each
    upscaled and with its caption below; `border` outlines each cell in grey, so that an all-white
    map (Inside's brightest) reads as a tile, not as a gap.

    Captions are ASCII (digits, figures): PIL's built-in font has no other glyphs, and a word in
    Japanese would be drawn as boxes; words belong on the page, as captions under the image."""
    if not all(c.isascii() for c in captions):
        raise ValueError(
            f"captions drawn into a picture must be ASCII (the built-in font has no other glyphs), "
            f"got {[c for c in captions if not c.isascii()][:3]}: show words as page text instead"
        )
    images = np.asarray(images, dtype=np.uint8)
    n, (h, w) = len(images), images.shape[1:3]
    colour = images.ndim == 4
    cell_w, cell, pad, text_h = w * scale, h * scale, 4, (14 if captions else 0)
    rows, cols = max(1, -(-n // cols)), max(1, min(cols, n))
    background = 0 if invert else 255
    canvas = Image.new(
        "RGB" if colour else "L",
        (cols * (cell_w + pad) + pad, rows * (cell + pad + text_h) + pad),
        (background,) * 3 if colour else background,
    )
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=12)
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        x, y = pad + c * (cell_w + pad), pad + r * (cell + pad + text_h)
        digit = upscale(image, scale)
        canvas.paste(Image.fromarray(digit if invert or colour else 255 - digit), (x, y))
        if border:  # in the padding around the cell: (x-1, y-1) to (x+w, y+h)
            draw.rectangle((x - 1, y - 1, x + cell_w, y + cell), outline=(160,) * 3 if colour else 160)
        if captions:
            ink = 255 - background
            draw.text(
                (x + cell_w // 2, y + cell + 1),
                captions[i],
                font=font,
                anchor="mt",
                fill=(ink,) * 3 if colour else ink,
            )
    return canvas


def digit_png(image: np.ndarray) -> bytes:
    """One (H, W) uint8 digit, dark on white as `grid` draws it (or a ready colour image (H, W, 3)
    as it is), as a PNG at its own size: for a browser that scales it up (CSS image-rendering:
    pixelated), a tenth of the upscaled bytes."""
    image = np.asarray(image, dtype=np.uint8)
    return png(Image.fromarray(image if image.ndim == 3 else 255 - image))


def png(image: Image.Image) -> bytes:
    # not optimize=True: a few per cent smaller, but several times the time, and the Train
    # page's strip of hardest digits is drawn anew at every redraw of a run
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
