"""What a reader's browser receives and when (issue 14, point 7): ``make bench-web``, ``python -m benchmarks.web``.

A benchmark, not a test: it measures and writes its figures into BENCHMARKS.md, each issue-14 target marked met or
not met; nothing here passes or fails. The parts:

- ``portal_process``: a portal started the way ``make run`` starts it (``streamlit run app.py`` in the tree, on the
  tree's own ``portal.toml`` with the bundled sample workbooks), on a free port, with a fresh SQLite store in a
  temporary folder (``DATABASE_URL``); each page is opened once in the browser and the server left until idle, so
  what is measured is a warm server. The "before" tree is a revision checked out into a temporary ``git worktree``
  and started the same way, in the same run.
- ``lighthouse_runs``: Lighthouse 12.2.3 (npm, pinned in ``benchmarks/web/package-lock.json``) driving Debian's
  chromium (``CHROME_PATH``), the default mobile preset with simulated throttling, N runs per URL.
- ``browser_load``: Playwright driving Debian's chromium: the throttled phone (the DevTools protocol's 150 ms round
  trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x, as tests/browser/test_first_paint_in_browser.py) timed from
  navigation until a program's name is visible and until the app has drawn its own title; and the bytes of a first
  view, unthrottled, from navigation until the app has drawn and the network has been quiet.
- ``web_report``: the figures as a section of BENCHMARKS.md between its own markers (pure functions).
"""
