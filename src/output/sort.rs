//! External sort of rendered records, so that a run's memory does not grow
//! with its output.
//!
//! The writers need every record of a layer before they can write the
//! first one ([`compare_records`](super::compare_records) orders by date
//! first). Instead of holding the records, [`super::OutputWriter`] holds
//! each one as a [`Rendered`]: its sort key and the bytes each requested
//! format needs (the GeoJSON Feature text, the CSV row), less the texts of
//! its geometry when that is shared with other records (a region's polygon,
//! a road): those are kept once, in [`Shapes`], and the record holds their
//! number. A [`Sorter`] keeps
//! them in memory up to a budget; past it the buffer is sorted and written
//! ("spilled") as a run to an unnamed temporary file, deleted when closed.
//! At the end the runs and what is still in memory are merged
//! ([`Merged`]) into one sequence in output order.
//!
//! The order is [`compare_records`](super::compare_records)'s, and records
//! that compare equal stay in the order they were pushed (every record gets
//! a sequence number as the last key), so the merged sequence is exactly
//! the stable sort of all records, whatever the budget and the number of
//! runs. At most [`FAN_IN`] runs of one size are open: when that many
//! accumulate they are merged into one larger run.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::csv::ROW_END;
use super::geojson::FEATURE_CLOSE;
use super::geometry::{shared_address, Prepared};
use crate::gazetteer::SharedGeometry;
use crate::record::Record;

/// Runs of the same level merged at once, and so (times the levels, a
/// handful) the most temporary files open at a time.
pub const FAN_IN: usize = 32;

/// Buffer size for reading and writing each run.
const RUN_BUF: usize = 64 * 1024;

/// Texts of the shared geometries (lines and polygons) of a run's records,
/// kept once: a [`Rendered`] record placed at one refers to it by number
/// instead of carrying its WKT (in the Feature and in the CSV row) and its
/// GeoJSON geometry. Region polygons are most of the output's bytes, and
/// few: the table is bounded by the gazetteer's geometries, and past
/// [`SHAPES_BUDGET`] bytes new geometries are carried by their records.
#[derive(Debug)]
pub struct Shapes {
    table: Mutex<ShapeTable>,
    budget: usize,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes::with_budget(SHAPES_BUDGET)
    }
}

/// Bytes of text a [`Shapes`] table holds at most.
pub const SHAPES_BUDGET: usize = 64 << 20;

#[derive(Debug, Default)]
pub(crate) struct ShapeTable {
    /// Shape number by [`shared_address`].
    ids: HashMap<usize, u32>,
    /// The geometries (kept, so that their addresses stay theirs) and texts.
    shapes: Vec<(SharedGeometry, Arc<Prepared>)>,
    bytes: usize,
}

impl ShapeTable {
    fn find(&self, addr: usize) -> Option<(Arc<Prepared>, Option<u32>)> {
        let &id = self.ids.get(&addr)?;
        Some((self.shapes[id as usize].1.clone(), Some(id)))
    }

    fn get(&self, id: u32) -> io::Result<&Prepared> {
        self.shapes
            .get(id as usize)
            .map(|(_, p)| &**p)
            .ok_or_else(corrupt)
    }
}

impl Shapes {
    /// A table that holds at most `budget` bytes of text.
    pub(crate) fn with_budget(budget: usize) -> Self {
        Shapes {
            table: Mutex::default(),
            budget,
        }
    }

    /// Shapes in the table.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.lock().map_or(0, |t| t.shapes.len())
    }

    /// The prepared text of `g` and its number in the table, added now if
    /// new; no number when `g` is not shared or the table is full.
    pub(crate) fn prepare(
        &self,
        g: &SharedGeometry,
    ) -> Result<(Arc<Prepared>, Option<u32>), String> {
        let Some(addr) = shared_address(g) else {
            return Ok((Arc::new(Prepared::new(g)?), None));
        };
        let lock = || self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().find(addr) {
            return Ok(found);
        }
        // Prepared outside the lock; another thread may add it meanwhile.
        let p = Arc::new(Prepared::new(g)?);
        let mut t = lock();
        if let Some(found) = t.find(addr) {
            return Ok(found);
        }
        let Ok(id) = u32::try_from(t.shapes.len()) else {
            return Ok((p, None));
        };
        if t.bytes + p.size() > self.budget {
            return Ok((p, None));
        }
        t.bytes += p.size();
        t.ids.insert(addr, id);
        t.shapes.push((g.clone(), p.clone()));
        Ok((p, Some(id)))
    }

    /// The table, for writing the records out.
    pub(crate) fn into_table(self) -> ShapeTable {
        self.table.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a record's rendering holds: the whole Feature text and CSV row, or,
/// for a record placed at a shape of the [`Shapes`] table, the pieces
/// around the shape's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body<'a> {
    /// The Feature text (one line, no line end) and the CSV row (with its
    /// line end), each empty when not written.
    Whole { feature: &'a [u8], csv: &'a [u8] },
    /// The Feature is `open`, the shape's GeoJSON geometry when `native`,
    /// `properties`, the shape's WKT as JSON, [`FEATURE_CLOSE`]; the CSV row
    /// is `csv_head`, the shape's WKT cell, [`ROW_END`].
    Shaped {
        shape: u32,
        native: bool,
        open: &'a [u8],
        properties: &'a [u8],
        csv_head: &'a [u8],
    },
}

/// A record rendered for output: its sort key and the bytes of each part.
///
/// One allocation holds, in order: the event date (empty when unknown), the
/// source file, the id, the two pieces of the Feature text, the CSV row (or
/// its head: see [`Body`]). A part a run does not write is empty. When the
/// record could not be rendered, the first Feature piece holds the error
/// message instead (see [`Rendered::error`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Push order, the last sort key (set by [`Sorter::push`]).
    seq: u64,
    char_start: u64,
    dated: bool,
    failed: bool,
    /// The Feature carries the shape's GeoJSON geometry.
    native: bool,
    /// The [`Shapes`] number, or [`NO_SHAPE`].
    shape: u32,
    /// Lengths of the date, source file, id and both Feature pieces; the
    /// CSV part is the rest.
    lens: [usize; 5],
    bytes: Vec<u8>,
}

/// [`Rendered::shape`] of a record that carries all its text.
const NO_SHAPE: u32 = u32::MAX;

/// Bytes of a run entry before its parts: seq, char_start, flags, shape,
/// the five part lengths and the total length.
const HEAD: usize = 8 + 8 + 1 + 4 + 6 * 8;

impl Rendered {
    /// The record's key with its rendered parts, or the message of the
    /// error that rendering the record gave.
    pub(crate) fn new(r: &Record, body: Result<Body<'_>, String>) -> Self {
        let date = r.event_date.as_deref().unwrap_or("");
        let (failed, shape, native, [f1, f2, csv]) = match &body {
            Ok(Body::Whole { feature, csv }) => (false, NO_SHAPE, false, [*feature, b"", *csv]),
            Ok(Body::Shaped {
                shape,
                native,
                open,
                properties,
                csv_head,
            }) => (false, *shape, *native, [*open, *properties, *csv_head]),
            Err(message) => (true, NO_SHAPE, false, [message.as_bytes(), b"", b""]),
        };
        let keys = [date.as_bytes(), r.source_file.as_bytes(), r.id.as_bytes()];
        let lens = [
            keys[0].len(),
            keys[1].len(),
            keys[2].len(),
            f1.len(),
            f2.len(),
        ];
        let mut bytes = Vec::with_capacity(lens.iter().sum::<usize>() + csv.len());
        for part in keys.into_iter().chain([f1, f2, csv]) {
            bytes.extend_from_slice(part);
        }
        Rendered {
            seq: 0,
            char_start: r.char_start as u64,
            dated: r.event_date.is_some(),
            failed,
            native,
            shape,
            lens,
            bytes,
        }
    }

    fn part(&self, i: usize) -> &[u8] {
        let start: usize = self.lens[..i].iter().sum();
        let end = self.lens.get(i).map_or(self.bytes.len(), |l| start + l);
        &self.bytes[start..end]
    }

    /// The Feature text held by the record itself (all of it, unless the
    /// record refers to a shape).
    pub fn feature(&self) -> &[u8] {
        self.part(3)
    }

    /// The CSV row held by the record itself (all of it, with its line end,
    /// unless the record refers to a shape).
    pub fn csv(&self) -> &[u8] {
        self.part(5)
    }

    /// The record's id.
    pub(crate) fn id(&self) -> &[u8] {
        self.part(2)
    }

    /// The pieces of the Feature text (one line, no line end), in order.
    pub(crate) fn feature_parts<'a>(&'a self, shapes: &'a ShapeTable) -> io::Result<[&'a [u8]; 5]> {
        if self.shape == NO_SHAPE {
            return Ok([self.part(3), b"", b"", b"", b""]);
        }
        let shape = shapes.get(self.shape)?;
        let geometry = match &shape.geojson {
            Some(g) if self.native => g.as_slice(),
            _ => b"",
        };
        Ok([
            self.part(3),
            geometry,
            self.part(4),
            &shape.wkt_json,
            FEATURE_CLOSE,
        ])
    }

    /// The pieces of the CSV row (with its line end), in order.
    pub(crate) fn csv_parts<'a>(&'a self, shapes: &'a ShapeTable) -> io::Result<[&'a [u8]; 3]> {
        if self.shape == NO_SHAPE {
            return Ok([self.part(5), b"", b""]);
        }
        let shape = shapes.get(self.shape)?;
        Ok([self.part(5), &shape.wkt_cell, ROW_END])
    }

    /// Why the record could not be rendered (a non-finite coordinate), if
    /// it could not: the message the writers' `io::Error` carries.
    pub fn error(&self) -> Option<String> {
        self.failed
            .then(|| String::from_utf8_lossy(self.feature()).into_owned())
    }

    /// Memory this record takes in a [`Sorter`]'s buffer.
    fn cost(&self) -> usize {
        std::mem::size_of::<Self>() + self.bytes.len()
    }

    /// [`compare_records`](super::compare_records)'s order, then push order.
    fn cmp_key(&self, other: &Self) -> Ordering {
        let date = match (self.dated, other.dated) {
            (true, true) => self.part(0).cmp(other.part(0)),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => Ordering::Equal,
        };
        date.then_with(|| self.part(1).cmp(other.part(1)))
            .then_with(|| self.char_start.cmp(&other.char_start))
            .then_with(|| self.part(2).cmp(other.part(2)))
            .then_with(|| self.seq.cmp(&other.seq))
    }

    fn write_to<W: Write>(&self, w: &mut W) -> io::Result<()> {
        let mut head = [0u8; HEAD];
        head[..8].copy_from_slice(&self.seq.to_le_bytes());
        head[8..16].copy_from_slice(&self.char_start.to_le_bytes());
        head[16] =
            u8::from(self.dated) | (u8::from(self.failed) << 1) | (u8::from(self.native) << 2);
        head[17..21].copy_from_slice(&self.shape.to_le_bytes());
        let total = self.bytes.len();
        for (i, &l) in self.lens.iter().chain([&total]).enumerate() {
            let at = 21 + 8 * i;
            head[at..at + 8].copy_from_slice(&(l as u64).to_le_bytes());
        }
        w.write_all(&head)?;
        w.write_all(&self.bytes)
    }

    /// The next entry of a run, `None` at its end.
    fn read_from<R: BufRead>(r: &mut R) -> io::Result<Option<Self>> {
        if r.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let mut head = [0u8; HEAD];
        r.read_exact(&mut head)?;
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&head[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let size = |at: usize| usize::try_from(word(at)).map_err(|_| corrupt());
        let lens = [size(21)?, size(29)?, size(37)?, size(45)?, size(53)?];
        let total = size(61)?;
        match lens.iter().try_fold(0usize, |a, &l| a.checked_add(l)) {
            Some(sum) if sum <= total => {}
            _ => return Err(corrupt()),
        }
        let mut bytes = vec![0u8; total];
        r.read_exact(&mut bytes)?;
        Ok(Some(Rendered {
            seq: word(0),
            char_start: word(8),
            dated: head[16] & 1 != 0,
            failed: head[16] & 2 != 0,
            native: head[16] & 4 != 0,
            shape: u32::from_le_bytes([head[17], head[18], head[19], head[20]]),
            lens,
            bytes,
        }))
    }
}

fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "temporary sort file is corrupt")
}

/// A sorted run in a temporary file; `level` counts the merges it went
/// through.
#[derive(Debug)]
struct Run {
    file: File,
    level: u32,
}

/// Records of one layer, sorted in memory and, past the budget the caller
/// enforces, in runs on disk.
#[derive(Debug)]
pub struct Sorter {
    dir: PathBuf,
    buf: Vec<Rendered>,
    buf_bytes: usize,
    runs: Vec<Run>,
    pushed: u64,
    fan_in: usize,
}

impl Sorter {
    /// An empty sorter whose runs go to unnamed temporary files in `dir`.
    pub fn new(dir: &Path) -> Self {
        Sorter {
            dir: dir.to_path_buf(),
            buf: Vec::new(),
            buf_bytes: 0,
            runs: Vec::new(),
            pushed: 0,
            fan_in: FAN_IN,
        }
    }

    /// The same, merging `fan_in` (at least 2) runs at a time.
    #[cfg(test)]
    fn with_fan_in(dir: &Path, fan_in: usize) -> Self {
        Sorter {
            fan_in: fan_in.max(2),
            ..Sorter::new(dir)
        }
    }

    /// Add a record, after every record pushed before it.
    pub fn push(&mut self, mut r: Rendered) {
        r.seq = self.pushed;
        self.pushed += 1;
        self.buf_bytes += r.cost();
        self.buf.push(r);
    }

    /// Records pushed so far.
    pub fn len(&self) -> u64 {
        self.pushed
    }

    /// Whether no record was pushed.
    pub fn is_empty(&self) -> bool {
        self.pushed == 0
    }

    /// Memory held by the records in the buffer.
    pub fn buffered_bytes(&self) -> usize {
        self.buf_bytes
    }

    /// Runs on disk (for tests and diagnostics).
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Sort the buffer and write it as a run; nothing when it is empty.
    pub fn spill(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.buf.sort_unstable_by(Rendered::cmp_key);
        let file = tempfile::tempfile_in(&self.dir)?;
        {
            let mut w = BufWriter::with_capacity(RUN_BUF, &file);
            for r in self.buf.drain(..) {
                r.write_to(&mut w)?;
            }
            w.flush()?;
        }
        self.buf_bytes = 0;
        self.runs.push(Run { file, level: 0 });
        // Merge FAN_IN runs of one level into one of the next, so the files
        // open stay few and each record is copied a handful of times at most.
        while self.runs.len() >= self.fan_in {
            let from = self.runs.len() - self.fan_in;
            let level = self.runs[from].level;
            if self.runs[from..].iter().any(|r| r.level != level) {
                break;
            }
            let group = self.runs.split_off(from);
            let mut merged = Merged::new(Vec::new(), group)?;
            let file = tempfile::tempfile_in(&self.dir)?;
            {
                let mut w = BufWriter::with_capacity(RUN_BUF, &file);
                while let Some(r) = merged.next_record()? {
                    r.write_to(&mut w)?;
                }
                w.flush()?;
            }
            self.runs.push(Run {
                file,
                level: level + 1,
            });
        }
        Ok(())
    }

    /// Every record pushed, in output order.
    pub fn into_sorted(mut self) -> io::Result<Merged> {
        self.buf.sort_unstable_by(Rendered::cmp_key);
        Merged::new(self.buf, self.runs)
    }
}

/// Where [`Merged`] reads from: the in-memory buffer or a run.
#[derive(Debug)]
enum Source {
    Memory(std::vec::IntoIter<Rendered>),
    Run(BufReader<File>),
}

impl Source {
    fn next_record(&mut self) -> io::Result<Option<Rendered>> {
        match self {
            Source::Memory(it) => Ok(it.next()),
            Source::Run(r) => Rendered::read_from(r),
        }
    }
}

/// The first unread record of a source, ordered for a min-heap.
#[derive(Debug)]
struct Head {
    record: Rendered,
    source: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap pops its greatest element.
        other.record.cmp_key(&self.record)
    }
}

/// The records of a [`Sorter`] in output order: a k-way merge of its runs
/// and its sorted buffer.
#[derive(Debug)]
pub struct Merged {
    sources: Vec<Source>,
    heap: BinaryHeap<Head>,
}

impl Merged {
    fn new(memory: Vec<Rendered>, runs: Vec<Run>) -> io::Result<Self> {
        let mut sources = vec![Source::Memory(memory.into_iter())];
        for mut run in runs {
            run.file.seek(SeekFrom::Start(0))?;
            sources.push(Source::Run(BufReader::with_capacity(RUN_BUF, run.file)));
        }
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            if let Some(record) = s.next_record()? {
                heap.push(Head { record, source: i });
            }
        }
        Ok(Merged { sources, heap })
    }

    /// The next record in output order, `None` after the last.
    pub fn next_record(&mut self) -> io::Result<Option<Rendered>> {
        let Some(Head { record, source }) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.sources[source].next_record()? {
            self.heap.push(Head {
                record: next,
                source,
            });
        }
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testdata::record;
    use geo::point;

    /// Records with colliding keys: few dates (some unknown), few files,
    /// offsets and ids that repeat, so order depends on every key and on
    /// push order.
    fn records(n: usize) -> Vec<Record> {
        (0..n)
            .map(|i| {
                let date = match i % 4 {
                    0 => None,
                    1 => Some("2023-03"),
                    2 => Some("2023-03-05"),
                    _ => Some("2022"),
                };
                let mut r = record(
                    &format!("f{}#{}", i % 3, i % 5),
                    date,
                    point!(x: 1., y: 2.).into(),
                );
                r.char_start = (i * 7) % 4;
                r
            })
            .collect()
    }

    fn rendered(r: &Record, i: usize) -> Rendered {
        // The payload says which record it was, to check the order.
        let (feature, row) = (format!("feature {i}"), format!("row {i}\n"));
        Rendered::new(
            r,
            Ok(Body::Whole {
                feature: feature.as_bytes(),
                csv: row.as_bytes(),
            }),
        )
    }

    fn drain(mut m: Merged) -> Vec<Rendered> {
        let mut out = Vec::new();
        while let Some(r) = m.next_record().unwrap() {
            out.push(r);
        }
        out
    }

    /// What a stable in-memory sort gives.
    fn expected(recs: &[Record]) -> Vec<String> {
        let mut idx: Vec<usize> = (0..recs.len()).collect();
        idx.sort_by(|&a, &b| crate::output::compare_records(&recs[a], &recs[b]));
        idx.iter().map(|i| format!("feature {i}")).collect()
    }

    #[test]
    fn parts_round_trip_through_a_run() {
        let dir = tempfile::tempdir().unwrap();
        let recs = records(3);
        let mut s = Sorter::new(dir.path());
        s.push(rendered(&recs[0], 0));
        s.push(Rendered::new(&recs[1], Err("record x: bad".into())));
        s.spill().unwrap();
        assert_eq!(s.runs(), 1);
        assert_eq!(s.buffered_bytes(), 0);
        let out = drain(s.into_sorted().unwrap());
        let ok = out.iter().find(|r| !r.failed).unwrap();
        assert_eq!(ok.feature(), b"feature 0");
        assert_eq!(ok.csv(), b"row 0\n");
        assert_eq!(ok.error(), None);
        let bad = out.iter().find(|r| r.failed).unwrap();
        assert_eq!(bad.error().as_deref(), Some("record x: bad"));
        assert_eq!(bad.csv(), b"");
    }

    #[test]
    fn any_spill_pattern_gives_the_stable_sort() {
        let recs = records(200);
        let want = expected(&recs);
        // Spill after every record, every few, never; merge 2, 3 or 16 at a time.
        for (every, fan_in) in [(1, 2), (1, 3), (3, 2), (7, 16), (1, 16), (usize::MAX, 16)] {
            let dir = tempfile::tempdir().unwrap();
            let mut s = Sorter::with_fan_in(dir.path(), fan_in);
            for (i, r) in recs.iter().enumerate() {
                s.push(rendered(r, i));
                if (i + 1) % every == 0 {
                    s.spill().unwrap();
                    assert!(s.runs() < fan_in * 8, "runs are merged as they pile up");
                }
            }
            assert_eq!(s.len(), 200);
            let got: Vec<String> = drain(s.into_sorted().unwrap())
                .iter()
                .map(|r| String::from_utf8(r.feature().to_vec()).unwrap())
                .collect();
            assert_eq!(got, want, "spill every {every}, fan-in {fan_in}");
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert!(left.is_empty(), "runs are unnamed files: {left:?}");
        }
    }

    #[test]
    fn shapes_are_kept_once_per_shared_geometry() {
        let base = crate::output::testdata::samples();
        let (region, road, town) = (&base[0], &base[1], &base[3]);
        let shapes = Shapes::default();
        let id = |r: &Record| shapes.prepare(&r.geometry).unwrap().1;
        let (a, b) = (id(region), id(road));
        assert!(a.is_some() && b.is_some() && a != b);
        assert_eq!(id(&region.clone()), a, "a clone shares the geometry");
        assert_eq!(id(town), None, "points are not shared");
        let mut copy = region.clone();
        copy.geometry = (*region.geometry).clone().into();
        assert_ne!(id(&copy), a, "an equal geometry elsewhere is another shape");
        assert_eq!(shapes.len(), 3);
        let (p, _) = shapes.prepare(&region.geometry).unwrap();
        assert_eq!(*p, Prepared::new(&region.geometry).unwrap());
        let full = Shapes::with_budget(0);
        assert_eq!(full.prepare(&region.geometry).unwrap().1, None);
        assert_eq!(full.len(), 0);
    }

    #[test]
    fn a_truncated_run_is_an_error() {
        let recs = records(1);
        let mut buf = Vec::new();
        rendered(&recs[0], 0).write_to(&mut buf).unwrap();
        buf.truncate(buf.len() - 1);
        let mut r = &buf[..];
        assert!(Rendered::read_from(&mut r).is_err());
        let mut empty: &[u8] = &[];
        assert_eq!(Rendered::read_from(&mut empty).unwrap(), None);
    }
}
