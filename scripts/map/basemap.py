#!/usr/bin/env python3
"""Build the base map that `eventmap map` embeds (assets/basemap/).

Inputs (public domain Natural Earth data):
  - world country outlines: npm `world-atlas@2.0.2`, countries-110m.json
    (Natural Earth 1:110m, TopoJSON); fetched with `npm pack` when --world is
    not given;
  - the Caucasus: gazetteer/boundaries/ne_10m_admin0_caucasus.geojson
    (Natural Earth 1:10m admin-0) and gazetteer/features/caucasus-admin1.geojson
    (Natural Earth admin-1, see gazetteer/README.md).

Outputs, simplified (Douglas-Peucker) and rounded so the embedded base map
stays small:
  - assets/basemap/world.json: {"type":"FeatureCollection"} of countries
    (properties: name), 2 decimals;
  - assets/basemap/admin1.json: first-level units of the world except
    Armenia, Azerbaijan and Georgia (properties: name, country, bbox),
    from Natural Earth admin-1 v4.1.0 as generalized in QGIS's
    world_map.gpkg (Debian qgis-common; layer states_provinces), simplified
    by ogr2ogr, 2 decimals; eventmap embeds only the units where the data
    lie;
  - assets/basemap/caucasus.json: admin-0 (level 0) of Armenia, Azerbaijan and
    Georgia and their admin-1 units (level 1), 3 decimals; eventmap embeds it only when the
    data lie in its bounding box.

Usage: python3 scripts/map/basemap.py [--world countries-110m.json] [--admin1-gpkg world_map.gpkg]
Standard library, plus ogr2ogr (GDAL) for the admin-1 units.
"""
import argparse
import json
import os
import subprocess
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORLD_PKG = "world-atlas@2.0.2"


def fetch_world():
    tmp = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", WORLD_PKG, "--silent"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")][0]
    with tarfile.open(os.path.join(tmp, tgz)) as t:
        member = t.getmember("package/countries-110m.json")
        return json.load(t.extractfile(member))


def topo_arcs(topo):
    """Absolute coordinates of every arc of a quantized topology."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([x * sx + tx, y * sy + ty])
        out.append(pts)
    return out


def topo_ring(arcs, idx):
    ring = []
    for i in idx:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(pts if not ring else pts[1:])
    return ring


def topo_features(topo, name):
    arcs = topo_arcs(topo)
    feats = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        rings = [[topo_ring(arcs, r) for r in poly] for poly in polys]
        feats.append({"name": g.get("properties", {}).get("name"), "polys": rings})
    return feats


def perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(pts, tol):
    """Douglas-Peucker, iterative; keeps the end points."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, k = -1.0, -1
        for m in range(i + 1, j):
            d = perp(pts[m], pts[i], pts[j])
            if d > best:
                best, k = d, m
        if best > tol:
            keep[k] = True
            stack += [(i, k), (k, j)]
    return [p for p, f in zip(pts, keep) if f]


def unwrap(ring):
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) as one
    piece east of 180 degrees, so it is not drawn as a band across the map."""
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:])):
        shifted = [[x + 360 if x < 0 else x, y] for x, y in ring]
        xs = [x for x, _ in shifted]
        # Antarctica goes round the whole globe: it stays as it is.
        if max(xs) - min(xs) < 300:
            return shifted
    return ring


def clean_polys(polys, tol, digits):
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            r = simplify(unwrap(ring), tol)
            r = [[round(x, digits), round(y, digits)] for x, y in r]
            dedup = [p for i, p in enumerate(r) if i == 0 or p != r[i - 1]]
            if len(dedup) >= 4:
                rings.append(dedup)
        if rings:
            out.append(rings)
    return out


def ring_dist(p, ring):
    return min(perp(p, ring[i], ring[i + 1]) for i in range(len(ring) - 1))


def inside(p, ring):
    x, y = p
    c = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            c = not c
    return c


def label_point(polys):
    """A point well inside the largest polygon (grid search, then a finer
    grid around the best cell), for the country's name label."""
    def area(r):
        return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(r, r[1:]))) / 2
    outer = max((p[0] for p in polys), key=area)
    xs, ys = [p[0] for p in outer], [p[1] for p in outer]
    box = [min(xs), min(ys), max(xs), max(ys)]
    best, best_d = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2], -1.0
    for _ in range(2):
        w, h = (box[2] - box[0]) / 12, (box[3] - box[1]) / 12
        for i in range(13):
            for j in range(13):
                p = [box[0] + i * w, box[1] + j * h]
                if inside(p, outer):
                    d = ring_dist(p, outer)
                    if d > best_d:
                        best, best_d = p, d
        box = [best[0] - w, best[1] - h, best[0] + w, best[1] + h]
    return [round(best[0], 2), round(best[1], 2)]


def feature(props, polys):
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "MultiPolygon", "coordinates": polys}}


def geojson_polys(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    return []


def write(path, feats):
    with open(path, "w") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f,
                  separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print(f"{os.path.relpath(path, ROOT)}: {len(feats)} features, {os.path.getsize(path)} bytes")


GPKG = "/usr/share/qgis/resources/data/world_map.gpkg"


def world_admin1(gpkg):
    """Admin-1 units outside the Caucasus set, simplified by ogr2ogr."""
    tmp = os.path.join(tempfile.mkdtemp(), "admin1.geojson")
    subprocess.run(["ogr2ogr", "-f", "GeoJSON", "-simplify", "0.04", "-select", "iso_a2,name",
                    tmp, gpkg, "states_provinces"], check=True)
    out = []
    for f in json.load(open(tmp))["features"]:
        p = f["properties"]
        if not f["geometry"] or p["iso_a2"] in ("AM", "AZ", "GE"):
            continue
        polys = clean_polys(geojson_polys(f["geometry"]), 0.0, 2)
        if not polys:
            continue
        xs = [x for poly in polys for ring in poly for x, _ in ring]
        ys = [y for poly in polys for ring in poly for _, y in ring]
        props = {"name": p["name"], "country": p["iso_a2"],
                 "bbox": [min(xs), min(ys), max(xs), max(ys)]}
        out.append(feature(props, polys))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world", help="countries-110m.json of world-atlas [default: npm pack]")
    ap.add_argument("--admin1-gpkg", default=GPKG, help=f"QGIS world_map.gpkg [default: {GPKG}]")
    args = ap.parse_args()
    topo = json.load(open(args.world)) if args.world else fetch_world()
    out_dir = os.path.join(ROOT, "assets", "basemap")
    os.makedirs(out_dir, exist_ok=True)
    world = []
    for f in topo_features(topo, "countries"):
        polys = clean_polys(f["polys"], 0.02, 2)
        if polys:
            props = {"name": f["name"], "label": label_point(polys)}
            world.append(feature(props, polys))
    write(os.path.join(out_dir, "world.json"), world)

    write(os.path.join(out_dir, "admin1.json"), world_admin1(args.admin1_gpkg))

    cauc = []
    a0 = json.load(open(os.path.join(ROOT, "gazetteer/boundaries/ne_10m_admin0_caucasus.geojson")))
    for f in a0["features"]:
        # Russia, Iran and Turkey come whole in this file; the world layer
        # draws them, this one only the three countries of the admin-1 set.
        if f["properties"]["ISO_A2"] not in ("AM", "AZ", "GE"):
            continue
        polys = clean_polys(geojson_polys(f["geometry"]), 0.01, 3)
        if polys:
            cauc.append(feature({"name": f["properties"]["NAME"], "level": 0}, polys))
    a1 = json.load(open(os.path.join(ROOT, "gazetteer/features/caucasus-admin1.geojson")))
    for f in a1["features"]:
        if f["properties"].get("kind") != "admin1":
            continue
        polys = clean_polys(geojson_polys(f["geometry"]), 0.004, 3)
        if polys:
            props = {"name": f["properties"]["name"], "level": 1}
            if f["properties"].get("label"):
                props["label"] = [round(v, 3) for v in f["properties"]["label"]]
            cauc.append(feature(props, polys))
    write(os.path.join(out_dir, "caucasus.json"), cauc)


if __name__ == "__main__":
    main()
