//! Streaming: articles read, extracted and written in batches, so memory
//! does not grow with the input.
//!
//! [`stream_jsonl`]: JSON-lines articles in, GeoJSON text sequences out, in
//! constant memory. Articles are read in batches of a fixed size, extracted
//! in parallel, and their incidents written in input order before the next
//! batch is read, so the output is the same for any thread count. This is
//! the path for shell pipelines and distributed engines (`RDD.pipe`, Hadoop
//! streaming, GNU parallel).
//!
//! [`extract_files`]: article files in, sorted layers out (file mode).
//! Articles are read and extracted in the same batches and their records
//! handed, in input order, to an [`OutputWriter`], which keeps them within
//! its sort buffer and spills the rest to disk; memory is the batch plus
//! that buffer, whatever the number of articles.

use std::io::{self, BufRead, Write};

use rayon::prelude::*;

use crate::output::geojson::{write_feature, write_text, SeqFraming};
use crate::output::{sort_records, GeometryMode, OutputError, OutputWriter, RenderedArticle};
use crate::record::Record;
pub use crate::text::MAX_ARTICLE_BYTES;
use crate::text::{parse_jsonl_line, ArticleFiles, InputError, JsonlError};
use crate::Extractor;

/// Counts from one streaming run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StreamStats {
    /// Articles read and extracted.
    pub articles: u64,
    /// Incidents written.
    pub incidents: u64,
    /// Lines skipped because they were malformed.
    pub bad_lines: u64,
    /// Bytes of article text read.
    pub text_bytes: u64,
    /// Articles read with a warning (a `published` that is not a date, a
    /// text cut at [`MAX_ARTICLE_BYTES`]), reported to `on_error` too.
    pub warnings: u64,
}

/// The longest line of `--jsonl` input that is read: 128 MiB (an article
/// of [`MAX_ARTICLE_BYTES`] written with JSON escapes fits many times over;
/// its text is then cut to the limit). A longer line is skipped.
pub const MAX_LINE_BYTES: usize = 128 << 20;

/// Lines of a batch, in bytes: past it the batch is extracted before the
/// next line is read, so a run of huge lines does not pile up in memory.
const BATCH_BYTES: usize = 64 << 20;

/// Read one line (without its `\n` or `\r\n`) into `buf`, keeping at most
/// `max` bytes: returns `None` at the end of the input, else whether the
/// line was longer than `max` (then its rest was read and dropped).
fn read_line_capped<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut over = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, found) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], true),
            None => (chunk, false),
        };
        if !over && buf.len() + part.len() <= max {
            buf.extend_from_slice(part);
        } else {
            over = true;
            buf.clear();
        }
        let used = part.len() + usize::from(found);
        r.consume(used);
        if found {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if !over && buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(over))
}

/// Articles per batch: large enough to keep every core busy, small enough
/// that memory stays flat.
pub const BATCH: usize = 256;

/// Read JSON-lines articles from `input`, write each article's incidents as
/// GeoJSON texts to `out`. A malformed line is passed to `on_error` and
/// skipped; blank lines are ignored. `progress` is called after each batch.
pub fn stream_jsonl<R: BufRead, W: Write>(
    ex: &Extractor,
    input: R,
    out: &mut W,
    mode: GeometryMode,
    framing: SeqFraming,
    on_error: impl FnMut(&JsonlError),
    progress: impl FnMut(&StreamStats),
) -> io::Result<StreamStats> {
    stream_jsonl_named("stdin", ex, input, out, mode, framing, on_error, progress)
}

/// [`stream_jsonl`] for an input named `name` in messages (`name:line:`),
/// e.g. the path of the file read.
#[allow(clippy::too_many_arguments)]
pub fn stream_jsonl_named<R: BufRead, W: Write>(
    name: &str,
    ex: &Extractor,
    input: R,
    out: &mut W,
    mode: GeometryMode,
    framing: SeqFraming,
    mut on_error: impl FnMut(&JsonlError),
    mut progress: impl FnMut(&StreamStats),
) -> io::Result<StreamStats> {
    let name: std::sync::Arc<str> = name.into();
    let mut lines = Lines {
        input,
        name: name.clone(),
        lineno: 0,
        buf: Vec::new(),
    };
    let mut stats = StreamStats::default();
    let mut batch: Vec<(u64, Result<String, JsonlError>)> = Vec::with_capacity(BATCH);
    loop {
        let eof = lines.next_batch(&mut batch)?;
        // Parse, extract and render on the worker threads; only reading
        // lines and writing bytes is left to this one.
        type Done = (u64, Texts, Vec<JsonlError>);
        let done: Vec<Result<Done, JsonlError>> = batch
            .par_drain(..)
            .map(|(n, line)| {
                let (a, warning) = parse_jsonl_line(&name, &line?, n)?;
                let mut recs = ex.extract(&a).incidents;
                sort_records(&mut recs);
                let texts = Texts::new(&recs, mode, framing);
                Ok((a.text.len() as u64, texts, warning))
            })
            .collect();
        for d in done {
            match d {
                Ok((text_bytes, texts, warnings)) => {
                    stats.warnings += u64::from(!warnings.is_empty());
                    warnings.iter().for_each(&mut on_error);
                    stats.text_bytes += text_bytes;
                    stats.articles += 1;
                    out.write_all(&texts.bytes)?;
                    stats.incidents += texts.count;
                    if let Some(e) = texts.error {
                        return Err(e);
                    }
                }
                Err(e) => {
                    stats.bad_lines += 1;
                    on_error(&e);
                }
            }
        }
        out.flush()?;
        progress(&stats);
        if eof {
            return Ok(stats);
        }
    }
}

/// The lines of `--jsonl` input, read in batches.
struct Lines<R> {
    input: R,
    name: std::sync::Arc<str>,
    lineno: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    /// Fill `batch` with up to [`BATCH`] non-blank lines (fewer past
    /// [`BATCH_BYTES`]), each `(line number, line)` or the line's error (not
    /// UTF-8, over [`MAX_LINE_BYTES`]); returns whether the input ended.
    fn next_batch(
        &mut self,
        batch: &mut Vec<(u64, Result<String, JsonlError>)>,
    ) -> io::Result<bool> {
        batch.clear();
        let mut bytes = 0;
        while batch.len() < BATCH && bytes < BATCH_BYTES {
            let Some(over) = read_line_capped(&mut self.input, &mut self.buf, MAX_LINE_BYTES)?
            else {
                return Ok(true);
            };
            self.lineno += 1;
            let n = self.lineno;
            let err = |message: String| {
                let input = self.name.clone();
                Err(JsonlError {
                    input,
                    line: n,
                    message,
                })
            };
            if over {
                let limit = MAX_LINE_BYTES >> 20;
                batch.push((n, err(format!("line longer than {limit} MiB: skipped; put one article per line, each under {limit} MiB"))));
                continue;
            }
            bytes += self.buf.len();
            match std::str::from_utf8(&self.buf) {
                Ok(l) if l.trim().is_empty() => {}
                Ok(_) => {
                    // Checked: the bytes are UTF-8.
                    let line = String::from_utf8(std::mem::take(&mut self.buf));
                    batch.push((n, Ok(line.unwrap_or_default())));
                }
                Err(_) => batch.push((n, err("not valid UTF-8".into()))),
            }
        }
        Ok(false)
    }
}

/// One article's incidents as the texts of a GeoJSON text sequence.
struct Texts {
    /// The texts, framed, one after the other.
    bytes: Vec<u8>,
    /// Texts in `bytes`.
    count: u64,
    /// Why the record after them could not be written (its texts and the
    /// rest are not).
    error: Option<io::Error>,
}

impl Texts {
    fn new(records: &[Record], mode: GeometryMode, framing: SeqFraming) -> Texts {
        let mut t = Texts {
            bytes: Vec::new(),
            count: 0,
            error: None,
        };
        let mut feature = Vec::new();
        for r in records {
            feature.clear();
            if let Err(e) = write_feature(&mut feature, r, mode) {
                t.error = Some(e);
                break;
            }
            // Writing to a Vec cannot fail.
            let _ = write_text(&mut t.bytes, framing, &feature);
            t.count += 1;
        }
        t
    }
}

/// The worker threads for `--threads requested`: at least 1, at most the
/// cores of the machine (more only add memory and switching: extraction
/// keeps every core busy), with the warning to give when it was capped.
pub fn worker_threads(requested: usize) -> (usize, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if requested > cores {
        let warning = format!(
            "--threads {requested} is more than the {cores} cores of this machine: using {cores}"
        );
        return (cores, Some(warning));
    }
    (requested.max(1), None)
}

/// The message of a run that read no article (exit 2): what was not found
/// (`errors`, the listing's problems, if any) and that the earlier output in
/// `out` was not touched. A run that read nothing must not replace a good
/// output with empty layers.
pub fn nothing_read(errors: &[InputError], out: &std::path::Path) -> String {
    let tail = format!("no article read, {} left as it was", out.display());
    if errors.is_empty() {
        return tail;
    }
    let what: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    format!("{}; {tail}", what.join("; "))
}

/// Counts from one [`extract_files`] run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileStats {
    /// Names introduced as places that the gazetteer lacks, each once, in
    /// order of first appearance (for the run's summary).
    pub unknown_places: Vec<String>,
    /// Articles read and extracted.
    pub articles: u64,
    /// Incidents written (to stdout too).
    pub incidents: u64,
    /// Statements extracted (written unless to stdout).
    pub statements: u64,
    /// Input problems reported to `on_error` (unreadable articles, manifest
    /// rows naming no article).
    pub input_errors: u64,
}

/// Read the articles of `files` in batches of [`BATCH`], extract each batch
/// in parallel, and give the records to `out` in input order; the caller
/// then writes the files with [`OutputWriter::finish`].
///
/// An article that cannot be read, and at the end every manifest row naming
/// no article, goes to `on_error` (in input order) and the rest is still
/// processed. `progress(done_bytes, done_articles)` is called after each
/// article with running totals of text bytes and articles extracted (from
/// worker threads). The output is the same for any thread count.
pub fn extract_files(
    ex: &Extractor,
    mut files: ArticleFiles,
    out: &mut OutputWriter,
    mut on_error: impl FnMut(&InputError),
    progress: impl Fn(u64, u64) + Sync,
) -> Result<FileStats, OutputError> {
    let mut stats = FileStats::default();
    // The names in `stats.unknown_places`, for a constant-time "seen?".
    let mut unknown_seen: crate::gazetteer::FastSet<String> = Default::default();
    let mut done_bytes = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        let mut eof = false;
        while batch.len() < BATCH {
            // Read on the worker threads (in order, as `files.next()` would).
            let read = files.next_batch(BATCH - batch.len());
            if read.is_empty() {
                eof = true;
                break;
            }
            for a in read {
                match a {
                    Ok(a) => {
                        if let Some(e) = a.cut_error() {
                            stats.input_errors += 1;
                            on_error(&e);
                        }
                        batch.push(a)
                    }
                    Err(e) => {
                        stats.input_errors += 1;
                        on_error(&e);
                    }
                }
            }
        }
        let (bytes0, articles0) = (done_bytes, stats.articles);
        let results = ex.extract_all_with(&batch, |b, n| progress(bytes0 + b, articles0 + n));
        let rendered: Vec<RenderedArticle> = results
            .par_iter()
            .zip(batch.par_iter())
            .map(|(r, a)| out.render_article(&r.incidents, &r.statements, a.published))
            .collect();
        for r in &results {
            for name in &r.unknown_places {
                if unknown_seen.insert(name.clone()) {
                    stats.unknown_places.push(name.clone());
                }
            }
        }
        drop(results);
        for r in rendered {
            out.add(r)?;
        }
        stats.articles += batch.len() as u64;
        done_bytes += batch.iter().map(|a| a.text.len() as u64).sum::<u64>();
        if eof {
            break;
        }
    }
    for e in files.finish() {
        stats.input_errors += 1;
        on_error(&e);
    }
    stats.incidents = out.incidents();
    stats.statements = out.statements();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn capped_lines_read_as_lines_does() {
        let text = b"a\r\nbb\n\nccc\r\nlong line here\nlast";
        for cap in [1usize, 8] {
            // A tiny buffer, so lines span several fills.
            let mut r = io::BufReader::with_capacity(2, &text[..]);
            let mut buf = Vec::new();
            let mut got = Vec::new();
            while let Some(over) = read_line_capped(&mut r, &mut buf, cap).unwrap() {
                got.push((String::from_utf8(buf.clone()).unwrap(), over));
            }
            // The cap counts a line's bytes before its `\r` is dropped.
            let want: Vec<(String, bool)> = std::str::from_utf8(text)
                .unwrap()
                .split_terminator('\n')
                .map(|raw| match raw.len() > cap {
                    true => (String::new(), true),
                    false => (raw.trim_end_matches('\r').to_string(), false),
                })
                .collect();
            assert_eq!(got, want, "cap {cap}");
        }
    }

    use super::*;
    use crate::gazetteer::{Gazetteer, LoadOptions};
    use crate::output::testdata::{assert_layer_files, every_format};
    use crate::output::DEFAULT_SORT_BUFFER;
    use crate::text::{list_inputs, load_inputs};

    #[test]
    fn file_mode_output_is_the_in_memory_writers_output_whatever_the_spilling() {
        let (gaz, _) = Gazetteer::load(&LoadOptions::default()).unwrap();
        let ex = Extractor::new(gaz);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let paths = [root.join("seeds"), root.join("tests/fixtures/articles")];
        for opts in every_format() {
            // The reference: every record in memory, the slice writers.
            let inputs = load_inputs(&paths, None);
            let (mut incidents, mut statements) = (Vec::new(), Vec::new());
            for r in ex.extract_all(&inputs.articles) {
                incidents.extend(r.incidents);
                statements.extend(r.statements);
            }
            for budget in [DEFAULT_SORT_BUFFER, 0] {
                let dir = tempfile::tempdir().unwrap();
                let (files, errors) = list_inputs(&paths, None);
                assert!(errors.is_empty(), "{errors:?}");
                let mut w = OutputWriter::new(dir.path(), &opts)
                    .unwrap()
                    .with_sort_buffer(budget);
                let stats =
                    extract_files(&ex, files, &mut w, |e| panic!("{e}"), |_, _| {}).unwrap();
                assert_eq!(stats.articles, inputs.articles.len() as u64);
                assert_eq!(stats.incidents, incidents.len() as u64);
                assert_eq!(stats.statements, statements.len() as u64);
                assert_eq!(stats.input_errors, 0);
                if budget == 0 {
                    assert!(w.spilled_runs() > 2, "{} runs", w.spilled_runs());
                } else {
                    assert_eq!(w.spilled_runs(), 0);
                }
                w.finish().unwrap();
                let layers = [
                    ("incidents", &incidents[..]),
                    ("statements", &statements[..]),
                ];
                assert_layer_files(dir.path(), layers, &opts);
            }
        }
    }
}
