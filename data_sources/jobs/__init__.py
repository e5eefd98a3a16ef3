"""Background jobs: the sync, publishing the open-data files, the sample history, the feedback mirror, warm-up.

They run from the CLI, from a scheduler, or in a serving process's background threads (``server.portal``);
never on a reader's request.
"""
