"""An SKPD's draft, checked and shown as the public would see it, without touching the store.

The draft is an uploaded ``.xlsx`` (see ``data_sources.readers.upload``) or a Google Sheet named by URL or key:
read with the service account when the portal has one and the sheet is shared with it, else as a
sheet shared "anyone with the link". Nothing here writes to the store, so the published snapshot
stays exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.progress import ProgramProgress, program_progress
from core.sheet_feedback import NoteCell, code_column_letters, wanted_notes
from core.site_map import PrivateCount, PublicSite, private_site_counts, public_sites
from core.table import RawWorkbook
from core.validation import ValidationResult, validate_workbook
from data_sources.config.portal_config import Config
from data_sources.readers.credentials import load_service_account
from data_sources.readers.google_sheets import PublishedSheetSource, ServiceAccountSource, sheet_key
from data_sources.readers.protocol import SourceUnreadable
from data_sources.readers.upload import read_upload


@dataclass
class Preview:
    result: ValidationResult
    today: date
    formulas: list[str] = field(default_factory=list)
    more_formulas: int = 0
    # The portal's part of the note a sync with ``write_back`` would put on each problem cell, in its words.
    notes: dict[NoteCell, str] = field(default_factory=dict)

    def _rows(self, sheet: str) -> list[dict[str, Any]]:
        return self.result.rows.get(sheet, [])

    @property
    def progress(self) -> list[ProgramProgress]:
        return program_progress(self._rows("program"), self._rows("capaian"), self.today)

    def reports_of(self, code: str) -> list[dict[str, Any]]:
        return sorted((r for r in self._rows("capaian") if r["kode_program"] == code), key=lambda r: r["tanggal"])

    def sites(self) -> tuple[list[PublicSite], list[PrivateCount]]:
        """The map's data split exactly as the public map splits it: homes only as counts per kelurahan."""
        sites, programs = self._rows("lokasi"), self._rows("program")
        return public_sites(sites, programs), private_site_counts(sites, programs)


def preview_upload(config: Config, data: bytes, name: str, today: date) -> Preview:
    limits = config.workbook_limits.preview
    upload = read_upload(data, config.preview.max_upload_mb * 1024 * 1024, name=name, limits=limits)
    upload.workbook.origin = name
    return _preview(upload.workbook, today, upload.formulas, upload.more_formulas)


def _preview(workbook: RawWorkbook, today: date, formulas: list[str] | None = None, more: int = 0) -> Preview:
    result = validate_workbook(workbook, today)
    notes = wanted_notes(result.issues, code_column_letters(workbook))
    return Preview(result, today, formulas or [], more, notes)


def preview_sheet(config: Config, url_or_key: str, today: date) -> Preview:
    key = sheet_key(url_or_key)
    try:
        explicit = config.resolve(config.google.credentials_file) if config.google.credentials_file else None
        info = load_service_account(config.base, explicit)
    except SourceUnreadable:
        info = None  # no service account here: the draft must be shared "anyone with the link"
    if info is not None:
        source: Any = ServiceAccountSource("pratinjau", key, info, config.api_url, config.retry_policy)
    else:
        source = PublishedSheetSource("pratinjau", key, "id_ID", config.export_url, config.retry_policy)
    return _preview(source.read(), today)
