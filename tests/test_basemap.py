"""``[map] basemap = "pmtiles"`` (issue 23, item 3): the style the portal serves, the tiles it reads from a PMTiles
archive, and what happens when the archive cannot be used.

The archive is real: built in the test from the portal's own geometry (tests/city_basemap.py) with the ``pmtiles``
package's writer, and read back by a real ``streamlit run app.py`` (``running_portal``) over HTTP, raw bytes and
headers as a browser's fetch receives them. The browser itself: tests/browser/test_own_basemap_in_browser.py.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from city_basemap import BOUNDS, MAX_ZOOM, build_city_archive, city_layers
from http_answer import fetch
from pmtiles.reader import MmapSource, all_tiles
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from portal_server import PortalServer, running_portal
from vt2pbf import parse_from_string

from core.basemap_style import STYLE_PATH, TILE_ROUTE, basemap_style, tile_address
from core.security_policy import BASEMAP_SOURCES, content_security_policy
from data_sources.config.portal_config import ConfigError, load_config
from server.basemap_archive import ArchiveProblem, basemap_in_effect, open_archive, open_basemap_archive

# A tile of the city at zoom 12 (Banjarmasin Tengah and the Martapura), one of the sea far away at zoom 12.
CITY_TILE = (12, 3351, 2085)
SEA_TILE = (12, 0, 0)
PROTOMAPS_LAYERS = {"earth", "landcover", "landuse", "water", "buildings", "roads", "boundaries"}


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_city_archive(tmp_path_factory.mktemp("basemap") / "city.pmtiles")


def _written(path: Path) -> dict[tuple[int, int, int], bytes]:
    """Every tile the archive holds, read with the pmtiles package's own traversal (not the portal's reader)."""
    with path.open("rb") as file:
        return dict(all_tiles(MmapSource(file)))


def _layers_of(stored: bytes) -> dict[str, Any]:
    tile = parse_from_string(gzip.decompress(stored)).tile_pbf
    return {layer.name: layer for layer in tile.layers}


# --- the style and the tile addresses (core.basemap_style) -------------------------------------------------------


def test_the_style_draws_the_archive_s_layers_as_areas_and_lines_and_needs_no_glyphs_or_sprites() -> None:
    style = basemap_style("https://portal.example/peta-dasar/{z}/{x}/{y}.mvt", 0, 15, BOUNDS)
    assert style["version"] == 8
    assert "glyphs" not in style and "sprite" not in style  # nothing to fetch besides the tiles
    [(name, source)] = style["sources"].items()
    assert source["type"] == "vector" and source["tiles"] == ["https://portal.example/peta-dasar/{z}/{x}/{y}.mvt"]
    assert (source["minzoom"], source["maxzoom"], source["bounds"]) == (0, 15, list(BOUNDS))
    assert "OpenStreetMap" in source["attribution"]  # ODbL: the data's credit travels with the map
    kinds = {layer["type"] for layer in style["layers"]}
    assert kinds <= {"background", "fill", "line"}  # no symbol layer: no text, no icon
    drawn = {layer["source-layer"] for layer in style["layers"] if layer["type"] != "background"}
    assert drawn == PROTOMAPS_LAYERS
    assert all(layer.get("source", name) == name for layer in style["layers"])
    ids = [layer["id"] for layer in style["layers"]]
    assert len(ids) == len(set(ids))
    # Roads' casings all lie under every road, so two streets that cross join without a seam.
    roads = [i for i in ids if i.startswith("roads-") and i != "roads-path"]
    casings = [i for i in roads if i.endswith("-casing")]
    assert casings and roads[: len(casings)] == casings


def test_without_bounds_the_style_asks_for_tiles_anywhere() -> None:
    assert "bounds" not in basemap_style("http://x/{z}/{x}/{y}.mvt", 0, 14)["sources"]["protomaps"]


@pytest.mark.parametrize(
    ("z", "x", "y", "expected"),
    [
        ("0", "0", "0", (0, 0, 0)),
        ("12", "3351", "2085", (12, 3351, 2085)),
        ("31", str(2**31 - 1), "0", (31, 2**31 - 1, 0)),
        ("1", "2", "0", None),  # past the zoom's 2 columns
        ("1", "0", "2", None),
        ("32", "0", "0", None),  # no PMTiles id for it
        ("-1", "0", "0", None),
        ("+1", "0", "0", None),
        ("1", "0x1", "0", None),
        ("1", " 1", "0", None),
        ("a", "0", "0", None),
        ("", "0", "0", None),
        ("1", "1.0", "0", None),
        ("1", "٣", "0", None),  # a digit, but not an ASCII one
        ("1", "0" * 9 + "1", "0", None),  # absurdly long
    ],
)
def test_a_tile_address_is_three_plain_numbers_inside_the_zoom(
    z: str, x: str, y: str, expected: tuple[int, int, int] | None
) -> None:
    assert tile_address(z, x, y) == expected


# --- the archive (server.basemap_archive) ------------------------------------------------------------------------


def test_the_test_archive_holds_the_portal_s_own_geometry_in_protomaps_layers(archive_path: Path) -> None:
    tiles = _written(archive_path)
    assert {z for z, _, _ in tiles} == set(range(MAX_ZOOM + 1))
    layers = _layers_of(tiles[CITY_TILE])
    assert set(layers) == {"earth", "landuse", "water"} == set(city_layers())
    assert layers["water"].features and all(f.type == 2 for f in layers["water"].features)  # rivers: lines
    assert layers["landuse"].features and all(f.type == 3 for f in layers["landuse"].features)  # kelurahan: areas
    assert archive_path.stat().st_size < 100_000


def test_the_archive_opens_once_and_reads_each_tile_as_written(archive_path: Path) -> None:
    archive = open_archive(archive_path)
    assert (archive.min_zoom, archive.max_zoom) == (0, MAX_ZOOM)
    assert archive.bounds == pytest.approx(BOUNDS)
    assert archive.content_encoding == "gzip"
    for (z, x, y), data in _written(archive_path).items():
        assert archive.tile(z, x, y) == data
    assert archive.tile(*SEA_TILE) is None


def test_an_archive_of_plain_tiles_is_served_without_a_coding(tmp_path: Path) -> None:
    archive = open_archive(build_city_archive(tmp_path / "plain.pmtiles", compress=False, max_zoom=12))
    assert archive.content_encoding is None
    stored = archive.tile(*CITY_TILE)
    assert stored is not None and "earth" in {layer.name for layer in parse_from_string(stored).tile_pbf.layers}


def _raster_archive(path: Path) -> Path:
    with path.open("wb") as file:
        writer = Writer(file)
        writer.write_tile(zxy_to_tileid(0, 0, 0), b"\x89PNG not really")
        writer.finalize({"tile_type": TileType.PNG, "tile_compression": Compression.NONE, **_EXTENT}, {})
    return path


_EXTENT = {
    k: 0
    for k in ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7", "center_zoom", "center_lon_e7", "center_lat_e7")
}


def test_a_file_that_cannot_be_the_basemap_is_refused_with_the_reason(tmp_path: Path, archive_path: Path) -> None:
    missing = tmp_path / "absent.pmtiles"
    text = tmp_path / "city.txt"
    text.write_text("bukan peta / not a map\n" * 20, encoding="utf-8")
    short = tmp_path / "short.pmtiles"
    short.write_bytes(archive_path.read_bytes()[:2000])
    other_version = tmp_path / "v2.pmtiles"
    other_version.write_bytes(b"PMTiles\x02" + archive_path.read_bytes()[8:])
    cases = [
        (missing, "cannot open"),
        (tmp_path, "cannot read"),  # a folder
        (text, "not a PMTiles"),
        (other_version, "not a PMTiles"),
        (short, "cut short"),
        (_raster_archive(tmp_path / "raster.pmtiles"), "PNG tiles, not vector tiles"),
    ]
    for path, reason in cases:
        with pytest.raises(ArchiveProblem, match=reason):
            open_archive(path)


def _config(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "portal.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_an_unusable_archive_is_said_once_in_the_log_and_the_map_goes_without_a_basemap(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _config(tmp_path, '[map]\nbasemap = "pmtiles"\nbasemap_file = "peta/city.pmtiles"\n')
    with caplog.at_level(logging.WARNING, logger="portal"):
        archive = open_basemap_archive(config)
    assert archive is None and basemap_in_effect(config, archive) == "none"
    [record] = caplog.records
    assert "basemap_file" in record.getMessage() and str(tmp_path / "peta" / "city.pmtiles") in record.getMessage()
    assert "without a basemap" in record.getMessage() and record.exc_info is None  # said, no traceback


def test_the_archive_is_found_relative_to_portal_toml(tmp_path: Path, archive_path: Path) -> None:
    (tmp_path / "peta").mkdir()
    (tmp_path / "peta" / "city.pmtiles").write_bytes(archive_path.read_bytes())
    config = _config(tmp_path, '[map]\nbasemap = "pmtiles"\nbasemap_file = "peta/city.pmtiles"\n')
    archive = open_basemap_archive(config)
    assert archive is not None and basemap_in_effect(config, archive) == "pmtiles"
    carto = _config(tmp_path, "")
    assert open_basemap_archive(carto) is None and basemap_in_effect(carto, None) == "carto"


def test_pmtiles_without_a_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs basemap_file"):
        _config(tmp_path, '[map]\nbasemap = "pmtiles"\nbasemap_file = " "\n')


def test_the_own_basemap_s_policy_names_no_other_host() -> None:
    assert BASEMAP_SOURCES["pmtiles"] == ()
    policy = content_security_policy("/peta", basemap="pmtiles")
    assert policy == content_security_policy("/peta", basemap="none")
    assert "cartocdn" not in policy and "https:" not in policy


# --- the routes, on a real server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_basemap(tmp_path_factory: pytest.TempPathFactory, archive_path: Path) -> Iterator[PortalServer]:
    overrides = {"map": {"basemap": "pmtiles", "basemap_file": str(archive_path)}}
    with running_portal(tmp_path_factory.mktemp("own-basemap"), overrides) as server:
        yield server


def test_the_style_names_the_portal_s_own_tiles_by_its_address(own_basemap: PortalServer) -> None:
    status, headers, body = fetch(own_basemap.url + STYLE_PATH, Accept_Encoding="identity")
    assert status == 200 and headers["content-type"].startswith("application/json")
    style = json.loads(body)
    assert style["sources"]["protomaps"]["tiles"] == [own_basemap.url + TILE_ROUTE]
    assert style["sources"]["protomaps"]["maxzoom"] == MAX_ZOOM
    assert style["sources"]["protomaps"]["bounds"] == pytest.approx(list(BOUNDS))
    assert "glyphs" not in style and "sprite" not in style
    assert headers["etag"] and "max-age" in headers["cache-control"]
    # A Host the portal does not answer to is never written into the style: the tiles stay on the portal.
    status, _, body = fetch(own_basemap.url + STYLE_PATH, Host="evil.example", Accept_Encoding="identity")
    assert status == 200 and "evil.example" not in body.decode("utf-8")


def test_a_tile_comes_as_stored_gzip_coded_with_its_type_and_cache(
    own_basemap: PortalServer, archive_path: Path
) -> None:
    stored = _written(archive_path)[CITY_TILE]
    url = own_basemap.url + "/peta-dasar/{}/{}/{}.mvt".format(*CITY_TILE)
    status, headers, body = fetch(url, Accept_Encoding="gzip, deflate, br")
    assert status == 200 and body == stored
    assert headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert headers["content-encoding"] == "gzip" and "accept-encoding" in headers["vary"].lower()
    assert "public" in headers["cache-control"] and "max-age=86400" in headers["cache-control"]
    assert set(_layers_of(body)) == {"earth", "landuse", "water"}
    # A reader that takes no gzip gets the same tile decoded, under its own tag.
    status, plain_headers, plain = fetch(url, Accept_Encoding="identity")
    assert status == 200 and plain == gzip.decompress(stored) and "content-encoding" not in plain_headers
    assert plain_headers["etag"] != headers["etag"]
    # The reader who has it gets a 304.
    status, _, body = fetch(url, Accept_Encoding="gzip", If_None_Match=headers["etag"])
    assert status == 304 and body == b""


def test_a_tile_the_archive_lacks_is_empty_and_an_address_that_is_no_tile_is_refused(own_basemap: PortalServer) -> None:
    status, headers, body = fetch(own_basemap.url + "/peta-dasar/{}/{}/{}.mvt".format(*SEA_TILE))
    assert (status, body) == (204, b"") and "max-age" in headers["cache-control"]
    for address in ("1/2/0", "32/0/0", "a/0/0", "1/-1/0", "1/0/1e0", "99999999999/0/0"):
        status, headers, body = fetch(f"{own_basemap.url}/peta-dasar/{address}.mvt")
        assert status == 400, address
        assert b"Traceback" not in body and headers["content-type"].startswith("text/plain")


def test_the_map_page_s_policy_names_no_map_host_with_the_own_basemap(own_basemap: PortalServer) -> None:
    status, headers, _ = fetch(own_basemap.url + "/peta")
    assert status == 200
    policy = headers["content-security-policy"]
    assert "cartocdn" not in policy and "https:" not in policy and "http:" not in policy
    assert "Traceback" not in own_basemap.output()


def test_with_its_file_gone_the_portal_starts_serves_no_basemap_and_says_why_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("basemap-gone")
    overrides = {"map": {"basemap": "pmtiles", "basemap_file": str(folder / "city.pmtiles")}}
    with running_portal(folder, overrides) as server:
        for _ in range(3):
            status, headers, _ = fetch(server.url + "/peta")
            assert status == 200 and "cartocdn" not in headers["content-security-policy"]
        assert fetch(server.url + STYLE_PATH)[0] == 404
        assert fetch(server.url + "/peta-dasar/0/0/0.mvt")[0] == 404
        log = server.output()
    assert log.count("[map] basemap_file") == 1, log
    assert f"cannot open {folder / 'city.pmtiles'}" in log and "without a basemap" in log
    assert "Traceback" not in log
