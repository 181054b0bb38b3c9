//! Every curated front-line place is found by each of its names: up to 100
//! rows of `gazetteer/places/frontline.tsv`, drawn with a fixed seed, each
//! name put in a one-sentence report and run through the real binary; the
//! incident must lie within 3 km of the row's point.
//!
//! A name that the bundled gazetteer also gives to another place more than
//! 3 km away (a namesake) cannot be settled by one sentence without context;
//! such names are listed on stderr and left out, and at most a fifth of the
//! names may be.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use eventmap::gazetteer::{normalize, Gazetteer, LoadOptions};
use serde_json::Value;

const SAMPLE: usize = 100;
const SEED: u64 = 13;
const MAX_KM: f64 = 3.0;

struct Row {
    id: String,
    lat: f64,
    lon: f64,
    names: Vec<String>,
}

fn rows() -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteer/places/frontline.tsv");
    let text = std::fs::read_to_string(&path).expect("read frontline.tsv");
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).expect(name);
    let (id, name, lat, lon, names) =
        (col("id"), col("name"), col("lat"), col("lon"), col("names"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let mut all = vec![c[name].to_string()];
            all.extend(
                c[names]
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            );
            Row {
                id: c[id].to_string(),
                lat: c[lat].parse().expect("lat"),
                lon: c[lon].parse().expect("lon"),
                names: all,
            }
        })
        .collect()
}

/// SplitMix64: a fixed, dependency-free sequence for the draw.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Up to `n` rows in a seeded random order (partial Fisher-Yates).
fn draw(mut all: Vec<Row>, n: usize, seed: u64) -> Vec<Row> {
    let mut s = seed;
    let k = n.min(all.len());
    for i in 0..k {
        let j = i + (next(&mut s) % (all.len() - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k);
    all
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = std::f64::consts::PI / 180.0;
    let h = ((b.0 - a.0) * r / 2.0).sin().powi(2)
        + (a.0 * r).cos() * (b.0 * r).cos() * ((b.1 - a.1) * r / 2.0).sin().powi(2);
    12742.0 * h.sqrt().asin()
}

/// Another bundled place more than `MAX_KM` away carries this name.
fn has_namesake(g: &Gazetteer, row: &Row, name: &str) -> Option<String> {
    g.candidates(&normalize(name)).iter().find_map(|&i| {
        let p = &g.places[i];
        let far = km((row.lat, row.lon), (p.lat, p.lon)) > MAX_KM;
        (p.id != row.id && far).then(|| p.id.clone())
    })
}

/// One article per (row, name) in `arts`, with its manifest; returns file ->
/// (row index, name) and the names left out because a namesake has them.
fn write_cases(g: &Gazetteer, sample: &[Row], arts: &Path) -> (Cases, Vec<String>) {
    let mut manifest = String::from("file,published\n");
    let mut cases = Cases::new();
    let mut namesakes = Vec::new();
    for (ri, row) in sample.iter().enumerate() {
        for name in &row.names {
            if let Some(other) = has_namesake(g, row, name) {
                namesakes.push(format!("{} {name:?} (also {other})", row.id));
                continue;
            }
            let file = format!("r{:05}.txt", cases.len());
            let text = format!(
                "Artillery shelled the village of {name} on 3 May 2021, killing two people.\n"
            );
            std::fs::write(arts.join(&file), text).unwrap();
            manifest.push_str(&format!("{file},2021-05-04\n"));
            cases.insert(file, (ri, name.clone()));
        }
    }
    std::fs::write(arts.join("index.csv"), manifest).unwrap();
    (cases, namesakes)
}

/// Runs the binary on `arts`; source file -> (lat, lon, location) of its
/// first incident.
fn placed(arts: &Path, out: &Path) -> BTreeMap<String, (f64, f64, String)> {
    let o = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .arg("extract")
        .arg(arts)
        .arg("--out-dir")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("run eventmap");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(out.join("incidents.geojson")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut got = BTreeMap::new();
    for f in v["features"].as_array().unwrap() {
        let p = &f["properties"];
        let c = &f["geometry"]["coordinates"];
        let file = p["source_file"].as_str().unwrap().to_string();
        let loc = p["location"].as_str().unwrap_or("").to_string();
        got.entry(file)
            .or_insert((c[1].as_f64().unwrap(), c[0].as_f64().unwrap(), loc));
    }
    got
}

type Cases = BTreeMap<String, (usize, String)>;

#[test]
fn curated_rows_are_found_by_every_name_within_3_km() {
    let sample = draw(rows(), SAMPLE, SEED);
    assert!(!sample.is_empty(), "frontline.tsv has no rows");
    let (g, _) = Gazetteer::load(&LoadOptions::default()).expect("bundled gazetteer");
    let dir = tempfile::tempdir().unwrap();
    let arts = dir.path().join("articles");
    std::fs::create_dir(&arts).unwrap();
    let (cases, namesakes) = write_cases(&g, &sample, &arts);
    let total = cases.len() + namesakes.len();
    eprintln!(
        "{} names left out (namesakes): {namesakes:#?}",
        namesakes.len()
    );
    assert!(
        namesakes.len() * 5 <= total,
        "too many names with namesakes: {} of {total}",
        namesakes.len()
    );
    let got = placed(&arts, &dir.path().join("out"));
    let mut bad = Vec::new();
    for (file, (ri, name)) in &cases {
        let row = &sample[*ri];
        match got.get(file) {
            None => bad.push(format!("{} {name:?}: no incident", row.id)),
            Some((lat, lon, loc)) => {
                let d = km((row.lat, row.lon), (*lat, *lon));
                if d > MAX_KM {
                    bad.push(format!(
                        "{} {name:?}: placed at {loc} {d:.1} km away",
                        row.id
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} names not found within {MAX_KM} km:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
}

#[test]
fn the_draw_is_fixed_by_the_seed() {
    let ids = |seed| -> Vec<String> { draw(rows(), 10, seed).into_iter().map(|r| r.id).collect() };
    assert_eq!(ids(SEED), ids(SEED));
    let all = rows().len();
    assert_eq!(draw(rows(), all + 5, SEED).len(), all);
}
