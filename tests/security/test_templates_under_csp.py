"""Tillit's own templates hold nothing the content security policy would block: no inline
script, no style element or attribute, no inline event handler (they belong in static/)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = sorted(p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts and "node_modules" not in p.parts)

INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_nothing_inline(template):
    text = template.read_text(encoding="utf-8")
    found = [f"{kind}: {m.group(0)[:60]!r}" for kind, pattern in INLINE.items() for m in pattern.finditer(text)]
    assert not found, found


def test_the_check_finds_what_it_looks_for():
    samples = ['<script>alert(1)</script>', '<style>p{}</style>', '<p style="color:red">', '<a onclick="x()">',
               '<a href="javascript:void(0)">']
    assert all(any(p.search(s) for p in INLINE.values()) for s in samples)
    assert not any(p.search('<script src="/static/x.js" defer></script>') for p in INLINE.values())
