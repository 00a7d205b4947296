"""Suspect train labels: out-of-fold probabilities by K-fold cross-validation, ranked by
cleanlab's confident learning (Northcutt, Jiang and Chuang, "Confident Learning", JAIR 2021).

Each fold trains as one replicate of a batched model (mnist49.training.replicates) on the other K-1 folds
and predicts the held-out one, so K folds cost about one run of K seeds.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import torch

from mnist49 import data
from mnist49.config import Config
from mnist49.models.model import probabilities
from mnist49.training import evaluate, events, replicates, train


def split_of(config: Config) -> tuple[train.Split, np.ndarray]:
    """The config's train digits as a Split (tests unused) and their places in the train set."""
    dataset = data.load(config.data, config.digits)
    data.check_exclude(config.data, dataset.train, config.exclude)
    digits, index = data.sample(dataset.train, config.train_size, config.train_digits_seed, config.exclude)
    x, y = data.to_tensors(digits, config.digits, train.resolve_device(config.device))
    return train.Split(x, y, x[:1], y[:1], torch.zeros(1, dtype=torch.long)), np.asarray(index)


def out_of_fold(
    config: Config,
    x: torch.Tensor,
    y: torch.Tensor,
    folds: int = 5,
    stop: events.Stop | None = None,
    to: events.Sink | Iterable[events.Sink] | None = None,
) -> np.ndarray:
    """Each train digit's probabilities (N, C) from the fold's model that never saw it.

    The batched model needs folds of one size: held-out folds smaller than the largest are
    padded with their own first digits (predicted twice, kept once), and each fold trains on
    the first N - largest of the other digits (at most one digit fewer than it could)."""
    n = len(y)
    if not 2 <= folds <= min(10, n):
        raise ValueError(f"folds must be 2 to {min(10, n)}, got {folds}")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(config.seed)).numpy()
    parts = np.array_split(order, folds)
    size = max(len(p) for p in parts)
    splits = []
    for k, held in enumerate(parts):
        rest = np.concatenate([p for j, p in enumerate(parts) if j != k])[: n - size]
        test = np.concatenate([held, held[: size - len(held)]])
        rest_t, test_t = torch.as_tensor(rest), torch.as_tensor(test)
        splits.append(train.Split(x[rest_t], y[rest_t], x[test_t], y[test_t], test_t))
    configs = config.replace(seeds=folds, train_size=n - size).replicates()
    results = replicates.fit_replicates(configs, splits, to, stop)
    out = np.zeros((n, len(config.digits)))
    for held, result in zip(parts, results, strict=True):
        out[held] = evaluate._columns(probabilities(result.test_logits).numpy())[: len(held)]
    return out


def suspects(labels: np.ndarray, probs: np.ndarray, digits: tuple[int, ...]) -> pd.DataFrame:
    """The digits cleanlab flags as label issues, most suspect first: position, label, the
    suggested digit (the likeliest), the probability of the given label and cleanlab's label
    quality (0 = surely wrong, 1 = surely right). `labels`: class positions (N,)."""
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    labels = np.asarray(labels, dtype=int)
    # n_jobs=1: its default forks a pool, which hangs a process that has run torch's threads
    ranked = find_label_issues(labels, probs, return_indices_ranked_by="self_confidence", n_jobs=1)
    quality = get_label_quality_scores(labels, probs)
    names = np.asarray(digits)
    return pd.DataFrame(
        {
            "position": ranked,
            "label": names[labels[ranked]],
            "suggested": names[probs[ranked].argmax(1)],
            "p_label": probs[ranked, labels[ranked]],
            "quality": quality[ranked],
        }
    )


def check(
    config: Config,
    folds: int = 5,
    stop: events.Stop | None = None,
    to: events.Sink | Iterable[events.Sink] | None = None,
) -> tuple[pd.DataFrame, int]:
    """The config's suspect train digits (`suspects`, with each one's `index` in the train set
    first) and how many digits were checked. `to` gets the training's events (fit_replicates')."""
    split, index = split_of(config)
    probs = out_of_fold(config, split.x_train, split.y_train, folds, stop, to)
    found = suspects(split.y_train.long().cpu().numpy(), probs, config.digits)
    found.insert(0, "index", index[found["position"].to_numpy()])
    probs_of = probs[found["position"].to_numpy()]
    found["p_suggested"] = probs_of[
        np.arange(len(found)), [config.digits.index(d) for d in found["suggested"]]
    ]
    return found, len(index)
