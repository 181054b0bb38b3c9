//! The property schema shared by the GeoJSON and CSV writers, and number
//! formatting.
//!
//! Property order: the CODEBOOK section 7 properties in the codebook's order,
//! then the extras [`Record`] carries, then `wkt` (the full geometry). The CSV
//! writer uses the same names and order, with `latitude` and `longitude`
//! inserted before `wkt`. A run that writes the events layer
//! ([`crate::events`]) adds `event_id` to each incident after `wkt` (the last
//! property, the last CSV column); the writers splice it in when the
//! incidents are drained ([`super::OutputWriter::with_events`]).
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

/// Magnitudes below this are formatted from the integer `(x * 1e6).round()`:
/// there a multiple of 1e-6 is within half a unit in the last place
/// (at most 2^-21 < 0.5e-6) of the `f64` that [`round6`] gives, so that
/// integer's digits are exactly what `format!("{:.6}", round6(x))` prints.
/// Larger ones (never coordinates) go through `format!`.
const INTEGER_PATH_LIMIT: f64 = 4_294_967_296.0; // 2^32

/// `round6(x)` as an integer count of millionths, when `x` is finite and
/// below [`INTEGER_PATH_LIMIT`] in magnitude.
fn millionths(x: f64) -> Option<i64> {
    if x.abs() < INTEGER_PATH_LIMIT {
        // |x * 1e6| < 2^53: the rounded product is an exact integer.
        Some((x * 1e6).round() as i64)
    } else {
        None
    }
}

/// Append the decimal digits of `n`.
pub fn push_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Append `-` (for negative `m`), the integer part of `m` millionths and
/// the six digits of its fraction; the fraction's trailing zeros (and then
/// the point) are dropped unless `fixed`.
fn push_millionths(out: &mut Vec<u8>, m: i64, fixed: bool) {
    if m < 0 {
        out.push(b'-');
    }
    let m = m.unsigned_abs();
    push_uint(out, m / 1_000_000);
    let mut frac = m % 1_000_000;
    let mut digits = 6;
    if !fixed {
        if frac == 0 {
            return;
        }
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
    }
    out.push(b'.');
    let mut buf = [b'0'; 6];
    for d in buf[..digits].iter_mut().rev() {
        *d = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    out.extend_from_slice(&buf[..digits]);
}

/// Append [`fmt_num`]'s text of `x`; `false` (nothing appended) if `x` is
/// not finite.
pub fn push_num(out: &mut Vec<u8>, x: f64) -> bool {
    if !x.is_finite() {
        return false;
    }
    match millionths(x) {
        Some(m) => push_millionths(out, m, false),
        None => out.extend_from_slice(fmt_num_slow(x).as_bytes()),
    }
    true
}

/// Append [`fmt_fixed6`]'s text of `x`; `false` (nothing appended) if `x`
/// is not finite.
pub fn push_fixed6(out: &mut Vec<u8>, x: f64) -> bool {
    if !x.is_finite() {
        return false;
    }
    match millionths(x) {
        Some(m) => push_millionths(out, m, true),
        None => out.extend_from_slice(format!("{:.6}", round6(x)).as_bytes()),
    }
    true
}

/// [`fmt_num`] through `format!`, as it was written before the integer
/// path (for magnitudes past [`INTEGER_PATH_LIMIT`]).
fn fmt_num_slow(x: f64) -> String {
    let mut s = format!("{:.6}", round6(x));
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(t);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// The bytes of a formatter that writes only ASCII, as a `String`.
fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// `x` with at most 6 decimals, trailing zeros dropped (`46.75`, `40`,
/// `-0.000001`); never `-0` or exponent notation. `None` if not finite.
pub fn fmt_num(x: f64) -> Option<String> {
    let mut out = Vec::with_capacity(24);
    push_num(&mut out, x).then(|| ascii(out))
}

/// `x` with exactly 6 decimals (CSV `latitude` / `longitude`). `None` if not finite.
pub fn fmt_fixed6(x: f64) -> Option<String> {
    let mut out = Vec::with_capacity(24);
    push_fixed6(&mut out, x).then(|| ascii(out))
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

    /// The formatting before the integer path (`format!` of the rounded
    /// value, trimmed), which the slow path keeps.
    fn old_fmt_num(x: f64) -> Option<String> {
        x.is_finite().then(|| fmt_num_slow(x))
    }

    fn old_fmt_fixed6(x: f64) -> Option<String> {
        if !x.is_finite() {
            return None;
        }
        Some(format!("{:.6}", round6(x)))
    }

    /// Edge values: zeros, signs, ties at half a millionth (and the
    /// neighbouring doubles), magnitudes around the integer path's limit,
    /// huge, tiny and non-finite values.
    fn edge_values() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5e-6,
            -0.5e-6,
            1.5e-6,
            -1.5e-6,
            2.5e-6,
            0.4999999e-6,
            0.5000001e-6,
            1e-6,
            -1e-6,
            1e-7,
            -1e-7,
            46.7518885,
            46.7518895,
            -179.9999995,
            -179.9999996,
            179.9999994,
            90.0,
            -90.0,
            0.1,
            0.2,
            0.3,
            0.8,
            0.95,
            123456.1234565,
            999_999.999_999_5,
            4_294_967_295.999_999,
            4_294_967_296.0,
            -4_294_967_296.0,
            4_294_967_296.000_001,
            9_007_199_254.740_992,
            1e15,
            -1e15,
            1e16 + 2.0,
            1e20,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            f64::EPSILON,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Both neighbours of every value.
        for x in v.clone() {
            if x.is_finite() && x != 0.0 {
                v.push(f64::from_bits(x.to_bits() + 1));
                v.push(f64::from_bits(x.to_bits() - 1));
            }
        }
        // k + 0.5 millionths and their neighbours, around many k.
        for k in [0i64, 1, 2, 3, 7, 10, 99, 12_345, 46_751_888, 179_999_999] {
            for sign in [1.0, -1.0] {
                let x = sign * (k as f64 + 0.5) / 1e6;
                v.extend([
                    x,
                    f64::from_bits(x.to_bits() + 1),
                    f64::from_bits(x.to_bits() - 1),
                ]);
            }
        }
        v
    }

    /// Deterministic pseudo-random doubles: coordinates, small fractions,
    /// and arbitrary bit patterns.
    fn random_values(n: usize) -> Vec<f64> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|i| {
                let r = next();
                match i % 4 {
                    0 => (r >> 11) as f64 / (1u64 << 53) as f64 * 360.0 - 180.0,
                    1 => (r >> 11) as f64 / (1u64 << 53) as f64 * 2e-5 - 1e-5,
                    2 => ((r >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e10,
                    _ => f64::from_bits(r),
                }
            })
            .collect()
    }

    #[test]
    fn integer_path_formats_like_format() {
        for x in edge_values().into_iter().chain(random_values(200_000)) {
            assert_eq!(
                fmt_num(x),
                old_fmt_num(x),
                "fmt_num({x:e}) [{:#x}]",
                x.to_bits()
            );
            assert_eq!(
                fmt_fixed6(x),
                old_fmt_fixed6(x),
                "fmt_fixed6({x:e}) [{:#x}]",
                x.to_bits()
            );
            let mut out = b"prefix ".to_vec();
            assert_eq!(push_num(&mut out, x), x.is_finite());
            let want = format!("prefix {}", old_fmt_num(x).unwrap_or_default());
            assert_eq!(out, want.as_bytes(), "push_num({x:e}) appends");
        }
    }

    #[test]
    fn integers() {
        for n in [
            0u64,
            1,
            9,
            10,
            99,
            100,
            12_345,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = vec![b'x'];
            push_uint(&mut out, n);
            assert_eq!(out, format!("x{n}").as_bytes());
        }
    }
}
