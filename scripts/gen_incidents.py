#!/usr/bin/env python3
"""Generate synthetic incidents for benchmarking `eventmap fuse`.

    scripts/gen_incidents.py N SEED OUT.geojsonl

Writes N incident features, one per line (the `--format geojsonl` layout
eventmap writes), with every property of eventmap's incident schema. Each
invented incident is reported by 1-6 articles (so about a third as many
events as incidents), at one of 5,000 invented places (precision 1 or 2,
some reports "near" a place up to 8 km off) or, one report in ten, at the
first of 40 square regions holding the place (precision 3, the polygon in `wkt`), over two years.
Reports of one incident differ in toll and wording; one in twenty is a
word-for-word copy of another report (a syndicated article). Lines are
shuffled, so input order says nothing. Reproducible from SEED.
"""
import json
import math
import random
import sys

SUBS = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
]
ACTORS = ["Military Forces of A", "Military Forces of B", "Rebel Group C", "Civilians (A)"]
WORDS = ("shells struck the area near the market while residents sheltered and officials "
         "said fighting continued through the afternoon with heavy weapons and drones").split()


def main():
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(seed)
    places = [(f"syn-{i}", 40.0 + rnd.random() * 12, 36.0 + rnd.random() * 6) for i in range(5000)]
    regions = []
    for i in range(40):
        w, s = 40.0 + rnd.random() * 10, 36.0 + rnd.random() * 5
        regions.append((f"region-{i}", w, s, w + 1.5, s + 1.0))
    lines = []
    incident = 0
    while len(lines) < n:
        incident += 1
        day = rnd.randrange(730)
        date = f"{2023 + day // 365}-{(day % 365) // 31 % 12 + 1:02d}-{day % 28 + 1:02d}"
        gid, lon, lat = rnd.choice(places)
        etype, sub = rnd.choice(SUBS)
        killed = rnd.choice([None, 0, 1, 2, 3, 5, 8])
        a1, a2 = rnd.sample(ACTORS, 2)
        first = None
        for k in range(rnd.randint(1, 6)):
            art = f"art{incident:07d}-{k}"
            props = {
                "id": f"{art}#1", "kind": "incident", "source_file": f"{art}.txt",
                "event_date": date, "date_precision": "day", "event_type": etype,
                "sub_event_type": sub, "location": f"Place {gid}", "gazetteer_id": gid,
                "geo_precision": 1, "fatalities": None if killed is None else killed + rnd.choice([0, 0, 1, 2]),
                "actor1": a1, "actor2": a2, "reported_by": rnd.choice([None, "Ministry of A", "Ministry of B"]),
                "evidence": " ".join(rnd.choice(WORDS) for _ in range(22)) + ".",
                "fatalities_low": None, "fatalities_high": None, "injured": rnd.choice([None, 1, 4]),
                "country": "XX", "admin1": None, "matched_text": gid, "char_start": 10, "char_end": 160,
                "publisher": f"Outlet {rnd.randrange(300)}", "url": f"https://news.example/{art}",
                "confidence": 0.8,
            }
            plon, plat = lon, lat
            if k and rnd.random() < 0.2:  # "near" the place, up to 8 km off
                props["geo_precision"] = 2
                props["gazetteer_id"] = f"{gid}-near{k}"
                plat += (rnd.random() - 0.5) * 0.1
                plon += (rnd.random() - 0.5) * 0.1 / math.cos(math.radians(lat))
            inside = [r for r in regions if r[1] <= lon <= r[3] and r[2] <= lat <= r[4]]
            if k and inside and rnd.random() < 0.1:  # region-level report
                rid, w, s, e, nn = inside[0]
                props.update(geo_precision=3, gazetteer_id=rid, location=f"Region {rid}")
                plon, plat = (w + e) / 2, (s + nn) / 2
                props["wkt"] = f"POLYGON (({w} {s}, {e} {s}, {e} {nn}, {w} {nn}, {w} {s}))"
            else:
                props["wkt"] = f"POINT ({plon:.6f} {plat:.6f})"
            if first is not None and rnd.random() < 0.05:
                props["evidence"] = first
            first = first or props["evidence"]
            for key in ("fatalities_low", "fatalities_high"):
                props[key] = props["fatalities"]
            lines.append(json.dumps({
                "type": "Feature", "id": props["id"],
                "geometry": {"type": "Point", "coordinates": [round(plon, 6), round(plat, 6)]},
                "properties": props}, separators=(",", ":")))
    lines = lines[:n]
    rnd.shuffle(lines)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
