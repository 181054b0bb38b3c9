//! `eventmap map`: one offline HTML map of GeoJSON layers; and the map that
//! `extract` writes beside its outputs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use eventmap::map::{self, MapBuild, MapOptions};

#[derive(clap::Args)]
pub struct MapArgs {
    /// GeoJSON layers written by eventmap (incidents, events, statements; FeatureCollections or text sequences). Example: eventmap map output/incidents.geojson output/statements.geojson
    #[arg(required = true, value_name = "FILE.geojson")]
    files: Vec<PathBuf>,
    /// The HTML file to write. Example: -o war.html
    #[arg(short, long, value_name = "FILE.html", default_value = "map.html")]
    output: PathBuf,
    /// The page's title [default: eventmap]. Example: --title "Karabakh, 2014-2023"
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Draw tiles from this XYZ URL template under the data; the page then loads them from the network [default: none: offline, Natural Earth outlines only]. Example: --tiles 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
    #[arg(long, value_name = "URL")]
    tiles: Option<String>,
    /// No summary line [default: off]. Example: -q
    #[arg(short, long)]
    quiet: bool,
}

/// Print the build's problems and a note on features without a geometry;
/// `true` when nothing was left out.
fn report(build: &MapBuild) -> bool {
    for p in &build.problems {
        eprintln!("eventmap: {p}");
    }
    let mut complete = build.problems.is_empty();
    for l in &build.layers {
        for (i, id, why) in &l.skipped {
            eprintln!(
                "eventmap: {}: feature {} ({id:?}) not drawn: {why}; give it a Point, LineString or Polygon geometry",
                l.source,
                i + 1
            );
            complete = false;
        }
    }
    complete
}

fn summary(build: &MapBuild, path: &Path) -> String {
    let parts: Vec<String> = build
        .layers
        .iter()
        .map(|l| format!("{} {}", l.features.len(), l.kind.name()))
        .collect();
    format!(
        "eventmap: map of {} written to {} ({} KB)",
        if parts.is_empty() {
            "no records".to_string()
        } else {
            parts.join(", ")
        },
        path.display(),
        build.html.len().div_ceil(1024)
    )
}

pub fn run(a: MapArgs) -> anyhow::Result<ExitCode> {
    let opts = MapOptions {
        title: a.title,
        tiles: a.tiles,
    };
    let build = map::build_from_files(&a.files, &opts)?;
    let complete = report(&build);
    if build.layers.is_empty() {
        anyhow::bail!("no layer could be read: give GeoJSON files written by eventmap extract");
    }
    map::write_map(&a.output, &build.html)?;
    if !a.quiet {
        println!("{}", summary(&build, &a.output));
    }
    Ok(if complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// After `extract`: `out_dir/map.html` from the GeoJSON layers just written
/// there (and an `events.geojson` beside them). `false` when a layer could
/// not be read or a feature not drawn.
pub fn after_extract(out_dir: &Path) -> anyhow::Result<bool> {
    let files = map::output_layer_files(out_dir);
    let build = map::build_from_files(&files, &MapOptions::default())?;
    let complete = report(&build);
    let path = out_dir.join("map.html");
    map::write_map(&path, &build.html).with_context(|| "writing the map (--no-map skips it)")?;
    Ok(complete)
}
