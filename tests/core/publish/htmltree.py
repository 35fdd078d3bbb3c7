"""A small HTML tree builder for the report tests (stdlib only).

It applies the HTML5 rules the report relies on (implied end of ``td``/``th``/``tr`` and of table sections;
void elements) and records structural errors: an end tag with no open element, an end tag that would close
anything but a table cell, row or section, and a block element opened inside a ``<p>`` (which a browser
would silently split).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
CELLS = {"td", "th"}
SECTIONS = {"thead", "tbody", "tfoot"}
IMPLIED = CELLS | {"tr"} | SECTIONS
BLOCKS = {
    "div", "p", "ul", "ol", "dl", "table", "section", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "footer", "main", "nav",
}  # fmt: skip


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        out: list[Node] = []
        for c in self.children:
            if isinstance(c, Node):
                out.append(c)
                out.extend(c.iter())
        return out

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def child_elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def rows(self) -> list[Node]:
        """The ``tr`` elements of a table, in order (thead, tbody, tfoot)."""
        return self.find_all("tr")

    def cells(self) -> list[Node]:
        return [c for c in self.child_elements() if c.tag in CELLS]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.errors: list[str] = []

    def _close_while(self, tags: set[str]) -> None:
        while self.stack[-1].tag in tags:
            self.stack.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CELLS:
            self._close_while(CELLS)
        elif tag == "tr":
            self._close_while(CELLS | {"tr"})
        elif tag in SECTIONS:
            self._close_while(IMPLIED)
        if tag in BLOCKS and any(n.tag == "p" for n in self.stack):
            self.errors.append(f"<{tag}> opened inside <p>")
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not any(n.tag == tag for n in self.stack):
            self.errors.append(f"</{tag}> with no open <{tag}>")
            return
        while True:
            node = self.stack.pop()
            if node.tag == tag:
                return
            if node.tag not in IMPLIED:
                self.errors.append(f"</{tag}> closes an open <{node.tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(document: str) -> tuple[Node, list[str]]:
    """The tree of ``document`` and its structural errors (empty for a well-formed report)."""
    b = _Builder()
    b.feed(document)
    b.close()
    if len(b.stack) != 1:
        b.errors.append("unclosed: " + ", ".join(n.tag for n in b.stack[1:]))
    return b.root, b.errors
