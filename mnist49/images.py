"""Digits as pictures: labelled grids, nearest-neighbour upscaling, one PNG per grid."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont


def upscale(image: torch.Tensor | np.ndarray, scale: int) -> np.ndarray:
    """(H, W) uint8 -> (H*scale, W*scale) by repeating pixels: sharp, never blurred."""
    a = np.asarray(image)
    return a.repeat(scale, axis=0).repeat(scale, axis=1)


def grid(images: torch.Tensor | np.ndarray, captions: Sequence[str] = (), cols: int = 10,
         scale: int = 3, invert: bool = False) -> Image.Image:
    """Digits (N, 28, 28) uint8 in rows of `cols`, each upscaled and with its caption below."""
    images = np.asarray(images, dtype=np.uint8)
    n = len(images)
    cell, pad, text_h = 28 * scale, 4, (14 if captions else 0)
    rows, cols = max(1, -(-n // cols)), max(1, min(cols, n))
    background = 0 if invert else 255
    canvas = Image.new("L", (cols * (cell + pad) + pad, rows * (cell + pad + text_h) + pad), background)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=12)
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        x, y = pad + c * (cell + pad), pad + r * (cell + pad + text_h)
        digit = upscale(image, scale)
        canvas.paste(Image.fromarray(digit if invert else 255 - digit), (x, y))
        if captions:
            draw.text((x + cell // 2, y + cell + 1), captions[i], fill=255 - background,
                      font=font, anchor="mt")
    return canvas


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
