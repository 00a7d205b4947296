import pandas as pd

from mnist49 import charts


def test_answer_bars_show_every_digit_on_a_fixed_scale_with_the_answer_marked():
    probs = pd.Series([0.02] * 9 + [0.82], index=range(10))
    spec = charts.answer_bars(probs).to_dict()
    (rows,) = spec["datasets"].values()
    assert [r["digit"] for r in rows] == [str(d) for d in range(10)]
    assert [r["digit"] for r in rows if r["answer"]] == ["9"]
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]  # a flip shows as bars that swap
    two = charts.answer_bars(pd.Series([0.7, 0.3], index=[4, 9])).to_dict()
    assert [r["answer"] for r in next(iter(two["datasets"].values()))] == [True, False]
