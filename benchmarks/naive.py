"""The naive baseline: a Streamlit map app as most are written (benchmarks only, not part of the portal).

On every rerun it reads every source workbook (as a plain ``st-gsheets-connection``-style app reads its
sheets: no snapshot, no cache), concatenates the sites, and draws a pydeck ``ScatterplotLayer`` of every
site with all its columns, the sites' table and a histogram of progress. The workbooks are the ones of
the benchmark's ``portal.toml`` (``PORTAL_CONFIG``); only the first point of a ``ruas`` is drawn.

Run: ``PORTAL_CONFIG=/tmp/portal-bench/M/portal.toml streamlit run benchmarks/naive.py``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pandas as pd
import pydeck as pdk
import streamlit as st

config_path = Path(os.environ["PORTAL_CONFIG"])
config = tomllib.loads(config_path.read_text(encoding="utf-8"))
paths = [Path(s["path"]) for s in config["sources"] if s.get("kind") == "workbook"]


def read_sheet(path: Path, names: tuple[str, ...]) -> pd.DataFrame:
    with pd.ExcelFile(path) as book:
        title = next((t for t in book.sheet_names if t.strip().lower() in names), book.sheet_names[-1])
        frame = pd.read_excel(book, sheet_name=title)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame.loc[:, ~frame.columns.duplicated()]


sites = pd.concat([read_sheet(p, ("lokasi", "titik lokasi", "lokasi program")) for p in paths], ignore_index=True)
coordinates = next((c for c in sites.columns if "koordinat" in c or "lat" in c), None)


def first_point(value: object) -> tuple[float | None, float | None]:
    try:
        lat, lon = str(value).split(";")[0].replace(",", " ").split()[:2]
        return float(lat), float(lon)
    except ValueError:
        return None, None


points = sites[coordinates].map(first_point) if coordinates else pd.Series([], dtype=object)
sites["lat"] = [p[0] for p in points]
sites["lon"] = [p[1] for p in points]
sites = sites.dropna(subset=["lat", "lon"])
shown = sites.astype({c: str for c in sites.columns if c not in ("lat", "lon")})

st.title("Peta lokasi program")
st.pydeck_chart(
    pdk.Deck(
        layers=[
            pdk.Layer(
                "ScatterplotLayer",
                data=shown,
                get_position="[lon, lat]",
                get_radius=60,
                get_fill_color=[0, 114, 178, 160],
                pickable=True,
            )
        ],
        initial_view_state=pdk.ViewState(latitude=-3.32, longitude=114.59, zoom=12),
        tooltip={"text": "{nama_lokasi}\n{status}"},
    )
)
st.dataframe(shown)
progress = next((c for c in sites.columns if "realisasi" in c), None)
if progress:
    st.bar_chart(pd.to_numeric(sites[progress], errors="coerce").round(-1).value_counts().sort_index())
