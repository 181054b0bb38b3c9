//! Stage "prune" (after merge): region-level records that add nothing.
//!
//! CODEBOOK section 1 codes one incident per place, day and type family. A
//! report that names a village also says, in its lead or a quote, that
//! "fighting" went on "in Nagorno-Karabakh" or "on the border" that day;
//! that region-level mention is the same incident said more vaguely. So a
//! region-level candidate (geo_precision 3) is folded into a place-level
//! one (precision 1-2) of the same article, day and type family, unless it
//! carries a toll none of them has. Of several region-level candidates of
//! one day and family with no place-level one, the most specific place
//! (a region before an admin-1 unit before a country) stays.

use crate::gazetteer::{Gazetteer, PlaceKind};

use crate::dates::DateValue;

use super::{absorb, geo_precision, Candidate};

/// Why a candidate was folded into another (for `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pruned {
    /// Into a place-level candidate of the same day and type family.
    CoveredByPlace { into: usize },
    /// A region-level report with a toll, placed by the one place-level
    /// report of that day and family inside the region ("a suicide bomber
    /// killed 11 in Khyber Pakhtunkhwa ... the attack took place in Bannu").
    LocatedBy { into: usize },
    /// A region-level report dated only by its claim ("the government
    /// claimed on Saturday") of what a place-level report inside the
    /// region dates a day or two earlier.
    ClaimedLater { into: usize },
    /// Into a more specific region-level candidate of the same day and family.
    CoveredByRegion { into: usize },
    /// A country-wide toll beside several places of that day: an aggregate
    /// of their incidents (CODEBOOK section 1), dropped with its toll.
    Aggregate { places: usize },
}

/// Types whose records describe the same kind of occurrence: fighting in
/// all its forms (battles, remote violence, attacks on civilians), unrest,
/// and strategic developments.
pub(super) fn family(event_type: &str) -> u8 {
    match event_type {
        "Battles" | "Explosions/Remote violence" | "Violence against civilians" => 0,
        "Protests" | "Riots" => 1,
        _ => 2,
    }
}

/// How broad a region-level place is: lower is more specific. A named
/// region may be a district or half a continent, so it ranks with the
/// admin-1 units; only a country is broader.
fn breadth(k: PlaceKind) -> u8 {
    match k {
        PlaceKind::Admin2 => 0,
        PlaceKind::Admin1 | PlaceKind::Region => 1,
        PlaceKind::Country => 3,
        _ => 2,
    }
}

/// Fold covered region-level candidates; returns (folded, reason) pairs.
pub(super) fn prune(cands: &mut [Candidate], g: &Gazetteer) -> Vec<(usize, Pruned)> {
    let live: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].merged_into.is_none())
        .collect();
    let prec: Vec<u8> = (0..cands.len())
        .map(|i| geo_precision(&cands[i], &g.places[cands[i].place]))
        .collect();
    let same_day_family = |a: &Candidate, b: &Candidate| {
        a.date == b.date && family(a.event.event_type) == family(b.event.event_type)
    };
    let mut out = Vec::new();
    for &i in &live {
        if prec[i] < 3 || cands[i].merged_into.is_some() {
            continue;
        }
        let c = &cands[i];
        let cover = |j: &usize| {
            *j != i && cands[*j].merged_into.is_none() && same_day_family(c, &cands[*j])
        };
        let toll_told = |j: usize| {
            c.killed.is_none() && c.injured.is_none()
                || (c.killed.is_none() || cands[j].killed.is_some())
                    && (c.injured.is_none() || cands[j].injured.is_some())
        };
        // A country-wide report, or a placeless one sent to the article's
        // town (stages "focus town", "only town"), is the place-level
        // report of that town, day and family said again.
        let by_place = live.iter().copied().filter(cover).find(|&j| {
            prec[j] < 3
                && toll_told(j)
                && (g.places[c.place].kind == PlaceKind::Country || cands[j].place == c.place)
        });
        if let Some(j) = by_place {
            absorb(cands, j, i);
            out.push((i, Pruned::CoveredByPlace { into: j }));
            continue;
        }
        if let Some(j) = claimed_later(cands, &live, &prec, i, g) {
            absorb(cands, j, i);
            out.push((i, Pruned::ClaimedLater { into: j }));
            continue;
        }
        if let Some(j) = located_by(cands, &live, &prec, i, g) {
            // The report with the toll names what happened ("a suicide
            // bomber killed 11"); the one that places it often only says "the attack".
            let event = cands[i].event;
            absorb(cands, j, i);
            cands[j].event = event;
            out.push((i, Pruned::LocatedBy { into: j }));
            continue;
        }
        // Places of that day inside the country (a strike across the
        // border is no part of its toll).
        let area = &g.places[c.place];
        let places = live
            .iter()
            .filter(|&&j| cover(&j) && prec[j] < 3 && super::holds(area, &g.places[cands[j].place]))
            .count();
        if g.places[c.place].kind == PlaceKind::Country && places >= 2 {
            let j = live.iter().copied().find(|j| cover(j) && prec[*j] < 3);
            cands[i].merged_into = j;
            out.push((i, Pruned::Aggregate { places }));
            continue;
        }
        let b = breadth(g.places[c.place].kind);
        let by_region = live.iter().copied().filter(cover).find(|&j| {
            let bj = breadth(g.places[cands[j].place].kind);
            prec[j] == 3
                && (bj < b || bj == b && cands[j].place == c.place && j < i)
                && toll_told(j)
        });
        if let Some(j) = by_region {
            absorb(cands, j, i);
            out.push((i, Pruned::CoveredByRegion { into: j }));
        }
    }
    out
}

/// Stage "unknown place": a live region-level candidate read from a
/// sentence that introduces a place the gazetteer lacks ("Pa Zi Gyi
/// village in Sagaing Region") happened there, not all over the region: a
/// point at the region would be a wrong dot, so it is dropped. The name is
/// listed for contributors (`explain`, the run's summary line).
pub(super) fn unknown_place(
    cands: &[Candidate],
    g: &Gazetteer,
    unknown: &[super::unknown::Unknown],
) -> Vec<usize> {
    (0..cands.len())
        .filter(|&i| {
            let c = &cands[i];
            c.merged_into.is_none()
                && geo_precision(c, &g.places[c.place]) == 3
                && c.evidence
                    .iter()
                    .any(|r| unknown.iter().any(|u| r.start <= u.start && u.end <= r.end))
        })
        .collect()
}

/// Stage "claimed later": a region-level candidate with no toll whose only
/// date is the day of the claim ("forces in Tigray fired rockets into
/// Amhara, the government claimed on Saturday") is the first place-level
/// candidate of its type family inside the region dated that day or up to
/// [`CLAIM_LAG_DAYS`] before ("late on Friday, rockets hit Bahir Dar").
fn claimed_later(
    cands: &[Candidate],
    live: &[usize],
    prec: &[u8],
    i: usize,
    g: &Gazetteer,
) -> Option<usize> {
    let c = &cands[i];
    let Some(DateValue::Day(claim)) = c.date else {
        return None;
    };
    if !c.statement_day || c.killed.is_some() || c.injured.is_some() {
        return None;
    }
    placed_inside(cands, live, prec, i, g).find(|&j| match cands[j].date {
        Some(DateValue::Day(day)) => (0..=CLAIM_LAG_DAYS).contains(&(claim - day).num_days()),
        _ => false,
    })
}

/// The live place-level candidates of `i`'s type family inside its area.
fn placed_inside<'a>(
    cands: &'a [Candidate],
    live: &'a [usize],
    prec: &'a [u8],
    i: usize,
    g: &'a Gazetteer,
) -> impl Iterator<Item = usize> + 'a {
    let c = &cands[i];
    let area = &g.places[c.place];
    live.iter().copied().filter(move |&j| {
        j != i
            && cands[j].merged_into.is_none()
            && prec[j] < 3
            && family(cands[j].event.event_type) == family(c.event.event_type)
            && super::holds(area, &g.places[cands[j].place])
    })
}

/// How many days a claim may come after the incident it reports.
const CLAIM_LAG_DAYS: i64 = 2;

/// Stage "located by": the place-level candidate that says where a
/// region-level one with a toll happened: the only live place-level
/// candidate of the same day and type family, inside the region (an
/// admin-1 unit or named region, not a country), with no toll of its own.
fn located_by(
    cands: &[Candidate],
    live: &[usize],
    prec: &[u8],
    i: usize,
    g: &Gazetteer,
) -> Option<usize> {
    let c = &cands[i];
    let area = &g.places[c.place];
    // A country the text names may hold a second incident; the article's
    // country used because the sentence names no place is the one place.
    let area_kind = matches!(
        area.kind,
        PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Region
    ) || (area.kind == PlaceKind::Country && !c.explicit_place);
    if c.killed.is_none() && c.injured.is_none() || !area_kind {
        return None;
    }
    let mut inside = placed_inside(cands, live, prec, i, g).filter(|&j| cands[j].date == c.date);
    let j = inside.next()?;
    let untold = cands[j].killed.is_none() && cands[j].injured.is_none();
    // ...or the same toll told again at the place ("12 soldiers were killed").
    let same_toll = cands[j].killed.is_some() && cands[j].killed == c.killed;
    (inside.next().is_none() && (untold || same_toll)).then_some(j)
}

#[cfg(test)]
mod tests {
    use crate::incidents::testutil::places_of;

    /// Stage "unknown place": a region-level report from a sentence that
    /// introduces a village the gazetteer lacks is dropped; without such a
    /// village the region stays. Reports written for this test.
    #[test]
    fn unknown_place_table() {
        crate::incidents::testutil::assert_places(&[
            (
                "Junta jets bombed Zawgyi Kone village in Sagaing Region on Tuesday, killing 12 people.",
                &[],
            ),
            (
                "Junta jets bombed several villages in Sagaing Region on Tuesday, killing 12 people.",
                &["Sagaing"],
            ),
        ]);
    }

    /// Reports written for this test, and the places that stay.
    #[test]
    fn prune_table() {
        let table: &[(&str, &[&str])] = &[
            // A country beside a village of the same day: the village.
            (
                "Artillery shelled Goris on Monday. Armenia came under heavy shelling on Monday, officials said.",
                &["Goris"],
            ),
            // A country beside a province: the province.
            (
                "Clashes broke out in Armenia on Monday. Clashes also hit Syunik on Monday.",
                &["Syunik"],
            ),
            // A toll only the country-level report gives: both stay.
            (
                "Artillery shelled Goris on Monday. Three soldiers were killed in clashes in Armenia on Monday.",
                &["Goris", "Armenia"],
            ),
            // A country-wide toll beside several places of the day: an aggregate.
            (
                "Drones struck Goris and Kapan on Monday. Forty-nine soldiers were killed in the fighting in Armenia on Monday.",
                &["Goris", "Kapan"],
            ),
            // A place across the border is no part of a country's toll:
            // one place inside it is no aggregate, so the toll stays.
            (
                "Forty soldiers were killed in the fighting in Armenia on Monday. Rockets hit Goris on Monday. Shells also hit Dashkasan on Monday.",
                &["Armenia", "Goris", "Dashkasan"],
            ),
            // The same toll told again at the town, whose province GeoNames
            // spells otherwise ("Lower Shabeelle"): one incident, at the town.
            (
                "Militants killed 12 soldiers in Lower Shabelle region on Monday. Officials said 12 soldiers were killed at the base in Afgooye on Monday.",
                &["Afgooye"],
            ),
            // Stage "located by": a region's toll placed by the one town of
            // that day inside it.
            (
                "Shelling killed three civilians in Syunik on Monday. The shells fell on Goris on Monday.",
                &["Goris"],
            ),
            // A toll with no place of its own (the article's country) is
            // placed by the one town of that day too.
            (
                "Somalia's militants killed 17 soldiers in an attack on a base on Monday, the group said.\n\nSuicide bombers rammed into the base at Afgooye on Monday. Afgooye is 30 km from Mogadishu.",
                &["Afgooye"],
            ),
            // Two towns inside it: the toll is theirs together, the region stays.
            (
                "Shelling killed three civilians in Syunik on Monday. Shells fell on Goris and Kapan on Monday.",
                &["Goris", "Kapan", "Syunik"],
            ),
            // Stage "claimed later": the region dated only by its claim is
            // the town inside it a day earlier.
            (
                "Rebels fired rockets into Syunik, the ministry claimed on Tuesday. Late on Monday, rockets hit Goris.",
                &["Goris"],
            ),
            // A claim with a toll of its own stays.
            (
                "Rebels killed two soldiers in Syunik, the ministry claimed on Tuesday. Late on Monday, rockets hit Goris.",
                &["Syunik", "Goris"],
            ),
            // Another day: both stay.
            (
                "Artillery shelled Goris on Monday. Clashes broke out in Armenia on Sunday.",
                &["Goris", "Armenia"],
            ),
        ];
        for (text, want) in table {
            let mut got = places_of(text);
            got.sort();
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
