#!/usr/bin/env python3
"""Build and check gazetteer/places/frontline.tsv from scripts/gazetteer/frontline-sources.tsv
and scripts/gazetteer/frontline-sources/*.tsv (same columns; one file per area).

    python3 scripts/gazetteer/frontline.py build   # write places/frontline.tsv
    python3 scripts/gazetteer/frontline.py check   # exit 1 if a row disagrees with its source

`frontline-sources.tsv` is hand-entered, one place per line:

    id  name  kind  country  admin1  population  names  url  coordinates

`coordinates` is the coordinate text exactly as the page at `url` prints it
(an infobox "40°22′53″N 46°44′27″E", a decimal "40.38139°N 46.74083°E", a
Russian-style "40°09′22″ с. ш. 45°51′40″ в. д.", "latitude: 40°09′ N.,
longitude: 45°52′ E."); the point of the row is parsed from it, never typed.
The page address goes to the row's `source` column.

`check` re-derives every row of places/frontline.tsv from its source line and
reports any difference (coordinates more than 50 m apart, another source,
name, kind, country or names), every source line whose coordinate text cannot
be read, rows without a source line, duplicate ids, names that are already a
name of another frontline row in the same country, and points farther than
`MAX_KM` from the row's own admin-1 label when that admin-1 is a known
gazetteer entry (a typo in a degree shows up as a village 100 km away). With
`--pages DIR` it also looks for each row's coordinate text in a saved copy of
its page (`DIR/<id>.txt`, e.g. the text the search tool returned), so the
numbers can be re-checked against the page text itself.
"""
import argparse
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import GAZ, HERE, HEADER, fold, write_tsv  # noqa: E402

SOURCES = os.path.join(HERE, "frontline-sources.tsv")
OUT = os.path.join(GAZ, "places", "frontline.tsv")
SRC_COLS = ["id", "name", "kind", "country", "admin1", "population", "names", "url", "coordinates"]
KINDS = {"town", "village", "site", "region", "city"}
MAX_KM = 1000.0  # the largest admin-1 units (North Darfur) span about 900 km

_NUM = r"(\d+(?:[.,]\d+)?)"
_SEP = r"\s*[°º˚]\s*"
_MIN = r"\s*[′'’´]\s*"
_SEC = r"\s*(?:″|\"|''|”|′′|´´|’’|(?=\s*[,;]|\s*$))\s*"
# (the seconds mark: ″, two primes or accents, or none before a comma or the end: "39°5’29.75, 46°17’45.75")
# hemisphere letters (Latin, Cyrillic "с.ш./в.д.", Portuguese "s. sh.", German "N Sch.")


def _dms(deg, mins, secs):
    v = float(deg.replace(",", "."))
    if mins:
        v += float(mins.replace(",", ".")) / 60
    if secs:
        v += float(secs.replace(",", ".")) / 3600
    return v


_DMS = re.compile(_NUM + _SEP + r"(?:" + _NUM + _MIN + r")?(?:" + _NUM + _SEC + r")?")


def parse_coord(text):
    """(lat, lon) from a page's coordinate text, or None. Prefers a signed
    decimal pair ("40.38139; 46.74083"), then hemisphere-marked values."""
    t = text.replace("\u00a0", " ")
    m = re.search(r"(-?\d{1,2}\.\d{3,})\s*[;,]\s*(-?\d{1,3}\.\d{3,})", t)
    if m:
        return float(m.group(1)), float(m.group(2))
    vals = []
    for m in _DMS.finditer(t):
        v = _dms(m.group(1), m.group(2), m.group(3))
        rest = t[m.end():m.end() + 14].strip().lower()
        # "S"/"W" alone (not the "s. sh." of a transliterated "с. ш."), or Cyrillic ю. ш. / з. д.
        neg = bool(re.match(r"^([sw](?![a-z.])|ю\.?\s*ш|з\.?\s*д)", rest))
        vals.append(-v if neg else v)
    if len(vals) >= 2:
        return vals[0], vals[1]
    m = re.search(r"latitude:?\s*" + _NUM + _SEP + r"(?:" + _NUM + _MIN + r")?.*?longitude:?\s*" + _NUM + _SEP
                  + r"(?:" + _NUM + _MIN + r")?", t, re.I)
    if m:
        return _dms(m.group(1), m.group(2), None), _dms(m.group(3), m.group(4), None)
    return None


def dist_km(a, b):
    p = math.pi / 180
    h = (math.sin((b[0] - a[0]) * p / 2) ** 2
         + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def source_files():
    """frontline-sources.tsv, then every frontline-sources/*.tsv (one file per area or helper)."""
    more = os.path.join(HERE, "frontline-sources")
    extra = sorted(os.path.join(more, f) for f in os.listdir(more) if f.endswith(".tsv")) \
        if os.path.isdir(more) else []
    return [SOURCES] + extra


def read_sources():
    rows, errors = [], []
    for path in source_files():
        where = os.path.relpath(path, HERE)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                c = line.split("\t")
                if c[0] == "id":
                    continue
                if len(c) != len(SRC_COLS):
                    errors.append(f"{where}:{n}: {len(c)} columns, want {len(SRC_COLS)}")
                    continue
                d = dict(zip(SRC_COLS, c))
                d["_line"] = f"{where}:{n}"
                rows.append(d)
    return rows, errors


def to_row(s):
    """The places/frontline.tsv row of one source line, or an error string."""
    pt = parse_coord(s["coordinates"])
    if pt is None:
        return f"{s['_line']}: cannot read coordinates {s['coordinates']!r}"
    if not (-90 <= pt[0] <= 90 and -180 <= pt[1] <= 180):
        return f"{s['_line']}: coordinates out of range {pt}"
    if s["kind"] not in KINDS:
        return f"{s['_line']}: kind {s['kind']!r} not one of {sorted(KINDS)}"
    if not s["url"].startswith(("http://", "https://")):
        return f"{s['_line']}: url {s['url']!r} is not a page address"
    names = common.clean_aliases(s["name"], [x for x in s["names"].split("|") if x.strip()],
                                 keep=[x.strip() for x in s["names"].split("|") if x.strip()])
    return {"id": s["id"], "name": s["name"], "kind": s["kind"], "country": s["country"],
            "admin1": s["admin1"], "lat": round(pt[0], 6), "lon": round(pt[1], 6),
            "population": s["population"], "names": names, "source": s["url"]}


def admin1_labels():
    """(country, folded admin-1 name) -> (lat, lon) of the gazetteer's admin-1 entries."""
    import json
    out = {}
    _, rows = common.read_tsv(os.path.join(GAZ, "places", "world-admin1.tsv"))
    for r in rows:
        out[(r["country"], fold(r["name"]))] = (float(r["lat"]), float(r["lon"]))
    for fn in ("caucasus-admin1.geojson", "caucasus-regions.geojson"):
        with open(os.path.join(GAZ, "features", fn), encoding="utf-8") as f:
            for ft in json.load(f)["features"]:
                p = ft["properties"]
                if p["kind"] == "admin1":
                    for n in [p["name"]] + p.get("names", []):
                        out.setdefault((p["country"], fold(n)), (p["label"][1], p["label"][0]))
    return out


def build():
    srcs, errors = read_sources()
    rows = []
    for s in srcs:
        r = to_row(s)
        if isinstance(r, str):
            errors.append(r)
        else:
            rows.append(r)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        sys.exit(1)
    n = write_tsv(OUT, rows)
    print(f"places/frontline.tsv: {n} rows")


def check(pages=None):
    srcs, errors = read_sources()
    warnings = []
    by_id = {}
    for s in srcs:
        if s["id"] in by_id:
            errors.append(f"{s['_line']}: duplicate id {s['id']}")
        by_id[s["id"]] = s
    head, rows = common.read_tsv(OUT)
    if head != HEADER:
        errors.append(f"places/frontline.tsv: header is {head}")
    labels = admin1_labels()
    seen_names = {}
    for r in rows:
        w = f"places/frontline.tsv:{r['_line']} ({r['id']})"
        s = by_id.pop(r["id"], None)
        if s is None:
            errors.append(f"{w}: no line in frontline-sources.tsv")
            continue
        want = to_row(s)
        if isinstance(want, str):
            errors.append(want)
            continue
        got = (float(r["lat"]), float(r["lon"]))
        d = dist_km(got, (want["lat"], want["lon"]))
        if d > 0.05:
            errors.append(f"{w}: point {got} is {d:.2f} km from its source's {s['coordinates']!r}")
        for k in ("name", "kind", "country", "admin1", "source"):
            if r[k] != str(want[k]):
                errors.append(f"{w}: {k} {r[k]!r} differs from frontline-sources.tsv {want[k]!r}")
        if r["names"] != "|".join(want["names"]):
            errors.append(f"{w}: names differ from frontline-sources.tsv (run frontline.py build)")
        lab = labels.get((r["country"], fold(r["admin1"])))
        if r["admin1"] and lab is None:
            warnings.append(f"{w}: admin1 {r['admin1']!r} is not a gazetteer admin-1 of {r['country']}")
        elif lab and dist_km(got, lab) > MAX_KM:
            errors.append(f"{w}: {dist_km(got, lab):.0f} km from the label of its admin1 {r['admin1']!r}")
        for n in [r["name"]] + [x for x in r["names"].split("|") if x]:
            k = (r["country"], fold(n))
            if k in seen_names and seen_names[k] != r["id"]:
                warnings.append(f"{w}: name {n!r} also names {seen_names[k]} in {r['country']}")
            seen_names.setdefault(k, r["id"])
        if pages:
            p = os.path.join(pages, r["id"] + ".txt")
            if os.path.exists(p):
                with open(p, encoding="utf-8") as f:
                    text = " ".join(f.read().split())
                if " ".join(s["coordinates"].split()) not in text:
                    errors.append(f"{w}: coordinate text {s['coordinates']!r} not found in {p}")
    for s in by_id.values():
        errors.append(f"{s['_line']}: {s['id']} missing from places/frontline.tsv "
                      "(run frontline.py build)")
    for m in warnings:
        print("warning: " + m)
    for e in errors:
        print("error: " + e)
    print(f"places/frontline.tsv: {len(rows)} rows checked against their sources, "
          f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["build", "check"])
    ap.add_argument("--pages", default=None, help="directory of saved page texts, <id>.txt")
    a = ap.parse_args()
    if a.command == "build":
        build()
    else:
        sys.exit(check(a.pages))


if __name__ == "__main__":
    main()
