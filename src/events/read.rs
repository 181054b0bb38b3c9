//! Reading incidents (and events) back from GeoJSON: a FeatureCollection,
//! an RFC 8142 text sequence, or one feature per line, as eventmap writes
//! them (any layout of a FeatureCollection is read too, streamed).

use std::fmt;
use std::io::{BufRead, Read};

use chrono::NaiveDate;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::unit::{bounded, split_list, Draft, MAX_EVIDENCE_CHARS};
use super::{EventsError, NightWords};
use crate::record::DatePrecision;

/// The properties fusion reads; others are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Props {
    id: Option<String>,
    kind: Option<String>,
    source_file: Option<String>,
    event_date: Option<String>,
    date_precision: Option<String>,
    event_type: Option<String>,
    sub_event_type: Option<String>,
    location: Option<String>,
    gazetteer_id: Option<String>,
    geo_precision: Option<f64>,
    fatalities: Option<f64>,
    fatalities_low: Option<f64>,
    fatalities_high: Option<f64>,
    injured: Option<f64>,
    injured_low: Option<f64>,
    injured_high: Option<f64>,
    actor1: Option<String>,
    actor2: Option<String>,
    reported_by: Option<String>,
    evidence: Option<String>,
    country: Option<String>,
    admin1: Option<String>,
    publisher: Option<String>,
    publishers: Option<String>,
    url: Option<String>,
    urls: Option<String>,
    published: Option<String>,
    wkt: Option<String>,
    incident_ids: Option<String>,
    source_files: Option<String>,
    fusion_note: Option<String>,
}

/// A feature as read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InFeature {
    geometry: Option<serde_json::Value>,
    properties: Option<Props>,
}

fn precision(s: &str) -> Option<DatePrecision> {
    Some(match s {
        "day" => DatePrecision::Day,
        "week" => DatePrecision::Week,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        "unknown" => DatePrecision::Unknown,
        _ => return None,
    })
}

fn count(x: Option<f64>) -> Option<u32> {
    x.filter(|v| v.is_finite() && *v >= 0.0).map(|v| v as u32)
}

/// The feature's point: a Point's position, else the middle of the
/// geometry's bounding box; `None` without a usable geometry.
fn point_of(g: &geo::Geometry<f64>) -> Option<(f64, f64)> {
    use geo::BoundingRect;
    match g {
        geo::Geometry::Point(p) => Some((p.x(), p.y())),
        g => g.bounding_rect().map(|r| {
            let c = r.center();
            (c.x, c.y)
        }),
    }
}

fn geometry_of(v: &serde_json::Value) -> Option<geo::Geometry<f64>> {
    let g: geojson::Geometry = serde_json::from_value(v.clone()).ok()?;
    geo::Geometry::<f64>::try_from(g).ok()
}

fn wkt_geometry(s: &str) -> Option<geo::Geometry<f64>> {
    use wkt::TryFromWkt;
    geo::Geometry::try_from_wkt_str(s).ok()
}

/// The incident ids and articles of a feature (an event's lists).
fn ids_and_files(p: &Props, is_event: bool) -> Result<(Vec<String>, Vec<String>), String> {
    let ids = if is_event {
        p.incident_ids
            .as_deref()
            .map(split_list)
            .unwrap_or_default()
    } else {
        p.id.iter().cloned().collect()
    };
    if ids.is_empty() {
        return Err(if is_event {
            "an event without \"incident_ids\"".into()
        } else {
            "no \"id\" property".into()
        });
    }
    let files = match (&p.source_files, &p.source_file) {
        (Some(s), _) if is_event => split_list(s),
        (_, Some(s)) if !s.is_empty() => vec![s.clone()],
        _ => return Err("no \"source_file\" property".into()),
    };
    Ok((ids, files))
}

/// A region-level report's area: its polygon geometry, else its `wkt`.
fn region_of(
    geometry: Option<&geo::Geometry<f64>>,
    wkt: Option<&str>,
) -> Option<geo::Geometry<f64>> {
    match (geometry, wkt) {
        (Some(g @ (geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_))), _) => {
            Some(g.clone())
        }
        (_, Some(w)) => wkt_geometry(w),
        _ => None,
    }
}

/// A draft from one feature, or what is wrong with it.
/// `want_region(gazetteer_id)` says whether a region-level report's area
/// is still needed (each region's polygon is parsed once, not per report).
fn draft(f: InFeature, want_region: &dyn Fn(&str) -> bool) -> Result<Draft, String> {
    let p = f
        .properties
        .ok_or("no properties: is this an eventmap layer?")?;
    let geometry = f.geometry.as_ref().and_then(geometry_of);
    let point = geometry
        .as_ref()
        .and_then(point_of)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .ok_or("no usable geometry (a Point with two numbers is needed)")?;
    let is_event = p.kind.as_deref() == Some("event");
    let (ids, files) = ids_and_files(&p, is_event)?;
    let geo_precision = count(p.geo_precision).unwrap_or(3).clamp(1, 3) as u8;
    let gid = p.gazetteer_id.as_deref().unwrap_or("");
    let region = (geo_precision >= 3 && want_region(gid))
        .then(|| region_of(geometry.as_ref(), p.wkt.as_deref()))
        .flatten();
    let either = |a: &Option<String>, b: &Option<String>| {
        a.as_deref()
            .or(b.as_deref())
            .map(split_list)
            .unwrap_or_default()
    };
    Ok(Draft {
        ids,
        source_files: files,
        publishers: either(&p.publishers, &p.publisher),
        urls: either(&p.urls, &p.url),
        claimants: p.reported_by.as_deref().map(split_list).unwrap_or_default(),
        date_precision: p.date_precision.as_deref().and_then(precision),
        event_date: p.event_date,
        published: p
            .published
            .as_deref()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
        event_type: p.event_type.unwrap_or_default(),
        sub_event_type: p.sub_event_type.unwrap_or_default(),
        location: p.location.unwrap_or_default(),
        gazetteer_id: p.gazetteer_id.unwrap_or_default(),
        geo_precision,
        point,
        region: region.map(Into::into),
        country: p.country,
        admin1: p.admin1,
        fatalities: count(p.fatalities),
        fatalities_low: count(p.fatalities_low),
        fatalities_high: count(p.fatalities_high),
        injured: count(p.injured),
        injured_low: count(p.injured_low),
        injured_high: count(p.injured_high),
        actor1: p.actor1,
        actor2: p.actor2,
        evidence: match p.evidence {
            Some(e) if is_event => e,
            Some(e) => bounded(&e, MAX_EVIDENCE_CHARS),
            None => String::new(),
        },
        prior_note: is_event.then(|| p.fusion_note.unwrap_or_default()),
    })
}

/// Counts of one [`read_features`] call.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadStats {
    pub features: u64,
    pub skipped: u64,
}

/// A draft, and whether its evidence says "at night"; or what is wrong.
type Parsed = Result<(Draft, bool), String>;

/// Features read as texts, parsed in parallel a batch at a time.
struct Batch<'n> {
    night: &'n NightWords,
    /// Gazetteer ids of the regions whose area was read.
    regions: std::sync::Mutex<std::collections::HashSet<String>>,
    texts: Vec<Vec<u8>>,
    /// Index (1-based) of the batch's first feature.
    first: u64,
}

/// Features parsed together (rayon splits the work).
const BATCH_FEATURES: usize = 8192;

impl Batch<'_> {
    fn prepare(&self, f: Result<InFeature, String>) -> Parsed {
        let seen = || self.regions.lock().unwrap_or_else(|e| e.into_inner());
        let want = |gid: &str| !seen().contains(gid);
        f.and_then(|f| draft(f, &want)).map(|d| {
            if d.region.is_some() {
                seen().insert(d.gazetteer_id.clone());
            }
            let n = self.night.says_night(&d.evidence);
            (d, n)
        })
    }

    fn push(&mut self, text: &[u8], handle: &mut impl FnMut(u64, Parsed)) {
        self.texts.push(text.to_vec());
        if self.texts.len() >= BATCH_FEATURES {
            self.flush(handle);
        }
    }

    fn flush(&mut self, handle: &mut impl FnMut(u64, Parsed)) {
        use rayon::prelude::*;
        let parsed: Vec<Parsed> = self
            .texts
            .par_iter()
            .map(|t| self.prepare(parse(t)))
            .collect();
        for p in parsed {
            handle(self.first, p);
            self.first += 1;
        }
        self.texts.clear();
    }
}

/// The first byte that is not white space (consumed up to it), if any.
fn first_byte<R: BufRead>(input: &mut R) -> std::io::Result<Option<u8>> {
    loop {
        let buf = input.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                input.consume(i);
                return Ok(Some(b));
            }
            None if buf.is_empty() => return Ok(None),
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// Input that starts with `{`: eventmap's FeatureCollection layout (one
/// feature a line), one feature a line, or any other FeatureCollection
/// (streamed by serde).
fn braced<R: BufRead>(
    path: &str,
    mut input: R,
    batch: &mut Batch<'_>,
    handle: &mut impl FnMut(u64, Parsed),
) -> Result<(), EventsError> {
    let read_err = |source| EventsError::Read {
        path: path.to_string(),
        source,
    };
    let mut head = Vec::new();
    input.read_until(b'\n', &mut head).map_err(read_err)?;
    let line = String::from_utf8_lossy(&head);
    let t = line.trim();
    let collection = t.contains("\"FeatureCollection\"");
    if collection && t.ends_with('[') {
        return lines(input, batch, handle, read_err);
    }
    if !collection && serde_json::from_slice::<InFeature>(&head).is_ok() {
        batch.push(head.trim_ascii(), handle);
        return lines(input, batch, handle, read_err);
    }
    let rest = std::io::Cursor::new(head).chain(input);
    let mut de = serde_json::Deserializer::from_reader(rest);
    let mut n = 0u64;
    Collection(&mut |f| {
        n += 1;
        handle(n, batch.prepare(Ok(f)))
    })
    .deserialize(&mut de)
    .map_err(|e| EventsError::Format {
        path: path.to_string(),
        message: e.to_string(),
    })
}

/// Read every feature of `input` (named `path` in messages): each good one
/// goes to `sink` with whether its evidence says "at night" (`night`), each
/// bad one to `on_error` (and is skipped). An error return means the input
/// could not be read at all.
pub fn read_features<R: BufRead>(
    path: &str,
    mut input: R,
    night: &NightWords,
    mut sink: impl FnMut(Draft, bool),
    mut on_error: impl FnMut(EventsError),
) -> Result<ReadStats, EventsError> {
    let mut stats = ReadStats::default();
    let mut handle = |index: u64, f: Parsed| {
        stats.features += 1;
        match f {
            Ok((d, n)) => sink(d, n),
            Err(message) => {
                stats.skipped += 1;
                on_error(EventsError::Feature {
                    path: path.to_string(),
                    index,
                    message,
                });
            }
        }
    };
    let read_err = |source| EventsError::Read {
        path: path.to_string(),
        source,
    };
    let mut batch = Batch {
        night,
        regions: Default::default(),
        texts: Vec::new(),
        first: 1,
    };
    match first_byte(&mut input).map_err(read_err)? {
        None => {}
        Some(b'{') => braced(path, input, &mut batch, &mut handle)?,
        Some(0x1E) => {
            let mut buf = Vec::new();
            loop {
                buf.clear();
                if input.read_until(0x1E, &mut buf).map_err(read_err)? == 0 {
                    break;
                }
                let text = buf.strip_suffix(&[0x1E]).unwrap_or(&buf);
                if !text.iter().all(u8::is_ascii_whitespace) {
                    batch.push(text, &mut handle);
                }
            }
            batch.flush(&mut handle);
        }
        Some(_) => {
            return Err(EventsError::Format {
                path: path.to_string(),
                message: "it does not start with '{' or a record separator".into(),
            })
        }
    }
    Ok(stats)
}

fn parse(bytes: &[u8]) -> Result<InFeature, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(bytes);
        format!(
            "not a GeoJSON feature ({:?}): {e}",
            bounded(text.trim(), 60)
        )
    })
}

/// Features one a line (a collection's lines end with "," and its last
/// line is "]}").
fn lines<R: BufRead>(
    mut input: R,
    batch: &mut Batch<'_>,
    handle: &mut impl FnMut(u64, Parsed),
    read_err: impl Fn(std::io::Error) -> EventsError,
) -> Result<(), EventsError> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).map_err(&read_err)? == 0 {
            batch.flush(handle);
            return Ok(());
        }
        let mut t: &[u8] = buf.trim_ascii();
        if t.is_empty() || t == b"]}" || t == b"]" {
            continue;
        }
        if let Some(s) = t.strip_suffix(b",") {
            t = s;
        }
        batch.push(t, handle);
    }
}

/// A FeatureCollection, streamed: each feature goes to the closure.
struct Collection<'a, F: FnMut(InFeature)>(&'a mut F);

impl<'de, F: FnMut(InFeature)> DeserializeSeed<'de> for Collection<'_, F> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(InFeature)> Visitor<'de> for Collection<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                map.next_value_seed(Features(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Features<'a, F: FnMut(InFeature)>(&'a mut F);

impl<'de, F: FnMut(InFeature)> DeserializeSeed<'de> for Features<'_, F> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(InFeature)> Visitor<'de> for Features<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(f) = seq.next_element::<InFeature>()? {
            (self.0)(f);
        }
        Ok(())
    }
}

/// Publication dates by article file name (from a manifest).
pub type Published = std::collections::HashMap<String, NaiveDate>;

/// The publication dates of a manifest CSV (columns `file` and
/// `published`, `YYYY-MM-DD`; other columns ignored), and the rows that
/// could not be read (reported, skipped).
pub fn read_manifest_dates(path: &str, text: &str) -> (Published, Vec<EventsError>) {
    let mut out = Published::new();
    let mut problems = Vec::new();
    let table = |line: usize, message: String| EventsError::Table {
        path: path.to_string(),
        line,
        message,
    };
    let mut r = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return (out, vec![table(1, format!("not a CSV header: {e}"))]),
    };
    let col = |name: &str| header.iter().position(|c| c == name);
    let (Some(file), Some(published)) = (col("file"), col("published")) else {
        let message = format!(
            "header {:?} needs the columns \"file\" and \"published\" (e.g. file,publisher,published,title,url)",
            header.join(",")
        );
        return (out, vec![table(1, message)]);
    };
    for (i, row) in r.records().enumerate() {
        let line = i + 2;
        let Ok(row) = row else {
            problems.push(table(line, "not a CSV row".into()));
            continue;
        };
        let (f, d) = (
            row.get(file).unwrap_or("").trim(),
            row.get(published).unwrap_or("").trim(),
        );
        if f.is_empty() || d.is_empty() {
            continue;
        }
        match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) => {
                out.insert(f.to_string(), date);
            }
            Err(_) => problems.push(table(
                line,
                format!("published {d:?} is not a date: write YYYY-MM-DD (e.g. 2022-09-13)"),
            )),
        }
    }
    (out, problems)
}

/// Read the features of every path (`-` is stdin) into a collector; bad
/// features go to `on_error` and are skipped; a file that cannot be read
/// at all is an error of its own there too, and the others are still read.
/// Returns the collector, the counts, and how many files failed.
pub fn collect_paths(
    paths: &[std::path::PathBuf],
    night: &super::NightWords,
    published: &Published,
    mut on_error: impl FnMut(EventsError),
) -> (super::Collector, ReadStats, usize) {
    let mut c = super::Collector::new();
    let mut total = ReadStats::default();
    let mut failed = 0;
    for p in paths {
        let name = p.display().to_string();
        let sink = |mut d: Draft, n: bool| {
            if let (None, [file]) = (d.published, d.source_files.as_slice()) {
                d.published = published.get(file.as_str()).copied();
            }
            c.push(d, n)
        };
        let r = if name == "-" {
            let stdin = std::io::stdin();
            read_features(
                &name,
                std::io::BufReader::with_capacity(1 << 20, stdin.lock()),
                night,
                sink,
                &mut on_error,
            )
        } else {
            match std::fs::File::open(p) {
                Ok(f) => read_features(
                    &name,
                    std::io::BufReader::with_capacity(1 << 20, f),
                    night,
                    sink,
                    &mut on_error,
                ),
                Err(source) => Err(EventsError::Read { path: name, source }),
            }
        };
        match r {
            Ok(s) => {
                total.features += s.features;
                total.skipped += s.skipped;
            }
            Err(e) => {
                failed += 1;
                on_error(e);
            }
        }
    }
    (c, total, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const F1: &str = r#"{"type":"Feature","id":"a#1","geometry":{"type":"Point","coordinates":[46.3,39.5]},"properties":{"id":"a#1","kind":"incident","source_file":"a.txt","event_date":"2022-09-13","date_precision":"day","geo_precision":1,"fatalities":2,"evidence":"x","reported_by":"A; B"}}"#;
    const F2: &str = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[46.4,39.6]},"properties":{"id":"b#1","source_file":"b.txt","geo_precision":2}}"#;

    fn read(text: &str) -> (Vec<Draft>, Vec<String>) {
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        read_features(
            "in",
            text.as_bytes(),
            &NightWords::bundled(),
            |d, _| ok.push(d),
            |e| bad.push(e.to_string()),
        )
        .unwrap();
        (ok, bad)
    }

    #[test]
    fn every_framing_reads_the_same() {
        let texts = [
            format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{F1},\n{F2}\n]}}\n"),
            format!("{{\"type\": \"FeatureCollection\", \"features\": [{F1}, {F2}]}}"),
            format!("{{\"features\": [{F1}, {F2}], \"type\": \"FeatureCollection\"}}"),
            format!("\u{1e}{F1}\n\u{1e}{F2}\n"),
            format!("{F1}\n\n{F2}\n"),
        ];
        for t in texts {
            let (ok, bad) = read(&t);
            assert!(bad.is_empty(), "{t}: {bad:?}");
            assert_eq!(ok.len(), 2, "{t}");
            assert_eq!(ok[0].ids, ["a#1"]);
            assert_eq!(ok[0].claimants, ["A", "B"]);
            assert_eq!(ok[0].fatalities, Some(2));
            assert_eq!(ok[1].point, (46.4, 39.6));
        }
    }

    #[test]
    fn bad_features_are_reported_and_skipped() {
        let t = format!(
            "{F1}\n{{\"type\":\"Feature\",\"properties\":{{\"id\":\"c\"}}}}\nnot json\n{F2}\n"
        );
        let (ok, bad) = read(&t);
        assert_eq!(ok.len(), 2);
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(
            bad[0].starts_with("in: feature 2: no usable geometry"),
            "{}",
            bad[0]
        );
        assert!(
            bad[1].starts_with("in: feature 3: not a GeoJSON feature"),
            "{}",
            bad[1]
        );
        let e = read_features(
            "in",
            &b"hello"[..],
            &NightWords::bundled(),
            |_, _| {},
            |_| {},
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("in: not GeoJSON"), "{e}");
    }

    #[test]
    fn batches_keep_the_order_and_the_numbers() {
        let n = super::BATCH_FEATURES * 2 + 5;
        let mut text = String::new();
        for i in 1..=n {
            if i == n - 3 {
                text.push_str("{broken\n");
            } else {
                text.push_str(&F2.replace("b#1", &format!("b#{i}")));
                text.push('\n');
            }
        }
        let (ok, bad) = read(&text);
        assert_eq!(ok.len(), n - 1);
        assert_eq!(ok[n - 5].ids, [format!("b#{}", n - 4)]);
        assert_eq!(ok[n - 4].ids, [format!("b#{}", n - 2)]);
        assert!(
            bad[0].starts_with(&format!("in: feature {}:", n - 3)),
            "{}",
            bad[0]
        );
    }

    #[test]
    fn manifest_dates_are_read_and_bad_rows_named() {
        let (m, p) = read_manifest_dates(
            "m.csv",
            "file,publisher,published\na.txt,A,2022-09-14\nb.txt,B,14/09/2022\nc.txt,C,\n",
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m["a.txt"], NaiveDate::from_ymd_opt(2022, 9, 14).unwrap());
        assert_eq!(p.len(), 1);
        assert!(
            p[0].to_string()
                .starts_with("m.csv:3: published \"14/09/2022\""),
            "{}",
            p[0]
        );
        let (_, p) = read_manifest_dates("m.csv", "name,date\n");
        assert!(p[0].to_string().contains("needs the columns"), "{}", p[0]);
    }

    #[test]
    fn regions_come_from_wkt() {
        let t = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[46.5,39.5]},"properties":{"id":"r#1","source_file":"r.txt","geo_precision":3,"wkt":"POLYGON((46 39,47 39,47 40,46 40,46 39))"}}"#;
        let (ok, _) = read(t);
        assert!(ok[0].region.is_some());
    }
}
