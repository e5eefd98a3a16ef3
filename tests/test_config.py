"""The configuration file: defaults, overrides, and a clear message for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_sources.config.portal_config import DEFAULT_CONFIG, ConfigError, load_config


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_configuration_loads_six_sample_sources_that_exist() -> None:
    config = load_config(DEFAULT_CONFIG)
    assert len(config.sources) == 6
    assert config.has_sample_sources
    for spec in config.sources:
        assert config.resolve(spec.path).exists(), spec.path


def test_relative_paths_resolve_against_the_config_file_and_database_url_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load_config(_write(tmp_path, '[store]\npath = "db/x.sqlite"\n'))
    assert config.database_url == f"sqlite:///{tmp_path / 'db' / 'x.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db/portal")
    assert config.database_url == "postgresql://portal@db/portal"


def test_portal_config_environment_variable_picks_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_CONFIG", str(_write(tmp_path, '[portal]\ntitle_en = "Elsewhere"\n')))
    assert load_config().portal.title_en == "Elsewhere"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[portal]\ntitel = "x"\n', "titel"),
        ('[sync]\ninterval_minutes = "often"\n', "interval_minutes"),
        ('[secrets]\nkey = "x"\n', "secrets"),
        ('[[sources]]\nkind = "workbook"\npath = "a.xlsx"\n', "name"),
        ('[[sources]]\nname = "a"\nkind = "ftp"\n', "ftp"),
        ('[[sources]]\nname = "a"\nkind = "workbook"\npath = "a.xlsx"\n' * 2, "unique"),
        ('[[sources]]\nname = "a"\nkind = "workbook"\n', "needs a path"),
        ('[[sources]]\nname = "a"\nkind = "google"\n', "needs sheet"),
        ('[google]\nprivate_key = "x"\n', "private_key"),
        ("[portal\n", "not valid TOML"),
        ('[map]\nbasemap = "osm"\n', "basemap must be one of carto, none, pmtiles"),
        ('[map]\nbasemap = "pmtiles"\n', "needs basemap_file"),
        ("[feedback]\nspool_max_mb = 0\n", "spool_max_mb must be at least 1"),
    ],
)
def test_a_wrong_configuration_is_one_clear_error_naming_the_key(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(_write(tmp_path, text))


def test_a_missing_configuration_file_says_which_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.toml")


def test_the_server_table_defaults_to_this_machine_and_reads_lists_of_hosts_and_proxies(tmp_path: Path) -> None:
    default = load_config(_write(tmp_path, "")).server
    assert default.allowed_hosts is None and default.trusted_proxies == ("127.0.0.1", "::1")
    text = '[server]\nallowed_hosts = ["portal.example.go.id"]\ntrusted_proxies = ["10.0.0.0/8", "192.0.2.7"]\n'
    server = load_config(_write(tmp_path, text)).server
    assert server.allowed_hosts == ("portal.example.go.id",) and server.trusted_proxies == ("10.0.0.0/8", "192.0.2.7")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[server]\ntrusted_proxies = ["nginx"]\n', "'nginx' is not an address or a network"),
        ('[server]\ntrusted_proxies = "127.0.0.1"\n', "trusted_proxies must be a list"),
        ("[server]\nallowed_hosts = [1]\n", "allowed_hosts must be a list"),
    ],
)
def test_a_server_table_mistake_is_named(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(ConfigError, match=said):
        load_config(_write(tmp_path, text))
