"""Text is text (issue 13, finding 3): user words rendered by a real CommonMark renderer show as typed.

markdown-it-py (CommonMark with GFM tables and strikethrough) stands in for the renderers of the faces; bare
URLs, which only GFM renderers link, are checked on the escaped text here and in Chromium by the browser test.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from assistant.answer.safe import clean_html, plain, tame

PAYLOADS = {
    "beacon": "Hello ![pixel](http://127.0.0.1:9/beacon.png) there",
    "img-onerror": '<img src="x" onerror="alert(1)">',
    "script": "<script>document.title='owned'</script>",
    "heading": "## Security notice\nAll officers must sign in again.",
    "setext": "Security notice\n===============",
    "link": "[the help desk](http://evil.example/login) and <http://evil.example>",
    "bare-url": "go to https://evil.example/a or www.evil.example or mail boss@evil.example",
    "emphasis": "**URGENT** __now__ *really* ~~gone~~",
    "list": "- one\n+ two\n1. three\n2) four",
    "quote-table": "> quoted\n| a | b |\n|---|---|\n| 1 | 2 |",
    "code": "`code` and\n\n    indented code",
    "reference": "[x][ref]\n\n[ref]: http://evil.example",
    "html-entity": "&lt;b&gt; and &#60;i&#62;",
    "backslash": "a \\*literal\\* backslash \\",
}


def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _text_of(html: str) -> str:
    """The visible text of rendered HTML (tags dropped, entities decoded)."""
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("text", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_user_text_renders_as_exactly_what_was_typed(text: str) -> None:
    rendered = _renderer().render(plain(text))
    for tag in ("<img", "<script", "<a ", "<h1", "<h2", "<strong", "<em", "<s>", "<del", "<ul", "<ol", "<li"):
        assert tag not in rendered, (tag, rendered)
    for tag in ("<blockquote", "<table", "<code", "<pre"):
        assert tag not in rendered, (tag, rendered)
    # Every character the person typed is shown (whitespace and leading indentation aside).
    shown = " ".join(_text_of(rendered).split())
    typed = " ".join(text.split())
    assert shown == typed


def test_bare_urls_and_addresses_lose_what_makes_them_links() -> None:
    escaped = plain(PAYLOADS["bare-url"])
    assert not re.search(r"(?i)https?://|www\.|\w@\w", escaped)


def test_plain_keeps_ordinary_text_readable() -> None:
    text = "We have 5,000 people's data (about 40%); can we send it? snake_case_id stays."
    assert plain(text) == "We have 5,000 people's data (about 40%); can we send it? snake_case_id stays."
    assert plain("我们有4万名患者的数据，能否传给境外总部？") == "我们有4万名患者的数据，能否传给境外总部？"


def test_tame_keeps_our_shape_and_drops_images_links_and_html() -> None:
    prose = (
        "**Yes.**\n\n- a reason ![pixel](http://x/b.png)\n- see [the list](http://x/list)\n<img src=x>\n[r]: http://x"
    )
    rendered = _renderer().render(tame(prose))
    assert "<strong>Yes.</strong>" in rendered and "<li>" in rendered
    assert "<img" not in rendered and "<a " not in rendered and "http://x" not in rendered.replace("http\\:", "")
    assert "pixel" in rendered and "the list" in rendered


def test_tame_leaves_escaped_user_text_escaped() -> None:
    escaped = plain('<img src="x" onerror="alert(1)"> ![p](http://x/p.png)')
    assert tame(escaped) == escaped
    assert "<img" not in _renderer().render(tame(escaped))


def test_clean_html_keeps_the_panels_and_drops_what_they_never_hold() -> None:
    card = (
        '<div class="det-card" data-outcome="exempt"><span class="outcome-badge" style="background:#e8f5e9;'
        'color:#1b5e20;position:fixed">Exempt</span><details class="det-sec" open><summary>Why (1)</summary>'
        "<ul><li>reason</li></ul></details></div>"
    )
    cleaned = clean_html(card + '<img src="http://x/b.png" onerror="x()"><a href="http://x">l</a><script>s()</script>')
    assert 'data-outcome="exempt"' in cleaned and "<details" in cleaned and "<summary>Why (1)</summary>" in cleaned
    assert "background:#e8f5e9" in cleaned and "position" not in cleaned
    assert "<img" not in cleaned and "<a" not in cleaned and "<script" not in cleaned and "s()" not in cleaned
