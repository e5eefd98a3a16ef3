"""The program chooser of the pages whose view is a link: it opens on the program ``?program=`` names."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from core.formatting import escape_markdown
from core.i18n import t


def program_picker(
    label: str,
    options: Sequence[str],
    format_func: Callable[[str], str],
    *,
    key: str,
    lang: str,
    unknown_key: str | None = None,
) -> str:
    """A select box on the option the link's ``?program=`` names, else the first.

    ``unknown_key``: the message (with ``{code}``) said when the link names no option; the code is link text,
    so it is escaped and cut short. None: a wrong code just opens the first option, without a word.
    """
    asked = st.query_params.get("program")
    if unknown_key is not None and asked is not None and asked not in options:
        st.info(t(unknown_key, lang, code=escape_markdown(asked[:60])), icon=":material/info:")
    # The options' words may change with the language ("Semua program" / "All programs"). After a switch Streamlit
    # matched the kept choice by its old words and handed back a label, not an option, which went into the URL
    # (found by the language test in a browser): the address holds the choice, so a new language starts from it.
    drawn_in = f"{key}.lang"
    if st.session_state.get(drawn_in, lang) != lang:
        st.session_state.pop(key, None)
    st.session_state[drawn_in] = lang
    return st.selectbox(
        label,
        options,
        index=list(options).index(asked) if asked in options else 0,
        format_func=format_func,
        key=key,
    )
