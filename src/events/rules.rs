//! The fusion rules as pure functions: which days, places and types may be
//! one event. The data they read (compatible types, night words) are the
//! tables `gazetteer/fusion-types.tsv` and `gazetteer/fusion-night.tsv`.

use std::collections::{HashMap, HashSet};

use super::EventsError;

/// The bundled type-compatibility table.
pub const BUNDLED_TYPES: &str = include_str!("../../gazetteer/fusion-types.tsv");
/// The bundled night words.
pub const BUNDLED_NIGHT: &str = include_str!("../../gazetteer/fusion-night.tsv");

/// Settings of the fusion (the `--fuse-km` and `--site-km` flags).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuseOptions {
    /// Two places at most this far apart are one place when one of them is
    /// imprecise (geo_precision 2: "near X", a district, a road).
    pub fuse_km: f64,
    /// Two named sites (geo_precision 1) with different gazetteer entries are
    /// one place only this close (one town under two entries, a quarter).
    pub site_km: f64,
}

/// Default of `--fuse-km`.
pub const DEFAULT_FUSE_KM: f64 = 10.0;
/// Default of `--site-km`.
pub const DEFAULT_SITE_KM: f64 = 2.0;

impl Default for FuseOptions {
    fn default() -> Self {
        FuseOptions {
            fuse_km: DEFAULT_FUSE_KM,
            site_km: DEFAULT_SITE_KM,
        }
    }
}

/// Rows of a table file: (line number, cells), comments and blank lines
/// skipped, the header checked.
fn rows<'a>(
    path: &str,
    text: &'a str,
    header: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>, EventsError> {
    let mut out = Vec::new();
    let mut seen_header = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if !seen_header {
            if cells != header {
                return Err(EventsError::Table {
                    path: path.to_string(),
                    line: i + 1,
                    message: format!(
                        "header {line:?} should be {:?} (tab-separated)",
                        header.join("\t")
                    ),
                });
            }
            seen_header = true;
            continue;
        }
        if cells.len() != header.len() || cells.iter().any(|c| c.is_empty()) {
            return Err(EventsError::Table {
                path: path.to_string(),
                line: i + 1,
                message: format!(
                    "row {line:?} should have {} non-empty tab-separated cells",
                    header.len()
                ),
            });
        }
        out.push((i + 1, cells));
    }
    Ok(out)
}

/// Which sub-event types may be one incident, and which one an evenly
/// split event takes.
#[derive(Debug, Clone, Default)]
pub struct TypeTable {
    /// Unordered pair (smaller first) -> the type a tie takes.
    pairs: HashMap<(String, String), String>,
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

impl TypeTable {
    /// Parse a `fusion-types.tsv` (columns `sub_event_type_a`,
    /// `sub_event_type_b`, `tie`).
    pub fn parse(path: &str, text: &str) -> Result<Self, EventsError> {
        let mut pairs = HashMap::new();
        for (line, c) in rows(path, text, &["sub_event_type_a", "sub_event_type_b", "tie"])? {
            if c[2] != c[0] && c[2] != c[1] {
                return Err(EventsError::Table {
                    path: path.to_string(),
                    line,
                    message: format!(
                        "tie {:?} should be one of the row's two types ({:?}, {:?})",
                        c[2], c[0], c[1]
                    ),
                });
            }
            pairs.insert(pair(c[0], c[1]), c[2].to_string());
        }
        Ok(TypeTable { pairs })
    }

    /// The bundled table.
    pub fn bundled() -> Self {
        TypeTable::parse("gazetteer/fusion-types.tsv", BUNDLED_TYPES)
            .expect("the bundled fusion-types.tsv parses (a unit test checks it)")
    }

    /// Whether two sub-event types may describe one incident.
    pub fn compatible(&self, a: &str, b: &str) -> bool {
        a == b || self.pairs.contains_key(&pair(a, b))
    }

    /// The type an event split evenly between `a` and `b` takes: the table's
    /// `tie`, else the alphabetically first.
    pub fn tie<'a>(&self, a: &'a str, b: &'a str) -> &'a str {
        match self.pairs.get(&pair(a, b)) {
            Some(t) if t == b => b,
            Some(_) => a,
            None => a.min(b),
        }
    }
}

/// Words saying an incident happened at night (`fusion-night.tsv`),
/// searched in one pass (case-insensitive for ASCII; other scripts' words
/// are matched in both cases).
#[derive(Debug, Clone)]
pub struct NightWords {
    phrases: Vec<String>,
    matcher: aho_corasick::AhoCorasick,
}

impl Default for NightWords {
    fn default() -> Self {
        NightWords::from_phrases(Vec::new())
    }
}

impl NightWords {
    fn from_phrases(phrases: Vec<String>) -> Self {
        // Each phrase as given lowercased and with a capital first letter
        // (non-ASCII letters have no ASCII case folding).
        let mut patterns: Vec<String> = Vec::new();
        for p in &phrases {
            patterns.push(p.clone());
            let mut c = p.chars();
            if let Some(f) = c.next() {
                patterns.push(f.to_uppercase().chain(c).collect());
            }
        }
        let matcher = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)
            .expect("a few short phrases always build");
        NightWords { phrases, matcher }
    }

    /// Parse a `fusion-night.tsv` (column `phrase`).
    pub fn parse(path: &str, text: &str) -> Result<Self, EventsError> {
        let mut phrases: Vec<String> = rows(path, text, &["phrase"])?
            .into_iter()
            .map(|(_, c)| c[0].to_lowercase())
            .collect();
        phrases.sort();
        phrases.dedup();
        Ok(NightWords::from_phrases(phrases))
    }

    /// The bundled words.
    pub fn bundled() -> Self {
        NightWords::parse("gazetteer/fusion-night.tsv", BUNDLED_NIGHT)
            .expect("the bundled fusion-night.tsv parses (a unit test checks it)")
    }

    /// The phrases, lowercased.
    pub fn phrases(&self) -> &[String] {
        &self.phrases
    }

    /// Whether `text` holds one of the phrases as whole words.
    pub fn says_night(&self, text: &str) -> bool {
        self.matcher.find_overlapping_iter(text).any(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }
}

/// Whether two reports' days may be one event's: the same day, or one day
/// apart when either says the incident was at night or their articles'
/// publication dates differ (a report filed after midnight).
pub fn days_compatible(gap: i64, night: bool, published_differ: bool) -> bool {
    match gap.abs() {
        0 => true,
        1 => night || published_differ,
        _ => false,
    }
}

/// A place as fusion sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaceKey<'a> {
    pub gazetteer_id: &'a str,
    pub precision: u8,
    /// (lon, lat)
    pub point: (f64, f64),
}

/// Whether two precise places (geo_precision 1 or 2) are one place: the
/// same gazetteer entry; two named sites at most `site_km` apart; else,
/// when either is imprecise (2), at most `fuse_km` apart. Returns the
/// distance when the places are one.
pub fn places_compatible(a: PlaceKey<'_>, b: PlaceKey<'_>, opts: &FuseOptions) -> Option<f64> {
    let km = haversine_km(a.point, b.point);
    if !a.gazetteer_id.is_empty() && a.gazetteer_id == b.gazetteer_id {
        return Some(km);
    }
    if a.precision > 2 || b.precision > 2 {
        return None;
    }
    let limit = if a.precision == 1 && b.precision == 1 {
        opts.site_km
    } else {
        opts.fuse_km
    };
    (km <= limit).then_some(km)
}

/// Great-circle distance in km between two (lon, lat) points.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    use geo::{Distance, Haversine, Point};
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0
}

/// Whether every pair of `types` is compatible.
pub fn all_compatible<'a>(table: &TypeTable, types: impl IntoIterator<Item = &'a str>) -> bool {
    let types: HashSet<&str> = types.into_iter().collect();
    let v: Vec<&str> = types.into_iter().collect();
    v.iter()
        .enumerate()
        .all(|(i, a)| v[i + 1..].iter().all(|b| table.compatible(a, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tables_parse() {
        let t = TypeTable::bundled();
        assert!(t.pairs.len() >= 15);
        NightWords::bundled();
    }

    #[test]
    fn type_compatibility_table() {
        let t = TypeTable::bundled();
        let cases = [
            ("Armed clash", "Armed clash", true),
            ("Armed clash", "Shelling/artillery/missile attack", true),
            ("Shelling/artillery/missile attack", "Armed clash", true),
            ("Peaceful protest", "Armed clash", false),
            ("Peaceful protest", "Air/drone strike", false),
            ("Agreement", "Armed clash", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(t.compatible(a, b), want, "{a} / {b}");
        }
        assert_eq!(
            t.tie("Shelling/artillery/missile attack", "Armed clash"),
            "Armed clash"
        );
        assert_eq!(
            t.tie("Armed clash", "Shelling/artillery/missile attack"),
            "Armed clash"
        );
        assert_eq!(t.tie("Zeta", "Alpha"), "Alpha");
        assert!(all_compatible(
            &t,
            ["Armed clash", "Attack", "Shelling/artillery/missile attack"]
        ));
        assert!(!all_compatible(
            &t,
            ["Armed clash", "Attack", "Peaceful protest"]
        ));
    }

    #[test]
    fn bad_tables_name_the_line_and_the_fix() {
        let e = TypeTable::parse("t.tsv", "a\tb\n").unwrap_err().to_string();
        assert!(e.starts_with("t.tsv:1: header \"a\\tb\""), "{e}");
        let e = TypeTable::parse(
            "t.tsv",
            "# c\nsub_event_type_a\tsub_event_type_b\ttie\nArmed clash\tAttack\tGrenade\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("t.tsv:3: tie \"Grenade\""), "{e}");
        let e = NightWords::parse("n.tsv", "phrase\n\tx\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("n.tsv:2:"), "{e}");
    }

    #[test]
    fn night_words_are_whole_words() {
        let n = NightWords::bundled();
        for (text, want) in [
            ("Shelling overnight hit the town.", true),
            ("Last night, drones struck.", true),
            ("During the night of 12 July fighting resumed.", true),
            ("The knight overnighted nothing.", false),
            ("Fighting on Tuesday.", false),
            ("Ночью город обстреляли.", true),
        ] {
            assert_eq!(n.says_night(text), want, "{text}");
        }
    }

    #[test]
    fn day_rule_table() {
        for (gap, night, published, want) in [
            (0, false, false, true),
            (1, false, false, false),
            (-1, true, false, true),
            (1, false, true, true),
            (2, true, true, false),
        ] {
            assert_eq!(days_compatible(gap, night, published), want, "{gap}");
        }
    }

    #[test]
    fn place_rule_table() {
        let o = FuseOptions::default();
        let goris = PlaceKey {
            gazetteer_id: "gn-1",
            precision: 1,
            point: (46.3382, 39.5111),
        };
        let km = |dlat: f64| (46.3382, 39.5111 + dlat / 111.2);
        let at = |id, precision, point| PlaceKey {
            gazetteer_id: id,
            precision,
            point,
        };
        // The same entry, whatever the distance between the points written.
        assert!(places_compatible(goris, at("gn-1", 1, km(30.0)), &o).is_some());
        // Two villages 1 km apart are one place; 5 km apart are not.
        assert!(places_compatible(goris, at("gn-2", 1, km(1.0)), &o).is_some());
        assert!(places_compatible(goris, at("gn-2", 1, km(5.0)), &o).is_none());
        // "Near" a place 8 km away: one place; 12 km: not.
        assert!(places_compatible(goris, at("gn-3", 2, km(8.0)), &o).is_some());
        assert!(places_compatible(goris, at("gn-3", 2, km(12.0)), &o).is_none());
        // A region is never "near": only the same entry.
        assert!(places_compatible(goris, at("region", 3, km(0.0)), &o).is_none());
        let wide = FuseOptions { fuse_km: 20.0, ..o };
        assert!(places_compatible(goris, at("gn-3", 2, km(12.0)), &wide).is_some());
    }
}
