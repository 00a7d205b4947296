"""Start to result: `mnist49 train` (the recipe, 40 epochs) against the chapter's own script, as
whole processes (imports, data, training and evaluation all counted), alternating; and the floor
under both: a process that only imports torch, makes the first optimizer (which imports
torch._dynamo) and imports mnist49.cli.

    uv run python benchmarks/start_to_result.py [--repeats 3] [--epochs 40] [--threads 1]
        [--mnist /work/shared/mnist]

--mnist is a folder holding MNIST/raw/*-ubyte.gz (as /work/shared/mnist does); they are unzipped
into a temporary folder for torchvision, which the chapter's script reads (mnist49 reads its
bundled 4s and 9s). --threads sets OMP_NUM_THREADS for every process alike: on a machine whose
other work keeps its cores busy, torch's threads wait on each other and an epoch can take many
times its one-thread time. Every run prints its line as it ends, so a slow machine shows progress.
"""

import argparse
import gzip
import json
import os
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
for epoch in range(int(sys.argv[2])):
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


# The floor of any run: the interpreter, torch, and the first optimizer, whose add_param_group is
# wrapped by torch._disable_dynamo and so imports torch._dynamo once per process.
FLOOR = """
import json, time
t0 = time.perf_counter()
import torch
t1 = time.perf_counter()
torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
t2 = time.perf_counter()
import mnist49.cli
t3 = time.perf_counter()
print(json.dumps({"import torch": t1 - t0, "first optimizer (dynamo)": t2 - t1, "mnist49.cli": t3 - t2}))
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """The wall seconds of a whole process, and its stdout."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"{command[:4]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s median (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--threads", type=int, default=None, help="OMP_NUM_THREADS (default: torch's own)")
    parser.add_argument("--mnist", type=Path, default=Path("/work/shared/mnist"))
    args = parser.parse_args()
    env = dict(os.environ) | ({"OMP_NUM_THREADS": str(args.threads)} if args.threads else {})
    threads = args.threads or "torch's default"
    print(f"load average before: {os.getloadavg()[0]:.1f}; threads: {threads}", flush=True)
    walls: dict[str, list[float]] = {"chapter script": [], "mnist49 train": []}
    parts: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        unpack(args.mnist, root / "data")
        script = root / "chapter.py"
        script.write_text(CHAPTER)
        commands = {
            "chapter script": [sys.executable, str(script), str(root / "data"), str(args.epochs)],
            "mnist49 train": [sys.executable, "-m", "mnist49", "train", "--epochs", str(args.epochs)]
            + ["--device", "cpu", "--runs-dir", str(root / "runs"), "--json"],
            "floor": [sys.executable, "-c", FLOOR],
        }
        for i in range(args.repeats):  # alternating, so machine noise hits all alike
            for name, command in commands.items():
                seconds, out = timed(command, env)
                if name == "floor":
                    found = json.loads(out.splitlines()[-1])
                elif name == "mnist49 train":
                    result = json.loads(out.splitlines()[-1])
                    epochs = result["seconds_per_epoch"] * result["epochs"]
                    found = {"its epochs": epochs, "its start-up and writing": result["startup_seconds"]}
                else:
                    found = {}
                if name in walls:
                    walls[name].append(seconds)
                for part, value in found.items():
                    parts.setdefault(part, []).append(value)
                shown = ", ".join(f"{k} {v:.2f}" for k, v in found.items())
                print(
                    f"run {i + 1} {name}: {seconds:.2f} s wall" + (f" ({shown})" if shown else ""), flush=True
                )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    for name, seconds in walls.items():
        print(f"{name:15s}: {spread(seconds)} wall, {args.repeats} runs")
    for part, seconds in parts.items():
        print(f"  {part}: {spread(seconds)}")
    ratio = statistics.median(walls["chapter script"]) / statistics.median(walls["mnist49 train"])
    print(f"mnist49 is {ratio:.2f}x faster start to result")


if __name__ == "__main__":
    main()
