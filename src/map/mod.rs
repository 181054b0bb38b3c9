//! An offline map of eventmap's layers: one self-contained HTML file.
//!
//! [`read_layer`] reads an incidents, events or statements GeoJSON file;
//! [`render`] puts the layers, the vendored Leaflet (assets/leaflet), the
//! page's script and style (assets/map) and a Natural Earth base map
//! (assets/basemap) into one HTML string; [`write_map`] writes it
//! atomically. The page requests nothing: scripts, styles, images and data
//! are inline, and tiles are drawn only when the user asks for them with a
//! tile URL. Data are embedded once, as JSON in a `<script
//! type="application/json">` element (see [`embed::script_json`]); the page
//! puts every text taken from them into the document as text, never as
//! markup.

mod basemap;
mod data;
pub mod embed;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use data::{bounds, layer_from_str, read_layer, Layer, LayerKind};

/// Errors building or writing a map. Every variant about a file names it.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("invalid tile URL {0:?}: give an http(s) URL template with {{z}}, {{x}} and {{y}}, e.g. https://tiles.example.org/{{z}}/{{x}}/{{y}}.png")]
    Tiles(String),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What the page shows besides the data.
#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// The page title [default: "eventmap"].
    pub title: Option<String>,
    /// An XYZ tile URL template (`https://.../{z}/{x}/{y}.png`) drawn under
    /// the data for online use [default: none, the page stays offline].
    pub tiles: Option<String>,
}

const TEMPLATE: &str = include_str!("../../assets/map/template.html");
const APP_JS: &str = include_str!("../../assets/map/app.js");
const APP_CSS: &str = include_str!("../../assets/map/app.css");
const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");
const LEAFLET_VERSION: &str = include_str!("../../assets/leaflet/VERSION");
const LEAFLET_IMAGES: [(&str, &[u8]); 3] = [
    (
        "images/layers.png",
        include_bytes!("../../assets/leaflet/images/layers.png"),
    ),
    (
        "images/layers-2x.png",
        include_bytes!("../../assets/leaflet/images/layers-2x.png"),
    ),
    (
        "images/marker-icon.png",
        include_bytes!("../../assets/leaflet/images/marker-icon.png"),
    ),
];

/// Check a tile URL template.
pub fn check_tiles(url: &str) -> Result<(), MapError> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p))
        && !url.chars().any(|c| c.is_whitespace() || c == '"');
    if ok {
        Ok(())
    } else {
        Err(MapError::Tiles(url.to_string()))
    }
}

/// The layers merged by kind (incidents, events, statements), in that order.
pub fn merge_layers(layers: Vec<Layer>) -> Vec<Layer> {
    let mut out: Vec<Layer> = Vec::new();
    for l in layers {
        match out.iter_mut().find(|o| o.kind == l.kind) {
            Some(o) => {
                o.source = format!("{}, {}", o.source, l.source);
                o.features.extend(l.features);
                o.skipped.extend(l.skipped);
                for (k, v) in l.shapes {
                    o.shapes.entry(k).or_insert(v);
                }
            }
            None => out.push(l),
        }
    }
    out.sort_by_key(|l| l.kind);
    out
}

/// The whole page for these layers.
pub fn render(layers: &[Layer], opts: &MapOptions) -> Result<String, MapError> {
    if let Some(t) = &opts.tiles {
        check_tiles(t)?;
    }
    let data = serde_json::json!({
        "layers": layers.iter().map(layer_json).collect::<Vec<_>>(),
        "shapes": shapes_json(layers),
    });
    let title = opts.title.clone().unwrap_or_else(|| "eventmap".to_string());
    let config = serde_json::json!({
        "title": title,
        "tiles": opts.tiles,
        "leaflet": LEAFLET_VERSION.trim(),
        "generator": concat!("eventmap ", env!("CARGO_PKG_VERSION")),
    });
    let basemap = basemap::basemap_json(&data::points(layers));
    let mut css = embed::strip_css_comments(LEAFLET_CSS);
    for (name, bytes) in LEAFLET_IMAGES {
        css = css.replace(
            &format!("url({name})"),
            &format!("url({})", embed::png_data_uri(bytes)),
        );
    }
    let tile_src = opts.tiles.as_deref().map(tile_origin).unwrap_or_default();
    Ok(embed::fill(
        TEMPLATE,
        &[
            ("TITLE", &embed::html_text(&title)),
            ("TILE_SRC", &embed::html_text(&tile_src)),
            ("LEAFLET_CSS", &embed::inline_style(&css)),
            ("APP_CSS", &embed::inline_style(APP_CSS)),
            ("LEAFLET_JS", &embed::inline_script(LEAFLET_JS)),
            ("APP_JS", &embed::inline_script(APP_JS)),
            ("CONFIG", &embed::script_json(&config.to_string())),
            ("BASEMAP", &embed::script_json(&basemap)),
            ("DATA", &embed::script_json(&data.to_string())),
        ],
    ))
}

/// The Content-Security-Policy source for a tile URL: its scheme and host,
/// with a `{s}` subdomain as `*`.
fn tile_origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split('/').next().unwrap_or("");
    format!("{scheme}://{}", host.replace("{s}", "*"))
}

/// A layer as the page reads it: the property names once (`keys`), and each
/// feature as `[[lon, lat], lines or null, [values in key order]]`
/// (trailing missing values left out). Repeating every key name in every
/// feature would make a third of a large file.
fn layer_json(l: &Layer) -> Value {
    let mut keys: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in &l.features {
        for k in f["p"].as_object().into_iter().flat_map(|p| p.keys()) {
            if !index.contains_key(k.as_str()) {
                index.insert(k, keys.len());
                keys.push(k);
            }
        }
    }
    let rows: Vec<Value> = l
        .features
        .iter()
        .map(|f| {
            let mut vals = vec![Value::Null; keys.len()];
            for (k, v) in f["p"].as_object().into_iter().flatten() {
                vals[index[k.as_str()]] = v.clone();
            }
            while vals.last().is_some_and(Value::is_null) {
                vals.pop();
            }
            Value::Array(vec![
                f["c"].clone(),
                f.get("l").cloned().unwrap_or(Value::Null),
                Value::Array(vals),
            ])
        })
        .collect();
    serde_json::json!({
        "kind": l.kind.name(),
        "source": l.source,
        "keys": keys,
        "features": rows,
    })
}

/// The region outlines of all layers, once per `gazetteer_id`:
/// `{id: [[[lon, lat], ...], ...]}` (every ring as a line).
fn shapes_json(layers: &[Layer]) -> Value {
    let mut all: std::collections::BTreeMap<&str, Value> = std::collections::BTreeMap::new();
    for l in layers {
        for (k, rings) in &l.shapes {
            all.entry(k).or_insert_with(|| {
                rings
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| serde_json::json!([c.x, c.y]))
                            .collect::<Value>()
                    })
                    .collect::<Value>()
            });
        }
    }
    serde_json::json!(all)
}

/// The layer files of an output directory that `extract` draws on its map,
/// in this order when they exist.
pub const OUTPUT_LAYERS: [&str; 3] = ["incidents.geojson", "events.geojson", "statements.geojson"];

/// The [`OUTPUT_LAYERS`] present in `dir`.
pub fn output_layer_files(dir: &Path) -> Vec<PathBuf> {
    OUTPUT_LAYERS
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect()
}

/// A page built from files.
#[derive(Debug)]
pub struct MapBuild {
    pub html: String,
    /// The layers drawn (merged by kind).
    pub layers: Vec<Layer>,
    /// Files that could not be read (the others are drawn).
    pub problems: Vec<MapError>,
}

/// Read the files (a bad one is reported in `problems` and left out) and
/// build the page. Fails only on a bad tile URL.
pub fn build_from_files(paths: &[PathBuf], opts: &MapOptions) -> Result<MapBuild, MapError> {
    if let Some(t) = &opts.tiles {
        check_tiles(t)?;
    }
    let mut layers = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match read_layer(p) {
            Ok(l) => layers.push(l),
            Err(e) => problems.push(e),
        }
    }
    let layers = merge_layers(layers);
    let html = render(&layers, opts)?;
    Ok(MapBuild {
        html,
        layers,
        problems,
    })
}

/// Write the page atomically: to a temporary file beside `path`, synced,
/// then renamed over it.
pub fn write_map(path: &Path, html: &str) -> Result<(), MapError> {
    let err = |source| MapError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut b = tempfile::Builder::new();
    b.prefix(".map.html.").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = b.tempfile_in(dir).map_err(err)?;
    tmp.write_all(html.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests;
