//! GeoJSON FeatureCollection writer (placeholder).

use serde_json::{json, Map, Value};

use crate::record::Record;

/// The record's properties as a JSON object, in schema order.
pub fn properties(r: &Record) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.id));
    m.insert("kind".into(), json!(r.kind.as_str()));
    m.insert("source_file".into(), json!(r.source_file));
    m.insert("event_date".into(), json!(r.event_date));
    m.insert("date_precision".into(), json!(r.date_precision.as_str()));
    m.insert("event_type".into(), json!(r.event_type));
    m.insert("sub_event_type".into(), json!(r.sub_event_type));
    m.insert("location".into(), json!(r.location));
    m.insert("gazetteer_id".into(), json!(r.gazetteer_id));
    m.insert("geo_precision".into(), json!(r.geo_precision));
    m.insert("fatalities".into(), json!(r.fatalities));
    m.insert("fatalities_low".into(), json!(r.fatalities_low));
    m.insert("fatalities_high".into(), json!(r.fatalities_high));
    m.insert("injured".into(), json!(r.injured));
    m.insert("actor1".into(), json!(r.actor1));
    m.insert("actor2".into(), json!(r.actor2));
    m.insert("reported_by".into(), json!(r.reported_by));
    m.insert("evidence".into(), json!(r.evidence));
    m.insert("char_start".into(), json!(r.char_start));
    m.insert("char_end".into(), json!(r.char_end));
    m.insert("matched_text".into(), json!(r.matched_text));
    m.insert("country".into(), json!(r.country));
    m.insert("admin1".into(), json!(r.admin1));
    m.insert("publisher".into(), json!(r.publisher));
    m.insert("url".into(), json!(r.url));
    m.insert("confidence".into(), json!(r.confidence));
    m
}

/// A FeatureCollection of the records.
pub fn feature_collection(records: &[Record]) -> String {
    let feats: Vec<Value> = records
        .iter()
        .map(|r| {
            let g = geojson::Geometry::from(&r.geometry);
            json!({"type": "Feature", "id": r.id, "geometry": g, "properties": properties(r)})
        })
        .collect();
    let mut s =
        serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": feats}))
            .unwrap_or_default();
    s.push('\n');
    s
}
