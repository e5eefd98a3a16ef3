"""The store's shared schema: the one ``MetaData``, the snapshots and their row tables.

Kept apart from ``snapshot_store`` so that the transparency log (``transparency_log``), which ``Store.save``
writes in the same transaction as a snapshot, can read snapshots and rows without importing the ``Store``
that imports it. The row tables are derived from the sheet contract, so a contract column is a store column
without a second definition.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from core import contract
from core.contract import Kind, Worksheet

metadata = sa.MetaData()

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=False, index=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("contract_version", sa.Integer, nullable=False),
    sa.Column("counts", sa.JSON, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
)

SQL_TYPES: dict[Kind, Any] = {
    Kind.TEXT: sa.Text,
    Kind.NUMBER: sa.Float,
    Kind.PERCENT: sa.Float,
    Kind.RUPIAH: sa.Numeric(20, 2),
    Kind.DATE: sa.Date,
    Kind.CHOICE: sa.String(40),
    Kind.URL: sa.Text,
    Kind.COORDINATES: sa.JSON,
}


def _row_table(spec: Worksheet) -> sa.Table:
    return sa.Table(
        f"{spec.name}_rows",
        metadata,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False, index=True),
        sa.Column("sheet_row", sa.Integer, nullable=False),
        *(sa.Column(col.name, SQL_TYPES[col.kind], nullable=True) for col in spec.columns),
    )


row_tables: dict[str, sa.Table] = {spec.name: _row_table(spec) for spec in contract.WORKSHEETS}


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
