"""Visible strings of the verifiable history (issue 24): ``python -m data_sources verify`` and the log's part of
/tentang, Indonesian first. A journalist reads these words to decide whether the portal rewrote its history, so
each one says what was checked and what it means, never only "error"."""

from __future__ import annotations

from core.text import Text

VERIFY_STRINGS: dict[str, Text] = {
    # --- the verify command's verdict lines -------------------------------------------------------
    "verify.ok": Text("BENAR", "OK"),
    "verify.failed": Text("TIDAK BENAR", "FAILED"),
    "verify.all_hold": Text(
        "Semua pemeriksaan benar: riwayat yang diterbitkan portal tidak ditulis ulang sejak checkpoint yang Anda "
        "simpan.",
        "Every check holds: the history the portal published was not rewritten since the checkpoint you kept.",
    ),
    "verify.all_hold_first": Text(
        "Semua pemeriksaan benar. Simpan checkpoint ini (--save) dan periksa lagi kemudian dengan --kept: baru "
        "dengan itu terbukti bahwa riwayat tidak ditulis ulang.",
        "Every check holds. Keep this checkpoint (--save) and check again later with --kept: only that shows the "
        "history was not rewritten.",
    ),
    "verify.something_fails": Text(
        "Ada pemeriksaan yang tidak benar (lihat baris TIDAK BENAR di atas).",
        "A check does not hold (see the FAILED lines above).",
    ),
    # --- usage and reach (exit 2) --------------------------------------------------------------------
    "verify.usage.no_key": Text(
        "Kunci verifikasi wajib: --key KUNCI (teksnya, atau berkas berisi teksnya). Kunci portal tercantum di "
        "halaman /tentang, di docs/verifikasi.md dan di /log/key; simpan kunci itu sekali dan pakai terus.",
        "A verifier key is required: --key KEY (its text, or a file holding it). The portal's key is on its /tentang "
        "page, in docs/verifikasi.md and at /log/key; keep it once and use it every time.",
    ),
    "verify.usage.bad_key": Text(
        "Kunci verifikasi tidak berbentuk nama+hash+kunci: {reason}",
        "The verifier key is not of the form name+hash+key: {reason}",
    ),
    "verify.usage.source": Text(
        "{source} bukan alamat portal (http:// atau https://) maupun folder salinan yang disimpan dengan --save.",
        "{source} is neither a portal address (http:// or https://) nor a folder of a copy saved with --save.",
    ),
    "verify.usage.unreadable": Text("{what} tidak dapat dibaca: {reason}", "{what} cannot be read: {reason}"),
    "verify.usage.unreachable": Text(
        "Portal tidak dapat dihubungi ({url}): {reason}", "The portal cannot be reached ({url}): {reason}"
    ),
    "verify.usage.no_index": Text(
        "Untuk memeriksa berkas diperlukan index.json: dari portal, dari salinan, atau dengan --index BERKAS.",
        "Checking a file needs index.json: from the portal, from the copy, or with --index FILE.",
    ),
    "verify.usage.not_saved": Text(
        "Salinan tidak disimpan karena ada pemeriksaan yang tidak benar; salinan lama (bila ada) tetap utuh.",
        "Nothing was saved because a check does not hold; an earlier copy (if any) is left as it was.",
    ),
    # --- the current checkpoint ---------------------------------------------------------------------------
    "verify.no_checkpoint": Text(
        "Portal belum menerbitkan checkpoint bertanda tangan ({reason}); belum ada yang dapat diperiksa.",
        "The portal publishes no signed checkpoint yet ({reason}); there is nothing to check.",
    ),
    "verify.signature": Text(
        "Checkpoint portal ditandatangani kunci {signer}: log {origin}, {size} entri.",
        "The portal's checkpoint is signed by the key {signer}: log {origin}, {size} entries.",
    ),
    "verify.signature.bad": Text(
        "Checkpoint portal TIDAK ditandatangani kunci {signer} ({reason}). Kunci portal berganti atau checkpoint "
        "ini bukan dari portal itu: jangan percayai isinya.",
        "The portal's checkpoint is NOT signed by the key {signer} ({reason}). The portal's key changed or this "
        "checkpoint is not the portal's: do not trust what it says.",
    ),
    "verify.entries": Text(
        "Ke-{size} entri log dihitung ulang dan menghasilkan akar hash yang ditandatangani.",
        "All {size} entries of the log re-hash to the signed root hash.",
    ),
    "verify.entries.count": Text(
        "Portal memberikan {got} entri, padahal checkpoint-nya menyebut {size}.",
        "The portal gave {got} entries where its checkpoint says {size}.",
    ),
    "verify.entries.unreadable": Text(
        "Entri #{index} bukan entri log yang sah: {reason}", "Entry #{index} is not a valid log entry: {reason}"
    ),
    "verify.entries.root": Text(
        "Entri-entri log TIDAK menghasilkan akar hash yang ditandatangani: yang disajikan portal bukan log yang "
        "ditandatanganinya.",
        "The log's entries do NOT re-hash to the signed root: what the portal serves is not the log it signed.",
    ),
    "verify.inclusion.newest": Text(
        "Bukti inklusi entri terbaru (#{index}) benar.", "The inclusion proof of the newest entry (#{index}) holds."
    ),
    "verify.inclusion.bad": Text(
        "Bukti inklusi entri #{index} dalam log berukuran {size} TIDAK benar.",
        "The inclusion proof of entry #{index} in the log of size {size} does NOT hold.",
    ),
    "verify.proof.refused": Text(
        "Portal tidak memberikan bukti yang diminta ({reason}).", "The portal did not give the proof asked ({reason})."
    ),
    # --- the kept checkpoint and the kept copy -------------------------------------------------------------
    "verify.kept.signature.bad": Text(
        "Checkpoint simpanan Anda ({file}) TIDAK ditandatangani kunci {signer} ({reason}): kunci portal berganti, "
        "atau berkas itu bukan checkpoint yang Anda simpan.",
        "Your kept checkpoint ({file}) is NOT signed by the key {signer} ({reason}): the portal's key changed, or "
        "the file is not the checkpoint you kept.",
    ),
    "verify.kept.origin": Text(
        "Checkpoint simpanan Anda milik log lain ({kept}), bukan {origin}.",
        "Your kept checkpoint belongs to another log ({kept}), not {origin}.",
    ),
    "verify.kept.shrunk": Text(
        "Log kini lebih pendek ({size} entri) daripada checkpoint simpanan Anda ({kept} entri): entri yang "
        "pernah diterbitkan telah dihapus.",
        "The log is now shorter ({size} entries) than your kept checkpoint ({kept} entries): entries once "
        "published were removed.",
    ),
    "verify.kept.same": Text(
        "Checkpoint simpanan Anda ({kept} entri) sama dengan yang sekarang: belum ada entri baru.",
        "Your kept checkpoint ({kept} entries) is the current one: no new entry since.",
    ),
    "verify.kept.consistent": Text(
        "Log sekarang ({size} entri) memperpanjang checkpoint simpanan Anda ({kept} entri) tanpa mengubahnya: "
        "bukti konsistensi benar dan ke-{kept} entri pertama menghasilkan akar simpanan Anda.",
        "The current log ({size} entries) extends your kept checkpoint ({kept} entries) without changing it: the "
        "consistency proof holds and the first {kept} entries re-hash to your kept root.",
    ),
    "verify.kept.inconsistent": Text(
        "Log sekarang TIDAK konsisten dengan checkpoint simpanan Anda ({kept} entri): riwayat sebelum checkpoint "
        "itu telah ditulis ulang.",
        "The current log is NOT consistent with your kept checkpoint ({kept} entries): the history before it "
        "was rewritten.",
    ),
    "verify.kept.proof_bad": Text(
        "Bukti konsistensi dari portal antara {kept} dan {size} entri TIDAK benar.",
        "The portal's consistency proof from {kept} to {size} entries does NOT hold.",
    ),
    "verify.kept.copy_bad": Text(
        "Salinan entri simpanan Anda tidak menghasilkan akar checkpoint simpanan Anda: salinan itu rusak atau "
        "tidak lengkap, jadi tidak dipakai untuk membandingkan.",
        "Your kept copy of entries does not re-hash to your kept checkpoint's root: it is damaged or incomplete, "
        "so it is not used to compare.",
    ),
    "verify.kept.copy_same": Text(
        "Ke-{kept} entri simpanan Anda sama persis dengan entri portal sekarang.",
        "All {kept} of your kept entries are exactly the portal's current ones.",
    ),
    "verify.kept.first_differs": Text(
        "Entri pertama yang berbeda: #{index}. Dulu: {kept}. Sekarang: {now}.",
        "The first entry that differs: #{index}. Then: {kept}. Now: {now}.",
    ),
    "verify.entry.none": Text("tidak ada", "none"),
    "verify.entry.fields": Text(
        "{source} ({skpd}), dibaca {read_at}, isi sha256 {rows}",
        "{source} ({skpd}), read {read_at}, content sha256 {rows}",
    ),
    # --- a downloaded open-data file ---------------------------------------------------------------------------
    "verify.file.unlisted": Text(
        "{file}: tidak tercantum di index.json, jadi tidak dapat dikaitkan dengan log.",
        "{file}: not listed in index.json, so it cannot be tied to the log.",
    ),
    "verify.file.hash": Text(
        "{file}: sha256-nya sama dengan yang dicantumkan index.json.",
        "{file}: its sha256 is the one index.json lists.",
    ),
    "verify.file.hash_bad": Text(
        "{file}: sha256-nya ({got}) BERBEDA dari yang dicantumkan index.json ({listed}): berkas ini bukan yang "
        "diterbitkan bersama index.json itu.",
        "{file}: its sha256 ({got}) DIFFERS from the one index.json lists ({listed}): this file is not the one "
        "published with that index.json.",
    ),
    "verify.index.no_checkpoint": Text(
        "index.json tidak menyebut checkpoint (saat berkas ditulis portal belum menandatangani log), jadi berkas "
        "ini tidak dapat dikaitkan dengan log.",
        "index.json names no checkpoint (the portal had not signed its log when the files were written), so the "
        "files cannot be tied to the log.",
    ),
    "verify.index.signature_bad": Text(
        "Checkpoint yang disebut index.json TIDAK ditandatangani kunci {signer} ({reason}).",
        "The checkpoint index.json names is NOT signed by the key {signer} ({reason}).",
    ),
    "verify.index.checkpoint": Text(
        "Checkpoint yang disebut index.json ({size} entri) ditandatangani dan termasuk dalam log sekarang.",
        "The checkpoint index.json names ({size} entries) is signed and part of the current log.",
    ),
    "verify.index.checkpoint_bad": Text(
        "Checkpoint yang disebut index.json ({size} entri) TIDAK termasuk dalam log sekarang: riwayat telah "
        "ditulis ulang sejak berkas ini diterbitkan.",
        "The checkpoint index.json names ({size} entries) is NOT part of the current log: the history was "
        "rewritten since these files were published.",
    ),
    "verify.index.source": Text(
        "Snapshot {source} yang menjadi dasar berkas adalah entri #{index}, terbukti termasuk dalam checkpoint itu.",
        "The {source} snapshot the files were made from is entry #{index}, proven included in that checkpoint.",
    ),
    "verify.index.source_missing": Text(
        "index.json tidak menyebut entri log snapshot {source}.",
        "index.json names no log entry for the {source} snapshot.",
    ),
    "verify.index.source_bad": Text(
        "Snapshot {source} menurut index.json adalah entri #{index}, tetapi entri itu TIDAK cocok ({reason}).",
        "index.json says the {source} snapshot is entry #{index}, but that entry does NOT match ({reason}).",
    ),
    "verify.index.reason.beyond": Text("di luar checkpoint berukuran {size}", "beyond the checkpoint of size {size}"),
    "verify.index.reason.fields": Text("entrinya menyebut {entry}", "the entry says {entry}"),
    "verify.index.reason.proof": Text("bukti inklusinya tidak benar", "its inclusion proof does not hold"),
    # --- saving a copy ---------------------------------------------------------------------------------------------
    "verify.saved": Text(
        "Checkpoint, entri dan kunci disimpan di {folder}; periksa lagi nanti dengan --kept {folder}.",
        "The checkpoint, entries and key are saved in {folder}; check again later with --kept {folder}.",
    ),
    # --- the Atom feed ---------------------------------------------------------------------------------------------
    "feed.checkpoint": Text(
        "Checkpoint log sinkronisasi ini (asal, ukuran, akar): {line}",
        "This sync's log checkpoint (origin, size, root): {line}",
    ),
    # --- /tentang ---------------------------------------------------------------------------------------------
    "about.log": Text("Riwayat yang dapat diperiksa", "Verifiable history"),
    "about.log_text": Text(
        "Setiap snapshot yang diterbitkan portal ditambahkan ke log yang hanya dapat ditambah (pohon Merkle, RFC "
        "6962). Setelah setiap sinkronisasi portal menandatangani kepala log (checkpoint) di "
        "[/log/checkpoint](log/checkpoint). Simpan checkpoint itu: kapan pun, siapa pun dapat membuktikan bahwa log "
        "yang kemudian memperpanjangnya tanpa mengubah apa pun yang sudah terbit. Log membuktikan bahwa yang "
        "diterbitkan tidak ditulis ulang, bukan bahwa angka SKPD benar. Caranya ada di docs/verifikasi.md dan "
        "perintah “python -m data_sources verify”.",
        "Every snapshot the portal publishes is appended to an append-only log (a Merkle tree, RFC 6962). After "
        "each sync the portal signs the log's head (a checkpoint) at [/log/checkpoint](log/checkpoint). Keep that "
        "checkpoint: at any time, anyone can prove that a later log extends it without changing anything already "
        "published. The log proves that what was published was not rewritten, not that an office's figures are "
        "true. How: docs/verifikasi.md and the command “python -m data_sources verify”.",
    ),
    "about.log_key": Text(
        "Kunci verifikasi portal (Ed25519, format note C2SP):", "The portal's verifier key (Ed25519, C2SP note format):"
    ),
    "about.log_unsigned": Text(
        "Checkpoint belum ditandatangani: portal ini belum memiliki kunci penanda tangan, jadi belum ada "
        "checkpoint yang dapat disimpan dan diperiksa.",
        "Checkpoints are not signed yet: this portal has no signing key, so there is no checkpoint to keep and "
        "check yet.",
    ),
}
