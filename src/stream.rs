//! Streaming: JSON-lines articles in, GeoJSON text sequences out, in
//! constant memory.
//!
//! Articles are read in batches of a fixed size, extracted in parallel, and
//! their incidents written in input order before the next batch is read, so
//! memory does not grow with the input and the output is the same for any
//! thread count. This is the path for shell pipelines and distributed
//! engines (`RDD.pipe`, Hadoop streaming, GNU parallel).

use std::io::{self, BufRead, Write};

use crate::output::geojson::{feature, write_text, SeqFraming};
use crate::output::{sort_records, GeometryMode};
use crate::text::{parse_jsonl_line, JsonlError};
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
    let mut batch = Vec::with_capacity(BATCH);
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
            let line = match line {
                Ok(l) => l,
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    stats.bad_lines += 1;
                    on_error(&JsonlError {
                        line: lineno,
                        message: "not valid UTF-8".into(),
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            if line.trim().is_empty() {
                continue;
            }
            match parse_jsonl_line(&line, lineno) {
                Ok(a) => {
                    stats.text_bytes += a.text.len() as u64;
                    batch.push(a);
                }
                Err(e) => {
                    stats.bad_lines += 1;
                    on_error(&e);
                }
            }
        }
        for r in ex.extract_all(&batch) {
            let mut recs = r.incidents;
            sort_records(&mut recs);
            for rec in &recs {
                write_text(out, framing, feature(rec, mode)?.as_bytes())?;
                stats.incidents += 1;
            }
        }
        stats.articles += batch.len() as u64;
        out.flush()?;
        progress(&stats);
        if eof {
            return Ok(stats);
        }
    }
}
