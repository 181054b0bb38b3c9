//! `gazetteer check`: everything loading reports, plus checks that need more
//! time or outside data: points outside their country's polygon, invalid
//! line and polygon geometry, and names no precedence rule can decide.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{Coord, Intersects, MultiPolygon, Point};
use serde_json::Value;

use super::{precedence, Gazetteer, Place, Problem, SourceFile};

/// A point this close to its country's border (in km) may lie just outside
/// the 1:10m polygon without being wrong (coastal and border towns).
pub const BORDER_TOLERANCE_KM: f64 = 2.0;

/// A point outside its country by at most this (in km) is a warning, not an
/// error: Natural Earth 1:10m polygons are generalized and stop at the coast.
pub const BORDER_WARNING_KM: f64 = 10.0;

const EMBEDDED_BOUNDARIES: &str =
    include_str!("../../gazetteer/boundaries/ne_10m_admin0_caucasus.geojson");

/// Country polygons used to test that points lie in their stated country.
#[derive(Debug, Default, Clone)]
pub struct Boundaries {
    /// ISO2 -> (display name, polygon).
    countries: HashMap<String, (String, MultiPolygon<f64>)>,
}

impl Boundaries {
    /// Parse a Natural Earth style admin-0 FeatureCollection: each feature
    /// needs an `ISO_A2` (or `iso_a2` / `country`) property and a Polygon or
    /// MultiPolygon; `NAME` (or `name`) gives the name used in messages.
    pub fn from_geojson(text: &str) -> Result<Boundaries, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let feats = v
            .get("features")
            .and_then(Value::as_array)
            .ok_or("not a GeoJSON FeatureCollection")?;
        let mut b = Boundaries::default();
        for f in feats {
            let props = f.get("properties");
            let prop = |k: &str| props.and_then(|p| p.get(k)).and_then(Value::as_str);
            let Some(iso) = prop("ISO_A2").or(prop("iso_a2")).or(prop("country")) else {
                continue;
            };
            if iso.len() != 2 {
                continue;
            }
            let name = prop("NAME").or(prop("name")).unwrap_or(iso).to_string();
            let Some(g) = f.get("geometry") else { continue };
            let Ok(geom) = serde_json::from_value::<geojson::Geometry>(g.clone()) else {
                continue;
            };
            let Ok(geom) = geo::Geometry::<f64>::try_from(geom) else {
                continue;
            };
            let mp = match geom {
                geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                geo::Geometry::MultiPolygon(m) => m,
                _ => continue,
            };
            let e = b
                .countries
                .entry(iso.to_string())
                .or_insert_with(|| (name, MultiPolygon::new(Vec::new())));
            e.1 .0.extend(mp.0);
        }
        Ok(b)
    }

    /// The Natural Earth 1:10m polygons of AM, AZ, GE, IR, RU and TR
    /// embedded in the binary (`gazetteer/boundaries/`).
    pub fn embedded() -> &'static Boundaries {
        static B: OnceLock<Boundaries> = OnceLock::new();
        B.get_or_init(|| {
            Boundaries::from_geojson(EMBEDDED_BOUNDARIES).expect("embedded boundaries parse")
        })
    }

    /// The embedded boundaries, overridden by every `*.geojson` file in
    /// `dir/boundaries/` (if that directory exists).
    pub fn for_dir(dir: &std::path::Path) -> Result<Boundaries, super::GazetteerError> {
        let mut b = Boundaries::embedded().clone();
        let bdir = dir.join("boundaries");
        let Ok(rd) = std::fs::read_dir(&bdir) else {
            return Ok(b);
        };
        let mut paths: Vec<_> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
            .collect();
        paths.sort();
        for p in paths {
            let text = super::read_text(&p)?;
            // A file that is not a boundaries layer is simply not used.
            if let Ok(other) = Boundaries::from_geojson(&text) {
                b.extend(other);
            }
        }
        Ok(b)
    }

    /// Merge another set of boundaries into this one (later wins).
    pub fn extend(&mut self, other: Boundaries) {
        self.countries.extend(other.countries);
    }

    /// The ISO codes covered.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.countries.keys().map(String::as_str)
    }

    /// `None` if the country is not covered; `Some(0.0)` if the point is
    /// inside; otherwise the distance to the border in km.
    pub fn distance_outside(&self, iso2: &str, lat: f64, lon: f64) -> Option<f64> {
        let (_, mp) = self.countries.get(iso2)?;
        let p = Point::new(lon, lat);
        if mp.intersects(&p) {
            return Some(0.0);
        }
        Some(distance_to_rings_km(mp, lat, lon))
    }

    fn name<'a>(&'a self, iso2: &'a str) -> &'a str {
        self.countries
            .get(iso2)
            .map(|c| c.0.as_str())
            .unwrap_or(iso2)
    }
}

/// Distance in km from a point to the nearest ring segment, in a local
/// equirectangular projection (good to well under 1% at these distances).
fn distance_to_rings_km(mp: &MultiPolygon<f64>, lat: f64, lon: f64) -> f64 {
    const KM_PER_DEG: f64 = 111.195;
    let kx = lat.to_radians().cos() * KM_PER_DEG;
    let proj = |c: Coord<f64>| ((c.x - lon) * kx, (c.y - lat) * KM_PER_DEG);
    let mut best = f64::INFINITY;
    let rings =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for ring in rings {
        for w in ring.0.windows(2) {
            let (ax, ay) = proj(w[0]);
            let (bx, by) = proj(w[1]);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (x, y) = (ax + t * dx, ay + t * dy);
            best = best.min((x * x + y * y).sqrt());
        }
    }
    best
}

/// Check gazetteer files: every problem loading reports, plus points outside
/// their country (using the embedded boundaries), invalid geometry and names
/// that collide without a precedence rule. Sorted by path and line.
pub fn check(files: &[SourceFile<'_>]) -> Vec<Problem> {
    check_with_boundaries(files, Boundaries::embedded())
}

/// [`check`] with other country boundaries.
pub fn check_with_boundaries(files: &[SourceFile<'_>], boundaries: &Boundaries) -> Vec<Problem> {
    let (g, mut problems) = Gazetteer::from_sources(files);
    let allowed = exceptions(files, &g, &mut problems);
    for p in &g.places {
        if let Some((m, is_error)) = outside_country(p, boundaries) {
            if !allowed.contains(&(p.id.as_str(), "outside-country")) {
                problems.push(at(p, m, is_error));
            }
        }
        if let Some(m) = invalid_geometry(p) {
            problems.push(at(p, m, true));
        }
    }
    problems.extend(collisions(&g));
    // The rows `extract` reads beside the places: display names and actors.
    problems.extend(g.check_display_names(files));
    problems.extend(actor_rows(files));
    problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    problems
}

/// The problems of `actors.tsv` rows, as the actors loader reports them.
fn actor_rows(files: &[SourceFile<'_>]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with("actors.tsv")) {
        for (i, line) in f.contents.lines().enumerate() {
            if let Err(message) = super::actor_row(line) {
                problems.push(Problem {
                    path: f.path.to_string(),
                    line: i + 1,
                    message,
                    is_error: true,
                });
            }
        }
    }
    problems
}

/// The checks that `check-exceptions.tsv` turns off for named places
/// (columns `place_id`, `check`, `reason`; the one check that can be turned
/// off is `outside-country`, for platforms at sea and the like). Every
/// exception must name a known place and give a reason.
const EXCEPTIONS_FILE: &str = "check-exceptions.tsv";

fn exceptions<'a>(
    files: &[SourceFile<'a>],
    g: &Gazetteer,
    problems: &mut Vec<Problem>,
) -> std::collections::HashSet<(&'a str, &'a str)> {
    let mut out = std::collections::HashSet::new();
    for f in files.iter().filter(|f| f.path.ends_with(EXCEPTIONS_FILE)) {
        for (i, line) in f.contents.lines().enumerate() {
            if i == 0 || line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            let bad = |message: String| Problem {
                path: f.path.to_string(),
                line: i + 1,
                message,
                is_error: true,
            };
            if c.len() != 3 || c[2].trim().is_empty() {
                problems.push(bad(format!(
                    "expected 3 tab-separated columns place_id, check, reason (with a reason), found {line:?}"
                )));
                continue;
            }
            if c[1] != "outside-country" {
                problems.push(bad(format!(
                    "unknown check {:?}: the only check that can be excepted is \"outside-country\"",
                    c[1]
                )));
                continue;
            }
            if g.by_id(c[0]).is_none() {
                problems.push(bad(format!(
                    "no place has id {:?}: remove the exception or fix the id",
                    c[0]
                )));
                continue;
            }
            out.insert((c[0], c[1]));
        }
    }
    out
}

fn at(p: &Place, message: String, is_error: bool) -> Problem {
    Problem {
        path: p.origin.path.to_string(),
        line: p.origin.line,
        message,
        is_error,
    }
}

/// The message, and whether it is an error (farther than
/// [`BORDER_WARNING_KM`]) or a warning (a coastal or border place just
/// outside the generalized polygon, or a port or platform at sea).
fn outside_country(p: &Place, b: &Boundaries) -> Option<(String, bool)> {
    if p.country.is_empty() {
        return None;
    }
    let d = b.distance_outside(&p.country, p.lat, p.lon)?;
    if d <= BORDER_TOLERANCE_KM {
        return None;
    }
    let name = b.name(&p.country);
    let hint = match b.distance_outside(&p.country, p.lon, p.lat) {
        Some(s) if s <= BORDER_TOLERANCE_KM && (-90.0..=90.0).contains(&p.lon) => {
            format!("swapping them gives a point inside {name}: swap the lat and lon values")
        }
        _ => "if not, fix the coordinates or the country column".to_string(),
    };
    if d <= BORDER_WARNING_KM && !hint.starts_with("swapping") {
        return Some((
            format!(
                "point ({}, {}) lies just outside {name} (nearest border {d:.1} km): probably a coastal or border place and a generalized polygon; if not, fix the coordinates",
                p.lat, p.lon
            ),
            false,
        ));
    }
    Some((
        format!(
            "point ({}, {}) lies outside {name} (nearest border {d:.1} km); swapped lat/lon? {hint}",
            p.lat, p.lon
        ),
        true,
    ))
}

/// A place's geometry by OGC rules; features are checked as they are
/// parsed (and skipped), so this finds nothing in a parsed gazetteer
/// unless a geometry came another way.
fn invalid_geometry(p: &Place) -> Option<String> {
    super::parse::invalid_geometry(&p.geometry).map(|m| format!("id {:?}: {m}", p.id))
}

/// Same normalized name, same kind, same population: only the id decides.
fn collisions(g: &Gazetteer) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut names: Vec<(&str, &[usize])> = g.names().filter(|(_, v)| v.len() > 1).collect();
    names.sort_unstable_by_key(|(k, _)| *k);
    for (name, cands) in names {
        for w in cands.windows(2) {
            let (a, b) = (&g.places[w[0]], &g.places[w[1]]);
            // Namesakes in different countries are told apart by the article
            // (the countries it names, nearness); within one country only
            // kind and population can decide, so a tie there is worth a look.
            // The place whose own name it is comes first (see `finish`).
            let own = |p: &Place| super::normalize(&p.name) == name;
            if a.kind == b.kind
                && a.population == b.population
                && a.country == b.country
                && own(a) == own(b)
            {
                debug_assert!(precedence(a, b).is_lt());
                out.push(at(
                    b,
                    format!(
                        "name {name:?} is ambiguous: {:?} and {:?} ({}:{}) are both {} with population {}, so only the id decides; add a population, drop the alias from one of them, or change one's kind",
                        b.id,
                        a.id,
                        a.origin.path,
                        a.origin.line,
                        a.kind.as_str(),
                        a.population
                    ),
                    false,
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(c: &[(f64, f64)]) -> geo::LineString<f64> {
        geo::LineString::from(c.to_vec())
    }

    #[test]
    fn embedded_boundaries_hold_the_caucasus() {
        let b = Boundaries::embedded();
        for iso in ["AM", "AZ", "GE", "IR", "RU", "TR"] {
            assert!(b.countries.contains_key(iso), "{iso}");
        }
        // Baku is inside Azerbaijan; Yerevan is not.
        assert_eq!(b.distance_outside("AZ", 40.37767, 49.89201), Some(0.0));
        let d = b.distance_outside("AZ", 40.17765, 44.5126).unwrap();
        assert!(d > 10.0, "{d}");
        assert_eq!(b.distance_outside("US", 0.0, 0.0), None);
    }

    #[test]
    fn points_just_outside_are_warnings_far_outside_errors() {
        let text = format!(
            "{}\n\
             am-khnatsakh\tKhnatsakh\tvillage\tAM\tSyunik\t39.60553\t46.39172\t747\t\tGeoNames 174850\n\
             az-neft\tNeft Daslari\tvillage\tAZ\tBaku\t40.25213\t50.84003\t916\t\tGeoNames 585369\n\
             am-inside\tGoris\ttown\tAM\tSyunik\t39.51111\t46.34168\t20000\t\tGeoNames 174895\n",
            crate::gazetteer::PLACES_HEADER
        );
        let p = check(&[SourceFile {
            path: "places/t.tsv",
            contents: &text,
        }]);
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!((p[0].line, p[0].is_error), (2, false));
        assert!(p[0]
            .message
            .contains("lies just outside Armenia (nearest border 2.1 km)"));
        assert_eq!((p[1].line, p[1].is_error), (3, true));
        assert!(p[1]
            .message
            .contains("lies outside Azerbaijan (nearest border 19.3 km); swapped lat/lon?"));
    }

    #[test]
    fn exceptions_file_excuses_named_places_and_is_checked_itself() {
        let places = format!(
            "{}\n\
             az-neft\tNeft Daslari\tvillage\tAZ\tBaku\t40.25213\t50.84003\t916\t\tGeoNames 585369\n",
            crate::gazetteer::PLACES_HEADER
        );
        let exc = "place_id\tcheck\treason\n\
                   az-neft\toutside-country\toil platform at sea\n\
                   az-nowhere\toutside-country\ttypo\n\
                   az-neft\tcollisions\tnot a check\n";
        let p = check(&[
            SourceFile {
                path: "places/t.tsv",
                contents: &places,
            },
            SourceFile {
                path: "check-exceptions.tsv",
                contents: exc,
            },
        ]);
        let msgs: Vec<String> = p.iter().map(|x| x.to_string()).collect();
        assert_eq!(p.len(), 2, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("check-exceptions.tsv:3: no place has id \"az-nowhere\""),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("check-exceptions.tsv:4: unknown check \"collisions\""),
            "{msgs:?}"
        );
    }

    #[test]
    fn ring_distance_is_in_km() {
        let sq = geo::Polygon::new(
            ls(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]),
            vec![],
        );
        let mp = MultiPolygon::new(vec![sq]);
        let d = distance_to_rings_km(&mp, 0.5, 2.0);
        assert!((d - 111.2).abs() < 0.5, "{d}");
    }
}
