//! The fusion: which reports are one event.
//!
//! Reports are taken in an order of their own (day, then incident ids), so
//! the result does not depend on the input order. Three passes:
//!
//! 1. Dated reports at a precise place (geo_precision 1-2): a sweep over the
//!    days. Events stay open for two days from their first; each report
//!    joins the open event it fits best (an identical sentence first, then
//!    the same day, the same gazetteer entry, the nearest), or opens one.
//!    To fit, it must fit every member (no shared article, compatible days,
//!    places and types), so no event holds two places or types that the
//!    rules keep apart, however it grew.
//! 2. Dated region-level reports (precision 3): each joins the precise event
//!    of its day whose place lies in its region and whose types fit, when
//!    that event is the only one; otherwise it is fused with the other
//!    region-level reports of that region by the day rule.
//! 3. Undated reports (month, year, unknown): only exact duplicates (the
//!    same date, place, type and sentence from different articles).
//!
//! Events of an earlier fusion given as input are never joined to each
//! other (they were decided then); new reports may join them.

use std::collections::{HashMap, VecDeque};

use crate::gazetteer::FastMap;

use super::rules::{days_compatible, places_compatible, FuseOptions, PlaceKey};
use super::unit::{Collector, Sym, Unit};
use super::Rules;

/// Why a report is in its event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Join {
    /// It opened the event.
    First,
    /// The same sentence as a member's (a syndicated copy).
    Duplicate,
    /// A compatible report at the same place; `gap` days after the first.
    SamePlace { gap: u8 },
    /// A compatible report `km` from a member's place.
    Near { km: f64, gap: u8 },
    /// A region-level report, and this the only event of its day there.
    OnlyInRegion,
    /// A region-level report of the same region.
    SameRegion { gap: u8 },
}

/// One fused event: its reports (indices into the collector) and why each
/// joined, in joining order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub units: Vec<u32>,
    pub joins: Vec<Join>,
}

/// The events of a run.
#[derive(Debug)]
pub struct Fused {
    pub groups: Vec<Group>,
}

/// What an open event keeps for the checks.
#[derive(Debug, Default)]
struct State {
    first_day: i32,
    /// Sorted articles of the members.
    articles: Vec<Sym>,
    published: Vec<i32>,
    night: bool,
    types: Vec<Sym>,
    /// Distinct places: gazetteer id, precision, point.
    places: Vec<(Sym, u8, (f64, f64))>,
    prior: bool,
    /// The canonical position of the first member (the tie-breaker).
    key: u32,
}

impl State {
    fn add(&mut self, u: &Unit) {
        for a in u.articles.iter() {
            if let Err(i) = self.articles.binary_search(a) {
                self.articles.insert(i, *a);
            }
        }
        if let Some(p) = u.published {
            if !self.published.contains(&p) {
                self.published.push(p);
            }
        }
        self.night |= u.night;
        if !self.types.contains(&u.sub_event_type) {
            self.types.push(u.sub_event_type);
        }
        if !self.places.iter().any(|p| p.0 == u.gazetteer_id) {
            self.places.push((u.gazetteer_id, u.geo_precision, u.point));
        }
        self.prior |= u.is_prior_event();
    }
}

/// How well a report fits an open event; smaller is better.
type Score = (bool, u8, bool, u64, u32);

struct Ctx<'a> {
    c: &'a Collector,
    rules: &'a Rules,
    units: &'a [Unit],
}

impl Ctx<'_> {
    fn types_fit(&self, u: &Unit, s: &State) -> bool {
        let t = self.c.str(u.sub_event_type);
        s.types
            .iter()
            .all(|x| self.rules.types.compatible(t, self.c.str(*x)))
    }

    fn days_fit(&self, u: &Unit, s: &State) -> Option<u8> {
        let gap = i64::from(u.day?) - i64::from(s.first_day);
        let differ = u
            .published
            .is_some_and(|p| s.published.iter().any(|q| *q != p));
        (gap >= 0 && days_compatible(gap, u.night || s.night, differ)).then_some(gap as u8)
    }

    /// The farthest member place when every one fits, and whether one is
    /// the same entry.
    fn places_fit(&self, u: &Unit, s: &State, o: &FuseOptions) -> Option<(f64, bool)> {
        let a = PlaceKey {
            gazetteer_id: self.c.str(u.gazetteer_id),
            precision: u.geo_precision,
            point: u.point,
        };
        let mut far = 0f64;
        let mut same = false;
        for (g, p, pt) in &s.places {
            let b = PlaceKey {
                gazetteer_id: self.c.str(*g),
                precision: *p,
                point: *pt,
            };
            far = far.max(places_compatible(a, b, o)?);
            same |= *g == u.gazetteer_id;
        }
        Some((far, same))
    }

    fn disjoint(u: &Unit, s: &State) -> bool {
        u.articles
            .iter()
            .all(|a| s.articles.binary_search(a).is_err())
    }

    fn duplicate(&self, u: &Unit, g: &Group) -> bool {
        !u.evidence.is_empty()
            && g.units
                .iter()
                .any(|&m| self.units[m as usize].evidence == u.evidence)
    }

    /// The score of `u` in the open event `g`, or why not (None).
    fn fit(&self, u: &Unit, g: &Group, s: &State) -> Option<(Score, Join)> {
        if (s.prior && u.is_prior_event()) || !Self::disjoint(u, s) || !self.types_fit(u, s) {
            return None;
        }
        let gap = self.days_fit(u, s)?;
        let (km, same) = self.places_fit(u, s, &self.rules.options)?;
        let dup = self.duplicate(u, g);
        let join = match (dup, same) {
            (true, _) => Join::Duplicate,
            (false, true) => Join::SamePlace { gap },
            (false, false) => Join::Near { km, gap },
        };
        Some(((!dup, gap, !same, (km * 1000.0) as u64, s.key), join))
    }
}

/// A spatial grid over the open events' first places, in cells of about
/// `cell_km`.
struct Grid {
    cell_deg: f64,
    cells: FastMap<(i32, i32), Vec<usize>>,
}

impl Grid {
    fn new(cell_km: f64) -> Self {
        Grid {
            cell_deg: (cell_km / 111.0).max(1e-4),
            cells: FastMap::default(),
        }
    }

    fn cell(&self, p: (f64, f64)) -> (i32, i32) {
        (
            (p.1 / self.cell_deg).floor() as i32,
            (p.0 / self.cell_deg).floor() as i32,
        )
    }

    fn insert(&mut self, p: (f64, f64), g: usize) {
        let c = self.cell(p);
        self.cells.entry(c).or_default().push(g);
    }

    fn remove(&mut self, p: (f64, f64), g: usize) {
        let c = self.cell(p);
        if let Some(v) = self.cells.get_mut(&c) {
            v.retain(|x| *x != g);
            if v.is_empty() {
                self.cells.remove(&c);
            }
        }
    }

    /// Events in the cells within one cell of `p` (wider in longitude
    /// away from the equator).
    fn near(&self, p: (f64, f64), out: &mut Vec<usize>) {
        let (row, col) = self.cell(p);
        let cos = p.1.to_radians().cos().abs().max(0.02);
        let span = (1.0 / cos).ceil().min(60.0) as i32;
        for r in row - 1..=row + 1 {
            for c in col - span..=col + span {
                if let Some(v) = self.cells.get(&(r, c)) {
                    out.extend_from_slice(v);
                }
            }
        }
    }
}

/// Fuse the collected reports into events.
pub fn fuse(c: &Collector, rules: &Rules) -> Fused {
    let units = &c.units;
    let order = canonical_order(units);
    let ctx = Ctx { c, rules, units };
    let mut groups: Vec<Group> = Vec::new();
    let mut states: Vec<State> = Vec::new();
    let (mut precise, mut regional, mut undated) = (Vec::new(), Vec::new(), Vec::new());
    for (pos, &i) in order.iter().enumerate() {
        let u = &units[i as usize];
        let item = (pos as u32, i);
        match (u.day, u.geo_precision) {
            (None, _) => undated.push(item),
            (Some(_), 1 | 2) => precise.push(item),
            (Some(_), _) => regional.push(item),
        }
    }
    sweep(&ctx, &precise, &mut groups, &mut states, true);
    let n_precise = groups.len();
    let mut rest = Vec::new();
    let mut index = RegionIndex::new(&ctx, &groups[..n_precise], &states);
    for &(pos, i) in &regional {
        let u = &units[i as usize];
        let fits = |g: usize| {
            let s = &states[g];
            Ctx::disjoint(u, s) && !(s.prior && u.is_prior_event()) && ctx.types_fit(u, s)
        };
        match index.candidate(&ctx, u, &states).filter(|&g| fits(g)) {
            Some(g) => {
                groups[g].units.push(i);
                groups[g].joins.push(Join::OnlyInRegion);
                states[g].add(&units[i as usize]);
            }
            None => rest.push((pos, i)),
        }
    }
    sweep(&ctx, &rest, &mut groups, &mut states, false);
    exact_duplicates(&ctx, &undated, &mut groups, &mut states);
    Fused { groups }
}

/// The reports' indices in the order fusion takes them: day (undated
/// last), then incident ids, then sentence; identical reports (the same
/// incident ids, e.g. one file given twice) once, and incidents that an
/// event given as input already holds not again.
fn canonical_order(units: &[Unit]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..units.len() as u32).collect();
    let key = |i: &u32| {
        let u = &units[*i as usize];
        (u.day.unwrap_or(i32::MAX), &u.ids[..], &u.evidence)
    };
    {
        use rayon::prelude::*;
        order.par_sort_by(|a, b| key(a).cmp(&key(b)));
    }
    order.dedup_by(|a, b| units[*a as usize].ids == units[*b as usize].ids);
    let held: std::collections::HashSet<&str> = units
        .iter()
        .filter(|u| u.is_prior_event())
        .flat_map(|u| u.ids.iter().map(|s| &**s))
        .collect();
    if !held.is_empty() {
        order.retain(|&i| {
            let u = &units[i as usize];
            u.is_prior_event() || !u.ids.iter().all(|id| held.contains(&**id))
        });
    }
    order
}

/// Pass 1 (`precise`) or the region-level part of pass 2: the sweep.
fn sweep(
    ctx: &Ctx<'_>,
    items: &[(u32, u32)],
    groups: &mut Vec<Group>,
    states: &mut Vec<State>,
    precise: bool,
) {
    let o = &ctx.rules.options;
    let mut grid = Grid::new(o.fuse_km.max(o.site_km));
    let mut by_place: FastMap<Sym, Vec<usize>> = FastMap::default();
    let mut open: VecDeque<usize> = VecDeque::new();
    let mut cand = Vec::new();
    let start = groups.len();
    for &(pos, i) in items {
        let u = &ctx.units[i as usize];
        let day = u.day.unwrap_or_default();
        while let Some(&g) = open.front() {
            if states[g].first_day >= day - 1 {
                break;
            }
            open.pop_front();
            for (gaz, _, pt) in &states[g].places {
                by_place.entry(*gaz).or_default().retain(|x| *x != g);
                if precise {
                    grid.remove(*pt, g);
                }
            }
        }
        cand.clear();
        if let Some(v) = by_place.get(&u.gazetteer_id) {
            cand.extend_from_slice(v);
        }
        if precise {
            grid.near(u.point, &mut cand);
        }
        cand.sort_unstable();
        cand.dedup();
        let best = cand
            .iter()
            .filter_map(|&g| ctx.fit(u, &groups[g], &states[g]).map(|(s, j)| (s, g, j)))
            .min_by(|a, b| a.0.cmp(&b.0));
        let g = match best {
            Some((_, g, join)) => {
                groups[g].units.push(i);
                groups[g].joins.push(join);
                g
            }
            None => {
                groups.push(Group {
                    units: vec![i],
                    joins: vec![Join::First],
                });
                states.push(State {
                    first_day: day,
                    key: pos,
                    ..State::default()
                });
                open.push_back(groups.len() - 1);
                groups.len() - 1
            }
        };
        let known = states[g].places.len();
        states[g].add(u);
        for p in states[g].places[known..].iter().copied() {
            by_place.entry(p.0).or_default().push(g);
            if precise {
                grid.insert(p.2, g);
            }
        }
    }
    if !precise {
        for g in groups[start..].iter_mut().filter(|g| g.joins.len() > 1) {
            for j in g.joins.iter_mut().skip(1) {
                if let Join::SamePlace { gap } = *j {
                    *j = Join::SameRegion { gap };
                }
            }
        }
    }
}

/// The precise events of pass 1 by day, for region-level reports, with
/// the answers already found (the same region, day and type give the same
/// candidate).
struct RegionIndex {
    by_day: HashMap<i32, Vec<usize>>,
    inside: HashMap<(Sym, Sym), bool>,
    found: HashMap<(Sym, i32, Sym), Option<usize>>,
}

impl RegionIndex {
    fn new(ctx: &Ctx<'_>, groups: &[Group], states: &[State]) -> Self {
        let mut by_day: HashMap<i32, Vec<usize>> = HashMap::new();
        for (g, s) in states.iter().enumerate().take(groups.len()) {
            let last = groups[g]
                .units
                .iter()
                .filter_map(|&m| ctx.units[m as usize].day)
                .max()
                .unwrap_or(s.first_day);
            for d in s.first_day..=last {
                by_day.entry(d).or_default().push(g);
            }
        }
        RegionIndex {
            by_day,
            inside: HashMap::new(),
            found: HashMap::new(),
        }
    }

    /// Whether gazetteer place `place` at `pt` lies in region `region`.
    fn inside(&mut self, ctx: &Ctx<'_>, region: Sym, place: Sym, pt: (f64, f64)) -> bool {
        use geo::{BoundingRect, Intersects};
        *self.inside.entry((region, place)).or_insert_with(|| {
            let Some(g) = ctx.c.regions.get(&region) else {
                return false;
            };
            let p = geo::Point::new(pt.0, pt.1);
            g.bounding_rect().is_some_and(|r| r.intersects(&p)) && g.intersects(&p)
        })
    }

    /// The one precise event of the report's day in its region whose types
    /// fit, if there is exactly one (as pass 1 left the events).
    fn candidate(&mut self, ctx: &Ctx<'_>, u: &Unit, states: &[State]) -> Option<usize> {
        let day = u.day?;
        if !ctx.c.regions.contains_key(&u.gazetteer_id) {
            return None;
        }
        let key = (u.gazetteer_id, day, u.sub_event_type);
        if let Some(f) = self.found.get(&key) {
            return *f;
        }
        let mut found = None;
        let mut many = false;
        let list = self.by_day.get(&day).cloned().unwrap_or_default();
        for g in list {
            let s = &states[g];
            if !ctx.types_fit(u, s) {
                continue;
            }
            let places: Vec<(Sym, (f64, f64))> = s.places.iter().map(|p| (p.0, p.2)).collect();
            if places
                .iter()
                .any(|(p, pt)| self.inside(ctx, u.gazetteer_id, *p, *pt))
            {
                many |= found.is_some();
                found = Some(g);
            }
        }
        let f = if many { None } else { found };
        self.found.insert(key, f);
        f
    }
}

/// Pass 3: undated reports fuse only with exact duplicates.
fn exact_duplicates(
    ctx: &Ctx<'_>,
    items: &[(u32, u32)],
    groups: &mut Vec<Group>,
    states: &mut Vec<State>,
) {
    type Key<'a> = (Option<Sym>, Sym, Sym, &'a str);
    let mut open: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    for &(pos, i) in items {
        let u = &ctx.units[i as usize];
        let key = (u.date, u.gazetteer_id, u.sub_event_type, &*u.evidence);
        let list = open.entry(key).or_default();
        let fit = list.iter().copied().find(|&g| {
            !u.evidence.is_empty()
                && Ctx::disjoint(u, &states[g])
                && !(states[g].prior && u.is_prior_event())
        });
        match fit {
            Some(g) => {
                groups[g].units.push(i);
                groups[g].joins.push(Join::Duplicate);
                states[g].add(u);
            }
            None => {
                groups.push(Group {
                    units: vec![i],
                    joins: vec![Join::First],
                });
                let mut s = State {
                    key: pos,
                    ..State::default()
                };
                s.add(u);
                states.push(s);
                list.push(groups.len() - 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{build_layer, Collector, Draft, Rules};

    /// A report: article, day of September 2022, place id, precision, km
    /// north of Goris, sub-event type, killed, evidence.
    fn report(
        (file, day, place, precision, km_north): (&str, u32, &str, u8, f64),
        sub: &str,
        killed: Option<u32>,
        evidence: &str,
    ) -> Draft {
        Draft {
            ids: vec![format!("{file}#{place}{day}:{evidence}")],
            source_files: vec![format!("{file}.txt")],
            event_date: Some(format!("2022-09-{day:02}")),
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: sub.into(),
            location: place.into(),
            gazetteer_id: place.into(),
            geo_precision: precision,
            point: (46.3382, 39.5111 + km_north / 111.2),
            fatalities: killed,
            evidence: evidence.into(),
            ..Draft::default()
        }
    }

    const SHELL: &str = "Shelling/artillery/missile attack";

    fn layer(drafts: &[Draft]) -> Vec<Vec<String>> {
        let rules = Rules::default();
        let mut c = Collector::new();
        for d in drafts {
            let night = rules.night.says_night(&d.evidence);
            c.push(d.clone(), night);
        }
        let l = build_layer(&c, &rules, false);
        let mut v: Vec<Vec<String>> = l.events().map(|e| e.incident_ids).collect();
        v.sort();
        v
    }

    #[test]
    fn the_rules_as_a_table() {
        let a = |day, place, p, km, sub, ev: &str| report(("a", day, place, p, km), sub, None, ev);
        let b = |day, place, p, km, sub, ev: &str| report(("b", day, place, p, km), sub, None, ev);
        // (reports, how many events)
        let cases: Vec<(&str, Vec<Draft>, usize)> = vec![
            (
                "same place, same day",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "goris", 1, 0.0, SHELL, "y"),
                ],
                1,
            ),
            (
                "same place, next day",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(14, "goris", 1, 0.0, SHELL, "y"),
                ],
                2,
            ),
            (
                "next day, overnight",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(14, "goris", 1, 0.0, SHELL, "Shelling overnight"),
                ],
                1,
            ),
            (
                "two days apart, overnight",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "overnight"),
                    b(15, "goris", 1, 0.0, SHELL, "overnight"),
                ],
                2,
            ),
            (
                "villages 5 km apart",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "akner", 1, 5.0, SHELL, "y"),
                ],
                2,
            ),
            (
                "two entries 1 km apart",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "goris2", 1, 1.0, SHELL, "y"),
                ],
                1,
            ),
            (
                "near a village 8 km away",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "akner", 2, 8.0, SHELL, "y"),
                ],
                1,
            ),
            (
                "near, 14 km away",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "akner", 2, 14.0, SHELL, "y"),
                ],
                2,
            ),
            (
                "clash and shelling",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "goris", 1, 0.0, "Armed clash", "y"),
                ],
                1,
            ),
            (
                "protest and shelling",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    b(13, "goris", 1, 0.0, "Peaceful protest", "y"),
                ],
                2,
            ),
            (
                "one article, two reports",
                vec![
                    a(13, "goris", 1, 0.0, SHELL, "x"),
                    a(13, "goris", 2, 0.0, SHELL, "y"),
                ],
                2,
            ),
        ];
        for (what, drafts, want) in cases {
            assert_eq!(layer(&drafts).len(), want, "{what}");
            let mut rev = drafts.clone();
            rev.reverse();
            assert_eq!(layer(&rev), layer(&drafts), "{what}: input order");
        }
    }

    #[test]
    fn a_region_report_joins_only_the_only_event_of_its_region() {
        use geo::{LineString, Polygon};
        let square = |w: f64, s: f64, e: f64, n: f64| {
            geo::Geometry::Polygon(Polygon::new(
                LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]),
                vec![],
            ))
        };
        let mut region = report(
            ("c", 13, "syunik", 3, 0.0),
            SHELL,
            None,
            "shelling in Syunik",
        );
        region.region = Some(square(45.5, 39.0, 47.0, 40.0).into());
        let one = vec![
            report(("a", 13, "goris", 1, 0.0), SHELL, Some(1), "x"),
            region.clone(),
        ];
        assert_eq!(layer(&one).len(), 1);
        let two = vec![
            report(("a", 13, "goris", 1, 0.0), SHELL, Some(1), "x"),
            report(("b", 13, "jermuk", 1, 40.0), SHELL, None, "y"),
            region.clone(),
        ];
        assert_eq!(
            layer(&two).len(),
            3,
            "two events in the region: the report stays apart"
        );
        let elsewhere = vec![
            report(("a", 13, "goris", 1, 300.0), SHELL, Some(1), "x"),
            region,
        ];
        assert_eq!(
            layer(&elsewhere).len(),
            2,
            "the event lies outside the region"
        );
    }

    #[test]
    fn incidents_of_an_input_event_are_not_fused_again() {
        let rules = Rules::default();
        let mut c = Collector::new();
        let a = report(("a", 13, "goris", 1, 0.0), SHELL, Some(1), "x");
        let b = report(("b", 13, "goris", 1, 0.0), SHELL, Some(2), "y");
        let mut event = a.clone();
        event.ids = vec![a.ids[0].clone(), b.ids[0].clone()];
        event.source_files = vec!["a.txt".into(), "b.txt".into()];
        event.prior_note = Some("2 reports".into());
        for d in [event, a, b] {
            c.push(d, false);
        }
        let l = build_layer(&c, &rules, false);
        assert_eq!(l.len(), 1);
        assert_eq!(l.event(0).fusion_note, "2 reports");
    }

    #[test]
    fn exact_copies_fuse_even_undated_and_tolls_range() {
        let mut a = report(
            ("a", 13, "goris", 1, 0.0),
            SHELL,
            Some(3),
            "Three were killed in Goris.",
        );
        let mut b = report(
            ("b", 13, "goris", 1, 0.0),
            SHELL,
            Some(3),
            "Three were killed in Goris.",
        );
        for d in [&mut a, &mut b] {
            d.event_date = Some("2022-09".into());
        }
        assert_eq!(layer(&[a.clone(), b.clone()]).len(), 1);
        b.evidence = "Other words.".into();
        assert_eq!(layer(&[a, b]).len(), 2, "undated and not a copy");
        let rules = Rules::default();
        let mut c = Collector::new();
        for (f, n) in [("a", 1), ("b", 3), ("c", 2)] {
            c.push(report((f, 13, "goris", 1, 0.0), SHELL, Some(n), f), false);
        }
        let l = build_layer(&c, &rules, false);
        let e = &l.event(0);
        assert_eq!(
            (e.fatalities, e.fatalities_low, e.fatalities_high),
            (Some(1), Some(1), Some(3))
        );
        assert_eq!(e.sources, 3);
        assert!(
            e.fusion_note.starts_with("3 reports from 3 articles"),
            "{}",
            e.fusion_note
        );
    }
}
