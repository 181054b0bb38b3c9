#!/usr/bin/env python3
"""Print the gazetteer/README.md tables of rows per file, per area and per source.

    python3 scripts/gazetteer/counts.py

Reads gazetteer/places/*.tsv and scripts/gazetteer/cities500-areas.tsv; no
network, no third-party modules.
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import GAZ, HERE, read_tsv  # noqa: E402


def areas():
    out = []
    with open(os.path.join(HERE, "cities500-areas.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if line.startswith("#") or c[0] == "country" or not c[0]:
                continue
            out.append((c[0], c[1]))
    return out


def source_kind(src):
    if src.startswith("GeoNames"):
        return "GeoNames"
    if src.startswith("Natural Earth"):
        return "Natural Earth"
    if src.startswith("curated"):
        return "curated (computed)"
    m = re.match(r"https?://([^/]+)/", src)
    if m:
        host = m.group(1)
        return "page: " + ("wikipedia.org" if host.rstrip(".").endswith("wikipedia.org") else "other site (mostly Wikipedia mirrors and translations)")
    return "other"


def main():
    files = sorted(f for f in os.listdir(os.path.join(GAZ, "places")) if f.endswith(".tsv"))
    rows = {f: read_tsv(os.path.join(GAZ, "places", f))[1] for f in files}

    print("| file | rows |\n| --- | --- |")
    for f in files:
        print(f"| `places/{f}` | {len(rows[f])} |")
    print()

    area_list = areas()
    print("World cities by area (`places/world-cities.tsv`):\n")
    print("| area | level | rows |\n| --- | --- | --- |")
    by = collections.Counter()
    for r in rows.get("world-cities.tsv", []):
        key = (r["country"], r["admin1"]) if (r["country"], r["admin1"]) in area_list else (r["country"], "")
        by[key if key in area_list else ("*", "")] += 1
    for cc, a1 in area_list:
        print(f"| {cc}{' ' + a1 if a1 else ''} | cities500 | {by[(cc, a1)]} |")
    print(f"| rest of the world | cities15000 + capitals | {by[('*', '')]} |")
    print()

    print("Front-line places by area and source (`places/frontline.tsv`):\n")
    print("| country | admin1 | rows | sources |\n| --- | --- | --- | --- |")
    fl = collections.defaultdict(collections.Counter)
    for r in rows.get("frontline.tsv", []):
        fl[(r["country"], r["admin1"])][source_kind(r["source"])] += 1
    for (cc, a1), c in sorted(fl.items()):
        srcs = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
        print(f"| {cc} | {a1} | {sum(c.values())} | {srcs} |")
    print()

    print("All place rows by source:\n")
    print("| source | rows |\n| --- | --- |")
    tot = collections.Counter()
    for f in files:
        for r in rows[f]:
            tot[source_kind(r["source"])] += 1
    for k, v in sorted(tot.items()):
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
