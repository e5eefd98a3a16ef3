"""The store (SQLAlchemy Core; a SQLite file by default, PostgreSQL for replicas): snapshots, sync runs and the
sync lock, feedback responses with their mirror outbox, and failed admin sign-ins.
"""
