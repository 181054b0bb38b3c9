//! `--jsonl` input of any bytes: the stream must not panic and must write
//! only GeoJSON features, one per line.
#![no_main]

use std::sync::OnceLock;

use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::output::geojson::SeqFraming;
use eventmap::output::GeometryMode;
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
    let mut out = Vec::new();
    eventmap::stream::stream_jsonl(
        extractor(),
        data,
        &mut out,
        GeometryMode::Point,
        SeqFraming::Newline,
        |_| {},
        |_| {},
    )
    .unwrap();
    for line in String::from_utf8(out).expect("UTF-8 output").lines() {
        let f: serde_json::Value = serde_json::from_str(line).expect("valid GeoJSON");
        assert_eq!(f["type"], "Feature");
    }
});
