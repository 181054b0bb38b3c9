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
    mut on_error: impl FnMut(&JsonlError),
    mut progress: impl FnMut(&StreamStats),
) -> io::Result<StreamStats> {
    let mut stats = StreamStats::default();
    // (line number, line) of the batch, or the line's error.
    let mut batch: Vec<(u64, Result<String, JsonlError>)> = Vec::with_capacity(BATCH);
    let mut lines = input.lines();
    let mut lineno: u64 = 0;
    loop {
        batch.clear();
        let mut eof = false;
        while batch.len() < BATCH {
            let Some(line) = lines.next() else {
                eof = true;
                break;
            };
            lineno += 1;
            match line {
                Ok(l) if l.trim().is_empty() => {}
                Ok(l) => batch.push((lineno, Ok(l))),
                Err(e) if e.kind() == io::ErrorKind::InvalidData => batch.push((
                    lineno,
                    Err(JsonlError {
                        line: lineno,
                        message: "not valid UTF-8".into(),
                    }),
                )),
                Err(e) => return Err(e),
            }
        }
        // Parse, extract and render on the worker threads; only reading
        // lines and writing bytes is left to this one.
        let done: Vec<Result<(u64, Texts), JsonlError>> = batch
            .par_drain(..)
            .map(|(n, line)| {
                let a = parse_jsonl_line(&line?, n)?;
                let mut recs = ex.extract(&a).incidents;
                sort_records(&mut recs);
                Ok((a.text.len() as u64, Texts::new(&recs, mode, framing)))
            })
            .collect();
        for d in done {
            match d {
                Ok((text_bytes, texts)) => {
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

/// Counts from one [`extract_files`] run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FileStats {
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
                    Ok(a) => batch.push(a),
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
