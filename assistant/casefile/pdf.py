"""PDF rendering of report blocks with fpdf2, Chinese set in Noto Sans CJK (Debian: fonts-noto-cjk)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigurationError

BlockKind = Literal["title", "heading", "text", "bullet", "quote", "table", "meta"]


@dataclass
class Block:
    """One piece of a report: a heading, a paragraph, a bullet, a quoted passage or a table."""

    kind: BlockKind
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
"""Where fonts are looked for at run time."""

# (file name, index of Simplified Chinese in the collection); the .ttc is what fonts-noto-cjk installs.
FONT_FILES: tuple[tuple[str, str, int], ...] = (
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 2),
    ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf", 0),
    ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf", 0),
)

MISSING_FONT = (
    "No Chinese font for PDF reports: install Noto Sans CJK "
    "(Debian/Ubuntu: apt-get install fonts-noto-cjk; scripts/setup.sh does this)."
)


@lru_cache(maxsize=1)
def find_cjk_font() -> tuple[Path, Path | None, int]:
    """The regular font file, the bold one if present, and the collection index of Simplified Chinese.

    Raises:
        ConfigurationError: no Noto Sans CJK font is installed.
    """
    for regular, bold, index in FONT_FILES:
        for folder in FONT_DIRS:
            if not folder.is_dir():
                continue
            found = next(iter(sorted(folder.rglob(regular))), None)
            if found is not None:
                bold_path = found.with_name(bold)
                return found, bold_path if bold_path.is_file() else None, index
    raise ConfigurationError(MISSING_FONT)


def render_pdf(blocks: Sequence[Block], title: str) -> bytes:
    """Lay out report blocks on A4 pages and return the PDF bytes.

    Raises:
        ConfigurationError: no Chinese font is installed.
    """
    from fpdf import FPDF

    regular, bold, index = find_cjk_font()

    class _Report(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("cjk", size=7.5)
            self.set_text_color(120, 120, 120)
            self.cell(0, 6, f"{title}  ·  {self.page_no()}/{{nb}}", align="C")

    pdf = _Report(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Beijing FTZ data-export assistant")
    pdf.add_font("cjk", "", str(regular), collection_font_number=index)
    pdf.add_font("cjk", "B", str(bold or regular), collection_font_number=index)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    for block in blocks:
        _draw(pdf, block, pdf.epw)
    return bytes(pdf.output())


def _draw(pdf: Any, block: Block, width: float) -> None:
    """One block on the page, in its style."""
    from fpdf.fonts import FontFace

    pdf.set_text_color(20, 20, 20)
    if block.kind == "title":
        pdf.set_font("cjk", "B", 16)
        pdf.multi_cell(width, 9, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif block.kind == "meta":
        pdf.set_font("cjk", size=8.5)
        pdf.set_text_color(100, 100, 100)
        pdf.multi_cell(width, 4.6, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "heading":
        pdf.ln(3)
        pdf.set_font("cjk", "B", 12)
        pdf.set_text_color(25, 60, 120)
        pdf.multi_cell(width, 7, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(180, 195, 215)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(1.5)
    elif block.kind == "bullet":
        pdf.set_font("cjk", size=10)
        pdf.cell(5, 5.4, "•")
        pdf.multi_cell(width - 5, 5.4, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.6)
    elif block.kind == "quote":
        pdf.set_font("cjk", size=9)
        pdf.set_text_color(60, 60, 60)
        pdf.set_fill_color(243, 245, 248)
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(width - 4, 4.8, block.text, fill=True, padding=2, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2)
    elif block.kind == "table":
        pdf.set_font("cjk", size=8 if len(block.header) > 2 else 9.5)
        widths = _widths(len(block.header))
        heading = FontFace(emphasis="BOLD", fill_color=(228, 234, 243))
        with pdf.table(
            col_widths=widths, headings_style=heading, line_height=4.4, padding=1, text_align="LEFT"
        ) as table:
            for row in [block.header, *block.rows]:
                cells = table.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(1.5)
    else:
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(width, 5.4, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)


def _widths(columns: int) -> tuple[int, ...]:
    """Relative column widths: the facts table and the six-column trace."""
    if columns == 2:
        return (2, 3)
    if columns == 6:
        return (2, 10, 9, 8, 12, 8)
    return tuple([1] * columns)
