//! The gazetteer's data types: places, demonyms, problems and the files
//! they are read from. Shared with `build.rs`, which includes this file (and
//! the parsing modules) to make the bundled snapshot.

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

    /// A point place: a settlement or a site (a camp, a height), neither
    /// an area nor a line.
    pub fn is_point(self) -> bool {
        !self.is_area() && !self.is_linear()
    }
}

/// Where an entry was read from, for error messages (`path:line`). The path
/// is shared by every entry of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: std::sync::Arc<str>,
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
    pub geometry: SharedGeometry,
    pub origin: Origin,
}

/// A place's full geometry, cheap to clone: points are stored inline, lines
/// and polygons behind an [`Arc`](std::sync::Arc), so the records made from
/// one place (every incident placed at an article's region) share one copy
/// of its coordinates. Derefs to [`Geometry`].
#[derive(Clone)]
pub struct SharedGeometry(GeometryRepr);

#[derive(Clone)]
enum GeometryRepr {
    Inline(Geometry<f64>),
    Shared(std::sync::Arc<Geometry<f64>>),
}

impl SharedGeometry {
    pub fn new(g: Geometry<f64>) -> SharedGeometry {
        SharedGeometry(match g {
            Geometry::Point(_) => GeometryRepr::Inline(g),
            g => GeometryRepr::Shared(std::sync::Arc::new(g)),
        })
    }
}

impl From<Geometry<f64>> for SharedGeometry {
    fn from(g: Geometry<f64>) -> SharedGeometry {
        SharedGeometry::new(g)
    }
}

impl std::ops::Deref for SharedGeometry {
    type Target = Geometry<f64>;
    fn deref(&self) -> &Geometry<f64> {
        match &self.0 {
            GeometryRepr::Inline(g) => g,
            GeometryRepr::Shared(g) => g,
        }
    }
}

impl PartialEq for SharedGeometry {
    fn eq(&self, other: &SharedGeometry) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for SharedGeometry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// Index of a place in [`Gazetteer::places`](super::Gazetteer::places).
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
        let path = printable(&self.path);
        write!(f, "{path}:{}: {}", self.line, printable(&self.message))
    }
}

/// Text as shown on a terminal: control characters (a newline in a file
/// name, an escape that would drive the terminal, NUL) written as escapes
/// (`\n`, `\u{1b}`); other text as it is.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One file's text and the path to report in messages.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub contents: &'a str,
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
