"""Everything that does I/O, one subpackage per job: readers, store, published, jobs, files, config, and the CLI.

The direction of imports inside and around it is in docs/architecture.md and checked by ``lint-imports``.
"""
