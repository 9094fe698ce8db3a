"""A gov.uk HTML publication saved from the browser, as the text a reader of the page sees.

Block elements (headings, paragraphs, list items, table rows) each become a line; an ordered
list's items are numbered as the browser shows them ("1." or from the list's ``start``);
a table's cells are separated by tabs, so that Annex A reads as the sources' layout does.
Scripts, styles and the page's navigation, header and footer are left out. Python's own
``html.parser`` reads it: no dependency.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article", "main",
    "br", "hr", "ul", "ol", "dd", "dt", "blockquote", "caption", "thead", "tbody", "address", "figure",
    "figcaption", "pre",
}  # fmt: skip
_SKIPPED = {
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "svg",
    "head",
    "button",
    "form",
    "header",
    "footer",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.lists: list[list] = []  # [ordered, next number]
        self.in_cell = False
        self.cells: list[str] | None = None

    def _end_line(self) -> None:
        text = " ".join("".join(self.line).split())
        if text or (self.lines and self.lines[-1]):
            self.lines.append(text)
        self.line = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if self.skipping:
            return
        attributes = dict(attrs)
        if tag == "ol":
            self.lists.append([True, int(attributes.get("start") or 1)])
        elif tag == "ul":
            self.lists.append([False, 0])
        if tag == "tr":
            if "".join(self.line).strip():
                self._end_line()
            self.line = []
            self.cells = []
        elif tag in ("td", "th"):
            self.line = []
        elif self.cells is not None:  # a paragraph or line break inside a cell: one cell still
            self.line.append(" ")
        elif tag in _BLOCKS:
            self._end_line()
        if tag == "li" and self.lists:
            ordered, number = self.lists[-1]
            if ordered:
                self.line.append(f"{number}. ")
                self.lists[-1][1] += 1

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag in ("td", "th") and self.cells is not None:
            self.cells.append(" ".join("".join(self.line).split()))
            self.line = []
        elif tag == "tr" and self.cells is not None:
            self.lines.append("\t".join(self.cells))
            self.cells = None
        elif self.cells is not None:
            self.line.append(" ")
        elif tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data):
        if not self.skipping:
            self.line.append(data)


def html_text(page: str) -> str:
    """The text of a saved gov.uk page: one block a line, table cells separated by tabs."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    parser._end_line()
    lines = parser.lines
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
