//! The gazetteer: place names to coordinates.
//!
//! Data lives in plain files under `gazetteer/` (see `gazetteer/README.md`):
//! `places/*.tsv` for points, `features/*.geojson` for roads, borders, lines
//! and regions, and `demonyms.tsv` for adjectives and demonyms that must never
//! be read as places. The bundled files are embedded in the binary at build
//! time; `--gazetteer DIR` adds a user's own files on top.
//!
//! Names are matched after [`normalize`]: case, diacritics, hyphens and
//! apostrophes are folded, so "Xankəndi", "XANKANDI" and "Khankandi" can all
//! be indexed and found.

mod normalize;

pub use normalize::normalize;

use std::collections::HashMap;
use std::path::PathBuf;

use geo::Geometry;

/// What sort of place an entry is. The order is the precedence used when one
/// name has several candidates and nothing else decides (see `gazetteer/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    Country,
    Admin1,
    Admin2,
    Region,
    Capital,
    City,
    Town,
    Village,
    Site,
    Road,
    Border,
    Line,
}

impl PlaceKind {
    /// Parse the `kind` column.
    pub fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "country" => PlaceKind::Country,
            "admin1" => PlaceKind::Admin1,
            "admin2" => PlaceKind::Admin2,
            "region" => PlaceKind::Region,
            "capital" => PlaceKind::Capital,
            "city" => PlaceKind::City,
            "town" => PlaceKind::Town,
            "village" => PlaceKind::Village,
            "site" => PlaceKind::Site,
            "road" => PlaceKind::Road,
            "border" => PlaceKind::Border,
            "line" => PlaceKind::Line,
            _ => return None,
        })
    }

    /// The `kind` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Admin2 => "admin2",
            PlaceKind::Region => "region",
            PlaceKind::Capital => "capital",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::Site => "site",
            PlaceKind::Road => "road",
            PlaceKind::Border => "border",
            PlaceKind::Line => "line",
        }
    }

    /// A settlement (capital, city, town, village).
    pub fn is_settlement(self) -> bool {
        matches!(
            self,
            PlaceKind::Capital | PlaceKind::City | PlaceKind::Town | PlaceKind::Village
        )
    }

    /// An area larger than a settlement (country, admin units, named regions).
    pub fn is_area(self) -> bool {
        matches!(
            self,
            PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Region
        )
    }

    /// A linear feature (road, border section, line of contact).
    pub fn is_linear(self) -> bool {
        matches!(self, PlaceKind::Road | PlaceKind::Border | PlaceKind::Line)
    }
}

/// Where an entry was read from, for error messages (`path:line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: String,
    pub line: usize,
}

/// One gazetteer entry.
#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    /// Display name.
    pub name: String,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2, or empty.
    pub country: String,
    pub admin1: String,
    /// Representative point.
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Every alias (not including `name`).
    pub names: Vec<String>,
    pub source: String,
    /// Full geometry (a Point for point rows).
    pub geometry: Geometry<f64>,
    pub origin: Origin,
}

/// Index of a place in [`Gazetteer::places`].
pub type PlaceIdx = usize;

/// An adjective or demonym ("Azerbaijani", "Turkish", "Armenians").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demonym {
    pub word: String,
    /// ISO 3166-1 alpha-2, or empty (e.g. "Kurdish").
    pub country: String,
    /// `adjective` or `demonym`.
    pub kind: String,
}

/// A problem found while loading or checking gazetteer files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: usize,
    pub message: String,
    /// Errors make `gazetteer check` fail; warnings do not.
    pub is_error: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Errors that stop a gazetteer from loading at all.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("gazetteer directory {path:?} not found: pass an existing directory to --gazetteer")]
    MissingDir { path: PathBuf },
    #[error("cannot read gazetteer file {path:?}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// How to load the gazetteer.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Skip the data embedded in the binary.
    pub no_bundled: bool,
    /// Extra directories of gazetteer files (same layout as `gazetteer/`).
    pub extra_dirs: Vec<PathBuf>,
}

/// The loaded gazetteer.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    by_id: HashMap<String, PlaceIdx>,
    /// normalized name -> candidates in precedence order.
    by_name: HashMap<String, Vec<PlaceIdx>>,
    /// normalized word -> demonym.
    demonyms: HashMap<String, Demonym>,
}

/// One file's text and the path to report in messages.
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub contents: &'a str,
}

impl Gazetteer {
    /// Build a gazetteer from file contents. Rows that fail to parse are
    /// reported in the returned problems and skipped; the rest loads.
    pub fn from_sources(files: &[SourceFile<'_>]) -> (Gazetteer, Vec<Problem>) {
        let mut g = Gazetteer::default();
        let mut problems = Vec::new();
        for f in files {
            if f.path.ends_with("demonyms.tsv") {
                g.load_demonyms(f, &mut problems);
            } else if f.path.ends_with(".tsv") {
                g.load_points(f, &mut problems);
            }
        }
        g.finish();
        (g, problems)
    }

    fn load_points(&mut self, f: &SourceFile<'_>, problems: &mut Vec<Problem>) {
        for (i, line) in f.contents.lines().enumerate().skip(1) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            let bad = |m: String| Problem {
                path: f.path.to_string(),
                line: i + 1,
                message: m,
                is_error: true,
            };
            if c.len() != 10 {
                problems.push(bad(format!(
                    "expected 10 tab-separated columns, found {}",
                    c.len()
                )));
                continue;
            }
            let (Ok(lat), Ok(lon)) = (c[5].parse::<f64>(), c[6].parse::<f64>()) else {
                problems.push(bad(format!("bad coordinates {:?}, {:?}", c[5], c[6])));
                continue;
            };
            let Some(kind) = PlaceKind::parse(c[2]) else {
                problems.push(bad(format!("unknown kind {:?}", c[2])));
                continue;
            };
            self.places.push(Place {
                id: c[0].to_string(),
                name: c[1].to_string(),
                kind,
                country: c[3].to_string(),
                admin1: c[4].to_string(),
                lat,
                lon,
                population: c[7].parse().unwrap_or(0),
                names: c[8]
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                source: c[9].to_string(),
                geometry: Geometry::Point(geo::Point::new(lon, lat)),
                origin: Origin {
                    path: f.path.to_string(),
                    line: i + 1,
                },
            });
        }
    }

    fn load_demonyms(&mut self, f: &SourceFile<'_>, _problems: &mut [Problem]) {
        for line in f.contents.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() >= 2 {
                self.demonyms.insert(
                    normalize(c[0]),
                    Demonym {
                        word: c[0].to_string(),
                        country: c[1].to_string(),
                        kind: c.get(2).unwrap_or(&"adjective").to_string(),
                    },
                );
            }
        }
    }

    fn finish(&mut self) {
        self.by_id.clear();
        self.by_name.clear();
        for (i, p) in self.places.iter().enumerate() {
            self.by_id.insert(p.id.clone(), i);
            for n in std::iter::once(&p.name).chain(p.names.iter()) {
                let key = normalize(n);
                if key.is_empty() {
                    continue;
                }
                let v = self.by_name.entry(key).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        let places = &self.places;
        for v in self.by_name.values_mut() {
            v.sort_by(|&a, &b| precedence(&places[a], &places[b]));
        }
    }

    /// Load the bundled data (unless disabled) and the extra directories.
    pub fn load(opts: &LoadOptions) -> Result<(Gazetteer, Vec<Problem>), GazetteerError> {
        let mut owned: Vec<(String, String)> = Vec::new();
        if !opts.no_bundled {
            for (p, c) in bundled::FILES {
                owned.push((format!("gazetteer/{p}"), c.to_string()));
            }
        }
        for d in &opts.extra_dirs {
            if !d.is_dir() {
                return Err(GazetteerError::MissingDir { path: d.clone() });
            }
            let mut paths = Vec::new();
            collect_files(d, &mut paths).map_err(|e| GazetteerError::Io {
                path: d.clone(),
                source: e,
            })?;
            paths.sort();
            for p in paths {
                let c = std::fs::read_to_string(&p).map_err(|e| GazetteerError::Io {
                    path: p.clone(),
                    source: e,
                })?;
                owned.push((p.display().to_string(), c));
            }
        }
        let files: Vec<SourceFile<'_>> = owned
            .iter()
            .map(|(p, c)| SourceFile {
                path: p,
                contents: c,
            })
            .collect();
        Ok(Gazetteer::from_sources(&files))
    }

    /// The place with this id.
    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    /// Candidates for an already-normalized name, best first.
    pub fn candidates(&self, normalized: &str) -> &[PlaceIdx] {
        self.by_name
            .get(normalized)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every (normalized name, candidates) pair, for building a matcher.
    pub fn names(&self) -> impl Iterator<Item = (&str, &[PlaceIdx])> {
        self.by_name.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The adjective or demonym for an already-normalized word.
    pub fn demonym(&self, normalized: &str) -> Option<&Demonym> {
        self.demonyms.get(normalized)
    }

    /// Every demonym, for building a matcher.
    pub fn demonyms(&self) -> impl Iterator<Item = (&str, &Demonym)> {
        self.demonyms.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The country entry for an ISO code.
    pub fn country(&self, iso2: &str) -> Option<&Place> {
        self.by_id(&format!("country-{}", iso2.to_ascii_lowercase()))
    }
}

/// Precedence between two candidates for one name: areas and bigger places
/// first (see `gazetteer/README.md`).
pub fn precedence(a: &Place, b: &Place) -> std::cmp::Ordering {
    a.kind
        .cmp(&b.kind)
        .then(b.population.cmp(&a.population))
        .then(a.id.cmp(&b.id))
}

fn collect_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            collect_files(&p, out)?;
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("tsv" | "geojson")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_gazetteer.rs"));
}
