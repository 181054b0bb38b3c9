#!/usr/bin/env python3
"""Compute the curated Caucasus geometries from reference points and polygons.

    python3 scripts/gazetteer/curate_lines.py [--reference DIR]

Writes (output is committed):
  gazetteer/features/caucasus-lines.geojson    roads and Armenia-Azerbaijan border sections
  gazetteer/features/caucasus-regions.geojson  Nagorno-Karabakh, Nakhchivan AR polygons
  gazetteer/places/curated.tsv                 refreshes lat/lon/source of the computed rows listed in
                                               COMPUTED_POINTS; every other row (hand-added) is kept as is.
Needs gazetteer/features/caucasus-admin1.geojson (written by build.py).
No coordinate is typed here: every vertex is a GeoNames point of shared/reference/geonames_caucasus.tsv
or comes from the Natural Earth polygons in shared/reference/boundaries/.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from build import label_point, orient_geom, round_geom, write_geojson  # noqa: E402

GN = {}


def gn(gid):
    r = GN[str(gid)]
    return (float(r[5]), float(r[4]))  # lon, lat


def load_gn(ref):
    with open(os.path.join(ref, "geonames_caucasus.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            GN[c[0]] = c


def feat(props, geom):
    base = {"id": "", "name": "", "kind": "", "country": "", "admin1": "", "population": None,
            "names": [], "source": ""}
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": round_geom(geom)}


def line_through(ids):
    return {"type": "LineString", "coordinates": [list(gn(i)) for i in ids]}


def gn_names(ids):
    return ", ".join(f"{GN[str(i)][1]} {i}" for i in ids)


ROADS = [
    {
        "id": "road-lachin-corridor", "name": "Lachin corridor", "kind": "road", "country": "",
        "names": ["Lachin road", "Lachin Corridor road", "Stepanakert-Goris highway", "Goris-Stepanakert road",
                  "Stepanakert-Goris road", "Khankendi-Lachin road", "Berdzor corridor", "Lachin highway",
                  "Laçın dəhlizi", "Лачинский коридор", "Լաչինի միջանցք"],
        "via": [146970, 147105, 147625, 174840, 174895],
        "what": "road Khankendi/Stepanakert - Shusha vicinity - Lachin/Berdzor - Kornidzor - Goris (pre-2022 route)",
    },
    {
        "id": "road-khankendi-khalfali-turshsu", "name": "Khankendi-Khalfali-Turshsu road", "kind": "road",
        "country": "AZ", "admin1": "",
        "names": ["Stepanakert-Lisagor road", "Khalfali road", "Khankendi-Turshsu road", "Xankəndi-Xəlfəli-Turşsu yolu",
                  "Khankendi-Khalfali road", "Stepanakert-Khalfali road"],
        "via": [146970, 393875],
        "what": "Khalfali itself is not in GeoNames cities500: straight line Khankendi - Turshsu/Lisagor",
    },
]


def border_sections(ref):
    from shapely.geometry import Point, shape
    from shapely.ops import linemerge, unary_union
    a0 = json.load(open(os.path.join(ref, "boundaries", "ne_10m_admin0_caucasus.geojson"), encoding="utf-8"))
    polys = {f["properties"]["ADM0_A3"]: shape(f["geometry"]) for f in a0["features"]}
    arm, aze = polys["ARM"], polys["AZE"]
    shared = arm.boundary.intersection(aze.buffer(1e-4))
    merged = linemerge(unary_union([g for g in getattr(shared, "geoms", [shared]) if g.geom_type in ("LineString", "MultiLineString")]))
    nakh_pt = Point(*gn(147429))
    parts = list(getattr(aze, "geoms", [aze]))
    nakh = [p for p in parts if p.contains(nakh_pt)][0]
    a1 = json.load(open(os.path.join(ref, "boundaries", "ne_10m_admin1_AZ_AM_GE.geojson"), encoding="utf-8"))
    marz = {f["properties"]["name"]: shape(f["geometry"]) for f in a1["features"] if f["properties"]["iso_a2"] == "AM"}
    groups = {}
    for ln in getattr(merged, "geoms", [merged]):
        cs = list(ln.coords)
        for a, b in zip(cs, cs[1:]):
            from shapely.geometry import LineString
            seg = LineString([a, b])
            mid = seg.interpolate(0.5, normalized=True)
            if nakh.distance(mid) < 1e-3:
                key = "nakhchivan"
            else:
                m = min(marz, key=lambda k: marz[k].distance(mid))
                key = {"Tavush": "tavush", "Gegharkunik": "gegharkunik", "Vayots Dzor": "gegharkunik",
                       "Syunik": "syunik"}.get(m, "other:" + m)
            groups.setdefault(key, []).append(seg)
    out = {}
    for k, segs in groups.items():
        out[k] = linemerge(unary_union(segs))
    return merged, out


SECTIONS = {
    "tavush": ("border-am-az-tavush", "Armenia-Azerbaijan border, Tavush-Tovuz/Gazakh section",
               ["Tavush-Tovuz border", "Tavush-Gazakh border", "Tovuz-Tavush border", "Gazakh-Tavush border",
                "Tavush section", "Tovuz section", "Gazakh section", "Tovuz border"]),
    "gegharkunik": ("border-am-az-gegharkunik", "Armenia-Azerbaijan border, Gegharkunik-Kalbajar section",
                    ["Gegharkunik-Kalbajar border", "Kalbajar-Gegharkunik border", "Gegharkunik section",
                     "Kalbajar section", "Vardenis-Kalbajar border", "Sotk border"]),
    "syunik": ("border-am-az-syunik", "Armenia-Azerbaijan border, Syunik-Lachin/Zangilan section",
               ["Syunik-Lachin border", "Syunik-Zangilan border", "Syunik-Gubadly border", "Syunik section",
                "Lachin section", "Zangilan section", "Syunik border"]),
    "nakhchivan": ("border-am-az-nakhchivan", "Armenia-Azerbaijan border, Nakhchivan-Armenia section",
                   ["Nakhchivan-Armenia border", "Armenia-Nakhchivan border", "Nakhchivan border",
                    "Nakhchivan section", "Sadarak border", "Yeraskh border"]),
}
BORDER_SRC = ("curated: computed by scripts/gazetteer/curate_lines.py with shapely 2.0.6: the part of the "
              "ARM polygon boundary within 1e-4 deg of the AZE polygon, Natural Earth admin-0 v5.1.1 "
              "(shared/reference/boundaries/ne_10m_admin0_caucasus.geojson); section = the AZE part holding "
              "Nakhchivan (GeoNames 147429) or else the nearest NE admin-1 Armenian marz to each edge")


def regions(ref, admin1_feats):
    from shapely.geometry import Point, mapping, shape
    from shapely.ops import unary_union
    by_id = {f["properties"]["id"]: shape(f["geometry"]) for f in admin1_feats}
    nk_units = ["adm1-az-khankendi", "adm1-az-khojaly", "adm1-az-khojavend", "adm1-az-shusha", "adm1-az-shusha-city"]
    nk = unary_union([by_id[i].buffer(0) for i in nk_units]).buffer(0.0005).buffer(-0.0005)
    ids = [146970, 147105, 148450]
    lon = sum(gn(i)[0] for i in ids) / 3
    lat = sum(gn(i)[1] for i in ids) / 3
    assert nk.contains(Point(lon, lat))
    out = [feat({
        "id": "region-nagorno-karabakh", "name": "Nagorno-Karabakh", "kind": "region", "country": "AZ",
        "names": ["Nagorno Karabakh", "Nagorny Karabakh", "Nagorno-Karabagh", "Karabakh", "Karabagh", "Artsakh",
                  "Mountainous Karabakh", "NKAO", "Nagorno-Karabakh Autonomous Oblast", "Republic of Artsakh",
                  "Nagorno-Karabakh Republic", "Upper Karabakh", "Dağlıq Qarabağ", "Qarabağ", "Yuxarı Qarabağ",
                  "Արցախ", "Լեռնային Ղարաբաղ", "Нагорный Карабах", "Карабах", "Арцах"],
        "source": ("curated: polygon = union (shapely 2.0.6) of the NE admin-1 v4.1.0 polygons of "
                   + ", ".join(nk_units) + " (the post-1991 AZ units that cover the former NKAO's Stepanakert, "
                   "Askeran, Martuni, Hadrut and Shusha districts; the Martakert/Aghdara district lies in the NE "
                   "Tartar and Kalbajar polygons, which are left out because they also hold lowland Tartar and "
                   "Kalbajar proper); label = mean of GeoNames " + gn_names(ids)),
        "label": [round(lon, 6), round(lat, 6)],
    }, mapping(orient_geom(nk)))]
    a0 = json.load(open(os.path.join(ref, "boundaries", "ne_10m_admin0_caucasus.geojson"), encoding="utf-8"))
    aze = [shape(f["geometry"]) for f in a0["features"] if f["properties"]["ADM0_A3"] == "AZE"][0]
    nakh = [p for p in getattr(aze, "geoms", [aze]) if p.contains(Point(*gn(147429)))][0]
    out.append(feat({
        "id": "adm1-az-nakhchivan", "name": "Nakhchivan Autonomous Republic", "kind": "admin1", "country": "AZ",
        "names": ["Nakhchivan", "Nakhchivan AR", "Nakhichevan", "Nakhchivan exclave", "Naxçıvan",
                  "Naxçıvan Muxtar Respublikası", "Нахичевань", "Նախիջևան"],
        "source": ("curated: polygon = the part of the Natural Earth admin-0 v5.1.1 AZE polygon that holds "
                   "GeoNames 147429 (Nakhchivan); GeoNames admin-1 AZ.35; label = GeoNames 147429"),
        "label": [round(gn(147429)[0], 6), round(gn(147429)[1], 6)],
    }, mapping(orient_geom(nakh))))
    return out


COMPUTED_POINTS = {
    "region-south-caucasus": {
        "name": "South Caucasus", "kind": "region", "country": "",
        "names": ["Southern Caucasus", "Transcaucasia", "Transcaucasus", "Caucasus", "Закавказье",
                  "Южный Кавказ", "Հարավային Կովկաս", "Cənubi Qafqaz", "სამხრეთ კავკასია"],
        "mean_of": [587084, 616052, 611717],
    },
    # Regions that news names but no admin unit matches: the mean of the
    # label points of the admin-1 units they span (from world-admin1.tsv).
    "region-donbas": {
        "name": "Donbas", "kind": "region", "country": "UA",
        "names": ["Donbass", "Donets Basin", "Донбас", "Донбасс"],
        "mean_of_places": ["adm1-ua-donets-k", "adm1-ua-luhans-k"],
    },
    "region-darfur": {
        "name": "Darfur", "kind": "region", "country": "SD",
        "names": ["Darfur region", "دارفور"],
        "mean_of_places": ["adm1-sd-central-darfur", "adm1-sd-eastern-darfur", "adm1-sd-north-darfur",
                           "adm1-sd-southern-darfur", "adm1-sd-western-darfur"],
    },
    "region-kashmir": {
        "name": "Kashmir", "kind": "region", "country": "",
        "names": ["Kashmir region", "Kashmir Valley", "کشمیر", "कश्मीर"],
        "mean_of_places": ["adm1-in-jammu-and-kashmir", "adm1-pk-azad-kashmir"],
    },
}


def place_points(ids):
    """(lon, lat) of gazetteer rows by id, from the generated world-admin1.tsv."""
    _, rows = common.read_tsv(os.path.join(common.GAZ, "places", "world-admin1.tsv"))
    by_id = {r["id"]: r for r in rows}
    return [(float(by_id[i]["lon"]), float(by_id[i]["lat"])) for i in ids]


def refresh_curated():
    path = os.path.join(common.GAZ, "places", "curated.tsv")
    rows = []
    if os.path.exists(path):
        _, rows = common.read_tsv(path)
    by_id = {r["id"]: r for r in rows}
    for rid, spec in COMPUTED_POINTS.items():
        if "mean_of" in spec:
            ids = spec["mean_of"]
            pts = [gn(i) for i in ids]
            what = "GeoNames " + gn_names(ids)
        else:
            ids = spec["mean_of_places"]
            pts = place_points(ids)
            what = "the label points of " + ", ".join(ids)
        lon = sum(p[0] for p in pts) / len(pts)
        lat = sum(p[1] for p in pts) / len(pts)
        r = by_id.get(rid, {"id": rid, "admin1": "", "population": ""})
        r.update({"name": spec["name"], "kind": spec["kind"], "country": spec["country"],
                  "names": spec["names"], "lat": round(lat, 6), "lon": round(lon, 6),
                  "source": "curated: mean of " + what + " (scripts/gazetteer/curate_lines.py)"})
        by_id[rid] = r
    return common.write_tsv(path, list(by_id.values()))


def main():
    common.ensure_venv(sys.argv)
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=None)
    args = ap.parse_args()
    ref = args.reference or common.default_reference()
    load_gn(ref)
    from shapely.geometry import mapping, LineString

    lines = []
    for r in ROADS:
        geom = line_through(r["via"])
        mid = LineString(geom["coordinates"]).interpolate(0.5, normalized=True)
        lines.append(feat({
            "id": r["id"], "name": r["name"], "kind": "road", "country": r["country"], "names": r["names"],
            "source": f"curated: {r['what']}; LineString through GeoNames {gn_names(r['via'])}",
            "label": [round(mid.x, 6), round(mid.y, 6)]}, geom))
    whole, sections = border_sections(ref)
    lab = whole.interpolate(0.5, normalized=True) if whole.geom_type == "LineString" else \
        max(whole.geoms, key=lambda g: g.length).interpolate(0.5, normalized=True)
    lines.append(feat({
        "id": "border-am-az", "name": "Armenia-Azerbaijan border", "kind": "border", "country": "",
        "names": ["Armenian-Azerbaijani border", "Azerbaijan-Armenia border", "Azerbaijani-Armenian border",
                  "Armenia–Azerbaijan border", "border with Armenia", "border with Azerbaijan",
                  "Azərbaycan-Ermənistan sərhədi", "Հայաստան-Ադրբեջան սահման", "армяно-азербайджанская граница"],
        "source": BORDER_SRC, "label": [round(lab.x, 6), round(lab.y, 6)]}, mapping(whole)))
    for key, g in sorted(sections.items()):
        if key not in SECTIONS:
            print(f"warning: border edges near marz {key} not in a named section", file=sys.stderr)
            continue
        fid, name, names = SECTIONS[key]
        longest = g if g.geom_type == "LineString" else max(g.geoms, key=lambda x: x.length)
        p = longest.interpolate(0.5, normalized=True)
        lines.append(feat({"id": fid, "name": name, "kind": "border", "country": "", "names": names,
                           "source": BORDER_SRC, "label": [round(p.x, 6), round(p.y, 6)]}, mapping(g)))
    lines.sort(key=lambda f: f["properties"]["id"])
    write_geojson(os.path.join(common.GAZ, "features", "caucasus-lines.geojson"), lines)

    a1 = json.load(open(os.path.join(common.GAZ, "features", "caucasus-admin1.geojson"), encoding="utf-8"))["features"]
    regs = regions(ref, a1)
    regs.sort(key=lambda f: f["properties"]["id"])
    write_geojson(os.path.join(common.GAZ, "features", "caucasus-regions.geojson"), regs)
    n = refresh_curated()
    print(f"caucasus-lines.geojson {len(lines)}; caucasus-regions.geojson {len(regs)}; curated.tsv {n}")
    for key, g in sorted(sections.items()):
        print(f"  border section {key}: {g.geom_type}, {g.length:.4f} deg")


if __name__ == "__main__":
    main()
