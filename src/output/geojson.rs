//! GeoJSON writers: a FeatureCollection (RFC 7946) and GeoJSON text
//! sequences (RFC 8142, or plain newline-delimited).
//!
//! Layout of a FeatureCollection: the opening line, then one feature per line
//! (a comma ends every feature line but the last), then `]}`:
//!
//! ```text
//! {"type":"FeatureCollection","features":[
//! {"type":"Feature","id":"001_405a79c29a6589a7#1","geometry":{...},"properties":{...}},
//! {"type":"Feature",...}
//! ]}
//! ```
//!
//! One feature per line keeps `git diff` and `grep` useful without the size
//! of fully pretty-printed JSON. An empty layer is
//! `{"type":"FeatureCollection","features":[]}`. No `crs` member is written:
//! RFC 7946 coordinates are always WGS 84 `[lon, lat]`.
//!
//! Every feature has the `id` member (the record id, always a string: GDAL
//! drops string ids when a file mixes string and number ids) and every
//! property of [`PROPERTIES`](super::schema::PROPERTIES), `null` when unknown.
//! The output depends only on the set of records: they are sorted with
//! [`sort_records`](super::sort_records)'s order first, and the JSON is
//! written by hand with a fixed member order, so equal input gives equal bytes.

use std::io::{self, Write};

use geo::Point;

use super::geometry::{prepare_record, push_geojson_point, Prepared};
use super::schema::{push_num, push_uint, values, Value, PROPERTIES};
use super::{sorted, GeometryMode};
use crate::record::Record;

/// The ASCII record separator that starts each RFC 8142 text.
pub const RS: u8 = 0x1E;

/// How features of a GeoJSON text sequence are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqFraming {
    /// RFC 8142: `0x1E` + feature + `\n` (`.geojsons`; `jq --seq` reads it).
    Rfc8142,
    /// Newline-delimited: feature + `\n` (`.geojsonl`; plain `jq` reads it).
    Newline,
}

/// Append `s` as a JSON string, escaped as `serde_json` escapes it.
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // The escaping `serde_json::to_string` does, without its String; writing
    // a str to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// Append a property value as JSON.
pub(crate) fn push_json_value(out: &mut Vec<u8>, v: &Value<'_>) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Str(s) => push_json_str(out, s),
        Value::Int(n) => push_uint(out, *n),
        Value::Num(x) => {
            if !push_num(out, *x) {
                out.extend_from_slice(b"null");
            }
        }
    }
}

/// Append what comes before a feature's geometry object:
/// `{"type":"Feature","id":"…","geometry":`.
pub(crate) fn push_feature_open(out: &mut Vec<u8>, r: &Record) {
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    push_json_str(out, &r.id);
    out.extend_from_slice(b",\"geometry\":");
}

/// Append what comes between a feature's geometry object and its `wkt`
/// value: `,"properties":{"id":…,` through `"wkt":`.
pub(crate) fn push_feature_properties(out: &mut Vec<u8>, r: &Record) {
    out.extend_from_slice(b",\"properties\":{");
    for (name, v) in PROPERTIES.iter().zip(values(r).iter()) {
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
        push_json_value(out, v);
        out.push(b',');
    }
    out.extend_from_slice(b"\"wkt\":");
}

/// What ends a feature, after its `wkt` value.
pub(crate) const FEATURE_CLOSE: &[u8] = b"}}";

/// The geometry object a feature carries, from the record's prepared full
/// geometry (`None`: the representative point, which the caller writes with
/// [`push_geojson_point`]).
pub(crate) fn native_geometry(shape: &Prepared, mode: GeometryMode) -> Option<&[u8]> {
    match mode {
        GeometryMode::Native => shape.geojson.as_deref(),
        GeometryMode::Point => None,
    }
}

/// Append one Feature as a single line of JSON (no line end), from the
/// record's prepared geometry and normalized point
/// ([`prepare_record`](super::geometry::prepare_record)).
pub(crate) fn push_feature(
    out: &mut Vec<u8>,
    r: &Record,
    mode: GeometryMode,
    shape: &Prepared,
    point: Point<f64>,
) {
    push_feature_open(out, r);
    match native_geometry(shape, mode) {
        Some(g) => out.extend_from_slice(g),
        None => push_geojson_point(out, point),
    }
    push_feature_properties(out, r);
    out.extend_from_slice(&shape.wkt_json);
    out.extend_from_slice(FEATURE_CLOSE);
}

/// Append one Feature as a single line of JSON (no line end): see [`feature`].
pub fn write_feature(out: &mut Vec<u8>, r: &Record, mode: GeometryMode) -> io::Result<()> {
    let (shape, point) = prepare_record(r)?;
    push_feature(out, r, mode, &shape, point);
    Ok(())
}

/// One Feature as a single line of JSON (no trailing newline).
///
/// With [`GeometryMode::Point`] the geometry is the record's representative
/// point; with [`GeometryMode::Native`] it is the full geometry, or the
/// representative point when the full geometry cannot be written as RFC 7946
/// GeoJSON (GeometryCollection, empty or degenerate parts). The `wkt`
/// property always holds the full geometry.
pub fn feature(r: &Record, mode: GeometryMode) -> io::Result<String> {
    let mut out = Vec::with_capacity(512);
    write_feature(&mut out, r, mode)?;
    String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The bytes of an empty FeatureCollection.
const EMPTY_COLLECTION: &[u8] = b"{\"type\":\"FeatureCollection\",\"features\":[]}\n";

/// Writes a FeatureCollection one feature at a time, in the layout above:
/// the caller passes the features in output order, and the count need not be
/// known in advance.
#[derive(Debug, Default)]
pub struct CollectionWriter {
    features: u64,
}

impl CollectionWriter {
    /// Write one feature (a line of [`feature`] text).
    pub fn feature<W: Write>(&mut self, w: &mut W, feature: &[u8]) -> io::Result<()> {
        self.feature_in_parts(w, &[feature])
    }

    /// Write one feature given as consecutive pieces of its text.
    pub fn feature_in_parts<W: Write>(&mut self, w: &mut W, parts: &[&[u8]]) -> io::Result<()> {
        w.write_all(if self.features == 0 {
            b"{\"type\":\"FeatureCollection\",\"features\":[\n"
        } else {
            b",\n"
        })?;
        self.features += 1;
        parts.iter().try_for_each(|p| w.write_all(p))
    }

    /// Close the collection (an empty one when no feature was written).
    pub fn finish<W: Write>(self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.features == 0 {
            EMPTY_COLLECTION
        } else {
            b"\n]}\n"
        })
    }
}

/// Write one feature as a text of a sequence: `RS` (with
/// [`SeqFraming::Rfc8142`]), the feature, `\n`.
pub fn write_text<W: Write>(w: &mut W, framing: SeqFraming, feature: &[u8]) -> io::Result<()> {
    write_text_in_parts(w, framing, &[feature])
}

/// [`write_text`] of a feature given as consecutive pieces of its text.
pub fn write_text_in_parts<W: Write>(
    w: &mut W,
    framing: SeqFraming,
    parts: &[&[u8]],
) -> io::Result<()> {
    if framing == SeqFraming::Rfc8142 {
        w.write_all(&[RS])?;
    }
    parts.iter().try_for_each(|p| w.write_all(p))?;
    w.write_all(b"\n")
}

/// Write the records as a FeatureCollection (sorted, one feature per line).
pub fn write_feature_collection<W: Write>(
    w: &mut W,
    records: &[Record],
    mode: GeometryMode,
) -> io::Result<()> {
    let mut c = CollectionWriter::default();
    let mut buf = Vec::new();
    for r in sorted(records) {
        buf.clear();
        write_feature(&mut buf, r, mode)?;
        c.feature(w, &buf)?;
    }
    c.finish(w)
}

/// Write the records as a GeoJSON text sequence, one feature per text, in
/// the same sorted order. An empty layer is an empty (zero-byte) sequence.
pub fn write_seq<W: Write>(
    w: &mut W,
    records: &[Record],
    mode: GeometryMode,
    framing: SeqFraming,
) -> io::Result<()> {
    let mut buf = Vec::new();
    for r in sorted(records) {
        buf.clear();
        write_feature(&mut buf, r, mode)?;
        write_text(w, framing, &buf)?;
    }
    Ok(())
}

/// A FeatureCollection of the records as a string (convenience for tests
/// and library users; see [`write_feature_collection`]).
pub fn feature_collection(records: &[Record], mode: GeometryMode) -> io::Result<String> {
    let mut buf = Vec::new();
    write_feature_collection(&mut buf, records, mode)?;
    String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::PROPERTIES;
    use crate::output::testdata::samples;
    use serde_json::Value as J;

    fn parse(s: &str) -> J {
        serde_json::from_str(s).unwrap()
    }

    fn signed_area(ring: &J) -> f64 {
        let pts: Vec<(f64, f64)> = ring
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        pts.windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum::<f64>()
            / 2.0
    }

    #[test]
    fn properties_typed_complete_and_ordered() {
        let s = feature_collection(&samples(), GeometryMode::Point).unwrap();
        let v = parse(&s);
        assert_eq!(v["type"], "FeatureCollection");
        assert!(v.get("crs").is_none());
        let feats = v["features"].as_array().unwrap();
        assert_eq!(feats.len(), 4);
        for f in feats {
            assert_eq!(f["type"], "Feature");
            assert!(f["id"].is_string());
            assert_eq!(f["id"], f["properties"]["id"]);
            let props = f["properties"].as_object().unwrap();
            for p in PROPERTIES {
                assert!(props.contains_key(p), "missing {p}");
            }
            assert_eq!(props.len(), PROPERTIES.len());
            assert!(props["geo_precision"].is_u64());
            assert!(props["char_start"].is_u64());
            assert!(props["confidence"].is_f64());
            assert!(props["fatalities"].is_u64() || props["fatalities"].is_null());
            assert!(props["injured"].is_null());
            assert!(props["wkt"].is_string());
            assert_eq!(f["geometry"]["type"], "Point");
        }
        // Property order in the bytes is the schema order.
        let line = s.lines().nth(1).unwrap();
        let mut last = 0;
        for p in PROPERTIES {
            let at = line.find(&format!("\"{p}\":")).unwrap();
            assert!(at > last || p == "id", "{p} out of order");
            last = at;
        }
        // Dates as ISO strings, unknown as null; non-ASCII kept as UTF-8.
        assert_eq!(feats[0]["properties"]["event_date"], "2023-03-05");
        assert!(feats[3]["properties"]["event_date"].is_null());
        assert!(
            feats[3]["properties"]["evidence"].is_null(),
            "empty evidence is null"
        );
        assert!(s.contains("Xankəndi") && s.contains("Ստեփանակերտ"));
    }

    #[test]
    fn sorted_one_feature_per_line() {
        let s = feature_collection(&samples(), GeometryMode::Point).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], r#"{"type":"FeatureCollection","features":["#);
        assert_eq!(*lines.last().unwrap(), "]}");
        assert_eq!(lines.len(), 6);
        let ids: Vec<String> = parse(&s)["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            ids,
            [
                "001_405a79c29a6589a7#1",
                "001_405a79c29a6589a7#2",
                "001_405a79c29a6589a7#s1",
                "000_9ddaab0d40be2d81#1"
            ]
        );
    }

    #[test]
    fn deterministic_bytes_whatever_the_input_order() {
        let a = feature_collection(&samples(), GeometryMode::Native).unwrap();
        let mut rev = samples();
        rev.reverse();
        let b = feature_collection(&rev, GeometryMode::Native).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a,
            feature_collection(&samples(), GeometryMode::Native).unwrap()
        );
    }

    #[test]
    fn rounding_and_lon_lat_order() {
        let s = feature_collection(&samples(), GeometryMode::Point).unwrap();
        assert!(s.contains(r#""coordinates":[46.751889,39.815556]"#), "{s}");
        assert!(s.contains(r#""coordinates":[46.7,39.86]"#));
        assert!(s.contains(r#""wkt":"POINT (46.751889 39.815556)""#));
        assert!(!s.contains("46.7518889"));
    }

    #[test]
    fn native_geometry_with_fixed_winding() {
        let v = parse(&feature_collection(&samples(), GeometryMode::Native).unwrap());
        let feats = v["features"].as_array().unwrap();
        let types: Vec<&str> = feats
            .iter()
            .map(|f| f["geometry"]["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["Point", "LineString", "Point", "Polygon"]);
        let rings = feats[3]["geometry"]["coordinates"].as_array().unwrap();
        assert!(signed_area(&rings[0]) > 0.0, "exterior counter-clockwise");
        assert!(signed_area(&rings[1]) < 0.0, "hole clockwise");
        let wkt = feats[3]["properties"]["wkt"].as_str().unwrap();
        assert!(wkt.starts_with("POLYGON ((46 39.5, 47.2 39.5, "), "{wkt}");
    }

    #[test]
    fn degenerate_native_geometry_falls_back_to_point() {
        let mut r = samples().remove(0);
        r.geometry = geo::Geometry::from(geo::LineString::from(vec![(46.0, 39.0)])).into();
        let f = parse(&feature(&r, GeometryMode::Native).unwrap());
        assert_eq!(f["geometry"]["type"], "Point");
        assert_eq!(f["properties"]["wkt"], "LINESTRING (46 39)");
    }

    #[test]
    fn non_finite_coordinates_are_an_error_naming_the_record() {
        let mut r = samples().remove(0);
        r.point = (f64::NAN, 1.0);
        let e = feature(&r, GeometryMode::Point).unwrap_err();
        assert!(e.to_string().contains(&r.id));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes() {
        let mut all: String = (0u8..128).map(char::from).collect();
        all.push_str("Xankəndi Ստեփանակերտ \u{2028}\u{2029} \u{fffd} 🗺");
        let cases = [
            all.as_str(),
            "",
            "plain",
            "\"\\\"",
            "line\nbreak\r\t\u{8}\u{c}",
        ];
        for s in cases {
            let mut got = b"x".to_vec();
            push_json_str(&mut got, s);
            assert_eq!(
                got,
                format!("x{}", serde_json::to_string(s).unwrap()).as_bytes()
            );
        }
    }

    #[test]
    fn empty_collection() {
        assert_eq!(
            feature_collection(&[], GeometryMode::Point).unwrap(),
            "{\"type\":\"FeatureCollection\",\"features\":[]}\n"
        );
        let mut buf = Vec::new();
        write_seq(&mut buf, &[], GeometryMode::Point, SeqFraming::Rfc8142).unwrap();
        assert!(buf.is_empty());
    }

    #[test]
    fn seq_framing() {
        let mut buf = Vec::new();
        write_seq(
            &mut buf,
            &samples(),
            GeometryMode::Point,
            SeqFraming::Rfc8142,
        )
        .unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with('\u{1e}') && text.ends_with('\n'));
        let parts: Vec<&str> = text.split('\u{1e}').skip(1).collect();
        assert_eq!(parts.len(), 4);
        for p in &parts {
            assert_eq!(p.matches('\n').count(), 1, "one LF per text, at the end");
            assert_eq!(parse(p)["type"], "Feature");
        }
        // Same features as the collection, same order.
        let fc = feature_collection(&samples(), GeometryMode::Point).unwrap();
        for (p, line) in parts.iter().zip(fc.lines().skip(1)) {
            assert_eq!(p.trim_end(), line.trim_end_matches(','));
        }

        let mut buf = Vec::new();
        write_seq(
            &mut buf,
            &samples(),
            GeometryMode::Point,
            SeqFraming::Newline,
        )
        .unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(!text.contains('\u{1e}'));
        assert_eq!(text.lines().count(), 4);
        text.lines()
            .for_each(|l| assert_eq!(parse(l)["type"], "Feature"));
    }
}
