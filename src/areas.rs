//! Which area holds which place: the test the place and incident stages
//! share when a district, region or country is named beside a settlement.

use crate::gazetteer::{Place, PlaceKind};

/// A district named beside a place this near its point holds that place.
pub const DISTRICT_HOLDS_KM: f64 = 50.0;

/// Great-circle distance in km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// Whether the area `a` holds the place `p`: its admin-1 unit or country,
/// or an area whose point lies near it.
pub fn holds(a: &Place, p: &Place) -> bool {
    match a.kind {
        PlaceKind::Country => !a.country.is_empty() && a.country == p.country,
        PlaceKind::Admin1 if !p.admin1.is_empty() && names_admin1(a, &p.admin1) => true,
        _ => haversine_km(p.lat, p.lon, a.lat, a.lon) <= DISTRICT_HOLDS_KM || inside(a, p),
    }
}

/// Whether `p`'s point lies in `a`'s polygon (a region drawn as one:
/// Nagorno-Karabakh holds Talish, 60 km from its label point).
fn inside(a: &Place, p: &Place) -> bool {
    use geo::Contains;
    let pt = geo::Point::new(p.lon, p.lat);
    match &*a.geometry {
        geo::Geometry::Polygon(poly) => poly.contains(&pt),
        geo::Geometry::MultiPolygon(mp) => mp.contains(&pt),
        _ => false,
    }
}

/// Whether `label` (a place's admin-1 column) names the admin-1 unit `a`:
/// its name or an alias, alone or before a word ("Khyber Pakhtunkhwa" for
/// the unit "K.P." whose alias is "Khyber Pakhtunkhwa Province").
fn names_admin1(a: &Place, label: &str) -> bool {
    // "Sagaing Region", "Kursk Oblast" for the unit "Sagaing", "Kursk".
    let area_word = |rest: &str| {
        rest.strip_prefix(' ').is_some_and(|w| {
            crate::vocab::words("area-suffixes").contains(&w.to_lowercase().as_str())
        })
    };
    a.name == label
        || label.strip_prefix(a.name.as_str()).is_some_and(area_word)
        || a.names.iter().any(|n| {
            n == label
                || n.strip_prefix(label)
                    .is_some_and(|rest| rest.starts_with(' '))
        })
        || spelled_alike(a, label)
}

/// The label spells the unit's name or an alias up to diacritics,
/// romanization and doubled letters ("Lower Shabeelle" for "Lower
/// Shabelle", "Şanlıurfa" for "Sanliurfa").
fn spelled_alike(a: &Place, label: &str) -> bool {
    use crate::gazetteer::{normalize, skeleton};
    let key = skeleton(&normalize(label));
    !key.is_empty()
        && std::iter::once(&a.name)
            .chain(&a.names)
            .any(|n| skeleton(&normalize(n)) == key)
}
