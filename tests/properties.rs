//! Property tests (fuzzing on stable Rust): random and near-real input to
//! the article pipeline, the manifest reader, gazetteer rows and the
//! `--jsonl` reader. Each property asserts no panic, output that parses
//! (GeoJSON, CSV) and, where it applies, the same bytes on a second run.
//!
//! The budget is small for CI (`CASES` per property, about 30 s in all in
//! a debug build); raise it with `PROPTEST_CASES=5000 cargo test --release
//! --test properties`. A failing case is saved to
//! `tests/fixtures/properties/regressions.txt` (commit it): every later run
//! tries the saved cases first, so they stay regression tests.

use std::path::Path;
use std::sync::OnceLock;

use eventmap::gazetteer::{Gazetteer, LoadOptions, SourceFile};
use eventmap::output::{GeometryMode, OutputOptions, OutputWriter};
use eventmap::text::list_inputs;
use eventmap::Extractor;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 48;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/fixtures/properties/regressions.txt",
        ))),
        ..Config::default()
    }
}

/// One extractor for every case (building it is the slow part).
fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        let (g, _) = Gazetteer::load(&LoadOptions::default()).expect("bundled gazetteer");
        Extractor::new(g)
    })
}

/// Pieces of news text that the rules react to, and pieces that are
/// awkward to read; near-articles are made of them.
const PIECES: &[&str] = &[
    "BAKU, March 5 (Reuters) - ",
    "Azerbaijani forces shelled Stepanakert on Monday, killing two civilians.",
    "Russian forces struck Kharkiv overnight, the regional governor said.",
    "An airstrike on Gaza City killed 13 people, including 4 children, on 2023-10-12.",
    "Clashes near the village of Tovuz left three soldiers dead and 5 injured.",
    "The ministry in Yerevan condemned the attack and urged restraint.",
    "Protesters blocked the Lachin corridor road for a second week.",
    "(Reporting by Nailia Bagirova in Baku; editing by Tom Hogue)",
    "12 October 2020, 19:02",
    "On Thursday, March 5, the death toll rose to 1,200,000,000,000.",
    "Two drones were shot down over the Kharkiv region in 1994.",
    "\u{feff}",
    "\r\n",
    "\n\n",
    "...",
    "«Xankəndi» — Ստեփանակերտ — Степанакерт",
    "\"quoted\", 'single' ‘curly’",
    "\u{0}\u{1b}[31m\u{7}",
    "9999999999999999999999 killed",
    "-0.0 km north of -90.0",
    "   \t   ",
    "العربية 中文 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
];

/// A near-article: pieces joined by spaces, line breaks or nothing.
fn near_article() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0..PIECES.len(),
            prop_oneof![Just(" "), Just("\n"), Just(""), Just(". ")],
        ),
        0..24,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (i, sep) in parts {
            s.push_str(PIECES[i]);
            s.push_str(sep);
        }
        s
    })
}

/// Bytes for an article file: random, or a near-article's, sometimes cut
/// in the middle of a character.
fn article_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        near_article().prop_map(String::into_bytes),
        (near_article(), any::<prop::sample::Index>()).prop_map(|(s, at)| {
            let b = s.into_bytes();
            let n = if b.is_empty() { 0 } else { at.index(b.len()) };
            b[..n].to_vec()
        }),
    ]
}

/// Parse every output file of `dir`: GeoJSON collections, CSV with equal
/// row lengths; returns the number of incident features.
fn check_outputs(dir: &Path) -> usize {
    let text = std::fs::read_to_string(dir.join("incidents.geojson")).expect("incidents.geojson");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid GeoJSON");
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().expect("features").len();
    for f in v["features"].as_array().unwrap() {
        assert!(f["properties"]["id"].is_string(), "{f}");
    }
    for stem in ["incidents", "statements"] {
        let p = dir.join(format!("{stem}.csv"));
        let mut r = csv::Reader::from_path(&p).expect("CSV");
        let width = r.headers().expect("header").len();
        let mut rows = 0;
        for rec in r.records() {
            assert_eq!(rec.expect("CSV row").len(), width);
            rows += 1;
        }
        if stem == "incidents" {
            assert_eq!(rows, features, "one CSV row per feature");
        }
        let text = std::fs::read_to_string(dir.join(format!("{stem}.geojson"))).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).expect("valid GeoJSON");
    }
    features
}

/// Extract the articles of `input` into `out` as `extract` does.
fn run_files(input: &Path, out: &Path) {
    let (files, _) = list_inputs(&[input.to_path_buf()], None);
    let opts = OutputOptions::default();
    let mut w = OutputWriter::new(out, &opts).unwrap();
    eventmap::stream::extract_files(extractor(), files, &mut w, |_| {}, |_, _| {}).unwrap();
    w.finish().unwrap();
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(config())]

    /// Article files of any bytes: no panic, valid layers, the same bytes
    /// from a second run.
    #[test]
    fn article_files_give_valid_deterministic_layers(
        articles in prop::collection::vec(article_bytes(), 1..4)
    ) {
        let d = tempfile::tempdir().unwrap();
        let inp = d.path().join("in");
        std::fs::create_dir(&inp).unwrap();
        for (i, a) in articles.iter().enumerate() {
            std::fs::write(inp.join(format!("a{i}.txt")), a).unwrap();
        }
        let (one, two) = (d.path().join("one"), d.path().join("two"));
        run_files(&inp, &one);
        run_files(&inp, &two);
        check_outputs(&one);
        prop_assert_eq!(files_of(&one), files_of(&two));
    }

    /// Manifests of awkward CSV: no panic; every article is read once, with
    /// a real date or none.
    #[test]
    fn manifests_never_lose_articles(
        rows in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("a0.txt".to_string()), Just("a1.txt".to_string()),
                    Just("2024-02-29".to_string()), Just("2023-02-29".to_string()),
                    Just("\"".to_string()), Just("\"\"".to_string()), Just("\n".to_string()),
                    "[ -~]{0,12}", "\\PC{0,6}",
                ],
                0..6,
            ),
            0..8,
        ),
        header in prop_oneof![
            Just("file,publisher,published,title,url"), Just("\u{feff}file,published"),
            Just("published,file"), Just("name,date"), Just(""),
        ],
    ) {
        let d = tempfile::tempdir().unwrap();
        for n in ["a0.txt", "a1.txt"] {
            std::fs::write(d.path().join(n), "Text.").unwrap();
        }
        let mut csv = format!("{header}\n");
        for r in &rows {
            csv.push_str(&r.join(","));
            csv.push('\n');
        }
        std::fs::write(d.path().join("index.csv"), csv).unwrap();
        let inp = eventmap::text::load_inputs(&[d.path().to_path_buf()], None);
        let names: Vec<&str> = inp.articles.iter().map(|a| a.file.as_str()).collect();
        prop_assert_eq!(names, ["a0.txt", "a1.txt"]);
        for e in &inp.errors {
            prop_assert!(!e.to_string().contains('\x1b'), "raw escape in {}", e);
        }
    }

    /// Gazetteer rows of any text: no panic; every place loaded is usable
    /// (finite coordinates in range, a name without control characters).
    #[test]
    fn gazetteer_rows_load_only_usable_places(
        rows in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("ua-x-test".to_string()), Just("village".to_string()),
                    Just("UA".to_string()), Just("49.9".to_string()), Just("NaN".to_string()),
                    Just("inf".to_string()), Just("91".to_string()), Just("-180.0000001".to_string()),
                    Just(String::new()), Just("a|a|b".to_string()), Just("\u{1b}".to_string()),
                    "[a-z0-9-]{1,8}", "\\PC{0,8}",
                ],
                8..12,
            ),
            0..6,
        ),
    ) {
        let mut tsv = String::from(eventmap::gazetteer::PLACES_HEADER);
        tsv.push('\n');
        for r in &rows {
            tsv.push_str(&r.join("\t"));
            tsv.push('\n');
        }
        let files = [SourceFile { path: "places/p.tsv", contents: &tsv }];
        let (g, _) = Gazetteer::from_sources(&files);
        for p in &g.places {
            prop_assert!(p.lat.is_finite() && p.lon.is_finite());
            prop_assert!((-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon));
            prop_assert!(!p.name.trim().is_empty());
            prop_assert!(!p.name.chars().any(char::is_control), "{:?}", p.name);
        }
    }

    /// `--jsonl` input of any lines: no panic; each non-blank line is an
    /// article or a reported bad line; every text written is a GeoJSON
    /// feature; the same bytes from a second run.
    #[test]
    fn jsonl_lines_give_features_or_errors(
        lines in prop::collection::vec(
            prop_oneof![
                near_article().prop_map(|t| serde_json::json!({"id": "x.1", "text": t}).to_string()),
                near_article().prop_map(|t| serde_json::json!({"id": 7, "text": t, "published": "2023-10-12"}).to_string()),
                near_article().prop_map(|t| serde_json::json!({"id": "y", "text": t, "published": "soon"}).to_string()),
                "\\PC{0,40}",
                Just("{\"id\": null, \"text\": 1}".to_string()),
                Just(String::new()),
            ],
            0..8,
        ),
        bom in any::<bool>(),
    ) {
        let mut input = if bom { "\u{feff}".to_string() } else { String::new() };
        input.push_str(&lines.join("\n"));
        let run = || {
            let mut out = Vec::new();
            let mut errors = 0u64;
            let stats = eventmap::stream::stream_jsonl(
                extractor(),
                input.as_bytes(),
                &mut out,
                GeometryMode::Point,
                eventmap::output::geojson::SeqFraming::Newline,
                |_| errors += 1,
                |_| {},
            )
            .unwrap();
            (out, stats, errors)
        };
        let (out, stats, errors) = run();
        let nonblank = input.lines().filter(|l| !l.trim().is_empty()).count() as u64;
        prop_assert!(stats.articles + stats.bad_lines <= nonblank);
        prop_assert!(stats.bad_lines + stats.warnings <= errors);
        let text = String::from_utf8(out.clone()).unwrap();
        let mut n = 0;
        for l in text.lines() {
            let f: serde_json::Value = serde_json::from_str(l).unwrap();
            prop_assert_eq!(&f["type"], "Feature");
            n += 1;
        }
        prop_assert_eq!(n, stats.incidents);
        prop_assert_eq!(out, run().0);
    }
}
