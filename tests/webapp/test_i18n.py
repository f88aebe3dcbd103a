"""Both catalogs complete, not fuzzy, compiled, and covering every message the app can show."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.forms import choose_settings

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALES = ROOT / "locales"


def catalog(lang):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o", str(pot),
                    "--no-location", "--omit-header", "."], cwd=ROOT, capture_output=True, check=True)
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_catalog_is_complete_and_not_fuzzy(lang):
    messages = [m for m in catalog(lang) if m.id]
    missing = [m.id for m in messages if not m.string or (m.pluralizable and not all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert missing == [], f"{len(missing)} untranslated in {lang}, e.g. {missing[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {lang}, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_catalog_covers_every_message(lang, extracted):
    known = {m.id for m in catalog(lang) if m.id}
    assert sorted(extracted - known) == [], "run: python scripts/update_catalogs.py"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_compiled_catalog_is_current(lang):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    source = {plain(m.id): plain(m.string) for m in catalog(lang) if m.id and m.string}
    assert compiled == source, "run: python scripts/update_catalogs.py"


def plain(value):
    """Plural messages come back as lists or tuples (msgid, msgid_plural) / (msgstr[0], …)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_placeholders_survive_translation():
    import re
    for message in catalog("en"):
        if message.id and message.string:
            wanted = sorted(re.findall(r"%\(\w+\)s", plain(message.id)[0] if message.pluralizable else message.id))
            for form in (message.string if message.pluralizable else [message.string]):
                assert sorted(re.findall(r"%\(\w+\)s", form)) == wanted, message.id


def test_english_pages_are_english(client):
    choose_settings(client, "/", lang="en")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html and "开始" not in html
