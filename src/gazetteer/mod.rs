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
//! **Bundled data: a snapshot built at compile time.** `build.rs` includes
//! the parsing modules (`types`, `normalize`, `names`, `parse`, `layers`,
//! `snapshot`: they use only `std`, `geo`, `serde_json` and
//! `unicode-normalization`), builds the bundled gazetteer exactly as
//! [`Gazetteer::from_sources`] over [`bundled_sources`] does, and embeds the
//! result in the binary (the `snapshot` module describes the format). Cargo
//! reruns `build.rs` whenever a file under `gazetteer/` or `src/gazetteer/`
//! or `Cargo.lock` changes, so the snapshot is never stale, and a test
//! checks that it decodes to what parsing gives. [`Gazetteer::load`]
//! decodes it instead of parsing 6 MB of text: one `String` per field of
//! each place (the [`Place`] fields stay owned `String`s), raw arrays for
//! the hash tables, the origin path shared per file. About 35 ms in a fresh
//! process on the shared 2-vCPU VM, where parsing took 95-140 ms;
//! [`Gazetteer::from_sources`] and [`Gazetteer::from_layers`] (used by
//! `gazetteer check` and the tests) still parse.
//!
//! **User directories: parsed on top of the snapshot, then cached.** With
//! `--gazetteer`, the snapshot is layer 0 of the same builder
//! `from_layers` uses (it keeps each place's normalized names for that),
//! and only the user's files are parsed, on several threads for big files.
//! A directory of 1 MiB or more is then cached: the whole built gazetteer
//! and the problems found (reported again on every run) go to one file per
//! combination of directories in `$EVENTMAP_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/eventmap`, else `~/.cache/eventmap`. It is used only
//! while its stamp matches byte for byte (eventmap version and build, every
//! file's path, size, mtime and on Unix ctime, inode and device), written
//! atomically, checksummed, and rebuilt when anything is off; see the
//! `cache` module and [`Cache`]. `EVENTMAP_NO_CACHE=1` turns it off;
//! deleting the directory clears it. A 1,000,000-name directory: about
//! 1.5-2.5 s to parse and write the cache on the first run, 0.5-0.8 s from
//! the cache.
//!
//! Parsing itself: names live in one string arena with a compact
//! open-addressing index, ASCII names take a fast normalization path and
//! other characters a precomputed table, ids are indexed without copies.
//! The fuzzy-lookup index is built on the first [`Gazetteer::lookup`] only
//! (about 75 ms for the bundled data); later lookups take about 1 ms.

mod cache;
mod check;
mod display;
mod first;
mod geonames;
mod layers;
mod lookup;
mod names;
mod normalize;
mod parse;
mod snapshot;
mod translit;
mod types;

pub use cache::{Cache, CacheUse};
pub use check::{check, check_with_boundaries, Boundaries};
pub use display::DISPLAY_FILE;
pub use first::{is_alphanumeric, word_spans, FirstWord, FirstWords};
pub(crate) use first::{note_first_word, WordSpans};
pub use geonames::{
    import_geonames, import_geonames_from, read_admin_names, AdminNames, GeonamesImport,
};
pub use lookup::{format_candidates, format_candidates_with, Candidate, EXACT};
pub use normalize::{char_fold, normalize, normalize_char, normalize_into, CharFold};
pub(crate) use parse::actor_row;
pub use parse::{representative_point, DEMONYMS_HEADER, PLACES_HEADER};
pub use translit::{skeleton, to_latin};
pub use types::{
    precedence, printable, Demonym, Origin, Place, PlaceIdx, PlaceKind, Problem, SharedGeometry,
    SourceFile,
};

pub(crate) use names::{FastMap, FastSet};

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    #[error("no gazetteer to load: --no-bundled-gazetteer leaves out the bundled places, so give your own with --gazetteer DIR (or drop --no-bundled-gazetteer)")]
    Nothing,
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
    by_id: names::IdIndex,
    /// normalized name -> candidates in precedence order.
    by_name: names::NameIndex,
    /// normalized word -> demonym.
    demonyms: FastMap<String, Demonym>,
    /// First words of the names and demonyms (shared with the matchers).
    first: Arc<FirstWords>,
    /// Fuzzy-lookup index, built on first use of [`Gazetteer::lookup`].
    fuzzy: OnceLock<lookup::FuzzyIndex>,
    /// Country code -> the country's own row and its admin units, built on
    /// first use of [`Gazetteer::areas_of`].
    areas: OnceLock<FastMap<String, Vec<PlaceIdx>>>,
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
        let (built, problems) = layers::build_layers(layers);
        (Gazetteer::from_built(built), problems)
    }

    fn from_built(b: layers::Built) -> Gazetteer {
        Gazetteer {
            places: b.places,
            by_id: b.by_id,
            by_name: b.by_name,
            demonyms: b.demonyms,
            first: Arc::new(b.first),
            fuzzy: OnceLock::new(),
            areas: OnceLock::new(),
        }
    }

    /// Load the bundled data (unless disabled) and the extra directories.
    /// See the module docs for how user directories override bundled rows.
    /// Big directories are cached, see [`Cache::from_env`] and
    /// [`Gazetteer::load_with_cache`].
    pub fn load(opts: &LoadOptions) -> Result<(Gazetteer, Vec<Problem>), GazetteerError> {
        Gazetteer::load_with_cache(opts, Cache::from_env().as_ref()).map(|(g, p, _)| (g, p))
    }

    /// [`Gazetteer::load`] with this cache for the user directories (none:
    /// always parse them), saying what it did with the cache. The gazetteer
    /// and problems are the same either way; see the module docs (Speed).
    pub fn load_with_cache(
        opts: &LoadOptions,
        cache: Option<&Cache>,
    ) -> Result<(Gazetteer, Vec<Problem>, CacheUse), GazetteerError> {
        use cache::CacheUse;
        if opts.extra_dirs.is_empty() {
            if opts.no_bundled {
                return Err(GazetteerError::Nothing);
            }
            let (g, p) = Gazetteer::bundled();
            return Ok((g, p, CacheUse::None));
        }
        // Stamp the files before reading them, so that a file changed
        // meanwhile is read again next time.
        let dirs = opts
            .extra_dirs
            .iter()
            .map(|d| cache::Listing::of(d))
            .collect::<Result<Vec<_>, _>>()?;
        let entry = cache.and_then(|c| cache::entry(c, opts.no_bundled, &dirs));
        if let Some((built, problems)) = entry.as_ref().and_then(cache::Entry::read) {
            return Ok((Gazetteer::from_built(built), problems, CacheUse::Hit));
        }
        let user = dirs
            .iter()
            .map(cache::Listing::read)
            .collect::<Result<Vec<_>, _>>()?;
        // The bundled data as layer 0 (as `from_layers` would parse it),
        // then each directory.
        let (mut b, mut problems) = if opts.no_bundled {
            (layers::Builder::default(), Vec::new())
        } else {
            match bundled_snapshot(snapshot::Want::Keys) {
                Ok((built, problems)) => (layers::Builder::from_built(built), problems),
                Err(_) => {
                    let mut problems = Vec::new();
                    let mut b = layers::Builder::default();
                    b.add_layer(0, &bundled_sources(), &mut problems);
                    (b, problems)
                }
            }
        };
        b.reserve(user.iter().flatten().map(|(_, c)| c.len()).sum());
        for (i, files) in user.iter().enumerate() {
            b.add_layer(i + 1, &as_sources(files), &mut problems);
        }
        let built = b.finish();
        let used = match &entry {
            None => CacheUse::None,
            Some(e) if e.write(&built, &problems) => CacheUse::Written,
            Some(_) => CacheUse::NotWritten,
        };
        Ok((Gazetteer::from_built(built), problems, used))
    }

    /// The bundled data, decoded from the snapshot `build.rs` embeds (see
    /// the module docs); parsed from the embedded files if that fails
    /// (which a test makes sure it does not).
    fn bundled() -> (Gazetteer, Vec<Problem>) {
        match bundled_snapshot(snapshot::Want::Index) {
            Ok((built, problems)) => (Gazetteer::from_built(built), problems),
            Err(_) => Gazetteer::from_sources(&bundled_sources()),
        }
    }

    /// The place with this id.
    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.idx_of(id).map(|i| &self.places[i])
    }

    /// The index of the place with this id.
    pub fn idx_of(&self, id: &str) -> Option<PlaceIdx> {
        self.by_id.get(id, &self.places)
    }

    /// The country row and admin units (kinds country, admin1, admin2) of
    /// a country (ISO code, uppercase), in file order; the index is built
    /// once, on first use.
    pub fn areas_of(&self, country: &str) -> &[PlaceIdx] {
        let areas = self.areas.get_or_init(|| {
            let mut m: FastMap<String, Vec<PlaceIdx>> = FastMap::default();
            for (i, p) in self.places.iter().enumerate() {
                let area = matches!(
                    p.kind,
                    PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2
                );
                if area && !p.country.is_empty() {
                    m.entry(p.country.clone()).or_default().push(i);
                }
            }
            m
        });
        areas.get(country).map(Vec::as_slice).unwrap_or(&[])
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

    /// The first word of every name and demonym, with how many words the
    /// names starting with it have, over [`Gazetteer::names`] and
    /// [`Gazetteer::demonyms`] (exactly what counting each of them under
    /// its first word gives, as the matcher used to), built with the
    /// gazetteer (stored in the snapshot and the cache), for the place
    /// matcher.
    pub fn first_words(&self) -> &Arc<FirstWords> {
        &self.first
    }

    /// The country entry for an ISO code.
    pub fn country(&self, iso2: &str) -> Option<&Place> {
        self.by_id(&format!("country-{}", iso2.to_ascii_lowercase()))
    }
}

/// Decode the snapshot of the bundled data that `build.rs` embeds.
fn bundled_snapshot(want: snapshot::Want) -> Result<(layers::Built, Vec<Problem>), snapshot::Bad> {
    let text = snapshot::Text {
        strings: bundled::SNAPSHOT_STRINGS,
        names: bundled::SNAPSHOT_NAMES,
        first: FirstWords::from_parts(
            bundled::FIRST_WORDS.into(),
            bundled::FIRST_WORD_TABLE.into(),
        )
        .map_err(snapshot::Bad)?,
    };
    snapshot::decode(bundled::SNAPSHOT, Some(text), want)
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
    read_files(&list_source_dir(dir)?)
}

/// The files [`read_source_dir`] reads, in order.
fn list_source_dir(dir: &Path) -> Result<Vec<PathBuf>, GazetteerError> {
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
    Ok(paths)
}

fn read_files(paths: &[PathBuf]) -> Result<Vec<(String, String)>, GazetteerError> {
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        out.push((p.display().to_string(), read_text(p)?));
    }
    Ok(out)
}

/// Read a gazetteer file (places, features, demonyms, display names,
/// actors) as text. Bytes that are not UTF-8 become U+FFFD, which every
/// row parser rejects: the row (or feature) is reported as `path:line: not
/// UTF-8` and skipped, and the rest of the file still loads.
pub fn read_text(path: &Path) -> Result<String, GazetteerError> {
    let bytes = std::fs::read(path).map_err(|e| GazetteerError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// The folders of a gazetteer directory that are read, besides its own
/// files: the layout's (`boundaries/` is read by `check` only). Anything
/// else (an `output/` of eventmap, a build's `target/`) is not gazetteer data.
const DATA_FOLDERS: [&str; 2] = ["places", "features"];

/// How deep below `places/` and `features/` folders are read.
const MAX_DEPTH: usize = 8;

/// The `.tsv` and `.geojson` files of a gazetteer directory: its own, and
/// those under its `places/` and `features/` folders (hidden ones skipped).
/// Symbolic links are followed, but a folder already read (a link back to
/// `..` or `.`) is not read again, and only regular files are taken (not a
/// FIFO or a device, which would block or never end).
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    seen.insert(std::fs::canonicalize(dir)?);
    collect_in(dir, 0, &mut seen, out)
}

fn collect_in(
    dir: &Path,
    depth: usize,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let p = e.path();
        // Follows a link; a dangling one or a loop of links is no file.
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            let wanted = if depth == 0 {
                DATA_FOLDERS.contains(&name)
            } else {
                depth < MAX_DEPTH
            };
            if !wanted {
                continue;
            }
            if std::fs::canonicalize(&p).is_ok_and(|c| seen.insert(c)) {
                collect_in(&p, depth + 1, seen, out)?;
            }
        } else if meta.is_file()
            && matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("tsv" | "geojson")
            )
        {
            out.push(p);
        }
    }
    Ok(())
}

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_gazetteer.rs"));
}

/// The table of [`is_alphanumeric`], made by `build.rs`.
#[inline]
fn alphanumeric_table() -> &'static [u64; 1024] {
    &bundled::ALPHANUMERIC_BMP
}

/// Comparing gazetteers, for tests of the snapshot and the cache.
#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Every place (all fields, geometry and origin), the id index, every
    /// name with its candidates in order, the index's internals and the
    /// demonyms of `a` equal those of `b`.
    pub fn assert_same(a: &Gazetteer, b: &Gazetteer) {
        assert_eq!(a.places.len(), b.places.len(), "number of places");
        for (x, y) in a.places.iter().zip(&b.places) {
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
        }
        for (i, p) in a.places.iter().enumerate() {
            assert_eq!(b.idx_of(&p.id), Some(i), "{}", p.id);
        }
        assert_eq!(a.by_id.table(), b.by_id.table(), "id table");
        let names = |g: &Gazetteer| -> Vec<(String, Vec<PlaceIdx>)> {
            g.names()
                .map(|(k, c)| (k.to_string(), c.to_vec()))
                .collect()
        };
        assert_eq!(names(a), names(b), "names and candidates");
        assert_eq!(a.by_name.parts(), b.by_name.parts(), "name index");
        assert_eq!(sorted_demonyms(a), sorted_demonyms(b), "demonyms");
        let first = sorted_first_words(a);
        assert_eq!(first, sorted_first_words(b), "first words");
        assert_eq!(first, first_words_from_scratch(a), "first words");
    }

    /// The first-word table of `g`, sorted by word.
    pub fn sorted_first_words(g: &Gazetteer) -> Vec<(String, FirstWord)> {
        let mut v: Vec<_> = g
            .first_words()
            .iter()
            .map(|(w, f)| (w.to_string(), f))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    }

    /// The first-word table as the place matcher used to build it: every
    /// name and demonym of `g` in a map, sorted by word.
    pub fn first_words_from_scratch(g: &Gazetteer) -> Vec<(String, FirstWord)> {
        let mut m: FastMap<String, FirstWord> = FastMap::default();
        let phrases = g.names().map(|(k, _)| k);
        for p in phrases.chain(g.demonyms().map(|(k, _)| k)) {
            note_first_word(&mut m, p);
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    }

    fn sorted_demonyms(g: &Gazetteer) -> Vec<(String, Demonym)> {
        let mut v: Vec<_> = g
            .demonyms()
            .map(|(k, d)| (k.to_string(), d.clone()))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    }

    /// A user's correction of the bundled row of Khankendi (gn-146970).
    pub const FIX_ROW: &str =
        "gn-146970\tStepanakert\ttown\tAZ\t\t39.815\t46.75\t50000\tKhankendi\tmy fix";

    /// Write a places file of these rows (header added).
    pub fn write_places(path: &std::path::Path, rows: &[&str]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut text = format!("{PLACES_HEADER}\n");
        for r in rows {
            text.push_str(r);
            text.push('\n');
        }
        std::fs::write(path, text).unwrap();
    }

    /// A small gazetteer directory's files: points with aliases, Arabic
    /// articles, a bad row, a duplicate id, a feature of each geometry type
    /// (one polygon with a hole), a bad feature and demonyms.
    pub fn sample_files() -> Vec<(String, String)> {
        let places = format!(
            "{PLACES_HEADER}\n\
             gn-1\tKhankendi\ttown\tAZ\tKhankendi\t39.8177\t46.7528\t55000\tStepanakert|Xankəndi|Ստեփանակերտ\tGeoNames 146970\n\
             gn-2\tAl Qamishli\tcity\tSY\t\t37.05215\t41.23142\t184231\tEl Qamishli\tGeoNames 173377\n\
             gn-3\tShusha\ttown\tAZ\t\t39.7583\t46.7483\t4000\tShushi|Şuşa\tGeoNames 147105\n\
             bad\trow\n\
             gn-3\tShusha again\ttown\tAZ\t\t39.7583\t46.7483\t4000\t\tGeoNames 147105\n\
             am-goris\tGoris\ttown\tAM\tSyunik\t39.51111\t46.34168\t20000\tГорис|Գորիս\tGeoNames 174895\n"
        );
        let feature = |id: &str, kind: &str, geometry: &str| {
            format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{id}\",\"name\":\"Name {id}\",\"kind\":\"{kind}\",\"country\":\"AZ\",\"admin1\":\"\",\"population\":null,\"names\":[\"Alias {id}\"],\"source\":\"test\"}},\"geometry\":{geometry}}}"
            )
        };
        let features = [
            ("road-a", "road", r#"{"type":"LineString","coordinates":[[46.5,39.5],[46.6,39.6],[46.7,39.7]]}"#),
            ("border-b", "border", r#"{"type":"MultiLineString","coordinates":[[[46.5,39.5],[46.6,39.6]],[[46.7,39.7],[46.8,39.8]]]}"#),
            ("region-c", "region", r#"{"type":"Polygon","coordinates":[[[46.0,39.0],[47.0,39.0],[47.0,40.0],[46.0,40.0],[46.0,39.0]],[[46.4,39.4],[46.4,39.6],[46.6,39.6],[46.6,39.4],[46.4,39.4]]]}"#),
            ("region-d", "admin1", r#"{"type":"MultiPolygon","coordinates":[[[[45.0,39.0],[45.5,39.0],[45.5,39.5],[45.0,39.0]]],[[[45.6,39.0],[45.9,39.0],[45.9,39.3],[45.6,39.0]]]]}"#),
            ("site-e", "site", r#"{"type":"Point","coordinates":[46.1,39.1]}"#),
            ("road-bad", "road", r#"{"type":"LineString","coordinates":[[46.5,39.5]]}"#),
        ]
        .map(|(id, kind, geometry)| feature(id, kind, geometry));
        let features = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
            features.join(",\n")
        );
        let demonyms = format!(
            "{DEMONYMS_HEADER}\nAzerbaijani\tAZ\tadjective\nArmenians\tAM\tdemonym\nKurdish\t\tadjective\nbad\n"
        );
        vec![
            ("t/demonyms.tsv".to_string(), demonyms),
            ("t/features/f.geojson".to_string(), features),
            ("t/places/p.tsv".to_string(), places),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, name: &str, kind: &str, cc: &str, lat: f64, lon: f64, pop: u64) -> String {
        format!("{id}\t{name}\t{kind}\t{cc}\t\t{lat}\t{lon}\t{pop}\t\ttest\n")
    }

    fn file(rows: &[String]) -> String {
        format!("{PLACES_HEADER}\n{}", rows.concat())
    }

    #[test]
    fn user_layer_overrides_bundled_row() {
        let bundled = file(&[
            row("am-goris", "Goris", "town", "AM", 39.0, 46.0, 100),
            row("am-kapan", "Kapan", "town", "AM", 39.2, 46.4, 43000),
        ]);
        let user = file(&[row(
            "am-goris", "Goris", "town", "AM", 39.51111, 46.34168, 20000,
        )]);
        let b = [SourceFile {
            path: "gazetteer/places/a.tsv",
            contents: &bundled,
        }];
        let u = [SourceFile {
            path: "mine/places/fix.tsv",
            contents: &user,
        }];
        let (g, problems) = Gazetteer::from_layers(&[&b, &u]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(g.places.len(), 2);
        let p = g.by_id("am-goris").unwrap();
        assert_eq!((p.lat, p.population), (39.51111, 20000));
        assert_eq!(&*p.origin.path, "mine/places/fix.tsv");
        assert_eq!(g.candidates("goris").len(), 1);

        // The same two files in one layer: duplicate id, second skipped.
        let (g, problems) = Gazetteer::from_sources(&[b[0], u[0]]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string().split(": ").next(),
            Some("mine/places/fix.tsv:2")
        );
        assert!(problems[0].message.contains("duplicate id \"am-goris\""));
        assert_eq!(g.by_id("am-goris").unwrap().population, 100);
    }

    #[test]
    fn countries_win_unless_preference_says_otherwise() {
        let text = file(&[
            row(
                "adm1-us-georgia",
                "Georgia",
                "admin1",
                "US",
                32.3,
                -83.2,
                10_000_000,
            ),
            row(
                "country-ge",
                "Georgia",
                "country",
                "GE",
                41.87,
                43.73,
                3_700_000,
            ),
            row("gn-3689560", "Armenia", "city", "CO", 4.53, -75.67, 300_000),
            row(
                "country-am",
                "Armenia",
                "country",
                "AM",
                40.45,
                44.8,
                2_900_000,
            ),
        ]);
        let (g, _) = Gazetteer::from_sources(&[SourceFile {
            path: "places/t.tsv",
            contents: &text,
        }]);
        let ids = |v: &[PlaceIdx]| {
            v.iter()
                .map(|&i| g.places[i].id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(g.candidates("georgia")),
            ["country-ge", "adm1-us-georgia"]
        );
        assert_eq!(ids(g.candidates("armenia")), ["country-am", "gn-3689560"]);
        let us = Preference {
            countries: vec!["US".into()],
            bbox: None,
        };
        assert_eq!(
            ids(&g.candidates_preferring("georgia", &us)),
            ["adm1-us-georgia", "country-ge"]
        );
        let colombia_box = Preference {
            countries: vec![],
            bbox: Some([-80.0, -5.0, -66.0, 13.0]),
        };
        assert_eq!(
            ids(&g.candidates_preferring("armenia", &colombia_box)),
            ["gn-3689560", "country-am"]
        );
        assert_eq!(
            ids(&g.candidates_preferring("armenia", &Preference::default())),
            ["country-am", "gn-3689560"]
        );
    }

    /// A big file parsed on several threads gives what a sequential parse gives.
    #[test]
    fn parallel_parse_equals_sequential() {
        let mut rows = Vec::new();
        for i in 0..12_000 {
            rows.push(match i % 1000 {
                7 => "bad\trow\n".to_string(),
                8 => row("dup-1", "Dup", "village", "AZ", 40.0, 47.0, 1),
                _ => row(
                    &format!("p-{i}"),
                    &format!("Kənd {}", i % 3000),
                    "village",
                    "",
                    10.0,
                    10.0,
                    i,
                ),
            });
        }
        let text = file(&rows);
        assert!(text.len() > 512 * 1024);
        let f = SourceFile {
            path: "places/big.tsv",
            contents: &text,
        };
        let (par, par_problems) = Gazetteer::from_sources(&[f]);
        let mut seq_b = layers::Builder::default();
        let mut seq_problems = Vec::new();
        parse::parse_places(&f, &mut seq_b, &mut seq_problems);
        assert_eq!(par_problems, seq_problems);
        assert_eq!(par_problems.len(), 12 + 11);
        assert_eq!(par.places.len(), seq_b.places.len());
        for (a, b) in par.places.iter().zip(&seq_b.places) {
            assert_eq!((&a.id, &a.origin), (&b.id, &b.origin));
        }
        assert_eq!(par.candidates("kand 5").len(), 4);
        assert_eq!(par.name_count(), 3000 - 6 + 1);
    }

    /// Table test on the real bundled data (skipped while it is absent).
    #[test]
    fn bundled_lookup_of_karabakh_variants() {
        let files = bundled_sources();
        let (g, problems) = Gazetteer::from_sources(&files);
        assert!(
            problems.is_empty(),
            "bundled data has problems: {problems:?}"
        );
        let cases = [
            ("Stepanakert", "gn-146970"),
            ("Khankendi", "gn-146970"),
            ("Xankəndi", "gn-146970"),
            ("Ստեփանակերտ", "gn-146970"),
            ("Степанакерт", "gn-146970"),
            ("Khankandi", "gn-146970"),
            ("Stepanakerd", "gn-146970"),
            ("Stepanakertt", "gn-146970"),
            ("Xankendy", "gn-146970"),
            ("Shusa", "gn-147105"),
            ("Shushi", "gn-147105"),
            ("Şuşa", "gn-147105"),
            ("Шуши", "gn-147105"),
            ("Lachin", "gn-147625"),
            ("Berdzor", "gn-147625"),
            ("Martakert", "gn-587379"),
            ("Yerevan", "gn-616052"),
            ("Tbilisy", "gn-611717"),
        ];
        for (q, id) in cases {
            let r = g.lookup(q, 3);
            let ids: Vec<&str> = r.iter().map(|c| g.places[c.idx].id.as_str()).collect();
            assert!(
                ids.contains(&id),
                "{q}: want {id} in the top 3, got {r:?} ({ids:?})"
            );
            let hit = r.iter().find(|c| g.places[c.idx].id == id).unwrap();
            assert!(hit.score >= 0.85, "{q}: {hit:?}");
        }
        // Preference for Azerbaijan puts Shusha itself first for "Şuşa".
        let az = Preference {
            countries: vec!["AZ".into()],
            bbox: None,
        };
        let r = g.lookup_preferring("Susa", 1, &az);
        assert_eq!(g.places[r[0].idx].country, "AZ");
    }
}
