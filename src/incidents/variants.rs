//! Stage "spelling variant": a name the text introduces as a place
//! ("Shahjoy district", "Shukurbayli village") that the gazetteer lacks
//! under that spelling is read as a gazetteer place spelled differently
//! ("Shah Joy", "Şükürbəyli"): the same name up to script, romanization
//! and doubled letters ([`Gazetteer::spelling_variants`]), but only in a
//! province the article names or places something in, and only when one
//! place there fits.

use crate::gazetteer::{Gazetteer, PlaceIdx, PlaceKind};

/// The one place `name` (as written) is a spelling of, in one of
/// `countries` and a province of `admin1s`.
pub fn find(g: &Gazetteer, name: &str, countries: &[&str], admin1s: &[&str]) -> Option<PlaceIdx> {
    let found: Vec<PlaceIdx> = g
        .spelling_variants(name)
        .into_iter()
        .filter(|&i| {
            let p = &g.places[i];
            // A spelling is a guess: it must fall where the article is
            // ("Balakote" in a Kashmir report is not Bagalkot in Karnataka).
            p.kind != PlaceKind::Country
                && countries.contains(&p.country.as_str())
                && admin1s.contains(&p.admin1.as_str())
        })
        .collect();
    match found[..] {
        [one] => Some(one),
        _ => None,
    }
}
