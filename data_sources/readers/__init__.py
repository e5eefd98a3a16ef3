"""Readers: every kind of source the portal reads (Google Sheets, published CSV, a workbook, an upload, a survey CSV).

A reader turns a source into a ``core.table.RawWorkbook`` and nothing more: no validation, no store.
"""
