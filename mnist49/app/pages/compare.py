"""Compare: two or more runs' curves overlaid, what differs, and the digits they disagree on."""

import streamlit as st

from mnist49 import charts_compare, data, runs
from mnist49.analysis import compare
from mnist49.app import common, digits_view, tables
from mnist49.app.text import chart_labels, md, t

st.title(t("page.compare"))
st.caption(t("compare.caption"))
found = {r.name: r for r in common.list_runs() if len(r.history)}
if len(found) < 2:
    st.info(t("compare.too_few"), icon=":material/info:")
    st.page_link("mnist49/app/pages/train.py", label=t("common.go_train"), icon=":material/show_chart:")
    st.stop()
# the picked runs, kept across page switches while they exist (the two newest at first)
PICKED = common.KEEP + "compare_runs"
st.session_state[PICKED] = [n for n in st.session_state.get(PICKED, list(found)[:2]) if n in found]
sweeps: dict[str, list[str]] = {}
for name, run in found.items():
    if run.sweep is not None:
        sweeps.setdefault(run.sweep, []).append(name)


def _pick_sweep() -> None:
    if st.session_state["compare_sweep"] is not None:
        st.session_state[PICKED] = sweeps[st.session_state["compare_sweep"]]


if sweeps:
    st.selectbox(
        t("compare.sweep"),
        list(sweeps),
        index=None,
        key="compare_sweep",
        on_change=_pick_sweep,
        placeholder=t("compare.sweep_placeholder"),
    )
chosen = st.multiselect(
    t("compare.runs"),
    list(found),
    key=PICKED,
    format_func={n: common.run_label(r) for n, r in found.items()}.get,
)
if len(chosen) < 2:
    st.warning(t("compare.choose_two"))
    st.stop()
picked = [found[n] for n in chosen]
try:
    bands = compare.bands(picked)
except runs.RunError as e:
    st.error(t("common.run_error", error=e))
    bands = None
st.altair_chart(charts_compare.compare(compare.curves(picked), chart_labels(), bands), width="stretch")

st.subheader(t("compare.verdicts"))
st.caption(t("compare.verdicts_caption"))
letters = {r.name: charts_compare.letter(i) for i, r in enumerate(picked)}
st.markdown("  \n".join(f"**{letters[r.name]}**: {md(r.name)}" for r in picked))
for i, a in enumerate(picked):
    for b in picked[i + 1 :]:
        st.markdown(t("compare.pair", a=letters[a.name], b=letters[b.name]))
        common.verdicts_ui(a, b, letters[a.name], letters[b.name])

st.subheader(t("compare.differ"))
differ = compare.differing_settings(picked)
if differ.empty:
    st.caption(t("compare.same"))
else:
    # the settings' names as a column of their own, sized to the longest as the others are; keyed
    # "/setting", which no run's folder name can be (a run called "setting" would clash)
    differ = differ.rename(index=lambda f: t(f"field.{f}")).rename_axis("/setting").reset_index()
    columns = {"/setting": st.column_config.Column(t("compare.setting"))}
    st.dataframe(differ, hide_index=True, width="stretch", column_config=tables.sized(differ, columns))

a, b = picked[:2]
st.subheader(t("compare.split", a=md(a.name), b=md(b.name)))
if a.config.seeds > 1 or b.config.seeds > 1:  # the verdict pools the seeds; this one seed each
    st.caption(t("compare.split_basis"))
try:
    split = compare.disagreements(a, b)
except runs.RunError as e:
    st.error(t("common.run_error", error=e))
    st.stop()
if split is None:
    st.caption(t("compare.not_same_digits"))
elif split.empty:
    st.caption(t("compare.agree"))
else:
    try:
        test = data.load(a.config.data, a.config.digits).test.images
    except data.DataError as e:
        st.error(t("common.data_error", error=e))
        st.stop()
    for side, run, other in (("a", a, b), ("b", b, a)):
        rows = split[split["right"] == side]
        st.markdown(t("compare.right_in", right=md(run.name), wrong=md(other.name), n=len(rows)))
        if len(rows):
            digits_view.show_grid(
                test[rows["index"].tolist()],
                [
                    f"{d}: {pa}/{pb}"
                    for d, pa, pb in zip(rows["label"], rows["predicted_a"], rows["predicted_b"], strict=True)
                ],
                cols=10,
                scale=3,
            )
            digits_view.reviews_ui(rows["index"], a.config.digits)
    st.caption(t("compare.gallery_caption", a=md(a.name), b=md(b.name)))
