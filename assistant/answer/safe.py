"""Text is text: the one rule for showing words that came from outside (questions, comments, model prose).

Every face renders Markdown (the Gradio chat and case view, chat tools reading the OpenAI endpoint, the
Markdown report), and Markdown opens doors: `![](https://...)` makes the reader's browser fetch a remote
image (a beacon), raw `<img onerror>` or `<script>` runs in some renderers, `## Notice` and `**bold**`
dress a user's words as the interface, `[here](...)` and bare `https://...` become live links. So:

- `plain(text)`: user text as Markdown that shows exactly the characters typed and renders nothing:
  every character a Markdown or HTML construct starts with is backslash-escaped (CommonMark lets any ASCII
  punctuation be escaped), bare URLs and e-mail addresses are broken so no renderer links them.
- `tame(markdown)`: Markdown we did not write word by word (a language model's prose) keeps its emphasis and
  lists but loses images (their alt text stays), raw HTML (shown as text) and links (their text stays).
- `clean_html(html)`: the HTML panels we build (determination card, sources) pass nh3 with an allow-list of
  the tags and attributes they use: no images, no scripts, no links, no event handlers.
"""

from __future__ import annotations

import re

import nh3

_EVERYWHERE = re.compile(r"([\\`*\[\]<>!|~$&{}])")
"""Characters that open a Markdown or HTML construct wherever they stand (escaped with a backslash)."""
_LINE_START = re.compile(r"^([ \t]*)([#+=-]|\d{1,9}[.)])", re.MULTILINE)
"""A heading, list item or setext underline at the start of a line."""
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
"""An underscore that can open or close emphasis (inside a word, like `snake_case`, it cannot)."""
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|file|javascript|data)(:)|\b(www)(\.)|(?<=\w)(@)(?=\w)")
"""What GitHub-flavoured renderers turn into a link without any brackets: a scheme, `www.`, an e-mail."""
_INDENT = re.compile(r"^[ \t]{4,}", re.MULTILINE)
"""Four leading spaces make a code block; the words are shown without the indentation instead."""

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)|!\[([^\]\n]*)\]\[[^\]\n]*\]")
_LINK = re.compile(r"(?<!\\)\[([^\]\n]*)\]\([^)\n]*\)")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_TAG = re.compile(r"(?<!\\)<(?=[A-Za-z/!?])")

PANEL_TAGS = frozenset(
    {"div", "span", "p", "b", "strong", "em", "i", "br", "ul", "ol", "li", "details", "summary", "blockquote"}
)
"""The tags the determination card and the sources panel are built from (ui/cards.py)."""
PANEL_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "data-outcome", "data-doc", "data-article"},
    "span": {"style"},
    "details": {"open"},
}
"""Their attributes: classes and data for the styles, the badge colours, an open section."""


def plain(text: str) -> str:
    """User text as Markdown that renders as exactly the characters typed (nothing fetched, linked or styled).

    Args:
        text: anything a person typed (a question, a comment, a part of a message).

    Returns:
        The same text with every Markdown and HTML construct escaped; line breaks are kept.
    """
    text = _INDENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _EVERYWHERE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)
    return _AUTOLINK.sub(_break_link, text)


def _escape_marker(marker: str) -> str:
    """`#`, `-`, `+`, `=` or `12.` at the start of a line, escaped so it stays text."""
    return f"\\{marker}" if not marker[0].isdigit() else f"{marker[:-1]}\\{marker[-1]}"


def _break_link(match: re.Match[str]) -> str:
    """The scheme's colon, the dot after `www` or an e-mail's `@`, escaped: shown as typed, never linked."""
    if match.group(1):
        return f"{match.group(1)}\\:"
    if match.group(3):
        return f"{match.group(3)}\\."
    return "\\@"


def tame(markdown: str) -> str:
    """Markdown from a source we do not control word by word, without images, raw HTML or links.

    Emphasis, lists and headings stay (a model writes an answer in our shape); an image becomes its alt
    text, a link its text, a reference definition disappears, and `<` before a tag is shown as text.
    """
    text = _IMAGE.sub(lambda m: m.group(1) or m.group(2) or "", markdown)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE.sub("", text)
    text = _TAG.sub(r"\\<", text)
    return _AUTOLINK.sub(_break_link, text)


def clean_html(html: str) -> str:
    """An HTML panel we built, through nh3 with the panels' allow-list (a guard should a value slip in)."""
    return nh3.clean(
        html,
        tags=set(PANEL_TAGS),
        attributes=PANEL_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
        filter_style_properties={"background", "color"},
    )
