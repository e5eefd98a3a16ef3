"""Pure domain logic: no Streamlit, no I/O, no imports from the rest of the project."""
