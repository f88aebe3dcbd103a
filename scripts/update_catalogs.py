"""Refresh the translation catalogs after changing templates, Python messages or rules/.

    python scripts/update_catalogs.py

Extracts every message (templates, Python, and the citizen-facing text of the rule YAML via
webapp.i18n.extract_rules) into locales/messages.pot, merges it into each catalog, fills the
zh_CN catalog (the source language) with the messages themselves, and compiles the .mo files.
New English messages are left empty: tests/webapp/test_i18n.py fails until they are translated.
"""
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"


def run(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True)


def main():
    run("extract", "-F", "babel.cfg", "-o", "locales/messages.pot", "--no-location", "--omit-header", "--sort-output", ".")
    catalogs = sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))
    # Keep each catalog's header date: a run that changes no message changes no file.
    dates = {po: re.search(r'"POT-Creation-Date: [^"]*"', po.read_text(encoding="utf-8")) for po in catalogs}
    run("update", "-i", "locales/messages.pot", "-d", "locales", "--no-fuzzy-matching", "--ignore-obsolete",
        "--no-wrap")
    for po, date in dates.items():
        if date:
            text = po.read_text(encoding="utf-8")
            po.write_text(re.sub(r'"POT-Creation-Date: [^"]*"', lambda _: date.group(0), text, count=1),
                          encoding="utf-8")
    source = LOCALES / "zh_CN" / "LC_MESSAGES" / "messages.po"
    catalog = read_po(source.open("rb"))
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with source.open("wb") as out:
        write_po(out, catalog, width=0)
    for po in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as src:
            catalog = read_po(src)
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)
    print("catalogs updated; translate any empty msgstr in locales/en/LC_MESSAGES/messages.po, then run again")


if __name__ == "__main__":
    main()
