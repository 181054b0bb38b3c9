//! Output writers, end to end: the real `eventmap` binary on `seeds/`, and
//! the library's `write_all` on hand-built records (Point, LineString,
//! Polygon, non-ASCII text). These tests hold whether the extractor finds
//! no records or many.
//!
//! `EVENTMAP_SAMPLE_OUT=DIR cargo test --test output_cli sample_outputs`
//! keeps the sample layers in DIR, for `scripts/check-outputs.sh DIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use eventmap::output::{write_all, Format, GeometryMode, OutputOptions};
use eventmap::record::{DatePrecision, Record, RecordKind};
use geo::{Geometry, LineString, Point, Polygon};
use serde_json::Value;

/// CODEBOOK section 7, independent of the writer's own list.
const CODEBOOK: [&str; 15] = [
    "id",
    "kind",
    "source_file",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "location",
    "gazetteer_id",
    "geo_precision",
    "fatalities",
    "actor1",
    "actor2",
    "reported_by",
    "evidence",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn eventmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run eventmap")
}

fn extract(out: &Path, extra: &[&str]) -> Output {
    let seeds = root().join("seeds");
    let mut args = vec![
        "extract",
        seeds.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = eventmap(&args);
    assert!(
        o.status.success(),
        "eventmap failed: {}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Check a FeatureCollection file; returns its features.
fn check_collection(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    assert_eq!(v["type"], "FeatureCollection", "{path:?}");
    assert!(v.get("crs").is_none());
    let feats = v["features"].as_array().expect("features array").clone();
    for f in &feats {
        check_feature(f);
    }
    feats
}

fn check_feature(f: &Value) {
    assert_eq!(f["type"], "Feature");
    assert!(f["id"].is_string(), "id must be a string: {f}");
    let props = f["properties"].as_object().expect("properties object");
    for p in CODEBOOK {
        assert!(props.contains_key(p), "feature {} lacks {p}", f["id"]);
    }
    assert!(props.contains_key("wkt"));
    assert_eq!(f["id"], props["id"]);
    let c = &f["geometry"]["coordinates"];
    assert!(c.is_array(), "geometry with coordinates: {f}");
}

/// Rows of a CSV file (BOM stripped); asserts the header.
fn check_csv(path: &Path) -> Vec<csv::StringRecord> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    for p in CODEBOOK.iter().chain(&["latitude", "longitude", "wkt"]) {
        assert!(header.iter().any(|h| h == p), "{path:?} lacks column {p}");
    }
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    for row in &rows {
        assert_eq!(row.len(), header.len());
    }
    rows
}

#[test]
fn extract_writes_valid_layers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = extract(&out, &[]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("written to"));
    for stem in ["incidents", "statements"] {
        let feats = check_collection(&out.join(format!("{stem}.geojson")));
        let rows = check_csv(&out.join(format!("{stem}.csv")));
        assert_eq!(rows.len(), feats.len(), "{stem}: CSV rows == features");
        assert!(out.join(format!("{stem}.csvt")).is_file());
        for f in &feats {
            assert_eq!(f["geometry"]["type"], "Point", "default --geometry point");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    extract(&a, &["--geometry", "native"]);
    extract(&b, &["--geometry", "native"]);
    for f in ["incidents.geojson", "incidents.csv", "statements.geojson"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn geojsonseq_files_and_excel_bom() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    extract(&out, &["--format", "geojsonseq,csv", "--excel"]);
    assert!(!out.join("incidents.geojson").exists());
    for stem in ["incidents", "statements"] {
        let seq = std::fs::read_to_string(out.join(format!("{stem}.geojsons"))).unwrap();
        let n = check_seq(&seq, true);
        let csv = std::fs::read(out.join(format!("{stem}.csv"))).unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "--excel writes a BOM");
        assert_eq!(check_csv(&out.join(format!("{stem}.csv"))).len(), n);
    }
}

/// Check a GeoJSON text sequence; returns the number of features.
fn check_seq(text: &str, rs: bool) -> usize {
    if text.is_empty() {
        return 0;
    }
    assert!(text.ends_with('\n'));
    let parts: Vec<&str> = if rs {
        assert!(text.starts_with('\u{1e}'), "RFC 8142 texts start with RS");
        text.split('\u{1e}').skip(1).collect()
    } else {
        assert!(!text.contains('\u{1e}'));
        text.lines().collect()
    };
    for p in &parts {
        let f: Value = serde_json::from_str(p).unwrap_or_else(|e| panic!("{e}: {p:?}"));
        check_feature(&f);
    }
    parts.len()
}

#[test]
fn stdout_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never-created");
    let seeds = root().join("seeds");
    let files = dir.path().join("files");
    extract(&files, &[]);
    let expected = check_collection(&files.join("incidents.geojson")).len();
    for flag in [&["-o", "-"][..], &["--stdout"][..]] {
        let mut args = vec![
            "extract",
            seeds.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(flag);
        let o = eventmap(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8(o.stdout).unwrap();
        assert_eq!(check_seq(&text, true), expected, "{flag:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("written to stdout"));
        assert!(!out.exists(), "stdout mode writes no files");
    }
    let o = eventmap(&[
        "extract",
        seeds.to_str().unwrap(),
        "--stdout",
        "--format",
        "geojsonl",
    ]);
    assert!(o.status.success());
    assert_eq!(
        check_seq(&String::from_utf8(o.stdout).unwrap(), false),
        expected
    );
    let o = eventmap(&[
        "extract",
        seeds.to_str().unwrap(),
        "--stdout",
        "--format",
        "csv",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("id,kind,"));
}

#[test]
fn bad_flags_are_rejected() {
    let o = eventmap(&["extract", "seeds", "-o", "file.geojson"]);
    assert!(!o.status.success());
    let o = eventmap(&["extract", "seeds", "--geometry", "lines"]);
    assert!(!o.status.success());
    let o = eventmap(&["extract", "seeds", "--stdout", "--format", "geojson,csv"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("one format"));
}

#[test]
fn unwritable_out_dir_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("regular-file");
    std::fs::write(&file, "not a directory").unwrap();
    let bad = file.join("out");
    let seeds = root().join("seeds");
    let o = eventmap(&[
        "extract",
        seeds.to_str().unwrap(),
        "--out-dir",
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(bad.to_str().unwrap()), "stderr: {err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");
}

// ---- library writers on hand-built records ---------------------------------

fn record(n: usize, kind: RecordKind, geometry: Geometry<f64>, point: (f64, f64)) -> Record {
    let stem = "001_405a79c29a6589a7";
    Record {
        id: match kind {
            RecordKind::Incident => format!("{stem}#{n}"),
            RecordKind::Statement => format!("{stem}#s{n}"),
        },
        kind,
        source_file: format!("{stem}.txt"),
        event_date: Some(format!("2023-03-0{}", n % 9 + 1)),
        date_precision: DatePrecision::Day,
        event_type: "Battles".into(),
        sub_event_type: "Armed clash".into(),
        location: "Xankəndi".into(),
        gazetteer_id: "xankendi".into(),
        geo_precision: 1,
        fatalities: Some(2),
        fatalities_low: Some(2),
        fatalities_high: Some(4),
        injured: None,
        actor1: Some("Military Forces of Azerbaijan".into()),
        actor2: Some("Nagorno-Karabakh Defense Army".into()),
        reported_by: Some("Azerbaijani Defense Ministry; Ստեփանակերտ officials".into()),
        evidence:
            "Two servicemen were killed, \"the ministry\" said,\nnear Ստեփանակերտ (Xankəndi)."
                .into(),
        char_start: 100 * n,
        char_end: 100 * n + 80,
        matched_text: Some("Ստեփանակերտ".into()),
        country: Some("AZ".into()),
        admin1: Some("Xankəndi".into()),
        publisher: Some("Anadolu Agency".into()),
        url: Some("https://example.org/a?x=1,2".into()),
        confidence: 0.75,
        geometry: geometry.into(),
        point,
    }
}

/// Incidents with Point, LineString and (clockwise, holed) Polygon
/// geometries, and statements, inside the Caucasus box 44,38,48,42.
fn sample_records() -> (Vec<Record>, Vec<Record>) {
    let town = record(
        1,
        RecordKind::Incident,
        Point::new(46.7518889, 39.8155556).into(),
        (46.7518889, 39.8155556),
    );
    let mut road = record(
        2,
        RecordKind::Incident,
        LineString::from(vec![
            (46.7518889, 39.8155556),
            (46.70, 39.86),
            (46.62, 39.90),
        ])
        .into(),
        (46.70, 39.86),
    );
    road.location = "Khankendi–Khalfali–Turshsu road".into();
    road.geo_precision = 2;
    road.fatalities = None;
    let mut region = record(
        3,
        RecordKind::Incident,
        Polygon::new(
            LineString::from(vec![
                (46.0, 39.5),
                (46.0, 40.3),
                (47.2, 40.3),
                (47.2, 39.5),
                (46.0, 39.5),
            ]),
            vec![LineString::from(vec![
                (46.5, 39.8),
                (46.7, 39.8),
                (46.7, 40.0),
                (46.5, 40.0),
                (46.5, 39.8),
            ])],
        )
        .into(),
        (46.6, 39.9),
    );
    region.location = "Nagorno-Karabakh".into();
    region.geo_precision = 3;
    region.event_date = None;
    region.date_precision = DatePrecision::Unknown;
    let mut stmt = record(
        1,
        RecordKind::Statement,
        Point::new(44.513, 40.1811).into(),
        (44.513, 40.1811),
    );
    stmt.event_type = "Statement".into();
    stmt.sub_event_type = "concern".into();
    stmt.location = "Yerevan".into();
    // A spreadsheet formula in untrusted text: neutralised by --excel only.
    stmt.evidence = "=HYPERLINK(\"http://example.org\") Yerevan voiced concern.".into();
    stmt.geo_precision = 3;
    (vec![region, road, town], vec![stmt])
}

/// Writes every format in both geometry modes; with EVENTMAP_SAMPLE_OUT set,
/// into that directory (for the validators), else into a tempdir.
#[test]
fn sample_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::env::var_os("EVENTMAP_SAMPLE_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let (incidents, statements) = sample_records();
    for (sub, geometry, excel) in [
        ("point", GeometryMode::Point, false),
        ("native", GeometryMode::Native, true),
    ] {
        let dir = base.join(sub);
        let opts = OutputOptions {
            geometry,
            formats: vec![
                Format::Geojson,
                Format::Geojsonseq,
                Format::Geojsonl,
                Format::Csv,
            ],
            excel,
            stdout: false,
        };
        let written = write_all(&dir, &incidents, &statements, &opts).unwrap();
        assert_eq!(written.len(), 10);
        let feats = check_collection(&dir.join("incidents.geojson"));
        assert_eq!(feats.len(), 3);
        assert_eq!(check_csv(&dir.join("incidents.csv")).len(), 3);
        let seq = std::fs::read_to_string(dir.join("incidents.geojsons")).unwrap();
        assert_eq!(check_seq(&seq, true), 3);
        let types: Vec<&str> = feats
            .iter()
            .map(|f| f["geometry"]["type"].as_str().unwrap())
            .collect();
        match geometry {
            GeometryMode::Point => assert_eq!(types, ["Point"; 3]),
            GeometryMode::Native => assert_eq!(types, ["Point", "LineString", "Polygon"]),
        }
    }
    let empty = base.join("empty");
    write_all(&empty, &[], &[], &OutputOptions::default()).unwrap();
    assert!(check_collection(&empty.join("incidents.geojson")).is_empty());
    assert!(check_csv(&empty.join("incidents.csv")).is_empty());
}

/// `output/` in the repository is the result of the README's main command
/// on the seeds; it must be regenerated when extraction changes
/// (`cargo run --release -- extract seeds`).
#[test]
fn committed_output_is_not_stale() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .current_dir(root)
        .args(["extract", "seeds", "--quiet", "--out-dir"])
        .arg(d.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in [
        "incidents.geojson",
        "incidents.csv",
        "statements.geojson",
        "statements.csv",
        "map.html",
        "events.geojson",
        "events.csv",
    ] {
        let fresh = std::fs::read(d.path().join(name)).unwrap();
        let committed = std::fs::read(root.join("output").join(name)).unwrap_or_else(|e| {
            panic!("output/{name}: {e}; run `cargo run --release -- extract seeds`")
        });
        assert!(
            fresh == committed,
            "output/{name} is stale: run `cargo run --release -- extract seeds` and commit output/"
        );
    }
}
