"""The Atom feed of published changes (core.atom_feed): one entry per sync that changed a figure, told in both
languages, retroactive edits flagged, sheet text kept as text, and nothing /riwayat does not publish.

The snapshots are the ones test_history builds (validated workbooks, as a sync stores them). Validation is
RFC 4287's own RELAX NG grammar (Appendix B, tests/atom.rng) with lxml, plus the rules of the RFC's text that a
schema cannot state.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from builders import PROGRAM_CODE, lokasi, program, sheet, validate, workbook
from lxml import etree
from test_history import DAY1, DAY2, DAY4, JUN, MAY, PUPR, every_edit, read_at, report, snapshot

from core.atom_feed import MAX_ENTRIES, RETROACTIVE_TERM, Site, atom_xml, feed_entries
from core.snapshot_history import History, Snapshot
from core.text import Text

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://transparansi.banjarmasinkota.go.id"
SITE = Site(
    BASE,
    Text("Portal Transparansi Quick Win Kota Banjarmasin", "Quick Win Transparency Portal, City of Banjarmasin"),
    "Dinas Komunikasi, Informatika dan Statistik Kota Banjarmasin",
    "smartcity@example.go.id",
    "CC BY 4.0",
    tag_authority="transparansi.banjarmasinkota.go.id",
)
EMPTY_UPDATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feed(snapshots: list[Snapshot], lang: str = "id", site: Site = SITE, limit: int = MAX_ENTRIES) -> bytes:
    return atom_xml(feed_entries(History(tuple(snapshots)), limit), site, lang, EMPTY_UPDATED)


def parsed(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)


def by_id(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """The entries by the snapshot id that ends their id."""
    return {(e.findtext(f"{A}id") or "").rsplit("/", 1)[1]: e for e in root.findall(f"{A}entry")}


class _Text(HTMLParser):
    """The text and the elements of an entry's HTML content, as a feed reader renders it."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def content(entry: ElementTree.Element) -> _Text:
    node = entry.find(f"{A}content")
    assert node is not None and node.get("type") == "html"
    reader = _Text()
    reader.feed(node.text or "")  # the HTML, once the XML is parsed: what a reader renders
    reader.close()
    return reader


def lines(entry: ElementTree.Element) -> list[str]:
    return content(entry).parts


# --- an entry per sync that changed something -----------------------------------------------------------


def test_each_sync_that_changed_a_figure_is_an_entry_and_one_that_changed_nothing_is_none() -> None:
    sequence = every_edit()
    # PUPR read again with the same rows (no change), and Disperkim with one site renamed: no figure changed.
    unchanged = Snapshot(9, "pupr", read_at(DAY4) + timedelta(hours=2), sequence[1].rows)
    sites_only = snapshot(
        10,
        "disperkim",
        DAY4 + timedelta(days=1),
        [program(target=460, anggaran="Rp8.500.000.000", tanggal_selesai=date(2025, 3, 31))],
        [report(date(2024, 4, 30), 30, count=140), report(MAY, 38), report(JUN, 35)],
        [lokasi(kode_lokasi="LOK-01"), lokasi(kode_lokasi="LOK-02", nama_lokasi="Kantor Disperkim Baru")],
    )
    found = feed_entries(History(tuple([*sequence, unchanged, sites_only])))
    assert [e.snapshot.id for e in found] == [5, 4, 3, 2, 1]
    assert sorted(by_id(parsed(feed([*sequence, unchanged, sites_only])))) == ["1", "2", "3", "4", "5"]


def test_an_entry_names_the_program_and_each_figure_with_old_and_new_value_in_indonesian() -> None:
    entry = by_id(parsed(feed(every_edit(), "id")))["3"]  # 3 June: target lowered, budget cut, a new report
    assert entry.findtext(f"{A}title") == (
        "Bakawan RTLH: target indikator 500 → 460 (diubah setelah terbit) (+2 lainnya)"
    )
    told = lines(entry)
    assert "Bakawan RTLH (QW24-PERKIM-01) · Disperkim · Data per 31 Mei 2024" in told
    assert "Target indikator 500 → 460 (diubah setelah terbit)" in told
    assert "Anggaran Rp9.200.000.000 → Rp8.500.000.000 (diubah setelah terbit)" in told
    assert "Realisasi fisik 40% (laporan baru 31 Mei 2024)" in told
    assert "Dibaca dari sheet SKPD 3 Juni 2024 08:00 WITA. " in told


def test_an_entry_speaks_english_in_the_english_feed() -> None:
    root = parsed(feed(every_edit(), "en"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext(f"{A}title") == "Published data changes · Quick Win Transparency Portal, City of Banjarmasin"
    entry = by_id(root)["3"]
    assert (
        entry.findtext(f"{A}title") == "Bakawan RTLH: indicator target 500 → 460 (changed after publication) (+2 more)"
    )
    told = lines(entry)
    assert "Bakawan RTLH (QW24-PERKIM-01) · Disperkim · Data as of 31 May 2024" in told
    assert "Budget Rp9,200,000,000 → Rp8,500,000,000 (changed after publication)" in told
    assert "Physical progress 40% (new report of 31 May 2024)" in told
    revised = by_id(root)["5"]
    assert revised.findtext(f"{A}title") == (
        "Bakawan RTLH: physical progress 40% → 38% (report of 31 May 2024) (changed after publication)"
    )


def test_a_new_program_is_one_line_with_its_target_and_reports_counted() -> None:
    entry = by_id(parsed(feed(every_edit(), "id")))["2"]
    assert (
        entry.findtext(f"{A}title")
        == "Sungaiku Baiman: program baru terbit: target indikator 460 unit; 1 laporan terbit"
    )
    assert entry.findtext(f"{A}summary") == "1 perubahan."


def test_a_retroactive_edit_is_flagged_by_category_summary_and_line() -> None:
    root = parsed(feed(every_edit(), "id"))
    entry = by_id(root)["4"]  # 1 July: end date moved, April revised, March removed, June below May
    terms = {c.get("term"): c for c in entry.findall(f"{A}category")}
    assert RETROACTIVE_TERM in terms and terms[RETROACTIVE_TERM].get("label") == "Angka yang diubah setelah terbit"
    assert entry.findtext(f"{A}summary") == "4 perubahan; 4 angka diubah setelah terbit."
    told = lines(entry)
    assert "Tanggal selesai 31 Desember 2024 → 31 Maret 2025 (diubah setelah terbit)" in told
    assert "Laporan 31 Maret 2024 dihapus (realisasi fisik 20%) (diubah setelah terbit)" in told
    assert "Capaian indikator 150 → 140 (laporan 30 April 2024) (diubah setelah terbit)" in told
    # June's report is new, not changed: not flagged itself; the drop from May is told among the edits.
    assert "Realisasi fisik 35% (laporan baru 30 Juni 2024)" in told
    assert any("Realisasi turun dari 40% (laporan 31 Mei 2024) menjadi 35%" in line for line in told)
    # A sync that only published new figures is no retroactive edit.
    plain = by_id(root)["2"]
    assert RETROACTIVE_TERM not in {c.get("term") for c in plain.findall(f"{A}category")}
    assert "diubah setelah terbit" not in (plain.findtext(f"{A}summary") or "")


def test_each_entry_links_to_the_history_of_its_program_on_the_day_of_the_sync() -> None:
    for lang, suffix in (("id", ""), ("en", "&lang=en")):
        found = by_id(parsed(feed(every_edit(), lang)))
        link = found["4"].find(f"{A}link[@rel='alternate']")
        assert link is not None and link.get("type") == "text/html"
        expected = f"{BASE}/riwayat?program={PROGRAM_CODE}&dari=2024-06-30&sampai=2024-07-01{suffix}"
        assert link.get("href") == expected
        assert expected in content(found["4"]).links
        # The first day has no day before it on /riwayat: the comparison starts where the history does.
        first = found["1"].find(f"{A}link[@rel='alternate']")
        assert (
            first is not None
            and first.get("href") == f"{BASE}/riwayat?program={PROGRAM_CODE}&sampai=2024-05-01{suffix}"
        )


def test_ids_are_tag_uris_of_the_snapshot_and_the_same_in_every_build() -> None:
    first = [e.findtext(f"{A}id") for e in parsed(feed(every_edit())).findall(f"{A}entry")]
    again = [e.findtext(f"{A}id") for e in parsed(feed(every_edit())).findall(f"{A}entry")]  # as after a restart
    assert first == again and len(set(first)) == len(first) == 5
    assert first[0] == "tag:transparansi.banjarmasinkota.go.id,2024-08-01:riwayat/id/disperkim/5"
    english = [e.findtext(f"{A}id") for e in parsed(feed(every_edit(), "en")).findall(f"{A}entry")]
    assert not set(english) & set(first)  # each language's feed has its own entries


def test_entries_come_newest_first_and_stop_at_the_cap() -> None:
    root = parsed(feed(every_edit(), limit=3))
    assert [e.findtext(f"{A}updated") for e in root.findall(f"{A}entry")] == [
        "2024-08-01T08:00:00+08:00",
        "2024-07-01T08:00:00+08:00",
        "2024-06-03T08:00:00+08:00",
    ]
    assert root.findtext(f"{A}updated") == "2024-08-01T08:00:00+08:00"  # the newest entry's
    # A report every five days, more often than the cap: the feed keeps the newest MAX_ENTRIES syncs.
    reports: list[dict[str, object]] = []
    weekly: list[Snapshot] = []
    for week in range(MAX_ENTRIES + 5):
        day = date(2024, 1, 20) + timedelta(days=5 * week)
        reports.append(report(day, min(100, week)))
        weekly.append(snapshot(week + 1, "disperkim", day, [program()], reports))
    found = feed_entries(History(tuple(weekly)))
    assert len(found) == MAX_ENTRIES
    assert [e.snapshot.id for e in found] == list(range(MAX_ENTRIES + 5, 5, -1))


def test_sheet_text_stays_text_in_titles_and_content() -> None:
    name = 'Bakawan <script>alert("x")</script> & <b>Co</b>'
    office = "Perkim & <i>PUPR</i>"
    reports = [report(MAY, 40)]
    first = snapshot(1, "disperkim", DAY1, [program(nama_program=name, skpd=office)], reports)
    second = snapshot(2, "disperkim", DAY2, [program(nama_program=name, skpd=office, target=470)], reports)
    body = feed([first, second])
    assert b"<script" not in body and b"<b>" not in body and b"<i>" not in body
    entry = by_id(parsed(body))["2"]
    assert entry.findtext(f"{A}title") == f"{name}: target indikator 460 → 470 (diubah setelah terbit)"
    rendered = content(entry)
    assert not {"script", "b", "i"} & set(rendered.tags)  # the reader renders no element of the sheet's
    assert f"{name} (QW24-PERKIM-01) · {office} · Data per 31 Mei 2024" in rendered.parts
    assert [c.get("label") for c in entry.findall(f"{A}category") if c.get("term") == PROGRAM_CODE] == [name]


def test_private_homes_and_personal_columns_never_reach_the_feed() -> None:
    private_program = program(lokasi_pribadi="ya")
    home = lokasi(nama_lokasi="Rumah Ibu Siti Aminah", koordinat="-3.3301, 114.5912", keterangan="Jl. Anggrek 7")
    beneficiaries = sheet("penerima", [{"nama": "Siti Aminah", "nik": "6371010101010001"}])
    stored = []
    for number, (day, real, nik) in enumerate([(DAY1, 20, "6371010101010001"), (DAY2, 30, "6371010101010002")], 1):
        capaian = [{**report(date(2024, 4, 30), real), "NIK Penerima": nik, "No HP": "081234567890"}]
        result = validate(workbook([private_program], capaian, [home], extra=[beneficiaries]))
        assert not result.errors
        stored.append(Snapshot(number, "disperkim", read_at(day), result.rows))
    assert stored[0].rows["lokasi"]  # the home is in the snapshot (coarsened): the feed must leave it out
    body = feed(stored).decode("utf-8") + feed(stored, "en").decode("utf-8")
    assert "30%" in body  # the figure that changed is there
    for private in ("Siti", "Aminah", "637101", "0812345", "Anggrek", "Rumah LOK-01", "-3.33", "114.59", "Kertak"):
        assert private not in body, private


# --- RFC 4287 -----------------------------------------------------------------------------------------


def rfc_4287_problems(body: bytes) -> list[str]:
    """What RFC 4287 forbids in this document: its RELAX NG grammar, then the rules of its text."""
    document = etree.fromstring(body)
    problems = [] if SCHEMA.validate(document) else [str(e) for e in SCHEMA.error_log]
    root = parsed(body)
    found = root.findall(f"{A}entry")
    if root.find(f"{A}author") is None and any(e.find(f"{A}author") is None for e in found):
        problems.append("4.1.1: an entry without an author in a feed without one")
    ids = [root.findtext(f"{A}id") or "", *(e.findtext(f"{A}id") or "" for e in found)]
    for iri in ids:
        if (
            not urlsplit(iri).scheme
            or re.search(r"\s", iri)
            or not re.fullmatch(r"tag:[a-z0-9.-]+,\d{4}(-\d\d){0,2}:\S+", iri)
        ):
            problems.append(f"4.2.6: {iri!r} is not an absolute IRI (a tag: URI)")
    if len(set(ids)) != len(ids):
        problems.append("4.2.6: ids repeat")
    for node in [root, *found]:
        for name in ("updated", "published"):
            for stamp in node.findall(f"{A}{name}"):
                if not RFC3339.match(stamp.text or ""):
                    problems.append(f"3.3: {stamp.text!r} is not an RFC 3339 date-time")
        alternates = [
            (x.get("type"), x.get("hreflang")) for x in node.findall(f"{A}link") if x.get("rel") == "alternate"
        ]
        if len(set(alternates)) != len(alternates):
            problems.append("4.1.1: two alternate links with the same type and hreflang")
    for entry in found:
        if not entry.findall(f"{A}link[@rel='alternate']") and entry.find(f"{A}content") is None:
            problems.append("4.1.2: an entry with neither an alternate link nor content")
    if not [x for x in root.findall(f"{A}link") if x.get("rel") == "self" and x.get("href")]:
        problems.append("4.2.7.2: no self link")
    return problems


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_feed_is_valid_atom(lang: str) -> None:
    sample = Site(
        SITE.base_url, SITE.title, SITE.author, rights="CC BY 4.0", sample=True, tag_authority=SITE.tag_authority
    )
    for body in (feed(every_edit(), lang), feed(every_edit(), lang, sample), feed([], lang)):
        assert rfc_4287_problems(body) == []
    root = parsed(feed(every_edit(), lang))
    self_link = [x.get("href") for x in root.findall(f"{A}link") if x.get("rel") == "self"]
    assert self_link == [BASE + "/riwayat.atom" + ("?lang=en" if lang == "en" else "")]
    assert root.findtext(f"{A}author/{A}name") == SITE.author


def test_an_empty_history_is_a_valid_feed_dated_by_the_caller() -> None:
    root = parsed(feed([]))
    assert root.findall(f"{A}entry") == [] and root.findtext(f"{A}updated") == "2026-12-01T17:00:00+08:00"


def test_the_validation_catches_what_rfc_4287_forbids() -> None:
    """The checks can fail: a feed without an id, a bad date, an entry without id or author is caught."""
    good = feed(every_edit())
    no_id = re.sub(rb"<id>tag:[^<]*riwayat/id</id>", b"", good, count=1)
    assert any("RELAXNG" in p for p in rfc_4287_problems(no_id))
    bad_date = good.replace(b"<updated>2024-08-01T08:00:00+08:00</updated>", b"<updated>1 Agustus 2024</updated>", 1)
    assert rfc_4287_problems(bad_date)
    no_author = re.sub(rb"<author>.*?</author>", b"", good, count=1, flags=re.S)
    assert "4.1.1: an entry without an author in a feed without one" in rfc_4287_problems(no_author)
    repeated = good.replace(b",2024-07-01:riwayat/id/disperkim/4<", b",2024-08-01:riwayat/id/disperkim/5<")
    assert "4.2.6: ids repeat" in rfc_4287_problems(repeated)


def test_two_sources_read_in_one_round_are_two_entries() -> None:
    found = feed_entries(History(tuple(every_edit()[:2])))
    assert [(e.snapshot.source, e.codes) for e in found] == [
        ("pupr", [PUPR[0]["kode_program"]]),
        ("disperkim", [PROGRAM_CODE]),
    ]


def test_the_feed_as_a_page_lists_the_same_entries_and_keeps_sheet_text_as_text() -> None:
    from core.feed_page import feed_page_html

    name = 'Bakawan <script>alert("x")</script> & <b>Co</b>'
    reports = [report(MAY, 40)]
    first = snapshot(1, "disperkim", DAY1, [program(nama_program=name)], reports)
    second = snapshot(2, "disperkim", DAY2, [program(nama_program=name, target=470)], reports)
    found = feed_entries(History((first, second)))
    html = feed_page_html(found, SITE, "en")
    atom = parsed(atom_xml(found, SITE, "en", EMPTY_UPDATED))
    assert "<script" not in html and "<b>" not in html
    page = _Text()
    page.feed(html)
    assert "h1" in page.tags and "feed reader" in " ".join(page.parts)
    assert f"{BASE}/riwayat.atom?lang=en" in page.parts  # the address to paste into a reader
    links = re.findall(r'<h3><a href="([^"]+)"', html)
    assert [link.replace("&amp;", "&") for link in links] == [
        e.find(f"{A}link").get("href") for e in atom.iter(f"{A}entry")
    ]
