"""The course's own pages: the glossary's anchors resolve, the sources page is complete and
uses the same four flags as ``p2plib.facts``."""

from __future__ import annotations

import json
import pathlib
import re

import pytest

from p2plib.facts import CONFIDENCE, FACTS, TIMELINE_2007

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = (NOTEBOOKS / "sources.md").read_text(encoding="utf-8")
GLOSSARY = (NOTEBOOKS / "glossary.md").read_text(encoding="utf-8")


def markdown_of(path: pathlib.Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_glossary_links_resolve(path):
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', GLOSSARY))
    for anchor in re.findall(r"glossary\.md#([\w-]+)", markdown_of(path)):
        assert anchor in anchors, f"{path.name} links glossary.md#{anchor}, which is missing"


def test_glossary_is_alphabetical():
    anchors = re.findall(r'<a id="([^"]+)"></a>', GLOSSARY)
    assert anchors == sorted(anchors)


@pytest.mark.parametrize("name", ["00_the_outage.ipynb", "01_p2p_basics.ipynb"])
def test_chapters_cite_the_sources_page_not_the_facts_file(name):
    text = markdown_of(NOTEBOOKS / name)
    assert "(sources.md)" in text
    assert "facts file" not in text


def test_sources_page_uses_the_flags_of_p2plib_facts():
    for letter, word in CONFIDENCE.items():
        assert f"| **{word}** | {letter} |" in SOURCES
    used = set(re.findall(r"\| (documented|secondary|hearsay|not verified) \|$", SOURCES,
                          flags=re.MULTILINE))
    assert used <= set(CONFIDENCE.values())
    assert {f.confidence for f in FACTS.values()} <= set(CONFIDENCE)


def test_every_cited_reference_is_listed():
    listed = set(re.findall(r"^- \*\*\[([^\]]+)\]\*\*", SOURCES, flags=re.MULTILINE))
    body = SOURCES.split("## References")[0]
    cited = set(re.findall(r"\[([A-Z][^\]]*\d{4}[a-z]?|Kurose & Ross)\]", body))
    assert cited, "no citations found"
    assert cited <= listed, sorted(cited - listed)


def test_timeline_hours_match_the_course_clock():
    """Hours since 00:00 UTC Tue 14 Aug 2007: day d at hour h is 24 d + h."""
    days = {"Tue 14": 0, "Wed 15": 1, "Thu 16": 2, "Fri 17": 3, "Sat 18": 4, "Sun 19": 5,
            "Mon 20": 6, "Tue 21": 7}
    for event in TIMELINE_2007:
        day = days[event.when[:6]]
        hour = re.search(r"(\d\d):00 UTC", event.when)
        assert event.hour_known == bool(hour)
        assert event.hours_utc == 24 * day + (int(hour.group(1)) if hour else 0)
        assert f"+{event.hours_utc:.0f} h" in SOURCES
    noon_eastern = [e for e in TIMELINE_2007 if "noon US Eastern" in e.event]
    assert [e.hours_utc for e in noon_eastern] == [88.0]
