#!/usr/bin/env python3
"""Fail when a console page would show words that no catalog can translate.

`check_translations.py` proves that every *marked* message is translated in ru and uk; this check
proves that the words a reader sees *are* marked. Two places can show a literal:

- a console or public-page template: text between tags, and the attributes a reader sees or hears
  (placeholder, title, aria-label, alt, label), outside `_()`/`gettext()` and `{% trans %}`;
- a console, public-page or API module that hands a bare string to a place a reader sees: a page's
  notice or message (`render(..., notice="Saved")`, a `*_page(...)` helper, `_refusal`), a form's
  error, an `HTMLResponse`, or a value in a label table (`labels.py`, `*_labels.py`) not in `N_()`;
- a core module that writes an English sentence where a row keeps what the system says to staff
  (ADR 0047, 0054): a literal or f-string with words given as a firing's `reasons=`/`done=`, a
  dry-run's `actions=`, a task's or promise's `title=`/`note=`/`text=`, a message's `reason=`, or
  appended to a list named so (`reasons.append(f"segment is {s}")`). Those are `Phrase`s; a
  comparison or a code with no words passes. Refusals (`InvalidInput(...)`) stay English for
  programs and carry their staff words in `said=`.

What is the same in every language is allowed, explicitly and with the reason, in `ALLOWED` below;
an element the author marks `translate="no"` (the HTML attribute for "do not translate this") and
code samples (`<code>`, `<pre>`, `<kbd>`, `<samp>`) are skipped. `make lint` runs it.
"""

# ruff: noqa: T201  (a script: printing is its output)
from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINTS = ROOT / "src" / "heedful" / "entrypoints"
TEMPLATE_DIRS = (ENTRYPOINTS / "console" / "templates", ENTRYPOINTS / "public" / "templates")
# Not the API's modules: its problem texts are English for programs, by contract (docs/api.md),
# and the sentences Heedful writes reach its readers as phrases said in Accept-Language (ADR 0047).
MODULE_DIRS = (ENTRYPOINTS / "console", ENTRYPOINTS / "public")
CORE = ROOT / "src" / "heedful" / "core"
# Where the core hands a sentence to a row staff read: the keyword, or the list appended to.
STORED_KEYWORDS = frozenset({"reasons", "done", "actions", "title", "note", "text", "reason"})
STORED_LISTS = frozenset({"reasons", "done", "said", "because", "why"})
# Functions returning what a row keeps say so in their annotation: a return there is checked too.
STORED_RETURNS = re.compile(r"\b(Phrase|Said)\b")
# Core modules whose texts are written in each language already, not sentences for staff.
CORE_IN_EVERY_LANGUAGE = frozenset(
    {
        "default_templates.py",  # the messages customers get, one template per language
    }
)

# Words a reader sees the same in every language: names, codes and units, never sentences.
# Add one only with its reason; a word that has a Russian or Ukrainian form does not belong here.
ALLOWED = frozenset(
    {
        "Heedful",  # the product's name
        "NPS",  # the scores' international names, as staff know them in ru and uk too
        "CSAT",
        "CES",
        "UTC",  # a time zone's name
        "UA",  # an example country code in a placeholder
        "UAH",  # an example currency code in a placeholder
        "Europe/Kyiv",  # an example time-zone name in a placeholder
        "spa_voucher",  # an example code in a placeholder
    }
)
# Words: two letters or more in any alphabet. "·", "—", "%", digits alone say nothing to translate.
WORD = re.compile(r"[^\W\d_]{2,}")
# A code, a path or a template's name ("en", "done", "audits/results.html") is not a sentence.
CODE = re.compile(r"[a-z0-9_./-]+")
# Markup outside a tag: a macro that writes attributes (` aria-invalid="true"`), not words; or a
# placeholder of a message template shown as an example (`{{customer.name}}`).
MARKUP = re.compile(r'[\w:-]+="|^[\w-]*"$|\{\{')
SHOWN_ATTRIBUTES = frozenset({"placeholder", "title", "aria-label", "alt", "label"})
CODE_ELEMENTS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
# Stands where a Jinja expression or tag was: splits the text around it, is not a word character
# and is allowed inside a tag's name, so `<details{% if open %} open{% endif %}>` still parses.
HOLE = "\u2063"
# Keyword arguments that reach the reader as they are, and helpers whose string arguments do.
SHOWN_KEYWORDS = frozenset({"notice", "message", "title", "heading", "hint", "error", "caption"})
SHOWN_CALLS = frozenset({"_refusal", "HTMLResponse", "PlainTextResponse"})
MARKERS = frozenset({"_", "N_", "gettext", "ngettext", "lazy_gettext"})

_jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)  # lexes, never renders


def _unmarked(text: str) -> Iterator[str]:
    for piece in text.split(HOLE):
        words = piece.strip()
        if words in ALLOWED or CODE.fullmatch(words) or MARKUP.search(words):
            continue
        if any(word not in ALLOWED for word in WORD.findall(words)):
            yield words


def flatten(source: str) -> str:
    """The template's own text, each Jinja expression, tag or trans block replaced by HOLE
    (keeping newlines, so line numbers stay true)."""
    out: list[str] = []
    in_trans = 0
    for _line, kind, value in _jinja.lex(source):
        if kind == "name" and value == "trans":
            in_trans += 1
        elif kind == "name" and value == "endtrans":
            in_trans -= 1
        if kind == "data" and not in_trans:
            out.append(value)
        elif kind in {"variable_begin", "block_begin", "comment_begin"}:
            out.append(HOLE)
        else:
            out.append("\n" * value.count("\n"))
    return "".join(out)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skipping: list[str] = []  # open elements whose text is not for translation

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.replace(HOLE, "")
        named = dict(attrs)
        if tag in CODE_ELEMENTS or named.get("translate") == "no":
            self._skipping.append(tag)
            return
        for name, value in attrs:
            if name.replace(HOLE, "") in SHOWN_ATTRIBUTES and value:
                self._report(value, f"{tag} {name}")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag.replace(HOLE, ""):
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._report(data, "text")

    def _report(self, text: str, where: str) -> None:
        for words in _unmarked(text):
            self.found.append((self.getpos()[0], f"{where}: {words[:80]!r}"))


def _printed(expression: nodes.Node, found: list[nodes.Const]) -> None:
    """The string constants an output expression prints as they are: `{{ x or "never" }}`,
    `{{ "Open" if a else "Closed" }}`, `{{ x|default("none") }}`; not those inside a call (`_()`
    marks, `when(at, "UTC")` and `label(x, "evidence")` take codes) nor a condition's test."""
    if isinstance(expression, nodes.Const) and isinstance(expression.value, str):
        found.append(expression)
    elif isinstance(expression, nodes.CondExpr):
        _printed(expression.expr1, found)
        if expression.expr2 is not None:
            _printed(expression.expr2, found)
    elif isinstance(expression, nodes.Or | nodes.And | nodes.Add):
        _printed(expression.left, found)
        _printed(expression.right, found)
    elif isinstance(expression, nodes.Concat):
        for part in expression.nodes:
            _printed(part, found)
    elif isinstance(expression, nodes.Filter):
        if expression.node is not None:
            _printed(expression.node, found)
        if expression.name in {"default", "d", "join"}:
            for argument in expression.args:
                _printed(argument, found)


def _expression_problems(source: str) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    for output in _jinja.parse(source).find_all(nodes.Output):
        for child in output.nodes:
            printed: list[nodes.Const] = []
            _printed(child, printed)
            for constant in printed:
                problems += [
                    (constant.lineno, f"{{{{ }}}}: {w[:80]!r}") for w in _unmarked(constant.value)
                ]
    return problems


def template_problems(path: Path, source: str | None = None) -> list[str]:
    text = path.read_text(encoding="utf-8") if source is None else source
    page = _Page()
    page.feed(flatten(text))
    page.close()
    found = sorted(page.found + _expression_problems(text))
    return [f"{path}:{line}: not marked for translation: {what}" for line, what in found]


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts are what is shown
        return HOLE.join(
            str(v.value)
            for v in node.values
            if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


class _Module(ast.NodeVisitor):
    def __init__(self, is_label_table: bool) -> None:
        self.found: list[tuple[int, str]] = []
        self._label_table = is_label_table

    def _check(self, node: ast.AST, where: str) -> None:
        text = _literal(node)
        if text is not None:
            for words in _unmarked(text):
                self.found.append((getattr(node, "lineno", 0), f"{where}: {words[:80]!r}"))

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in MARKERS:
            return  # marked: what is inside is the catalog's to translate
        if name in SHOWN_CALLS or name.endswith("_page"):
            for argument in node.args:
                self._check(argument, f"{name}()")
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS:
                self._check(keyword.value, f"{name}({keyword.arg}=)")
            elif keyword.arg == "errors" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    self._check(value, f"{name}(errors=)")
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        if self._label_table:
            for value in node.values:
                self._check(value, "label")
        self.generic_visit(node)


class _Core(ast.NodeVisitor):
    """Sentences the core would store in English instead of as a phrase."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def _check(self, node: ast.AST, where: str) -> None:
        parts = node.elts if isinstance(node, ast.Tuple | ast.List) else [node]
        for part in parts:
            text = _literal(part)
            if text is None:
                continue
            # An f-string is one sentence here: "tonight {day} at {place}" has words even though
            # each piece alone ("tonight", "at") would pass for a code.
            text = text.replace(HOLE, " ")
            for words in _unmarked(text):
                self.found.append((getattr(part, "lineno", 0), f"{where}: {words[:80]!r}"))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.returns is not None and STORED_RETURNS.search(ast.unparse(node.returns)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    self._check(inner.value, f"return from {node.name}()")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg in STORED_KEYWORDS:
                self._check(keyword.value, f"{keyword.arg}=")
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"append", "extend"}
            and isinstance(func.value, ast.Name)
            and func.value.id in STORED_LISTS
        ):
            for argument in node.args:
                self._check(argument, f"{func.value.id}.{func.attr}()")
        self.generic_visit(node)


def core_problems(path: Path, source: str | None = None) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    visitor = _Core()
    visitor.visit(tree)
    return [
        f"{path}:{line}: stored as English, not a phrase: {what}" for line, what in visitor.found
    ]


def module_problems(path: Path, source: str | None = None) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    visitor = _Module(path.name == "labels.py" or path.name.endswith("_labels.py"))
    visitor.visit(tree)
    return [f"{path}:{line}: not marked for translation: {what}" for line, what in visitor.found]


def main() -> int:
    problems: list[str] = []
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            problems += template_problems(path)
    for folder in MODULE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            problems += module_problems(path)
    for path in sorted(CORE.rglob("*.py")):
        if path.name not in CORE_IN_EVERY_LANGUAGE:
            problems += core_problems(path)
    for problem in problems:
        print(problem)
    print(f"check_untranslated_literals: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
