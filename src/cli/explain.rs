//! `eventmap explain`: the decisions behind each sentence's incidents.

use std::path::PathBuf;
use std::process::ExitCode;

use eventmap::text::load_inputs;

use super::load::load_extractor;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// Article files (.txt) or directories of them. Example: eventmap explain seeds/001_405a79c29a6589a7.txt
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Manifest CSV [default: index.csv beside the article]. Example: --manifest seeds/index.csv
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Extra gazetteer directory loaded on top of the bundled one (repeatable) [default: none]. Example: --gazetteer my-places/
    #[arg(long, value_name = "DIR")]
    pub gazetteer: Vec<PathBuf>,
    /// Names shown for contested places (see `extract --help`) [default: international usage]. Example: --names hy
    #[arg(long, value_name = "CONVENTION")]
    pub names: Option<String>,
}

pub fn run(a: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (ex, gazetteer_ok) = load_extractor(a.gazetteer.clone(), false, a.names.as_deref())?;
    // A single file: use the index.csv beside it when there is one.
    let manifest = a.manifest.or_else(|| {
        let p = a.paths.first()?;
        let idx = if p.is_dir() {
            p.join("index.csv")
        } else {
            p.parent()?.join("index.csv")
        };
        idx.is_file().then_some(idx)
    });
    let inputs = load_inputs(&a.paths, manifest.as_deref());
    for e in &inputs.errors {
        eprintln!("eventmap: {e}");
    }
    let mut fused = Vec::new();
    for art in &inputs.articles {
        let r = ex.extract_with(art, true);
        for line in &r.explain {
            println!("{line}");
        }
        println!();
        fused.push((r.incidents, art.published));
    }
    if fused.len() > 1 {
        super::fuse::explain_events(&fused)
            .iter()
            .for_each(|l| println!("{l}"));
    }
    Ok(if inputs.errors.is_empty() && gazetteer_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
