//! Writers: GeoJSON (RFC 7946), GeoJSON text sequences (RFC 8142) and CSV
//! (RFC 4180).
//!
//! [`write_all`] writes the incident and statement layers into a directory
//! (or the incidents to stdout); [`OutputWriter`] does the same for records
//! that arrive article by article, in bounded memory (records past its sort
//! buffer are sorted on disk, [`sort`]); [`write_layer`] writes one layer in
//! one format to any `io::Write`; [`geojson`] and [`csv`] hold the
//! lower-level writers. All of them sort the records ([`sort_records`]'s
//! order) and produce the same bytes for the same records.
//!
//! Files are written atomically: each one goes to a temporary file in the
//! output directory, is flushed and synced, and is renamed over the target
//! only after every file of the run has been written. A crash or an error
//! never leaves a half-written file; an error while writing replaces no
//! file (only a failing rename, after all files were written, can leave the
//! earlier files of the run replaced and the later ones not).

mod cleanup;
pub mod csv;
pub mod geojson;
pub mod geometry;
pub mod schema;
pub mod sort;

use std::cmp::Ordering;
#[cfg(unix)]
use std::fs::Permissions;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::record::Record;
use geojson::FEATURE_CLOSE;
use sort::{Body, Rendered, ShapeTable, Shapes, Sorter};

use crate::events::{self, Collector, Draft, Rules};

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
    #[error("cannot write temporary sort files in {}: {source}", dir.display())]
    Spill {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "invalid size {0:?}: expected a number of bytes, or a number with K, M or G (e.g. 64M)"
    )]
    Size(String),
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
///
/// The same as an [`OutputWriter`] given all the records at once.
pub fn write_all(
    dir: &Path,
    incidents: &[Record],
    statements: &[Record],
    opts: &OutputOptions,
) -> Result<Vec<PathBuf>, OutputError> {
    let mut w = OutputWriter::new(dir, opts)?;
    w.add_records(incidents, statements)?;
    w.finish()
}

/// Memory an [`OutputWriter`] gives its records by default before it
/// spills them to temporary files: 32 MiB (peak memory of a run with the
/// bundled gazetteer: about 150 MB).
pub const DEFAULT_SORT_BUFFER: usize = 32 << 20;

/// Parse a size for [`OutputWriter::with_sort_buffer`]: a number of bytes,
/// or a number with a `K`, `M` or `G` suffix (powers of 1024): `64M`.
pub fn parse_size(s: &str) -> Result<usize, OutputError> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1usize << 10),
        Some((i, 'm' | 'M')) => (&t[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    digits
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| OutputError::Size(s.to_string()))
}

/// One article's records, rendered by [`OutputWriter::render`] for
/// [`OutputWriter::add`].
#[derive(Debug, Default)]
pub struct RenderedArticle {
    incidents: Vec<Rendered>,
    statements: Vec<Rendered>,
    /// Statements extracted (to stdout they are counted, not written).
    statement_count: u64,
    /// The incidents for the events layer, and whether each says "at night".
    drafts: Vec<(Draft, bool)>,
}

/// Writes the layers of a run as the records arrive, in bounded memory,
/// with the same bytes as [`write_all`] given all of them.
///
/// Records are rendered as they come ([`OutputWriter::render`], which
/// worker threads may call in parallel) into the bytes each requested format
/// needs (with the texts of shared geometries kept once for the run, see
/// [`sort::Shapes`]), and kept with their sort key only. Past the sort buffer
/// ([`OutputWriter::with_sort_buffer`], [`DEFAULT_SORT_BUFFER`]) they are
/// sorted and spilled to unnamed temporary files ([`sort`]) in the output
/// directory (with stdout: the system temporary directory, `TMPDIR`).
/// [`OutputWriter::finish`] merges them into the output files, staged and
/// renamed as the module documentation describes, or onto stdout.
#[derive(Debug)]
pub struct OutputWriter {
    dir: PathBuf,
    spill_dir: PathBuf,
    opts: OutputOptions,
    formats: Vec<Format>,
    sort_buffer: usize,
    incidents: Sorter,
    statements: Sorter,
    statement_count: u64,
    /// Texts of the shared geometries the rendered records refer to.
    shapes: Shapes,
    /// The events layer: its rules and the incidents collected for it.
    events: Option<(Rules, Collector)>,
}

impl OutputWriter {
    /// A writer for `opts` into `dir`, which is created now (so an unusable
    /// directory fails before any work); with `opts.stdout` the options must
    /// name at most one format and `dir` is not touched.
    pub fn new(dir: &Path, opts: &OutputOptions) -> Result<Self, OutputError> {
        let formats = opts.effective_formats();
        let spill_dir = if opts.stdout {
            if formats.len() != 1 {
                return Err(OutputError::Options(format!(
                    "stdout takes one format, got {}",
                    formats.len()
                )));
            }
            std::env::temp_dir()
        } else {
            std::fs::create_dir_all(dir).map_err(|source| OutputError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
            cleanup::remove_stale(dir);
            dir.to_path_buf()
        };
        Ok(OutputWriter {
            dir: dir.to_path_buf(),
            incidents: Sorter::new(&spill_dir),
            statements: Sorter::new(&spill_dir),
            spill_dir,
            opts: opts.clone(),
            formats,
            sort_buffer: DEFAULT_SORT_BUFFER,
            statement_count: 0,
            shapes: Shapes::default(),
            events: None,
        })
    }

    /// Keep at most about `bytes` of rendered records in memory; more are
    /// spilled to temporary files. `0` spills after every article (for tests
    /// of the merge: the output is the same for any value).
    pub fn with_sort_buffer(mut self, bytes: usize) -> Self {
        self.sort_buffer = bytes;
        self
    }

    /// Also write the events layer (`events.<ext>`, see [`crate::events`])
    /// fused with `rules`, and give each incident its `event_id`. Not with
    /// stdout (the events need every incident; `eventmap fuse` reads them).
    pub fn with_events(mut self, rules: Rules) -> Self {
        if !self.opts.stdout {
            self.events = Some((rules, Collector::new()));
        }
        self
    }

    /// The same, with a table of shapes that holds at most `bytes` (past
    /// it, records carry their geometry's text themselves).
    #[cfg(test)]
    fn with_shapes_budget(mut self, bytes: usize) -> Self {
        self.shapes = Shapes::with_budget(bytes);
        self
    }

    /// Render one record into the parts its formats need; an error (a
    /// non-finite coordinate) is kept, and reported by `finish` for the
    /// layer's first file, as the writers report it. `scratch` is working
    /// space, reused from record to record.
    fn render_record(&self, r: &Record, scratch: &mut Vec<u8>) -> Rendered {
        let mut id = None;
        let prepared = geometry::prepare_record_with(r, |g| {
            let (p, i) = self.shapes.prepare(g)?;
            id = i;
            Ok(p)
        });
        let (shape, point) = match prepared {
            Ok(p) => p,
            Err(e) => return Rendered::new(r, Err(e.to_string())),
        };
        let feature = self.formats.iter().any(|&f| f != Format::Csv);
        let row = self.formats.contains(&Format::Csv);
        scratch.clear();
        let Some(id) = id else {
            if feature {
                geojson::push_feature(scratch, r, self.opts.geometry, &shape, point);
            }
            let feature_len = scratch.len();
            if row {
                csv::push_prepared_row(scratch, r, self.opts.excel, &shape, point);
            }
            let (feature, csv) = scratch.split_at(feature_len);
            return Rendered::new(r, Ok(Body::Whole { feature, csv }));
        };
        // The pieces around the shape's texts (see `sort::Body::Shaped`).
        let native = geojson::native_geometry(&shape, self.opts.geometry).is_some();
        let mut ends = [0; 2];
        if feature {
            geojson::push_feature_open(scratch, r);
            if !native {
                geometry::push_geojson_point(scratch, point);
            }
            ends[0] = scratch.len();
            geojson::push_feature_properties(scratch, r);
        } else {
            ends[0] = scratch.len();
        }
        ends[1] = scratch.len();
        if row {
            csv::push_row_head(scratch, r, self.opts.excel, point);
        }
        let (open, rest) = scratch.split_at(ends[0]);
        let (properties, csv_head) = rest.split_at(ends[1] - ends[0]);
        Rendered::new(
            r,
            Ok(Body::Shaped {
                shape: id,
                native,
                open,
                properties,
                csv_head,
            }),
        )
    }

    /// Render one article's records (any thread may call this).
    pub fn render(&self, incidents: &[Record], statements: &[Record]) -> RenderedArticle {
        self.render_article(incidents, statements, None)
    }

    /// [`OutputWriter::render`], with the article's publication date (the
    /// events layer reads it).
    pub fn render_article(
        &self,
        incidents: &[Record],
        statements: &[Record],
        published: Option<chrono::NaiveDate>,
    ) -> RenderedArticle {
        let mut scratch = Vec::new();
        let mut render = |recs: &[Record]| {
            recs.iter()
                .map(|r| self.render_record(r, &mut scratch))
                .collect()
        };
        let drafts = match &self.events {
            Some((rules, _)) => incidents
                .iter()
                .map(|r| {
                    let d = Draft::from_record(r, published);
                    let night = rules.night.says_night(&d.evidence);
                    (d, night)
                })
                .collect(),
            None => Vec::new(),
        };
        RenderedArticle {
            incidents: render(incidents),
            statements: if self.opts.stdout {
                Vec::new()
            } else {
                render(statements)
            },
            statement_count: statements.len() as u64,
            drafts,
        }
    }

    /// Add one article's records, after those added before (the order ties
    /// are written in); spills when the sort buffer is full.
    pub fn add(&mut self, article: RenderedArticle) -> Result<(), OutputError> {
        article
            .incidents
            .into_iter()
            .for_each(|r| self.incidents.push(r));
        article
            .statements
            .into_iter()
            .for_each(|r| self.statements.push(r));
        self.statement_count += article.statement_count;
        if let Some((_, c)) = &mut self.events {
            for (d, night) in article.drafts {
                c.push(d, night);
            }
        }
        if self.incidents.buffered_bytes() + self.statements.buffered_bytes() > self.sort_buffer {
            self.incidents
                .spill()
                .and_then(|()| self.statements.spill())
                .map_err(|source| OutputError::Spill {
                    dir: self.spill_dir.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    /// [`OutputWriter::render`] and [`OutputWriter::add`] in one.
    pub fn add_records(
        &mut self,
        incidents: &[Record],
        statements: &[Record],
    ) -> Result<(), OutputError> {
        let a = self.render(incidents, statements);
        self.add(a)
    }

    /// Incidents added so far.
    pub fn incidents(&self) -> u64 {
        self.incidents.len()
    }

    /// Statements added so far (with stdout, counted but not written).
    pub fn statements(&self) -> u64 {
        self.statement_count
    }

    /// Temporary files of sorted records now on disk.
    pub fn spilled_runs(&self) -> usize {
        self.incidents.runs() + self.statements.runs()
    }

    /// Write every file (or stdout) and return the paths written, as
    /// [`write_all`] does. On an error no file is replaced, and the
    /// temporary files are removed.
    pub fn finish(self) -> Result<Vec<PathBuf>, OutputError> {
        self.finish_with_events().map(|(paths, _)| paths)
    }

    /// [`OutputWriter::finish`], also returning the number of events
    /// written (`None` without the events layer).
    pub fn finish_with_events(mut self) -> Result<(Vec<PathBuf>, Option<usize>), OutputError> {
        let dir = self.dir.clone();
        let fusion = self.events.take();
        let layer = fusion
            .as_ref()
            .map(|(rules, c)| events::build_layer(c, rules, true));
        let r = self.finish_layers(layer.as_ref());
        cleanup::forget_dir(&dir);
        Ok((r?, layer.map(|l| l.len())))
    }

    fn finish_layers(self, layer: Option<&events::Layer<'_>>) -> Result<Vec<PathBuf>, OutputError> {
        let spill = |source| OutputError::Spill {
            dir: self.spill_dir.clone(),
            source,
        };
        let shapes = self.shapes.into_table();
        if self.opts.stdout {
            let stdout = io::stdout();
            let sink = Sink::new(
                self.formats[0],
                BufWriter::with_capacity(WRITE_BUF, stdout.lock()),
            );
            return match drain(self.incidents, &shapes, vec![sink], self.opts.excel, None) {
                Ok(mut w) => match w.pop().map_or(Ok(()), |mut w| w.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Vec::new()),
                    Err(source) => Err(OutputError::Stdout { source }),
                    Ok(()) => Ok(Vec::new()),
                },
                Err(DrainError::Sink(_, e)) if e.kind() == io::ErrorKind::BrokenPipe => {
                    Ok(Vec::new())
                }
                Err(DrainError::Sink(_, source)) => Err(OutputError::Stdout { source }),
                Err(DrainError::Source(e)) => Err(spill(e)),
            };
        }
        // Stage every file first; rename them into place only when all are written.
        let dir = &self.dir;
        let mut staged: Vec<(NamedTempFile, PathBuf)> = Vec::new();
        for (stem, records) in [
            ("incidents", self.incidents),
            ("statements", self.statements),
        ] {
            let events = layer.filter(|_| stem == "incidents");
            let mut sinks = Vec::new();
            // Each file of the layer: its path, and the .csvt sidecar's staged
            // file, or `None` for a sink fed by the merge.
            let mut files: Vec<(PathBuf, Option<NamedTempFile>)> = Vec::new();
            for &format in &self.formats {
                let path = dir.join(format!("{stem}.{}", format.extension()));
                let tmp = create_staged(dir, &path)?;
                sinks.push(Sink::new(format, BufWriter::with_capacity(WRITE_BUF, tmp)));
                files.push((path, None));
                if format == Format::Csv {
                    let path = dir.join(format!("{stem}.csvt"));
                    let mut w = BufWriter::new(create_staged(dir, &path)?);
                    csv::write_csvt_with(&mut w, events.is_some()).map_err(|source| {
                        OutputError::Write {
                            path: path.clone(),
                            source,
                        }
                    })?;
                    let tmp = seal(w, &path)?;
                    files.push((path, Some(tmp)));
                }
            }
            let sink_paths: Vec<PathBuf> = files
                .iter()
                .filter(|(_, t)| t.is_none())
                .map(|(p, _)| p.clone())
                .collect();
            let mut written = match drain(records, &shapes, sinks, self.opts.excel, events) {
                Ok(w) => w.into_iter(),
                Err(DrainError::Sink(i, source)) => {
                    return Err(OutputError::Write {
                        path: sink_paths[i].clone(),
                        source,
                    })
                }
                Err(DrainError::Source(e)) => return Err(spill(e)),
            };
            for (path, tmp) in files {
                let tmp = match tmp {
                    Some(t) => t,
                    None => match written.next() {
                        Some(w) => seal(w, &path)?,
                        None => unreachable!("one writer per sink"),
                    },
                };
                staged.push((tmp, path));
            }
        }
        if let Some(l) = layer {
            staged.extend(events::write::stage(
                dir,
                l,
                &self.formats,
                self.opts.excel,
            )?);
        }
        swap_in(staged)
    }
}

/// Put the staged files in place as one set: the files they replace are
/// first moved aside, and if any step fails every file is put back as it
/// was (the new ones removed, the old ones restored), so the output is never
/// a mix of two runs. A target that is a directory fails the run before
/// anything is moved. Returns the paths written, in order.
fn swap_in(staged: Vec<(NamedTempFile, PathBuf)>) -> Result<Vec<PathBuf>, OutputError> {
    let err = |path: &Path, source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    for (_, path) in &staged {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            let e = io::Error::other("it is a directory: move it away or choose another --out-dir");
            return Err(err(path, e));
        }
    }
    // (the old file moved aside, where it was)
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let restore = |moved: &[(PathBuf, PathBuf)]| {
        for (aside, path) in moved.iter().rev() {
            let _ = std::fs::rename(aside, path);
        }
    };
    for (_, path) in &staged {
        if std::fs::symlink_metadata(path).is_err() {
            continue;
        }
        let aside = staged_name(path, "old");
        cleanup::register_aside(&aside, path);
        if let Err(e) = std::fs::rename(path, &aside) {
            restore(&moved);
            return Err(err(path, e));
        }
        moved.push((aside, path.clone()));
    }
    let mut placed: Vec<PathBuf> = Vec::with_capacity(staged.len());
    for (tmp, path) in staged {
        if let Err(e) = tmp.persist(&path) {
            for p in &placed {
                let _ = std::fs::remove_file(p);
            }
            restore(&moved);
            return Err(err(&path, e.error));
        }
        placed.push(path);
    }
    for (aside, _) in moved {
        let _ = std::fs::remove_file(aside);
    }
    Ok(placed)
}

/// The name of a file staged beside `path` by this process:
/// `.<name>.<pid>-<tag>.tmp` (see the `cleanup` module).
fn staged_name(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}-{tag}.tmp", std::process::id()))
}

/// Write buffer of each output (the pieces of a record placed at a region
/// are several kilobytes).
const WRITE_BUF: usize = 256 << 10;

/// One output of a layer in one format, fed the records in output order.
struct Sink<W> {
    format: Format,
    w: W,
    collection: geojson::CollectionWriter,
}

impl<W: Write> Sink<W> {
    fn new(format: Format, w: W) -> Self {
        Sink {
            format,
            w,
            collection: geojson::CollectionWriter::default(),
        }
    }

    fn start(&mut self, excel: bool, events: bool) -> io::Result<()> {
        match self.format {
            Format::Csv => csv::write_header_with(&mut self.w, excel, events),
            _ => Ok(()),
        }
    }

    /// Write a record; with `event` (the events layer is written), its
    /// `event_id` follows the last property (after `wkt`) or CSV cell.
    fn write(&mut self, r: &Rendered, shapes: &ShapeTable, event: Option<&str>) -> io::Result<()> {
        let framing = match self.format {
            Format::Geojson => {
                let parts = r.feature_parts(shapes)?;
                let Some(e) = event else {
                    return self.collection.feature_in_parts(&mut self.w, &parts);
                };
                let mut tail = b",\"event_id\":".to_vec();
                geojson::push_json_str(&mut tail, e);
                tail.extend_from_slice(FEATURE_CLOSE);
                let parts = with_tail(&parts, FEATURE_CLOSE.len(), &tail);
                return self.collection.feature_in_parts(&mut self.w, &parts);
            }
            Format::Geojsonseq => geojson::SeqFraming::Rfc8142,
            Format::Geojsonl => geojson::SeqFraming::Newline,
            Format::Csv => {
                let parts = r.csv_parts(shapes)?;
                let Some(e) = event else {
                    return parts.iter().try_for_each(|p| self.w.write_all(p));
                };
                let mut tail = b",".to_vec();
                csv::push_cell(&mut tail, e);
                tail.extend_from_slice(csv::ROW_END);
                return with_tail(&parts, csv::ROW_END.len(), &tail)
                    .iter()
                    .try_for_each(|p| self.w.write_all(p));
            }
        };
        let parts = r.feature_parts(shapes)?;
        match event {
            None => geojson::write_text_in_parts(&mut self.w, framing, &parts),
            Some(e) => {
                let mut tail = b",\"event_id\":".to_vec();
                geojson::push_json_str(&mut tail, e);
                tail.extend_from_slice(FEATURE_CLOSE);
                let parts = with_tail(&parts, FEATURE_CLOSE.len(), &tail);
                geojson::write_text_in_parts(&mut self.w, framing, &parts)
            }
        }
    }

    fn finish(mut self) -> io::Result<W> {
        if self.format == Format::Geojson {
            std::mem::take(&mut self.collection).finish(&mut self.w)?;
        }
        Ok(self.w)
    }
}

/// `parts` with the last `cut` bytes of the last non-empty part replaced
/// by `tail` (the pieces of a record with one more property or cell).
fn with_tail<'a>(parts: &[&'a [u8]], cut: usize, tail: &'a [u8]) -> Vec<&'a [u8]> {
    let last = parts.iter().rposition(|p| !p.is_empty()).unwrap_or(0);
    let mut out: Vec<&[u8]> = parts[..last].to_vec();
    let p = parts.get(last).copied().unwrap_or_default();
    out.push(&p[..p.len().saturating_sub(cut)]);
    out.push(tail);
    out
}

/// Why [`drain`] stopped: reading the sorted records, or sink `i`.
enum DrainError {
    Source(io::Error),
    Sink(usize, io::Error),
}

/// Write the layer's records, in output order, to every sink; returns the
/// sinks' writers (not flushed). A record that could not be rendered is an
/// error of the first sink, where the writers report it.
fn drain<W: Write>(
    layer: Sorter,
    shapes: &ShapeTable,
    mut sinks: Vec<Sink<W>>,
    excel: bool,
    events: Option<&events::Layer<'_>>,
) -> Result<Vec<W>, DrainError> {
    for (i, s) in sinks.iter_mut().enumerate() {
        s.start(excel, events.is_some())
            .map_err(|e| DrainError::Sink(i, e))?;
    }
    let mut records = layer.into_sorted().map_err(DrainError::Source)?;
    while let Some(r) = records.next_record().map_err(DrainError::Source)? {
        if let Some(message) = r.error() {
            let e = io::Error::new(io::ErrorKind::InvalidData, message);
            return Err(DrainError::Sink(0, e));
        }
        let event = events.map(|l| {
            std::str::from_utf8(r.id())
                .ok()
                .and_then(|id| l.event_id_of(id))
                .unwrap_or("")
        });
        for (i, s) in sinks.iter_mut().enumerate() {
            s.write(&r, shapes, event)
                .map_err(|e| DrainError::Sink(i, e))?;
        }
    }
    sinks
        .into_iter()
        .enumerate()
        .map(|(i, s)| s.finish().map_err(|e| DrainError::Sink(i, e)))
        .collect()
}

/// A new temporary file beside `path` for its content (mode 0644 before
/// umask on Unix, like a plain `File::create`).
pub(crate) fn create_staged(dir: &Path, path: &Path) -> Result<NamedTempFile, OutputError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.{}-", std::process::id());
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    // NamedTempFile defaults to 0600; outputs are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(Permissions::from_mode(0o644));
    }
    cleanup::create(|| b.tempfile_in(dir), |t| t.path()).map_err(|source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Flush the staged content of `path` and sync it to disk.
pub(crate) fn seal(w: BufWriter<NamedTempFile>, path: &Path) -> Result<NamedTempFile, OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let tmp = w.into_inner().map_err(|e| err(e.into_error()))?;
    tmp.as_file().sync_all().map_err(err)?;
    Ok(tmp)
}

/// Records for the writers' unit tests: a Point, a LineString and a
/// clockwise Polygon with a hole, non-ASCII names, awkward evidence text,
/// unknown values, in scrambled order.
#[cfg(test)]
pub(crate) mod testdata {
    use std::path::Path;

    use geo::{line_string, point, Geometry, LineString, Polygon};

    use super::{write_layer, Format, GeometryMode, OutputOptions};
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

    /// Every format, in both geometry modes (and Excel CSV with the
    /// native one).
    pub fn every_format() -> [OutputOptions; 2] {
        [(GeometryMode::Point, false), (GeometryMode::Native, true)].map(|(geometry, excel)| {
            OutputOptions {
                geometry,
                formats: <Format as clap::ValueEnum>::value_variants().to_vec(),
                excel,
                stdout: false,
            }
        })
    }

    /// Assert that `dir` holds, for each format of `opts`, the bytes the
    /// slice writers ([`write_layer`]) give for the layer's records.
    pub fn assert_layer_files(dir: &Path, layers: [(&str, &[Record]); 2], opts: &OutputOptions) {
        for (stem, recs) in layers {
            for &format in &opts.formats {
                let mut want = Vec::new();
                write_layer(&mut want, recs, format, opts).unwrap();
                let path = dir.join(format!("{stem}.{}", format.extension()));
                let got = std::fs::read(&path).unwrap();
                assert!(got == want, "{} differs ({opts:?})", path.display());
            }
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
    use super::testdata::{assert_layer_files, every_format, record, samples};
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

    /// Samples and variants of them whose sort keys collide (same date,
    /// file, offset and id, other content), in scrambled order.
    fn many_records() -> (Vec<Record>, Vec<Record>) {
        let base = samples();
        let mut recs = base.clone();
        for i in 0..60 {
            let mut r = base[(i * 7) % base.len()].clone();
            r.evidence = format!("copy {i}, \"quoted\"\nsecond line");
            if i % 3 == 0 {
                r.char_start += i;
            }
            if i % 5 == 0 {
                r.event_date = None;
            }
            recs.push(r);
        }
        recs.into_iter()
            .partition(|r| r.kind != crate::record::RecordKind::Statement)
    }

    #[test]
    fn spilled_output_is_the_bytes_of_the_in_memory_writers() {
        let (inc, st) = many_records();
        // Records that refer to shared geometries' texts, and records that
        // carry them (the table full).
        for (opts, shapes) in every_format()
            .into_iter()
            .flat_map(|o| [(o.clone(), sort::SHAPES_BUDGET), (o, 0)])
        {
            let dir = tempfile::tempdir().unwrap();
            let mut w = OutputWriter::new(dir.path(), &opts)
                .unwrap()
                .with_sort_buffer(0)
                .with_shapes_budget(shapes);
            // One or two records an "article", statements in some of them.
            for (i, chunk) in inc.chunks(2).enumerate() {
                let s = st.get(i..(i + 1).min(st.len())).unwrap_or(&[]);
                w.add_records(chunk, s).unwrap();
            }
            assert!(w.spilled_runs() > 2, "{} runs", w.spilled_runs());
            assert_eq!(w.incidents(), inc.len() as u64);
            assert_eq!(w.shapes.len(), if shapes == 0 { 0 } else { 2 });
            w.finish().unwrap();
            assert_layer_files(
                dir.path(),
                [("incidents", &inc), ("statements", &st)],
                &opts,
            );
            let names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names.len(), 10, "only the outputs are left: {names:?}");
        }
    }

    #[test]
    fn an_unrenderable_record_fails_the_run_and_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("incidents.csv"), b"old").unwrap();
        let (inc, mut st) = many_records();
        st[0].point = (f64::NAN, 1.0);
        let opts = OutputOptions {
            formats: vec![Format::Csv, Format::Geojson],
            ..Default::default()
        };
        let mut w = OutputWriter::new(dir.path(), &opts)
            .unwrap()
            .with_sort_buffer(0);
        w.add_records(&inc, &[]).unwrap();
        w.add_records(&[], &st).unwrap();
        let err = w.finish().unwrap_err();
        // The error write_all gave before records were rendered early: the
        // layer's first file, naming the record.
        let msg = err.to_string();
        assert!(msg.contains("statements.csv"), "{msg}");
        assert!(msg.contains(&st[0].id) && msg.contains("finite"), "{msg}");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["incidents.csv"]);
        assert_eq!(
            std::fs::read(dir.path().join("incidents.csv")).unwrap(),
            b"old"
        );
    }

    #[test]
    fn a_failing_rename_puts_every_old_file_back() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, b"old a").unwrap();
        std::fs::write(&b, b"old b").unwrap();
        let stage = |target: &Path, body: &[u8]| {
            let mut t = create_staged(dir.path(), target).unwrap();
            t.write_all(body).unwrap();
            (t, target.to_path_buf())
        };
        // The third target's directory is gone by the time of the swap.
        let gone = dir.path().join("gone");
        std::fs::create_dir(&gone).unwrap();
        let c = gone.join("c.csv");
        let staged = vec![stage(&a, b"new a"), stage(&b, b"new b"), {
            let mut t = NamedTempFile::new_in(&gone).unwrap();
            t.write_all(b"new c").unwrap();
            (t, c.clone())
        }];
        std::fs::remove_dir_all(&gone).ok();
        let e = swap_in(staged).unwrap_err().to_string();
        assert!(e.contains("c.csv"), "{e}");
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert_eq!(std::fs::read(&b).unwrap(), b"old b");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.csv", "b.csv"]);
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("64M").unwrap(), 64 << 20);
        assert_eq!(parse_size("512k").unwrap(), 512 << 10);
        assert_eq!(parse_size(" 2G ").unwrap(), 2 << 30);
        assert_eq!(parse_size("0").unwrap(), 0);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        for bad in ["", "M", "-1M", "1.5M", "64MB", "lots"] {
            let e = parse_size(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
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
