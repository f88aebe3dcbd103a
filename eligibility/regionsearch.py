"""Finding a region by what a person types: 东城, 东城区, dongcheng, dcq, Dongcheng, 110101.

Server-side, so the region page works without JavaScript. Pinyin and initials come from
the tree file (computed once by scripts/build_region_tree.py with pypinyin), so nothing
here needs a pinyin library. Names of replaced codes (茌平县) find the current region.
"""
import unicodedata

from .rulebook import NATIONAL

MAX_QUERY = 40
# Counties first: a person types where they live, and most people live in a county-level unit.
LEVEL_ORDER = {"county": 0, "city": 1, "province": 2}


def normalise(text):
    """NFKC (full-width letters and digits), lower case, no spaces or apostrophes."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "'’·-")


def search(book, query, limit=20):
    """Regions matching `query`, best first: [(region, matched_by)], at most `limit`."""
    q = normalise(query)
    if not q:
        return []
    ascii_query = q.isascii()
    hits = {}

    def offer(region, rank, how):
        if region.code == NATIONAL:
            return
        best = hits.get(region.code)
        if best is None or rank < best[0]:
            hits[region.code] = (rank, how, region)

    for region in book.regions.values():
        if q.isdigit():
            if region.code == q:
                offer(region, 0, "code")
            continue
        if not ascii_query:
            name = region.name
            if name == q:
                offer(region, 0, "name")
            elif name.startswith(q):
                offer(region, 1, "name")
            elif q in name:
                offer(region, 3, "name")
            continue
        if region.initials and region.initials.startswith(q):
            offer(region, 2 if region.initials == q else 4, "initials")
        if region.pinyin and region.pinyin.startswith(q):
            offer(region, 1 if len(q) >= 4 else 4, "pinyin")
        english = normalise(region.name_en) if region.name_en else ""
        if english.startswith(q):
            offer(region, 1 if len(q) >= 4 else 4, "english")
    if q.isdigit() and q in book.replaced:
        offer(book.regions[book.replaced[q].code], 0, "replaced_code")
    for old, entry in book.changes.items():
        if not ascii_query and entry["name"].startswith(q):
            offer(book.regions[entry["now"]], 1 if entry["name"] == q else 3, "replaced_name")
    ranked = sorted(hits.values(), key=lambda h: (h[0], LEVEL_ORDER.get(h[2].level, 3), h[2].code))
    return [(region, how) for _, how, region in ranked[:limit]]


def children(book, code):
    """The regions one level below `code`, by code."""
    return [book.regions[c] for c in sorted(book.regions[code].children)]

