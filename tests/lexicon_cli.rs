//! Vocabularies are data: a contributor's `--gazetteer DIR/lexicon/` extends
//! the bundled word lists without recompiling, and `gazetteer check`
//! reports bad lexicon rows as path:line. Fixtures: tests/fixtures/lexicon/.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_eventmap");
const DIR: &str = "tests/fixtures/lexicon";

fn incidents(extra: &[&str]) -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(BIN)
        .args(["extract", &format!("{DIR}/article"), "--quiet", "--out-dir"])
        .arg(out.path())
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(out.path().join("incidents.geojson")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["location"].as_str().unwrap().to_string(),
                p["sub_event_type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_overlay_trigger_makes_a_new_incident() {
    assert!(
        incidents(&[]).is_empty(),
        "'strafed' is not a bundled trigger"
    );
    let with = incidents(&["--gazetteer", &format!("{DIR}/overlay")]);
    assert!(
        with.iter()
            .any(|(place, sub)| place == "Khndzoresk" && sub == "Air/drone strike"),
        "{with:?}"
    );
}

#[test]
fn check_reports_bad_lexicon_rows_at_their_lines() {
    let out = Command::new(BIN)
        .args(["gazetteer", "check", &format!("{DIR}/bad")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let path = format!("{DIR}/bad/lexicon/en/triggers.tsv");
    assert!(
        text.contains(&format!(
            "{path}:2: \"Explosions/Remote violence\" / \"Air strike\" is not an event type"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{path}:3: phrase \"Strafed\" has capitals")),
        "{text}"
    );
    assert!(text.contains("2 error(s)"), "{text}");
}

#[test]
fn extract_reports_bad_lexicon_rows_and_goes_on() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .args([
            "extract",
            &format!("{DIR}/article"),
            "--quiet",
            "--gazetteer",
            &format!("{DIR}/bad"),
            "--out-dir",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "bad rows make the exit code 1");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("triggers.tsv:3: phrase \"Strafed\""), "{err}");
    assert!(out.path().join("incidents.geojson").is_file());
}
