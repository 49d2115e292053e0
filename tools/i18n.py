"""Translation catalogs, one per package (like Django apps' locale folders), merged at run time.

    python -m tools.i18n update [PACKAGE ...]   extract strings, update ar/fr .po files
    python -m tools.i18n compile                 build .mo files (done by `make`, never committed)
    python -m tools.i18n check                   list untranslated strings
    python -m tools.i18n set PACKAGE LANG F.json  fill translations from {"msgid": "text", ...}

Message ids are English; French and Arabic are translated in the .po files. The root catalog in
translations/ holds app.py, i18n.py, refusals.py, fieldtypes.py and the top-level templates (base
layout, macros).
"""

import sys
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from app import PACKAGES as APP_PACKAGES

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = APP_PACKAGES  # every feature package may have its own catalog
LANGS = ("ar", "fr")
MAPPING = ROOT / "tools" / "babel.cfg"


def catalog_dir(package: str) -> Path:
    return ROOT / "translations" if package == "root" else ROOT / package / "translations"


def sources(package: str) -> list[str]:
    if package == "root":
        files = [
            ROOT / "app.py",
            ROOT / "i18n.py",
            ROOT / "fieldtypes.py",
            ROOT / "refusals.py",
            *sorted((ROOT / "templates").glob("*.html")),
        ]
    else:
        files = [ROOT / package, ROOT / "templates" / package]
        if package == "jobs":
            files.append(ROOT / "templates" / "email")
    return [str(f) for f in files if f.exists()]


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def update(packages: list[str]) -> None:
    for package in packages:
        directory = catalog_dir(package)
        with tempfile.TemporaryDirectory() as tmp:
            pot = str(Path(tmp) / "messages.pot")
            pybabel(
                "extract",
                "-F",
                str(MAPPING),
                "-k",
                "_l",
                "--no-location",
                "--sort-output",
                "-o",
                pot,
                *sources(package),
            )
            for lang in LANGS:
                po = directory / lang / "LC_MESSAGES" / "messages.po"
                if po.exists():
                    pybabel(
                        "update",
                        "-i",
                        pot,
                        "-d",
                        str(directory),
                        "-l",
                        lang,
                        "--no-fuzzy-matching",
                        "--ignore-obsolete",
                    )
                else:
                    pybabel("init", "-i", pot, "-d", str(directory), "-l", lang)


def compile_all() -> None:
    for package in ("root", *PACKAGES):
        directory = catalog_dir(package)
        if any(directory.glob("*/LC_MESSAGES/messages.po")):
            pybabel("compile", "-d", str(directory))


def _catalogs(lang: str):
    for package in ("root", *PACKAGES):
        po = catalog_dir(package) / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            with po.open("rb") as handle:
                yield package, po, read_po(handle)


def _text(value):
    return value if isinstance(value, str) else (value[0] if value else "")


def check() -> int:
    """Untranslated strings, and message ids translated differently by two packages (the
    catalogs are merged at run time, so one of the two would silently win)."""
    problems = 0
    for lang in LANGS:
        seen: dict[str, tuple[str, str]] = {}
        for package, po, catalog in _catalogs(lang):
            for message in catalog:
                if not message.id:
                    continue
                key, text = _text(message.id), _text(message.string)
                if not text:
                    problems += 1
                    print(f"{po.relative_to(ROOT)}: untranslated {key!r}")
                    continue
                if key in seen and seen[key][0] != text:
                    problems += 1
                    print(
                        f"{lang}: {key!r} is {seen[key][0]!r} in {seen[key][1]} "
                        f"but {text!r} in {package}"
                    )
                seen.setdefault(key, (text, package))
    return problems


def set_translations(package: str, lang: str, json_file: str) -> None:
    import json

    po = catalog_dir(package) / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    translations = json.loads(Path(json_file).read_text(encoding="utf-8"))
    unknown = [key for key in translations if key not in catalog]
    for key, text in translations.items():
        if key in catalog:
            catalog[key].string = text
            catalog[key].flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
    if unknown:
        print(f"not in the {package} catalog (run update first?): {unknown}")


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["compile"]
    if command == "update":
        update(rest or ["root", *PACKAGES])
    elif command == "compile":
        compile_all()
    elif command == "set":
        set_translations(*rest)
    elif command == "check":
        sys.exit(1 if check() else 0)
    else:
        sys.exit(__doc__)
