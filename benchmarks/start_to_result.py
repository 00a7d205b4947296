"""Start to result: `mnist49 train` (the recipe, 40 epochs) against the chapter's own script, as
whole processes (imports, data, training and evaluation all counted), alternating.

    uv run python benchmarks/start_to_result.py [--repeats 5] [--mnist /work/shared/mnist]

--mnist is a folder holding MNIST/raw/*-ubyte.gz (as /work/shared/mnist does); they are unzipped
into a temporary folder for torchvision, which both processes read.
"""

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The chapter's loop as the chapter writes it: torchvision's MNIST, 4 -> 0.0 and 9 -> 1.0, random
# 2,000 train / 500 test, batch 100, 3 x (Conv3x3 -> ReLU -> maxpool2), sigmoid + BCELoss, Adam
# 0.004, 40 epochs, the test set evaluated after each epoch.
CHAPTER = """
import random, sys
import torch
from torch import nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

root = sys.argv[1]
tf = transforms.Compose([transforms.ToTensor(), transforms.functional.rgb_to_grayscale])
target = lambda y: torch.tensor(0.0) if y == 4 else torch.tensor(1.0)
train_all = datasets.MNIST(root, train=True, transform=tf, target_transform=target)
test_all = datasets.MNIST(root, train=False, transform=tf, target_transform=target)
train_pool = [i for i, y in enumerate(train_all.targets.tolist()) if y in (4, 9)]
test_pool = [i for i, y in enumerate(test_all.targets.tolist()) if y in (4, 9)]
train_loader = DataLoader(Subset(train_all, random.sample(train_pool, 2000)), batch_size=100, shuffle=True)
test_loader = DataLoader(Subset(test_all, random.sample(test_pool, 500)), batch_size=100)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.conv3 = nn.Conv2d(8, 16, 3)
        self.fc = nn.Linear(16, 1)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = nn.functional.max_pool2d(torch.relu(self.conv3(x)), 2)
        return torch.sigmoid(self.fc(x.flatten(1))).squeeze()


model = CNN()
loss_fn = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.004)
for epoch in range(40):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            pred = model(images)
            correct += (pred.round() == labels).sum().item()
print(correct / 500)
"""


def unpack(source: Path, root: Path) -> None:
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for gz in sorted((source / "MNIST" / "raw").glob("*.gz")):
        with gzip.open(gz) as f, open(raw / gz.stem, "wb") as out:
            shutil.copyfileobj(f, out)


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mnist", type=Path, default=Path("/work/shared/mnist"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        unpack(args.mnist, root / "data")
        script = root / "chapter.py"
        script.write_text(CHAPTER)
        commands = {
            "chapter script": [sys.executable, str(script), str(root / "data")],
            "mnist49 train": [sys.executable, "-m", "mnist49", "train", "--epochs", "40"]
            + ["--device", "cpu", "--runs-dir", str(root / "runs")],
        }
        walls = {name: [] for name in commands}
        for _ in range(args.repeats):  # alternating, so machine noise hits both alike
            for name, command in commands.items():
                walls[name].append(wall(command))
    for name, seconds in walls.items():
        print(
            f"{name:15s}: {statistics.median(seconds):.2f} s median wall "
            f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {args.repeats} runs)"
        )
    ratio = statistics.median(walls["chapter script"]) / statistics.median(walls["mnist49 train"])
    print(f"mnist49 is {ratio:.2f}x faster start to result")


if __name__ == "__main__":
    main()
