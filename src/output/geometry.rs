//! Geometry preparation shared by the writers, and WKT text.
//!
//! [`normalize`] turns a record's geometry into what every writer emits:
//! coordinates rounded to 6 decimals (about 0.1 m, RFC 7946 section 11.2
//! advice), polygon exterior rings counter-clockwise and holes clockwise
//! (RFC 7946 section 3.1.6; fixed after rounding, so rounding cannot flip a
//! ring), `Line` written as a LineString and `Rect`/`Triangle` as a Polygon.
//!
//! WKT is written here rather than with the `wkt` crate: the grammar needed is
//! small (POINT, LINESTRING, POLYGON, MULTI*, GEOMETRYCOLLECTION), and writing
//! it ourselves keeps the number format (at most 6 decimals, no exponent, no
//! `-0`) identical to the GeoJSON and CSV coordinates.

use std::cell::RefCell;
use std::io;
use std::sync::Arc;

use geo::orient::{Direction, Orient};
use geo::{Coord, Geometry, LineString, MapCoords, Point, Polygon};

use super::schema::{push_num, round6};
use crate::gazetteer::SharedGeometry;
use crate::record::Record;

/// The geometry with rounded coordinates and RFC 7946 ring orientation.
/// Errors name the problem when a coordinate is NaN or infinite.
pub fn normalize(g: &Geometry<f64>) -> Result<Geometry<f64>, String> {
    check_finite(g)?;
    let rounded = g.map_coords(|c| Coord {
        x: round6(c.x),
        y: round6(c.y),
    });
    Ok(match rounded {
        Geometry::Line(l) => Geometry::LineString(LineString::new(vec![l.start, l.end])),
        Geometry::Rect(r) => Geometry::Polygon(r.to_polygon().orient(Direction::Default)),
        Geometry::Triangle(t) => Geometry::Polygon(t.to_polygon().orient(Direction::Default)),
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(mp) => Geometry::MultiPolygon(mp.orient(Direction::Default)),
        Geometry::GeometryCollection(gc) => Geometry::GeometryCollection(
            gc.0.iter()
                .map(normalize)
                .collect::<Result<Vec<_>, _>>()?
                .into(),
        ),
        other => other,
    })
}

/// A representative point, rounded; error if not finite.
pub fn normalize_point(p: (f64, f64)) -> Result<Point<f64>, String> {
    if !(p.0.is_finite() && p.1.is_finite()) {
        return Err(format!(
            "representative point ({}, {}) is not finite",
            p.0, p.1
        ));
    }
    Ok(Point::new(round6(p.0), round6(p.1)))
}

fn check_finite(g: &Geometry<f64>) -> Result<(), String> {
    use geo::CoordsIter;
    match g
        .coords_iter()
        .find(|c| !(c.x.is_finite() && c.y.is_finite()))
    {
        Some(c) => Err(format!(
            "geometry coordinate ({}, {}) is not finite",
            c.x, c.y
        )),
        None => Ok(()),
    }
}

/// Append a coordinate number (checked finite by `normalize`; a
/// non-finite one would be written as `0`).
fn push_number(out: &mut Vec<u8>, x: f64) {
    if !push_num(out, x) {
        out.push(b'0');
    }
}

fn push_coord(out: &mut Vec<u8>, c: Coord<f64>) {
    push_number(out, c.x);
    out.push(b' ');
    push_number(out, c.y);
}

/// How a list opens, separates its items and closes.
type Delims = (&'static [u8], &'static [u8], &'static [u8]);
/// WKT lists: `(a, b)`.
const WKT_LIST: Delims = (b"(", b", ", b")");
/// JSON arrays: `[a,b]`.
const JSON_ARRAY: Delims = (b"[", b",", b"]");

/// Append `items` as a list, each written by `f`.
fn push_seq<T>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    (open, sep, close): Delims,
    mut f: impl FnMut(&mut Vec<u8>, T),
) {
    out.extend_from_slice(open);
    for (i, it) in items.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        f(out, it);
    }
    out.extend_from_slice(close);
}

/// A polygon's exterior ring, then its holes.
fn rings(p: &Polygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    std::iter::once(p.exterior()).chain(p.interiors())
}

fn push_coords(out: &mut Vec<u8>, ls: &LineString<f64>) {
    push_seq(out, &ls.0, WKT_LIST, |o, c| push_coord(o, *c));
}

fn push_polygon(out: &mut Vec<u8>, p: &Polygon<f64>) {
    push_seq(out, rings(p), WKT_LIST, push_coords);
}

fn is_empty_polygon(p: &Polygon<f64>) -> bool {
    p.exterior().0.is_empty()
}

/// The bytes of a writer that writes only ASCII, as a `String`.
fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// The WKT text of a (normalized) geometry: `POINT (46.75 39.8)`,
/// `LINESTRING (46.7 39.8, 46.8 39.9)`, `POLYGON ((...), (hole))`,
/// `MULTIPOINT ((x y), (x y))`, `MULTILINESTRING`, `MULTIPOLYGON`,
/// `GEOMETRYCOLLECTION`; `<TYPE> EMPTY` for empty geometries.
pub fn to_wkt(g: &Geometry<f64>) -> String {
    let mut out = Vec::new();
    push_wkt(&mut out, g);
    ascii(out)
}

/// Append [`to_wkt`]'s text.
pub fn push_wkt(out: &mut Vec<u8>, g: &Geometry<f64>) {
    match g {
        Geometry::Point(p) => {
            out.extend_from_slice(b"POINT (");
            push_coord(out, p.0);
            out.push(b')');
        }
        Geometry::Line(l) => push_wkt(
            out,
            &Geometry::LineString(LineString::new(vec![l.start, l.end])),
        ),
        Geometry::LineString(ls) if ls.0.is_empty() => out.extend_from_slice(b"LINESTRING EMPTY"),
        Geometry::LineString(ls) => {
            out.extend_from_slice(b"LINESTRING ");
            push_coords(out, ls);
        }
        Geometry::Polygon(p) if is_empty_polygon(p) => out.extend_from_slice(b"POLYGON EMPTY"),
        Geometry::Polygon(p) => {
            out.extend_from_slice(b"POLYGON ");
            push_polygon(out, p);
        }
        Geometry::MultiPoint(mp) if mp.0.is_empty() => out.extend_from_slice(b"MULTIPOINT EMPTY"),
        Geometry::MultiPoint(mp) => {
            out.extend_from_slice(b"MULTIPOINT ");
            push_seq(out, &mp.0, WKT_LIST, |o, p| {
                push_seq(o, [p.0], WKT_LIST, push_coord)
            });
        }
        Geometry::MultiLineString(ml) if ml.0.is_empty() => {
            out.extend_from_slice(b"MULTILINESTRING EMPTY")
        }
        Geometry::MultiLineString(ml) => {
            out.extend_from_slice(b"MULTILINESTRING ");
            push_seq(out, &ml.0, WKT_LIST, push_coords);
        }
        Geometry::MultiPolygon(mp) if mp.0.is_empty() => {
            out.extend_from_slice(b"MULTIPOLYGON EMPTY")
        }
        Geometry::MultiPolygon(mp) => {
            out.extend_from_slice(b"MULTIPOLYGON ");
            push_seq(out, &mp.0, WKT_LIST, push_polygon);
        }
        Geometry::GeometryCollection(gc) if gc.0.is_empty() => {
            out.extend_from_slice(b"GEOMETRYCOLLECTION EMPTY")
        }
        Geometry::GeometryCollection(gc) => {
            out.extend_from_slice(b"GEOMETRYCOLLECTION ");
            push_seq(out, &gc.0, WKT_LIST, push_wkt);
        }
        Geometry::Rect(r) => push_wkt(out, &Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => push_wkt(out, &Geometry::Polygon(t.to_polygon())),
    }
}

/// Append a GeoJSON position `[x,y]`.
pub fn push_position(out: &mut Vec<u8>, c: Coord<f64>) {
    out.push(b'[');
    push_number(out, c.x);
    out.push(b',');
    push_number(out, c.y);
    out.push(b']');
}

fn push_line(out: &mut Vec<u8>, ls: &LineString<f64>) {
    push_seq(out, &ls.0, JSON_ARRAY, |o, c| push_position(o, *c));
}

fn push_rings(out: &mut Vec<u8>, p: &Polygon<f64>) {
    push_seq(out, rings(p), JSON_ARRAY, push_line);
}

/// Append the GeoJSON geometry object of a normalized,
/// [`is_geojson_writable`] geometry: `{"type":"Point","coordinates":[x,y]}`.
pub fn push_geojson(out: &mut Vec<u8>, g: &Geometry<f64>) {
    let ty: &[u8] = match g {
        Geometry::Point(_) => b"Point",
        Geometry::LineString(_) => b"LineString",
        Geometry::Polygon(_) => b"Polygon",
        Geometry::MultiPoint(_) => b"MultiPoint",
        Geometry::MultiLineString(_) => b"MultiLineString",
        Geometry::MultiPolygon(_) => b"MultiPolygon",
        // Not reached: callers check `is_geojson_writable` first.
        _ => unreachable!("geometry type not writable as GeoJSON"),
    };
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(ty);
    out.extend_from_slice(b"\",\"coordinates\":");
    match g {
        Geometry::Point(p) => push_position(out, p.0),
        Geometry::LineString(ls) => push_line(out, ls),
        Geometry::Polygon(p) => push_rings(out, p),
        Geometry::MultiPoint(mp) => push_seq(out, &mp.0, JSON_ARRAY, |o, p| push_position(o, p.0)),
        Geometry::MultiLineString(ml) => push_seq(out, &ml.0, JSON_ARRAY, push_line),
        Geometry::MultiPolygon(mp) => push_seq(out, &mp.0, JSON_ARRAY, push_rings),
        _ => {}
    }
    out.push(b'}');
}

/// Append the GeoJSON Point object of a (normalized) point.
pub fn push_geojson_point(out: &mut Vec<u8>, p: Point<f64>) {
    out.extend_from_slice(b"{\"type\":\"Point\",\"coordinates\":");
    push_position(out, p.0);
    out.push(b'}');
}

/// A record's full geometry in the forms the writers emit, computed once
/// and shared by the GeoJSON and CSV renderings of the record (and, through
/// [`prepare`]'s cache, by the records placed at the same place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The WKT of the normalized geometry.
    pub wkt: String,
    /// The `wkt` property's value: the WKT as a JSON string.
    pub wkt_json: Vec<u8>,
    /// The `wkt` column's cell: the WKT with CSV quoting.
    pub wkt_cell: Vec<u8>,
    /// The GeoJSON geometry object of the normalized geometry, when it is
    /// [`is_geojson_writable`] (what `--geometry native` writes).
    pub geojson: Option<Vec<u8>>,
}

impl Prepared {
    /// Normalize `g` and write its texts; an error (naming the coordinate)
    /// if a coordinate is not finite.
    pub fn new(g: &Geometry<f64>) -> Result<Prepared, String> {
        let full = normalize(g)?;
        let mut wkt = Vec::with_capacity(32);
        push_wkt(&mut wkt, &full);
        let wkt = ascii(wkt);
        let mut wkt_json = Vec::with_capacity(wkt.len() + 2);
        super::geojson::push_json_str(&mut wkt_json, &wkt);
        let mut wkt_cell = Vec::with_capacity(wkt.len() + 2);
        super::csv::push_cell(&mut wkt_cell, &wkt);
        let geojson = is_geojson_writable(&full).then(|| {
            let mut out = Vec::with_capacity(wkt.len() + 40);
            push_geojson(&mut out, &full);
            out
        });
        Ok(Prepared {
            wkt,
            wkt_json,
            wkt_cell,
            geojson,
        })
    }

    /// Memory the texts take.
    pub fn size(&self) -> usize {
        self.wkt.len()
            + self.wkt_json.len()
            + self.wkt_cell.len()
            + self.geojson.as_ref().map_or(0, Vec::len)
    }
}

/// The record's full geometry prepared ([`prepare`]) and its representative
/// point, normalized; an error naming the record when a coordinate is not
/// finite (the full geometry is checked first).
pub fn prepare_record(r: &Record) -> io::Result<(Arc<Prepared>, Point<f64>)> {
    prepare_record_with(r, prepare)
}

/// [`prepare_record`] with `prepare` instead of this module's [`prepare`].
pub(crate) fn prepare_record_with(
    r: &Record,
    prepare: impl FnOnce(&SharedGeometry) -> Result<Arc<Prepared>, String>,
) -> io::Result<(Arc<Prepared>, Point<f64>)> {
    let invalid = |msg: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("record {}: {msg}", r.id),
        )
    };
    let shape = prepare(&r.geometry).map_err(invalid)?;
    let point = normalize_point(r.point).map_err(invalid)?;
    Ok((shape, point))
}

/// The geometry `g` derefs to, when that is storage `g` shares with its
/// clones (lines and polygons: see [`SharedGeometry`]), not a value inside
/// `g` itself. As long as a clone of `g` is kept, no other geometry can
/// have this address, so it identifies the geometry's content.
pub fn shared_address(g: &SharedGeometry) -> Option<usize> {
    let clone = g.clone();
    let here: *const Geometry<f64> = &**g;
    std::ptr::eq(here, &*clone).then_some(here as usize)
}

/// [`Prepared::new`] of a record's geometry. The geometries of most records
/// are shared with a gazetteer place (see [`SharedGeometry`]), and formatting
/// a region's thousands of coordinates is most of a record's output time, so
/// the last few shared geometries prepared on this thread are kept (with a
/// clone, so that their address stays theirs: see [`shared_address`]).
pub fn prepare(g: &SharedGeometry) -> Result<Arc<Prepared>, String> {
    let Some(addr) = shared_address(g) else {
        return Prepared::new(g).map(Arc::new);
    };
    thread_local! {
        static RECENT: RefCell<Vec<(SharedGeometry, Arc<Prepared>)>> =
            const { RefCell::new(Vec::new()) };
    }
    const KEEP: usize = 32;
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if let Some((_, p)) = r
            .iter()
            .find(|(k, _)| std::ptr::eq::<Geometry<f64>>(&**k, addr as *const _))
        {
            return Ok(p.clone());
        }
        let p = Arc::new(Prepared::new(g)?);
        if r.len() == KEEP {
            r.remove(0);
        }
        r.push((g.clone(), p.clone()));
        Ok(p)
    })
}

/// Whether every part is a valid RFC 7946 geometry: LineStrings with at least
/// 2 positions, closed rings with at least 4, no empty multi-geometries, and
/// not a GeometryCollection (validators and QGIS sublayers reject those).
/// Geometries that fail are written as their representative point in
/// `--geometry native` mode (the WKT keeps the original).
pub fn is_geojson_writable(g: &Geometry<f64>) -> bool {
    fn line_ok(ls: &LineString<f64>) -> bool {
        ls.0.len() >= 2
    }
    fn ring_ok(ls: &LineString<f64>) -> bool {
        ls.0.len() >= 4 && ls.is_closed()
    }
    fn poly_ok(p: &Polygon<f64>) -> bool {
        ring_ok(p.exterior()) && p.interiors().iter().all(ring_ok)
    }
    match g {
        Geometry::Point(_) => true,
        Geometry::LineString(ls) => line_ok(ls),
        Geometry::Polygon(p) => poly_ok(p),
        Geometry::MultiPoint(mp) => !mp.0.is_empty(),
        Geometry::MultiLineString(ml) => !ml.0.is_empty() && ml.0.iter().all(line_ok),
        Geometry::MultiPolygon(mp) => !mp.0.is_empty() && mp.0.iter().all(poly_ok),
        // `normalize` removes Line, Rect and Triangle.
        Geometry::Line(_) | Geometry::Rect(_) | Geometry::Triangle(_) => false,
        Geometry::GeometryCollection(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point, polygon, GeometryCollection, MultiPoint, MultiPolygon, Rect};

    fn signed_area(ls: &LineString<f64>) -> f64 {
        ls.lines()
            .map(|l| l.start.x * l.end.y - l.end.x * l.start.y)
            .sum::<f64>()
            / 2.0
    }

    #[test]
    fn wkt_strings() {
        let p: Geometry = point!(x: 46.7518889, y: 39.8155556).into();
        assert_eq!(
            to_wkt(&normalize(&p).unwrap()),
            "POINT (46.751889 39.815556)"
        );
        let l: Geometry = line_string![(x: 46.7, y: 39.8), (x: 46.85, y: 40.0)].into();
        assert_eq!(
            to_wkt(&normalize(&l).unwrap()),
            "LINESTRING (46.7 39.8, 46.85 40)"
        );
        let poly: Geometry = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.)].into();
        assert_eq!(
            to_wkt(&normalize(&poly).unwrap()),
            "POLYGON ((0 0, 1 0, 1 1, 0 0))"
        );
        let mp: Geometry = MultiPoint::from(vec![(1., 2.), (3., 4.)]).into();
        assert_eq!(to_wkt(&mp), "MULTIPOINT ((1 2), (3 4))");
        let gc = Geometry::GeometryCollection(GeometryCollection::from(vec![p.clone(), l.clone()]));
        assert_eq!(
            to_wkt(&normalize(&gc).unwrap()),
            "GEOMETRYCOLLECTION (POINT (46.751889 39.815556), LINESTRING (46.7 39.8, 46.85 40))"
        );
        let mpoly: Geometry = MultiPolygon::new(vec![
            polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.)],
            polygon![(x: 5., y: 5.), (x: 6., y: 5.), (x: 6., y: 6.)],
        ])
        .into();
        assert_eq!(
            to_wkt(&mpoly),
            "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))"
        );
        assert_eq!(
            to_wkt(&LineString::<f64>::new(vec![]).into()),
            "LINESTRING EMPTY"
        );
        let rect: Geometry = Rect::new((0., 0.), (1., 1.)).into();
        let n = normalize(&rect).unwrap();
        assert!(matches!(n, Geometry::Polygon(_)));
        assert!(to_wkt(&n).starts_with("POLYGON (("));
    }

    #[test]
    fn winding_is_fixed() {
        // Clockwise exterior with a counter-clockwise hole: both wrong for RFC 7946.
        let cw = Polygon::new(
            line_string![(x: 0., y: 0.), (x: 0., y: 10.), (x: 10., y: 10.), (x: 10., y: 0.), (x: 0., y: 0.)],
            vec![
                line_string![(x: 2., y: 2.), (x: 4., y: 2.), (x: 4., y: 4.), (x: 2., y: 4.), (x: 2., y: 2.)],
            ],
        );
        assert!(signed_area(cw.exterior()) < 0.0);
        assert!(signed_area(&cw.interiors()[0]) > 0.0);
        let Geometry::Polygon(fixed) = normalize(&cw.into()).unwrap() else {
            panic!("not a polygon")
        };
        assert!(signed_area(fixed.exterior()) > 0.0, "exterior must be CCW");
        assert!(signed_area(&fixed.interiors()[0]) < 0.0, "hole must be CW");
        assert!(fixed.exterior().is_closed());
    }

    #[test]
    fn non_finite_is_an_error() {
        let p: Geometry = point!(x: f64::NAN, y: 1.0).into();
        assert!(normalize(&p).unwrap_err().contains("not finite"));
        assert!(normalize_point((1.0, f64::INFINITY)).is_err());
    }

    #[test]
    fn writable_check() {
        let short: Geometry = LineString::from(vec![(1., 1.)]).into();
        assert!(!is_geojson_writable(&short));
        let gc =
            Geometry::GeometryCollection(GeometryCollection::<f64>::from(Vec::<Geometry>::new()));
        assert!(!is_geojson_writable(&gc));
        let ok: Geometry = line_string![(x: 0., y: 0.), (x: 1., y: 1.)].into();
        assert!(is_geojson_writable(&ok));
    }
}
