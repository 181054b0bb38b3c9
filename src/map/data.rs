//! Reading eventmap's GeoJSON layers into the compact features the map embeds.
//!
//! A feature becomes `{"p": properties, "c": [lon, lat], "l": lines}`: `c`
//! is where its marker goes (a Point itself, the middle of a line, a point
//! inside a polygon) and `l`, when present, the lines to draw (a road's
//! LineString, from the geometry or, in the default point mode, from the
//! `wkt` property). The `wkt` property itself is dropped (the geometry says
//! it), every other property is kept as it is.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Coord, Geometry};
use serde_json::{Map, Value};

use super::MapError;
use crate::gazetteer::representative_point;

/// Lists of positions: the lines of a road, or the rings of a region.
pub type Paths = Vec<Vec<Coord<f64>>>;

/// Which layer a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LayerKind {
    /// `incidents.geojson`: one feature per incident.
    Incidents,
    /// `events.geojson`: incidents fused across articles (`event_id`, `sources`).
    Events,
    /// `statements.geojson`: official reactions.
    Statements,
}

impl LayerKind {
    /// The layer's name in the page (`incidents`, `events`, `statements`).
    pub fn name(self) -> &'static str {
        match self {
            LayerKind::Incidents => "incidents",
            LayerKind::Events => "events",
            LayerKind::Statements => "statements",
        }
    }
}

/// One layer read from a file, ready to embed.
#[derive(Debug, Clone)]
pub struct Layer {
    pub kind: LayerKind,
    /// The file's name, shown in the page.
    pub source: String,
    /// Compact features (see the module doc).
    pub features: Vec<Value>,
    /// Features without a usable geometry: `(index in the file, id, why)`.
    pub skipped: Vec<(usize, String, String)>,
    /// The outlines (rings) of the regions the layer's features are placed
    /// in, once per `gazetteer_id`, from Polygon geometries or POLYGON WKT.
    pub shapes: BTreeMap<String, Paths>,
}

/// Read a layer file: a GeoJSON FeatureCollection, or a GeoJSON text
/// sequence / newline-delimited features (`.geojsons`, `.geojsonl`).
pub fn read_layer(path: &Path) -> Result<Layer, MapError> {
    let text = std::fs::read_to_string(path).map_err(|source| MapError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    layer_from_str(&name, &text).map_err(|message| MapError::Parse {
        path: path.to_path_buf(),
        message,
    })
}

/// Parse a layer from text; `name` is the file name (it decides the kind of
/// an empty layer).
pub fn layer_from_str(name: &str, text: &str) -> Result<Layer, String> {
    let raw = parse_features(text)?;
    let kind = detect_kind(name, &raw);
    let mut features = Vec::with_capacity(raw.len());
    let mut skipped = Vec::new();
    let mut shapes = BTreeMap::new();
    for (i, f) in raw.into_iter().enumerate() {
        match compact_feature(f) {
            Ok((c, shape)) => {
                if let Some((key, rings)) = shape {
                    shapes.entry(key).or_insert(rings);
                }
                features.push(c)
            }
            Err((id, why)) => skipped.push((i, id, why)),
        }
    }
    Ok(Layer {
        kind,
        source: name.to_string(),
        features,
        skipped,
        shapes,
    })
}

fn parse_features(text: &str) -> Result<Vec<Value>, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err("the file is empty: expected a GeoJSON FeatureCollection".to_string());
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(v) => collection_features(v),
        // Not one JSON value: maybe one feature per line.
        Err(e) => sequence_features(trimmed).map_err(|seq| {
            let first = trimmed.trim_start_matches('\u{1e}').lines().next();
            let looks_seq = trimmed.starts_with('\u{1e}')
                || first.is_some_and(|l| serde_json::from_str::<Value>(l).is_ok());
            if looks_seq {
                seq
            } else {
                format!("invalid JSON: {e}")
            }
        }),
    }
}

fn collection_features(v: Value) -> Result<Vec<Value>, String> {
    let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
    match ty {
        "FeatureCollection" => match v {
            Value::Object(mut o) => match o.remove("features") {
                Some(Value::Array(a)) => Ok(a),
                _ => Err("the FeatureCollection has no \"features\" array".to_string()),
            },
            _ => unreachable!("a value with a type is an object"),
        },
        "Feature" => Ok(vec![v]),
        other => Err(format!(
            "expected a GeoJSON FeatureCollection, found type {other:?}: give eventmap's incidents, events or statements file"
        )),
    }
}

/// One feature per line (RFC 8142 RS framing or plain lines).
fn sequence_features(text: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for (n, line) in text.split(['\n', '\u{1e}']).enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| {
            let head: String = line.chars().take(40).collect();
            format!("invalid JSON in record {} ({head:?}): {e}", n + 1)
        })?;
        out.extend(collection_features(v)?);
    }
    Ok(out)
}

/// Events have kind `event` (or `sources` and `incident_ids`; every
/// incident also carries the `event_id` of its event); statements have kind
/// `statement`; otherwise the file name decides, and incidents are the default.
fn detect_kind(name: &str, features: &[Value]) -> LayerKind {
    let props = |f: &Value| f.get("properties").cloned().unwrap_or(Value::Null);
    let is_event = |p: &Value| {
        p.get("kind").and_then(Value::as_str) == Some("event")
            || p.get("incident_ids").is_some()
            || p.get("sources").is_some()
    };
    if features.iter().any(|f| is_event(&props(f))) {
        return LayerKind::Events;
    }
    let kinds: Vec<Option<String>> = features
        .iter()
        .map(|f| {
            props(f)
                .get("kind")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    if !kinds.is_empty() && kinds.iter().all(|k| k.as_deref() == Some("statement")) {
        return LayerKind::Statements;
    }
    if !kinds.is_empty() {
        return LayerKind::Incidents;
    }
    let lower = name.to_lowercase();
    if lower.contains("statement") {
        LayerKind::Statements
    } else if lower.contains("event") {
        LayerKind::Events
    } else {
        LayerKind::Incidents
    }
}

/// A compact feature and its region's outline `(gazetteer_id, rings)`.
type Compact = (Value, Option<(String, Paths)>);

/// The compact form of one feature with its region's outline keyed by its
/// `gazetteer_id` (when its geometry or WKT is a polygon), or `(id, why)`
/// when it has no usable geometry.
fn compact_feature(f: Value) -> Result<Compact, (String, String)> {
    let Value::Object(mut f) = f else {
        return Err((
            String::new(),
            "the feature is not a JSON object".to_string(),
        ));
    };
    let mut props = match f.remove("properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    let id = props
        .get("id")
        .or(props.get("event_id"))
        .or(f.get("id"))
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
        .unwrap_or_default();
    let wkt = match props.remove("wkt") {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let geom = f
        .remove("geometry")
        .filter(|g| !g.is_null())
        .ok_or_else(|| (id.clone(), "no geometry".to_string()))?;
    let geom = serde_json::from_value::<geojson::Geometry>(geom)
        .ok()
        .and_then(|g| Geometry::<f64>::try_from(g).ok())
        .ok_or_else(|| (id.clone(), "the geometry is not valid GeoJSON".to_string()))?;
    let c = representative_point(&geom)
        .filter(|c| valid_coord(*c))
        .ok_or_else(|| (id.clone(), "the geometry has no valid position".to_string()))?;
    let mut lines = geometry_lines(&geom);
    let mut rings = geometry_rings(&geom);
    if lines.is_empty() && rings.is_empty() {
        let (l, r) = wkt.as_deref().map(wkt_parts).unwrap_or_default();
        (lines, rings) = (l, r);
    }
    let shape = props
        .get("gazetteer_id")
        .and_then(Value::as_str)
        .filter(|_| !rings.is_empty())
        .map(|k| (k.to_string(), rings));
    if !props.contains_key("id") && !id.is_empty() {
        props.insert("id".into(), Value::String(id));
    }
    let mut out = Map::new();
    out.insert("p".into(), Value::Object(props));
    out.insert("c".into(), coord_json(c));
    if !lines.is_empty() {
        let l = lines
            .iter()
            .map(|line| Value::Array(line.iter().map(|c| coord_json(*c)).collect()))
            .collect();
        out.insert("l".into(), Value::Array(l));
    }
    Ok((Value::Object(out), shape))
}

fn valid_coord(c: Coord<f64>) -> bool {
    c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0
}

fn coord_json(c: Coord<f64>) -> Value {
    serde_json::json!([c.x, c.y])
}

fn geometry_lines(g: &Geometry<f64>) -> Paths {
    match g {
        Geometry::LineString(l) => vec![l.0.clone()],
        Geometry::MultiLineString(m) => m.0.iter().map(|l| l.0.clone()).collect(),
        _ => Vec::new(),
    }
}

fn geometry_rings(g: &Geometry<f64>) -> Paths {
    let poly = |p: &geo::Polygon<f64>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|r| r.0.clone())
            .collect::<Vec<_>>()
    };
    match g {
        Geometry::Polygon(p) => poly(p),
        Geometry::MultiPolygon(m) => m.0.iter().flat_map(poly).collect(),
        _ => Vec::new(),
    }
}

/// The lines of a `LINESTRING (...)` or `MULTILINESTRING ((...), (...))`
/// WKT text; nothing for other types or malformed text.
#[cfg(test)]
pub(crate) fn wkt_lines(wkt: &str) -> Paths {
    wkt_parts(wkt).0
}

/// `(lines, rings)` of a WKT text: the lines of a `LINESTRING` or
/// `MULTILINESTRING`, the rings of a `POLYGON` or `MULTIPOLYGON` (every
/// ring, outer or hole, as one list of positions); nothing for other types
/// or malformed text.
pub(crate) fn wkt_parts(wkt: &str) -> (Paths, Paths) {
    let t = wkt.trim();
    let upper: String = t.chars().take(16).collect::<String>().to_ascii_uppercase();
    let Some((tag, is_line)) = [
        ("MULTILINESTRING", true),
        ("LINESTRING", true),
        ("MULTIPOLYGON", false),
        ("POLYGON", false),
    ]
    .into_iter()
    .find(|(tag, _)| upper.starts_with(tag)) else {
        return Default::default();
    };
    let Some(parts) = wkt_position_lists(&t[tag.len()..]) else {
        return Default::default();
    };
    if is_line {
        (parts, Vec::new())
    } else {
        (Vec::new(), parts)
    }
}

/// The innermost parenthesised position lists of a WKT body; `None` when a
/// position is malformed or out of range.
fn wkt_position_lists(body: &str) -> Option<Paths> {
    let mut lists = Vec::new();
    for part in body.split(')') {
        let part = part.trim_start_matches([' ', ',', '(']);
        if part.trim().is_empty() {
            continue;
        }
        let mut list = Vec::new();
        for pos in part.split(',') {
            let mut nums = pos.split_whitespace().map(str::parse::<f64>);
            match (nums.next(), nums.next()) {
                (Some(Ok(x)), Some(Ok(y))) if valid_coord(Coord { x, y }) => {
                    list.push(Coord { x, y })
                }
                _ => return None,
            }
        }
        if list.len() >= 2 {
            lists.push(list);
        }
    }
    Some(lists)
}

/// Where the layers' markers are: `[lon, lat]` of each.
pub(crate) fn points(layers: &[Layer]) -> Vec<[f64; 2]> {
    layers
        .iter()
        .flat_map(|l| &l.features)
        .filter_map(|f| {
            let c = f.get("c")?.as_array()?;
            Some([c.first()?.as_f64()?, c.get(1)?.as_f64()?])
        })
        .collect()
}

/// The bounding box `[west, south, east, north]` of the layers' markers.
pub fn bounds(layers: &[Layer]) -> Option<[f64; 4]> {
    let mut b: Option<[f64; 4]> = None;
    for f in layers.iter().flat_map(|l| &l.features) {
        let Some(c) = f.get("c").and_then(Value::as_array) else {
            continue;
        };
        let (Some(x), Some(y)) = (c[0].as_f64(), c[1].as_f64()) else {
            continue;
        };
        b = Some(match b {
            None => [x, y, x, y],
            Some([w, s, e, n]) => [w.min(x), s.min(y), e.max(x), n.max(y)],
        });
    }
    b
}
