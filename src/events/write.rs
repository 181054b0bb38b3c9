//! The events layer's writers, with the incidents writers' conventions:
//! one Feature per line, properties in a fixed order (`null` when unknown),
//! Point geometry at the event's place with its WKT in `wkt`, CSV with
//! `latitude`, `longitude` and `wkt` and a `.csvt` sidecar, features sorted
//! (by `event_date`, unknown last, then `event_id`), files staged and renamed
//! into place ([`crate::output`]).

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use geo::{Geometry, Point};
use tempfile::NamedTempFile;

use super::Event;
use crate::output::csv::push_value;
use crate::output::geojson::{push_json_str, push_json_value, CollectionWriter, RS};
use crate::output::geometry::{push_geojson_point, Prepared};
use crate::output::schema::{push_fixed6, Value};
use crate::output::{create_staged, seal, Format, OutputError};

/// The events' property names, in the order written.
pub const EVENT_PROPERTIES: [&str; 28] = [
    "event_id",
    "kind",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "location",
    "gazetteer_id",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "injured",
    "injured_low",
    "injured_high",
    "actor1",
    "actor2",
    "sources",
    "publishers",
    "source_files",
    "urls",
    "reported_by",
    "incident_ids",
    "evidence",
    "fusion_note",
    "country",
    "admin1",
    "wkt",
];

/// `.csvt` types of the events CSV: the properties, then `latitude`,
/// `longitude` before `wkt`.
pub const EVENT_CSV_TYPES: [&str; 30] = [
    "String", "String", "String", "String", "String", "String", "String", "String", "Integer",
    "Integer", "Integer", "Integer", "Integer", "Integer", "Integer", "String", "String",
    "Integer", "String", "String", "String", "String", "String", "String", "String", "String",
    "String", "Real", "Real", "String",
];

fn text(s: &str) -> Value<'_> {
    if s.is_empty() {
        Value::Null
    } else {
        Value::Str(Cow::Borrowed(s))
    }
}

fn opt(s: &Option<String>) -> Value<'_> {
    s.as_deref().map_or(Value::Null, text)
}

fn int(n: Option<u32>) -> Value<'static> {
    n.map_or(Value::Null, |n| Value::Int(u64::from(n)))
}

fn list(v: &[String]) -> Value<'static> {
    if v.is_empty() {
        Value::Null
    } else {
        Value::Str(Cow::Owned(v.join("; ")))
    }
}

/// The event's values in [`EVENT_PROPERTIES`] order, without `wkt`.
pub fn values(e: &Event) -> [Value<'_>; 27] {
    [
        Value::Str(Cow::Borrowed(&e.event_id)),
        Value::Str(Cow::Borrowed("event")),
        opt(&e.event_date),
        Value::Str(Cow::Borrowed(e.date_precision.as_str())),
        text(&e.event_type),
        text(&e.sub_event_type),
        text(&e.location),
        text(&e.gazetteer_id),
        Value::Int(u64::from(e.geo_precision)),
        int(e.fatalities),
        int(e.fatalities_low),
        int(e.fatalities_high),
        int(e.injured),
        int(e.injured_low),
        int(e.injured_high),
        opt(&e.actor1),
        opt(&e.actor2),
        Value::Int(e.sources as u64),
        list(&e.publishers),
        list(&e.source_files),
        list(&e.urls),
        list(&e.reported_by),
        list(&e.incident_ids),
        text(&e.evidence),
        text(&e.fusion_note),
        opt(&e.country),
        opt(&e.admin1),
    ]
}

/// The output order of two events given as (date, id): date (unknown
/// last), then id.
pub fn order(a: (Option<&str>, &str), b: (Option<&str>, &str)) -> std::cmp::Ordering {
    let d = match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    };
    d.then_with(|| a.1.cmp(b.1))
}

/// Sort events into output order ([`order`]).
pub fn sort_events(events: &mut [Event]) {
    events.sort_by(|a, b| {
        order(
            (a.event_date.as_deref(), &a.event_id),
            (b.event_date.as_deref(), &b.event_id),
        )
    });
}

fn prepared(e: &Event) -> io::Result<(Prepared, Point<f64>)> {
    let invalid = |m: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("event {}: {m}", e.event_id),
        )
    };
    let p = crate::output::geometry::normalize_point(e.point).map_err(invalid)?;
    let shape = Prepared::new(&Geometry::Point(p)).map_err(invalid)?;
    Ok((shape, p))
}

/// Append one event as a GeoJSON Feature (one line, no line end).
pub fn push_feature(out: &mut Vec<u8>, e: &Event) -> io::Result<()> {
    let (shape, p) = prepared(e)?;
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    push_json_str(out, &e.event_id);
    out.extend_from_slice(b",\"geometry\":");
    push_geojson_point(out, p);
    out.extend_from_slice(b",\"properties\":{");
    for (name, v) in EVENT_PROPERTIES.iter().zip(values(e).iter()) {
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
        push_json_value(out, v);
        out.push(b',');
    }
    out.extend_from_slice(b"\"wkt\":");
    out.extend_from_slice(&shape.wkt_json);
    out.extend_from_slice(b"}}");
    Ok(())
}

/// Append one event's CSV row (with its line end).
pub fn push_row(out: &mut Vec<u8>, e: &Event, excel: bool) -> io::Result<()> {
    let (shape, p) = prepared(e)?;
    for v in values(e).iter() {
        push_value(out, v, excel);
        out.push(b',');
    }
    push_fixed6(out, p.y());
    out.push(b',');
    push_fixed6(out, p.x());
    out.push(b',');
    out.extend_from_slice(&shape.wkt_cell);
    out.push(b'\n');
    Ok(())
}

/// One output of the layer in one format, fed the events in order.
struct Sink {
    format: Format,
    excel: bool,
    collection: CollectionWriter,
    buf: Vec<u8>,
}

impl Sink {
    fn new(format: Format, excel: bool) -> Self {
        Sink {
            format,
            excel,
            collection: CollectionWriter::default(),
            buf: Vec::with_capacity(2048),
        }
    }

    fn start<W: Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.format != Format::Csv {
            return Ok(());
        }
        if self.excel {
            w.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut header: Vec<&str> = EVENT_PROPERTIES[..27].to_vec();
        header.extend(["latitude", "longitude", "wkt"]);
        writeln!(w, "{}", header.join(","))
    }

    /// The event's text in this format (any thread may call this).
    fn render(format: Format, excel: bool, e: &Event, out: &mut Vec<u8>) -> io::Result<()> {
        match format {
            Format::Csv => push_row(out, e, excel),
            Format::Geojson => push_feature(out, e),
            Format::Geojsonseq | Format::Geojsonl => {
                if format == Format::Geojsonseq {
                    out.push(RS);
                }
                push_feature(out, e)?;
                out.push(b'\n');
                Ok(())
            }
        }
    }

    /// Write an event's text from [`Sink::render`].
    fn write_rendered<W: Write>(&mut self, w: &mut W, text: &[u8]) -> io::Result<()> {
        match self.format {
            Format::Geojson => self.collection.feature(w, text),
            _ => w.write_all(text),
        }
    }

    fn write<W: Write>(&mut self, w: &mut W, e: &Event) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        Sink::render(self.format, self.excel, e, &mut buf)?;
        let r = self.write_rendered(w, &buf);
        self.buf = buf;
        r
    }

    fn finish<W: Write>(self, w: &mut W) -> io::Result<()> {
        match self.format {
            Format::Geojson => self.collection.finish(w),
            _ => Ok(()),
        }
    }
}

/// Write the events (already sorted) in one format.
pub fn write_layer<W: Write>(
    w: &mut W,
    events: impl IntoIterator<Item = Event>,
    format: Format,
    excel: bool,
) -> io::Result<()> {
    let mut sink = Sink::new(format, excel);
    sink.start(w)?;
    for e in events {
        sink.write(w, &e)?;
    }
    sink.finish(w)
}

/// The `.csvt` sidecar of the events CSV.
pub fn write_csvt<W: Write>(w: &mut W) -> io::Result<()> {
    let quoted: Vec<String> = EVENT_CSV_TYPES.iter().map(|t| format!("\"{t}\"")).collect();
    writeln!(w, "{}", quoted.join(","))
}

/// Stage `events.<ext>` (and `events.csvt`) in `dir` for each format; the
/// caller renames them into place ([`persist`]) when every file of the run
/// is written.
pub fn stage(
    dir: &Path,
    layer: &super::Layer<'_>,
    formats: &[Format],
    excel: bool,
) -> Result<Vec<(NamedTempFile, PathBuf)>, OutputError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Write { path, source }
    };
    let mut outs = Vec::new();
    let mut staged = Vec::new();
    for &format in formats {
        let path = dir.join(format!("events.{}", format.extension()));
        let mut w = BufWriter::with_capacity(256 << 10, create_staged(dir, &path)?);
        let mut sink = Sink::new(format, excel);
        sink.start(&mut w).map_err(err(&path))?;
        outs.push((sink, w, path));
        if format == Format::Csv {
            let path = dir.join("events.csvt");
            let mut w = BufWriter::new(create_staged(dir, &path)?);
            write_csvt(&mut w).map_err(err(&path))?;
            staged.push((seal(w, &path)?, path));
        }
    }
    // Each event is built once for every format, a chunk of events in
    // parallel, and written in order.
    let formats: Vec<Format> = outs.iter().map(|o| o.0.format).collect();
    let ks: Vec<usize> = (0..layer.len()).collect();
    for chunk in ks.chunks(4096) {
        use rayon::prelude::*;
        let texts: Vec<Vec<io::Result<Vec<u8>>>> = chunk
            .par_iter()
            .map(|&k| {
                let e = layer.event(k);
                formats
                    .iter()
                    .map(|&f| {
                        let mut out = Vec::with_capacity(2048);
                        Sink::render(f, excel, &e, &mut out).map(|()| out)
                    })
                    .collect()
            })
            .collect();
        for per_event in texts {
            for ((sink, w, path), text) in outs.iter_mut().zip(per_event) {
                let text = text.map_err(err(path))?;
                sink.write_rendered(w, &text).map_err(err(path))?;
            }
        }
    }
    for (sink, mut w, path) in outs {
        sink.finish(&mut w).map_err(err(&path))?;
        staged.push((seal(w, &path)?, path));
    }
    Ok(staged)
}

/// Rename staged files into place; returns their paths.
pub fn persist(staged: Vec<(NamedTempFile, PathBuf)>) -> Result<Vec<PathBuf>, OutputError> {
    let mut out = Vec::with_capacity(staged.len());
    for (tmp, path) in staged {
        tmp.persist(&path).map_err(|e| OutputError::Write {
            path: path.clone(),
            source: e.error,
        })?;
        out.push(path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::CSV_TYPES;
    use crate::record::DatePrecision;

    pub(crate) fn sample(id: &str, date: Option<&str>) -> Event {
        Event {
            event_id: id.into(),
            event_date: date.map(Into::into),
            date_precision: DatePrecision::Day,
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: "Shelling/artillery/missile attack".into(),
            location: "Goris".into(),
            gazetteer_id: "gn-1".into(),
            geo_precision: 1,
            point: (46.3382, 39.5111),
            country: Some("AM".into()),
            admin1: None,
            fatalities: Some(1),
            fatalities_low: Some(1),
            fatalities_high: Some(3),
            injured: None,
            injured_low: None,
            injured_high: None,
            actor1: Some("Military Forces of Azerbaijan".into()),
            actor2: None,
            sources: 2,
            publishers: vec!["A".into(), "B".into()],
            source_files: vec!["a.txt".into(), "b.txt".into()],
            urls: vec![],
            reported_by: vec![],
            incident_ids: vec!["a#1".into(), "b#1".into()],
            evidence: "Shells hit Goris, \"twice\" [a.txt]".into(),
            fusion_note: "2 reports".into(),
        }
    }

    #[test]
    fn columns_and_types_agree() {
        assert_eq!(EVENT_CSV_TYPES.len(), EVENT_PROPERTIES.len() + 2);
        assert_eq!(CSV_TYPES.len(), 29);
        let e = sample("ev-1", Some("2022-09-13"));
        let mut row = Vec::new();
        push_row(&mut row, &e, false).unwrap();
        let mut r = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&row[..]);
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(rec.len(), EVENT_CSV_TYPES.len());
        assert_eq!(&rec[18], "A; B");
        assert_eq!(&rec[29], "POINT (46.3382 39.5111)");
    }

    #[test]
    fn features_parse_and_sort() {
        let mut v = vec![
            sample("ev-b", None),
            sample("ev-c", Some("2022-09-13")),
            sample("ev-a", Some("2022-09-13")),
        ];
        sort_events(&mut v);
        let ids: Vec<&str> = v.iter().map(|e| e.event_id.as_str()).collect();
        assert_eq!(ids, ["ev-a", "ev-c", "ev-b"]);
        let mut out = Vec::new();
        write_layer(&mut out, v, Format::Geojson, false).unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let f = &j["features"][2];
        assert_eq!(f["properties"]["event_date"], serde_json::Value::Null);
        assert_eq!(f["properties"]["sources"], 2);
        assert_eq!(f["geometry"]["coordinates"][0], 46.3382);
        let props = f["properties"].as_object().unwrap();
        assert_eq!(props.len(), EVENT_PROPERTIES.len());
    }
}
