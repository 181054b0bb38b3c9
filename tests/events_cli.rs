//! The events layer: `extract` on several outlets' reports of the same
//! incidents (tests/fixtures/multisource), and `eventmap fuse`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn eventmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn features(path: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["features"].as_array().unwrap().clone()
}

fn extract(out: &Path, extra: &[&str]) {
    let mut args = vec![
        "extract",
        "tests/fixtures/multisource",
        "--quiet",
        "--out-dir",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = eventmap(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The events by (date, location).
fn by_place(events: &[Value]) -> BTreeMap<(String, String), &Value> {
    events
        .iter()
        .map(|e| {
            let p = &e["properties"];
            let key = (
                p["event_date"].as_str().unwrap().to_string(),
                p["location"].as_str().unwrap().to_string(),
            );
            (key, &e["properties"])
        })
        .collect()
}

#[test]
fn each_incident_is_one_event_with_all_its_sources() {
    let d = tempfile::tempdir().unwrap();
    extract(d.path(), &[]);
    let incidents = features(&d.path().join("incidents.geojson"));
    let events = features(&d.path().join("events.geojson"));
    assert!(events.len() < incidents.len());
    let ev = by_place(&events);
    assert_eq!(ev.len(), events.len(), "one event per day and place");
    // (date, place) -> sources, fatalities, low, high
    let want = [
        (("2022-09-13", "Kapan"), 5, Some(2), Some(2), Some(3)),
        (("2022-09-13", "Sotk"), 4, Some(4), Some(4), Some(6)),
        (("2022-09-13", "Khndzoresk"), 2, Some(1), Some(1), Some(1)),
        (("2022-09-13", "Tegh"), 2, None, None, None),
        (("2022-09-15", "Kapan"), 1, None, None, None),
    ];
    assert_eq!(ev.len(), want.len(), "{:?}", ev.keys());
    for ((date, place), sources, n, lo, hi) in want {
        let p = ev[&(date.to_string(), place.to_string())];
        let num = |k: &str| p[k].as_u64().map(|x| x as u32);
        assert_eq!(p["sources"], sources, "{date} {place}");
        assert_eq!(num("fatalities"), n, "{date} {place}");
        assert_eq!(num("fatalities_low"), lo, "{date} {place}");
        assert_eq!(num("fatalities_high"), hi, "{date} {place}");
        let files: Vec<&str> = p["source_files"].as_str().unwrap().split("; ").collect();
        assert_eq!(files.len(), sources as usize);
        assert!(p["fusion_note"].as_str().unwrap().len() > 5);
    }
    // The copy is joined as a copy; the publishers of all five are kept.
    let kapan = ev[&("2022-09-13".to_string(), "Kapan".to_string())];
    assert!(kapan["fusion_note"]
        .as_str()
        .unwrap()
        .contains("the same sentence"));
    assert!(kapan["publishers"]
        .as_str()
        .unwrap()
        .contains("Regional Syndicate"));
    assert!(kapan["urls"]
        .as_str()
        .unwrap()
        .contains("https://wire.example/"));
    // Every incident names its event, and the events' members are exactly
    // the incidents.
    let mut members: Vec<String> = events
        .iter()
        .flat_map(|e| {
            e["properties"]["incident_ids"]
                .as_str()
                .unwrap()
                .split("; ")
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    members.sort();
    let mut ids: Vec<String> = incidents
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(members, ids);
    let event_ids: Vec<&str> = events
        .iter()
        .map(|e| e["properties"]["event_id"].as_str().unwrap())
        .collect();
    for f in &incidents {
        let e = f["properties"]["event_id"].as_str().unwrap();
        assert!(event_ids.contains(&e), "{e}");
    }
    // The CSVs agree with the GeoJSON.
    let csv = std::fs::read_to_string(d.path().join("events.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(r.records().count(), events.len());
    let header = std::fs::read_to_string(d.path().join("incidents.csv")).unwrap();
    assert!(header.lines().next().unwrap().ends_with(",wkt,event_id"));
    let types = std::fs::read_to_string(d.path().join("events.csvt")).unwrap();
    assert_eq!(types.trim().split(',').count(), r.headers().unwrap().len());
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn fuse_gives_file_mode_events_whatever_the_order_and_is_idempotent() {
    let d = tempfile::tempdir().unwrap();
    let files = d.path().join("files");
    extract(&files, &["--threads", "1"]);
    let want = read(&files.join("events.geojson"));
    let want_csv = read(&files.join("events.csv"));
    // The incidents as a reversed NDJSON file and an RFC 8142 sequence, in
    // two files.
    let incidents = features(&files.join("incidents.geojson"));
    let lines: Vec<String> = incidents.iter().rev().map(|f| f.to_string()).collect();
    let (first, second) = lines.split_at(lines.len() / 2);
    let a = d.path().join("a.geojsonl");
    let b = d.path().join("b.geojsons");
    std::fs::write(&a, first.join("\n") + "\n").unwrap();
    std::fs::write(
        &b,
        second
            .iter()
            .map(|l| format!("\u{1e}{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    for inputs in [
        vec![files.join("incidents.geojson")],
        vec![b.clone(), a.clone()],
        vec![a.clone(), b.clone()],
    ] {
        let out = d.path().join("fused");
        let mut args = vec!["fuse", "--quiet", "--out-dir", out.to_str().unwrap()];
        args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
        let o = eventmap(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(read(&out.join("events.geojson")) == want, "{inputs:?}");
        assert!(read(&out.join("events.csv")) == want_csv, "{inputs:?}");
    }
    // Two threads give the same events.
    let two = d.path().join("two");
    extract(&two, &["--threads", "2", "--sort-buffer", "0"]);
    assert!(read(&two.join("events.geojson")) == want);
    // --explain says why reports were joined.
    let o = eventmap(&[
        "fuse",
        "--explain",
        "--stdout",
        files.join("incidents.geojson").to_str().unwrap(),
    ]);
    let why = String::from_utf8_lossy(&o.stderr);
    assert!(
        why.contains("Kapan (Shelling/artillery/missile attack): 5 reports from 5 articles"),
        "{why}"
    );
    assert!(why.contains("5 events, 1 of one report"), "{why}");
    // Fusing the events again changes nothing.
    let again = d.path().join("again");
    let o = eventmap(&[
        "fuse",
        "--quiet",
        "--out-dir",
        again.to_str().unwrap(),
        files.join("events.geojson").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(&again.join("events.geojson")) == want);
    assert!(read(&again.join("events.csv")) == want_csv);
}

#[test]
fn bad_features_are_reported_and_the_rest_fused() {
    let d = tempfile::tempdir().unwrap();
    let files = d.path().join("files");
    extract(&files, &[]);
    let incidents = features(&files.join("incidents.geojson"));
    let mut text: String = incidents.iter().map(|f| f.to_string() + "\n").collect();
    text.push_str("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"id\":\"x#1\"}}\n");
    text.push_str("{not json\n");
    let input = d.path().join("in.geojsonl");
    std::fs::write(&input, text).unwrap();
    let o = eventmap(&[
        "fuse",
        input.to_str().unwrap(),
        "--stdout",
        "--format",
        "geojsonl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let n = incidents.len();
    assert!(
        err.contains(&format!(
            "in.geojsonl: feature {}: no usable geometry",
            n + 1
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "in.geojsonl: feature {}: not a GeoJSON feature (\"{{not json\")",
            n + 2
        )),
        "{err}"
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.lines().count(), 5);
    let missing = eventmap(&["fuse", "no/such/file.geojson", "--stdout"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no/such/file.geojson"));
}

#[test]
fn no_events_writes_the_incidents_as_before() {
    let d = tempfile::tempdir().unwrap();
    let o = eventmap(&[
        "extract",
        "seeds",
        "--quiet",
        "--no-events",
        "--out-dir",
        d.path().to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(!d.path().join("events.geojson").exists());
    let with = features(&root().join("output/incidents.geojson"));
    let without = features(&d.path().join("incidents.geojson"));
    assert_eq!(with.len(), without.len());
    for (a, b) in with.iter().zip(&without) {
        let mut a = a.clone();
        assert!(a["properties"]["event_id"].is_string());
        a["properties"].as_object_mut().unwrap().remove("event_id");
        assert_eq!(&a, b, "only event_id differs");
    }
}

#[test]
fn explain_shows_why_reports_were_joined() {
    let o = eventmap(&[
        "explain",
        "tests/fixtures/multisource/wire_kapan.txt",
        "tests/fixtures/multisource/ministry_bulletin.txt",
    ]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let part = text.split("events across these articles:").nth(1).unwrap();
    assert!(
        part.contains("Kapan (Shelling/artillery/missile attack): 2 reports from 2 articles"),
        "{part}"
    );
    assert!(part.contains("wire_kapan#1"), "{part}");
}

#[test]
fn every_format_carries_event_id_last() {
    let d = tempfile::tempdir().unwrap();
    extract(
        d.path(),
        &[
            "--format",
            "geojson,geojsonseq,geojsonl,csv",
            "--geometry",
            "native",
            "--excel",
        ],
    );
    let want: Vec<String> = features(&d.path().join("incidents.geojson"))
        .iter()
        .map(|f| f["properties"]["event_id"].as_str().unwrap().to_string())
        .collect();
    assert!(want.iter().all(|e| e.starts_with("ev-")));
    for (file, rs) in [("incidents.geojsons", true), ("incidents.geojsonl", false)] {
        let text = std::fs::read_to_string(d.path().join(file)).unwrap();
        let got: Vec<String> = text
            .lines()
            .map(|l| {
                let l = if rs {
                    l.strip_prefix('\u{1e}').unwrap()
                } else {
                    l
                };
                assert!(l.ends_with("}}"), "{file}");
                let v: Value = serde_json::from_str(l).unwrap();
                let id = v["properties"]["event_id"].as_str().unwrap().to_string();
                assert!(l.ends_with(&format!(",\"event_id\":\"{id}\"}}}}")), "{l}");
                id
            })
            .collect();
        assert_eq!(got, want, "{file}");
    }
    let csv = std::fs::read(d.path().join("incidents.csv")).unwrap();
    let mut r = csv::Reader::from_reader(&csv[3..]);
    assert_eq!(r.headers().unwrap().iter().next_back(), Some("event_id"));
    let got: Vec<String> = r
        .records()
        .map(|x| x.unwrap().iter().next_back().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
    let csvt = std::fs::read_to_string(d.path().join("incidents.csvt")).unwrap();
    assert_eq!(csvt.trim().split(',').count(), r.headers().unwrap().len());
    assert!(d.path().join("events.geojsons").is_file());
    assert!(d.path().join("events.geojsonl").is_file());
}

#[test]
fn fuse_with_a_manifest_knows_publication_dates() {
    let d = tempfile::tempdir().unwrap();
    let files = d.path().join("files");
    extract(&files, &[]);
    // The local daily (published on the 14th) dates its Khndzoresk report
    // to the 14th; the ministry (published on the 13th) to the 13th.
    let text: String = features(&files.join("incidents.geojson"))
        .into_iter()
        .map(|mut f| {
            if f["properties"]["id"] == "local_daily#2" {
                f["properties"]["event_date"] = "2022-09-14".into();
            }
            f.to_string() + "\n"
        })
        .collect();
    let input = d.path().join("in.geojsonl");
    std::fs::write(&input, text).unwrap();
    let khndzoresk = |extra: &[&str]| {
        let mut args = vec![
            "fuse",
            input.to_str().unwrap(),
            "--stdout",
            "--format",
            "geojsonl",
        ];
        args.extend_from_slice(extra);
        let o = eventmap(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|e| e["properties"]["location"] == "Khndzoresk")
            .map(|e| e["properties"]["sources"].as_u64().unwrap())
            .collect::<Vec<u64>>()
    };
    assert_eq!(
        khndzoresk(&[]),
        [1, 1],
        "a day apart, no night word, dates unknown"
    );
    let manifest = root().join("tests/fixtures/multisource/index.csv");
    assert_eq!(
        khndzoresk(&["--manifest", manifest.to_str().unwrap()]),
        [2],
        "published on different days"
    );
}
