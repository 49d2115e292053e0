"""docs/DEVELOPING.md is checked: the names it cites exist, its floors table is the import rule,
and the registries it lists are connected only from a package's `hooks.register()`."""

import ast
import importlib
import inspect
import itertools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
NOT_CODE = {"tests", "node_modules", "docs", "static", "templates", "translations", "instance"}
FILE_SUFFIXES = (".py", ".sh", ".md", ".js", ".css", ".html", ".toml", ".cfg", ".json", ".po")


def _units() -> dict[str, list[Path]]:
    """Each top-level module or package of the repository (its import name) → its files."""
    units = {path.name[:-3]: [path] for path in ROOT.glob("*.py")}
    for folder in ROOT.iterdir():
        if folder.is_dir() and folder.name not in NOT_CODE and not folder.name.startswith("."):
            files = sorted(folder.rglob("*.py"))
            if files:
                units[folder.name] = files
    return units


def _section(title: str) -> str:
    start = GUIDE.index(f"## {title}")
    end = GUIDE.find("\n## ", start + 1)
    return GUIDE[start : end if end != -1 else None]


def _floors() -> dict[str, int]:
    """The floors table: unit → floor number, the ground floor being 0."""
    table = _section("Floors").split("```")[1]
    floors = {}
    for number, line in enumerate(line for line in table.splitlines() if line.strip()):
        names = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0].split()
        for name in names:
            floors[name.removesuffix("/").removesuffix(".py")] = number
    return floors


def _imports(path: Path):
    """(line, top-level name imported) for every absolute import, including those in functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def test_the_floors_table_places_every_module_of_the_repository():
    floors, units = _floors(), _units()
    assert not set(units) - set(floors), (
        f"add to the floors table: {sorted(set(units) - set(floors))}"
    )
    assert not set(floors) - set(units), (
        f"not in the repository: {sorted(set(floors) - set(units))}"
    )


def test_imports_point_only_to_the_same_floor_or_lower():
    floors, units = _floors(), _units()
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {name} (floor {floors[name]}) "
        f"from floor {floors[unit]}"
        for unit, paths in units.items()
        for path in paths
        for line, name in _imports(path)
        if unit in floors and name in floors and floors[name] > floors[unit]
    ]
    assert not upward, "\n" + "\n".join(upward)


def test_the_floors_check_sees_an_upward_import(tmp_path):
    """The check above reads real imports: one from a lower floor to a higher one is caught."""
    floors = _floors()
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from judging.services import event_ranking\n")
    assert [(line, name) for line, name in _imports(module)] == [(2, "judging")]
    assert floors["judging"] > floors["competitions"]


def _cited() -> list[str]:
    text = re.sub(r"```.*?```", "", GUIDE, flags=re.S)
    return re.findall(r"`([^`\n]+)`", text)


def _is_path(span: str) -> bool:
    return bool(re.fullmatch(r"[\w.\-/]+", span)) and ("/" in span or span.endswith(FILE_SUFFIXES))


def _resolve(dotted: str):
    """The module or attribute a dotted name means (ImportError / AttributeError if none). A
    function or class is cited where it is defined, or where a module re-exports it on purpose
    (its `__all__`), not wherever it happens to be imported."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        module, defined_in = sys.modules[".".join(parts[:cut])], getattr(obj, "__module__", None)
        if cut == len(parts) - 1 and (inspect.isfunction(obj) or inspect.isclass(obj)):
            exported = parts[-1] in getattr(module, "__all__", ())
            if defined_in != module.__name__ and not exported:
                raise AttributeError(f"{dotted} is {defined_in}.{parts[-1]}")
        return obj
    raise ImportError(dotted)


def _parameter_names(arguments: str) -> list[str]:
    names = []
    for piece in arguments.split(","):
        name = piece.split("=")[0].strip()
        if name.isidentifier():
            names.append(name)
    return names


def _problems(spans) -> list[str]:
    """What is wrong with these cited spans: files that are not there, modules and names that
    do not exist (or are cited elsewhere than where they are defined), parameters a cited
    function does not take. Spans that are not ours (db.session.commit(), …) are let be."""
    units, problems = _units(), []
    file_names = {path.name for paths in units.values() for path in paths}
    for span in spans:
        if _is_path(span):
            if span.startswith(("..", "/")) or (ROOT / span).exists():
                continue  # outside the repository, a URL, or there
            if "/" in span or span not in file_names:  # a bare name: a package's file
                problems.append(f"{span}: no such file or folder")
            continue
        cited = re.match(r"@?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\((.*)\))?", span)
        if not cited or cited.group(1).split(".")[0] not in units:
            continue
        try:
            obj = _resolve(cited.group(1))
        except (ImportError, AttributeError) as error:
            problems.append(f"{cited.group(1)}: no such module or name ({error})")
            continue
        if cited.group(2) is not None:
            parameters = inspect.signature(obj).parameters
            if not any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
                problems += [
                    f"{cited.group(1)}: no parameter {name!r}"
                    for name in _parameter_names(cited.group(2))
                    if name not in parameters
                ]
    return problems


def test_every_path_and_name_the_guide_cites_exists():
    problems = _problems(_cited())
    assert not problems, "\n" + "\n".join(problems)


def test_the_names_check_catches_what_is_gone_and_lets_the_rest_be():
    gone = [
        "exports.cells.safe_cell",
        "accounts.models.utcnow",  # imported there, defined in extensions
        "tools/regen_initial_migration.sh",
        "judging.services.event_ranking(event, method)",
        "nowhere.py",
    ]
    assert len(_problems(gone)) == len(gone)
    fine = [
        "extensions.utcnow",
        "models.py",
        "db.session.commit()",
        "../shared/STYLE.md",
        "/vendor/",
    ]
    assert _problems(fine) == []


def _registries() -> dict[str, str]:
    """The registries the guide's list names: name → "call" (a function) or "connect" (a
    signal)."""
    lines = _section("Hooks between packages").splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("- "))
    listed = "\n".join(
        itertools.takewhile(lambda line: line.startswith(("- ", "  ")), lines[first:])
    )
    names = re.findall(r"`([a-z_]+(?:\.[a-z_]+)+)`", listed)
    kinds = {}
    for dotted in (name for name in names if not _is_path(name)):
        obj = _resolve(dotted)
        if hasattr(obj, "connect") and hasattr(obj, "send"):
            kinds[dotted.rsplit(".", 1)[1]] = "connect"
        elif callable(obj) and not inspect.ismodule(obj):
            kinds[dotted.rsplit(".", 1)[1]] = "call"
    return kinds


def _hook_calls(path: Path, registries: dict[str, str]):
    """(line, registry, inside a function named register) for each registration in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_register = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef) and function.name == "register"
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name == "connect" and isinstance(func, ast.Attribute):
            target = func.value
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
            if registries.get(name) != "connect":
                continue
        elif registries.get(name) != "call":
            continue
        yield node.lineno, name, id(node) in in_register


def test_hooks_into_lower_floors_are_registered_only_in_hooks_register():
    registries = _registries()
    assert len(registries) >= 6, registries
    elsewhere, used = [], set()
    for paths in _units().values():
        for path in paths:
            for line, name, in_register in _hook_calls(path, registries):
                if path.name == "hooks.py" and in_register:
                    used.add(name)
                else:
                    elsewhere.append(f"{path.relative_to(ROOT)}:{line} {name}")
    assert not elsewhere, "register these in the package's hooks.register():\n" + "\n".join(
        elsewhere
    )
    assert used == set(registries), f"listed but never used: {set(registries) - used}"


def test_the_hooks_check_sees_a_registration_at_import_and_a_signal_connected(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "add_event_link_provider(links)\n"
        "def register():\n"
        "    signals.event_state_changed.connect(on_change)\n"
        "    event_state_changed.send(event)\n"
    )
    found = list(_hook_calls(module, _registries()))
    assert found == [(1, "add_event_link_provider", False), (3, "event_state_changed", True)]


def test_the_app_calls_every_hooks_register_in_floor_order():
    import app

    floors = _floors()
    with_hooks = {name for name in _units() if (ROOT / name / "hooks.py").exists()}
    assert with_hooks and with_hooks <= set(app.PACKAGES), with_hooks - set(app.PACKAGES)
    assert [floors[name] for name in app.PACKAGES] == sorted(floors[n] for n in app.PACKAGES)
