//! Russian reports are read with the bundled Russian word lists
//! (gazetteer/lexicon/ru): dates, triggers, tolls, place names in case
//! forms, datelines. Fixtures: tests/fixtures/russian/ (see its README).

use std::process::Command;

/// (file, location, date, type, fatalities, injured, actor1)
type Row = (
    String,
    String,
    String,
    String,
    Option<u64>,
    Option<u64>,
    String,
);

#[test]
fn russian_reports_give_dated_placed_incidents_with_tolls() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .args([
            "extract",
            "tests/fixtures/russian",
            "--quiet",
            "--no-map",
            "--out-dir",
        ])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(out.path().join("incidents.geojson")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let got: Vec<Row> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (
                s("source_file"),
                s("location"),
                s("event_date"),
                s("event_type"),
                p["fatalities"].as_u64(),
                p["injured"].as_u64(),
                if s("source_file") == "movses_ru.txt" {
                    s("actor1")
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let want = vec![
        (
            "movses_ru.txt".to_string(),
            "Movses".to_string(),
            "2020-07-11".to_string(),
            "Explosions/Remote violence".to_string(),
            None,
            Some(2),
            "Military Forces of Azerbaijan".to_string(),
        ),
        (
            "tovuz_ru.txt".to_string(),
            "Tovuz".to_string(),
            "2021-06-11".to_string(),
            "Battles".to_string(),
            Some(2),
            None,
            // Who fired ("армии Армении", a genitive) is not read yet.
            String::new(),
        ),
    ];
    assert_eq!(got, want, "{text}");
    // The datelines' cities are not incident places.
    assert!(!text.contains("\"location\":\"Baku\"") && !text.contains("\"location\":\"Yerevan\""));
}
