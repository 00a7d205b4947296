"""The Streamlit pages. Only this sub-package imports streamlit; the core stays UI-free."""
