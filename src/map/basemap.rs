//! The base map embedded in the page (assets/basemap, built by
//! scripts/map/basemap.py): the world's countries always, and the admin-1
//! units of the area the data are in.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

const WORLD: &str = include_str!("../../assets/basemap/world.json");
const CAUCASUS: &str = include_str!("../../assets/basemap/caucasus.json");
const ADMIN1: &str = include_str!("../../assets/basemap/admin1.json");

/// How far (degrees) around a unit's bounding box a marker still selects it.
const MARGIN: f64 = 0.5;

/// `{"world": ..., "regional": ..., "admin1": ...}`: the countries; the
/// finer outlines of Armenia, Azerbaijan and Georgia with their admin-1
/// units when a marker lies in their bounding box (else null); the other
/// admin-1 units whose bounding box (widened by [`MARGIN`]) holds a marker.
pub(crate) fn basemap_json(points: &[[f64; 2]]) -> String {
    let c = caucasus_bounds();
    let regional = points.iter().any(|p| inside(p, c, 0.0));
    let units = admin1_units();
    let near = Cells::new(points);
    let chosen: Vec<&str> = units
        .iter()
        .filter(|(b, _)| near.any_within(*b, MARGIN))
        .map(|(_, f)| *f)
        .collect();
    format!(
        "{{\"world\":{},\"regional\":{},\"admin1\":{{\"type\":\"FeatureCollection\",\"features\":[{}]}}}}",
        WORLD.trim(),
        if regional { CAUCASUS.trim() } else { "null" },
        chosen.join(",")
    )
}

fn inside(p: &[f64; 2], b: [f64; 4], margin: f64) -> bool {
    p[0] >= b[0] - margin && p[0] <= b[2] + margin && p[1] >= b[1] - margin && p[1] <= b[3] + margin
}

/// Markers by the whole degrees of their position, to find those near a
/// bounding box without testing every marker against every unit.
struct Cells<'a>(HashMap<(i32, i32), Vec<&'a [f64; 2]>>);

impl<'a> Cells<'a> {
    fn new(points: &'a [[f64; 2]]) -> Self {
        let mut m: HashMap<(i32, i32), Vec<&[f64; 2]>> = HashMap::new();
        for p in points {
            m.entry((p[0].floor() as i32, p[1].floor() as i32))
                .or_default()
                .push(p);
        }
        Cells(m)
    }

    fn any_within(&self, b: [f64; 4], margin: f64) -> bool {
        let (x0, x1) = (
            (b[0] - margin).floor() as i32,
            (b[2] + margin).floor() as i32,
        );
        let (y0, y1) = (
            (b[1] - margin).floor() as i32,
            (b[3] + margin).floor() as i32,
        );
        if (x1 - x0 + 1) as usize * (y1 - y0 + 1) as usize > self.0.len() {
            // a big unit: fewer cells hold markers than it covers
            return self.0.values().flatten().any(|p| inside(p, b, margin));
        }
        let keys: HashSet<(i32, i32)> = (x0..=x1)
            .flat_map(|x| (y0..=y1).map(move |y| (x, y)))
            .collect();
        keys.iter()
            .filter_map(|k| self.0.get(k))
            .flatten()
            .any(|p| inside(p, b, margin))
    }
}

/// Each bundled admin-1 unit's bounding box and its feature's JSON text.
fn admin1_units() -> &'static [([f64; 4], &'static str)] {
    static UNITS: OnceLock<Vec<([f64; 4], &'static str)>> = OnceLock::new();
    UNITS.get_or_init(|| {
        // Each feature stays the text it is in the file; only its bounding
        // box is parsed (building a `Value` of every outline and writing it
        // back took half of a small run).
        let all: Collection = serde_json::from_str(ADMIN1).unwrap_or_default();
        all.features
            .into_iter()
            .filter_map(|raw| {
                let unit: Unit = serde_json::from_str(raw.get()).ok()?;
                Some((unit.properties.bbox, raw.get()))
            })
            .collect()
    })
}

#[derive(Deserialize, Default)]
struct Collection {
    #[serde(borrow)]
    features: Vec<&'static RawValue>,
}

#[derive(Deserialize)]
struct Unit {
    properties: UnitProperties,
}

#[derive(Deserialize)]
struct UnitProperties {
    bbox: [f64; 4],
}

/// The bounding box of the bundled Caucasus outlines (from the file).
fn caucasus_bounds() -> [f64; 4] {
    static B: OnceLock<[f64; 4]> = OnceLock::new();
    *B.get_or_init(|| {
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        let v: Value = serde_json::from_str(CAUCASUS).unwrap_or(Value::Null);
        fn walk(v: &Value, b: &mut [f64; 4]) {
            if let Some(a) = v.as_array() {
                if let (Some(x), Some(y)) = (
                    a.first().and_then(Value::as_f64),
                    a.get(1).and_then(Value::as_f64),
                ) {
                    *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                } else {
                    a.iter().for_each(|x| walk(x, b));
                }
            }
        }
        for f in v["features"].as_array().into_iter().flatten() {
            walk(&f["geometry"]["coordinates"], &mut b);
        }
        b
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `[lon, lat]` of a bundled gazetteer entry (places TSVs, or the
    /// label of a feature), so no test types coordinates.
    pub(crate) fn gazetteer_point(id: &str) -> [f64; 2] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteer");
        for dir in ["places", "features"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
                if dir == "places" {
                    if let Some(line) = text.lines().find(|l| l.starts_with(&format!("{id}\t"))) {
                        let c: Vec<&str> = line.split('\t').collect();
                        return [c[6].parse().unwrap(), c[5].parse().unwrap()];
                    }
                } else if let Ok(v) = serde_json::from_str::<Value>(&text) {
                    for f in v["features"].as_array().into_iter().flatten() {
                        if f["properties"]["id"] == id {
                            let l = &f["properties"]["label"];
                            return [l[0].as_f64().unwrap(), l[1].as_f64().unwrap()];
                        }
                    }
                }
            }
        }
        panic!("{id} is not in the bundled gazetteer")
    }

    fn names(points: &[[f64; 2]]) -> Vec<String> {
        let v: Value = serde_json::from_str(&basemap_json(points)).unwrap();
        let mut n: Vec<String> = v["admin1"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["properties"]["country"].as_str().unwrap(),
                    f["properties"]["name"].as_str().unwrap()
                )
            })
            .collect();
        n.sort();
        n
    }

    #[test]
    fn admin1_units_only_where_the_markers_are() {
        assert!(names(&[]).is_empty());
        let kyiv = names(&[gazetteer_point("adm1-ua-kiev-city")]);
        assert!(kyiv.iter().any(|n| n.starts_with("UA ")), "{kyiv:?}");
        assert!(
            kyiv.iter()
                .all(|n| n.starts_with("UA ") || n.starts_with("BY ")),
            "{kyiv:?}"
        );
        assert!(kyiv.len() < 10, "{kyiv:?}");
        // Armenia, Azerbaijan and Georgia come from the finer regional set
        let nk = gazetteer_point("region-nagorno-karabakh");
        let v: Value = serde_json::from_str(&basemap_json(&[nk])).unwrap();
        assert!(v["regional"]["features"].as_array().unwrap().len() > 50);
        assert!(v["admin1"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !["AM", "AZ", "GE"].contains(&f["properties"]["country"].as_str().unwrap())));
    }

    #[test]
    fn cells_find_the_same_as_testing_every_marker() {
        let pts: Vec<[f64; 2]> = (0..400)
            .map(|i| {
                [
                    ((i * 37) % 360) as f64 - 180.0 + 0.3,
                    ((i * 11) % 170) as f64 - 85.0 + 0.7,
                ]
            })
            .collect();
        let cells = Cells::new(&pts);
        for b in [
            [10.0, 10.0, 12.5, 11.0],
            [-180.0, -90.0, 180.0, 90.0],
            [100.2, -5.0, 100.4, 60.0],
            [0.0, 0.0, 0.1, 0.1],
        ] {
            let brute = pts.iter().any(|p| inside(p, b, MARGIN));
            assert_eq!(cells.any_within(b, MARGIN), brute, "{b:?}");
        }
    }
}
