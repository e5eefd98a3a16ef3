"""What the map may show of the programs' sites, and the filters over it. Pure: no Streamlit, no I/O.

Privacy rule (DESIGN.md "Personal data"; FACTS.md "Personal data"; UU 27/2022):

* A site of a program whose ``lokasi_pribadi`` is ``ya`` is a private home (RTLH). Such a site is
  never sent to the browser on its own: not its code, name, notes, dates, realisation or any
  coordinate, not even the coarsened one the store keeps. Homes are only counted, per program and
  kelurahan, and the count is drawn at the kelurahan's reference point from ``core.wilayah``
  (looked up by the kelurahan's name, never taken from a stored coordinate). What leaves this
  module for a home is: the program (code, name, dimension), the kelurahan and kecamatan, the
  number of homes and the number per status, and that reference point. Adding or removing one
  home changes a count and nothing else.
* When in doubt, hide: a site whose program row is missing, or whose ``lokasi_pribadi`` is
  anything but ``tidak``, is treated as a private home.
* Validation already coarsens private homes at ingest (``validation._coarsen_private_site``); this
  module does not rely on it, so a store written by an older or faulty version still leaks nothing.
* A public site (every other program's) is sent with only the fields the map's layers use, its
  coordinates rounded to 5 decimals (about 1 m): sheet notes, dates and snapshot ids stay on the
  server.

Scale: a map of every site is megabytes per page view at 10.000 sites. ``map_view`` therefore draws
sites one by one only when at most ``SITE_LIMIT`` match the reader's filters; above that it counts
them per kelurahan (``AreaCount``), drawn at the mean point of those sites. Homes are drawn per
program and kelurahan while there are at most ``HOME_GROUP_LIMIT`` such groups, else summed per
kelurahan. Nothing a reader could see is lost: every count says what it holds per status, a click
on it tells more, and the filters (a kelurahan, a program) bring back each site.

Coordinates leave this module in deck.gl's [lon, lat] order; the store keeps [lat, lon].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from core.contract import STATUSES
from core.wilayah import KELURAHAN, official_kecamatan, official_kelurahan

PUBLIC_DECIMALS = 5
STATUS_ORDER: tuple[str, ...] = tuple(s.canonical for s in STATUSES)

_KELURAHAN_BY_NAME = {k.nama: k for k in KELURAHAN}


class PublicSite(TypedDict):
    code: str
    name: str
    program: str
    program_name: str
    dimension: str | None
    status: str
    kind: str  # "titik" (position) or "ruas" (path)
    kelurahan: str | None
    kecamatan: str | None
    realisation: float | None
    position: list[float] | None  # [lon, lat] for a point
    path: list[list[float]] | None  # [[lon, lat], ...] for a segment


class PrivateCount(TypedDict):
    program: str
    program_name: str
    dimension: str | None
    kelurahan: str | None
    kecamatan: str | None
    count: int
    status_counts: dict[str, int]
    position: list[float] | None  # the kelurahan's reference point, [lon, lat]; None if it is unknown


class AreaCount(TypedDict):
    """Sites or homes of one kelurahan counted together, when there are too many to draw one by one."""

    kind: str  # "lokasi" (public sites) or "rumah" (homes)
    kelurahan: str | None
    kecamatan: str | None
    count: int
    status_counts: dict[str, int]
    programs: int  # how many programs the count covers
    position: list[float] | None  # [lon, lat]: sites' mean point, or the kelurahan's reference point for homes


PUBLIC_FIELDS: tuple[str, ...] = tuple(PublicSite.__annotations__)
PRIVATE_FIELDS: tuple[str, ...] = tuple(PrivateCount.__annotations__)
AREA_FIELDS: tuple[str, ...] = tuple(AreaCount.__annotations__)

SITE_AREA, HOME_AREA = "lokasi", "rumah"

# At most this many sites are drawn one by one (about 150 bytes each in the page); above it, counts per kelurahan.
SITE_LIMIT = 1_000
# At most this many (program, kelurahan) circles of homes; above it, one circle per kelurahan.
HOME_GROUP_LIMIT = 150


def _programs_by_code(programs: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """kode_program -> program row; should a code appear twice, a private row wins (when in doubt, hide)."""
    found: dict[str, Mapping[str, Any]] = {}
    for row in programs:
        code = row.get("kode_program")
        if not code:
            continue
        if code not in found or not is_public_program(row):
            found[str(code)] = row
    return found


def is_public_program(program: Mapping[str, Any] | None) -> bool:
    """Only an explicit ``tidak`` makes a program's sites public."""
    return program is not None and program.get("lokasi_pribadi") == "tidak"


def _lon_lat(point: Sequence[float]) -> list[float]:
    lat, lon = float(point[0]), float(point[1])
    return [round(lon, PUBLIC_DECIMALS), round(lat, PUBLIC_DECIMALS)]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def public_sites(sites: Iterable[Mapping[str, Any]], programs: Iterable[Mapping[str, Any]]) -> list[PublicSite]:
    """Sites of public programs, each with only the fields the map uses; homes never appear here."""
    by_code = _programs_by_code(programs)
    out: list[PublicSite] = []
    for site in sites:
        program = by_code.get(_text(site.get("kode_program")))
        if program is None or not is_public_program(program):
            continue
        points = [p for p in (site.get("koordinat") or []) if p is not None and len(p) == 2]
        segment = site.get("jenis") == "ruas" and len(points) >= 2
        realisation = site.get("realisasi_persen")
        out.append(
            PublicSite(
                code=_text(site.get("kode_lokasi")),
                name=_text(site.get("nama_lokasi")),
                program=_text(site.get("kode_program")),
                program_name=_text(program.get("nama_program")),
                dimension=program.get("dimensi"),
                status=_text(site.get("status")),
                kind="ruas" if segment else "titik",
                kelurahan=site.get("kelurahan"),
                kecamatan=site.get("kecamatan"),
                realisation=None if realisation is None else round(float(realisation), 1),
                position=None if segment or not points else _lon_lat(points[0]),
                path=[_lon_lat(p) for p in points] if segment else None,
            )
        )
    return out


def private_site_counts(
    sites: Iterable[Mapping[str, Any]], programs: Iterable[Mapping[str, Any]]
) -> list[PrivateCount]:
    """Homes of private programs counted per (program, kelurahan), placed at the kelurahan's reference point.

    Only four things are read from a home's row: its program code, its kelurahan's and kecamatan's
    names and its status. Its coordinates, code, name, notes and dates are never read, so they
    cannot leak.
    """
    by_code = _programs_by_code(programs)
    groups: dict[tuple[str, str | None, str | None], PrivateCount] = {}
    for site in sites:
        code = _text(site.get("kode_program"))
        program = by_code.get(code)
        if is_public_program(program):
            continue
        area = _KELURAHAN_BY_NAME.get(official_kelurahan(_text(site.get("kelurahan"))) or "")
        kelurahan = area.nama if area else None
        # An unknown kelurahan keeps only an official kecamatan name, and no position at all.
        kecamatan = area.kecamatan if area else official_kecamatan(_text(site.get("kecamatan")))
        key = (code, kelurahan, kecamatan)
        if key not in groups:
            groups[key] = PrivateCount(
                program=code,
                program_name=_text(program.get("nama_program")) if program else code,
                dimension=program.get("dimensi") if program else None,
                kelurahan=kelurahan,
                kecamatan=kecamatan,
                count=0,
                status_counts=dict.fromkeys(STATUS_ORDER, 0),
                position=[area.lon, area.lat] if area else None,
            )
        group = groups[key]
        group["count"] += 1
        status = site.get("status")
        if status in group["status_counts"]:
            group["status_counts"][status] += 1
    return sorted(groups.values(), key=lambda g: (g["program_name"], g["kelurahan"] or "\uffff", g["kecamatan"] or ""))


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFilter:
    """What the reader chose; an empty set means "all"."""

    dimensions: frozenset[str] = frozenset()
    programs: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    kecamatan: frozenset[str] = frozenset()
    kelurahan: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        dimensions: Iterable[str] = (),
        programs: Iterable[str] = (),
        statuses: Iterable[str] = (),
        kecamatan: Iterable[str] = (),
        kelurahan: Iterable[str] = (),
    ) -> MapFilter:
        return cls(
            frozenset(dimensions), frozenset(programs), frozenset(statuses), frozenset(kecamatan), frozenset(kelurahan)
        )


def _keeps(chosen: frozenset[str], value: str | None) -> bool:
    return not chosen or value in chosen


def _area_matches(site: PublicSite | PrivateCount, chosen: MapFilter) -> bool:
    return (
        _keeps(chosen.dimensions, site["dimension"])
        and _keeps(chosen.programs, site["program"])
        and _keeps(chosen.kecamatan, site["kecamatan"])
        and _keeps(chosen.kelurahan, site["kelurahan"])
    )


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: views are shared, cached objects
class MapView:
    """What one view of the map draws, for the reader's filters: sites one by one or counted per area."""

    sites: list[PublicSite]  # drawn one by one (empty when counted per area)
    site_areas: list[AreaCount]  # the matching sites per kelurahan, when there are more than the limit
    homes: list[PrivateCount]  # homes per program and kelurahan (empty when summed per kelurahan)
    home_areas: list[AreaCount]  # homes per kelurahan, when there are too many groups to draw
    matching_public: list[PublicSite]  # every site matching the filters (for downloads), drawn or counted
    matching_private: list[PrivateCount]

    @property
    def matching_sites(self) -> int:
        return len(self.matching_public)

    @property
    def matching_homes(self) -> int:
        return sum(g["count"] for g in self.matching_private)

    @property
    def sites_counted(self) -> bool:
        """True when the sites are drawn as counts per kelurahan rather than one by one."""
        return bool(self.site_areas)


def map_view(
    public: Sequence[PublicSite],
    private: Sequence[PrivateCount],
    chosen: MapFilter,
    *,
    site_limit: int = SITE_LIMIT,
    home_group_limit: int = HOME_GROUP_LIMIT,
) -> MapView:
    """The reader's view (the limits come from ``[map]`` in portal.toml; these defaults are its defaults)."""
    shown_public = filter_public(public, chosen)
    shown_private = filter_private(private, chosen)
    few_sites = len(shown_public) <= site_limit
    few_groups = len(shown_private) <= home_group_limit
    return MapView(
        sites=shown_public if few_sites else [],
        site_areas=[] if few_sites else site_areas(shown_public),
        homes=shown_private if few_groups else [],
        home_areas=[] if few_groups else home_areas(shown_private),
        matching_public=shown_public,
        matching_private=shown_private,
    )


def _area_key(item: PublicSite | PrivateCount) -> tuple[str, str]:
    return (item["kelurahan"] or "\uffff", item["kecamatan"] or "\uffff")


def _new_area(kind: str, key: tuple[str | None, str | None], position: list[float] | None) -> AreaCount:
    return AreaCount(
        kind=kind,
        kelurahan=key[0],
        kecamatan=key[1],
        count=0,
        status_counts=dict.fromkeys(STATUS_ORDER, 0),
        programs=0,
        position=position,
    )


def site_areas(sites: Iterable[PublicSite]) -> list[AreaCount]:
    """Public sites counted per (kelurahan, kecamatan), at the mean point of those sites (they are public)."""
    areas: dict[tuple[str | None, str | None], AreaCount] = {}
    sums: dict[tuple[str | None, str | None], list[float]] = {}
    programs: dict[tuple[str | None, str | None], set[str]] = {}
    for site in sites:
        key = (site["kelurahan"], site["kecamatan"])
        if key not in areas:
            areas[key] = _new_area(SITE_AREA, key, None)
            sums[key] = [0.0, 0.0, 0.0]
            programs[key] = set()
        area = areas[key]
        area["count"] += 1
        if site["status"] in area["status_counts"]:
            area["status_counts"][site["status"]] += 1
        programs[key].add(site["program"])
        point = site["position"] or (site["path"] or [None])[0]
        if point is not None:
            total = sums[key]
            total[0] += point[0]
            total[1] += point[1]
            total[2] += 1
    for key, area in areas.items():
        lon, lat, n = sums[key]
        area["programs"] = len(programs[key])
        area["position"] = [round(lon / n, PUBLIC_DECIMALS), round(lat / n, PUBLIC_DECIMALS)] if n else None
    return sorted(areas.values(), key=_area_key)


def home_areas(groups: Iterable[PrivateCount]) -> list[AreaCount]:
    """Homes summed over programs per kelurahan, at its reference point: nothing but counts, as before."""
    areas: dict[tuple[str | None, str | None], AreaCount] = {}
    for group in groups:
        key = (group["kelurahan"], group["kecamatan"])
        if key not in areas:
            areas[key] = _new_area(HOME_AREA, key, group["position"])
        area = areas[key]
        area["count"] += group["count"]
        area["programs"] += 1  # (program, kelurahan) groups are unique, so each group is one more program
        for status, n in group["status_counts"].items():
            area["status_counts"][status] = area["status_counts"].get(status, 0) + n
    return sorted(areas.values(), key=_area_key)


def filter_public(sites: Iterable[PublicSite], chosen: MapFilter) -> list[PublicSite]:
    return [s for s in sites if _area_matches(s, chosen) and _keeps(chosen.statuses, s["status"])]


def filter_private(counts: Iterable[PrivateCount], chosen: MapFilter) -> list[PrivateCount]:
    """Counts of the chosen programs and areas; a status filter keeps only the homes in those statuses."""
    out: list[PrivateCount] = []
    for group in counts:
        if not _area_matches(group, chosen):
            continue
        if chosen.statuses:
            group = _only_statuses(group, chosen.statuses)
        if group["count"]:
            out.append(group)
    return out


def _only_statuses(group: PrivateCount, statuses: frozenset[str]) -> PrivateCount:
    kept = {s: n if s in statuses else 0 for s, n in group["status_counts"].items()}
    # A home whose status is not one of the four is in no status, so the count is the sum of the kept ones.
    return {**group, "status_counts": kept, "count": sum(kept.values())}


# --- what a click in the browser refers to ------------------------------------------------


def resolve_selection(picked: Mapping[str, Any] | None, view: MapView) -> PublicSite | PrivateCount | AreaCount | None:
    """The server's own record for an object the browser says was clicked, or None.

    The browser's object is not trusted (it can be forged): it is only used to look a record up
    among what this view draws, so a forged code can never reach a home's stored row.
    """
    if not picked:
        return None
    if "code" in picked:
        return next(
            (s for s in view.sites if s["code"] == picked.get("code") and s["program"] == picked.get("program")), None
        )
    area = (picked.get("kelurahan"), picked.get("kecamatan"))
    if picked.get("area") in (SITE_AREA, HOME_AREA):
        areas = view.site_areas if picked["area"] == SITE_AREA else view.home_areas
        return next((a for a in areas if a["position"] is not None and (a["kelurahan"], a["kecamatan"]) == area), None)
    if "count" in picked:
        return next(
            (
                g
                for g in view.homes
                if g["position"] is not None
                and (g["program"], g["kelurahan"]) == (picked.get("program"), picked.get("kelurahan"))
            ),
            None,
        )
    return None
