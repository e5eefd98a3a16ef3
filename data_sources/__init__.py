"""Readers, the store, sync and the command line: everything that does I/O."""
