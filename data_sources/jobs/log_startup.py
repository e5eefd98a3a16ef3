"""What a serving portal does with its transparency log when it starts (issue 24).

First a checkpoint is signed if the log outgrew the latest one (a store that gained its log on upgrade, or a key
configured since the last sync); then the whole log is checked (``data_sources.store.log_audit``) and the finding
logged: an ERROR line naming the first leaf or checkpoint that differs, or an INFO line. A key that cannot be
used is one ERROR line too. /admin shows what was found (``components/log_status.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.text import Text
from data_sources.config.portal_config import Config
from data_sources.config.signing_key import SigningKeyProblem, configured_signing_key
from data_sources.jobs.checkpoint_signing import Signing, usable_key
from data_sources.jobs.sync import sign_pending_checkpoint
from data_sources.store.log_audit import LogCheck, check_log
from data_sources.store.snapshot_store import Store

logger = logging.getLogger("portal")


@dataclass(frozen=True)
class LogStartup:
    check: LogCheck
    signed: Signing | None  # the checkpoint signed at start (None: none was needed, or another sync signs)


def start_log(config: Config, store: Store) -> LogStartup:
    """Sign what is pending, then check the log; both findings logged."""
    signed = sign_pending_checkpoint(config, store)
    key = usable_key(config)
    if isinstance(key, Text) and (signed is None or signed.outcome != "key-problem"):
        # Not logged twice: signing logged it already when it had something to sign.
        logger.error("transparency log: the signer key cannot be used, no checkpoint is signed: %s", key.en)
    check = check_log(store.log, _verifier(config))
    if check.ok:
        logger.info(check.line())
    else:
        logger.error(check.line())
    return LogStartup(check, signed)


def _verifier(config: Config) -> str | None:
    """The configured key's verifier key, whenever its file reads as a key (a public_url that no longer matches
    its name stops signing, not checking)."""
    try:
        key = configured_signing_key(config)
    except SigningKeyProblem:
        return None
    return None if key is None else key.verifier
