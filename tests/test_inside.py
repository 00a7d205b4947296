import numpy as np
import pytest
import torch

from mnist49 import images
from mnist49.analysis import inside
from mnist49.models import model


def test_stages_follow_the_chapter_shapes():
    cnn = model.build("cnn", (4, 8, 16))
    found = inside.stages(cnn, torch.rand(1, 1, 28, 28))
    assert [tuple(s.maps.shape) for s in found] == [
        (4, 26, 26),
        (4, 26, 26),
        (4, 13, 13),
        (8, 11, 11),
        (8, 11, 11),
        (8, 5, 5),
        (16, 3, 3),
        (16, 3, 3),
        (16, 1, 1),
    ]
    assert [(s.kind, s.number, s.layer) for s in found][3:6] == [
        ("conv", 2, "Conv2d"),
        ("activation", 2, "ReLU"),
        ("pool", 2, "MaxPool2d"),
    ]


def test_kernels_are_the_conv_weights():
    cnn = model.build("cnn", (4, 8, 16))
    assert [tuple(k.shape) for k in inside.kernels(cnn)] == [(4, 1, 3, 3), (8, 4, 3, 3), (16, 8, 3, 3)]
    assert torch.equal(inside.kernels(cnn)[0], cnn.features[0].weight)


def test_saliency_of_a_linear_model_is_its_weights():
    # for a single Linear layer the gradient of the logit w.r.t. each pixel is that pixel's weight
    mlp = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 1))
    with torch.no_grad():
        mlp[1].weight.zero_()
        mlp[1].weight[0, 28 * 5 + 7] = -2.0
        mlp[1].weight[0, 28 * 9 + 9] = 1.0
    net = torch.nn.Sequential(mlp, torch.nn.Flatten(0))
    heat = inside.saliency(net, torch.rand(3, 1, 28, 28))
    assert heat.shape == (3, 28, 28)
    assert heat[0, 5, 7] == 1.0 and heat[0, 9, 9] == 0.5 and heat[0].sum() == 1.5


def test_to_pixels_and_overlay():
    maps = torch.tensor([[[0.0, 1.0], [2.0, 4.0]], [[2.0, 2.0], [2.0, 2.0]]])
    assert inside.to_pixels(maps)[0].tolist() == [[0, 64], [128, 255]]
    assert inside.to_pixels(maps)[1].unique().tolist() == [128]  # on the stage's shared scale
    assert inside.to_pixels(torch.ones(2, 1, 1)).max() == 0  # an all-equal stage
    rgb = images.overlay(np.array([[[0, 255]]], np.uint8), np.array([[[1.0, 0.0]]]))
    assert rgb.tolist() == [[[[255, 0, 0], [0, 0, 0]]]]  # hot background red, cold ink black
    assert images.grid(rgb, ["x"], scale=2).mode == "RGB"


def test_saliency_of_more_digits_follows_the_most_likely_class():
    torch.manual_seed(0)
    cnn = model.build("cnn", (4, 8, 16), outputs=10)
    x = torch.rand(3, 1, 28, 28)
    maps = inside.saliency(cnn, x)
    assert maps.shape == (3, 28, 28) and maps.amax((1, 2)).tolist() == [1.0, 1.0, 1.0]
    # the same as the gradient of the top logit of one digit alone
    one = x[:1].clone().requires_grad_(True)
    logits = cnn(one)
    logits[0, logits.argmax()].backward()
    expected = one.grad.abs()[0, 0]
    assert torch.allclose(maps[0], expected / expected.max(), atol=1e-6)


def test_a_bordered_white_tile_reads_as_a_tile():
    from mnist49 import images

    white = np.zeros((1, 4, 4), dtype=np.uint8)  # ink 0: drawn all white
    plain, bordered = (np.asarray(images.grid(white, cols=1, scale=2, border=b)) for b in (False, True))
    assert (plain == 255).all()  # without a border the tile is the page
    assert bordered[3, 3] < 255 and bordered[12, 12] < 255  # its outline, around the 8x8 cell at 4..11
    assert (bordered[4:12, 4:12] == 255).all()  # and the tile itself still white


def test_a_grid_refuses_captions_its_font_cannot_draw():
    """PIL's built-in font has no Japanese glyphs ("4 の平均" came out as "4 □□□"): words go on
    the page, and a grid takes only ASCII captions."""
    digits = np.zeros((2, 28, 28), dtype=np.uint8)
    assert images.grid(digits, ["4? 97%", "9? 51%"]).size[0] > 0
    with pytest.raises(ValueError, match="must be ASCII"):
        images.grid(digits, ["4 の平均", "9 の平均"])
