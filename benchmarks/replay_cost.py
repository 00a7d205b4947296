"""What recording the replay costs: fit with and without p(9) of every test digit per epoch.

uv run python benchmarks/replay_cost.py [--epochs 20] [--repeats 5]
"""

import argparse
import statistics

from mnist49.config import Config
from mnist49.training import events, train


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    config = Config(epochs=args.epochs, device="cpu")
    split = train.prepare(config)
    train.fit(config.replace(epochs=1), split)  # warm-up
    plain, recorded = [], []
    for i in range(args.repeats):  # alternate, and swap the order, so noise hits both alike
        for record in (False, True) if i % 2 else (True, False):
            kept = []
            history = train.fit(config, split, events.of(events.Probs, kept.append), probs=record).history
            (recorded if record else plain).append(sum(r.seconds for r in history))
            assert len(kept) == (args.epochs if record else 0)
    p, r = statistics.median(plain), statistics.median(recorded)
    print(f"{args.repeats} x {args.epochs} epochs of the default recipe (500 test digits)")
    print(f"without replay : {p:.3f} s")
    print(f"with replay    : {r:.3f} s")
    print(f"cost           : {(r / p - 1) * 100:+.1f}%")


if __name__ == "__main__":
    main()
