//! Wire-style reports (tests/fixtures/wire, written for this test): each
//! report's incidents must include the (place, killed, injured) rows given
//! here and no incident at the places listed as wrong. Runs the real binary.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

type Row = (&'static str, Option<u64>, Option<u64>);
/// (place, killed, injured) of one output incident.
type Got = (String, Option<u64>, Option<u64>);

/// (file, incidents that must be there, places that must not have one)
const CASES: &[(&str, &[Row], &[&str])] = &[
    (
        "sudan_gezira.txt",
        &[("Gezira", Some(35), None)],
        &["Wad Medani", "Sudan"],
    ),
    (
        "gaza_ru.txt",
        &[("Gaza", Some(15), None), ("Khan Yunis", None, Some(20))],
        &["Haan", "Germany"],
    ),
    (
        "lebanon_south.txt",
        &[("Lebanon", Some(2), None), ("Metula", None, None)],
        &["Israel"],
    ),
    (
        "ukraine_kharkiv.txt",
        &[("Kharkiv", Some(2), Some(19)), ("Kherson", Some(1), None)],
        &["Ukraine"],
    ),
    (
        "pakistan_bannu.txt",
        &[("Bannu", Some(11), None)],
        &["K.P."],
    ),
    (
        "tavush_list.txt",
        &[
            ("Chinari", None, None),
            ("Aygepar", None, Some(1)),
            ("Berd", None, None),
            ("Goris", None, None),
        ],
        &["Syunik", "Azerbaijan"],
    ),
    (
        "ukraine_nikopol.txt",
        &[("Nikopol", Some(1), None), ("Zaporizhzhya", None, Some(7))],
        &["Brussels", "Dnipro"],
    ),
    (
        "gaza_parts.txt",
        &[("Rafah", Some(10), None), ("Khan Yunis", Some(8), None)],
        &[],
    ),
    (
        "yemen_saada.txt",
        &[
            ("Sa'dah", Some(70), Some(138)),
            ("Al Hudaydah", Some(3), None),
        ],
        &["Yemen", "Sanaa"],
    ),
    (
        "burkina_barsalogho.txt",
        &[("Barsalogho", None, None), ("Djibo", Some(11), None)],
        &["Burkina Faso"],
    ),
    (
        "kashmir_uri.txt",
        &[("Uri", Some(4), None), ("Gurez", Some(2), None)],
        &["Jammu and Kashmir", "Pakistan"],
    ),
    (
        "gaza_nuseirat.txt",
        &[("An Nusayrat", Some(8), None), ("Rafah", None, None)],
        &["Dayr al Balah"],
    ),
    (
        "donetsk_ru.txt",
        &[("Donetsk", Some(27), Some(25)), ("Horlivka", None, Some(1))],
        &["Kirov", "Moscow", "Russia", "Ukraine"],
    ),
    (
        "syria_idlib.txt",
        &[
            ("Kafranbel", Some(4), None),
            ("Kabani", Some(8), None),
            ("Jisr ash Shughur", None, None),
        ],
        &["Idlib", "Latakia"],
    ),
    (
        "myanmar_sagaing.txt",
        &[("Kanbalu", Some(100), None)],
        &["Sagaing"],
    ),
];

/// (file, place, event_date): the day of the event, not of the statement.
const DATES: &[(&str, &str, &str)] = &[
    ("yemen_saada.txt", "Sa'dah", "2022-01-21"),
    ("burkina_barsalogho.txt", "Barsalogho", "2024-08-24"),
    ("burkina_barsalogho.txt", "Djibo", "2024-08-27"),
    ("kashmir_uri.txt", "Uri", "2020-11-13"),
    ("donetsk_ru.txt", "Donetsk", "2024-01-21"),
    ("myanmar_sagaing.txt", "Kanbalu", "2023-04-11"),
];

#[test]
fn wire_reports_give_their_incidents_and_no_others() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args(["extract", "tests/fixtures/wire", "--quiet", "--out-dir"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(out.path().join("incidents.geojson")).unwrap();
    let fc: Value = serde_json::from_str(&text).unwrap();
    let mut by_file: BTreeMap<String, Vec<Got>> = BTreeMap::new();
    let mut dates: Vec<(String, String, String)> = Vec::new();
    for f in fc["features"].as_array().unwrap() {
        let p = &f["properties"];
        if p["kind"] != "incident" {
            continue;
        }
        dates.push((
            p["source_file"].as_str().unwrap().to_string(),
            p["location"].as_str().unwrap().to_string(),
            p["event_date"].as_str().unwrap_or("").to_string(),
        ));
        by_file
            .entry(p["source_file"].as_str().unwrap().to_string())
            .or_default()
            .push((
                p["location"].as_str().unwrap().to_string(),
                p["fatalities"].as_u64(),
                p["injured"].as_u64(),
            ));
    }
    for (file, want, wrong) in CASES {
        let got = by_file.get(*file).cloned().unwrap_or_default();
        for (place, killed, injured) in *want {
            let row = (place.to_string(), *killed, *injured);
            assert!(got.contains(&row), "{file}: want {row:?}, got {got:?}");
        }
        for place in *wrong {
            assert!(
                !got.iter().any(|(p, ..)| p == place),
                "{file}: no incident at {place} expected, got {got:?}"
            );
        }
    }
    for (file, place, date) in DATES {
        let row = (file.to_string(), place.to_string(), date.to_string());
        assert!(
            dates.contains(&row),
            "{file}: want {place} on {date}, got {dates:?}"
        );
    }
}

/// A village the gazetteer lacks is named in the run's summary on stderr,
/// so a contributor knows what to add; the record it would have had at the
/// region is left out.
#[test]
fn unknown_village_is_named_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("village.txt"),
        "Junta jets bombed Zawgyi Kone village in Sagaing Region on Tuesday, killing 12 people.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .arg("extract")
        .arg(dir.path())
        .arg("--out-dir")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("not in the gazetteer") && stderr.contains("Zawgyi Kone"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(out.path().join("incidents.geojson")).unwrap();
    let fc: Value = serde_json::from_str(&text).unwrap();
    assert!(fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["location"] != "Sagaing"));
}
