"""Read every configured source, validate it, and store a snapshot when its content changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.validation import ValidationResult, reject_codes_owned_elsewhere, validate_workbook
from data_sources.config import Config, ConfigError, SourceConfig
from data_sources.sources import SourceUnreadable
from data_sources.store import Store

# Banjarmasin keeps WITA (UTC+8): "today" for the rule "a report date is not in the future".
CITY_TZ = ZoneInfo("Asia/Makassar")


def city_today() -> date:
    return datetime.now(CITY_TZ).date()


@dataclass(frozen=True)
class SyncOutcome:
    source: str
    outcome: str  # "new", "unchanged" or "failed"
    message: str = ""
    result: ValidationResult | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    def line(self) -> str:
        if self.result is None:
            return f"{self.source}: FAILED: {self.message}"
        counts = ", ".join(
            f"{sheet} {c.accepted}/{c.rows} accepted" + (f" ({c.rejected} rejected)" if c.rejected else "")
            for sheet, c in self.result.counts.items()
        )
        what = "new snapshot" if self.outcome == "new" else "unchanged"
        return (
            f"{self.source}: {what}; {counts}; {len(self.result.errors)} errors, {len(self.result.warnings)} warnings"
        )


def check_source(config: Config, spec: SourceConfig, today: date | None = None) -> ValidationResult:
    source = config.open_source(spec)
    return validate_workbook(source.read(), today or city_today())


def sync_source(
    config: Config, store: Store, spec: SourceConfig, owners: dict[str, str], today: date | None = None
) -> SyncOutcome:
    """``owners``: program codes claimed by sources earlier in the config, updated with this one's."""
    started = datetime.now(UTC)
    try:
        result = check_source(config, spec, today)
    except (SourceUnreadable, ConfigError) as exc:
        # The last good snapshot stays; the failure is logged beside it so pages can show its age.
        store.record_failure(spec.name, started, str(exc))
        return SyncOutcome(spec.name, "failed", str(exc))
    reject_codes_owned_elsewhere(result, owners)
    for row in result.rows["program"]:
        owners.setdefault(row["kode_program"], spec.name)
    outcome, _ = store.save(spec.name, result, started)
    return SyncOutcome(spec.name, outcome, result=result)


def sync_all(config: Config, store: Store, today: date | None = None) -> list[SyncOutcome]:
    """One source failing does not stop the others. Earlier sources in the config own their codes."""
    owners: dict[str, str] = {}
    return [sync_source(config, store, spec, owners, today) for spec in config.sources]
