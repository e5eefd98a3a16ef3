"""The transparency log on /admin: no key, a key that cannot be used, a failed start-up check (issue 24).

The problems are the portal's own words (``data_sources``: paths from portal.toml, leaf indexes, sizes), never a
key's content or a row's; shown as the Markdown they are written in (paths in code spans).
"""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.text import Text
from data_sources.config.signing_key import SigningKey
from data_sources.jobs.log_startup import LogStartup


def log_warnings(key: SigningKey | Text | None, startup: LogStartup | None, lang: str, checking: bool = False) -> None:
    """``key``: ``usable_key`` now (a problem as Text, None when none is configured); ``startup``: what the start-up
    check found (None: it could not run, and the server's log says why); ``checking``: it is still running."""
    if checking:
        st.info(t("admin.log.checking", lang), icon=":material/hourglass_top:")
    if key is None:
        # A choice the team may make for now (the log is kept all the same): said, not warned about.
        st.info(t("admin.log.no_key", lang), icon=":material/key_off:")
    elif isinstance(key, Text):
        st.warning(t("admin.log.key_problem", lang, problem=key.get(lang)), icon=":material/key_off:")
    if startup is not None and startup.check.problem is not None:
        problem = startup.check.problem.get(lang)
        st.warning(t("admin.log.check_failed", lang, problem=problem), icon=":material/gpp_maybe:")
