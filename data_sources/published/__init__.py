"""What pages and files read from the published snapshots: ``published_data.PublishedData`` with its one memo,
and the tables, map data, history and sync health derived from it (plus an SKPD's draft, checked the same way).
"""
