"""What one stroke on Your digit costs the server: the canvas PNG made into a 28x28 digit, the
answer with its saliency, and the nearest training digits among 2,000 (the recipe's) and all
11,791 4s and 9s, the plain way and with `nearest.Index` (steps alternate within each repeat,
so the machine's slow spells hit both alike). Median and spread over repeats, in milliseconds.

uv run python benchmarks/stroke_cost.py [--repeats 50] [--threads N]
"""

import argparse
import io
import statistics
import time

import torch
from PIL import Image, ImageDraw

from mnist49 import data
from mnist49.analysis import inside, nearest, own
from mnist49.config import Config
from mnist49.training import evaluate
from mnist49.training.train import make_model


def canvas_png() -> bytes:
    """A 9 as the 280x280 canvas sends it: black pen on white, 22 px wide."""
    picture = Image.new("RGBA", (280, 280), "white")
    pen = ImageDraw.Draw(picture)
    pen.line([(100, 60), (180, 60), (180, 130), (100, 130), (100, 60)], fill="black", width=22)
    pen.line([(180, 60), (180, 240)], fill="black", width=22)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def plain_nearest(digit, images: torch.Tensor, k: int = 10) -> torch.Tensor:
    """The straightforward way, for comparison: every pixel difference of every digit, per query."""
    query = torch.from_numpy(digit).reshape(1, -1).float() / 255
    distances = (images.reshape(len(images), -1).float() / 255 - query).square().sum(1).sqrt()
    return distances.topk(k, largest=False).indices


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    png, config = canvas_png(), Config(device="cpu")
    digit = own.to_mnist(own.read_image(png))
    model = make_model(config, torch.device("cpu")).eval()
    x = data.to_inputs(torch.from_numpy(digit)[None])  # (1, 1, 28, 28)
    recipe = nearest.train_digits(config).images  # (2000, 28, 28)
    every = data.load().train.images  # (11791, 28, 28)
    steps = {
        "canvas PNG -> 28x28 digit": lambda: own.to_mnist(own.read_image(png)),
        "answer + saliency": lambda: (evaluate.answer(model, x, config.digits), inside.saliency(model, x)),
    }
    for images in (recipe, every):
        index = nearest.Index.of(images)
        steps[f"nearest of {len(images):,}, plain"] = lambda images=images: plain_nearest(digit, images)
        steps[f"nearest of {len(images):,}, indexed"] = lambda index=index: nearest.nearest(digit, index)
    print(f"{args.repeats} repeats each, torch threads {torch.get_num_threads()}")
    for step in steps.values():
        step()  # warm-up
    seconds = {name: [] for name in steps}
    for _ in range(args.repeats):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            seconds[name].append(time.perf_counter() - start)
    for name, spent in seconds.items():
        ms = [s * 1000 for s in spent]
        print(f"{name:<30} median {statistics.median(ms):7.2f} ms   min {min(ms):7.2f}   max {max(ms):7.2f}")
    for n in (len(recipe), len(every)):
        plain, indexed = (statistics.median(seconds[f"nearest of {n:,}, {w}"]) for w in ("plain", "indexed"))
        print(f"nearest of {n:,}: indexed {plain / indexed:.1f}x faster (median / median)")


if __name__ == "__main__":
    main()
