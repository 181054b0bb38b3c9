//! Writers: GeoJSON (RFC 7946), GeoJSON text sequences (RFC 8142) and CSV
//! (RFC 4180).
//!
//! [`write_all`] writes the incident and statement layers into a directory
//! (or the incidents to stdout); [`write_layer`] writes one layer in one
//! format to any `io::Write`; [`geojson`] and [`csv`] hold the lower-level
//! writers. All of them sort the records ([`sort_records`]'s order) and
//! produce the same bytes for the same records.
//!
//! Files are written atomically: each one goes to a temporary file in the
//! output directory, is flushed and synced, and is renamed over the target
//! only after every file of the run has been written. A crash or an error
//! never leaves a half-written file; an error while writing replaces no
//! file (only a failing rename, after all files were written, can leave the
//! earlier files of the run replaced and the later ones not).

pub mod csv;
pub mod geojson;
pub mod geometry;
pub mod schema;

use std::cmp::Ordering;
#[cfg(unix)]
use std::fs::Permissions;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::record::Record;

/// Errors writing output. Every variant that concerns a file names it.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create output directory {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write to stdout: {source}")]
    Stdout {
        #[source]
        source: io::Error,
    },
    #[error("invalid output options: {0}")]
    Options(String),
}

/// Which geometry each GeoJSON feature carries.
///
/// The default is [`GeometryMode::Point`]: incidents are placed at a point,
/// a road, or a region, and a GeoJSON file that mixes Points, LineStrings and
/// Polygons is split by QGIS into one sublayer per geometry type (the user
/// gets a sublayer dialog and three layers with separate styles, and QGIS's
/// delimited-text loader drops all but one type from a mixed WKT column). A
/// single Point layer loads as one layer everywhere, clusters and heat-maps
/// directly, and still carries the full geometry in the `wkt` property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum GeometryMode {
    /// Every feature is a Point at the record's representative point; the full geometry is kept as WKT in the `wkt` property.
    #[default]
    Point,
    /// Features carry their full geometry (Point, LineString or Polygon); QGIS splits such a file into one sublayer per type.
    Native,
}

/// An output format (one file per layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// GeoJSON FeatureCollection (RFC 7946), `.geojson`.
    Geojson,
    /// GeoJSON text sequence (RFC 8142: RS before, LF after each feature), `.geojsons`. Read with `jq --seq`, ogr2ogr, QGIS.
    Geojsonseq,
    /// Newline-delimited GeoJSON features (no RS), `.geojsonl`. Read with plain `jq`, ogr2ogr, QGIS.
    #[value(alias = "ndjson")]
    Geojsonl,
    /// CSV (UTF-8, LF line ends) with latitude/longitude and wkt columns, `.csv`, plus a GDAL/QGIS `.csvt` type sidecar.
    Csv,
}

impl Format {
    /// The file extension written for this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Geojson => "geojson",
            Format::Geojsonseq => "geojsons",
            Format::Geojsonl => "geojsonl",
            Format::Csv => "csv",
        }
    }
}

/// How [`write_all`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOptions {
    /// Feature geometry in the GeoJSON formats (CSV always has both).
    pub geometry: GeometryMode,
    /// Formats written, one file per layer and format. Empty means the
    /// default: GeoJSON and CSV to files, a GeoJSON text sequence to stdout.
    pub formats: Vec<Format>,
    /// Start CSV output with a UTF-8 byte-order mark (for Excel).
    pub excel: bool,
    /// Write the incidents layer to stdout instead of files (statements are
    /// not written). Needs at most one format.
    pub stdout: bool,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            geometry: GeometryMode::Point,
            formats: Vec::new(),
            excel: false,
            stdout: false,
        }
    }
}

impl OutputOptions {
    /// The formats to write, defaults applied, duplicates removed (first
    /// occurrence order kept).
    pub fn effective_formats(&self) -> Vec<Format> {
        let mut out: Vec<Format> = Vec::new();
        for f in &self.formats {
            if !out.contains(f) {
                out.push(*f);
            }
        }
        if out.is_empty() {
            if self.stdout {
                out.push(Format::Geojsonseq);
            } else {
                out.extend([Format::Geojson, Format::Csv]);
            }
        }
        out
    }
}

/// The order of every output: `event_date` ascending with unknown dates
/// last, then `source_file`, then `char_start`, then `id`. Dates compare as
/// strings, so `2023` < `2023-03` < `2023-03-05`.
pub fn compare_records(a: &Record, b: &Record) -> Ordering {
    let date = match (&a.event_date, &b.event_date) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    date.then_with(|| a.source_file.cmp(&b.source_file))
        .then_with(|| a.char_start.cmp(&b.char_start))
        .then_with(|| a.id.cmp(&b.id))
}

/// Sort records into output order (see [`compare_records`]).
pub fn sort_records(records: &mut [Record]) {
    records.sort_by(compare_records);
}

/// References to the records in output order (the writers use this, so
/// they need not own or reorder the caller's slice).
pub(crate) fn sorted(records: &[Record]) -> Vec<&Record> {
    let mut v: Vec<&Record> = records.iter().collect();
    v.sort_by(|a, b| compare_records(a, b));
    v
}

/// Write one layer in one format to `w`.
pub fn write_layer<W: Write>(
    w: &mut W,
    records: &[Record],
    format: Format,
    opts: &OutputOptions,
) -> io::Result<()> {
    match format {
        Format::Geojson => geojson::write_feature_collection(w, records, opts.geometry),
        Format::Geojsonseq => {
            geojson::write_seq(w, records, opts.geometry, geojson::SeqFraming::Rfc8142)
        }
        Format::Geojsonl => {
            geojson::write_seq(w, records, opts.geometry, geojson::SeqFraming::Newline)
        }
        Format::Csv => csv::write_csv(w, records, opts.excel),
    }
}

/// Write the layers.
///
/// To files (default): for each format, `incidents.<ext>` and
/// `statements.<ext>` in `dir` (created if missing); CSV also gets
/// `incidents.csvt` / `statements.csvt`. Returns the paths written, in
/// writing order. An empty layer is still written (an empty
/// FeatureCollection, an empty sequence, a header-only CSV).
///
/// To stdout (`opts.stdout`): the incidents layer only, in the one format
/// given (a GeoJSON text sequence by default); `dir` is not touched and the
/// returned list is empty. A closed pipe (`| head`) ends the output quietly.
pub fn write_all(
    dir: &Path,
    incidents: &[Record],
    statements: &[Record],
    opts: &OutputOptions,
) -> Result<Vec<PathBuf>, OutputError> {
    let formats = opts.effective_formats();
    if opts.stdout {
        let [format] = formats[..] else {
            return Err(OutputError::Options(format!(
                "stdout takes one format, got {}",
                formats.len()
            )));
        };
        let stdout = io::stdout();
        let mut w = BufWriter::new(stdout.lock());
        let res = write_layer(&mut w, incidents, format, opts).and_then(|()| w.flush());
        return match res {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Vec::new()),
            Err(source) => Err(OutputError::Stdout { source }),
            Ok(()) => Ok(Vec::new()),
        };
    }

    std::fs::create_dir_all(dir).map_err(|source| OutputError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    // Stage every file first; rename them into place only when all are written.
    let mut staged: Vec<(NamedTempFile, PathBuf)> = Vec::new();
    for (stem, recs) in [("incidents", incidents), ("statements", statements)] {
        for &format in &formats {
            let path = dir.join(format!("{stem}.{}", format.extension()));
            let tmp = stage(dir, &path, |w| write_layer(w, recs, format, opts))?;
            staged.push((tmp, path));
            if format == Format::Csv {
                let path = dir.join(format!("{stem}.csvt"));
                let tmp = stage(dir, &path, |w| csv::write_csvt(w))?;
                staged.push((tmp, path));
            }
        }
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, path) in staged {
        tmp.persist(&path).map_err(|e| OutputError::Write {
            path: path.clone(),
            source: e.error,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Write `path`'s content to a new temporary file beside it (mode 0644 before
/// umask on Unix, like a plain `File::create`), flushed and synced to disk.
fn stage(
    dir: &Path,
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&std::fs::File>) -> io::Result<()>,
) -> Result<NamedTempFile, OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    // NamedTempFile defaults to 0600; outputs are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(Permissions::from_mode(0o644));
    }
    let tmp = b.tempfile_in(dir).map_err(err)?;
    {
        let mut w = BufWriter::new(tmp.as_file());
        fill(&mut w).map_err(err)?;
        w.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    Ok(tmp)
}

/// Records for the writers' unit tests: a Point, a LineString and a
/// clockwise Polygon with a hole, non-ASCII names, awkward evidence text,
/// unknown values, in scrambled order.
#[cfg(test)]
pub(crate) mod testdata {
    use geo::{line_string, point, Geometry, LineString, Polygon};

    use crate::record::{DatePrecision, Record, RecordKind};

    pub fn record(id: &str, date: Option<&str>, geometry: Geometry<f64>) -> Record {
        Record {
            id: id.into(),
            kind: RecordKind::Incident,
            source_file: format!("{}.txt", id.split('#').next().unwrap_or(id)),
            event_date: date.map(Into::into),
            date_precision: if date.is_some() {
                DatePrecision::Day
            } else {
                DatePrecision::Unknown
            },
            event_type: "Battles".into(),
            sub_event_type: "Armed clash".into(),
            location: "Xankəndi".into(),
            gazetteer_id: "xankendi".into(),
            geo_precision: 1,
            fatalities: Some(2),
            fatalities_low: Some(2),
            fatalities_high: Some(3),
            injured: None,
            actor1: Some("Military Forces of Azerbaijan".into()),
            actor2: None,
            reported_by: Some("Azerbaijani Defense Ministry".into()),
            evidence: "Two soldiers were killed near Ստեփանակերտ, the ministry said.".into(),
            char_start: 10,
            char_end: 70,
            matched_text: Some("Ստեփանակերտ".into()),
            country: Some("AZ".into()),
            admin1: None,
            publisher: Some("Anadolu Agency".into()),
            url: None,
            confidence: 0.8,
            point: match &geometry {
                Geometry::Point(p) => (p.x(), p.y()),
                _ => (46.7518889, 39.8155556),
            },
            geometry: geometry.into(),
        }
    }

    pub fn samples() -> Vec<Record> {
        let mut road = record(
            "001_405a79c29a6589a7#2",
            Some("2023-03-05"),
            line_string![(x: 46.7518889, y: 39.8155556), (x: 46.70, y: 39.86), (x: 46.62, y: 39.90)].into(),
        );
        road.location = "Khankendi–Khalfali–Turshsu road".into();
        road.gazetteer_id = "road-khankendi-turshsu".into();
        road.geo_precision = 2;
        road.char_start = 400;
        road.evidence =
            "Shots were fired, \"heavily\", on the road,\nsaid the ministry; see: 1, 2".into();
        road.fatalities = None;
        road.fatalities_low = None;
        road.fatalities_high = None;
        road.point = (46.70, 39.86);
        // Clockwise exterior and counter-clockwise hole: the writer must fix both.
        let mut region = record(
            "000_9ddaab0d40be2d81#1",
            None,
            Polygon::new(
                LineString::from(vec![
                    (46.0, 39.5),
                    (46.0, 40.3),
                    (47.2, 40.3),
                    (47.2, 39.5),
                    (46.0, 39.5),
                ]),
                vec![LineString::from(vec![
                    (46.5, 39.8),
                    (46.7, 39.8),
                    (46.7, 40.0),
                    (46.5, 40.0),
                    (46.5, 39.8),
                ])],
            )
            .into(),
        );
        region.location = "Nagorno-Karabakh".into();
        region.geo_precision = 3;
        region.point = (46.6, 39.9);
        region.evidence = String::new();
        let town = record(
            "001_405a79c29a6589a7#1",
            Some("2023-03-05"),
            point!(x: 46.7518889, y: 39.8155556).into(),
        );
        let mut stmt = record(
            "001_405a79c29a6589a7#s1",
            Some("2023-03-06"),
            point!(x: 37.6173, y: 55.755826).into(),
        );
        stmt.kind = crate::record::RecordKind::Statement;
        stmt.event_type = "Statement".into();
        stmt.sub_event_type = "call".into();
        stmt.location = "Moscow".into();
        stmt.geo_precision = 3;
        vec![region, road, stmt, town]
    }
}

#[cfg(test)]
mod tests {
    use super::testdata::{record, samples};
    use super::*;
    use geo::point;

    #[test]
    fn sort_order_date_nulls_last_then_file_offset_id() {
        let mut v = vec![
            record("b#1", None, point!(x: 1., y: 1.).into()),
            record("a#2", Some("2023-03-05"), point!(x: 1., y: 1.).into()),
            record("a#1", Some("2023-03-05"), point!(x: 1., y: 1.).into()),
            record("c#1", Some("2023-03"), point!(x: 1., y: 1.).into()),
            record("a#3", None, point!(x: 1., y: 1.).into()),
            record("z#1", Some("2022-12-31"), point!(x: 1., y: 1.).into()),
        ];
        v[1].char_start = 5; // a#2 before a#1 by offset
        v[2].char_start = 9;
        sort_records(&mut v);
        let ids: Vec<&str> = v.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["z#1", "c#1", "a#2", "a#1", "a#3", "b#1"]);
    }

    #[test]
    fn formats_default_and_dedup() {
        let o = OutputOptions::default();
        assert_eq!(o.effective_formats(), [Format::Geojson, Format::Csv]);
        let o = OutputOptions {
            stdout: true,
            ..Default::default()
        };
        assert_eq!(o.effective_formats(), [Format::Geojsonseq]);
        let o = OutputOptions {
            formats: vec![Format::Csv, Format::Csv, Format::Geojsonl],
            ..Default::default()
        };
        assert_eq!(o.effective_formats(), [Format::Csv, Format::Geojsonl]);
    }

    #[test]
    fn write_all_writes_every_file_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b");
        let recs = samples();
        let (st, inc): (Vec<Record>, Vec<Record>) = recs
            .into_iter()
            .partition(|r| r.kind == crate::record::RecordKind::Statement);
        let opts = OutputOptions {
            formats: vec![Format::Geojson, Format::Geojsonseq, Format::Csv],
            ..Default::default()
        };
        let written = write_all(&out, &inc, &st, &opts).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "incidents.csv",
                "incidents.csvt",
                "incidents.geojson",
                "incidents.geojsons",
                "statements.csv",
                "statements.csvt",
                "statements.geojson",
                "statements.geojsons"
            ],
            "no temporary files are left behind"
        );
        assert_eq!(written.len(), 8);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join("incidents.csv"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o044,
                0o044,
                "readable by group and others (mode {mode:o})"
            );
        }
        // Same input, same bytes; a second run replaces the files.
        let first = std::fs::read(out.join("incidents.geojson")).unwrap();
        let mut reversed = inc.clone();
        reversed.reverse();
        write_all(&out, &reversed, &st, &opts).unwrap();
        assert_eq!(first, std::fs::read(out.join("incidents.geojson")).unwrap());
    }

    #[test]
    fn empty_layers_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[], &[], &OutputOptions::default()).unwrap();
        let gj = std::fs::read_to_string(dir.path().join("statements.geojson")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&gj).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
        let csv = std::fs::read_to_string(dir.path().join("incidents.csv")).unwrap();
        assert_eq!(csv.lines().count(), 1);
        assert!(csv.starts_with("id,kind,source_file,"));
    }

    #[test]
    fn unwritable_directory_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, b"x").unwrap();
        let bad = file.join("out");
        let err = write_all(&bad, &[], &[], &OutputOptions::default()).unwrap_err();
        assert!(matches!(err, OutputError::CreateDir { .. }));
        assert!(
            err.to_string().contains(&bad.display().to_string()),
            "{err}"
        );
        // A target path occupied by a directory: Write error naming that path, nothing replaced.
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("statements.csv")).unwrap();
        let err = write_all(&out, &[], &[], &OutputOptions::default()).unwrap_err();
        assert!(err.to_string().contains("statements.csv"), "{err}");
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn stdout_takes_one_format() {
        let o = OutputOptions {
            stdout: true,
            formats: vec![Format::Geojson, Format::Csv],
            ..Default::default()
        };
        let err = write_all(Path::new("unused"), &[], &[], &o).unwrap_err();
        assert!(matches!(err, OutputError::Options(_)));
    }
}
