//! The property schema shared by the GeoJSON and CSV writers, and number
//! formatting.
//!
//! Property order: the CODEBOOK section 7 properties in the codebook's order,
//! then the extras [`Record`] carries, then `wkt` (the full geometry). The CSV
//! writer uses the same names and order, with `latitude` and `longitude`
//! inserted before `wkt`.
//!
//! Null rules: an unknown value is `null` in GeoJSON and an empty cell in CSV.
//! Optional fields that are `None` are unknown, and so are empty strings in
//! the descriptive text fields (`event_type`, `sub_event_type`, `location`,
//! `gazetteer_id`, `evidence`, and any `Some("")`). `id`, `kind`,
//! `source_file` and `date_precision` are always strings.

use std::borrow::Cow;

use crate::record::Record;

/// One property value with its JSON type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Str(Cow<'a, str>),
    Int(u64),
    /// A real number, written with at most 6 decimals (non-finite: null).
    Num(f64),
}

impl Value<'_> {
    /// The CSV cell text: empty for null.
    pub fn to_cell(&self) -> Cow<'_, str> {
        match self {
            Value::Null => Cow::Borrowed(""),
            Value::Str(s) => Cow::Borrowed(s.as_ref()),
            Value::Int(n) => Cow::Owned(n.to_string()),
            Value::Num(x) => match fmt_num(*x) {
                Some(s) => Cow::Owned(s),
                None => Cow::Borrowed(""),
            },
        }
    }
}

/// The GeoJSON property names, in the order written. The CSV header is the
/// same list with `latitude` and `longitude` inserted before `wkt`
/// ([`CSV_COLUMNS`]).
pub const PROPERTIES: [&str; 27] = [
    // CODEBOOK section 7, in its order.
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
    // Extras documented in the README / Record.
    "fatalities_low",
    "fatalities_high",
    "injured",
    "country",
    "admin1",
    "matched_text",
    "char_start",
    "char_end",
    "publisher",
    "url",
    "confidence",
    // The full geometry as WKT (see `output::wkt`).
    "wkt",
];

/// The CSV header: [`PROPERTIES`] with `latitude`, `longitude` before `wkt`.
pub const CSV_COLUMNS: [&str; 29] = [
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
    "fatalities_low",
    "fatalities_high",
    "injured",
    "country",
    "admin1",
    "matched_text",
    "char_start",
    "char_end",
    "publisher",
    "url",
    "confidence",
    "latitude",
    "longitude",
    "wkt",
];

/// GDAL/QGIS `.csvt` type of each [`CSV_COLUMNS`] entry. With the sidecar,
/// GDAL and QGIS do not guess types, so an id such as `007` stays a string.
pub const CSV_TYPES: [&str; 29] = [
    "String",  // id
    "String",  // kind
    "String",  // source_file
    "String",  // event_date (mixed precision: YYYY, YYYY-MM, YYYY-MM-DD)
    "String",  // date_precision
    "String",  // event_type
    "String",  // sub_event_type
    "String",  // location
    "String",  // gazetteer_id
    "Integer", // geo_precision
    "Integer", // fatalities
    "String",  // actor1
    "String",  // actor2
    "String",  // reported_by
    "String",  // evidence
    "Integer", // fatalities_low
    "Integer", // fatalities_high
    "Integer", // injured
    "String",  // country
    "String",  // admin1
    "String",  // matched_text
    "Integer", // char_start
    "Integer", // char_end
    "String",  // publisher
    "String",  // url
    "Real",    // confidence
    "Real",    // latitude
    "Real",    // longitude
    "String",  // wkt
];

fn text(s: &str) -> Value<'_> {
    if s.is_empty() {
        Value::Null
    } else {
        Value::Str(Cow::Borrowed(s))
    }
}

fn opt_text(s: &Option<String>) -> Value<'_> {
    match s {
        Some(s) => text(s),
        None => Value::Null,
    }
}

fn opt_int(n: Option<u32>) -> Value<'static> {
    n.map_or(Value::Null, |n| Value::Int(u64::from(n)))
}

/// The record's property values in [`PROPERTIES`] order, without `wkt`
/// (the caller appends it: it depends on geometry normalisation).
pub fn values(r: &Record) -> [Value<'_>; 26] {
    [
        Value::Str(Cow::Borrowed(&r.id)),
        Value::Str(Cow::Borrowed(r.kind.as_str())),
        Value::Str(Cow::Borrowed(&r.source_file)),
        opt_text(&r.event_date),
        Value::Str(Cow::Borrowed(r.date_precision.as_str())),
        text(&r.event_type),
        text(&r.sub_event_type),
        text(&r.location),
        text(&r.gazetteer_id),
        Value::Int(u64::from(r.geo_precision)),
        opt_int(r.fatalities),
        opt_text(&r.actor1),
        opt_text(&r.actor2),
        opt_text(&r.reported_by),
        text(&r.evidence),
        opt_int(r.fatalities_low),
        opt_int(r.fatalities_high),
        opt_int(r.injured),
        opt_text(&r.country),
        opt_text(&r.admin1),
        opt_text(&r.matched_text),
        Value::Int(r.char_start as u64),
        Value::Int(r.char_end as u64),
        opt_text(&r.publisher),
        opt_text(&r.url),
        Value::Num(r.confidence),
    ]
}

/// Round to 6 decimals (about 0.1 m), the precision every writer uses.
pub fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}

/// `x` with at most 6 decimals, trailing zeros dropped (`46.75`, `40`,
/// `-0.000001`); never `-0` or exponent notation. `None` if not finite.
pub fn fmt_num(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let mut s = format!("{:.6}", round6(x));
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(t);
    }
    if s == "-0" {
        s = "0".into();
    }
    Some(s)
}

/// `x` with exactly 6 decimals (CSV `latitude` / `longitude`). `None` if not finite.
pub fn fmt_fixed6(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    Some(format!("{:.6}", round6(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_are_properties_plus_lat_lon() {
        let mut expect: Vec<&str> = PROPERTIES[..PROPERTIES.len() - 1].to_vec();
        expect.extend(["latitude", "longitude", "wkt"]);
        assert_eq!(expect, CSV_COLUMNS.to_vec());
    }

    #[test]
    fn numbers_round_to_six_decimals() {
        assert_eq!(fmt_num(46.751888888).as_deref(), Some("46.751889"));
        assert_eq!(fmt_num(46.75).as_deref(), Some("46.75"));
        assert_eq!(fmt_num(40.0).as_deref(), Some("40"));
        assert_eq!(fmt_num(-0.0000001).as_deref(), Some("0"));
        assert_eq!(fmt_num(-0.000001).as_deref(), Some("-0.000001"));
        assert_eq!(fmt_num(0.0000004).as_deref(), Some("0"));
        assert_eq!(fmt_num(1e-7).as_deref(), Some("0"));
        assert_eq!(fmt_num(-179.9999996).as_deref(), Some("-180"));
        assert_eq!(fmt_num(f64::NAN), None);
        assert_eq!(fmt_num(f64::INFINITY), None);
        assert_eq!(fmt_fixed6(39.8).as_deref(), Some("39.800000"));
        assert_eq!(fmt_fixed6(-0.0).as_deref(), Some("0.000000"));
    }
}
