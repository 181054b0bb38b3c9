#!/usr/bin/env python3
"""Write a large synthetic incidents layer for the map's scale test.

Takes the features of a real layer (default output/incidents.geojson) and
repeats them N times with moved positions (up to +-3 degrees around the
original place, deterministic), dates spread over three years, a fresh id
and a varied event type, so the page has N distinct features to filter and
draw. Standard library only.

Usage: python3 scripts/map/synthetic.py N OUT.geojson [SOURCE.geojson]
"""
import datetime
import json
import random
import sys

TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians",
         "Protests", "Riots", "Strategic developments"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    src = sys.argv[3] if len(sys.argv) > 3 else "output/incidents.geojson"
    base = json.load(open(src))["features"]
    if not base:
        sys.exit(f"{src} has no features to repeat")
    rnd = random.Random(7)
    start = datetime.date(2020, 1, 1)
    feats = []
    for i in range(n):
        f = json.loads(json.dumps(base[i % len(base)]))
        x, y = f["geometry"]["coordinates"][:2]
        f["geometry"] = {"type": "Point", "coordinates": [
            round(x + rnd.uniform(-3, 3), 5), round(y + rnd.uniform(-3, 3), 5)]}
        p = f["properties"]
        p["id"] = f["id"] = f"synthetic#{i + 1}"
        p["event_date"] = (start + datetime.timedelta(days=rnd.randrange(3 * 365))).isoformat()
        p["date_precision"] = "day"
        p["event_type"] = TYPES[rnd.randrange(len(TYPES))]
        p["fatalities"] = rnd.choice([None, 0, 1, 2, 5, 12])
        p["geo_precision"] = rnd.choice([1, 1, 2, 3])
        p.pop("wkt", None)
        feats.append(f)
    with open(out, "w") as fh:
        json.dump({"type": "FeatureCollection", "features": feats}, fh, ensure_ascii=False,
                  separators=(",", ":"))
    print(f"{out}: {n} features")


if __name__ == "__main__":
    main()
