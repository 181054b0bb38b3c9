//! Strict parsing of gazetteer files: `places/*.tsv`, `demonyms.tsv` and
//! `features/*.geojson`. Every bad row or feature becomes one [`Problem`] and
//! is skipped; the rest loads.

use geo::{
    Coord, Geometry, InteriorPoint, LineString, MultiLineString, MultiPolygon, Point, Polygon,
};
use serde_json::{Map, Value};

use std::ops::Range;

use super::names::KeyList;
use super::{normalize, Demonym, Origin, Place, PlaceKind, Problem, SourceFile};

/// The header every `places/*.tsv` file starts with.
pub const PLACES_HEADER: &str =
    "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tsource";
/// The header of `demonyms.tsv`.
pub const DEMONYMS_HEADER: &str = "word\tcountry\tkind";

const KINDS: &str =
    "country, admin1, admin2, region, capital, city, town, village, site, road, border, line";

/// What a gazetteer file holds, decided from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Places,
    Features,
    Demonyms,
}

/// Decide what a file is from its path (and, for loose `.tsv` files, its
/// header). Returns `None` for files the loader ignores: `actors.tsv` (the
/// actors module reads it), anything under `boundaries/` (used by `check`
/// only), README files and `.tsv` files with another header.
pub(crate) fn classify(path: &str, contents: &str) -> Option<FileKind> {
    let path = path.replace('\\', "/");
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let base = parts.pop()?;
    if parts.contains(&"boundaries") {
        return None;
    }
    if base == "demonyms.tsv" {
        return Some(FileKind::Demonyms);
    }
    if base == "actors.tsv" {
        return None;
    }
    let in_dir = |d: &str| parts.last() == Some(&d);
    if base.ends_with(".tsv") {
        if in_dir("places") || first_data_line(contents).is_some_and(|l| l.starts_with("id\t")) {
            return Some(FileKind::Places);
        }
        return None;
    }
    if base.ends_with(".geojson") {
        return Some(FileKind::Features);
    }
    None
}

fn first_data_line(contents: &str) -> Option<&str> {
    contents
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim_end_matches('\r'))
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Receives parsed places and demonyms; decides about duplicates and overrides.
pub(crate) trait Sink {
    /// Where to put the normalized names of the places.
    fn keys(&mut self) -> &mut KeyList;
    /// `keys`: the range of [`Sink::keys`] spans holding the distinct
    /// normalized names of the place (name first).
    fn place(&mut self, place: Place, keys: Range<usize>, problems: &mut Vec<Problem>);
    fn demonym(&mut self, key: String, demonym: Demonym);
}

fn problem(path: &str, line: usize, message: String) -> Problem {
    Problem {
        path: path.to_string(),
        line,
        message,
        is_error: true,
    }
}

/// Parse one `places/*.tsv` file.
pub(crate) fn parse_places(f: &SourceFile<'_>, sink: &mut impl Sink, problems: &mut Vec<Problem>) {
    parse_places_part(f.path, f.contents, 1, true, sink, problems);
}

/// Parse lines of a `places/*.tsv` file; `text` starts at line `first_line`.
/// `with_header`: the first non-comment line is the header.
pub(crate) fn parse_places_part(
    path: &str,
    text: &str,
    first_line: usize,
    with_header: bool,
    sink: &mut impl Sink,
    problems: &mut Vec<Problem>,
) {
    let mut seen_header = !with_header;
    let shared_path: std::sync::Arc<str> = path.into();
    for (i, raw) in text.lines().enumerate() {
        let lineno = first_line + i;
        let line = raw.trim_end_matches('\r');
        let line = if lineno == 1 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !seen_header {
            seen_header = true;
            if line != PLACES_HEADER {
                problems.push(problem(
                    path,
                    lineno,
                    format!(
                        "bad header {:?}: the first line must be exactly {:?} (tab-separated)",
                        line, PLACES_HEADER
                    ),
                ));
            }
            continue;
        }
        match parse_place_row(line) {
            Ok(row) => {
                let (place, keys) = row.into_place(
                    Origin {
                        path: shared_path.clone(),
                        line: lineno,
                    },
                    sink.keys(),
                );
                sink.place(place, keys, problems);
            }
            Err(m) => problems.push(problem(path, lineno, m)),
        }
    }
}

/// Places parsed on another thread, merged into the real sink afterwards.
#[derive(Default)]
pub(crate) struct PartSink {
    pub keys: KeyList,
    pub items: Vec<(Place, Range<usize>)>,
    pub problems: Vec<Problem>,
}

impl Sink for PartSink {
    fn keys(&mut self) -> &mut KeyList {
        &mut self.keys
    }
    fn place(&mut self, place: Place, keys: Range<usize>, _problems: &mut Vec<Problem>) {
        self.items.push((place, keys));
    }
    fn demonym(&mut self, _key: String, _demonym: Demonym) {}
}

/// Parse a big places file on several threads. Results (places, duplicate
/// checks and problems) are the same, in the same order, as [`parse_places`].
pub(crate) fn parse_places_parallel(
    f: &SourceFile<'_>,
    sink: &mut impl Sink,
    problems: &mut Vec<Problem>,
) {
    const MIN_PART: usize = 256 * 1024;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
        .min(f.contents.len() / MIN_PART);
    if threads < 2 {
        return parse_places(f, sink, problems);
    }
    // Split at line ends into `threads` parts of about equal size.
    let text = f.contents;
    let mut parts: Vec<(&str, usize)> = Vec::with_capacity(threads);
    let mut start = 0;
    let mut line = 1;
    for k in 1..=threads {
        let end = if k == threads {
            text.len()
        } else {
            let target = (text.len() * k / threads).max(start);
            // Search bytes: `target` need not be a char boundary, but the
            // byte after a '\n' always is.
            match text.as_bytes()[target..].iter().position(|&b| b == b'\n') {
                Some(nl) => target + nl + 1,
                None => text.len(),
            }
        };
        let part = &text[start..end];
        parts.push((part, line));
        line += part.bytes().filter(|&b| b == b'\n').count();
        start = end;
    }
    let results: Vec<PartSink> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(k, &(part, first_line))| {
                scope.spawn(move || {
                    let mut ps = PartSink::default();
                    ps.items.reserve(part.len() / 96);
                    ps.keys.arena.reserve(part.len() / 3);
                    ps.keys.spans.reserve(part.len() / 24);
                    let mut probs = Vec::new();
                    parse_places_part(f.path, part, first_line, k == 0, &mut ps, &mut probs);
                    ps.problems = probs;
                    ps
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("gazetteer parser thread panicked"))
            .collect()
    });
    for ps in results {
        let keys = sink.keys();
        let base = keys.spans.len();
        let off = keys.arena.len() as u32;
        keys.arena.push_str(&ps.keys.arena);
        keys.spans
            .extend(ps.keys.spans.iter().map(|&(a, b)| (a + off, b + off)));
        let mut local = ps.problems;
        for (place, r) in ps.items {
            sink.place(place, r.start + base..r.end + base, &mut local);
        }
        local.sort_by_key(|p| p.line);
        problems.extend(local);
    }
}

/// A place row whose fields have been checked, borrowing the line.
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    kind: PlaceKind,
    country: &'a str,
    admin1: &'a str,
    lat: f64,
    lon: f64,
    population: u64,
    names: &'a str,
    source: &'a str,
}

impl Row<'_> {
    fn into_place(self, origin: Origin, keys: &mut KeyList) -> (Place, Range<usize>) {
        let (names, keys) = fold_aliases(self.name, self.names.split('|'), keys);
        let place = Place {
            id: self.id.to_string(),
            name: self.name.to_string(),
            kind: self.kind,
            country: self.country.to_string(),
            admin1: self.admin1.to_string(),
            lat: self.lat,
            lon: self.lon,
            population: self.population,
            names,
            source: self.source.to_string(),
            geometry: Geometry::Point(Point::new(self.lon, self.lat)).into(),
            origin,
        };
        (place, keys)
    }
}

/// Aliases without empties, without the display name and without duplicates
/// after [`normalize`] (the first spelling is kept). Their distinct
/// normalized names (the display name's first) are appended to `keys`.
pub(crate) fn fold_aliases<'a>(
    name: &str,
    aliases: impl Iterator<Item = &'a str>,
    keys: &mut KeyList,
) -> (Vec<String>, Range<usize>) {
    let since = keys.spans.len();
    keys.push_distinct(name, since);
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let a = a.trim();
        if a.is_empty() || a == name || out.iter().any(|o| o == a) {
            continue;
        }
        if keys.push_distinct(a, since) {
            out.push(a.to_string());
        }
    }
    // Arabic names are often written without the article: "Al Qamishli",
    // "Qamishli"; "El Fasher", "Fasher". Index the bare form too (not an alias).
    for k in keys.range_from(since) {
        let bare = [
            "al ", "el ", "ad ", "ar ", "as ", "ash ", "an ", "at ", "az ",
        ]
        .iter()
        .find_map(|p| keys.key(k).strip_prefix(p))
        .filter(|rest| rest.chars().count() >= 5)
        .map(str::to_string);
        if let Some(b) = bare {
            keys.push_distinct(&b, since);
        }
    }
    (out, keys.range_from(since))
}

/// What a row that held bytes which are not UTF-8 is told: files are read
/// with such bytes as U+FFFD ([`super::read_text`]), so one bad row is
/// skipped and reported at its line instead of stopping the load.
pub(crate) const NOT_UTF8: &str = "not UTF-8 (a byte that is not UTF-8 text, or U+FFFD, the mark of a failed conversion): the row is skipped; save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)";

/// A row's text is usable: no U+FFFD (see [`NOT_UTF8`]) and no control
/// character but the tabs between columns (and the `\r` of a CRLF line
/// end): a NUL or an escape in a name would reach the CSV and the terminal.
pub(crate) fn check_row_text(line: &str) -> Result<(), String> {
    if line.contains('\u{fffd}') {
        return Err(NOT_UTF8.to_string());
    }
    let body = line.strip_suffix('\r').unwrap_or(line);
    match body.chars().find(|&c| c != '\t' && c.is_control()) {
        Some(c) => Err(control_message(c)),
        None => Ok(()),
    }
}

/// One row of an `actors.tsv` (`phrase<TAB>actor<TAB>side`, the side
/// optional): `None` for a comment, a blank line or the header. The rows
/// the actors loader takes and `gazetteer check` passes are the same.
pub(crate) fn actor_row(line: &str) -> Result<Option<(&str, &str, &str)>, String> {
    if line.starts_with('#') || line.trim().is_empty() || line.starts_with("phrase\t") {
        return Ok(None);
    }
    check_row_text(line)?;
    let mut cols = line.trim_end_matches('\r').split('\t');
    let (phrase, actor) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""));
    if phrase.trim().is_empty() || actor.trim().is_empty() {
        return Err(format!(
            "expected 'phrase<TAB>actor<TAB>side', found {line:?}: separate the columns with tabs"
        ));
    }
    Ok(Some((
        phrase,
        actor.trim(),
        cols.next().map_or("", str::trim),
    )))
}

fn control_message(c: char) -> String {
    format!(
        "holds the control character U+{:04X}: the row is skipped; remove it (names are plain text)",
        u32::from(c)
    )
}

fn parse_place_row(line: &str) -> Result<Row<'_>, String> {
    check_row_text(line)?;
    let mut c: [&str; 10] = [""; 10];
    let mut n = 0;
    for field in line.split('\t') {
        if n < 10 {
            c[n] = field;
        }
        n += 1;
    }
    if n != 10 {
        return Err(format!(
            "expected 10 tab-separated columns (id, name, kind, country, admin1, lat, lon, population, names, source), found {n}; {}",
            if n < 10 {
                "add the missing columns (leave optional ones empty, but keep their tabs)"
            } else {
                "remove the extra tabs (aliases are separated by '|')"
            }
        ));
    }
    let id = check_id(c[0])?;
    let name = c[1];
    if name.trim().is_empty() {
        return Err(format!(
            "empty name for id {id:?}: put the display name in the name column"
        ));
    }
    let kind = check_kind(c[2])?;
    let country = check_country(c[3])?;
    let lat = parse_coord(c[5], "latitude", "lat", "40.3777")?;
    let lon = parse_coord(c[6], "longitude", "lon", "49.8920")?;
    check_lat_lon(lat, lon, country)?;
    let population = check_population(c[7])?;
    let source = c[9];
    if source.trim().is_empty() {
        return Err(format!(
            "empty source for id {id:?}: say where the row comes from (for example \"GeoNames 587084\" or a URL)"
        ));
    }
    Ok(Row {
        id,
        name,
        kind,
        country,
        admin1: c[4],
        lat,
        lon,
        population,
        names: c[8],
        source,
    })
}

pub(crate) fn check_id(id: &str) -> Result<&str, String> {
    if id.is_empty() {
        return Err(
            "empty id: give every row a unique id of lowercase letters, digits and '-' (for example \"am-goris\")"
                .to_string(),
        );
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!(
            "bad id {id:?}: use only lowercase letters a-z, digits and '-' (for example {:?})",
            suggest_id(id)
        ));
    }
    Ok(id)
}

fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in normalize(id).chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "place-1".to_string()
    } else {
        out
    }
}

pub(crate) fn check_kind(kind: &str) -> Result<PlaceKind, String> {
    PlaceKind::parse(kind).ok_or_else(|| format!("unknown kind {kind:?}: use one of {KINDS}"))
}

pub(crate) fn check_country(country: &str) -> Result<&str, String> {
    if country.is_empty() || (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Ok(country);
    }
    let hint = if country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()) {
        format!("write {:?}", country.to_ascii_uppercase())
    } else {
        "use an upper-case ISO 3166-1 alpha-2 code such as \"AZ\", or leave it empty".to_string()
    };
    Err(format!("bad country {country:?}: {hint}"))
}

fn parse_coord(s: &str, what: &str, column: &str, example: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!(
            "{what} {s:?} is not a finite number: write decimal degrees in the {column} column, for example {example}"
        )),
        Err(_) => {
            let hint = if s.contains(',') && s.replace(',', ".").parse::<f64>().is_ok() {
                format!("use a dot as decimal separator ({:?})", s.replace(',', "."))
            } else if s.trim() != s && s.trim().parse::<f64>().is_ok() {
                format!("remove the spaces ({:?})", s.trim())
            } else if s.is_empty() {
                format!("fill in the {column} column in decimal degrees, for example {example}")
            } else {
                format!("write decimal degrees, for example {example}")
            };
            Err(format!("{what} {s:?} is not a number: {hint}"))
        }
    }
}

/// Rough bounding boxes `[min_lat, max_lat, min_lon, max_lon]` (Natural Earth
/// 1:10m, padded by 0.2 degrees) of countries where a swapped lat/lon pair
/// would still be a valid coordinate. `gazetteer check` tests against the real
/// polygons; this is the cheap version used while loading.
const SWAP_BOXES: &[(&str, [f64; 4])] = &[
    ("AM", [38.66, 41.49, 43.23, 46.80]),
    ("AZ", [38.19, 42.09, 44.57, 50.83]),
    ("GE", [40.84, 43.78, 39.78, 46.89]),
];

fn in_box(b: &[f64; 4], lat: f64, lon: f64) -> bool {
    lat >= b[0] && lat <= b[1] && lon >= b[2] && lon <= b[3]
}

pub(crate) fn check_lat_lon(lat: f64, lon: f64, country: &str) -> Result<(), String> {
    let lat_ok = (-90.0..=90.0).contains(&lat);
    let lon_ok = (-180.0..=180.0).contains(&lon);
    if !lat_ok {
        if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
            return Err(format!(
                "latitude {lat} is out of range -90..90 but longitude {lon} would be a valid latitude: lat and lon look swapped; swap the lat and lon columns"
            ));
        }
        return Err(format!(
            "latitude {lat} is out of range -90..90: write decimal degrees north (negative for south)"
        ));
    }
    if !lon_ok {
        return Err(format!(
            "longitude {lon} is out of range -180..180: write decimal degrees east (negative for west)"
        ));
    }
    if let Some((_, b)) = SWAP_BOXES.iter().find(|(c, _)| *c == country) {
        if !in_box(b, lat, lon) && in_box(b, lon, lat) {
            return Err(format!(
                "likely swapped lat/lon: ({lat}, {lon}) is far outside {country} but ({lon}, {lat}) is inside it; swap the lat and lon columns"
            ));
        }
    }
    Ok(())
}

fn check_population(s: &str) -> Result<u64, String> {
    if s.is_empty() {
        return Ok(0);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = s.parse::<u64>() {
            return Ok(v);
        }
    }
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_' | '\''))
        .collect();
    let hint = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("write digits only ({digits})")
    } else {
        "write a whole number of digits only, or leave it empty if unknown".to_string()
    };
    Err(format!("bad population {s:?}: {hint}"))
}

/// Parse `demonyms.tsv`.
pub(crate) fn parse_demonyms(
    f: &SourceFile<'_>,
    sink: &mut impl Sink,
    problems: &mut Vec<Problem>,
) {
    let mut seen_header = false;
    for (i, raw) in f.contents.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim_end_matches('\r');
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !seen_header {
            seen_header = true;
            if line != DEMONYMS_HEADER {
                problems.push(problem(
                    f.path,
                    lineno,
                    format!(
                        "bad header {line:?}: the first line must be exactly {DEMONYMS_HEADER:?} (tab-separated)"
                    ),
                ));
            }
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let r = (|| -> Result<Demonym, String> {
            check_row_text(line)?;
            if c.len() != 3 {
                return Err(format!(
                    "expected 3 tab-separated columns (word, country, kind), found {}; separate the columns with one tab each",
                    c.len()
                ));
            }
            if c[0].trim().is_empty() {
                return Err("empty word: put the adjective or demonym in the word column".into());
            }
            let country = check_country(c[1])?;
            if c[2] != "adjective" && c[2] != "demonym" {
                return Err(format!(
                    "unknown demonym kind {:?}: use \"adjective\" or \"demonym\"",
                    c[2]
                ));
            }
            Ok(Demonym {
                word: c[0].to_string(),
                country: country.to_string(),
                kind: c[2].to_string(),
            })
        })();
        match r {
            Ok(d) => {
                let key = normalize(&d.word);
                sink.demonym(key, d);
            }
            Err(m) => problems.push(problem(f.path, lineno, m)),
        }
    }
}

/// Byte offsets where each element of the top-level `"features"` array starts.
/// A tiny JSON scanner; only used to turn feature indexes into line numbers.
pub(crate) fn feature_offsets(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut last_key: Option<(usize, usize)> = None;
    let mut in_features = false;
    let mut expect_value = false;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 {
                    last_key = Some((start, i.min(b.len())));
                }
                if in_features && depth == 2 && expect_value {
                    out.push(start - 1);
                    expect_value = false;
                }
            }
            b'{' | b'[' => {
                if in_features && depth == 2 && expect_value {
                    out.push(i);
                    expect_value = false;
                }
                depth += 1;
                if depth == 2 && b[i] == b'[' {
                    in_features = last_key.is_some_and(|(s, e)| &text[s..e] == "features");
                    expect_value = in_features;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth < 2 {
                    in_features = false;
                }
            }
            b',' if in_features && depth == 2 => expect_value = true,
            c if in_features && depth == 2 && expect_value && !c.is_ascii_whitespace() => {
                out.push(i);
                expect_value = false;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Line number (1-based) of each byte offset, offsets ascending.
fn lines_of(text: &str, offsets: &[usize]) -> Vec<usize> {
    let b = text.as_bytes();
    let mut line = 1;
    let mut pos = 0;
    let mut out = Vec::with_capacity(offsets.len());
    for &o in offsets {
        let o = o.min(b.len());
        if o >= pos {
            line += b[pos..o].iter().filter(|&&c| c == b'\n').count();
            pos = o;
        }
        out.push(line);
    }
    out
}

/// Parse one `features/*.geojson` FeatureCollection.
pub(crate) fn parse_features(
    f: &SourceFile<'_>,
    sink: &mut impl Sink,
    problems: &mut Vec<Problem>,
) {
    let v: Value = match serde_json::from_str(f.contents) {
        Ok(v) => v,
        Err(e) => {
            problems.push(problem(
                f.path,
                e.line().max(1),
                format!(
                    "invalid JSON: {e}; fix the syntax (a GeoJSON FeatureCollection is expected)"
                ),
            ));
            return;
        }
    };
    let features = match (v.get("type").and_then(Value::as_str), v.get("features")) {
        (Some("FeatureCollection"), Some(Value::Array(a))) => a,
        _ => {
            problems.push(problem(
                f.path,
                1,
                "not a GeoJSON FeatureCollection: the file must be {\"type\": \"FeatureCollection\", \"features\": [...]}".to_string(),
            ));
            return;
        }
    };
    let offsets = feature_offsets(f.contents);
    let lines = if offsets.len() == features.len() {
        lines_of(f.contents, &offsets)
    } else {
        vec![1; features.len()]
    };
    let shared_path: std::sync::Arc<str> = f.path.into();
    for (n, feat) in features.iter().enumerate() {
        let lineno = lines[n];
        match parse_feature(feat, sink.keys()) {
            Ok((mut place, keys)) => {
                place.origin = Origin {
                    path: shared_path.clone(),
                    line: lineno,
                };
                sink.place(place, keys, problems);
            }
            Err(m) => {
                let id = feat
                    .get("properties")
                    .and_then(|p| p.get("id"))
                    .and_then(Value::as_str)
                    .map(|s| format!(" (id {s:?})"))
                    .unwrap_or_default();
                problems.push(problem(f.path, lineno, format!("feature {n}{id}: {m}")));
            }
        }
    }
}

/// A JSON value with U+FFFD in one of its strings (see [`NOT_UTF8`]).
fn holds_replacement(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\u{fffd}'),
        Value::Array(a) => a.iter().any(holds_replacement),
        Value::Object(o) => o.values().any(holds_replacement),
        _ => false,
    }
}

/// A control character in one of a JSON value's strings.
fn control_in(v: &Value) -> Option<char> {
    match v {
        Value::String(s) => s.chars().find(|c| c.is_control()),
        Value::Array(a) => a.iter().find_map(control_in),
        Value::Object(o) => o.values().find_map(control_in),
        _ => None,
    }
}

fn str_prop<'a>(p: &'a Map<String, Value>, key: &str, required: bool) -> Result<&'a str, String> {
    match p.get(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) if !required => Ok(""),
        None | Some(Value::Null) => Err(format!("missing property {key:?}: add it as a string")),
        Some(other) => Err(format!("property {key:?} must be a string, found {other}")),
    }
}

fn parse_feature(feat: &Value, keys: &mut KeyList) -> Result<(Place, Range<usize>), String> {
    if feat.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err("not a GeoJSON Feature: set \"type\": \"Feature\"".to_string());
    }
    let Some(Value::Object(p)) = feat.get("properties") else {
        return Err("missing properties object: add id, name, kind, country, admin1, population, names and source".to_string());
    };
    if p.values().any(holds_replacement) {
        return Err(NOT_UTF8.replace("the row", "the feature"));
    }
    if let Some(c) = p.values().find_map(control_in) {
        return Err(control_message(c).replace("the row", "the feature"));
    }
    let id = check_id(str_prop(p, "id", true)?)?;
    let name = str_prop(p, "name", true)?;
    if name.trim().is_empty() {
        return Err("empty name: set the \"name\" property".to_string());
    }
    let kind = check_kind(str_prop(p, "kind", true)?)?;
    let country = check_country(str_prop(p, "country", false)?)?;
    let admin1 = str_prop(p, "admin1", false)?;
    let population = match p.get("population") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            format!("bad population {n}: use a whole non-negative number or null")
        })?,
        Some(other) => {
            return Err(format!(
                "bad population {other}: use a whole non-negative number or null"
            ))
        }
    };
    let names: Vec<&str> = match p.get("names") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| format!("\"names\" must be an array of strings, found {v}"))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "\"names\" must be an array of strings, found {other}"
            ))
        }
    };
    let source = str_prop(p, "source", true)?;
    if source.trim().is_empty() {
        return Err("empty source: say where the feature comes from".to_string());
    }
    let geometry = parse_geometry(feat.get("geometry"))?;
    if let Some(m) = invalid_geometry(&geometry) {
        return Err(m);
    }
    let label = match p.get("label") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let c = position(v)
                .ok_or_else(|| format!("bad label {v}: use [lon, lat] with finite numbers"))?;
            check_lat_lon(c.y, c.x, "").map_err(|m| format!("label: {m}"))?;
            Some(c)
        }
    };
    let rep = match label {
        Some(c) => c,
        None => representative_point(&geometry).ok_or_else(|| {
            "cannot compute a representative point: add a \"label\": [lon, lat] property"
                .to_string()
        })?,
    };
    let (names, keys) = fold_aliases(name, names.into_iter(), keys);
    let place = Place {
        id: id.to_string(),
        name: name.to_string(),
        kind,
        country: country.to_string(),
        admin1: admin1.to_string(),
        lat: rep.y,
        lon: rep.x,
        population,
        names,
        source: source.to_string(),
        geometry: geometry.into(),
        origin: Origin {
            path: "".into(),
            line: 0,
        },
    };
    Ok((place, keys))
}

fn position(v: &Value) -> Option<Coord<f64>> {
    let a = v.as_array()?;
    if a.len() < 2 || a.len() > 3 {
        return None;
    }
    let x = a[0].as_f64()?;
    let y = a[1].as_f64()?;
    (x.is_finite() && y.is_finite()).then_some(Coord { x, y })
}

fn positions(v: &Value, what: &str) -> Result<Vec<Coord<f64>>, String> {
    let a = v
        .as_array()
        .ok_or_else(|| format!("{what} must be an array of [lon, lat] positions"))?;
    a.iter()
        .enumerate()
        .map(|(i, p)| {
            let c = position(p).ok_or_else(|| {
                format!("{what}, position {i}: {p} is not a [lon, lat] pair of finite numbers")
            })?;
            if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
                return Err(format!(
                    "{what}, position {i}: [{}, {}] is out of range (lon -180..180, lat -90..90); GeoJSON order is [lon, lat]",
                    c.x, c.y
                ));
            }
            Ok(c)
        })
        .collect()
}

fn line_string(v: &Value, what: &str) -> Result<LineString<f64>, String> {
    let pts = positions(v, what)?;
    let distinct = pts.windows(2).any(|w| w[0] != w[1]);
    if pts.len() < 2 || !distinct {
        return Err(format!(
            "{what} has {} distinct point(s); a line needs at least 2",
            if distinct {
                pts.len()
            } else {
                pts.len().min(1)
            }
        ));
    }
    Ok(LineString::new(pts))
}

fn polygon(v: &Value, what: &str) -> Result<Polygon<f64>, String> {
    let rings = v
        .as_array()
        .ok_or_else(|| format!("{what} must be an array of rings"))?;
    if rings.is_empty() {
        return Err(format!("{what} has no rings; add an exterior ring"));
    }
    let mut out = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let rw = format!("{what} ring {r}");
        let pts = positions(ring, &rw)?;
        if pts.len() < 4 {
            return Err(format!(
                "{rw} has {} positions; a closed ring needs at least 4 (the first repeated at the end)",
                pts.len()
            ));
        }
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        if first != last {
            return Err(format!(
                "{rw} is not closed: first position [{}, {}] differs from last [{}, {}]; repeat the first position at the end",
                first.x, first.y, last.x, last.y
            ));
        }
        out.push(LineString::new(pts));
    }
    let exterior = out.remove(0);
    Ok(Polygon::new(exterior, out))
}

/// What is wrong with a line or polygon by OGC rules (a ring that crosses
/// itself, a hole outside its polygon, ...): such a feature is skipped (a
/// map would draw it wrongly and point-in-polygon tests would fail on it).
pub(crate) fn invalid_geometry(g: &Geometry<f64>) -> Option<String> {
    use geo::Validation;
    use Geometry as G;
    fn first<E: std::fmt::Display>(errs: Vec<E>) -> Option<String> {
        errs.first().map(|e| e.to_string())
    }
    let (what, err) = match g {
        G::Point(_) => return None,
        G::LineString(l) => ("line", first(l.validation_errors())),
        G::MultiLineString(m) => ("line", first(m.validation_errors())),
        G::Polygon(p) => ("polygon", first(p.validation_errors())),
        G::MultiPolygon(p) => ("polygon", first(p.validation_errors())),
        other => ("geometry", first(other.validation_errors())),
    };
    err.map(|e| {
        format!(
            "invalid {what}: {}; fix the geometry (for example with QGIS \"Fix geometries\")",
            e.to_lowercase()
        )
    })
}

fn parse_geometry(g: Option<&Value>) -> Result<Geometry<f64>, String> {
    let Some(g) = g.filter(|g| !g.is_null()) else {
        return Err("missing geometry: every feature needs a Point, LineString, MultiLineString, Polygon or MultiPolygon".to_string());
    };
    let ty = g.get("type").and_then(Value::as_str).unwrap_or("");
    let Some(coords) = g.get("coordinates") else {
        return Err(format!("{ty} geometry has no \"coordinates\""));
    };
    let list = |what: &str| -> Result<&Vec<Value>, String> {
        coords
            .as_array()
            .ok_or_else(|| format!("{what} coordinates must be an array"))
    };
    Ok(match ty {
        "Point" => {
            let pts = positions(&Value::Array(vec![coords.clone()]), "point")?;
            Geometry::Point(Point(pts[0]))
        }
        "LineString" => Geometry::LineString(line_string(coords, "line")?),
        "MultiLineString" => {
            let parts = list("MultiLineString")?;
            if parts.is_empty() {
                return Err("MultiLineString has no parts".to_string());
            }
            Geometry::MultiLineString(MultiLineString::new(
                parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| line_string(p, &format!("line part {i}")))
                    .collect::<Result<_, _>>()?,
            ))
        }
        "Polygon" => Geometry::Polygon(polygon(coords, "polygon")?),
        "MultiPolygon" => {
            let parts = list("MultiPolygon")?;
            if parts.is_empty() {
                return Err("MultiPolygon has no parts".to_string());
            }
            Geometry::MultiPolygon(MultiPolygon::new(
                parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| polygon(p, &format!("polygon part {i}")))
                    .collect::<Result<_, _>>()?,
            ))
        }
        other => {
            return Err(format!(
                "unsupported geometry type {other:?}: use Point, LineString, MultiLineString, Polygon or MultiPolygon"
            ))
        }
    })
}

/// The representative point of a geometry: the point itself, the point at
/// half the length of a line, or an interior point of a polygon.
pub fn representative_point(g: &Geometry<f64>) -> Option<Coord<f64>> {
    match g {
        Geometry::Point(p) => Some(p.0),
        Geometry::LineString(l) => line_midpoint(std::slice::from_ref(l)),
        Geometry::MultiLineString(m) => line_midpoint(&m.0),
        Geometry::Polygon(p) => p.interior_point().map(|p| p.0),
        Geometry::MultiPolygon(m) => m.interior_point().map(|p| p.0),
        other => other.interior_point().map(|p| p.0),
    }
}

/// The point at half the total (planar, in degrees) length of the lines.
fn line_midpoint(lines: &[LineString<f64>]) -> Option<Coord<f64>> {
    let seg_len = |a: Coord<f64>, b: Coord<f64>| ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let total: f64 = lines
        .iter()
        .flat_map(|l| l.0.windows(2))
        .map(|w| seg_len(w[0], w[1]))
        .sum();
    let mut left = total / 2.0;
    for l in lines {
        for w in l.0.windows(2) {
            let d = seg_len(w[0], w[1]);
            if d > 0.0 && left <= d {
                let t = left / d;
                return Some(Coord {
                    x: w[0].x + (w[1].x - w[0].x) * t,
                    y: w[0].y + (w[1].y - w[0].y) * t,
                });
            }
            left -= d;
        }
    }
    lines.first().and_then(|l| l.0.first().copied())
}

/// Collects everything, for tests.
#[cfg(test)]
pub(crate) struct Collect {
    pub keys: KeyList,
    pub places: Vec<Place>,
    pub demonyms: super::names::FastMap<String, Demonym>,
}

#[cfg(test)]
impl Sink for Collect {
    fn keys(&mut self) -> &mut KeyList {
        &mut self.keys
    }
    fn place(&mut self, place: Place, _keys: Range<usize>, _problems: &mut Vec<Problem>) {
        self.places.push(place);
    }
    fn demonym(&mut self, key: String, demonym: Demonym) {
        self.demonyms.insert(key, demonym);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(contents: &str) -> (Vec<Place>, Vec<Problem>) {
        let mut c = Collect {
            keys: KeyList::default(),
            places: Vec::new(),
            demonyms: Default::default(),
        };
        let mut problems = Vec::new();
        parse_places(
            &SourceFile {
                path: "t.tsv",
                contents,
            },
            &mut c,
            &mut problems,
        );
        (c.places, problems)
    }

    fn row(fields: [&str; 10]) -> String {
        format!("{PLACES_HEADER}\n{}\n", fields.join("\t"))
    }

    const GOOD: [&str; 10] = [
        "am-goris",
        "Goris",
        "town",
        "AM",
        "Syunik",
        "39.51111",
        "46.34168",
        "20000",
        "Горис|Գորիս|goris|Goris",
        "GeoNames 174895",
    ];

    #[test]
    fn good_row_loads_and_folds_aliases() {
        let (p, probs) = parse(&row(GOOD));
        assert!(probs.is_empty(), "{probs:?}");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].names, vec!["Горис", "Գորիս"]);
        assert_eq!(p[0].origin.line, 2);
    }

    #[test]
    fn each_bad_field_gives_one_problem() {
        let cases: &[(usize, &str, &str)] = &[
            (0, "", "empty id"),
            (0, "Am Goris", "bad id \"Am Goris\""),
            (2, "hamlet", "unknown kind \"hamlet\""),
            (3, "am", "bad country \"am\": write \"AM\""),
            (5, "abc", "latitude \"abc\" is not a number"),
            (5, "39,5", "use a dot"),
            (5, "NaN", "not a finite number"),
            (5, "139.5", "look swapped"),
            (5, "-95", "out of range -90..90"),
            (6, "200", "longitude 200 is out of range"),
            (
                7,
                "20,000",
                "bad population \"20,000\": write digits only (20000)",
            ),
            (7, "-3", "bad population \"-3\""),
            (9, "", "empty source"),
        ];
        for &(col, value, want) in cases {
            let mut f = GOOD;
            f[col] = value;
            let (p, probs) = parse(&row(f));
            assert!(p.is_empty(), "column {col} = {value:?} should be rejected");
            assert_eq!(probs.len(), 1, "{probs:?}");
            assert_eq!(probs[0].line, 2);
            assert!(
                probs[0].message.contains(want),
                "column {col} = {value:?}: {:?} lacks {want:?}",
                probs[0].message
            );
        }
    }

    #[test]
    fn swapped_caucasus_point_is_caught() {
        let mut f = GOOD;
        f[5] = "46.34168";
        f[6] = "39.51111";
        let (_, probs) = parse(&row(f));
        assert!(
            probs[0].message.contains("likely swapped lat/lon"),
            "{probs:?}"
        );
    }

    #[test]
    fn column_count_and_comments() {
        let text = format!(
            "{PLACES_HEADER}\n# a comment\n\nam-x\tX\ttown\n{}\n",
            GOOD.join("\t")
        );
        let (p, probs) = parse(&text);
        assert_eq!(p.len(), 1);
        assert_eq!(probs.len(), 1);
        assert_eq!(probs[0].line, 4);
        assert!(probs[0].message.contains("found 3"));
    }

    #[test]
    fn feature_offsets_find_each_feature() {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"a\":[1,{\"b\":\"]}\"}]},\n {\"c\":1}\n]}";
        let offs = feature_offsets(text);
        assert_eq!(offs.len(), 2);
        assert_eq!(lines_of(text, &offs), vec![2, 3]);
    }

    #[test]
    fn classify_by_path() {
        assert_eq!(
            classify("gazetteer/places/a.tsv", ""),
            Some(FileKind::Places)
        );
        assert_eq!(classify("gazetteer/actors.tsv", "id\tx"), None);
        assert_eq!(
            classify("gazetteer/demonyms.tsv", ""),
            Some(FileKind::Demonyms)
        );
        assert_eq!(classify("gazetteer/boundaries/x.geojson", ""), None);
        assert_eq!(
            classify("gazetteer/features/x.geojson", ""),
            Some(FileKind::Features)
        );
        assert_eq!(
            classify("dir/extra.tsv", "# c\nid\tname"),
            Some(FileKind::Places)
        );
        assert_eq!(classify("dir/other.tsv", "word\tcountry"), None);
    }
}

#[cfg(test)]
mod article_tests {
    use crate::gazetteer::{Gazetteer, SourceFile, PLACES_HEADER};

    #[test]
    fn arabic_names_are_found_without_the_article() {
        let t = format!(
            "{PLACES_HEADER}\ngn-1\tAl Qamishli\tcity\tSY\t\t37.05215\t41.23142\t184231\tEl Qamishli\tGeoNames 173377\n\
             gn-2\tAl Ain\tcity\tAE\t\t24.19167\t55.76056\t408733\t\tGeoNames 292913\n"
        );
        let (g, p) = Gazetteer::from_sources(&[SourceFile {
            path: "places/t.tsv",
            contents: &t,
        }]);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(g.candidates("qamishli").len(), 1);
        // Too short to stand alone: "Ain" is not indexed.
        assert!(g.candidates("ain").is_empty());
    }
}
