//! Integration tests: run the real binary on fixture articles and check the
//! parsed GeoJSON, and the error cases a user meets.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventmap"))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles")
}

struct Run {
    code: i32,
    stderr: String,
    incidents: Vec<Value>,
    statements: Vec<Value>,
}

fn run(args: &[&str], out: &Path) -> Run {
    let o = bin()
        .arg("extract")
        .args(args)
        .arg("--out-dir")
        .arg(out)
        .output()
        .expect("run eventmap");
    let read = |name: &str| -> Vec<Value> {
        let p = out.join(name);
        let Ok(s) = std::fs::read_to_string(&p) else {
            return Vec::new();
        };
        let v: Value = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(v["type"], "FeatureCollection");
        v["features"].as_array().cloned().unwrap_or_default()
    };
    Run {
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        incidents: read("incidents.geojson"),
        statements: read("statements.geojson"),
    }
}

fn props(f: &Value) -> &serde_json::Map<String, Value> {
    f["properties"].as_object().expect("properties")
}

fn of_file<'a>(feats: &'a [Value], file: &str) -> Vec<&'a Value> {
    feats
        .iter()
        .filter(|f| props(f)["source_file"] == file)
        .collect()
}

fn find<'a>(feats: &[&'a Value], location: &str) -> &'a Value {
    feats
        .iter()
        .find(|f| props(f)["location"] == location)
        .unwrap_or_else(|| {
            let got: Vec<_> = feats.iter().map(|f| props(f)["location"].clone()).collect();
            panic!("no incident at {location}; got {got:?}")
        })
}

const REQUIRED: &[&str] = &[
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

#[test]
fn seeds_produce_codebook_records() {
    let d = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let r = run(&[seeds.to_str().unwrap()], d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.incidents.is_empty());
    for f in r.incidents.iter().chain(&r.statements) {
        for k in REQUIRED {
            assert!(props(f).contains_key(*k), "missing {k} in {f}");
        }
    }
    // No incident is placed at a dateline, a speaker's capital or a metonym.
    for f in &r.incidents {
        let loc = props(f)["location"].as_str().unwrap();
        assert!(
            !["Baku", "Yerevan", "Moscow", "Istanbul", "Washington"].contains(&loc),
            "incident placed at {loc}: {f}"
        );
    }
    // The road incident of 001 keeps its date, place and toll.
    let road = of_file(&r.incidents, "001_405a79c29a6589a7.txt");
    assert_eq!(road.len(), 1, "{road:?}");
    let p = props(road[0]);
    assert_eq!(p["event_date"], "2023-03-05");
    assert_eq!(p["fatalities"], 2);
    assert_eq!(p["event_type"], "Battles");
    assert_eq!(p["geo_precision"], 2);
}

#[test]
fn fixture_styles_are_read_like_an_analyst() {
    let d = tempfile::tempdir().unwrap();
    let r = run(&[fixtures().to_str().unwrap()], d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Agency bulletin: one clash near Sotk, the day before publication, one wounded.
    let a = of_file(&r.incidents, "agency_bulletin.txt");
    assert_eq!(a.len(), 1, "{a:?}");
    let p = props(a[0]);
    assert_eq!(p["location"], "Sotk");
    assert_eq!(p["event_date"], "2022-09-13");
    assert_eq!(p["event_type"], "Battles");
    assert_eq!(p["geo_precision"], 2);
    assert_eq!(p["injured"], 1);
    assert_eq!(p["actor1"], "Military Forces of Azerbaijan");
    let s = of_file(&r.statements, "agency_bulletin.txt");
    assert!(s.iter().any(|f| props(f)["location"] == "Yerevan"), "{s:?}");

    // Ministry statement: shelling in the Tovuz direction, one killed, 1994 ignored.
    let m = of_file(&r.incidents, "ministry_statement.txt");
    assert_eq!(m.len(), 1, "{m:?}");
    let p = props(m[0]);
    assert_eq!(p["event_date"], "2021-03-12");
    assert_eq!(p["sub_event_type"], "Shelling/artillery/missile attack");
    assert_eq!(p["fatalities"], 1);
    assert!(
        p["location"].as_str().unwrap().starts_with("Tovuz"),
        "{p:?}"
    );
    assert_eq!(p["actor1"], "Military Forces of Armenia");

    // Multi-town shelling: one incident per city; Kharkiv carries its own toll.
    let u = of_file(&r.incidents, "multi_town_shelling.txt");
    for city in ["Kharkiv", "Sumy", "Zaporizhzhya"] {
        let f = find(&u, city);
        assert_eq!(props(f)["event_type"], "Explosions/Remote violence");
        assert_eq!(props(f)["geo_precision"], 1);
    }
    assert_eq!(props(find(&u, "Kharkiv"))["fatalities"], 3);
    assert!(u.iter().all(|f| props(f)["location"] != "Moscow"));
    assert!(
        u.iter().all(|f| props(f)["event_date"] != "2022-02"),
        "background coded"
    );

    // No manifest date: read from the header line.
    let n = of_file(&r.incidents, "no_manifest_date.txt");
    assert_eq!(n.len(), 1, "{n:?}");
    let p = props(n[0]);
    assert_eq!(p["location"], "Ganja");
    assert_eq!(p["event_date"], "2020-10-11");
    assert_eq!(p["fatalities"], 9);

    // Statements only: no incidents.
    assert!(of_file(&r.incidents, "statement_only.txt").is_empty());
    let s = of_file(&r.statements, "statement_only.txt");
    assert!(s.iter().any(|f| props(f)["location"] == "Moscow"), "{s:?}");

    // Gaza: airstrike in Rafah (12 killed), rockets at Ashkelon, protest in Tel Aviv.
    let g = of_file(&r.incidents, "airstrike_gaza.txt");
    let rafah = props(find(&g, "Rafah"));
    assert_eq!(rafah["sub_event_type"], "Air/drone strike");
    assert_eq!(rafah["fatalities"], 12);
    assert_eq!(rafah["event_date"], "2024-05-08");
    assert_eq!(rafah["actor1"], "Military Forces of Israel");
    assert_eq!(
        props(find(&g, "Ashkelon"))["event_type"],
        "Explosions/Remote violence"
    );
    assert_eq!(props(find(&g, "Tel Aviv"))["event_type"], "Protests");
    assert!(
        g.iter().all(|f| props(f)["location"] != "Gaza"),
        "dateline or attribution used"
    );
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_written() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::copy(fixtures().join("airstrike_gaza.txt"), inp.join("good.txt")).unwrap();
    std::fs::write(inp.join("latin1.txt"), b"Xank\xe4ndi was shelled.").unwrap();
    std::fs::write(
        inp.join("index.csv"),
        "file,publisher,published\ngood.txt,Wire,2024-05-08\nghost.txt,Wire,2024-05-08\n",
    )
    .unwrap();
    let out = d.path().join("out");
    let r = run(&[inp.to_str().unwrap()], &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.contains("latin1.txt") && l.contains("UTF-8")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.lines().any(|l| l.contains("ghost.txt")),
        "{}",
        r.stderr
    );
    assert!(!r.incidents.is_empty(), "the good article was not written");
}

#[test]
fn manifest_without_file_column_is_reported() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::copy(fixtures().join("airstrike_gaza.txt"), inp.join("a.txt")).unwrap();
    std::fs::write(inp.join("index.csv"), "name,published\na.txt,2024-05-08\n").unwrap();
    let r = run(&[inp.to_str().unwrap()], &d.path().join("out"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("index.csv") && r.stderr.contains("'file' column"),
        "{}",
        r.stderr
    );
    assert!(!r.incidents.is_empty());
}

#[test]
fn missing_gazetteer_dir_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let o = bin()
        .args([
            "extract",
            fixtures().to_str().unwrap(),
            "--gazetteer",
            "/no/such/gazetteer",
        ])
        .arg("--out-dir")
        .arg(d.path())
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("eventmap: ") && err.contains("/no/such/gazetteer"),
        "{err}"
    );
}

#[test]
fn missing_article_path_is_reported() {
    let d = tempfile::tempdir().unwrap();
    let good = fixtures().join("airstrike_gaza.txt");
    let r = run(&[good.to_str().unwrap(), "/no/such/article.txt"], d.path());
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("/no/such/article.txt"), "{}", r.stderr);
    assert!(!r.incidents.is_empty());
}

/// A contributor adds a village (here an invented one) in their own
/// gazetteer directory; `extract --gazetteer DIR` places incidents there.
#[test]
fn a_village_added_to_a_user_gazetteer_is_used() {
    let d = tempfile::tempdir().unwrap();
    let gz = d.path().join("my-places/places");
    std::fs::create_dir_all(&gz).unwrap();
    std::fs::write(
        gz.join("villages.tsv"),
        "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tsource\n\
         ua-zorivka-test\tZorivka\tvillage\tUA\tKharkiv Oblast\t49.9\t36.9\t320\tZorivka village|Зорівка\ttest fixture (invented village)\n",
    )
    .unwrap();
    let art = d.path().join("in");
    std::fs::create_dir(&art).unwrap();
    std::fs::write(
        art.join("a.txt"),
        "Russian forces shelled the village of Zorivka on Monday, killing two civilians, the regional governor said.",
    )
    .unwrap();
    std::fs::write(art.join("index.csv"), "file,published\na.txt,2024-03-06\n").unwrap();
    let out = d.path().join("out");
    let r = run(
        &[
            art.to_str().unwrap(),
            "--gazetteer",
            d.path().join("my-places").to_str().unwrap(),
        ],
        &out,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.incidents.len(), 1, "{:?}", r.incidents);
    let p = props(&r.incidents[0]);
    assert_eq!(p["gazetteer_id"], "ua-zorivka-test");
    assert_eq!(p["location"], "Zorivka");
    assert_eq!(p["event_date"], "2024-03-04");
    assert_eq!(p["fatalities"], 2);
    assert_eq!(p["geo_precision"], 1);

    // And a malformed row in the same file is reported as path:line, the rest loads.
    std::fs::write(
        gz.join("broken.tsv"),
        "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tsource\nbad-row\tOops\tvillage\tUA\n",
    )
    .unwrap();
    let r = run(
        &[
            art.to_str().unwrap(),
            "--gazetteer",
            d.path().join("my-places").to_str().unwrap(),
        ],
        &d.path().join("out2"),
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("broken.tsv:2: "), "{}", r.stderr);
    assert_eq!(r.incidents.len(), 1, "the good rows still load");
}
