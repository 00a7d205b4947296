import numpy as np
import pytest
import torch

from mnist49 import data
from mnist49.analysis import nearest
from mnist49.config import Config


def test_nearest_finds_the_closest_images_first():
    images = torch.zeros(4, 28, 28, dtype=torch.uint8)
    images[1, :14] = 255  # top half lit: 392 pixels at 1.0
    images[2, :7] = 255  # top quarter: 196 pixels
    images[3] = 255  # all of it
    query = np.zeros((28, 28), dtype=np.uint8)
    query[:14] = 255
    index, distance = nearest.nearest(query, nearest.Index.of(images), k=3)
    assert index.tolist() == [1, 2, 0]  # then the blank one; the full one (392 off) is cut
    assert distance.tolist() == pytest.approx([0.0, 196**0.5, 392**0.5])
    assert len(nearest.nearest(query, nearest.Index.of(images), k=10)[0]) == 4  # never more than there are


def test_nearest_ranks_as_the_plain_pixel_distance_does():
    images = data.load().train.images[:500]
    query = data.load().test.images[0].numpy()
    index, distance = nearest.nearest(query, nearest.Index.of(images), k=10)
    plain = images.reshape(500, -1).float() / 255 - torch.from_numpy(query).reshape(-1).float() / 255
    expected = plain.square().sum(1).sqrt()
    assert index.tolist() == expected.argsort()[:10].tolist()
    assert distance.tolist() == pytest.approx(expected.sort().values[:10].tolist(), abs=1e-3)


def test_train_digits_are_the_runs_own_sample():
    config = Config(train_size=300, seed=7)
    digits = nearest.train_digits(config)
    everything = data.load().train
    expected, _ = data.sample(everything, 300, 7)
    assert torch.equal(digits.images, expected.images) and len(digits) == 300
    # and the run's training digits are exactly these: train.prepare draws the same sample
    from mnist49.training.train import prepare

    split = prepare(config.replace(device="cpu"))
    assert torch.equal(data.to_inputs(digits.images), split.x_train)
