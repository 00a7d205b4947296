import io

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from mnist49 import data
from mnist49.analysis import own


def png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def centre_of_mass(digit: np.ndarray) -> tuple[float, float]:
    weights = digit.astype(float)
    return tuple((np.indices(digit.shape) * weights).sum(axis=(1, 2)) / weights.sum())


@pytest.mark.parametrize("dark_background", [False, True])
def test_a_drawn_digit_is_boxed_into_20_pixels_and_centred(dark_background):
    paper, pen = (0, 255) if dark_background else (255, 0)
    image = Image.new("L", (400, 300), paper)
    ImageDraw.Draw(image).rectangle([50, 20, 90, 260], fill=pen)  # a tall bar, off centre
    digit = own.to_mnist(own.read_image(png(image)))
    assert digit.shape == (28, 28) and digit.dtype == np.uint8 and digit.max() == 255
    rows, cols = np.nonzero(digit > 64)
    assert rows.max() - rows.min() + 1 == 20  # the long side fills 20 pixels
    assert cols.max() - cols.min() + 1 <= 5  # the aspect ratio is kept
    cy, cx = centre_of_mass(digit)
    assert abs(cy - 14) < 1 and abs(cx - 14) < 1
    assert digit[0].max() == 0 and digit[:, 0].max() == 0  # background is black, as in MNIST


def test_an_mnist_digit_photographed_large_comes_back_close_to_itself():
    original = data.load().test.images[0].numpy()
    large = Image.fromarray(255 - original).resize((280, 280), Image.Resampling.BILINEAR)
    rgb = Image.merge("RGB", [large] * 3)
    back = own.to_mnist(own.read_image(png(rgb, "JPEG")))
    a, b = original.astype(float).ravel(), back.astype(float).ravel()
    assert np.corrcoef(a, b)[0, 1] > 0.8


def test_transparent_background_counts_as_paper():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([30, 20, 70, 80], outline=(0, 0, 0, 255), width=8)
    digit = own.to_mnist(own.read_image(png(image)))
    assert digit.max() == 255 and digit[14, 14] < 64  # a ring: ink around, a hole in the middle


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"this is not a picture", "not a picture"),
        (png(Image.new("L", (50, 50), 255)), "looks blank"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a picture"),
    ],
)
def test_bad_uploads_are_refused_in_words(raw, message):
    with pytest.raises(own.ImageError, match=message):
        own.to_mnist(own.read_image(raw))


def test_huge_pictures_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(own, "MAX_PIXELS", 100)
    with pytest.raises(own.ImageError, match="too many to read safely"):
        own.read_image(png(Image.new("L", (20, 20))))
    monkeypatch.setattr(own, "MAX_BYTES", 10)
    with pytest.raises(own.ImageError, match="the limit is"):
        own.read_image(png(Image.new("L", (20, 20))))


def test_the_model_reads_an_own_digit_like_the_original():
    from mnist49.config import Config
    from mnist49.training import train

    config = Config(epochs=4, device="cpu")
    model = train.fit(config, train.prepare(config)).model.eval()
    test = data.load().test
    agree = 0
    for i in range(20):
        photo = Image.fromarray(255 - test.images[i].numpy()).resize((140, 140))
        mine = own.to_mnist(own.read_image(png(photo)))
        x = torch.from_numpy(np.stack([test.images[i].numpy(), mine])).float()[:, None] / 255
        with torch.no_grad():
            same = ((model(x) > 0)[0] == (model(x) > 0)[1]).item()
        agree += same
    assert agree >= 18  # preprocessing keeps what the model sees


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width x height pixels (its header) with almost no data: a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side, megapixels", [(20000, "400"), (6000, "36")])
def test_a_decompression_bomb_is_said_to_have_too_many_pixels(side, megapixels):
    with pytest.raises(own.ImageError, match=f"has {megapixels} million pixels, too many") as e:
        own.read_image(png_header(side, side))
    assert e.value.kind == "too many pixels" and e.value.facts["limit"] == own.MAX_PIXELS / 1e6
