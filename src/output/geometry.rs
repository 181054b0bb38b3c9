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

use geo::orient::{Direction, Orient};
use geo::{Coord, Geometry, LineString, MapCoords, Point, Polygon};

use super::schema::{fmt_num, round6};

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

fn num(x: f64) -> String {
    // Coordinates were checked finite by `normalize`.
    fmt_num(x).unwrap_or_else(|| "0".into())
}

fn push_coord(out: &mut String, c: Coord<f64>) {
    out.push_str(&num(c.x));
    out.push(' ');
    out.push_str(&num(c.y));
}

fn push_coords(out: &mut String, ls: &LineString<f64>) {
    out.push('(');
    for (i, c) in ls.0.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_coord(out, *c);
    }
    out.push(')');
}

fn push_polygon(out: &mut String, p: &Polygon<f64>) {
    out.push('(');
    push_coords(out, p.exterior());
    for ring in p.interiors() {
        out.push_str(", ");
        push_coords(out, ring);
    }
    out.push(')');
}

fn is_empty_polygon(p: &Polygon<f64>) -> bool {
    p.exterior().0.is_empty()
}

/// The WKT text of a (normalized) geometry: `POINT (46.75 39.8)`,
/// `LINESTRING (46.7 39.8, 46.8 39.9)`, `POLYGON ((...), (hole))`,
/// `MULTIPOINT ((x y), (x y))`, `MULTILINESTRING`, `MULTIPOLYGON`,
/// `GEOMETRYCOLLECTION`; `<TYPE> EMPTY` for empty geometries.
pub fn to_wkt(g: &Geometry<f64>) -> String {
    if matches!(g, Geometry::Point(_)) {
        let mut out = String::new();
        push_wkt(&mut out, g);
        return out;
    }
    // Many records share one region's polygon or one road's line, and
    // formatting thousands of coordinates is most of the output time: keep
    // the WKT of the last few geometries (per thread). Equal coordinates
    // give equal text (only 0 and -0 compare equal, and both print "0").
    thread_local! {
        static RECENT: std::cell::RefCell<Vec<(Geometry<f64>, String)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    const KEEP: usize = 32;
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if let Some((_, s)) = r.iter().find(|(k, _)| k == g) {
            return s.clone();
        }
        let mut out = String::new();
        push_wkt(&mut out, g);
        if r.len() == KEEP {
            r.remove(0);
        }
        r.push((g.clone(), out.clone()));
        out
    })
}

fn push_wkt(out: &mut String, g: &Geometry<f64>) {
    match g {
        Geometry::Point(p) => {
            out.push_str("POINT (");
            push_coord(out, p.0);
            out.push(')');
        }
        Geometry::Line(l) => push_wkt(
            out,
            &Geometry::LineString(LineString::new(vec![l.start, l.end])),
        ),
        Geometry::LineString(ls) if ls.0.is_empty() => out.push_str("LINESTRING EMPTY"),
        Geometry::LineString(ls) => {
            out.push_str("LINESTRING ");
            push_coords(out, ls);
        }
        Geometry::Polygon(p) if is_empty_polygon(p) => out.push_str("POLYGON EMPTY"),
        Geometry::Polygon(p) => {
            out.push_str("POLYGON ");
            push_polygon(out, p);
        }
        Geometry::MultiPoint(mp) if mp.0.is_empty() => out.push_str("MULTIPOINT EMPTY"),
        Geometry::MultiPoint(mp) => {
            out.push_str("MULTIPOINT (");
            for (i, p) in mp.0.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('(');
                push_coord(out, p.0);
                out.push(')');
            }
            out.push(')');
        }
        Geometry::MultiLineString(ml) if ml.0.is_empty() => out.push_str("MULTILINESTRING EMPTY"),
        Geometry::MultiLineString(ml) => {
            out.push_str("MULTILINESTRING (");
            for (i, ls) in ml.0.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_coords(out, ls);
            }
            out.push(')');
        }
        Geometry::MultiPolygon(mp) if mp.0.is_empty() => out.push_str("MULTIPOLYGON EMPTY"),
        Geometry::MultiPolygon(mp) => {
            out.push_str("MULTIPOLYGON (");
            for (i, p) in mp.0.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_polygon(out, p);
            }
            out.push(')');
        }
        Geometry::GeometryCollection(gc) if gc.0.is_empty() => {
            out.push_str("GEOMETRYCOLLECTION EMPTY")
        }
        Geometry::GeometryCollection(gc) => {
            out.push_str("GEOMETRYCOLLECTION (");
            for (i, g) in gc.0.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_wkt(out, g);
            }
            out.push(')');
        }
        Geometry::Rect(r) => push_wkt(out, &Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => push_wkt(out, &Geometry::Polygon(t.to_polygon())),
    }
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
