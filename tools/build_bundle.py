"""Rebuild mnist49/assets/mnist49.npz, the bundled 4/9 subset, from the original MNIST IDX files.

    uv run python tools/build_bundle.py ../shared/mnist            # a torchvision root
    uv run python tools/build_bundle.py ../shared/mnist --check    # compare with the shipped file

The root holds MNIST/raw/*-ubyte or *-ubyte.gz. Keeps every 4 and 9, in the original order.
"""

import argparse
import sys
from pathlib import Path

import torch

from mnist49 import data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a torchvision MNIST root")
    parser.add_argument("--out", type=Path, default=data.bundle_path())
    parser.add_argument("--check", action="store_true", help="only compare with --out")
    args = parser.parse_args()
    rebuilt = data.load_idx_root(args.root)
    if args.check:
        shipped = data.load_bundle(args.out)
        same = all(
            torch.equal(getattr(getattr(rebuilt, s), f), getattr(getattr(shipped, s), f))
            for s in ("train", "test")
            for f in ("images", "labels")
        )
        print("identical" if same else "DIFFERENT")
        return 0 if same else 1
    data.save_bundle(rebuilt, args.out)
    print(
        f"wrote {args.out}: {len(rebuilt.train)} train, {len(rebuilt.test)} test digits, "
        f"{args.out.stat().st_size / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
