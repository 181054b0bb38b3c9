//! Stage "spelling variant": a name the text introduces as a place
//! ("Shahjoy district", "Shukurbayli village") that the gazetteer lacks
//! under that spelling is read as a gazetteer place spelled differently
//! ("Shah Joy", "Şükürbəyli"): the same name up to script, romanization
//! and doubled letters ([`Gazetteer::spelling_variants`]), or failing
//! that up to its vowels ([`Gazetteer::consonant_variants`]), but only in a
//! province the article names or places something in, and only when one
//! place there fits.

use crate::gazetteer::{Gazetteer, PlaceIdx, PlaceKind};
use crate::places::Mention;

use super::unknown::Unknown;

/// The one place `name` (as written) is a spelling of, in the province of
/// one of the article's settlements (`admin1s`, in one of `countries`) or
/// inside one of its areas (`areas`: a region such as Nagorno-Karabakh
/// holds its villages whatever country the gazetteer files them under).
pub fn find(
    g: &Gazetteer,
    name: &str,
    countries: &[&str],
    admin1s: &[&str],
    areas: &[PlaceIdx],
) -> Option<PlaceIdx> {
    // A spelling is a guess: it must fall where the article is ("Balakote"
    // in a Kashmir report is not Bagalkot in Karnataka).
    let here = |&i: &PlaceIdx| {
        let p = &g.places[i];
        p.kind != PlaceKind::Country
            && ((countries.contains(&p.country.as_str()) && admin1s.contains(&p.admin1.as_str()))
                || areas.iter().any(|&a| super::holds(&g.places[a], p)))
    };
    let spelled = g.spelling_variants(name);
    let mut found: Vec<PlaceIdx> = spelled.iter().copied().filter(here).collect();
    if found.is_empty() {
        // The same skeleton ("Nabatiyeh", "Nabatieh") is strong enough in
        // a country the article names, when only one place there has it.
        found = spelled
            .into_iter()
            .filter(|&i| {
                let p = &g.places[i];
                p.kind.is_settlement() && countries.contains(&p.country.as_str())
            })
            .collect();
    }
    if found.is_empty() {
        // Only the vowels differ ("Jabiliya" for "Jabalya").
        found = g
            .consonant_variants(name)
            .into_iter()
            .filter(here)
            .collect();
    }
    match found[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// Stage "adjective district": the seat names an adjective district name
/// may stand for ("Khivsky district" -> "Khiv", "Khivsk", ...), by the
/// `adjective-endings` list, when a district word follows. A city's
/// district ("Donetsk's Kirovsky district", "Kirovsky district of
/// Donetsk") is named for something else, not a seat: none.
pub fn district_seat(g: &Gazetteer, text: &str, u: &Unknown, mentions: &[Mention]) -> Vec<String> {
    let after = text[u.end..].trim_start();
    let word = after
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if !crate::places::is_district_word(&word.to_lowercase()) {
        return Vec::new();
    }
    let of_city = |m: &Mention| m.place().is_some_and(|p| g.places[p].kind.is_settlement());
    let rest = after[word.len()..].trim_start();
    let city_after = rest.strip_prefix("of ").is_some_and(|r| {
        let at = text.len() - r.len();
        mentions.iter().any(|m| m.start == at && of_city(m))
    });
    let city_before = mentions
        .iter()
        .any(|m| m.possessive && m.end + 3 >= u.start && m.end <= u.start && of_city(m));
    if city_after || city_before {
        return Vec::new();
    }
    let lower = u.name.to_lowercase();
    let mut out = Vec::new();
    for row in crate::vocab::get().rows("adjective-endings") {
        let Some(stem) = lower.strip_suffix(row[0]) else {
            continue;
        };
        if stem.chars().count() < 3 {
            continue;
        }
        out.extend(row[1].split('|').map(|b| format!("{stem}{b}")));
        break;
    }
    out
}
