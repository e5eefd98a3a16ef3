"""What the map page reads: the latest sites and programs, already split into public sites and home counts.

The split (``core.site_map``) happens here, on the server, before anything is handed to a page, so
a page cannot pass a home's stored row to the browser by mistake.
"""

from __future__ import annotations

from typing import Any

from core.site_map import PrivateCount, PublicSite, private_site_counts, public_sites
from data_sources.portal import Portal


def map_data(portal: Portal) -> tuple[list[PublicSite], list[PrivateCount], list[dict[str, Any]]]:
    """(public sites, homes counted per program and kelurahan, program rows) from the latest snapshots."""
    states = portal.source_states()
    sites = portal.latest_rows("lokasi", states)
    programs = portal.latest_rows("program", states)
    return public_sites(sites, programs), private_site_counts(sites, programs), programs
