"""The organisers' templates are run in a sandbox: Jinja's ImmutableSandboxedEnvironment with no
attribute access and no call at all, no globals, a few harmless filters, no `*`/`**` on
texts or big numbers, and a cap on what a template may produce. Its values are the listed
variables only (plain text, numbers, yes/no, lists of texts: `emailtemplates.variables`)."""

import operator

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 50_000  # characters a rendered message may hold
_FILTERS = ("upper", "lower", "capitalize", "title", "trim", "default", "length", "join", "first")
_BINOPS = {"*": operator.mul, "**": operator.pow, "//": operator.floordiv, "%": operator.mod}


class Strict(ImmutableSandboxedEnvironment):
    """Nothing of a value but the value itself: `{{ name.__class__ }}`, `{{ name.upper() }}`,
    `{{ 'x' * 10**9 }}` are refused (SecurityError)."""

    intercepted_binops = frozenset(_BINOPS)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False

    def is_safe_callable(self, obj) -> bool:
        return False

    def call_binop(self, context, operator_, left, right):
        if operator_ == "**" or isinstance(left, (str, list)) or isinstance(right, (str, list)):
            raise SecurityError(f"the operator {operator_} is not allowed here")
        if any(isinstance(x, (int, float)) and abs(x) > 1_000_000 for x in (left, right)):
            raise SecurityError("numbers this big are not allowed here")
        return _BINOPS[operator_](left, right)


def _environment() -> Strict:
    env = Strict(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in _FILTERS}
    env.tests = {name: env.tests[name] for name in ("defined", "none", "number", "string")}
    return env


ENVIRONMENT = _environment()


# No attribute, item or call; no other template; no macro; no arithmetic that could grow.
_FORBIDDEN_NODES = (
    nodes.Getattr,
    nodes.Getitem,
    nodes.Call,
    nodes.Include,
    nodes.Extends,
    nodes.Import,
    nodes.FromImport,
    nodes.Macro,
    nodes.CallBlock,
    nodes.Mul,
    nodes.Pow,
    nodes.Div,
    nodes.FloorDiv,
    nodes.Mod,
)


class TemplateProblem(Exception):
    """What is wrong with a template, in words for the organiser: `kind` is "syntax",
    "unknown_variable" (with `names`) or "forbidden"; `line` where known."""

    def __init__(self, kind: str, *, line: int | None = None, names=(), detail: str = ""):
        super().__init__(kind)
        self.kind, self.line, self.names, self.detail = kind, line, tuple(names), detail


def check(source: str, allowed) -> None:
    """Parse `source`; TemplateProblem on a syntax error or a variable not in `allowed`."""
    try:
        tree = ENVIRONMENT.parse(source)
        declared = meta.find_undeclared_variables(tree)  # compiles: an unknown filter fails here
    except TemplateSyntaxError as error:
        raise TemplateProblem("syntax", line=error.lineno, detail=error.message or "") from None
    unknown = sorted(declared - set(allowed))
    if unknown:
        raise TemplateProblem("unknown_variable", names=unknown)
    if any(True for _ in tree.find_all(_FORBIDDEN_NODES)) or any(
        name.name in ("self", "caller", "loop") for name in tree.find_all(nodes.Name)
    ):
        raise TemplateProblem("forbidden")


def render(source: str, values: dict) -> str:
    """Render a checked template with `values`; TemplateProblem when it misbehaves."""
    try:
        text = ENVIRONMENT.from_string(source).render(values)
    except SecurityError:
        raise TemplateProblem("forbidden") from None
    except UndefinedError as error:
        raise TemplateProblem("unknown_variable", detail=str(error)) from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as error:
        raise TemplateProblem("syntax", detail=str(error)) from None
    if len(text) > MAX_OUTPUT:
        raise TemplateProblem("too_long")
    return text
