"""Who is asking: a key for the reader's address and one for the session, for rate limits and lockouts.

The address comes from ``st.context.ip_address`` (the websocket's peer), or from the header a reverse
proxy sets when ``[feedback] client_address_header`` names one (behind nginx every peer is nginx).
Streamlit gives ``None`` for a reader on localhost and we may get none at all; callers then fall back
to the session (see docs/admin.md). Addresses are never stored: only a salted hash of them is.
"""

from __future__ import annotations

import uuid

import streamlit as st

_SESSION_KEY = "_client_session_id"


def client_address(header: str = "") -> str | None:
    """The reader's address, or None when it is unknown."""
    try:
        if header:
            value = st.context.headers.get(header)
            if isinstance(value, str) and value:
                # X-Forwarded-For style lists: the last entry is the one our own proxy appended.
                return value.split(",")[-1].strip() or None
        address = st.context.ip_address
    except Exception:  # outside a running session (bare mode) there is no connection
        return None
    # AppTest's stand-in runtime answers with a mock object, not an address: treat it as unknown.
    return address if isinstance(address, str) and address else None


def session_id() -> str:
    """A random id for this browser session, kept in session state."""
    if _SESSION_KEY not in st.session_state:
        st.session_state[_SESSION_KEY] = uuid.uuid4().hex
    return str(st.session_state[_SESSION_KEY])
