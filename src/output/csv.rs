//! CSV writer (RFC 4180 quoting, via the `csv` crate).
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
//! [`write_csvt`] writes the GDAL/QGIS `.csvt` sidecar ([`CSV_TYPES`]): with
//! it GDAL and QGIS take the column types from the sidecar instead of
//! guessing, so a text column whose values look like numbers (`007`) is not
//! read as an integer.

use std::io::{self, Write};

use super::geometry::{normalize, normalize_point, to_wkt};
use super::schema::{fmt_fixed6, values, Value, CSV_COLUMNS, CSV_TYPES};
use super::sorted;
use crate::record::Record;

/// The UTF-8 byte-order mark written first with `excel`.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

fn to_io(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn invalid(r: &Record, msg: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("record {}: {msg}", r.id),
    )
}

/// Write the records as CSV: header, then one row per record (sorted).
/// No records: the header line only.
pub fn write_csv<W: Write>(w: &mut W, records: &[Record], excel: bool) -> io::Result<()> {
    if excel {
        w.write_all(BOM)?;
    }
    let mut cw = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(w);
    cw.write_record(CSV_COLUMNS).map_err(to_io)?;
    for r in sorted(records) {
        let full = normalize(&r.geometry).map_err(|m| invalid(r, m))?;
        let pt = normalize_point(r.point).map_err(|m| invalid(r, m))?;
        let vals = values(r);
        let mut row: Vec<String> = vals
            .iter()
            .map(|v| Value::to_cell(v).into_owned())
            .collect();
        row.push(fmt_fixed6(pt.y()).unwrap_or_default());
        row.push(fmt_fixed6(pt.x()).unwrap_or_default());
        row.push(to_wkt(&full));
        debug_assert_eq!(row.len(), CSV_COLUMNS.len());
        cw.write_record(&row).map_err(to_io)?;
    }
    cw.flush()
}

/// Write the `.csvt` sidecar: one line of quoted GDAL types, one per column.
pub fn write_csvt<W: Write>(w: &mut W) -> io::Result<()> {
    let line: Vec<String> = CSV_TYPES.iter().map(|t| format!("\"{t}\"")).collect();
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\n")
}

/// The records as CSV bytes (see [`write_csv`]).
pub fn to_bytes(records: &[Record], excel: bool) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    write_csv(&mut buf, records, excel)?;
    Ok(buf)
}
