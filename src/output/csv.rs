//! CSV writer (placeholder).

use crate::record::Record;

/// The records as CSV bytes, one row per record.
pub fn to_bytes(records: &[Record]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "kind",
        "source_file",
        "event_date",
        "location",
        "latitude",
        "longitude",
    ]);
    for r in records {
        let _ = w.write_record([
            r.id.clone(),
            r.kind.as_str().to_string(),
            r.source_file.clone(),
            r.event_date.clone().unwrap_or_default(),
            r.location.clone(),
            format!("{:.6}", r.point.1),
            format!("{:.6}", r.point.0),
        ]);
    }
    w.into_inner().unwrap_or_default()
}
