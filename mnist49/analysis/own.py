"""Your own digit: any photo or drawing turned into a 28x28 digit the way MNIST's were made.

MNIST's recipe (LeCun et al.): the digit's bounding box is scaled to fit 20x20 keeping its
aspect ratio (anti-aliased, hence grey levels), then placed in 28x28 so that its centre of mass
is at the centre.
"""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 20_000_000  # a phone photo is a few MB
# Larger images are refused before decoding (a decompression bomb): at 25 MP reading and
# centring one upload takes most of a second of CPU, and the cost grows with the pixels.
MAX_PIXELS = 25_000_000


# What can be wrong with an upload, as templates over an error's facts, so that a UI can say the
# same in another language (as diagnose.READINGS).
MESSAGES = {
    "empty": "The file is empty. Upload a PNG or JPEG picture of one digit.",
    "too big": "The file is {mb:.0f} MB; the limit is {limit:.0f} MB. Crop or shrink the picture "
    "and upload it again.",
    "too many pixels": "The picture has {megapixels:,.0f} million pixels, too many to read safely "
    "(the most is {limit:.0f} million). Shrink it and upload it again.",
    "not an image": "This file is not a picture that can be read (is it a PNG or JPEG?).",
    "blank": "No digit found: the picture looks blank. Use a darker pen or more light.",
}


class ImageError(ValueError):
    """An upload that cannot be made into a digit; the message says why and what to do."""

    def __init__(self, kind: str, **facts):
        self.kind, self.facts = kind, facts
        super().__init__(MESSAGES[kind].format(**facts))


def read_image(raw: bytes) -> Image.Image:
    """Decode an uploaded PNG or JPEG, refusing empty, huge and non-image files in words."""
    if not raw:
        raise ImageError("empty")
    if len(raw) > MAX_BYTES:
        raise ImageError("too big", mb=len(raw) / 1e6, limit=MAX_BYTES / 1e6)
    limit = MAX_PIXELS / 1e6
    try:
        image = Image.open(io.BytesIO(raw))
    except Image.DecompressionBombError as e:
        # Pillow refuses far larger images itself (twice its own limit), naming their pixels
        found = re.search(r"\((\d+) pixels\)", str(e))
        pixels = int(found[1]) if found else 2 * (Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
        raise ImageError("too many pixels", megapixels=pixels / 1e6, limit=limit) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageError("not an image") from None
    if image.width * image.height > MAX_PIXELS:
        raise ImageError("too many pixels", megapixels=image.width * image.height / 1e6, limit=limit)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError):
        raise ImageError("not an image") from None
    return ImageOps.exif_transpose(image)  # phone photos: the way they were held


def _grey_ink(image: Image.Image) -> np.ndarray:
    """The picture as float ink in [0, 1]: 1 where the pen was, whatever the background."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)  # transparent means paper
    grey = np.asarray(image.convert("L"), dtype=np.float32) / 255
    if np.median(grey) > 0.5:  # light paper, dark ink (the usual photo): turn it around
        grey = 1 - grey
    grey = grey - np.median(grey)  # the paper's own shade is not ink
    return np.clip(grey / max(grey.max(), 1e-6), 0, 1)


def to_mnist(image: Image.Image) -> np.ndarray:
    """A centred 28x28 uint8 digit, white on black like MNIST's, from any picture of one digit."""
    ink = _grey_ink(image)
    rows, cols = np.nonzero(ink > 0.25)
    if len(rows) == 0:
        raise ImageError("blank")
    crop = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    h, w = crop.shape
    scale = 20 / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = np.asarray(
        Image.fromarray((crop * 255).astype(np.uint8)).resize(size, Image.Resampling.LANCZOS),
        dtype=np.float32,
    )  # (<=20, <=20)
    total = small.sum()
    cy, cx = ((np.indices(small.shape) * small).sum(axis=(1, 2)) / total) if total else (0, 0)
    top = int(np.clip(round(14 - cy), 0, 28 - small.shape[0]))
    left = int(np.clip(round(14 - cx), 0, 28 - small.shape[1]))
    digit = np.zeros((28, 28), dtype=np.float32)
    digit[top : top + small.shape[0], left : left + small.shape[1]] = small
    return np.clip(digit / max(digit.max(), 1e-6) * 255, 0, 255).round().astype(np.uint8)
