"""Download buttons for what a page shows: CSV, XLSX and JSON, each carrying its source, "data per" (the newest
report date shown), the time the portal read its sheets ("dibaca portal") and licence (inside the XLSX and JSON, in
the file name and the caption for the CSV). Files are built only when the
reader clicks, never on every run of the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.cite import cite_this
from core.data_dictionary import dictionary_rows
from core.formatting import escape_markdown
from core.i18n import t
from core.provenance import About, read_words
from data_sources.files.exports import (
    dictionary_formatted,
    tables_to_xlsx_bytes,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx_bytes,
)

OPEN_DATA_INDEX = "/app/static/data/index.json"


MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def file_button(column: DeltaGenerator, label: str, data: Callable[[], bytes], file_name: str, key: str) -> None:
    """One download; ``data`` runs only when the reader clicks (``on_click="ignore"``: no rerun either)."""
    column.download_button(
        label,
        data,
        file_name=file_name,
        mime=MIME[file_name.rsplit(".", 1)[-1]],
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )


def file_stem(name: str, data_per: date | None) -> str:
    """The file is named by its "data per", the newest report date it describes (ISO, so names sort by it)."""
    stamp = data_per.isoformat() if data_per else "tanpa-tanggal"
    return f"quickwin-banjarmasin_{name}_data-per-{stamp}"


def download_buttons(
    key: str,
    name: str,
    frame: Callable[[], pd.DataFrame],
    about: About,
    lang: str,
    *,
    label: str | None = None,
) -> None:
    """Three buttons (CSV, XLSX, JSON) for one table; ``frame`` is called only when a file is asked for."""
    st.markdown(f"**{label or t('downloads.visible', lang)}**")
    st.caption(
        t(
            "downloads.caption",
            lang,
            source=escape_markdown(about.source),
            when=about.data_per_words(lang),
            read=read_words(about.read_at, lang),
            licence=escape_markdown(about.licence),
            url=about.licence_url,
        )
    )
    stem = file_stem(name, about.data_per)

    def view() -> pd.DataFrame:
        # Values as the data dictionary writes them (dates YYYY-MM-DD, whole numbers whole, yes/no as words), so
        # the CSV, the XLSX and the JSON of a view read alike.
        return dictionary_formatted(frame())

    def xlsx() -> bytes:
        dictionary = pd.DataFrame(dictionary_rows(lang))
        # The data dictionary rides along under the file's provenance: the columns explained in the file itself.
        table = [tuple(dictionary.columns), *dictionary.itertuples(index=False, name=None)]
        about_rows = [*about.rows(lang), ("", ""), *table]
        return to_xlsx_bytes(view(), name, about_rows, t("downloads.about_sheet", lang))

    csv_column, xlsx_column, json_column = st.columns(3)
    file_button(csv_column, "CSV", lambda: to_csv_bytes(view()), f"{stem}.csv", f"{key}_csv")
    file_button(xlsx_column, "XLSX", xlsx, f"{stem}.xlsx", f"{key}_xlsx")
    file_button(json_column, "JSON", lambda: to_json_bytes(view(), about.as_json()), f"{stem}.json", f"{key}_json")


def full_download_buttons(key: str, tables: Callable[[], dict[str, pd.DataFrame]], about: About, lang: str) -> None:
    """The whole published data set: every table in one XLSX (plus the data dictionary) or one JSON, and a
    CSV per table."""
    st.markdown(f"**{t('downloads.full', lang)}**")
    stem = file_stem("semua-data", about.data_per)

    def xlsx() -> bytes:
        dictionary = pd.DataFrame(dictionary_rows(lang))
        all_tables = {**tables(), t("dictionary.sheet", lang): dictionary}
        return tables_to_xlsx_bytes(all_tables, about.rows(lang), t("downloads.about_sheet", lang))

    columns = st.columns(5)
    file_button(columns[0], "XLSX", xlsx, f"{stem}.xlsx", f"{key}_full_xlsx")
    everything = lambda: to_json_bytes(tables(), about.as_json())  # noqa: E731 - built only on a click
    file_button(columns[1], "JSON", everything, f"{stem}.json", f"{key}_full_json")
    for column, name in zip(columns[2:], ("program", "capaian", "lokasi"), strict=True):
        csv = file_stem(name, about.data_per) + ".csv"
        file_button(column, f"{name}.csv", lambda name=name: to_csv_bytes(tables()[name]), csv, f"{key}_full_{name}")


def data_section(
    key: str,
    name: str,
    visible: Callable[[], pd.DataFrame],
    full: Callable[[], dict[str, pd.DataFrame]],
    about: About,
    portal_title: str,
    lang: str,
    *,
    folded: bool = False,
) -> None:
    """The bottom of a data page: download what is shown and everything, the open-data files, "cite this".

    ``folded``: the downloads in a box drawn only once a reader opens it (``{key}_downloads`` in the session), so a
    page's first view sends and draws none of their buttons (issue 23)."""

    def buttons() -> None:
        download_buttons(key, name, visible, about, lang)
        full_download_buttons(key, full, about, lang)
        st.caption(t("downloads.open_data", lang, path=OPEN_DATA_INDEX))

    if folded:
        box = st.expander(
            t("downloads.title", lang), icon=":material/download:", key=f"{key}_downloads", on_change="rerun"
        )
        if box.open:
            with box:
                buttons()
    else:
        st.header(t("downloads.title", lang), anchor=False)
        buttons()
    cite_this(about.title, portal_title, about.data_per, lang)
