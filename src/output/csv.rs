//! CSV writer (RFC 4180 quoting, the `csv` crate's `QuoteStyle::Necessary`).
//!
//! One row per record, in the same sorted order as the GeoJSON. Columns are
//! [`CSV_COLUMNS`]: the GeoJSON property names in the same order, with
//! `latitude` and `longitude` (the representative point, exactly 6 decimals)
//! before `wkt` (the full geometry). UTF-8; with `excel` a byte-order mark
//! comes first, so a double-click in Excel does not decode the file as
//! Windows-1252 (GDAL, QGIS and LibreOffice strip the BOM). Dates are the ISO
//! strings of `event_date`; unknown values are empty cells.
//!
//! Line ends are LF, not RFC 4180's CRLF: GDAL, QGIS, LibreOffice, Excel and
//! Python's `csv` all read LF, and LF keeps the file diff-friendly. Fields
//! containing a comma, a quote, CR or LF are quoted, quotes doubled; a quoted
//! newline inside `evidence` stays a newline.
//!
//! With `excel`, a text cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a CR also gets a leading `'`: article text is untrusted, and a
//! spreadsheet evaluates such a cell as a formula (CSV injection; LibreOffice
//! turns `=1+1 said ...` into `Err:509`). Without `excel` cells are written
//! verbatim, as GIS tools expect; numbers are never changed.
//!
//! [`write_csvt`] writes the GDAL/QGIS `.csvt` sidecar ([`CSV_TYPES`]): with
//! it GDAL and QGIS take the column types from the sidecar instead of
//! guessing, so a text column whose values look like numbers (`007`) is not
//! read as an integer.

use std::io::{self, Write};

use geo::Point;

use super::geometry::{prepare_record, Prepared};
use super::schema::{push_fixed6, push_num, push_uint, values, Value, CSV_COLUMNS, CSV_TYPES};
use super::sorted;
use crate::record::Record;

/// The UTF-8 byte-order mark written first with `excel`.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Append one cell: `s` as it is, or quoted (quotes doubled) when it holds
/// a comma, a quote, CR or LF (RFC 4180; what the `csv` crate's
/// `QuoteStyle::Necessary` does with a `\n` terminator).
pub fn push_cell(out: &mut Vec<u8>, s: &str) {
    push_cell_with(out, b"", s);
}

/// [`push_cell`] of `prefix` followed by `s` (`prefix` needs no quoting).
fn push_cell_with(out: &mut Vec<u8>, prefix: &[u8], s: &str) {
    let b = s.as_bytes();
    if !b.iter().any(|&c| matches!(c, b',' | b'"' | b'\r' | b'\n')) {
        out.extend_from_slice(prefix);
        out.extend_from_slice(b);
        return;
    }
    out.push(b'"');
    out.extend_from_slice(prefix);
    let mut rest = b;
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=i]);
        out.push(b'"');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Whether a spreadsheet would read the text cell `s` as a formula.
fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Append a property value's cell: empty for null; with `excel`, text that
/// looks like a formula gets a leading `'` ([`spreadsheet_safe`]).
pub(crate) fn push_value(out: &mut Vec<u8>, v: &Value<'_>, excel: bool) {
    match v {
        Value::Null => {}
        Value::Str(s) if excel && looks_like_formula(s) => push_cell_with(out, b"'", s),
        Value::Str(s) => push_cell(out, s),
        Value::Int(n) => push_uint(out, *n),
        Value::Num(x) => {
            push_num(out, *x);
        }
    }
}

/// Write what comes before the rows: the byte-order mark (with `excel`) and
/// the header line.
pub fn write_header<W: Write>(w: &mut W, excel: bool) -> io::Result<()> {
    write_header_with(w, excel, false)
}

/// [`write_header`], with an `event_id` column last when `events` (the
/// incidents of a run that writes the events layer).
pub fn write_header_with<W: Write>(w: &mut W, excel: bool, events: bool) -> io::Result<()> {
    if excel {
        w.write_all(BOM)?;
    }
    let mut line = Vec::new();
    for (i, c) in CSV_COLUMNS.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_cell(&mut line, c);
    }
    if events {
        line.extend_from_slice(b",event_id");
    }
    line.push(b'\n');
    w.write_all(&line)
}

/// Append a row's cells before its `wkt` cell, each with the comma after
/// it, from the record and its normalized representative point.
pub(crate) fn push_row_head(out: &mut Vec<u8>, r: &Record, excel: bool, point: Point<f64>) {
    for v in values(r).iter() {
        push_value(out, v, excel);
        out.push(b',');
    }
    push_fixed6(out, point.y());
    out.push(b',');
    push_fixed6(out, point.x());
    out.push(b',');
}

/// What ends a row, after its `wkt` cell.
pub(crate) const ROW_END: &[u8] = b"\n";

/// Append the record's CSV row from its prepared geometry and normalized
/// point ([`prepare_record`]).
pub(crate) fn push_prepared_row(
    out: &mut Vec<u8>,
    r: &Record,
    excel: bool,
    shape: &Prepared,
    point: Point<f64>,
) {
    push_row_head(out, r, excel, point);
    out.extend_from_slice(&shape.wkt_cell);
    out.extend_from_slice(ROW_END);
}

/// Append the record's CSV row (with its line end) to `out`. Rows do not
/// depend on each other, so rows written one at a time are the same bytes
/// as [`write_csv`]'s.
pub fn push_row(out: &mut Vec<u8>, r: &Record, excel: bool) -> io::Result<()> {
    let (shape, point) = prepare_record(r)?;
    push_prepared_row(out, r, excel, &shape, point);
    Ok(())
}

/// Write the records as CSV: header, then one row per record (sorted).
/// No records: the header line only.
pub fn write_csv<W: Write>(w: &mut W, records: &[Record], excel: bool) -> io::Result<()> {
    write_header(w, excel)?;
    let mut row = Vec::new();
    for r in sorted(records) {
        row.clear();
        push_row(&mut row, r, excel)?;
        w.write_all(&row)?;
    }
    w.flush()
}

/// `s` with a leading `'` when a spreadsheet would read it as a formula.
pub fn spreadsheet_safe(s: &str) -> String {
    if looks_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Write the `.csvt` sidecar: one line of quoted GDAL types, one per column.
pub fn write_csvt<W: Write>(w: &mut W) -> io::Result<()> {
    write_csvt_with(w, false)
}

/// [`write_csvt`], with the `event_id` column's type when `events`.
pub fn write_csvt_with<W: Write>(w: &mut W, events: bool) -> io::Result<()> {
    let mut line: Vec<String> = CSV_TYPES.iter().map(|t| format!("\"{t}\"")).collect();
    if events {
        line.push("\"String\"".into());
    }
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\n")
}

/// The records as CSV bytes (see [`write_csv`]).
pub fn to_bytes(records: &[Record], excel: bool) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    write_csv(&mut buf, records, excel)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testdata::samples;

    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = ::csv::Reader::from_reader(bytes);
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    }

    fn col(header: &[String], name: &str) -> usize {
        header.iter().position(|h| h == name).unwrap()
    }

    #[test]
    fn header_rows_and_values() {
        let bytes = to_bytes(&samples(), false).unwrap();
        assert!(!bytes.starts_with(BOM));
        let (header, rows) = read(&bytes);
        assert_eq!(header, CSV_COLUMNS);
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.len() == CSV_COLUMNS.len()));
        let first = &rows[0];
        assert_eq!(first[col(&header, "id")], "001_405a79c29a6589a7#1");
        assert_eq!(first[col(&header, "event_date")], "2023-03-05");
        assert_eq!(first[col(&header, "latitude")], "39.815556");
        assert_eq!(first[col(&header, "longitude")], "46.751889");
        assert_eq!(first[col(&header, "wkt")], "POINT (46.751889 39.815556)");
        assert_eq!(first[col(&header, "fatalities")], "2");
        assert_eq!(first[col(&header, "injured")], "", "null is an empty cell");
        assert_eq!(first[col(&header, "location")], "Xankəndi");
        assert_eq!(first[col(&header, "matched_text")], "Ստեփանակերտ");
        assert_eq!(rows[1][col(&header, "latitude")], "39.860000");
        assert_eq!(rows[3][col(&header, "event_date")], "");
        assert!(rows[3][col(&header, "wkt")].starts_with("POLYGON ((46 39.5, 47.2 39.5,"));
    }

    #[test]
    fn quoting_of_commas_quotes_and_newlines() {
        let bytes = to_bytes(&samples(), false).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(
            "\"Shots were fired, \"\"heavily\"\", on the road,\nsaid the ministry; see: 1, 2\""
        ));
        let (header, rows) = read(&bytes);
        assert_eq!(
            rows[1][col(&header, "evidence")],
            "Shots were fired, \"heavily\", on the road,\nsaid the ministry; see: 1, 2"
        );
        assert!(!text.contains('\r'), "LF line ends");
    }

    #[test]
    fn excel_bom() {
        let bytes = to_bytes(&samples(), true).unwrap();
        assert!(bytes.starts_with(BOM));
        let (header, rows) = read(&bytes[BOM.len()..]);
        assert_eq!(header[0], "id");
        assert_eq!(rows.len(), 4);
        let empty = to_bytes(&[], true).unwrap();
        assert!(empty.starts_with(BOM));
    }

    #[test]
    fn excel_neutralises_formulas_in_text_only() {
        let mut recs = samples();
        recs[0].evidence = "=HYPERLINK(\"http://x\") said".into();
        recs[1].actor1 = Some("-3 soldiers".into());
        let (header, rows) = read(&to_bytes(&recs, true).unwrap()[BOM.len()..]);
        let all: Vec<&String> = rows.iter().flatten().collect();
        assert!(all
            .iter()
            .any(|c| c.as_str() == "'=HYPERLINK(\"http://x\") said"));
        assert!(all.iter().any(|c| c.as_str() == "'-3 soldiers"));
        assert!(rows
            .iter()
            .all(|r| !r[col(&header, "longitude")].starts_with('\'')));
        let (_, plain) = read(&to_bytes(&recs, false).unwrap());
        let all: Vec<&String> = plain.iter().flatten().collect();
        assert!(all
            .iter()
            .any(|c| c.as_str() == "=HYPERLINK(\"http://x\") said"));
        assert_eq!(spreadsheet_safe("Xankəndi"), "Xankəndi");
    }

    #[test]
    fn empty_is_header_only() {
        let bytes = to_bytes(&[], false).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, format!("{}\n", CSV_COLUMNS.join(",")));
    }

    #[test]
    fn deterministic_and_sorted_like_geojson() {
        let mut rev = samples();
        rev.reverse();
        assert_eq!(
            to_bytes(&samples(), false).unwrap(),
            to_bytes(&rev, false).unwrap()
        );
    }

    /// Cells the csv crate's writer gives (the writer used before cells
    /// were written by hand): `QuoteStyle::Necessary`, `\n` terminator.
    fn csv_crate_row(cells: &[&str]) -> Vec<u8> {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .quote_style(::csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        w.write_record(cells).unwrap();
        w.into_inner().unwrap()
    }

    /// Awkward text: every byte that needs quoting, alone, first, last and
    /// repeated; other control characters, tabs, non-ASCII, empty.
    const AWKWARD: &[&str] = &[
        "",
        "plain",
        ",",
        "\"",
        "\"\"",
        "\r",
        "\n",
        "\r\n",
        "a,b",
        "say \"no\"",
        "\"start",
        "end\"",
        "line\nbreak",
        "cr\rinside",
        "tab\there",
        "\u{0}\u{1f}\u{7f}",
        " lead and trail ",
        "Xankəndi – Ստեփանակերտ, “quoted”",
        "=1+1",
        "-3, \"x\"",
        "'already",
        "POLYGON ((46 39.5, 47.2 39.5))",
        "POINT (46.751889 39.815556)",
    ];

    #[test]
    fn cells_are_quoted_as_the_csv_crate_quotes() {
        for s in AWKWARD {
            let mut got = Vec::new();
            push_cell(&mut got, s);
            got.push(b'\n');
            assert_eq!(got, csv_crate_row(&["", s])[1..], "{s:?}");
        }
    }

    #[test]
    fn rows_are_the_csv_crate_rows() {
        let base = samples();
        for (i, s) in AWKWARD.iter().enumerate() {
            let mut r = base[i % base.len()].clone();
            r.evidence = s.to_string();
            r.actor1 = Some(format!("{s}{s}"));
            r.location = s.chars().rev().collect();
            r.url = (i % 2 == 0).then(|| s.to_string());
            for excel in [false, true] {
                let mut got = Vec::new();
                push_row(&mut got, &r, excel).unwrap();
                // The row as the csv crate wrote it from the cell texts.
                let (shape, point) = prepare_record(&r).unwrap();
                let mut cells: Vec<String> = values(&r)
                    .iter()
                    .map(|v| match v {
                        Value::Str(s) if excel => spreadsheet_safe(s),
                        v => v.to_cell().into_owned(),
                    })
                    .collect();
                cells.push(format!("{:.6}", point.y()));
                cells.push(format!("{:.6}", point.x()));
                cells.push(shape.wkt.clone());
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(&csv_crate_row(&cells)),
                    "{s:?}, excel {excel}"
                );
            }
        }
    }

    #[test]
    fn header_is_the_csv_crate_header() {
        for excel in [false, true] {
            let mut got = Vec::new();
            write_header(&mut got, excel).unwrap();
            let mut want = if excel { BOM.to_vec() } else { Vec::new() };
            want.extend(csv_crate_row(&CSV_COLUMNS));
            assert_eq!(got, want);
        }
    }

    #[test]
    fn csvt_matches_columns() {
        let mut buf = Vec::new();
        write_csvt(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(text.trim_end().split(',').count(), CSV_COLUMNS.len());
        assert!(text.starts_with("\"String\",\"String\""));
    }
}
