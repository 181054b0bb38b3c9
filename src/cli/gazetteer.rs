//! `eventmap gazetteer check|lookup|import-geonames`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use eventmap::gazetteer::{Gazetteer, LoadOptions};

#[derive(Subcommand)]
pub enum GazetteerCommand {
    /// Check gazetteer files; prints each problem as path:line: message. Exits 1 on errors.
    ///
    /// Example: eventmap gazetteer check gazetteer/
    Check {
        /// Gazetteer directory to check [default: ./gazetteer if it exists, else the data embedded in the binary]. Example: my-places/
        dir: Option<PathBuf>,
    },
    /// Look a place name up (case, diacritic, script and misspelling tolerant).
    ///
    /// Example: eventmap gazetteer lookup Stepanakerd --limit 5
    Lookup {
        /// The name to look up. Example: Xankəndi
        name: String,
        /// Most results to show [default: 10]. Example: --limit 3
        #[arg(
            long,
            value_name = "N",
            default_value_t = 10,
            hide_default_value = true
        )]
        limit: usize,
        /// Extra gazetteer directory loaded on top of the bundled one (repeatable) [default: none]. Example: --gazetteer my-places/
        #[arg(long, value_name = "DIR")]
        gazetteer: Vec<PathBuf>,
        /// Rank places in these countries first among equal scores, comma-separated ISO codes [default: none]. Example: --prefer AZ,AM
        #[arg(long, value_name = "CC,CC", value_delimiter = ',')]
        prefer: Vec<String>,
        /// Rank the places of the name as an article about this country would (ISO code or country name): the chosen one first, marked `*`, then the rest by distance to the country [default: none]. Example: --near AM
        #[arg(long, value_name = "COUNTRY")]
        near: Option<String>,
    },
    /// Convert a GeoNames dump (allCountries.txt, XX.txt, cities500.txt) to a places TSV.
    ///
    /// Example: eventmap gazetteer import-geonames AZ.txt --countries AZ,AM -o gazetteer/places/az.tsv
    ImportGeonames {
        /// GeoNames file in the 19-column geoname layout, with or without a header line. Example: cities500.txt
        file: PathBuf,
        /// Keep only these ISO 3166-1 alpha-2 countries, comma-separated [default: all]. Example: --countries AZ,AM
        #[arg(long, value_name = "CC,CC", value_delimiter = ',')]
        countries: Option<Vec<String>>,
        /// Drop populated places (class P) with fewer inhabitants [default: 0]. Example: --min-population 1000
        #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
        min_population: u64,
        /// GeoNames admin1CodesASCII.txt (or a level/code/name table) to fill the admin1 column [default: admin1 left empty]. Example: --admin-codes admin1CodesASCII.txt
        #[arg(long, value_name = "FILE")]
        admin_codes: Option<PathBuf>,
        /// Output TSV file [default: standard output]. Example: -o gazetteer/places/az.tsv
        #[arg(short, long, value_name = "OUT.tsv")]
        out: Option<PathBuf>,
    },
}

pub fn run(c: GazetteerCommand) -> anyhow::Result<ExitCode> {
    use eventmap::gazetteer as gz;
    match c {
        GazetteerCommand::Check { dir } => {
            let dir = dir.or_else(|| {
                let d = PathBuf::from("gazetteer");
                d.is_dir().then_some(d)
            });
            let problems = match &dir {
                Some(d) => {
                    let owned = gz::read_source_dir(d)?;
                    let boundaries = gz::Boundaries::for_dir(d)?;
                    gz::check_with_boundaries(&gz::as_sources(&owned), &boundaries)
                }
                None => gz::check(&gz::bundled_sources()),
            };
            let mut problems = problems;
            problems.extend(eventmap::vocab::check(dir.as_deref())?);
            for p in &problems {
                println!("{p}");
            }
            let errors = problems.iter().filter(|p| p.is_error).count();
            let what = dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "embedded gazetteer".to_string());
            println!(
                "eventmap: checked {what}: {errors} error(s), {} warning(s)",
                problems.len() - errors
            );
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        GazetteerCommand::Lookup {
            name,
            limit,
            gazetteer,
            prefer,
            near,
        } => {
            let (gaz, problems) = Gazetteer::load(&LoadOptions {
                no_bundled: false,
                extra_dirs: gazetteer,
            })
            .context("loading the gazetteer")?;
            for p in &problems {
                eprintln!("eventmap: {p}");
            }
            let pref = gz::Preference {
                countries: prefer,
                bbox: None,
            };
            let found = gaz.lookup_preferring(&name, limit, &pref);
            match &near {
                None => print!("{}", gz::format_candidates(&gaz, &found)),
                Some(c) => {
                    let Some(cc) = country_code(&gaz, c) else {
                        eprintln!("eventmap: --near {c:?}: no such country (an ISO code such as AM, or a country name)");
                        return Ok(ExitCode::from(2));
                    };
                    print_near(&gaz, &name, found.clone(), &cc);
                }
            }
            if found.is_empty() {
                eprintln!("eventmap: no place matches {name:?}");
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::ImportGeonames {
            file,
            countries,
            min_population,
            admin_codes,
            out,
        } => {
            let admin = match &admin_codes {
                Some(p) => Some(gz::read_admin_names(
                    &std::fs::read_to_string(p)
                        .with_context(|| format!("reading {}", p.display()))?,
                )),
                None => None,
            };
            let f = std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?;
            let r = gz::import_geonames_from(
                std::io::BufReader::new(f),
                &file.display().to_string(),
                countries.as_deref(),
                min_population,
                admin.as_ref(),
            );
            for p in &r.problems {
                eprintln!("{p}");
            }
            match &out {
                Some(o) => {
                    std::fs::write(o, &r.tsv).with_context(|| format!("writing {}", o.display()))?
                }
                None => print!("{}", r.tsv),
            }
            eprintln!(
                "eventmap: {} places written, {} rows filtered out, {} bad rows",
                r.written,
                r.filtered,
                r.problems.len()
            );
            Ok(if r.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// The ISO code of `c`: a code the gazetteer has a country for, or a
/// country's name or alias.
fn country_code(g: &Gazetteer, c: &str) -> Option<String> {
    let c = c.trim();
    if c.len() == 2 {
        if let Some(p) = g.country(c) {
            return Some(p.country.clone());
        }
    }
    g.candidates(&eventmap::gazetteer::normalize(c))
        .iter()
        .map(|&i| &g.places[i])
        .find(|p| p.kind == eventmap::gazetteer::PlaceKind::Country)
        .map(|p| p.country.clone())
}

/// `lookup --near CC`: the exact matches ranked as an article about `cc`
/// ranks them, with their distance to it and the choice marked, then the
/// looser matches; a last line says what the name resolves to there.
fn print_near(g: &Gazetteer, name: &str, found: Vec<eventmap::gazetteer::Candidate>, cc: &str) {
    use eventmap::incidents::namesakes::{rank_near, VERY_FAR_KM};
    let exact: Vec<usize> = found
        .iter()
        .filter(|c| c.score >= eventmap::gazetteer::EXACT)
        .map(|c| c.idx)
        .collect();
    // The gazetteer's own order of the name's places.
    let key = eventmap::gazetteer::normalize(name);
    let mut order: Vec<usize> = g.candidates(&key).to_vec();
    order.retain(|i| exact.contains(i));
    let rest: Vec<usize> = exact
        .iter()
        .copied()
        .filter(|i| !order.contains(i))
        .collect();
    order.extend(rest);
    let r = rank_near(g, &order, name.trim(), cc);
    let mut rows: Vec<eventmap::gazetteer::Candidate> = Vec::new();
    let (mut km, mut mark) = (Vec::new(), Vec::new());
    for &(i, d) in &r.ranked {
        rows.push(
            found
                .iter()
                .find(|c| c.idx == i)
                .expect("an exact match")
                .clone(),
        );
        km.push(if d.is_finite() {
            format!("{d:.0}")
        } else {
            "-".into()
        });
        mark.push(if Some(i) == r.chosen {
            "*".into()
        } else {
            String::new()
        });
    }
    for c in found.iter().filter(|c| !exact.contains(&c.idx)) {
        rows.push(c.clone());
        km.push(String::new());
        mark.push(String::new());
    }
    print!(
        "{}",
        eventmap::gazetteer::format_candidates_with(g, &rows, &[("km", km), ("chosen", mark)])
    );
    match (r.chosen, r.ranked.first()) {
        (Some(i), _) => {
            let p = &g.places[i];
            let cue = if r.needs_cue {
                format!(
                    " only after a locative word (\"in {}\"): it lies more than {VERY_FAR_KM:.0} km from {cc}",
                    name.trim()
                )
            } else {
                String::new()
            };
            println!("near {cc}: {:?} -> {} [{}]{cue}", name.trim(), p.name, p.id);
        }
        (None, Some(&(i, d))) => println!(
            "near {cc}: {:?} -> nothing: {} [{}] lies {d:.0} km away and is not spelled {:?}",
            name.trim(),
            g.places[i].name,
            g.places[i].id,
            name.trim()
        ),
        (None, None) => println!("near {cc}: {:?} -> no exact match", name.trim()),
    }
    let lists = eventmap::incidents::namesakes::Lists::from_vocab();
    if lists.is_never_alone(&name.trim().to_lowercase()) {
        println!(
            "{:?} is in the never-alone list: a place only as \"the town of {}\", or after a locative word when the article names the place's country",
            name.trim(),
            name.trim()
        );
    }
}
