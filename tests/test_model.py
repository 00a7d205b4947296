import pytest
import torch

from mnist49.models import model


@pytest.mark.parametrize(
    ("name", "widths", "params"),
    [
        # conv 1*4*9+4, 4*8*9+8, 8*16*9+16, linear 16+1
        ("cnn", (4, 8, 16), 40 + 296 + 1168 + 17),
        ("cnn", (8, 16, 32), 80 + 1168 + 4640 + 33),
        # 784*128+128, 128*64+64, 64+1
        ("mlp", (128, 64), 100480 + 8256 + 65),
        ("mlp", (32,), 25120 + 33),
    ],
)
def test_logit_shape_and_parameter_count(name, widths, params):
    m = model.build(name, widths)
    assert m(torch.rand(5, 1, 28, 28)).shape == (5,)
    assert model.n_params(m) == params


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_more_digits_get_a_logit_each(name):
    m = model.build(name, (4, 8, 16) if name == "cnn" else (32,), outputs=10)
    logits = m(torch.rand(5, 1, 28, 28))
    assert logits.shape == (5, 10)
    assert model.probabilities(logits).sum(1).tolist() == pytest.approx([1.0] * 5)
    # one output row per class more than the single-logit model: (16 + 1) * 9 more parameters
    if name == "cnn":
        assert model.n_params(m) - model.n_params(model.build(name, (4, 8, 16))) == 17 * 9


def test_cnn_summary_follows_the_shapes_of_the_chapter():
    table = model.summary(model.build("cnn", (4, 8, 16)))
    shapes = table[table.layer.str.contains("Conv2d|MaxPool2d")]["output shape"].tolist()
    assert shapes == ["4x26x26", "4x13x13", "8x11x11", "8x5x5", "16x3x3", "16x1x1"]
    assert table["params"].sum() == 1521
    assert table.iloc[-1]["output shape"] == "1"


@pytest.mark.parametrize("activation", list(model.ACTIVATIONS))
def test_every_activation_builds_and_appears_in_the_summary(activation):
    m = model.build("cnn", (4, 8, 16), activation, dropout=0.5)
    table = model.summary(m)
    assert (table.layer.str.endswith(model.activation_class(activation).__name__)).sum() == 3
    assert m.training  # the summary leaves the model as it found it


def test_cnn_matches_a_hand_computed_value():
    m = model.build("cnn", (1, 1, 1))
    with torch.no_grad():
        for p in m.parameters():
            p.zero_()
        for conv in (m.features[0], m.features[3], m.features[6]):
            conv.weight[0, 0, 1, 1] = 1.0  # each conv passes its centre pixel through
        m.head[2].weight.fill_(2.0)
        m.head[2].bias.fill_(-1.0)
    x = torch.zeros(1, 1, 28, 28)
    x[0, 0, 10, 10] = 0.75
    # the pixel survives conv, relu and every pool (maxpool keeps it), so the logit is 2*0.75-1
    assert m(x).item() == pytest.approx(0.5)
