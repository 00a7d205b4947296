"""Compare: two or more runs' curves overlaid, what differs, and the digits they disagree on."""

import streamlit as st

from mnist49 import charts, compare, data
from mnist49.app import common

st.title("Compare")
st.caption("Pick runs to lay their curves over each other: a colour per run, solid train loss, "
           "dashed test loss, dotted test accuracy (right axis).")
found = {r.name: r for r in common.list_runs() if len(r.history)}
if len(found) < 2:
    st.info("Comparing needs at least two runs with finished epochs. Train some on the **Train** "
            "page (the **Try this** buttons make good pairs).", icon=":material/info:")
    st.page_link("mnist49/app/train.py", label="Go to Train", icon=":material/show_chart:")
    st.stop()
chosen = st.multiselect("Runs", list(found), default=list(found)[:2], key="compare_runs",
                        format_func=lambda n: common.run_label(found[n]))
if len(chosen) < 2:
    st.warning("Choose at least two runs.")
    st.stop()
picked = [found[n] for n in chosen]
st.altair_chart(charts.compare(compare.curves(picked)), width="stretch")

st.subheader("Settings that differ")
differ = compare.differing_settings(picked)
if differ.empty:
    st.caption("None: the runs used the same settings.")
else:
    st.dataframe(differ, width="stretch")

a, b = picked[:2]
st.subheader(f"Digits one run gets right and the other wrong ({a.name} vs {b.name})")
split = compare.disagreements(a, b)
if split is None:
    st.caption("These two runs were not tested on the same digits (test size or seed differ), "
               "so their answers cannot be set side by side.")
elif split.empty:
    st.caption("None: both runs are right and wrong on the same digits.")
else:
    test = data.load(a.config.data).test.images
    for side, run, other in (("a", a, b), ("b", b, a)):
        rows = split[split["right"] == side]
        st.markdown(f"**Right in {run.name}, wrong in {other.name}: {len(rows)}**")
        if len(rows):
            common.show_grid(test[rows["index"].tolist()],
                             [f"{t}: {pa:.2f}/{pb:.2f}" for t, pa, pb in
                              zip(rows["label"], rows["p9_a"], rows["p9_b"], strict=True)],
                             cols=10, scale=3)
    st.caption(f"Each digit: its true label, then p(9) in {a.name} / {b.name}.")
