"""Word templates are code a system administrator uploads: they are checked when uploaded and
rendered in Jinja's sandbox.

Two locks, each enough on its own against the known escapes (``''.__class__.__mro__``,
``cycler.__init__.__globals__``, ``self._TemplateReference__context``, ``|attr('__class__')``,
format strings...):

- ``check_sources`` reads every Jinja source docxtpl would render (the body, the headers and
  footers, the footnotes, the core properties) and allows only the variables the builder gives
  (``TEMPLATE_VARIABLES``), the names the template binds itself (``{% for %}``, ``{% set %}``),
  attributes and keys not starting with "_", the filters and tests listed here, ``if``/``for``/
  ``set`` and no call other than ``loop.cycle(...)``. Anything else is refused with a Vietnamese
  message naming the tag and the paragraph it stands in.
- ``environment`` is an ``ImmutableSandboxedEnvironment`` with no globals (no ``range``,
  ``lipsum``, ``cycler``, ``joiner``, ``namespace``, ``dict``) and only the listed filters and
  tests, so a template already stored before this check renders inert or fails with
  ``SecurityError``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import jinja2
from django.core.exceptions import ValidationError
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# The names ``builders.template_context`` gives a template (README.md describes them).
TEMPLATE_VARIABLES = frozenset(
    {
        "doc",
        "kind",
        "joint",
        "issuers",
        "number_line",
        "date_line",
        "doc_type",
        "subject",
        "letter_subject",
        "period_label",
        "period_line",
        "watermark_note",
        "signer",
        "signer_right",
        "signer_left",
        "signers",
        "recipients",
        "body",
        "annexes",
    }
)

# Text and list filters that neither reach attributes by a name given in the template nor build
# format strings ("attr", "format", "map", "selectattr", "safe"... are not here).
ALLOWED_FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "count",
        "d",
        "default",
        "e",
        "escape",
        "first",
        "float",
        "int",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "max",
        "min",
        "replace",
        "reverse",
        "round",
        "string",
        "striptags",
        "sum",
        "title",
        "trim",
        "truncate",
        "upper",
        "wordcount",
    }
)
ALLOWED_TESTS = frozenset(
    {
        "defined",
        "undefined",
        "none",
        "number",
        "string",
        "even",
        "odd",
        "divisibleby",
        "eq",
        "ne",
        "equalto",
        "in",
        "true",
        "false",
        "lower",
        "upper",
    }
)

# Expression and statement nodes a template may hold; the others (import, include, extends,
# macro, call, block, filter blocks, with, do...) are refused.
_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.For,
    nodes.Assign,
    nodes.Name,
    nodes.Const,
    nodes.Tuple,
    nodes.List,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Slice,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.Add,
    nodes.Sub,
    nodes.Concat,
    nodes.Compare,
    nodes.Operand,
    nodes.Call,  # only loop.cycle(...), checked below
)

_TAG_NAMES: dict[type[nodes.Node], str] = {
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Include: "{% include %}",
    nodes.Extends: "{% extends %}",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.Block: "{% block %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.With: "{% with %}",
    nodes.Scope: "{% with %}",
    nodes.AssignBlock: "{% set %}...{% endset %}",
    nodes.Dict: "{...} (từ điển)",
    nodes.Mul: "phép nhân *",
    nodes.Div: "phép chia /",
    nodes.FloorDiv: "phép chia //",
    nodes.Mod: "phép % (định dạng chuỗi)",
    nodes.Pow: "phép lũy thừa **",
}


def environment(*, strict: bool = False) -> ImmutableSandboxedEnvironment:
    """The sandboxed environment every Word template renders in."""
    env = ImmutableSandboxedEnvironment(
        autoescape=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        loader=jinja2.DictLoader({}),  # {% include %}, {% import %}, {% extends %} find nothing
    )
    env.globals.clear()
    env.filters = {name: f for name, f in env.filters.items() if name in ALLOWED_FILTERS}
    env.tests = {name: t for name, t in env.tests.items() if name in ALLOWED_TESTS}
    return env


# --- the Jinja sources of a Word template ----------------------------------------------------------

_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl renders these
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def template_sources(template: bytes) -> Iterator[str]:
    """Each text of the template that docxtpl renders as Jinja, as docxtpl prepares it."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.init_docx()
    yield tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            yield tpl.patch_xml(tpl.get_part_xml(part))
    for part in tpl.docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            blob = part.blob
            yield tpl.patch_xml(blob.decode("utf-8") if isinstance(blob, bytes) else blob)
    properties = tpl.docx.core_properties
    for name in _CORE_PROPERTIES:
        value = getattr(properties, name)
        if value:
            yield value


# --- the check ---------------------------------------------------------------------------------------


def _near(lines: list[str], lineno: int) -> str:
    """The text of the paragraph at ``lineno`` (1-based), without its XML."""
    if not 0 < lineno <= len(lines):
        return ""
    text = " ".join(re.sub(r"<[^>]+>", " ", lines[lineno - 1]).split())
    return text[:160]


def _refuse(what: str, node: nodes.Node, lines: list[str]) -> ValidationError:
    near = _near(lines, getattr(node, "lineno", 0) or 0)
    where = f" (ở đoạn «{near}»)" if near else ""
    return ValidationError(
        f"Mẫu không được chấp nhận: {what}{where}. Mẫu chỉ được dùng các biến của báo cáo (xem hướng dẫn), "
        "các bộ lọc thông dụng (upper, lower, join, length...) và các thẻ if, for, set.",
        code="unsafe",
    )


_DUNDER = re.compile(r"__[A-Za-z]")


def _bound_names(tree: nodes.Template) -> set[str]:
    """Names the template binds itself: loop targets and {% set %} targets."""
    bound: set[str] = set()
    for node in tree.find_all((nodes.For, nodes.Assign)):
        target: nodes.Node = node.target  # type: ignore[attr-defined]
        names = [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))
        bound.update(name.name for name in names)  # type: ignore[attr-defined]
    return bound


def _check_tree(tree: nodes.Template, lines: list[str]) -> None:
    bound = _bound_names(tree)
    allowed_names = TEMPLATE_VARIABLES | bound | {"loop"}
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            tag = _TAG_NAMES.get(type(node), type(node).__name__)
            raise _refuse(f"không dùng được {tag}", node, lines)
        if isinstance(node, nodes.Name):
            if node.name.startswith("_") or node.name not in allowed_names:
                raise _refuse(f"biến «{node.name}» không có trong dữ liệu báo cáo", node, lines)
            if node.ctx == "store" and node.name in TEMPLATE_VARIABLES | {"loop"}:
                raise _refuse(f"không được gán lại biến «{node.name}»", node, lines)
        elif isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                raise _refuse(f"không được đọc thuộc tính «{node.attr}»", node, lines)
        elif isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                if node.arg.value.startswith("_"):
                    raise _refuse(f"không được đọc khóa «{node.arg.value}»", node, lines)
        elif isinstance(node, nodes.Filter):
            if node.name not in ALLOWED_FILTERS:
                raise _refuse(f"bộ lọc «{node.name}» không được phép", node, lines)
        elif isinstance(node, nodes.Test):
            if node.name not in ALLOWED_TESTS:
                raise _refuse(f"phép thử «is {node.name}» không được phép", node, lines)
        elif isinstance(node, nodes.Call):
            callee = node.node
            loop_cycle = (
                isinstance(callee, nodes.Getattr)
                and callee.attr == "cycle"
                and isinstance(callee.node, nodes.Name)
                and callee.node.name == "loop"
            )
            if not loop_cycle or node.dyn_args is not None or node.dyn_kwargs is not None:
                raise _refuse(f"không được gọi hàm «{_describe(callee)}(...)»", node, lines)
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and _DUNDER.search(node.value):
            raise _refuse(f"chuỗi «{node.value[:40]}» gọi tới thành phần nội bộ", node, lines)


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    return "..."


def check_source(source: str, env: Any = None) -> None:
    """Refuse (ValidationError in Vietnamese) a Jinja source that uses anything not allowed."""
    env = env or environment()
    # As docxtpl renders it: each paragraph on a line of its own, so a line number names a paragraph.
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
    lines = source.splitlines()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        near = _near(lines, exc.lineno or 0)
        where = f" gần đoạn «{near}»" if near else ""
        raise ValidationError(
            f"Mẫu không hợp lệ: thẻ Jinja sai cú pháp{where} (chi tiết: {exc.message}).", code="syntax"
        ) from exc
    _check_tree(tree, lines)


def check_template_tags(template: bytes) -> None:
    """Check every Jinja source of a Word template (``check_source``)."""
    env = environment()
    for source in template_sources(template):
        check_source(source, env)
