"""Which address the portal writes in its links (``core.site_base``): public_url, else an allowed Host, else a
fixed fallback; forwarded headers only from trusted proxies; Atom ids' authority never from a request (issue #22,
item 3)."""

from __future__ import annotations

import pytest
from tag_uri import TAG_URI

from core.site_base import (
    LOOPBACK_HOSTS,
    LOOPBACK_PROXIES,
    Asked,
    host_allowed,
    host_name,
    is_trusted,
    site_base,
    tag_authority,
)

ALLOWED = (*LOOPBACK_HOSTS, "transparansi.banjarmasinkota.go.id")
OWN_PORT = 8501


def base(asked: Asked, public_url: str = "", proxies: tuple[str, ...] = LOOPBACK_PROXIES) -> str:
    return site_base(public_url, asked, ALLOWED, proxies, OWN_PORT)


def test_public_url_wins_over_everything_a_request_says() -> None:
    asked = Asked("http", "evil.example", "127.0.0.1", "https", "evil.example")
    assert base(asked, "https://transparansi.banjarmasinkota.go.id/") == "https://transparansi.banjarmasinkota.go.id"


def test_an_allowed_host_is_used_with_its_port() -> None:
    assert base(Asked("http", "127.0.0.1:8501", "203.0.113.5")) == "http://127.0.0.1:8501"
    assert base(Asked("http", "[::1]:8501", "203.0.113.5")) == "http://[::1]:8501"
    assert base(Asked("http", "Transparansi.Banjarmasinkota.go.id", "203.0.113.5")) == (
        "http://transparansi.banjarmasinkota.go.id"
    )


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "",
        "::ffff:127.0.0.1",
        "127.0.0.1@evil.example",
        "127.0.0.1/evil",
        "127.0.0.1:8501 evil",
        "localhost.evil.example",
        "a" * 300,
        '"><script>',
        "127.0.0.1:1",
        "localhost:65535",
        "transparansi.banjarmasinkota.go.id:8443",
    ],
)
def test_any_other_host_gives_the_fallback_that_no_request_chooses(host: str) -> None:
    assert base(Asked("http", host, "203.0.113.5")) == "http://localhost:8501"


def test_forwarded_headers_count_only_from_a_trusted_proxy() -> None:
    forged = Asked("http", "127.0.0.1:8501", "203.0.113.5", "https", "transparansi.banjarmasinkota.go.id")
    assert base(forged) == "http://127.0.0.1:8501"
    proxied = Asked("http", "127.0.0.1:8501", "10.1.2.3", "https", "transparansi.banjarmasinkota.go.id")
    assert base(proxied, proxies=("10.0.0.0/8",)) == "https://transparansi.banjarmasinkota.go.id"
    # A trusted proxy still cannot bring in a host that is not allowed.
    sent_on = Asked("http", "127.0.0.1:8501", "127.0.0.1", "https", "evil.example")
    assert base(sent_on) == "https://localhost:8501"
    assert base(Asked("http", "127.0.0.1:8501", "127.0.0.1", "gopher")) == "http://127.0.0.1:8501"


def test_trusted_proxies_are_addresses_or_networks() -> None:
    assert is_trusted("127.0.0.1", LOOPBACK_PROXIES) and is_trusted("::1", LOOPBACK_PROXIES)
    assert is_trusted("10.9.8.7", ["10.0.0.0/8"]) and not is_trusted("11.0.0.1", ["10.0.0.0/8"])
    assert not is_trusted("", LOOPBACK_PROXIES) and not is_trusted("testclient", LOOPBACK_PROXIES)


def test_a_proxy_seen_as_an_ipv4_address_written_as_ipv6_is_the_same_proxy() -> None:
    # A server listening on every address (::) sees nginx on 127.0.0.1 as ::ffff:127.0.0.1.
    assert is_trusted("::ffff:127.0.0.1", LOOPBACK_PROXIES)
    assert is_trusted("::ffff:10.1.2.3", ["10.0.0.0/8"]) and not is_trusted("::ffff:11.0.0.1", ["10.0.0.0/8"])


def test_the_path_the_app_is_served_under_follows_the_host() -> None:
    asked = Asked("http", "evil.example", "203.0.113.5", root_path="/portal")
    assert base(asked) == "http://localhost:8501/portal"


def test_a_host_with_another_port_is_allowed_only_when_its_entry_names_that_port() -> None:
    assert host_allowed("portal.example:8443", ["portal.example:8443"], OWN_PORT)
    assert not host_allowed("portal.example:8444", ["portal.example:8443"], OWN_PORT)
    assert not host_allowed("portal.example", ["portal.example:8443"], OWN_PORT)
    assert host_allowed("[::1]:8501", ["::1"], OWN_PORT) and host_allowed("[::1]:8443", ["[::1]:8443"], OWN_PORT)
    assert host_allowed("portal.example", ["portal.example"], OWN_PORT)


def test_host_names_are_read_strictly() -> None:
    assert host_name("LocalHost:8501") == "localhost"
    assert host_name("[::1]:80") == "::1"
    assert host_name("user@host") is None and host_name("host:port") is None


@pytest.mark.parametrize(
    ("public_url", "authority"),
    [
        ("https://transparansi.banjarmasinkota.go.id", "transparansi.banjarmasinkota.go.id"),
        ("https://Portal.Example.go.id:8443/sub/", "portal.example.go.id"),
        ("", "localhost"),
        ("http://127.0.0.1:8501", "localhost"),
        ("http://[::ffff:127.0.0.1]:8501", "localhost"),
    ],
)
def test_the_feed_s_tag_authority_is_a_dns_name_from_public_url_only(public_url: str, authority: str) -> None:
    assert tag_authority(public_url) == authority
    assert TAG_URI.fullmatch(f"tag:{authority},2026:riwayat/id")


def test_the_tag_uri_check_refuses_what_a_request_s_address_used_to_give() -> None:
    assert not TAG_URI.fullmatch("tag:::ffff:127.0.0.1,2026:riwayat/id")
    assert not TAG_URI.fullmatch("tag:evil.example:8501,2026:riwayat/id")
