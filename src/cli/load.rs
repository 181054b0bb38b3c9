//! Loading the gazetteer, display names and actor files into an extractor.

use std::path::PathBuf;

use anyhow::Context;

use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::Extractor;

/// Load the gazetteer and build the extractor; problems are printed, and
/// `false` says some rows were skipped.
pub fn load_extractor(
    extra_dirs: Vec<PathBuf>,
    no_bundled: bool,
    names: Option<&str>,
) -> anyhow::Result<(Extractor, bool)> {
    let (mut gaz, problems) = Gazetteer::load(&LoadOptions {
        no_bundled,
        extra_dirs: extra_dirs.clone(),
    })
    .context("loading the gazetteer")?;
    let mut ok = true;
    for p in &problems {
        eprintln!("eventmap: {p}");
        ok &= !p.is_error;
    }
    // The word lists: bundled, extended by each directory's lexicon/.
    let (vocab, vproblems) =
        eventmap::vocab::Vocab::load(&extra_dirs).context("loading the lexicon")?;
    for p in &vproblems {
        eprintln!("eventmap: {p}");
        ok = false;
    }
    if eventmap::vocab::install(vocab).is_err() {
        anyhow::bail!("the lexicon was already in use; load it before extracting");
    }
    if let Some(convention) = names {
        let mut owned: Vec<(String, String)> = Vec::new();
        for d in &extra_dirs {
            let p = d.join(eventmap::gazetteer::DISPLAY_FILE);
            if p.is_file() {
                let c = eventmap::gazetteer::read_text(&p)?;
                owned.push((p.display().to_string(), c));
            }
        }
        let mut files = if no_bundled {
            Vec::new()
        } else {
            eventmap::gazetteer::bundled_sources()
        };
        files.extend(eventmap::gazetteer::as_sources(&owned));
        let known = Gazetteer::display_conventions(&files);
        if !known.iter().any(|k| k == convention) {
            anyhow::bail!(
                "unknown --names convention {convention:?}: known conventions are {}; add rows to display-names.tsv to define one",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            );
        }
        let (_, problems) = gaz.apply_display_names(convention, &files);
        for p in &problems {
            eprintln!("eventmap: {p}");
            ok = false;
        }
    }
    // A user's actors.tsv in a --gazetteer directory extends the dictionary.
    let mut extra: Vec<(String, String)> = Vec::new();
    for d in &extra_dirs {
        let p = d.join("actors.tsv");
        if p.is_file() {
            let c = eventmap::gazetteer::read_text(&p)?;
            extra.push((p.display().to_string(), c));
        }
    }
    let files: Vec<(&str, &str)> = extra
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let (ex, aproblems) = Extractor::with_actor_files(gaz, &files);
    for p in &aproblems {
        eprintln!("eventmap: {p}");
        ok = false;
    }
    Ok((ex, ok))
}
