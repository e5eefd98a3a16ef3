"""The app's edge: what one server process owns (the ``Portal`` with its background threads, cached per process
with ``st.cache_resource``). Pages reach the published data through it; data_sources and core never import it.
"""
