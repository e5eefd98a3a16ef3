"""Which query parameters belong to a page's address, and in which order: the one list the server's absolute links
(canonical, hreflang, og:url) and its page cache are keyed by.

A parameter a page does not read, or a value that names nothing in the data (an unknown program, a kecamatan not
in the city), is left out: such junk must not be copied into every link of the page, nor make a page of its own
in the cache (issue #22, item 1). The number of distinct addresses is then bounded by the data, not by what a
client sends.

Pure: the caller hands in what the data know (program codes, source names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.contract import DIMENSIONS
from core.site_map import STATUS_ORDER, MapFilter
from core.wilayah import KECAMATAN, KELURAHAN

Params = tuple[tuple[str, str], ...]

# The program a page is about: /program, its history, its survey and its survey results.
PROGRAM = "program"
# The map's filters (components/map_deck.py FILTER_PARAMS, in that order), each repeatable.
MAP_FILTERS = ("dimensi", "nama_program", "status", "kecamatan", "kelurahan")
# The history's "changed after publication only" switch, and the health page's offices (repeatable).
CHANGED_ONLY, SKPD = "berubah", "skpd"
# The general survey's scope (app_pages/feedback.py): not a program, but a page of its own.
GENERAL_SURVEY = "umum"

# Each public page's own parameters, in the order its address writes them (the language comes last, added by
# core.sitemap.page_path). Not here on purpose: /riwayat's dari and sampai. Two dates make a reading of the
# program's history, not a page of its own, and their values are not bounded by the data (any day of any year);
# the app keeps them in the reader's address bar and in "cite this", where they matter.
PAGE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "/": (),
    "/program": (PROGRAM,),
    "/peta": MAP_FILTERS,
    "/riwayat": (PROGRAM, CHANGED_ONLY),
    "/survei": (PROGRAM,),
    "/hasil-survei": (PROGRAM,),
    "/kesehatan-data": (SKPD,),
    "/tentang": (),
}
# The parameters that may be given more than once (a multiselect's choices); the others keep their first value.
REPEATABLE = frozenset({*MAP_FILTERS, SKPD})


def known_values(path: str, programs: Sequence[str], sources: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Every value each of the page's parameters may take, in the order a canonical address lists them.

    ``programs``: the published program codes; ``sources``: the configured sources' names (the health page's
    ``skpd``, as the SKPD's own link writes it). The map's other filters take the contract's and the city's values.
    """
    codes = tuple(programs)
    values: dict[str, tuple[str, ...]] = {
        PROGRAM: (*codes, GENERAL_SURVEY) if path == "/survei" else codes,
        "dimensi": tuple(d.canonical for d in DIMENSIONS),
        "nama_program": codes,
        "status": STATUS_ORDER,
        "kecamatan": KECAMATAN,
        "kelurahan": tuple(k.nama for k in KELURAHAN),
        CHANGED_ONLY: ("ya",),
        SKPD: tuple(sources),
    }
    return {name: values[name] for name in PAGE_PARAMETERS.get(path, ())}


@dataclass(frozen=True)
class PageView:
    """What a request for a page asks that the page's address keeps: its own known parameters, and whether it
    named something the data do not have (``/program?program=<unknown>``: a 404, the same for every such value)."""

    params: Params
    unknown: frozenset[str]

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.params if key == name), None)


def page_view(path: str, asked: Sequence[tuple[str, str]], known: Mapping[str, Sequence[str]]) -> PageView:
    """The page's parameters from what a request asked, in canonical form: its own parameters only, in the page's
    order; only values in ``known``, each once, in ``known``'s order (a filter is a set: the order it was clicked
    in makes no other page); a single-valued parameter keeps its first known value. ``unknown`` names the page's
    parameters that were asked with no known value at all."""
    params: list[tuple[str, str]] = []
    unknown: set[str] = set()
    for name in PAGE_PARAMETERS.get(path, ()):
        wanted = {value for key, value in asked if key == name}
        if not wanted:
            continue
        allowed = known.get(name, ())
        if name in REPEATABLE:
            chosen = [value for value in dict.fromkeys(allowed) if value in wanted]
        else:
            first = next((value for key, value in asked if key == name and value in allowed), None)
            chosen = [first] if first is not None else []
        if not chosen:
            unknown.add(name)
        params += [(name, value) for value in chosen]
    return PageView(tuple(params), frozenset(unknown))


def map_filter(view: PageView) -> MapFilter:
    """The map's filters a /peta address (or its picture's) holds, as the map reads them."""
    values = [[value for key, value in view.params if key == name] for name in MAP_FILTERS]
    return MapFilter.of(*values)


def map_filter_params(chosen: MapFilter) -> list[tuple[str, str]]:
    """The map's filters as address parameters (in no particular order: ``page_view`` puts them in the page's)."""
    sets = (chosen.dimensions, chosen.programs, chosen.statuses, chosen.kecamatan, chosen.kelurahan)
    return [(name, value) for name, values in zip(MAP_FILTERS, sets, strict=True) for value in sorted(values)]
