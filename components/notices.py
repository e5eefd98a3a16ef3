"""Notices every page may show: sample data, failing sources."""

from __future__ import annotations

import streamlit as st

from core.i18n import t


def sample_data_notice(lang: str) -> None:
    st.warning(t("sample.notice", lang), icon=":material/science:")
