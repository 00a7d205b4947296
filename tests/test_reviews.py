"""The shipped review of MNIST's test labels, against entries of cleanlab/label-errors'
mturk/mnist_mturk.json, looked up in both index spaces (ten digits and the bundled 4/9 subset)."""

import pytest

from mnist49 import data
from mnist49.analysis import reviews

TEN = tuple(range(10))


@pytest.mark.parametrize(
    ("mnist_index", "label", "suggested", "votes", "verdict"),
    [
        # entries of mnist_mturk.json: id, given_original_label, our_guessed_label, mturk votes
        (1901, 9, 4, (2, 3, 0), "error"),
        (2130, 4, 9, (2, 2, 1), "split"),
        (4823, 9, 4, (3, 2, 0), "split"),
        (247, 4, 6, (5, 0, 0), "kept"),
        (947, 8, 9, (0, 5, 0), "error"),
        (2447, 4, 4, (5, 5, 0), "kept"),
        (5937, 5, 3, (1, 3, 1), "error"),
    ],
)
def test_review_by_mnist_index(mnist_index, label, suggested, votes, verdict):
    r = reviews.review(mnist_index, TEN)
    assert (r.mnist_index, r.label, r.suggested, r.votes, r.verdict) == (
        mnist_index,
        label,
        suggested,
        votes,
        verdict,
    )


def test_every_published_entry_ships():
    t = reviews.table()
    assert len(t) == 100 and t.mnist_index.is_unique
    assert (t[["votes_label", "votes_suggested", "votes_neither"]].sum(axis=1) >= 5).all()


def test_unreviewed_digit_has_no_review():
    assert reviews.review(0, TEN) is None and reviews.review(0) is None


def test_subset_index_is_the_kth_4_or_9():
    """Bundled index k -> MNIST index: the 4s and 9s before each reviewed 4/9 in MNIST's test set
    number exactly k, and the bundled test labels at k agree with the review's label."""
    labels = data.load_bundle().test.labels
    found = {}
    for k in range(len(labels)):
        r = reviews.review(k)
        if r is not None:
            assert r.label == labels[k]
            found[r.mnist_index] = k
    t = reviews.table()
    assert len(found) == int(t.label.isin((4, 9)).sum())
    # 1901, 2130 and 4823 are the 393rd, 435th and 984th 4-or-9 of MNIST's test set
    assert (found[1901], found[2130], found[4823]) == (392, 434, 983)


def test_a_copy_without_the_gpl_file_has_no_reviews_rather_than_an_error(tmp_path, monkeypatch):
    try:
        with monkeypatch.context() as m:
            m.setattr(reviews, "reviews_path", lambda: tmp_path / "mnist_reviews.csv")
            reviews.table.cache_clear()
            reviews._to_mnist.cache_clear()
            assert reviews.review(1901, tuple(range(10))) is None
            assert reviews.review(5, (4, 9)) is None
    finally:
        reviews.table.cache_clear()
        reviews._to_mnist.cache_clear()
    assert reviews.review(1901, tuple(range(10))) is not None  # the shipped file, again
