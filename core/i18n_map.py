"""Visible strings of the map page (merged into ``core.i18n.STRINGS``)."""

from __future__ import annotations

from core.text import Text

MAP_STRINGS: dict[str, Text] = {
    "nav.map": Text("Peta", "Map"),
    "map.title": Text("Peta lokasi program", "Map of the program sites"),
    "map.intro": Text(
        "Di mana program Quick Win dikerjakan dan sejauh mana. Rumah penerima bantuan (RTLH) tidak "
        "ditampilkan satu per satu: hanya jumlahnya per kelurahan, di titik kelurahan itu.",
        "Where the Quick Win programs are carried out, and how far along they are. Beneficiaries' homes "
        "(RTLH) are never shown one by one: only their number per kelurahan, at that kelurahan's point.",
    ),
    # Filters
    "map.filter.dimension": Text("Dimensi", "Dimension"),
    "map.filter.program": Text("Program Quick Win", "Quick Win program"),
    "map.filter.status": Text("Status lokasi", "Site status"),
    "map.filter.kecamatan": Text("Kecamatan", "Kecamatan (district)"),
    "map.filter.kelurahan": Text("Kelurahan", "Kelurahan (ward)"),
    "map.filter.all": Text("Semua", "All"),
    "map.filter.unknown": Text(
        "Tautan ini memuat nilai filter yang tidak dikenal ({filter}: {values}); nilai itu diabaikan.",
        "This link holds a filter value the page does not know ({filter}: {values}); it was ignored.",
    ),
    "map.filter.outside": Text(
        "Kelurahan {kelurahan} tidak berada di Kecamatan {kecamatan}, jadi dilepas dari filter Kelurahan.",
        "Kelurahan {kelurahan} is not in Kecamatan {kecamatan}, so it was taken off the Kelurahan filter.",
    ),
    "map.empty": Text(
        "Tidak ada lokasi yang cocok dengan filter ini. Kosongkan salah satu filter untuk melihat lebih banyak.",
        "No site matches these filters. Clear one of them to see more.",
    ),
    "map.alt": Text(
        "Peta Kota Banjarmasin: {sites} lokasi program dan {homes} rumah penerima yang dihitung per kelurahan. "
        "Daftar yang sama ada di tabel di bawah peta.",
        "Map of Banjarmasin: {sites} program sites and {homes} beneficiaries' homes counted per kelurahan. "
        "The same list is in the table below the map.",
    ),
    # Details beside the map
    "map.details": Text("Detail lokasi", "Site details"),
    "map.details.hint": Text(
        "Ketuk atau klik sebuah titik, garis, lingkaran berangka atau kotak berangka di peta untuk melihat detailnya.",
        "Tap or click a point, a line, a numbered circle or a numbered box on the map to see its details.",
    ),
    "map.details.program": Text("Bagian dari {program}", "Part of {program}"),
    "map.details.area": Text("Kelurahan {kelurahan}, Kecamatan {kecamatan}", "Kelurahan {kelurahan}, {kecamatan}"),
    "map.details.kind": Text("Jenis: {kind}", "Kind: {kind}"),
    "map.details.code": Text("Kode lokasi: {code}", "Site code: {code}"),
    "map.details.source": Text("Sumber: {skpd}", "Source: {skpd}"),
    "map.details.link": Text("Halaman program", "Program page"),
    "map.details.no_progress": Text(
        "Realisasi lokasi ini belum dilaporkan.", "No progress reported for this site yet."
    ),
    "map.kind.titik": Text("titik", "point"),
    "map.kind.ruas": Text("ruas (garis)", "segment (line)"),
    "map.realisation": Text("Realisasi {value}", "Progress {value}"),
    "map.homes": Text("{count} rumah penerima", "{count} beneficiaries' homes"),
    "map.homes.status": Text("{status}: {count} rumah", "{status}: {count} homes"),
    "map.homes.note": Text(
        "Rumah penerima tidak ditampilkan satu per satu demi perlindungan data pribadi (UU 27/2022); angka ini "
        "adalah jumlah rumah di kelurahan ini, digambar di titik kelurahannya.",
        "Beneficiaries' homes are not shown one by one, to protect personal data (UU 27/2022); this is the number "
        "of homes in the kelurahan, drawn at the kelurahan's point.",
    ),
    "map.unknown_area": Text("tidak diketahui", "unknown"),
    # Legend
    "map.legend.title": Text("Keterangan peta", "Map legend"),
    "map.legend.status": Text(
        "Warna titik dan garis menunjukkan status lokasi:", "The colour of a point or line is the site's status:"
    ),
    "map.legend.homes": Text(
        "lingkaran berangka: jumlah rumah penerima (RTLH) per kelurahan, di titik kelurahan itu",
        "numbered circle: the number of beneficiaries' homes (RTLH) in a kelurahan, at that kelurahan's point",
    ),
    "map.legend.river": Text(
        "sungai (garis perkiraan, meleset hingga 0,1–1 km)", "river (approximate line, off by up to 0.1–1 km)"
    ),
    "map.legend.site_areas": Text(
        'kotak kuning "… lokasi": jumlah lokasi program di sebuah kelurahan, bila terlalu banyak lokasi untuk '
        "digambar satu per satu",
        'yellow box "… sites": the number of program sites in a kelurahan, when there are too many sites to draw '
        "one by one",
    ),
    "map.legend.home_areas": Text(
        'kotak oranye "… rumah": jumlah rumah penerima semua program di sebuah kelurahan, bila terlalu banyak '
        "program untuk digambar satu per satu",
        'orange box "… homes": the number of beneficiaries\' homes of all programs in a kelurahan, when there are '
        "too many programs to draw one by one",
    ),
    "map.badge.lokasi": Text("{count} lokasi", "{count} sites"),
    "map.badge.rumah": Text("{count} rumah", "{count} homes"),
    "map.legend.kelurahan": Text("nama abu-abu: kelurahan", "grey names: kelurahan"),
    "map.legend.basemap": Text(
        "Peta dasar © CARTO, © kontributor OpenStreetMap. Garis sungai dan titik kelurahan: BPS/HDX 2020 dan "
        "catatan proyek (perkiraan).",
        "Basemap © CARTO, © OpenStreetMap contributors. River lines and kelurahan points: BPS/HDX 2020 and the "
        "project's notes (approximate).",
    ),
    "map.legend.own_basemap": Text(
        "Peta dasar dari portal sendiri (tanpa pihak ketiga): data © kontributor OpenStreetMap (ODbL), ubin "
        "Protomaps. Garis sungai dan titik kelurahan: BPS/HDX 2020 dan catatan proyek (perkiraan).",
        "The portal's own basemap (no third party): data © OpenStreetMap contributors (ODbL), tiles by Protomaps. "
        "River lines and kelurahan points: BPS/HDX 2020 and the project's notes (approximate).",
    ),
    "map.legend.no_basemap": Text(
        "Tanpa peta dasar dari pihak ketiga. Garis sungai dan titik kelurahan: BPS/HDX 2020 dan catatan proyek "
        "(perkiraan).",
        "No basemap from a third party. River lines and kelurahan points: BPS/HDX 2020 and the project's notes "
        "(approximate).",
    ),
    # The table alternative
    "map.table.title": Text("Lokasi dalam bentuk tabel", "The sites as a table"),
    "map.table.show": Text("Tampilkan tabel lokasi", "Show the table of sites"),
    # The picture first; deck.gl only when the reader asks for it (issue 23).
    "map.open": Text("Buka peta interaktif", "Open the interactive map"),
    "map.table.sites": Text("Lokasi program", "Program sites"),
    "map.table.homes": Text("Rumah penerima per kelurahan", "Beneficiaries' homes per kelurahan"),
    "map.col.code": Text("Kode", "Code"),
    "map.col.name": Text("Lokasi", "Site"),
    "map.col.program": Text("Program Quick Win", "Quick Win program"),
    "map.col.status": Text("Status lokasi", "Site status"),
    "map.col.kind": Text("Jenis", "Kind"),
    "map.col.kelurahan": Text("Kelurahan", "Kelurahan (ward)"),
    "map.col.kecamatan": Text("Kecamatan", "Kecamatan (district)"),
    "map.col.realisation": Text("Realisasi (%)", "Progress (%)"),
    "map.col.homes": Text("Jumlah rumah", "Homes"),
    "map.col.sites": Text("Jumlah lokasi", "Sites"),
    "map.col.programs": Text("Jumlah program", "Programs"),
    "map.table.site_areas": Text("Lokasi program per kelurahan", "Program sites per kelurahan"),
    # Sites counted per kelurahan (a large map)
    "map.counted": Text(
        "{count} lokasi cocok dengan filter ini: terlalu banyak untuk digambar satu per satu, jadi peta "
        "menghitungnya per kelurahan (kotak kuning). Pilih kelurahan, program atau status (paling banyak "
        "{limit} lokasi), atau klik sebuah kotak, untuk melihat tiap lokasi. Daftar lengkapnya ada di unduhan "
        "di bawah.",
        "{count} sites match these filters: too many to draw one by one, so the map counts them per kelurahan "
        "(yellow boxes). Choose a kelurahan, a program or a status (at most {limit} sites), or click a box, to "
        "see each site. The full list is in the downloads below.",
    ),
    "map.area.sites": Text(
        "{count} lokasi program ({programs} program)", "{count} program sites ({programs} programs)"
    ),
    "map.area.homes": Text(
        "{count} rumah penerima ({programs} program)", "{count} beneficiaries' homes ({programs} programs)"
    ),
    "map.area.status": Text("{status}: {count} lokasi", "{status}: {count} sites"),
    "map.area.show": Text("Tampilkan lokasi di kelurahan ini", "Show the sites in this kelurahan"),
    # A program's sites as a picture the server draws (the program page)
    "map.picture.alt": Text(
        "Peta Kota Banjarmasin dengan sungai-sungai utamanya dan lokasi program {program}, berwarna menurut status.",
        "Map of Banjarmasin with its main rivers and the sites of {program}, coloured by status.",
    ),
    "map.picture.sites": Text("{count} lokasi program: {statuses}.", "{count} program sites: {statuses}."),
    "map.picture.homes": Text(
        "{count} rumah penerima di {areas} kelurahan, digambar sebagai jumlah per kelurahan (bukan satu per satu): "
        "{statuses}.",
        "{count} beneficiaries' homes in {areas} kelurahan, drawn as a number per kelurahan (never one by one): "
        "{statuses}.",
    ),
    "map.picture.river": Text("Sungai (garis perkiraan)", "River (approximate line)"),
    "map.picture.kelurahan": Text("Titik kelurahan", "Kelurahan point"),
    "map.picture.homes_legend": Text("Rumah penerima per kelurahan", "Beneficiaries' homes per kelurahan"),
    "map.picture.areas_legend": Text("Lokasi per kelurahan", "Sites per kelurahan"),
}
