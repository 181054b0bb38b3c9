//! Gazetteer checks on the fixtures in `tests/fixtures/gazetteer/` (see its
//! README.md), through the library and through the real binary.

use std::path::Path;
use std::process::Command;

use eventmap::gazetteer::{check, import_geonames, Gazetteer, SourceFile};

const DIR: &str = "tests/fixtures/gazetteer";

/// (fixture, line, message fragment, is_error)
const EXPECTED: &[(&str, usize, &str, bool)] = &[
    ("bad-columns.tsv", 3, "expected 10 tab-separated columns", true),
    ("bad-columns.tsv", 3, "found 9", true),
    ("bad-id.tsv", 2, "empty id", true),
    ("bad-id.tsv", 3, "bad id \"Kapan Town\"", true),
    ("bad-kind.tsv", 2, "unknown kind \"hamlet\"", true),
    ("bad-latlon.tsv", 3, "latitude \"forty\" is not a number", true),
    ("bad-latlon.tsv", 5, "latitude 95.2 is out of range -90..90", true),
    ("bad-latlon.tsv", 7, "lat and lon look swapped", true),
    ("bad-latlon.tsv", 9, "likely swapped lat/lon", true),
    ("bad-population.tsv", 2, "bad population \"20,000\": write digits only (20000)", true),
    ("bad-source.tsv", 2, "empty source", true),
    ("bad-duplicate-id.tsv", 3, "duplicate id \"dup-goris\"", true),
    (
        "bad-outside-country.tsv",
        3,
        "point (40.37767, 49.89201) lies outside Armenia (nearest border",
        true,
    ),
    (
        "bad-outside-country.tsv",
        5,
        "lies outside Turkey (nearest border 428.1 km); swapped lat/lon? swapping them gives a point inside Turkey",
        true,
    ),
    ("bad-collision.tsv", 3, "name \"qaraqaya\" is ambiguous", false),
    ("bad-geometry.geojson", 2, "feature 0 (id \"road-one-point\")", true),
    ("bad-geometry.geojson", 2, "a line needs at least 2", true),
    ("bad-geometry.geojson", 3, "polygon ring 0 is not closed", true),
    ("bad-geometry.geojson", 4, "is not a [lon, lat] pair of finite numbers", true),
    ("bad-geometry.geojson", 6, "(id \"region-bowtie\"): invalid polygon", true),
];

fn fixture(name: &str) -> (String, String) {
    let path = format!("{DIR}/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    (path, text)
}

/// Each fixture file alone gives exactly its own problems.
#[test]
fn check_reports_each_fault_class_at_its_line() {
    let mut files: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    files.dedup();
    for name in files {
        let (path, text) = fixture(name);
        let problems = check(&[SourceFile {
            path: &path,
            contents: &text,
        }]);
        let want: Vec<_> = EXPECTED.iter().filter(|e| e.0 == name).collect();
        for &&(_, line, fragment, is_error) in &want {
            assert!(
                problems.iter().any(|p| p.path == path
                    && p.line == line
                    && p.message.contains(fragment)
                    && p.is_error == is_error),
                "{name}:{line}: no problem containing {fragment:?}; got {problems:#?}"
            );
        }
        let lines: std::collections::BTreeSet<usize> = want.iter().map(|e| e.1).collect();
        assert_eq!(
            problems.len(),
            lines.len(),
            "{name}: unexpected extra problems {problems:#?}"
        );
    }
}

#[test]
fn loader_ignores_actors_tsv_and_keeps_good_rows() {
    let (path, text) = fixture("actors.tsv");
    let (g, problems) = Gazetteer::from_sources(&[SourceFile {
        path: &path,
        contents: &text,
    }]);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(g.places.is_empty());

    let (path, text) = fixture("bad-geometry.geojson");
    let (g, problems) = Gazetteer::from_sources(&[SourceFile {
        path: &path,
        contents: &text,
    }]);
    // Three structural faults and a self-intersecting polygon (which
    // `check` reported and `extract` used to load).
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(
        problems[3].message.contains("invalid polygon"),
        "{problems:#?}"
    );
    let road = g.by_id("road-good").expect("good road loads");
    assert!((road.lon - 46.6).abs() < 1e-9 && (road.lat - 39.6).abs() < 1e-9);
    assert!(g.by_id("region-bowtie").is_none());
}

#[test]
fn import_geonames_sample() {
    let (_, text) = fixture("geonames-sample.txt");
    let (tsv, problems) = import_geonames(text.as_bytes(), Some(&["AZ".to_string()]), 0, None);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 6);
    let ids: Vec<&str> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, ["gn-146970", "gn-147105", "gn-587084"]);
    assert!(tsv.contains("\tBaku\tcapital\tAZ\t"));
    // Mechanical lowercase romanizations and codes are dropped.
    assert!(!tsv.contains("|shwshy|") && !tsv.contains("|BAK|"));
}

fn eventmap(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run eventmap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_check_fails_on_bad_fixture_dir() {
    let (code, stdout, stderr) = eventmap(&["gazetteer", "check", DIR]);
    assert_eq!(code, 1, "stdout:\n{stdout}\nstderr:\n{stderr}");
    for &(name, line, fragment, _) in EXPECTED {
        let prefix = format!("{DIR}/{name}:{line}: ");
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(fragment)),
            "missing {prefix}{fragment} in\n{stdout}"
        );
    }
    assert!(
        stdout.contains("17 error(s), 1 warning(s)"),
        "summary line missing:\n{stdout}"
    );
    assert!(!stdout.contains("actors.tsv"));
}

#[test]
fn cli_import_geonames_writes_tsv() {
    let out = tempfile::tempdir().unwrap();
    let out_path = out.path().join("gn.tsv");
    let (code, _, stderr) = eventmap(&[
        "gazetteer",
        "import-geonames",
        &format!("{DIR}/geonames-sample.txt"),
        "--countries",
        "AZ,AM",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    // One broken row: reported, exit 1, the rest written.
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("geonames-sample.txt:6: expected the 19"),
        "{stderr}"
    );
    let tsv = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(tsv.lines().count(), 6, "{tsv}");
}

/// The bundled data (from the data helper) is embedded; skip if absent.
fn bundled_has_data() -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("gazetteer/places/caucasus.tsv")
        .exists()
}

#[test]
fn cli_lookup_finds_spelling_variants() {
    if !bundled_has_data() {
        return;
    }
    for q in ["Stepanakerd", "Ստեփանակերտ", "Khankandi"] {
        let (code, stdout, stderr) = eventmap(&["gazetteer", "lookup", q, "--limit", "3"]);
        assert_eq!(code, 0, "{q}: {stderr}");
        let mut lines = stdout.lines();
        let header = lines.next().unwrap();
        assert!(
            header.starts_with("score") && header.ends_with("matched"),
            "{header}"
        );
        assert!(stdout.contains("gn-146970"), "{q}:\n{stdout}");
    }
    let (code, stdout, _) = eventmap(&["gazetteer", "lookup", "Georgia", "--prefer", "US"]);
    assert_eq!(code, 0);
    let first = stdout.lines().nth(1).unwrap();
    assert!(first.contains("adm1-us-georgia"), "{stdout}");
    // A user's directory overrides the bundled row with the same id.
    let (code, stdout, stderr) = eventmap(&[
        "gazetteer",
        "lookup",
        "Xankəndi",
        "--gazetteer",
        &format!("{DIR}/override"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.is_empty(),
        "no duplicate-id error expected: {stderr}"
    );
    let row = stdout
        .lines()
        .find(|l| l.contains("gn-146970"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        row.contains("Stepanakert") && row.contains("39.81500"),
        "{row}"
    );
    let (code, _, stderr) = eventmap(&["gazetteer", "lookup", "Qqqqzzzzxx"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no place matches"));
}

/// `lookup --near`: the places of a name ranked as an article about that
/// country ranks them, the chosen one first and marked, and a last line
/// saying what the name resolves to there.
#[test]
fn cli_lookup_near_ranks_as_an_article_about_the_country() {
    if !bundled_has_data() {
        return;
    }
    // (name, --near, id of the chosen row, or None, last-line fragment)
    let cases: &[(&str, &str, Option<&str>, &str)] = &[
        ("Kut", "AM", Some("am-kut"), "-> Kut [am-kut]"),
        ("Kut", "Iraq", Some("gn-99131"), "-> Al-Kut [gn-99131]"),
        // Armenia has no Talin of Azerbaijan's: the nearest one, not Tallinn.
        ("Talin", "az", Some("gn-616187"), "-> Talin [gn-616187]"),
        ("Hayk", "AM", None, "-> nothing: Hāyk’ [gn-334826]"),
        (
            "Mission",
            "AM",
            Some("gn-6075292"),
            "only after a locative word",
        ),
    ];
    for (name, near, chosen, last) in cases {
        let (code, stdout, stderr) =
            eventmap(&["gazetteer", "lookup", name, "--near", near, "--limit", "5"]);
        assert_eq!(code, 0, "{name} --near {near}: {stderr}");
        let mut lines = stdout.lines();
        let header = lines.next().unwrap();
        assert!(
            header.contains(" km ") && header.ends_with("chosen"),
            "{header}"
        );
        let first = lines.next().unwrap();
        match chosen {
            Some(id) => assert!(
                first.contains(id) && first.ends_with('*'),
                "{name} --near {near}:\n{stdout}"
            ),
            None => assert!(!stdout.contains(" *\n"), "{name} --near {near}:\n{stdout}"),
        }
        assert!(stdout.contains(last), "{name} --near {near}:\n{stdout}");
    }
    let (code, stdout, _) = eventmap(&["gazetteer", "lookup", "Mission", "--near", "AM"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("never-alone list"), "{stdout}");
    let (code, _, stderr) = eventmap(&["gazetteer", "lookup", "Kut", "--near", "Atlantis"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such country"), "{stderr}");
}
