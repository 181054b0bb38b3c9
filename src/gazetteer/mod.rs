//! The gazetteer: place names to coordinates.
//!
//! Data lives in plain files under `gazetteer/` (see `gazetteer/README.md`):
//! `places/*.tsv` for points, `features/*.geojson` for roads, borders, lines
//! and regions, and `demonyms.tsv` for adjectives and demonyms that must never
//! be read as places. The bundled files are embedded in the binary at build
//! time; `--gazetteer DIR` adds a user's own files on top. Other files are
//! ignored: `README.md`, `actors.tsv` (read by the actors module) and
//! `boundaries/` (country polygons used only by [`check`]). A loose `.tsv`
//! outside `places/` is read as places only if its header starts with `id`.
//!
//! # Loading
//!
//! Parsing is strict: every bad row or feature becomes one [`Problem`]
//! (`path:line: message`, the message quoting the bad value and saying how to
//! fix it) and is skipped; the rest loads. A feature is reported at the line
//! where it starts, with its index in the collection (`feature 3 (id ...)`).
//! Aliases repeated within a row (after [`normalize`]) are folded.
//!
//! # Overrides
//!
//! The bundled data is layer 0 and each `--gazetteer DIR` the next layer, in
//! order. A row in a later layer **replaces** the row with the same id from
//! an earlier layer (all its fields and names; no duplicate-id error). Within
//! one layer a repeated id is an error and the second row is skipped. So to
//! correct a bundled place, copy its row into your own `places/*.tsv`, keep
//! the id and change what is wrong. See [`Gazetteer::from_layers`].
//!
//! # Precedence
//!
//! When one name has several candidates and nothing else decides,
//! [`candidates`](Gazetteer::candidates) lists them in [`precedence`] order:
//!
//! 1. kind, in [`PlaceKind`] order: country, admin1, admin2, region,
//!    capital, city, town, village, site, road, border, line;
//! 2. population, largest first;
//! 3. id, alphabetically (only so that the order is stable).
//!
//! Countries deliberately outrank everything else: in news text "Georgia"
//! next to no other hint means the country, not the US state (an admin1),
//! and "Armenia" means the country, not the Colombian city. A [`Preference`]
//! (countries the article is about, or a bounding box) overrides this:
//! [`Gazetteer::candidates_preferring`] puts matching places first, so with a
//! preference for `US` the state of Georgia comes first. `gazetteer check`
//! warns about names that no rule decides (same normalized name, kind and
//! population).
//!
//! # Names
//!
//! Names are matched after [`normalize`]: case, diacritics, hyphens and
//! apostrophes are folded, so "Xankəndi", "XANKANDI" and "Xankandi" are one
//! key. [`Gazetteer::lookup`] adds transliteration (Cyrillic, Armenian,
//! Georgian) and misspelling tolerance on top; see the `lookup` module docs.
//!
//! # Speed
//!
//! Names live in one string arena with an open-addressing index, ASCII names
//! take a fast normalization path and other characters a precomputed table,
//! and big files are parsed on several threads. Loading the bundled data
//! (about 40 000 places, 206 000 names) takes about 100 ms in a release build
//! on a slow 2-vCPU VM (one that needs 12 ms just to allocate 206 000 short
//! strings); the fuzzy index is built on the first lookup only.

mod check;
mod geonames;
mod lookup;
mod names;
mod normalize;
mod parse;
mod translit;

pub use check::{check, check_with_boundaries, Boundaries};
pub use geonames::{
    import_geonames, import_geonames_from, read_admin_names, AdminNames, GeonamesImport,
};
pub use lookup::{format_candidates, Candidate};
pub use normalize::{normalize, normalize_into};
pub use parse::{representative_point, DEMONYMS_HEADER, PLACES_HEADER};
pub use translit::{skeleton, to_latin};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
    /// Each directory overrides the bundled data and the directories before it.
    pub extra_dirs: Vec<PathBuf>,
}

/// The loaded gazetteer.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    by_id: names::FastMap<String, PlaceIdx>,
    /// normalized name -> candidates in precedence order.
    by_name: names::NameIndex,
    /// normalized word -> demonym.
    demonyms: HashMap<String, Demonym>,
    /// Fuzzy-lookup index, built on first use of [`Gazetteer::lookup`].
    fuzzy: OnceLock<lookup::FuzzyIndex>,
}

/// One file's text and the path to report in messages.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub contents: &'a str,
}

/// A region to prefer when a name has several candidates (for example the
/// countries an article is about).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preference {
    /// ISO 3166-1 alpha-2 codes, most preferred first ("AZ", "AM").
    pub countries: Vec<String>,
    /// `[min_lon, min_lat, max_lon, max_lat]` (GeoJSON bbox order).
    pub bbox: Option<[f64; 4]>,
}

impl Preference {
    /// How strongly a place matches: lower is better. Places in the bbox and
    /// in a preferred country come first, then places matching either (a
    /// country earlier in the list before a later one), then the rest.
    pub(crate) fn rank(&self, p: &Place) -> (u8, usize) {
        let country = self
            .countries
            .iter()
            .position(|c| c.eq_ignore_ascii_case(&p.country));
        let in_box = self
            .bbox
            .is_some_and(|b| p.lon >= b[0] && p.lon <= b[2] && p.lat >= b[1] && p.lat <= b[3]);
        let hits = u8::from(country.is_some()) + u8::from(in_box);
        (2 - hits, country.unwrap_or(usize::MAX))
    }

    /// No preference at all.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.bbox.is_none()
    }
}

/// Collects places while loading: duplicate ids within a layer are errors
/// (second skipped); a later layer replaces an earlier layer's row.
struct Builder {
    places: Vec<Place>,
    by_id: names::FastMap<String, PlaceIdx>,
    layer_of: Vec<usize>,
    /// Normalized names of all places; `key_ranges[i]` are place i's.
    keys: names::KeyList,
    key_ranges: Vec<std::ops::Range<usize>>,
    demonyms: HashMap<String, Demonym>,
    layer: usize,
}

impl parse::Sink for Builder {
    fn keys(&mut self) -> &mut names::KeyList {
        &mut self.keys
    }

    fn place(&mut self, place: Place, keys: std::ops::Range<usize>, problems: &mut Vec<Problem>) {
        match self.by_id.get(place.id.as_str()) {
            None => {
                self.by_id.insert(place.id.clone(), self.places.len());
                self.places.push(place);
                self.layer_of.push(self.layer);
                self.key_ranges.push(keys);
            }
            Some(&i) if self.layer_of[i] < self.layer => {
                self.places[i] = place;
                self.layer_of[i] = self.layer;
                self.key_ranges[i] = keys;
            }
            Some(&i) => {
                let first = &self.places[i].origin;
                problems.push(Problem {
                    path: place.origin.path.clone(),
                    line: place.origin.line,
                    message: format!(
                        "duplicate id {:?} (first defined at {}:{}); this entry is skipped: give it a different id or delete one of them",
                        place.id, first.path, first.line
                    ),
                    is_error: true,
                });
            }
        }
    }

    fn demonym(&mut self, key: String, demonym: Demonym) {
        if !key.is_empty() {
            self.demonyms.insert(key, demonym);
        }
    }
}

impl Gazetteer {
    /// Build a gazetteer from file contents. Rows that fail to parse are
    /// reported in the returned problems and skipped; the rest loads. All
    /// files form one layer: a repeated id is an error.
    pub fn from_sources(files: &[SourceFile<'_>]) -> (Gazetteer, Vec<Problem>) {
        Gazetteer::from_layers(&[files])
    }

    /// Build a gazetteer from layers of files. Within a layer a repeated id is
    /// an error and the second entry is skipped; an entry in a later layer
    /// replaces the entry with the same id from an earlier layer (no error).
    /// [`Gazetteer::load`] uses the bundled data as layer 0 and each
    /// `--gazetteer` directory as the next layer.
    pub fn from_layers(layers: &[&[SourceFile<'_>]]) -> (Gazetteer, Vec<Problem>) {
        let mut b = Builder {
            places: Vec::new(),
            by_id: names::FastMap::default(),
            layer_of: Vec::new(),
            keys: names::KeyList::default(),
            key_ranges: Vec::new(),
            demonyms: HashMap::new(),
            layer: 0,
        };
        let mut problems = Vec::new();
        // Rough sizes (a places row is about 100 bytes, a third of it names)
        // save repeated growing and copying.
        let bytes: usize = layers
            .iter()
            .flat_map(|l| l.iter())
            .map(|f| f.contents.len())
            .sum();
        b.places.reserve(bytes / 128);
        b.keys.arena.reserve(bytes / 3);
        b.keys.spans.reserve(bytes / 24);
        for (layer, files) in layers.iter().enumerate() {
            b.layer = layer;
            for f in files.iter() {
                match parse::classify(f.path, f.contents) {
                    Some(parse::FileKind::Places) => {
                        parse::parse_places_parallel(f, &mut b, &mut problems)
                    }
                    Some(parse::FileKind::Features) => {
                        parse::parse_features(f, &mut b, &mut problems)
                    }
                    Some(parse::FileKind::Demonyms) => {
                        parse::parse_demonyms(f, &mut b, &mut problems)
                    }
                    None => {}
                }
            }
        }
        let mut by_name = names::NameIndex::build(b.keys, &b.key_ranges);
        let places = &b.places;
        by_name.sort_candidates(|x, y| precedence(&places[x], &places[y]));
        let g = Gazetteer {
            places: b.places,
            by_id: b.by_id,
            by_name,
            demonyms: b.demonyms,
            fuzzy: OnceLock::new(),
        };
        (g, problems)
    }

    /// Load the bundled data (unless disabled) and the extra directories.
    /// See the module docs for how user directories override bundled rows.
    pub fn load(opts: &LoadOptions) -> Result<(Gazetteer, Vec<Problem>), GazetteerError> {
        let mut user: Vec<Vec<(String, String)>> = Vec::new();
        for d in &opts.extra_dirs {
            user.push(read_source_dir(d)?);
        }
        let bundled: Vec<SourceFile<'static>> = if opts.no_bundled {
            Vec::new()
        } else {
            bundled_sources()
        };
        let user_files: Vec<Vec<SourceFile<'_>>> = user.iter().map(|l| as_sources(l)).collect();
        let mut layers: Vec<&[SourceFile<'_>]> = vec![&bundled];
        layers.extend(user_files.iter().map(Vec::as_slice));
        Ok(Gazetteer::from_layers(&layers))
    }

    /// The place with this id.
    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    /// The index of the place with this id.
    pub fn idx_of(&self, id: &str) -> Option<PlaceIdx> {
        self.by_id.get(id).copied()
    }

    /// Candidates for an already-normalized name, best first (see [`precedence`]).
    pub fn candidates(&self, normalized: &str) -> &[PlaceIdx] {
        self.by_name.get(normalized).map(|(_, c)| c).unwrap_or(&[])
    }

    /// Candidates for an already-normalized name: those matching the
    /// preference first (see [`Preference`]), each group in [`precedence`]
    /// order. With an empty preference this equals [`Gazetteer::candidates`].
    pub fn candidates_preferring(&self, normalized: &str, pref: &Preference) -> Vec<PlaceIdx> {
        let mut v = self.candidates(normalized).to_vec();
        if !pref.is_empty() {
            v.sort_by_key(|&i| pref.rank(&self.places[i]));
        }
        v
    }

    /// Every (normalized name, candidates) pair, for building a matcher.
    pub fn names(&self) -> impl Iterator<Item = (&str, &[PlaceIdx])> {
        self.by_name.iter()
    }

    /// Number of distinct normalized names.
    pub fn name_count(&self) -> usize {
        self.by_name.len()
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

/// Precedence between two candidates for one name (see the module docs):
/// kind in [`PlaceKind`] order (countries first), then population
/// (largest first), then id.
pub fn precedence(a: &Place, b: &Place) -> std::cmp::Ordering {
    a.kind
        .cmp(&b.kind)
        .then(b.population.cmp(&a.population))
        .then(a.id.cmp(&b.id))
}

/// The files embedded in the binary, with paths such as `gazetteer/places/caucasus.tsv`.
pub fn bundled_sources() -> Vec<SourceFile<'static>> {
    bundled::FILES
        .iter()
        .map(|(p, c)| SourceFile {
            path: p,
            contents: c,
        })
        .collect()
}

/// Borrow owned `(path, contents)` pairs as [`SourceFile`]s.
pub fn as_sources(owned: &[(String, String)]) -> Vec<SourceFile<'_>> {
    owned
        .iter()
        .map(|(p, c)| SourceFile {
            path: p,
            contents: c,
        })
        .collect()
}

/// Read every `.tsv` and `.geojson` file under a gazetteer directory (sorted,
/// skipping `boundaries/`), as `(path, contents)` pairs for [`as_sources`].
pub fn read_source_dir(dir: &Path) -> Result<Vec<(String, String)>, GazetteerError> {
    if !dir.is_dir() {
        return Err(GazetteerError::MissingDir {
            path: dir.to_path_buf(),
        });
    }
    let mut paths = Vec::new();
    collect_files(dir, &mut paths).map_err(|e| GazetteerError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let c = std::fs::read_to_string(&p).map_err(|e| GazetteerError::Io {
            path: p.clone(),
            source: e,
        })?;
        out.push((p.display().to_string(), c));
    }
    Ok(out)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "boundaries") {
                continue;
            }
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
