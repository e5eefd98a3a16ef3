"""BENCHMARKS.md: the sections the benchmark programs write into it, and the units of its sizes (pure).

The file mixes sections written by programs with sections written by hand (a re-run of another commit, single
runs of an issue's helpers). Each program writes only between its own pair of markers, HTML comments that a
Markdown page does not show, and leaves every byte outside them as it was:

- ``make bench-all`` (``benchmarks.run``): ``INTRO`` (how the suite measures, the machine, the run's notes) and
  ``TABLES`` (targets at a glance, peak memory, a section per scale);
- ``make bench-web`` (``benchmarks.web``): ``WEB`` (what a phone receives, and when);
- ``make bench-write-back`` (``benchmarks.write_back``): ``WRITE_BACK`` (what writing the check report into the
  SKPD sheets costs), placed before ``TABLES``.

Where a program puts a section the file does not have yet (a first run, or a file written before the markers):

- ``INTRO``: before the first line that opens a section (``## ...``) or another program's marker, that is right
  after the title and whatever stands above the first section; at the end when there is no such line;
- ``TABLES``: at the end of the file;
- ``WEB``: before ``TABLES`` when the file has it, else at the end.

A file that does not exist is read as the title alone (``EMPTY``). Nothing of the file is dropped: a file written
before the markers keeps its old figures too, until someone deletes them by hand.

Sizes in the whole file are SI, the way Chrome's DevTools counts them: 1 kB = 1,000 bytes, 1 MB = 1,000 kB
(``UNITS`` says so once, in ``INTRO``). Memory that Linux reports in its ``kB`` (``VmRSS``, ``VmHWM``:
1,024 bytes) is converted (``kib``).
"""

from __future__ import annotations

from dataclasses import dataclass

EMPTY = "# Benchmarks\n"


@dataclass(frozen=True)
class Section:
    """A section of BENCHMARKS.md that one program writes, between its own start and end markers."""

    name: str
    command: str

    @property
    def start(self) -> str:
        return f"<!-- {self.name}:start (written by `{self.command}`; replaced on each run) -->"

    @property
    def end(self) -> str:
        return f"<!-- {self.name}:end -->"

    def block(self, body: str) -> str:
        """``body`` between the markers, each on its own line."""
        return f"{self.start}\n{body.strip(chr(10))}\n{self.end}"


INTRO = Section("bench-all-intro", "make bench-all")
TABLES = Section("bench-all-tables", "make bench-all")
WEB = Section("bench-web", "make bench-web")
WRITE_BACK = Section("bench-write-back", "make bench-write-back")


def replace_section(text: str, section: Section, block: str, before: tuple[str, ...] = ()) -> str:
    """``text`` with ``section`` replaced by ``block`` (the section, markers included); nothing else changes.

    Without the section in ``text``, ``block`` goes in before the first line that starts with one of ``before``,
    followed by a blank line; with no such line, at the end after a blank line. A section with a marker missing,
    repeated or out of order is an error: the text is left to a person rather than guessed at.
    """
    if not (block.startswith(section.start) and block.endswith(section.end)):
        raise ValueError(f"the new {section.name} section must start and end with its markers")
    starts, ends = text.count(section.start), text.count(section.end)
    if starts == ends == 1 and text.index(section.start) < text.index(section.end):
        head, rest = text.split(section.start, 1)
        return head + block + rest.split(section.end, 1)[1]
    if starts or ends:
        raise ValueError(
            f"BENCHMARKS.md has {starts} start and {ends} end markers of {section.name}, not one pair in order; "
            "mend the markers by hand, then run again"
        )
    offset = 0
    for line in text.splitlines(keepends=True):
        if before and line.startswith(before):
            return text[:offset] + block + "\n\n" + text[offset:]
        offset += len(line)
    return text.rstrip("\n") + "\n\n" + block + "\n"


# --- sizes ------------------------------------------------------------------------------------------------------

KB = 1_000
MB = 1_000_000
UNITS = (
    "**Units.** Sizes are SI, as Chrome's DevTools counts them: 1 kB = 1,000 bytes and 1 MB = 1,000,000 bytes, "
    "memory included (Linux counts it in units of 1,024 bytes; the figures here are converted)."
)


def kib(value: float | None) -> float | None:
    """Bytes of a figure Linux gives in its ``kB`` (``/proc``'s ``VmRSS``, ``VmHWM``), which are 1,024 bytes."""
    return None if value is None else value * 1024


def kb(size: float | None, digits: int = 1, unit: str = "") -> str:
    """``size`` bytes in kB (10^3 bytes), ``digits`` after the point, thousands separated; ``-`` for none."""
    return "-" if size is None else f"{size / KB:,.{digits}f}{unit}"


def mb(size: float | None, digits: int = 0, unit: str = "") -> str:
    """``size`` bytes in MB (10^6 bytes), ``digits`` after the point, thousands separated; ``-`` for none."""
    return "-" if size is None else f"{size / MB:,.{digits}f}{unit}"
