"""Seconds per epoch: the chapter's loop against mnist49's, in one process, on the same digits.

    uv run python benchmarks/train_speed.py [--epochs 10] [--repeats 3]

The chapter's way: torchvision's MNIST with a ToTensor transform, a Subset, a DataLoader of
batch 100, a model ending in a sigmoid with BCELoss. Both train the default recipe on the same
2,000 train and 500 test digits; the two loops alternate so machine noise hits both alike.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

from mnist49 import data
from mnist49.config import Config
from mnist49.training import train


def chapter_epochs(
    root: Path, train_index: list[int], test_index: list[int], epochs: int, seed: int
) -> tuple[list[float], float]:
    """The chapter's script, kept as the chapter wrote it; returns seconds per epoch, accuracy."""
    torch.manual_seed(seed)
    tf = transforms.ToTensor()
    train_set = Subset(datasets.MNIST(root, train=True, transform=tf), train_index)
    test_set = Subset(datasets.MNIST(root, train=False, transform=tf), test_index)
    train_loader = DataLoader(train_set, batch_size=100, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=100)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16, 1),
        nn.Sigmoid(),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.004)
    loss_fn = nn.BCELoss()
    seconds, accuracy = [], 0.0
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        for x, y in train_loader:
            y = (y == 9).float().unsqueeze(1)
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in test_loader:
                y = (y == 9).float().unsqueeze(1)
                p = model(x)
                loss_fn(p, y)
                correct += ((p > 0.5).float() == y).sum().item()
        accuracy = correct / len(test_set)
        seconds.append(time.perf_counter() - start)
    return seconds, accuracy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = Config(epochs=args.epochs, device="cpu")
    dataset = data.load()
    split = train.prepare(config)
    _, train_index = data.sample(dataset.train, config.train_size, config.seed)
    _, test_index = data.sample(dataset.test, config.test_size, config.seed + 1)
    with tempfile.TemporaryDirectory() as root:
        raw = Path(root) / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for is_train, digits in ((True, dataset.train), (False, dataset.test)):
            images_name, labels_name = data.RAW_FILES[is_train]
            data.write_idx(raw / images_name, digits.images.numpy())
            data.write_idx(raw / labels_name, digits.labels.numpy().astype("uint8"))
        chapter, ours, acc = [], [], {}
        train.fit(config.replace(epochs=1), split)  # warm-up: lazy imports, allocator
        for _ in range(args.repeats):
            seconds, acc["chapter"] = chapter_epochs(
                root, train_index.tolist(), test_index.tolist(), args.epochs, config.seed
            )
            chapter += seconds[1:]  # the first epoch of each pays one-off costs
            result = train.fit(config, split)
            ours += [r.seconds for r in result.history[1:]]
            acc["mnist49"] = result.history[-1].test_accuracy
    c, o = statistics.median(chapter), statistics.median(ours)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"{args.repeats} x {args.epochs} epochs of 2,000 train / 500 test digits"
    )
    print(f"chapter loop : {c:.3f} s/epoch (median), final test accuracy {acc['chapter']:.3f}")
    print(f"mnist49 fit  : {o:.3f} s/epoch (median), final test accuracy {acc['mnist49']:.3f}")
    print(f"speed-up     : {c / o:.1f}x")


if __name__ == "__main__":
    main()
