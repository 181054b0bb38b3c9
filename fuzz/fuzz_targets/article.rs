//! One article of any UTF-8 text: extraction must not panic, and both
//! layers must render as valid GeoJSON and CSV.
#![no_main]

use std::sync::OnceLock;

use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::output::{write_layer, Format, OutputOptions};
use eventmap::text::Article;
use eventmap::Extractor;
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        let (g, _) = Gazetteer::load(&LoadOptions::default()).expect("bundled gazetteer");
        Extractor::new(g)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut text = text.to_string();
    let cut_from = eventmap::text::cut_article(&mut text);
    let article = Article {
        file: "fuzz.txt".into(),
        path: "fuzz.txt".into(),
        text,
        publisher: None,
        published: None,
        title: None,
        url: None,
        cut_from,
    };
    let r = extractor().extract(&article);
    let opts = OutputOptions::default();
    for records in [&r.incidents, &r.statements] {
        let mut geojson = Vec::new();
        write_layer(&mut geojson, records, Format::Geojson, &opts).unwrap();
        serde_json::from_slice::<serde_json::Value>(&geojson).expect("valid GeoJSON");
        let mut csv_bytes = Vec::new();
        write_layer(&mut csv_bytes, records, Format::Csv, &opts).unwrap();
        for rec in csv::Reader::from_reader(&csv_bytes[..]).records() {
            rec.expect("valid CSV");
        }
    }
});
