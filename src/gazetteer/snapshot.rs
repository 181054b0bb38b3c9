//! A built gazetteer as bytes: the bundled snapshot that `build.rs` embeds
//! in the binary, and the cache files of user directories (see the `cache`
//! module).
//!
//! The format is private to one build of eventmap: cache keys include
//! [`FORMAT`], the crate version and a hash of the gazetteer code, and the
//! bundled snapshot is rebuilt with the binary. Little-endian throughout:
//!
//! ```text
//! magic "EVMGAZ\0\0", format u32, checksum u64, flags u32, body length u64, body
//! ```
//!
//! `checksum` is [`checksum`] of what follows it. The body is a sequence of sections,
//! each a u64 byte length and its bytes:
//!
//! 1. the places' strings, concatenated (text, checked as UTF-8 once);
//! 2. the name arena (the normalized names, text);
//! 3. the origin paths;
//! 4. the places: lengths of their strings, kind, lat, lon, population,
//!    origin, geometry;
//! 5. the id index's table;
//! 6. demonyms; 7. problems;
//! 8. with [`WITH_KEYS`] only, the names of each place (to add layers);
//! 9. the name index: entries, lists of several candidates, hash table
//!    (reading it costs much less than rebuilding it: that is random
//!    access to fresh memory);
//! 10. the first words of the names and demonyms, one after another (text);
//! 11. the first-word table, as [`FirstWords`] holds it (its docs describe
//!     the layout), so that decoding it is a copy.
//!
//! With [`EXTERNAL_TEXT`] sections 1, 2, 10 and 11 are empty and the caller
//! passes the text and the first-word table: the binary embeds the text
//! with `include_str!`, checked at compile time, and reads the table in
//! place. Numbers are LEB128 unless raw (f64, the id table, the first-word
//! table).
//!
//! Decoding checks every length, index and string, so a truncated or
//! corrupt snapshot is an error, never a panic, and never allocates more
//! than its size allows; it allocates about what the places themselves
//! need (one `String` per non-empty field; origin paths are shared; the
//! first-word table is two copies, or none for the bundled one). The
//! first-word table is checked by its lookups instead (see [`FirstWords`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};

use super::first::FirstWords;
use super::layers::Built;
use super::names::{Entry, FastMap, IdIndex, NameIndex};
use super::{Demonym, Origin, Place, PlaceKind, Problem};

/// Version of the layout below; bump it on any change.
pub(crate) const FORMAT: u32 = 3;
const MAGIC: &[u8; 8] = b"EVMGAZ\0\0";
/// Flag: the snapshot keeps each place's names, so layers can be added.
pub(crate) const WITH_KEYS: u32 = 1;
/// Flag: the two text sections are held by the caller.
pub(crate) const EXTERNAL_TEXT: u32 = 2;
const HEADER: usize = 8 + 4 + 8 + 4 + 8;
/// The checksum covers everything after itself.
const CHECKED: usize = 8 + 4 + 8;

/// Why a snapshot could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bad(pub &'static str);

type Result<T> = std::result::Result<T, Bad>;

/// The text sections of a snapshot made with [`EXTERNAL_TEXT`], and its
/// first-word table ([`Built::first`] of what was encoded: the binary reads
/// it in place, see [`FirstWords::from_parts`]).
#[derive(Debug)]
pub(crate) struct Text<'a> {
    /// The places' strings.
    pub strings: &'a str,
    /// The name arena.
    pub names: &'a str,
    pub first: FirstWords,
}

/// What [`encode`] makes: the snapshot, and with [`EXTERNAL_TEXT`] its text
/// (the first-word table to pass back is [`Built::first`]).
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))] // the text is used by build.rs
pub(crate) struct Encoded {
    pub bytes: Vec<u8>,
    pub strings: String,
    pub names: String,
}

/// A place's strings in snapshot order.
fn place_strings(p: &Place) -> impl Iterator<Item = &str> {
    let fields = [&p.id, &p.name, &p.country, &p.admin1, &p.source];
    fields.into_iter().chain(&p.names).map(String::as_str)
}

/// Encode a built gazetteer and its problems. `flags`: [`WITH_KEYS`] to keep
/// what adding layers needs, [`EXTERNAL_TEXT`] to return the text apart.
/// Fails only on what the parser never makes (geometry types other than
/// points, lines and polygons; names or first words not stored one after
/// another).
pub(crate) fn encode(b: &Built, problems: &[Problem], flags: u32) -> Result<Encoded> {
    let (arena, entries, many, table) = b.by_name.parts();
    let (first_arena, first_block) = b.first.parts();
    let text_len: usize = b.places.iter().flat_map(place_strings).map(str::len).sum();
    // Written in place: the header, then each section; lengths and the
    // checksum are filled in at the end.
    let mut body = Writer::default();
    body.buf.reserve(
        HEADER
            + text_len
            + arena.len()
            + 48 * b.places.len()
            + 8 * b.by_id.table().len()
            + 16 * entries.len()
            + 8 * table.len()
            + first_arena.len()
            + first_block.len()
            + 4096,
    );
    body.raw(MAGIC);
    body.u32(FORMAT);
    body.raw(&[0; 8]);
    body.u32(flags);
    body.raw(&[0; 8]);
    let mut strings = String::new();
    if flags & EXTERNAL_TEXT != 0 {
        strings.reserve(text_len);
        for p in &b.places {
            place_strings(p).for_each(|s| strings.push_str(s));
        }
        body.section(|_| Ok(()))?;
    } else {
        body.section(|w| {
            for p in &b.places {
                place_strings(p).for_each(|s| w.raw(s.as_bytes()));
            }
            Ok(())
        })?;
    }
    let names = body.text(arena, flags)?;
    // Paths, each once; `path_of[i]` is place i's (most places share the
    // path of the place before them).
    let mut path_ix: HashMap<&str, usize> = HashMap::new();
    let mut paths: Vec<&str> = Vec::new();
    let mut path_of = Vec::with_capacity(b.places.len());
    let mut last: Option<(&Arc<str>, usize)> = None;
    for p in &b.places {
        let i = match last {
            Some((l, i)) if Arc::ptr_eq(l, &p.origin.path) => i,
            _ => *path_ix.entry(&p.origin.path).or_insert_with(|| {
                paths.push(&p.origin.path);
                paths.len() - 1
            }),
        };
        last = Some((&p.origin.path, i));
        path_of.push(i);
    }
    body.section(|w| {
        w.len(paths.len());
        for p in &paths {
            w.str(p);
        }
        Ok(())
    })?;
    body.section(|w| {
        w.len(b.places.len());
        for (p, &path) in b.places.iter().zip(&path_of) {
            w.place(p, path)?;
        }
        Ok(())
    })?;
    body.section(|w| {
        w.len(b.by_id.table().len());
        for &t in b.by_id.table() {
            w.raw(&t.to_le_bytes());
        }
        Ok(())
    })?;
    body.section(|w| {
        let mut d: Vec<(&String, &Demonym)> = b.demonyms.iter().collect();
        d.sort_by(|x, y| x.0.cmp(y.0));
        w.len(d.len());
        for (k, d) in d {
            w.str(k);
            w.str(&d.word);
            w.str(&d.country);
            w.str(&d.kind);
        }
        Ok(())
    })?;
    body.section(|w| {
        w.len(problems.len());
        for p in problems {
            w.str(&p.path);
            w.len(p.line);
            w.str(&p.message);
            w.u8(u8::from(p.is_error));
        }
        Ok(())
    })?;
    body.section(|w| {
        if flags & WITH_KEYS == 0 {
            return Ok(());
        }
        // The names are appended to the arena one after another.
        w.len(b.key_spans.len());
        let mut at = 0;
        for &(a, z) in &b.key_spans {
            if a != at || z < a {
                return Err(Bad("names not stored one after another"));
            }
            w.len((z - a) as usize);
            at = z;
        }
        if at as usize != arena.len() {
            return Err(Bad("names not stored one after another"));
        }
        w.len(b.key_ranges.len());
        for r in &b.key_ranges {
            w.len(r.start);
            w.len(r.len());
        }
        Ok(())
    })?;
    body.section(|w| {
        w.len(entries.len());
        for e in entries {
            w.len(e.start as usize);
            w.len(e.end.saturating_sub(e.start) as usize);
            w.len(e.cand as usize);
        }
        w.len(many.len());
        for m in many {
            w.len(m.len());
            for &i in m {
                w.len(i);
            }
        }
        w.len(table.len());
        for &t in table {
            w.raw(&t.to_le_bytes());
        }
        Ok(())
    })?;
    body.text(first_arena, flags)?;
    body.text_or_bytes(first_block, flags)?;
    let mut bytes = body.buf;
    let len = (bytes.len() - HEADER) as u64;
    bytes[HEADER - 8..HEADER].copy_from_slice(&len.to_le_bytes());
    let sum = checksum(&bytes[CHECKED..]);
    bytes[CHECKED - 8..CHECKED].copy_from_slice(&sum.to_le_bytes());
    Ok(Encoded {
        bytes,
        strings,
        names,
    })
}

/// The flags and checksum of a snapshot whose magic, format and length are right.
fn header(bytes: &[u8]) -> Result<(u32, u64)> {
    let mut r = Reader::new(bytes);
    if r.take(8)? != MAGIC {
        return Err(Bad("not an eventmap gazetteer snapshot"));
    }
    if r.u32()? != FORMAT {
        return Err(Bad("snapshot of another format version"));
    }
    let checksum = r.u64()?;
    let flags = r.u32()?;
    if r.u64()? != r.remaining() as u64 {
        return Err(Bad("truncated snapshot"));
    }
    Ok((flags, checksum))
}

/// Whether the body's checksum matches the header (for files, which may
/// have been damaged; the embedded snapshot is trusted to be what the build
/// wrote, and still checked as it is decoded).
pub(crate) fn checksum_ok(bytes: &[u8]) -> bool {
    header(bytes).is_ok_and(|(_, sum)| checksum(&bytes[CHECKED..]) == sum)
}

/// A 64-bit checksum: four independent multiply-rotate lanes over 32-byte
/// blocks (fast: they run in parallel), mixed with the length and the tail.
/// Catches damaged files, not attacks.
pub(crate) fn checksum(b: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut lanes = [1u64, 2, 3, 4];
    let mut blocks = b.chunks_exact(32);
    for blk in &mut blocks {
        for (l, w) in lanes.iter_mut().zip(blk.chunks_exact(8)) {
            let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            *l = (l.rotate_left(23) ^ w).wrapping_mul(K);
        }
    }
    let mut tail = [0u8; 32];
    let rest = blocks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let mut h = b.len() as u64;
    for (l, w) in lanes.iter().zip(tail.chunks_exact(8)) {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        h = (h.rotate_left(29) ^ l ^ w).wrapping_mul(K);
        h ^= h >> 32;
    }
    h
}

/// What to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// The name index, for a gazetteer used as is.
    Index,
    /// The names of each place instead of the index, to add layers to it
    /// (needs [`WITH_KEYS`]). `by_name` then holds only the arena.
    Keys,
}

/// Decode a snapshot; `text` must be given exactly when it was made with
/// [`EXTERNAL_TEXT`].
pub(crate) fn decode(
    bytes: &[u8],
    text: Option<Text<'_>>,
    want: Want,
) -> Result<(Built, Vec<Problem>)> {
    let (flags, _) = header(bytes)?;
    if want == Want::Keys && flags & WITH_KEYS == 0 {
        return Err(Bad("snapshot without the names of each place"));
    }
    if text.is_some() != (flags & EXTERNAL_TEXT != 0) {
        return Err(Bad("text sections missing or twice"));
    }
    let mut r = Reader::new(&bytes[HEADER..]);
    let mut sec: [&[u8]; 11] = [&[]; 11];
    for s in &mut sec {
        *s = r.section(|r| r.take(r.remaining()))?;
    }
    if r.remaining() != 0 {
        return Err(Bad("trailing bytes after the snapshot"));
    }
    let (strings, names, first) = match text {
        Some(t)
            if [sec[0], sec[1], sec[9], sec[10]]
                .iter()
                .all(|s| s.is_empty()) =>
        {
            (t.strings, t.names, Some(t.first))
        }
        Some(_) => return Err(Bad("text sections missing or twice")),
        None => (text_of(sec[0])?, text_of(sec[1])?, None),
    };
    let first = match first {
        Some(f) => f,
        None => FirstWords::from_parts(
            Cow::Owned(text_of(sec[9])?.to_owned()),
            Cow::Owned(sec[10].to_vec()),
        )
        .map_err(Bad)?,
    };
    let paths = whole(sec[2], |r| {
        let n = r.count(1)?;
        let mut v: Vec<Arc<str>> = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(r.str()?.into());
        }
        Ok(v)
    })?;
    let n_places = Reader::new(sec[3]).len()?;
    // The places take most of the time; the rest is decoded meanwhile on
    // another thread when there are many.
    // (Without a thread, for example when none can be made, in turn.)
    let rest = || decode_rest(&sec[4..9], names, n_places, want);
    let places = || whole(sec[3], |r| decode_places(r, strings, &paths));
    let (places, rest) = std::thread::scope(|scope| {
        let helper = (n_places >= PARALLEL_FROM)
            .then(|| std::thread::Builder::new().spawn_scoped(scope, rest).ok())
            .flatten();
        let places = places();
        let rest = match helper {
            Some(h) => h.join().unwrap_or(Err(Bad("decoder thread failed"))),
            None => rest(),
        };
        (places, rest)
    });
    let (places, rest) = (places?, rest?);
    Ok((
        Built {
            places,
            first,
            by_id: rest.by_id,
            by_name: rest.by_name,
            demonyms: rest.demonyms,
            key_spans: rest.key_spans,
            key_ranges: rest.key_ranges,
        },
        rest.problems,
    ))
}

fn text_of(b: &[u8]) -> Result<&str> {
    std::str::from_utf8(b).map_err(|_| Bad("text is not UTF-8"))
}

/// Decode the rest on another thread from this many places on.
const PARALLEL_FROM: usize = 10_000;

/// Everything but the places.
struct Rest {
    by_id: IdIndex,
    by_name: NameIndex,
    demonyms: FastMap<String, Demonym>,
    problems: Vec<Problem>,
    key_spans: Vec<(u32, u32)>,
    key_ranges: Vec<Range<usize>>,
}

/// Decode all of `bytes` with `f`.
fn whole<'a, T>(bytes: &'a [u8], f: impl FnOnce(&mut Reader<'a>) -> Result<T>) -> Result<T> {
    let mut r = Reader::new(bytes);
    let v = f(&mut r)?;
    if r.remaining() != 0 {
        return Err(Bad("section longer than its contents"));
    }
    Ok(v)
}

/// Sections 5 to 9 (id table, demonyms, problems, keys, index) of a
/// snapshot of `n_places` places whose name arena is `names`.
fn decode_rest(sec: &[&[u8]], names: &str, n_places: usize, want: Want) -> Result<Rest> {
    let [ids, demonyms, problems, keys, index] = sec else {
        return Err(Bad("missing sections"));
    };
    let by_id = whole(ids, |r| {
        let n = r.count(8)?;
        let t: Vec<u64> = r
            .take(n * 8)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        IdIndex::from_table(t, n_places).map_err(Bad)
    })?;
    let demonyms = whole(demonyms, |r| {
        let n = r.count(4)?;
        let mut m = FastMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let key = r.string()?;
            let d = Demonym {
                word: r.string()?,
                country: r.string()?,
                kind: r.string()?,
            };
            m.insert(key, d);
        }
        Ok(m)
    })?;
    let problems = whole(problems, |r| {
        let n = r.count(4)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(Problem {
                path: r.string()?,
                line: r.len()?,
                message: r.string()?,
                is_error: match r.u8()? {
                    0 => false,
                    1 => true,
                    _ => return Err(Bad("bad problem flag")),
                },
            });
        }
        Ok(v)
    })?;
    let mut rest = Rest {
        by_id,
        by_name: NameIndex::default(),
        demonyms,
        problems,
        key_spans: Vec::new(),
        key_ranges: Vec::new(),
    };
    let names = names.to_owned();
    if want == Want::Keys {
        (rest.key_spans, rest.key_ranges) = whole(keys, |r| {
            let n = r.count(1)?;
            let mut spans = Vec::with_capacity(n);
            let mut at: usize = 0;
            for _ in 0..n {
                let end = at.checked_add(r.len()?).ok_or(Bad("bad name length"))?;
                if !names.is_char_boundary(end) || end > u32::MAX as usize {
                    return Err(Bad("name outside the arena"));
                }
                spans.push((at as u32, end as u32));
                at = end;
            }
            let n = r.count(2)?;
            let mut ranges: Vec<Range<usize>> = Vec::with_capacity(n);
            for _ in 0..n {
                let a = r.len()?;
                let z = a.checked_add(r.len()?).ok_or(Bad("bad names of a place"))?;
                if z > spans.len() {
                    return Err(Bad("names of a place out of range"));
                }
                ranges.push(a..z);
            }
            if ranges.len() != n_places {
                return Err(Bad("names of a place out of range"));
            }
            Ok((spans, ranges))
        })?;
        // The name index is rebuilt when layers are added: only the arena.
        rest.by_name = NameIndex::from_parts(names, Vec::new(), Vec::new(), &[], 0).map_err(Bad)?;
        return Ok(rest);
    }
    rest.by_name = whole(index, |r| {
        let n = r.count(3)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let start = r.u32_varint()?;
            let len = r.u32_varint()?;
            let cand = r.u32_varint()?;
            let end = start.checked_add(len).ok_or(Bad("bad name length"))?;
            entries.push(Entry { start, end, cand });
        }
        let n = r.count(1)?;
        let mut many = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.count(1)?;
            let mut m = Vec::with_capacity(k);
            for _ in 0..k {
                m.push(r.len()?);
            }
            many.push(m);
        }
        let n = r.count(8)?;
        let table = r.take(n * 8)?;
        NameIndex::from_parts(names, entries, many, table, n_places).map_err(Bad)
    })?;
    Ok(rest)
}

/// The places section: their number, then each place's record; their
/// strings come from `strings`, in order.
fn decode_places(r: &mut Reader<'_>, strings: &str, paths: &[Arc<str>]) -> Result<Vec<Place>> {
    let n = r.count(24)?;
    let mut v = Vec::with_capacity(n);
    let mut s = Strings {
        arena: strings,
        pos: 0,
    };
    for _ in 0..n {
        v.push(r.place(&mut s, paths)?);
    }
    if s.pos != strings.len() {
        return Err(Bad("strings left over"));
    }
    Ok(v)
}

#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }
    fn len(&mut self, v: usize) {
        self.varint(v as u64);
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.raw(s.as_bytes());
    }
    fn coords(&mut self, l: &LineString<f64>) {
        self.len(l.0.len());
        for c in &l.0 {
            self.f64(c.x);
            self.f64(c.y);
        }
    }
    /// The parts of a multi-geometry: their number, then each.
    fn parts<T>(&mut self, parts: &[T], mut f: impl FnMut(&mut Writer, &T)) {
        self.len(parts.len());
        for p in parts {
            f(self, p);
        }
    }
    fn polygon(&mut self, p: &Polygon<f64>) {
        self.len(1 + p.interiors().len());
        self.coords(p.exterior());
        for r in p.interiors() {
            self.coords(r);
        }
    }
    /// Tag 0 is a point at the place's own coordinates (every places row).
    fn geometry(&mut self, g: &Geometry<f64>, lon: f64, lat: f64) -> Result<()> {
        match g {
            Geometry::Point(p)
                if p.x().to_bits() == lon.to_bits() && p.y().to_bits() == lat.to_bits() =>
            {
                self.u8(0)
            }
            Geometry::Point(p) => {
                self.u8(1);
                self.f64(p.x());
                self.f64(p.y());
            }
            Geometry::LineString(l) => {
                self.u8(2);
                self.coords(l);
            }
            Geometry::MultiLineString(m) => {
                self.u8(3);
                self.parts(&m.0, Writer::coords);
            }
            Geometry::Polygon(p) => {
                self.u8(4);
                self.polygon(p);
            }
            Geometry::MultiPolygon(m) => {
                self.u8(5);
                self.parts(&m.0, Writer::polygon);
            }
            _ => return Err(Bad("geometry type not supported in a snapshot")),
        }
        Ok(())
    }
    fn place(&mut self, p: &Place, path: usize) -> Result<()> {
        self.len(p.names.len());
        for s in place_strings(p) {
            self.len(s.len());
        }
        self.u8(p.kind as u8);
        self.f64(p.lat);
        self.f64(p.lon);
        self.varint(p.population);
        self.len(path);
        self.len(p.origin.line);
        self.geometry(&p.geometry, p.lon, p.lat)
    }
    /// A text section: `text`, or with [`EXTERNAL_TEXT`] nothing, `text`
    /// being returned for the caller to keep.
    fn text(&mut self, text: &str, flags: u32) -> Result<String> {
        self.text_or_bytes(text.as_bytes(), flags)?;
        Ok(match flags & EXTERNAL_TEXT {
            0 => String::new(),
            _ => text.to_string(),
        })
    }
    /// A section of these bytes, or with [`EXTERNAL_TEXT`] an empty one.
    fn text_or_bytes(&mut self, bytes: &[u8], flags: u32) -> Result<()> {
        self.section(|w| {
            if flags & EXTERNAL_TEXT == 0 {
                w.raw(bytes);
            }
            Ok(())
        })
    }
    /// A section: its length, then what `f` writes.
    fn section(&mut self, f: impl FnOnce(&mut Writer) -> Result<()>) -> Result<()> {
        let at = self.buf.len();
        self.raw(&[0; 8]);
        f(self)?;
        let len = (self.buf.len() - at - 8) as u64;
        self.buf[at..at + 8].copy_from_slice(&len.to_le_bytes());
        Ok(())
    }
}

/// The places' strings, handed out in order.
struct Strings<'a> {
    arena: &'a str,
    pos: usize,
}

impl Strings<'_> {
    fn next(&mut self, len: usize) -> Result<String> {
        let end = self.pos.checked_add(len).ok_or(Bad("bad string length"))?;
        let s = self
            .arena
            .get(self.pos..end)
            .ok_or(Bad("bad string length"))?;
        self.pos = end;
        Ok(s.to_owned())
    }
}

/// [`PlaceKind`]s by their number (`kind as u8`).
const KINDS: [PlaceKind; 12] = [
    PlaceKind::Country,
    PlaceKind::Admin1,
    PlaceKind::Admin2,
    PlaceKind::Region,
    PlaceKind::Capital,
    PlaceKind::City,
    PlaceKind::Town,
    PlaceKind::Village,
    PlaceKind::Site,
    PlaceKind::Road,
    PlaceKind::Border,
    PlaceKind::Line,
];

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or(Bad("truncated snapshot"))?;
        let s = self
            .buf
            .get(self.pos..end)
            .ok_or(Bad("truncated snapshot"))?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    #[inline]
    fn varint(&mut self) -> Result<u64> {
        // One byte, the common case.
        if let Some(&b) = self.buf.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Bad("bad number"))
    }
    fn len(&mut self) -> Result<usize> {
        usize::try_from(self.varint()?).map_err(|_| Bad("bad number"))
    }
    fn u32_varint(&mut self) -> Result<u32> {
        u32::try_from(self.varint()?).map_err(|_| Bad("bad number"))
    }
    /// A count of items of at least `min_bytes` each: never more than the
    /// bytes left could hold, so a corrupt count cannot reserve much memory.
    fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.len()?;
        if n > self.remaining() / min_bytes.max(1) {
            return Err(Bad("count larger than the snapshot"));
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| Bad("string is not UTF-8"))
    }
    fn string(&mut self) -> Result<String> {
        self.str().map(str::to_owned)
    }
    fn coords(&mut self) -> Result<LineString<f64>> {
        let n = self.count(16)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            let x = self.f64()?;
            let y = self.f64()?;
            v.push(Coord { x, y });
        }
        Ok(LineString::new(v))
    }
    /// The parts of a multi-geometry.
    fn parts<T>(&mut self, mut f: impl FnMut(&mut Reader<'a>) -> Result<T>) -> Result<Vec<T>> {
        let n = self.count(1)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(f(self)?);
        }
        Ok(v)
    }
    fn polygon(&mut self) -> Result<Polygon<f64>> {
        let n = self.count(1)?;
        if n == 0 {
            return Err(Bad("polygon without rings"));
        }
        let exterior = self.coords()?;
        let mut interiors = Vec::with_capacity(n - 1);
        for _ in 1..n {
            interiors.push(self.coords()?);
        }
        Ok(Polygon::new(exterior, interiors))
    }
    fn geometry(&mut self, lon: f64, lat: f64) -> Result<Geometry<f64>> {
        Ok(match self.u8()? {
            0 => Geometry::Point(Point::new(lon, lat)),
            1 => {
                let x = self.f64()?;
                let y = self.f64()?;
                Geometry::Point(Point::new(x, y))
            }
            2 => Geometry::LineString(self.coords()?),
            3 => Geometry::MultiLineString(MultiLineString::new(self.parts(Reader::coords)?)),
            4 => Geometry::Polygon(self.polygon()?),
            5 => Geometry::MultiPolygon(MultiPolygon::new(self.parts(Reader::polygon)?)),
            _ => return Err(Bad("bad geometry type")),
        })
    }
    fn place(&mut self, s: &mut Strings<'_>, paths: &[Arc<str>]) -> Result<Place> {
        let n = self.count(1)?;
        let id = s.next(self.len()?)?;
        let name = s.next(self.len()?)?;
        let country = s.next(self.len()?)?;
        let admin1 = s.next(self.len()?)?;
        let source = s.next(self.len()?)?;
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            names.push(s.next(self.len()?)?);
        }
        let kind = *KINDS
            .get(self.u8()? as usize)
            .ok_or(Bad("bad place kind"))?;
        let lat = self.f64()?;
        let lon = self.f64()?;
        let population = self.varint()?;
        let path = paths
            .get(self.len()?)
            .ok_or(Bad("bad origin path"))?
            .clone();
        let line = self.len()?;
        let geometry = self.geometry(lon, lat)?.into();
        Ok(Place {
            id,
            name,
            kind,
            country,
            admin1,
            lat,
            lon,
            population,
            names,
            source,
            geometry,
            origin: Origin { path, line },
        })
    }
    /// A section: its length, then what `f` reads, which must be all of it.
    fn section<T>(&mut self, f: impl FnOnce(&mut Reader<'a>) -> Result<T>) -> Result<T> {
        let n = usize::try_from(self.u64()?).map_err(|_| Bad("truncated snapshot"))?;
        let mut inner = Reader::new(self.take(n)?);
        let v = f(&mut inner)?;
        if inner.remaining() != 0 {
            return Err(Bad("section longer than its contents"));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::layers::{build_layers, Builder};
    use crate::gazetteer::testutil::{assert_same, sample_files, write_places, FIX_ROW};
    use crate::gazetteer::{as_sources, bundled_sources, Gazetteer, SourceFile};

    fn gazetteer(b: Built) -> Gazetteer {
        Gazetteer::from_built(b)
    }

    fn sample() -> (Built, Vec<Problem>) {
        let files = sample_files();
        build_layers(&[&as_sources(&files)])
    }

    #[test]
    fn kinds_are_numbered_in_declaration_order() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
    }

    /// Decoding what was encoded gives what a fresh parse gives: places,
    /// ids, names and their candidates, the index, demonyms and problems.
    #[test]
    fn round_trip_equals_fresh_parse() {
        let (built, problems) = sample();
        assert_eq!(problems.len(), 4, "{problems:?}");
        let snap = encode(&built, &problems, 0).unwrap();
        assert!(checksum_ok(&snap.bytes));
        let (back, back_problems) = decode(&snap.bytes, None, Want::Index).unwrap();
        assert_eq!(back_problems, problems);
        let (fresh, _) = sample();
        assert_same(&gazetteer(back), &gazetteer(fresh));

        // The same with the text held apart (as the binary embeds it).
        let (built, problems) = sample();
        let snap = encode(&built, &problems, EXTERNAL_TEXT | WITH_KEYS).unwrap();
        let text = Text {
            strings: &snap.strings,
            names: &snap.names,
            first: built.first.clone(),
        };
        assert!(decode(&snap.bytes, None, Want::Index).is_err());
        let (back, back_problems) = decode(&snap.bytes, Some(text), Want::Index).unwrap();
        assert_eq!(back_problems, problems);
        assert_same(&gazetteer(back), &gazetteer(built));
    }

    /// A snapshot with the names of each place, with a layer added, equals
    /// parsing both layers: the layer's rows override by id.
    #[test]
    fn layer_on_a_snapshot_equals_from_layers() {
        let files = sample_files();
        let user = [(
            "mine/places/fix.tsv".to_string(),
            format!(
                "{}\ngn-1\tStepanakert\ttown\tAZ\t\t39.815\t46.75\t50000\tKhankendi\tmy fix\nnew-1\tNew Place\tvillage\tAZ\t\t40.0\t47.0\t\t\tmine\n",
                crate::gazetteer::PLACES_HEADER
            ),
        )];
        let (built, problems) = build_layers(&[&as_sources(&files)]);
        let snap = encode(&built, &problems, WITH_KEYS).unwrap();
        assert!(decode(
            &encode(&built, &problems, 0).unwrap().bytes,
            None,
            Want::Keys
        )
        .is_err());
        let (back, mut all_problems) = decode(&snap.bytes, None, Want::Keys).unwrap();
        let mut b = Builder::from_built(back);
        b.add_layer(1, &as_sources(&user), &mut all_problems);
        let layered = gazetteer(b.finish());
        let (fresh, fresh_problems) =
            Gazetteer::from_layers(&[&as_sources(&files), &as_sources(&user)]);
        assert_eq!(all_problems, fresh_problems);
        assert_same(&layered, &fresh);
        assert_eq!(layered.by_id("gn-1").unwrap().name, "Stepanakert");
    }

    /// The snapshot `build.rs` embeds is what parsing the embedded files gives.
    #[test]
    fn bundled_snapshot_equals_fresh_parse() {
        let (snap, snap_problems) = crate::gazetteer::bundled_snapshot(Want::Index).unwrap();
        let (fresh, fresh_problems) = Gazetteer::from_sources(&bundled_sources());
        assert_eq!(snap_problems, fresh_problems);
        assert_same(&gazetteer(snap), &fresh);
        let (loaded, _) = Gazetteer::load(&Default::default()).unwrap();
        assert_same(&loaded, &fresh);
    }

    /// With a user directory, the bundled snapshot is layer 0 and the result
    /// is what parsing every file gives.
    #[test]
    fn bundled_snapshot_with_a_user_layer_equals_from_layers() {
        let dir = tempfile::tempdir().unwrap();
        write_places(&dir.path().join("places/fix.tsv"), &[FIX_ROW, "bad"]);
        let opts = crate::gazetteer::LoadOptions {
            no_bundled: false,
            extra_dirs: vec![dir.path().to_path_buf()],
        };
        let (loaded, problems, _) = Gazetteer::load_with_cache(&opts, None).unwrap();
        let user = crate::gazetteer::read_source_dir(dir.path()).unwrap();
        let (fresh, fresh_problems) =
            Gazetteer::from_layers(&[&bundled_sources(), &as_sources(&user)]);
        assert_eq!(problems, fresh_problems);
        assert_eq!(problems.len(), 1);
        assert_same(&loaded, &fresh);
        assert_eq!(loaded.by_id("gn-146970").unwrap().name, "Stepanakert");
    }

    /// Every truncation and many damaged bytes are errors (or, for damage
    /// the format cannot see, a checksum mismatch), never a panic.
    #[test]
    fn truncated_or_damaged_snapshot_is_an_error() {
        let (built, problems) = sample();
        let bytes = encode(&built, &problems, WITH_KEYS).unwrap().bytes;
        for n in 0..bytes.len() {
            assert!(
                decode(&bytes[..n], None, Want::Index).is_err(),
                "cut at {n}"
            );
            assert!(!checksum_ok(&bytes[..n]));
        }
        let mut damaged = bytes.clone();
        for i in (0..bytes.len()).step_by(3) {
            for flip in [0x01, 0x80, 0xff] {
                damaged[i] ^= flip;
                let _ = decode(&damaged, None, Want::Index);
                let _ = decode(&damaged, None, Want::Keys);
                assert!(!checksum_ok(&damaged), "byte {i} ^ {flip:#x}");
                damaged[i] ^= flip;
            }
        }
        assert!(decode(b"not a snapshot", None, Want::Index).is_err());
        assert!(decode(&[], None, Want::Index).is_err());
    }

    #[test]
    fn empty_gazetteer_round_trips() {
        let (built, problems) = build_layers(&[&[] as &[SourceFile<'_>]]);
        let bytes = encode(&built, &problems, WITH_KEYS).unwrap().bytes;
        let (back, p) = decode(&bytes, None, Want::Index).unwrap();
        assert!(p.is_empty() && back.places.is_empty());
        assert!(gazetteer(back).candidates("x").is_empty());
        assert!(decode(&bytes, None, Want::Keys).is_ok());
    }
}
