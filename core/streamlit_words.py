"""Streamlit's own English words on Indonesian pages, and what the portal does with each (issue #26, item 12).

Streamlit 1.67 draws some words of its own, in English, with no option to change them: the multiselect's
"Select all" and "Select 6 matches", the uploader's "Upload" and "5MB per file • XLSX", and screen-reader labels
("Open", "Remove …", "Choose date", "Clear all", "file upload", "Choose an option"). Where Streamlit offers a
setting, it is used (``client.toolbarMode = "minimal"`` hides the ⋮ menu's Print / Record screen / "Made with
Streamlit"; the admin page's title is the portal's own text). For the rest, the page shell carries
``TRANSLATION_SCRIPT``: on an Indonesian page (no ``lang=en`` in the address) it swaps exactly these strings, and
only inside Streamlit's own widgets, for their Indonesian words as the widgets draw them. Nothing from a sheet is
touched: each rule is scoped to a widget's own part (its test id) and to a whole string or a fixed pattern.

The decision table is in docs/streamlit-english.md; a browser test fails if any of these strings is visible or
announced on an Indonesian page (tests/browser/test_admin_journey_in_browser.py).

Pure: fixed text, no I/O.
"""

from __future__ import annotations

import json
from typing import NamedTuple


class Rule(NamedTuple):
    scope: str  # CSS selector of the Streamlit part the string belongs to
    where: str  # "text" (a text node's whole text) or an attribute name
    english: str  # a JavaScript regular expression over the whole string
    indonesian: str  # the replacement ($1 … for the groups)


RULES: tuple[Rule, ...] = (
    Rule('[data-testid="stMultiSelectDropdown"]', "text", r"^Select all$", "Pilih semua"),
    Rule('[data-testid="stMultiSelectDropdown"]', "text", r"^Select (\d+) match(?:es)?$", "Pilih $1 yang cocok"),
    Rule('[data-testid="stMultiSelectDropdown"]', "text", r"^No results$", "Tidak ada yang cocok"),
    Rule('[data-testid="stFileUploader"]', "text", r"^Upload$", "Unggah"),
    Rule('[data-testid="stFileUploader"]', "text", r"^Browse files$", "Pilih berkas"),
    Rule('[data-testid="stFileUploader"]', "text", r"^(\d+(?:\.\d+)?)\s?([KMG]B) per file(.*)$", "$1 $2 per berkas$3"),
    Rule('[data-testid="stFileUploader"]', "aria-label", r"^file upload$", "unggah berkas"),
    Rule('[data-testid="stFileUploader"]', "aria-label", r"^Remove (.*)$", "Hapus $1"),
    Rule('[data-testid="stFileUploader"]', "aria-label", r"^Delete (.*)$", "Hapus $1"),
    Rule('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]', "aria-label", r"^Open$", "Buka"),
    Rule('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]', "aria-label", r"^Close$", "Tutup"),
    Rule('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]', "aria-label", r"^Clear all$", "Hapus semua"),
    Rule('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]', "aria-label", r"^Remove (.*)$", "Hapus $1"),
    Rule('[data-testid="stMultiSelect"]', "placeholder", r"^Choose options$", "Pilih"),
    Rule('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]', "placeholder", r"^Choose an option$", "Pilih"),
    Rule('[data-testid="stDateInput"]', "aria-label", r"^Choose date$", "Pilih tanggal"),
    # The top navigation's own menu of the pages that do not fit a window's width (800 px: "3 more").
    Rule('[data-testid="stTopNav"]', "text", r"^(\d+) more$", "$1 lainnya"),
)

# What the browser test looks for on an Indonesian page (visible text and aria-labels alike).
ENGLISH_LEFT = (
    "Select all",
    "Select 6 matches",
    "Upload",
    "per file",
    "Print",
    "Record screen",
    "Made with Streamlit",
    "Admin portal",
    "Open",
    "Remove",
    "Choose date",
    "Choose an option",
    "file upload",
)

# Only the widgets the rules name are visited: an added subtree with none of them costs one native
# querySelectorAll, not a walk over every text node with a closest() per rule (issue 23: React adds thousands of
# nodes while a page draws, on a phone's slow main thread).
_SCRIPT = """<script>
(function () {
  var rules = %s.map(function (r) { return [r[0], r[1], new RegExp(r[2]), r[3]]; });
  var scopes = rules.map(function (r) { return r[0]; }).filter(function (s, i, all) {
    return all.indexOf(s) === i;
  }).join(", ");
  function english() { return new URLSearchParams(location.search).get("lang") === "en"; }
  function swap(value, rule) { return rule[2].test(value) ? value.replace(rule[2], rule[3]) : null; }
  function fixText(node) {
    var parent = node.parentElement;
    if (!parent) return;
    var text = node.nodeValue.trim();
    rules.forEach(function (rule) {
      if (rule[1] !== "text" || !parent.closest(rule[0])) return;
      var done = swap(text, rule);
      if (done !== null && done !== text) node.nodeValue = done;
    });
  }
  function fixElement(element) {
    rules.forEach(function (rule) {
      if (rule[1] === "text" || !element.hasAttribute(rule[1]) || !element.closest(rule[0])) return;
      var value = element.getAttribute(rule[1]), done = swap(value, rule);
      if (done !== null && done !== value) element.setAttribute(rule[1], done);
    });
  }
  function fixWidget(root) {
    fixElement(root);
    root.querySelectorAll("[aria-label], [placeholder]").forEach(fixElement);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) fixText(node);
  }
  function fix(root) {
    if (!root || english()) return;
    if (root.nodeType === 3) {
      if (root.parentElement && root.parentElement.closest(scopes)) fixText(root);
      return;
    }
    if (root.nodeType !== 1) return;
    if (root.closest(scopes)) fixWidget(root);
    else root.querySelectorAll(scopes).forEach(fixWidget);
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "childList") change.addedNodes.forEach(fix);
      else fix(change.target);
    });
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["aria-label", "placeholder"]
  });
})();
</script>"""

TRANSLATION_SCRIPT = _SCRIPT % json.dumps([list(rule) for rule in RULES])
