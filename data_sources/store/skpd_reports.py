"""What the portal last told each SKPD, kept between syncs: the problems and reminders it knew, what the sheet's
status worksheet says (its fingerprint), and how the last write into the sheet went.

One row per source. The problems and reminders decide whether the next sync has news for the SKPD's e-mail; the
fingerprint whether the status worksheet needs writing again; the write's outcome is shown on the health page,
on /admin and by ``python -m data_sources sync``.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.health_rules import SheetWrite
from core.sheet_feedback import Known
from core.text import Text
from data_sources.store.snapshot_store import Fence, create_tables, hold_fence

metadata = sa.MetaData()

skpd_reports = sa.Table(
    "skpd_reports",
    metadata,
    sa.Column("source", sa.String(100), primary_key=True),
    # Known.as_dict(): the problems and reminders the SKPD was last told of.
    sa.Column("known", sa.JSON, nullable=False),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    # The status worksheet's fingerprint as last written into the sheet (None: never written).
    sa.Column("status_fingerprint", sa.String(64), nullable=True),
    # "written", "unchanged", "refused" or "failed" (None: the source does not write back).
    sa.Column("sheet_outcome", sa.String(20), nullable=True),
    sa.Column("sheet_message", sa.Text, nullable=True),
    sa.Column("sheet_message_en", sa.Text, nullable=True),
    sa.Column("sheet_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("sheet_written_at", sa.DateTime(timezone=True), nullable=True),
    # The service account that must be given Editor access when the write was refused.
    sa.Column("sheet_account", sa.String(320), nullable=True),
)


@dataclass(frozen=True)
class SkpdState:
    source: str
    known: Known
    checked_at: datetime
    status_fingerprint: str | None
    sheet: SheetWrite | None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# The engines whose table this process has made sure of: the health page reads this table on every run. Weakly
# held, not by id(): an engine's id was handed to the next engine once the first was collected, and that one's new
# database then had no table ("no such table: skpd_reports", a sync test failing one run in many).
_created: weakref.WeakSet[Engine] = weakref.WeakSet()


class SkpdReports:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        if engine not in _created:
            create_tables(engine, metadata)
            _created.add(engine)

    def state(self, source: str) -> SkpdState | None:
        return self.states().get(source)

    def states(self) -> dict[str, SkpdState]:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(skpd_reports)).all()
        return {r.source: _state(r) for r in found}

    def save(
        self,
        source: str,
        known: Known,
        checked_at: datetime,
        *,
        fingerprint: str | None,
        sheet: SheetWrite | None,
        fence: Fence | None = None,
    ) -> None:
        """Remember what the SKPD was told, in one transaction carrying the sync's fence."""
        values: dict[str, Any] = {
            "known": known.as_dict(),
            "checked_at": checked_at,
            "status_fingerprint": fingerprint,
            "sheet_outcome": sheet.outcome if sheet else None,
            "sheet_message": sheet.message.id if sheet and sheet.message else None,
            "sheet_message_en": sheet.message.en if sheet and sheet.message else None,
            "sheet_attempt_at": sheet.attempt_at if sheet else None,
            "sheet_written_at": sheet.written_at if sheet else None,
            "sheet_account": sheet.account if sheet else None,
        }
        with self.engine.begin() as conn:
            hold_fence(conn, fence, source)
            updated = conn.execute(skpd_reports.update().where(skpd_reports.c.source == source).values(**values))
            if updated.rowcount == 0:
                conn.execute(skpd_reports.insert().values(source=source, **values))


def _state(r: Any) -> SkpdState:
    sheet = None
    if r.sheet_outcome:
        message = Text(r.sheet_message, r.sheet_message_en or r.sheet_message) if r.sheet_message else None
        sheet = SheetWrite(
            r.sheet_outcome, message, _utc(r.sheet_attempt_at), _utc(r.sheet_written_at), r.sheet_account
        )
    return SkpdState(r.source, Known.from_dict(r.known), _utc(r.checked_at), r.status_fingerprint, sheet)  # type: ignore[arg-type]
