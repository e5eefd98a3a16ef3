"""The city's basemap archive (``[map] basemap = "pmtiles"``, ``basemap_file``): a PMTiles file the portal reads its
vector tiles from, with the ``pmtiles`` package's reader.

Opened once per process (the ``Portal`` holds it) and read by byte ranges (``os.pread``): no read moves a shared
file position, so the server's threads read tiles side by side without a lock, and only the directory and the tile
asked for are read, never the whole file. A file that is missing, unreadable or not an archive of vector tiles the
map can use is said once in the log, and the portal runs on without a basemap (``basemap_in_effect``).
"""

from __future__ import annotations

import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from pmtiles.reader import Reader
from pmtiles.tile import (
    Compression,
    MagicNumberNotFound,
    SpecVersionUnsupported,
    TileType,
    deserialize_directory,
    deserialize_header,
)

from data_sources.config.portal_config import Config

logger = logging.getLogger("portal")

PMTILES = "pmtiles"
# What the map's renderer can take: Mapbox vector tiles, plain or gzip-compressed (HTTP's Content-Encoding).
COMPRESSIONS = {Compression.NONE: None, Compression.GZIP: "gzip"}
HEADER_BYTES = 127


class ArchiveProblem(Exception):
    """Why the configured archive cannot be the basemap (said in the log, in the admin's words)."""


@dataclass(frozen=True)
class BasemapArchive:
    """An open archive: its tiles by address, its zooms and bounds, the coding its tiles are stored in."""

    path: Path
    descriptor: int
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    content_encoding: str | None  # "gzip": each tile is stored gzip-compressed

    def _bytes(self, offset: int, length: int) -> bytes:
        return os.pread(self.descriptor, length, offset)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes as stored (still gzip-compressed when ``content_encoding`` says so); None: no tile."""
        return Reader(self._bytes).get(z, x, y)


def open_archive(path: Path) -> BasemapArchive:
    """The archive at ``path``, checked: a PMTiles v3 file of vector tiles, uncompressed or gzip-compressed."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError as error:
        raise ArchiveProblem(f"cannot open {path}: {error.strerror or error}") from None
    try:
        return _checked(path, descriptor)
    except OSError as error:  # a folder, a disk that fails
        os.close(descriptor)
        raise ArchiveProblem(f"cannot read {path}: {error.strerror or error}") from None
    except BaseException:
        os.close(descriptor)
        raise


def _checked(path: Path, descriptor: int) -> BasemapArchive:
    try:
        header = deserialize_header(os.pread(descriptor, HEADER_BYTES, 0))
    except (ValueError, IndexError, UnicodeDecodeError, MagicNumberNotFound, SpecVersionUnsupported):
        # a short file, another format, another PMTiles version: the package raises each its own way
        raise ArchiveProblem(f"{path} is not a PMTiles (version 3) archive") from None
    if header["tile_type"] != TileType.MVT:
        raise ArchiveProblem(f"{path} holds {header['tile_type'].name} tiles, not vector tiles (MVT)")
    if header["tile_compression"] not in COMPRESSIONS:
        raise ArchiveProblem(
            f"{path} stores its tiles {header['tile_compression'].name}-compressed; the map takes them plain or "
            "gzip-compressed (pmtiles extract keeps the build's gzip)"
        )
    if header["internal_compression"] != Compression.GZIP:
        # The pmtiles reader reads gzip-compressed directories only, as every Protomaps build writes them.
        raise ArchiveProblem(f"{path} keeps its directories {header['internal_compression'].name}, not gzip")
    if header["tile_data_offset"] + header["tile_data_length"] > os.fstat(descriptor).st_size:
        raise ArchiveProblem(f"{path} is cut short: its tiles run past the end of the file")
    try:  # read once now: a damaged directory is found at start, not at a reader's first tile
        deserialize_directory(os.pread(descriptor, header["root_length"], header["root_offset"]))
    except (OSError, EOFError, ValueError, IndexError, zlib.error):  # gzip's BadGzipFile is an OSError
        raise ArchiveProblem(f"{path}: its directory of tiles cannot be read") from None
    west, south, east, north = (header[k] / 1e7 for k in ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7"))
    return BasemapArchive(
        path,
        descriptor,
        header["min_zoom"],
        header["max_zoom"],
        (west, south, east, north),
        COMPRESSIONS[header["tile_compression"]],
    )


def open_basemap_archive(config: Config) -> BasemapArchive | None:
    """The configured archive, when ``[map] basemap = "pmtiles"``; None otherwise, or when it cannot be used, said
    once in the log (the Portal calls this once per process)."""
    if config.map.basemap != PMTILES:
        return None
    path = config.resolve(config.map.basemap_file)
    try:
        return open_archive(path)
    except ArchiveProblem as problem:
        logger.warning("[map] basemap_file: %s; the map is drawn without a basemap", problem)
    except Exception as error:  # anything else the file does to the reader: still no traceback for the admin
        logger.warning("[map] basemap_file: %s cannot be read (%s); the map is drawn without a basemap", path, error)
    return None


def basemap_in_effect(config: Config, archive: BasemapArchive | None) -> str:
    """The basemap the map draws: the configured one, or none when the configured archive could not be opened."""
    return "none" if config.map.basemap == PMTILES and archive is None else config.map.basemap
