import torch

from mnist49 import augment, data


def test_seeded_versions_repeat_and_leave_the_global_rng_alone():
    x = data.to_inputs(data.load().test.images[:2])  # (2, 1, 28, 28)
    names = ("rotate", "shift")
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a = augment.versions(x, names, 3, seed=5)
    assert torch.equal(torch.get_rng_state(), before)  # other sessions' draws are not disturbed
    assert a.shape == (6, 1, 28, 28)
    assert torch.equal(a, augment.versions(x, names, 3, seed=5))
    assert not torch.equal(a, augment.versions(x, names, 3, seed=6))
    assert not torch.equal(a[:2], a[2:4])  # each version drawn anew
    assert torch.equal(augment.versions(x, (), 2, seed=0), torch.cat([x, x]))
