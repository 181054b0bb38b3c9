//! Display-name conventions for contested places.
//!
//! Every side's name is always an alias, so matching finds "Stepanakert" and
//! "Khankendi" alike. Which one the output *shows* is a choice: by default the
//! `name` column (the name in current international usage, the official name
//! of the state that administers the place). `display-names.tsv` (columns
//! `place_id`, `convention`, `name`) lists other conventions, chosen with
//! `--names CONVENTION` (e.g. `hy`: Stepanakert, Shushi, Martakert).

use super::{Gazetteer, Problem, SourceFile};

/// The file name of display-name conventions.
pub const DISPLAY_FILE: &str = "display-names.tsv";

/// One row of `display-names.tsv`: place id, convention, name.
fn display_row(line: &str) -> Result<[&str; 3], String> {
    super::parse::check_row_text(line)?;
    let c: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
    match c[..] {
        [id, convention, name] if [id, convention, name].iter().all(|x| !x.trim().is_empty()) => {
            Ok([id, convention, name])
        }
        _ => Err(format!(
            "expected 3 tab-separated columns place_id, convention, name, found {line:?}"
        )),
    }
}

fn unknown_id(id: &str) -> String {
    format!("no place has id {id:?}: fix the id or remove the row")
}

impl Gazetteer {
    /// Show `convention`'s names for the places it lists. Problems: malformed
    /// rows and unknown ids; an unknown convention is an error for the caller
    /// (see the returned count of renamed places).
    pub fn apply_display_names(
        &mut self,
        convention: &str,
        files: &[SourceFile<'_>],
    ) -> (usize, Vec<Problem>) {
        let mut renamed = 0;
        let mut problems = Vec::new();
        for f in files.iter().filter(|f| f.path.ends_with(DISPLAY_FILE)) {
            for (i, line) in f.contents.lines().enumerate() {
                if i == 0 || line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let bad = |message: String| Problem {
                    path: f.path.to_string(),
                    line: i + 1,
                    message,
                    is_error: true,
                };
                let c = match display_row(line) {
                    Ok(c) => c,
                    Err(m) => {
                        problems.push(bad(m));
                        continue;
                    }
                };
                if c[1] != convention {
                    continue;
                }
                let Some(idx) = self.index_of(c[0]) else {
                    problems.push(bad(unknown_id(c[0])));
                    continue;
                };
                let p = &mut self.places[idx];
                if p.name != c[2] {
                    let old = std::mem::replace(&mut p.name, c[2].to_string());
                    if !p.names.contains(&old) {
                        p.names.push(old);
                    }
                }
                renamed += 1;
            }
        }
        (renamed, problems)
    }

    /// The problems [`Gazetteer::apply_display_names`] would report for
    /// any convention: malformed rows and unknown ids (for `gazetteer check`).
    pub(crate) fn check_display_names(&self, files: &[SourceFile<'_>]) -> Vec<Problem> {
        let mut problems = Vec::new();
        for f in files.iter().filter(|f| f.path.ends_with(DISPLAY_FILE)) {
            for (i, line) in f.contents.lines().enumerate() {
                if i == 0 || line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let message = match display_row(line) {
                    Ok(c) if self.index_of(c[0]).is_some() => continue,
                    Ok(c) => unknown_id(c[0]),
                    Err(m) => m,
                };
                problems.push(Problem {
                    path: f.path.to_string(),
                    line: i + 1,
                    message,
                    is_error: true,
                });
            }
        }
        problems
    }

    /// The conventions the files define.
    pub fn display_conventions(files: &[SourceFile<'_>]) -> Vec<String> {
        let mut out: Vec<String> = files
            .iter()
            .filter(|f| f.path.ends_with(DISPLAY_FILE))
            .flat_map(|f| f.contents.lines().skip(1))
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        self.places.iter().position(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_convention_renames_only_its_places() {
        let places = format!(
            "{}\ngn-1\tKhankendi\ttown\tAZ\t\t39.8177\t46.7528\t50000\tStepanakert\tGeoNames 146970\n\
             gn-2\tBaku\tcapital\tAZ\t\t40.37767\t49.89201\t2000000\t\tGeoNames 587084\n",
            super::super::PLACES_HEADER
        );
        let display =
            "place_id\tconvention\tname\ngn-1\thy\tStepanakert\ngn-9\thy\tNowhere\nbad row\n";
        let files = [
            SourceFile {
                path: "places/t.tsv",
                contents: &places,
            },
            SourceFile {
                path: "display-names.tsv",
                contents: display,
            },
        ];
        let (mut g, p) = Gazetteer::from_sources(&files);
        assert!(p.is_empty(), "{p:?}");
        let (n, problems) = g.apply_display_names("hy", &files);
        assert_eq!(n, 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0]
            .to_string()
            .starts_with("display-names.tsv:3: no place has id \"gn-9\""));
        assert_eq!(g.by_id("gn-1").unwrap().name, "Stepanakert");
        assert!(g
            .by_id("gn-1")
            .unwrap()
            .names
            .contains(&"Khankendi".to_string()));
        assert_eq!(g.by_id("gn-2").unwrap().name, "Baku");
        assert_eq!(Gazetteer::display_conventions(&files), ["hy"]);
    }
}
