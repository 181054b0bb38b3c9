#!/usr/bin/env python3
"""Check an events layer against gold incidents: does any event join two
gold incidents?

    scripts/check-events.py SCORE.py GOLD.json OUTDIR [-v]

OUTDIR holds incidents.geojson and events.geojson of one `eventmap extract`
run. Each predicted incident is matched to the gold of its article with the
scorer's own rules (SCORE.py: geometry within the gold tolerance, compatible
date, optimal one-to-one matching). An event "joins two gold incidents" when
its members match two different gold ids; such a join is "contradictory"
when those gold incidents cannot be one incident (dates more than one day
apart, or points farther apart than both tolerances), and "same-article"
when they are gold incidents of one article. Gold does not link incidents
across articles, so two articles' gold entries of one real incident (one
place, one day) count as joined but not as contradictory.
Python 3 standard library only.
"""
import importlib.util
import json
import sys


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def match(sc, gold, pred):
    """Predicted incident id -> (doc, gold incident) with the scorer's rules."""
    out = {}
    for doc, g in gold["docs"].items():
        gi, pi = g.get("incidents", []), pred.get(doc, [])
        if not gi or not pi:
            continue
        cost = []
        for gg in gi:
            row = []
            for pf in pi:
                props = pf.get("properties") or {}
                d = sc.geom_dist(pf.get("geometry"), gg["lat"], gg["lon"])
                dm = sc.date_match(props.get("event_date"), gg)
                if d <= gg["tol_km"] and dm is not None:
                    w = dm[0] * 10 + d / max(gg["tol_km"], 1e-9)
                    w += 0 if props.get("event_date") == gg.get("date") else 1
                    w += 3 if sc.fat_ok(props.get("fatalities"), gg.get("fatalities")) is False else 0
                    w += 2 if props.get("event_type") not in gg.get("types", []) else 0
                    w += 1000 if gg.get("optional") else 0
                    row.append(w)
                else:
                    row.append(sc.BIG)
            cost.append(row)
        for r, c in sc.hungarian(cost):
            if r < len(gi) and c < len(pi) and cost[r][c] < sc.BIG:
                out[pi[c]["properties"]["id"]] = (doc, gi[r])
    return out


def contradictory(sc, a, b):
    da, db = sc.day_num(a.get("date") or ""), sc.day_num(b.get("date") or "")
    if da is not None and db is not None and abs(da - db) > 1:
        return True
    km = sc.haversine(a["lat"], a["lon"], b["lat"], b["lon"])
    return km > a["tol_km"] + b["tol_km"]


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    sc = load_scorer(sys.argv[1])
    verbose = "-v" in sys.argv
    with open(sys.argv[2], encoding="utf-8") as f:
        gold = json.load(f)
    out = sys.argv[3]
    pred, _, n_inc = sc.load_pred(f"{out}/incidents.geojson")
    with open(f"{out}/events.geojson", encoding="utf-8") as f:
        events = json.load(f)["features"]
    matched = match(sc, gold, pred)
    joined = bad = same_doc = multi = 0
    for e in events:
        p = e["properties"]
        ids = p["incident_ids"].split("; ")
        multi += len(ids) > 1
        golds = {}
        for i in ids:
            if i in matched:
                doc, g = matched[i]
                golds[g["id"]] = (doc, g)
        if len(golds) < 2:
            continue
        joined += 1
        pairs = [(x, y) for x in golds.values() for y in golds.values() if x[1]["id"] < y[1]["id"]]
        is_bad = any(contradictory(sc, x[1], y[1]) for x, y in pairs)
        is_same = any(x[0] == y[0] for x, y in pairs)
        bad += is_bad
        same_doc += is_same
        if verbose or is_bad or is_same:
            print(f"{p['event_id']} {p['event_date']} {p['location']}: gold {sorted(golds)}"
                  f"{' CONTRADICTORY' if is_bad else ''}{' SAME-ARTICLE' if is_same else ''}")
    print(f"incidents {n_inc}, events {len(events)} ({multi} of several reports); "
          f"events joining two gold incidents: {joined}, contradictory {bad}, same-article {same_doc}")
    return 1 if bad or same_doc else 0


if __name__ == "__main__":
    sys.exit(main())
