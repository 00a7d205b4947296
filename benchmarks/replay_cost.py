"""What recording the replay costs: fit with and without p(9) of every test digit per epoch.

    uv run python benchmarks/replay_cost.py [--epochs 20] [--repeats 5]
"""

import argparse
import statistics

from mnist49 import train
from mnist49.config import Config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    config = Config(epochs=args.epochs, device="cpu")
    split = train.prepare(config)
    train.fit(config.replace(epochs=1), split)  # warm-up
    plain, recorded = [], []
    for _ in range(args.repeats):  # alternate, so machine noise hits both alike
        plain.append(sum(r.seconds for r in train.fit(config, split).history))
        kept = []
        recorded.append(sum(r.seconds for r in train.fit(config, split, on_probs=[kept.append]).history))
        assert len(kept) == args.epochs
    p, r = statistics.median(plain), statistics.median(recorded)
    print(f"{args.repeats} x {args.epochs} epochs of the default recipe (500 test digits)")
    print(f"without replay : {p:.3f} s")
    print(f"with replay    : {r:.3f} s")
    print(f"cost           : {(r / p - 1) * 100:+.1f}%")


if __name__ == "__main__":
    main()
