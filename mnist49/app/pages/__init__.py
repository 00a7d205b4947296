"""The pages, one module each, in the sidebar's order (streamlit_app.py)."""
