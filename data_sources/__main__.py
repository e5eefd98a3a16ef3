import sys

from data_sources.cli import log_to_stderr, main

log_to_stderr()
sys.exit(main())
