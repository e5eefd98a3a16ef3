"""The Quick Win programs as an OC4IDS project package (Open Contracting for Infrastructure Data Standard 0.9).

Pure: no Streamlit, no I/O. ``data_sources.jobs.publish_open_data`` writes the result as ``oc4ids.json``.

Sources (the standard's own repository, https://github.com/open-contracting/infrastructure, and its
documentation at https://standard.open-contracting.org/infrastructure/latest/en/):

- package: ``schema/project-level/project-package-schema.json`` (required: uri, publisher, publishedDate,
  projects, version; version is "major.minor");
- project: ``schema/project-level/project-schema.json`` (required: id; status from the closed projectStatus
  codelist; sector from the open projectSector codelist; type from the closed projectType codelist; dates are
  JSON Schema ``date-time``; locations are GeoJSON geometries in WGS84);
- progress: "Implementation progress reports" in ``docs/cost/ids/core.md``: actual progress goes in
  ``metrics``, planned progress in ``forecasts``, as ``Metric`` objects with the ids ``physicalProgress`` and
  ``financialProgress`` (metricID codelist), one ``Observation`` per report with ``measure`` in percent
  (``unit`` name "percent", id "P1", scheme "UNCEFACT") and ``period`` start and end on the day it was measured;
- identifiers: ``docs/guidance/identifiers.md``: ``[project identifier prefix]-[local project identifier]``,
  the prefix assigned by the OC4IDS Helpdesk. A registered prefix is ``oc4ids-`` and six lower-case letters or
  digits: the shape libcoveoc4ids' conformance check looks for (``additional_checks.PROJECT_ID``,
  ``^oc4ids\\-[a-z0-9]{6}.``). The default ``oc4ids-bjm`` is a placeholder of another shape, so every id fails that
  check until the city's own prefix is configured; ``prefix_is_registered_shape`` tells the admin and health
  pages to say so.

Mapping decisions (also in the README, "Data terbuka / Open data"):

- status: see ``PROJECT_STATUS``. The standard has no "delayed": a delayed program is still being
  implemented. The SKPD's own word (``Terhambat``) travels in ``statusDetails``, an additional field named after
  OCDS's ``statusDetails``; JSON Schema lets a publisher add fields, and the README documents it.
- sector and type: per Smart City dimension, see ``SECTORS`` and ``PROJECT_TYPES``.
- a program without any report has no ``status`` (the field is optional; guessing would be wrong).
- private homes (``lokasi_pribadi = ya``) appear only as a count per kelurahan with no geometry at all
  (``core.site_map.private_site_counts``), never as a point; public sites as a GeoJSON Point or LineString in
  [longitude, latitude] order. (The 0.9 schema's description of ``coordinates`` says "[latitude,longitude]",
  contradicting the GeoJSON standard it cites, RFC 7946; GeoJSON's order is used, as map software expects.)
- dates without a time are given in city time (WITA, +08:00): a start at 00:00:00, an end or a report at 23:59:59.
- metric ids: progress uses the metricID code list's two codes; the program's own output indicator (schools
  connected, km of river arranged, in the program's ``satuan``) is neither a percent of the works nor of the
  budget, so it has its own id ``indikator``. The list is open (``openCodelist``) and the schema says an id "may be
  an arbitrary identifier"; the README documents the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from core.contract import STATUS_DONE
from core.progress import program_progress
from core.site_map import PrivateCount, PublicSite, private_site_counts, public_sites
from core.wilayah import CITY_TIMEZONE, KELURAHAN

OC4IDS_VERSION = "0.9"
CURRENCY = "IDR"

# Quick Win status (contract.STATUSES) -> projectStatus (closed codelist: identification, preparation,
# implementation, completion, completed, cancelled; 0.9.4 adds maintenance, decommissioning, decommissioned).
PROJECT_STATUS: dict[str, str] = {
    # Listed and budgeted, work not begun: "preparation ... and the resulting budget authorisation".
    "Belum dimulai": "preparation",
    # "Implementation covers the procurement and implementation of the group of works or services".
    "Berjalan": "implementation",
    # No code for delay: still in implementation; "Terhambat" is kept in statusDetails.
    "Terhambat": "implementation",
    # "Completion covers the handover of the assets and close-out activities". Not "completed" (close-out
    # done, project inactive; deprecated in 0.9.4): the SKPD reports the work finished, not the close-out.
    "Selesai": "completion",
}

# Smart City dimension -> projectSector codes (open codelist; these are all from the published list).
SECTORS: dict[str, tuple[str, ...]] = {
    # "Governance, including government accommodations, public buildings, government offices" (Si Mantab: permits).
    "Smart Governance": ("governance",),
    # "Culture, sports and recreation, including tourism, parks and green areas": the city's image and
    # tourism (Sungaiku Baiman, the river program; naturalResources was the other candidate).
    "Smart Branding": ("cultureSportsAndRecreation",),
    # "Economy, including agribusiness, agriculture, science and environment" (Baiman Store, local products).
    "Smart Economy": ("economy",),
    # "Water and waste, including sanitation and wastewater" (waste into energy).
    "Smart Environment": ("waterAndWaste",),
    # "Education, including schools, universities and other learning and training facilities" (Portal Pendidikan).
    "Smart Society": ("education",),
    # "Social housing" (Bakawan RTLH, renovation of uninhabitable homes).
    "Smart Living": ("socialHousing",),
}

# Smart City dimension -> projectType (closed codelist: construction, rehabilitation, replacement). Only where the
# dimension's program works on an existing asset; a service (permits, a store, a portal) has no type.
PROJECT_TYPES: dict[str, str] = {
    "Smart Living": "rehabilitation",  # renovating uninhabitable houses
    "Smart Branding": "rehabilitation",  # normalising existing rivers
}

# UN/CEFACT Recommendation 20 unit code for percent, as the OC4IDS guidance on progress reports uses it.
PERCENT_UNIT: dict[str, str] = {"name": "percent", "id": "P1", "scheme": "UNCEFACT"}
PHYSICAL = "physicalProgress"
FINANCIAL = "financialProgress"
INDICATOR = "indikator"  # the program's own indicator: not in the open metricID list (see the module's notes)

_ADDRESS = {"locality": "Kota Banjarmasin", "region": "Kalimantan Selatan", "countryName": "Indonesia"}
_KELURAHAN_CODE = {k.nama: k.kode for k in KELURAHAN}
_SAMPLE_NOTE = " [Data contoh, bukan angka resmi / Sample data, not official figures]"


@dataclass(frozen=True)
class PackageMeta:
    """What the package says about itself."""

    uri: str
    published: datetime  # the newest read of the data in it ("the date of the last change to the contents")
    publisher: str
    license_url: str
    prefix: str  # project identifier prefix, e.g. "oc4ids-a1b2c3" (a registered one's shape)


@dataclass(frozen=True)
class ProgramSource:
    """When a program's source was read, and whether it is sample data."""

    updated: datetime | None
    sample: bool = False


def date_time(value: datetime) -> str:
    """ISO 8601 with the city's offset, to the second: 2024-10-15T08:00:00+08:00."""
    return value.astimezone(CITY_TIMEZONE).replace(microsecond=0).isoformat()


def day_start(day: date) -> str:
    return datetime.combine(day, time(0, 0, 0), CITY_TIMEZONE).isoformat()


def day_end(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), CITY_TIMEZONE).isoformat()


# "oc4ids-" and six lower-case letters or digits, the shape of the prefixes the OC4IDS Helpdesk assigns.
# libcoveoc4ids checks each id with ^oc4ids\-[a-z0-9]{6}. (any character after the six): a prefix of exactly this
# shape, followed by "-" and the local id, is what passes it.
REGISTERED_PREFIX = re.compile(r"oc4ids-[a-z0-9]{6}")


def prefix_is_registered_shape(prefix: str) -> bool:
    """Whether ``prefix`` has the shape of a registered OC4IDS project identifier prefix.

    Only the shape: whether the Helpdesk really assigned it to the city cannot be told offline. A prefix of another
    shape (the default placeholder ``oc4ids-bjm``) makes every project id fail the standard's conformance check.
    """
    return REGISTERED_PREFIX.fullmatch(prefix) is not None


def project_id(prefix: str, code: str) -> str:
    """``[project identifier prefix]-[local project identifier]`` (OC4IDS identifiers guidance)."""
    return f"{prefix}-{code}"


def party_id(skpd: str) -> str:
    return "skpd-" + (re.sub(r"[^0-9a-z]+", "-", skpd.lower()).strip("-") or "tanpa-nama")


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else round(number, 4)


def _day(day: date) -> dict[str, str]:
    """A period of one day, as the guidance gives the day a progress figure was measured."""
    return {"startDate": day_end(day), "endDate": day_end(day)}


def _observation(number: int, day: date, measure: Any, unit: Mapping[str, str] | None) -> dict[str, Any]:
    observation: dict[str, Any] = {"id": str(number), "period": _day(day), "measure": _number(measure)}
    if unit:
        observation["unit"] = dict(unit)
    return observation


def _metric(metric_id: str, title: str, observations: list[dict[str, Any]], description: str = "") -> dict[str, Any]:
    metric: dict[str, Any] = {"id": metric_id, "title": title}
    if description:
        metric["description"] = description
    metric["observations"] = observations
    return metric


def _progress(program: Mapping[str, Any], reports: Sequence[Mapping[str, Any]]) -> tuple[list[Any], list[Any]]:
    """(metrics, forecasts): actual and planned progress, one observation per report, oldest first."""
    budget = program.get("anggaran")
    actual: list[dict[str, Any]] = []
    planned: list[dict[str, Any]] = []
    financial: list[dict[str, Any]] = []
    output: list[dict[str, Any]] = []
    for report in reports:
        day = report["tanggal"]
        if report.get("realisasi_persen") is not None:
            actual.append(_observation(len(actual) + 1, day, report["realisasi_persen"], PERCENT_UNIT))
        if report.get("rencana_persen") is not None:
            planned.append(_observation(len(planned) + 1, day, report["rencana_persen"], PERCENT_UNIT))
        spent = report.get("realisasi_anggaran")
        if spent is not None:
            # The share of the budget spent, as the guidance asks; the amount itself in Observation.value.
            observation: dict[str, Any] = {"id": str(len(financial) + 1), "period": _day(day)}
            if budget:
                observation["measure"] = _number(round(float(spent) / float(budget) * 100, 2))
                observation["unit"] = dict(PERCENT_UNIT)
            observation["value"] = {"amount": _number(spent), "currency": CURRENCY}
            financial.append(observation)
        if report.get("capaian_indikator") is not None:
            output.append(_observation(len(output) + 1, day, report["capaian_indikator"], _unit(program)))
    indicator = str(program.get("indikator") or INDICATOR)
    metrics = [
        m
        for m in (
            _metric(PHYSICAL, "Progres fisik / Physical progress", actual),
            _metric(FINANCIAL, "Progres keuangan / Financial progress", financial, _FINANCIAL_NOTE),
            _metric(INDICATOR, indicator, output, _INDICATOR_NOTE),
        )
        if m["observations"]
    ]
    target = program.get("target")
    end = program.get("tanggal_selesai")
    targets = [_observation(1, end, target, _unit(program))] if target is not None and end is not None else []
    forecasts = [
        m
        for m in (
            _metric(PHYSICAL, "Rencana progres fisik / Planned physical progress", planned),
            _metric(INDICATOR, indicator, targets, _TARGET_NOTE),
        )
        if m["observations"]
    ]
    return metrics, forecasts


_FINANCIAL_NOTE = (
    "Anggaran terpakai kumulatif sebagai persen dari pagu (measure) dan dalam Rupiah (value). / "
    "Cumulative budget spent as a percent of the budget (measure) and in Rupiah (value)."
)
_INDICATOR_NOTE = "Jumlah kumulatif indikator program. / The program indicator's cumulative count."
_TARGET_NOTE = "Target indikator pada tanggal selesai. / The indicator's target by the end date."


def _unit(program: Mapping[str, Any]) -> dict[str, str] | None:
    unit = program.get("satuan")
    return {"name": str(unit)} if unit else None


def _public_location(site: PublicSite) -> dict[str, Any]:
    where = ", ".join(
        part
        for part in (
            f"Kelurahan {site['kelurahan']}" if site["kelurahan"] else "",
            f"Kecamatan {site['kecamatan']}" if site["kecamatan"] else "",
        )
        if part
    )
    location: dict[str, Any] = {
        "id": site["code"],
        "description": f"{site['name']} — {where}" if where else site["name"],
    }
    # public_sites already gives [lon, lat], GeoJSON's order.
    if site["kind"] == "ruas" and site["path"]:
        location["geometry"] = {"type": "LineString", "coordinates": site["path"]}
    elif site["position"]:
        location["geometry"] = {"type": "Point", "coordinates": site["position"]}
    location["address"] = dict(_ADDRESS)
    return location


def _private_location(group: PrivateCount) -> dict[str, Any]:
    """A count of homes in one kelurahan: no geometry, no code or name of a home."""
    kelurahan, kecamatan = group["kelurahan"], group["kecamatan"]
    if kelurahan:
        key = _KELURAHAN_CODE.get(kelurahan, kelurahan)
        area = f"Kelurahan {kelurahan}, Kecamatan {kecamatan}"
    elif kecamatan:
        key, area = kecamatan, f"Kecamatan {kecamatan}"
    else:
        key, area = "tidak-diketahui", "kelurahan tidak diketahui / unknown kelurahan"
    count = group["count"]
    return {
        "id": "rumah-" + re.sub(r"[^0-9a-z.]+", "-", key.lower()).strip("-"),
        "description": (
            f"{count} rumah pribadi di {area}; letak rumah tidak diterbitkan. / "
            f"{count} private homes in {area}; the homes' locations are not published."
        ),
        "address": dict(_ADDRESS),
    }


def _locations(code: str, public: Sequence[PublicSite], private: Sequence[PrivateCount]) -> list[dict[str, Any]]:
    return [
        *(_public_location(s) for s in public if s["program"] == code),
        *(_private_location(g) for g in private if g["program"] == code),
    ]


def _project(
    program: Mapping[str, Any],
    reports: Sequence[Mapping[str, Any]],
    latest: Mapping[str, Any] | None,
    locations: list[dict[str, Any]],
    meta: PackageMeta,
    source: ProgramSource,
) -> dict[str, Any]:
    code = str(program["kode_program"])
    skpd = str(program.get("skpd") or "")
    dimension = program.get("dimensi")
    project: dict[str, Any] = {"id": project_id(meta.prefix, code)}
    if source.updated is not None:
        project["updated"] = date_time(source.updated)
    project["title"] = str(program.get("nama_program") or code)
    description = str(program.get("deskripsi") or "") + (_SAMPLE_NOTE if source.sample else "")
    if description.strip():
        project["description"] = description.strip()
    if latest is not None and latest.get("status") in PROJECT_STATUS:
        project["status"] = PROJECT_STATUS[latest["status"]]
        project["statusDetails"] = latest["status"]
    start, end = program.get("tanggal_mulai"), program.get("tanggal_selesai")
    period = {**({"startDate": day_start(start)} if start else {}), **({"endDate": day_end(end)} if end else {})}
    if period:
        project["period"] = period
    if dimension in SECTORS:
        project["sector"] = list(SECTORS[dimension])
    if dimension in PROJECT_TYPES:
        project["type"] = PROJECT_TYPES[dimension]
    if locations:
        project["locations"] = locations
    if program.get("anggaran") is not None:
        project["budget"] = {"amount": {"amount": _number(program["anggaran"]), "currency": CURRENCY}}
    if skpd:
        project["parties"] = [
            {"id": party_id(skpd), "name": skpd, "roles": ["publicAuthority"], "address": dict(_ADDRESS)}
        ]
        project["publicAuthority"] = {"id": party_id(skpd), "name": skpd}
    if program.get("tautan"):
        project["documents"] = [
            {"id": "tautan", "title": "Halaman program / The program's page", "url": str(program["tautan"])}
        ]
    metrics, forecasts = _progress(program, reports)
    if metrics:
        project["metrics"] = metrics
    if forecasts:
        project["forecasts"] = forecasts
    finished = [r for r in reports if r.get("status") == STATUS_DONE]
    if latest is not None and latest.get("status") == STATUS_DONE and finished:
        completion: dict[str, Any] = {"endDate": day_end(finished[0]["tanggal"])}
        if latest.get("realisasi_anggaran") is not None:
            completion["finalValue"] = {"amount": _number(latest["realisasi_anggaran"]), "currency": CURRENCY}
        project["completion"] = completion
    return project


def build_package(
    programs: Iterable[Mapping[str, Any]],
    reports: Iterable[Mapping[str, Any]],
    sites: Iterable[Mapping[str, Any]],
    meta: PackageMeta,
    sources: Mapping[str, ProgramSource] | None = None,
) -> dict[str, Any] | None:
    """The package of every program (rows as the store gives them); None when there is no program.

    ``sources`` maps kode_program to when its source was read and whether it is sample data.
    A package needs at least one project (``projects`` has ``minItems: 1``).
    """
    programs = list(programs)
    if not programs:
        return None
    reports = list(reports)
    sites = list(sites)
    public = public_sites(sites, programs)
    private = private_site_counts(sites, programs)
    by_program: dict[str, list[Mapping[str, Any]]] = {}
    for report in sorted(reports, key=lambda r: (r["kode_program"], r["tanggal"])):
        by_program.setdefault(str(report["kode_program"]), []).append(report)
    projects = [
        _project(
            item.program,
            by_program.get(item.code, []),
            item.latest,
            _locations(item.code, public, private),
            meta,
            (sources or {}).get(item.code, ProgramSource(None)),
        )
        for item in program_progress(programs, reports)
    ]
    return {
        "uri": meta.uri,
        "publishedDate": date_time(meta.published),
        "publisher": {"name": meta.publisher},
        "license": meta.license_url,
        "version": OC4IDS_VERSION,
        "projects": projects,
    }
