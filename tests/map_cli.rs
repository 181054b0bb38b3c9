//! `eventmap map` and the map written by `extract`: the real binary on the
//! fixtures in tests/fixtures/map (see its README).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/map")
        .join(name)
}

fn eventmap(args: &[&str], files: &[PathBuf], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(args)
        .args(files)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

/// The JSON of `<script type="application/json" id=...>`.
fn embedded(html: &str, id: &str) -> Value {
    let open = format!("<script type=\"application/json\" id=\"{id}\">");
    let start = html.find(&open).expect("element present") + open.len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

/// Each embedded layer's kind and its features' properties, as objects.
fn layers(html: &str) -> Vec<(String, Vec<serde_json::Map<String, Value>>)> {
    let data = embedded(html, "em-data");
    data["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let keys: Vec<&str> = l["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .collect();
            let feats = l["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    keys.iter()
                        .zip(f[2].as_array().unwrap())
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect()
                })
                .collect();
            (l["kind"].as_str().unwrap().to_string(), feats)
        })
        .collect()
}

fn features_of(path: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["features"].as_array().unwrap().clone()
}

/// Every http(s) URL in the text.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["http://", "https://"] {
        for (i, _) in html.match_indices(scheme) {
            let end = html[i..]
                .find(|c: char| c.is_whitespace() || "\"'<>)\\".contains(c))
                .map_or(html.len(), |e| i + e);
            out.push(html[i..end].to_string());
        }
    }
    out
}

/// URLs the page may hold without loading anything: the SVG namespace name
/// (an identifier, in Leaflet and the legend) and Leaflet's own home page
/// (in its default attribution, which the page replaces).
const IDENTIFIERS: [&str; 2] = ["http://www.w3.org/2000/svg", "https://leafletjs.com"];

#[test]
fn map_embeds_every_feature_of_every_layer() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.html");
    let files = [
        fixture("incidents.geojson"),
        fixture("statements.geojson"),
        fixture("events.geojson"),
    ];
    let o = eventmap(&["map"], &files, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("map of 3 incidents, 1 events, 2 statements written to"),
        "{stdout}"
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let got = layers(&html);
    let kinds: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["incidents", "events", "statements"]);
    for ((_, feats), file) in got.iter().zip([&files[0], &files[2], &files[1]]) {
        let want = features_of(file);
        assert_eq!(feats.len(), want.len());
        for (g, w) in feats.iter().zip(&want) {
            for (k, v) in w["properties"].as_object().unwrap() {
                if k != "wkt" {
                    assert_eq!(g.get(k).unwrap_or(&Value::Null), v, "{k}");
                }
            }
        }
    }
    assert_eq!(got[1].1[0]["sources"], 2);
    assert_eq!(got[1].1[0]["fatalities_high"], 12);
    // the road's line comes from its wkt
    let data = embedded(&html, "em-data");
    let road = &data["layers"][0]["features"][0];
    assert!(road[1][0].as_array().unwrap().len() >= 2, "{road}");
    // nothing to load: only identifiers and the data's own article links
    let data_urls: Vec<String> = files
        .iter()
        .flat_map(|f| urls(&std::fs::read_to_string(f).unwrap()))
        .collect();
    for u in urls(&html) {
        assert!(
            IDENTIFIERS.contains(&u.as_str()) || data_urls.contains(&u),
            "unexpected URL in the page: {u}"
        );
    }
}

#[test]
fn tiles_are_the_only_url_added() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.html");
    let tiles = "https://tiles.example.org/{z}/{x}/{y}.png";
    let o = eventmap(
        &["map", "--tiles", tiles, "--quiet"],
        &[fixture("statements.geojson")],
        &out,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty(), "--quiet");
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(embedded(&html, "em-config")["tiles"], tiles);
    for u in urls(&html) {
        assert!(
            IDENTIFIERS.contains(&u.as_str())
                || u == "https://tiles.example.org/{z}/{x}/{y}.png"
                || u == "https://tiles.example.org;",
            "unexpected URL in the page: {u}"
        );
    }
    let o = eventmap(
        &["map", "--tiles", "tiles.example.org"],
        &[fixture("statements.geojson")],
        &d.path().join("n.html"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid tile URL \"tiles.example.org\""));
    assert!(!d.path().join("n.html").exists());
}

#[test]
fn hostile_text_stays_inside_its_json() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.html");
    let o = eventmap(&["map"], &[fixture("hostile.geojson")], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("</script>").count(), 5, "only the page's own");
    assert!(!html.contains("<img src=x"));
    let want = &features_of(&fixture("hostile.geojson"))[0]["properties"];
    let got = &layers(&html)[0].1[0];
    for k in ["evidence", "location", "actor1", "url", "publisher"] {
        assert_eq!(&got[k], &want[k], "{k}");
    }
}

#[test]
fn a_bad_file_is_reported_and_the_others_drawn() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.html");
    let o = eventmap(
        &["map"],
        &[fixture("broken.geojson"), fixture("statements.geojson")],
        &out,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.geojson: invalid JSON"), "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(layers(&html)[0].1.len(), 2);
    // nothing readable: nothing written, exit 2
    let none = d.path().join("none.html");
    let o = eventmap(&["map"], &[fixture("broken.geojson")], &none);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no layer could be read"));
    assert!(!none.exists());
}

#[test]
fn extract_writes_the_map_unless_told_not_to() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], out: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_eventmap"))
            .current_dir(root)
            .args(["extract", "seeds", "--quiet", "--out-dir"])
            .arg(d.path().join(out))
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        d.path().join(out).join("map.html")
    };
    let map = run(&[], "a");
    let html = std::fs::read_to_string(&map).unwrap();
    let got = layers(&html);
    let n = |f: &str| features_of(&d.path().join("a").join(f)).len();
    let drawn = |kind: &str| {
        got.iter()
            .find(|(k, _)| k == kind)
            .map_or(0, |(_, f)| f.len())
    };
    assert_eq!(drawn("incidents"), n("incidents.geojson"));
    assert_eq!(drawn("statements"), n("statements.geojson"));
    assert_eq!(drawn("events"), n("events.geojson"));
    assert!(!run(&["--no-map"], "b").exists());
    assert!(
        !run(&["--format", "csv"], "c").exists(),
        "no GeoJSON written, no map"
    );
}
