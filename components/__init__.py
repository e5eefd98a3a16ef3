"""Reusable Streamlit pieces. They import ``core`` only, and take plain data from pages."""
