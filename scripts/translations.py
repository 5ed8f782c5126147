"""Keep flask-haven's message catalogues in step with the code.

    python scripts/translations.py          # extract, update every .po, compile
    python scripts/translations.py check    # exit 1 if anything is out of date

``make translations`` runs the first. The tests use the same functions, so
"what the code says" is decided in one place:

- :func:`extract` reads every message the Python code (``gettext``,
  ``ngettext``, ``N_``) and the templates (``haven_gettext``,
  ``haven_ngettext``) can show, into ``flask_haven.pot``;
- :func:`update` merges that template into each language's ``.po`` (new
  messages arrive empty, changed ones marked fuzzy for a translator);
- :func:`compile_catalogues` writes the ``.mo`` files the app reads.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "components" / "flask_haven" / "translations"
DOMAIN = "flask_haven"
TEMPLATE = TRANSLATIONS / f"{DOMAIN}.pot"

METHOD_MAP = [
    ("components/flask_haven/**.py", "python"),
    ("components/flask_haven/**.html", "jinja2"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "haven_gettext": None, "haven_ngettext": (1, 2)}
# A comment starting "Translators:" just above a message reaches the translator.
COMMENT_TAGS = ("Translators:",)


def extract() -> Catalog:
    """Every message the code can show, with where it comes from."""
    catalog = Catalog(project="flask-haven", copyright_holder="flask-haven contributors")
    found = extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_files() -> list[Path]:
    """Each language's catalogue: ``<locale>/LC_MESSAGES/flask_haven.po``."""
    return sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalogue(path: Path) -> Catalog:
    """A ``.po`` or ``.pot`` file, parsed."""
    with path.open("rb") as handle:
        return read_po(handle)


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_by_file=True, omit_header=False)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled form of ``catalog`` (fuzzy entries left out, as gettext does)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _messages(catalog: Catalog) -> dict[object, object]:
    """What a compiled catalogue gives the app: each translated message, and the plural rule.

    Compared instead of the ``.mo`` bytes, which differ from one Babel release
    to the next for the same messages (a newcomer's fresh install would fail).
    """

    def plain(value: object) -> object:
        # A plural message is a tuple in a .po and a list when read from a .mo.
        return tuple(value) if isinstance(value, list | tuple) else value

    found: dict[object, object] = {
        (message.context, plain(message.id)): plain(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    found["plural rule"] = (catalog.num_plurals, catalog.plural_expr)
    return found


def is_compiled_from(po: Path, mo: Path) -> bool:
    """True if ``mo`` holds exactly the messages of ``po`` (fuzzy ones left out)."""
    if not mo.exists():
        return False
    with mo.open("rb") as handle:
        compiled = read_mo(handle)
    return _messages(compiled) == _messages(read_catalogue(po))


def update(template: Catalog) -> None:
    """Write the template and merge it into every language's ``.po``."""
    TEMPLATE.write_bytes(_po_bytes(template))
    for path in po_files():
        catalog = read_catalogue(path)
        catalog.update(template)
        # Messages the code no longer uses would only mislead a translator.
        catalog.obsolete.clear()
        path.write_bytes(_po_bytes(catalog))


def compile_catalogues() -> None:
    """Write ``flask_haven.mo`` beside each ``.po``."""
    for path in po_files():
        path.with_suffix(".mo").write_bytes(mo_bytes(read_catalogue(path)))


def out_of_date() -> list[str]:
    """What ``make translations`` would change, as sentences (empty when all is current)."""
    problems = []
    wanted = {message.id for message in extract() if message.id}
    have = {message.id for message in read_catalogue(TEMPLATE) if message.id}
    if wanted != have:
        problems.append(f"{TEMPLATE.name} differs from the code: run `make translations`")
    for path in po_files():
        mo = path.with_suffix(".mo")
        if not is_compiled_from(path, mo):
            problems.append(f"{mo.relative_to(ROOT)} is not compiled from its .po")
    return problems


def main(argv: list[str]) -> int:
    """Command line: no argument to update everything, ``check`` to only report."""
    if argv[1:] == ["check"]:
        problems = out_of_date()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    update(extract())
    compile_catalogues()
    for path in po_files():
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
