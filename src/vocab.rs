//! Vocabularies as data: the word lists the extraction rules read.
//!
//! Each list is a tab-separated file `lexicon/<lang>/<list>.tsv` with a
//! header row (its first column is `phrase`) and `#` comment lines. Phrases
//! are lowercase and match at word boundaries; a trailing `*` matches any
//! word ending ("shell*" = shell, shells, shelled, shelling). A list is the
//! union of its files in every language folder: the bundled ones (compiled
//! in from `gazetteer/lexicon/`), then those of each `--gazetteer DIR`
//! (`DIR/lexicon/<lang>/<list>.tsv`), so a contributor adds a trigger, a
//! Russian verb or a weapon name by editing a file, without recompiling.
//!
//! The vocabulary is read once per process: [`install`] it before the
//! first extraction (the command line does), or the bundled one is used.

use crate::gazetteer::FastMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::gazetteer::Problem;
use crate::taxonomy::EventType;

/// What reading a `--gazetteer` directory's lexicon can fail with.
#[derive(Debug, thiserror::Error)]
pub enum VocabError {
    #[error("cannot read lexicon file {path}: {source}; check that it exists and is readable")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One list's file layout and the test each row must pass.
struct ListSpec {
    name: &'static str,
    columns: &'static [&'static str],
    check: fn(&[&str]) -> Result<(), String>,
}

fn any_row(_: &[&str]) -> Result<(), String> {
    Ok(())
}

fn trigger_row(cols: &[&str]) -> Result<(), String> {
    if EventType::parse(cols[1], cols[2]).is_none() {
        return Err(format!(
            "{:?} / {:?} is not an event type of CODEBOOK section 4; copy the two names from its table",
            cols[1], cols[2]
        ));
    }
    match cols[3] {
        "strong" | "weak" => Ok(()),
        s => Err(format!("strength {s:?} must be `strong` or `weak`")),
    }
}

/// `value` must be one of `allowed`; the error names the column (`what`).
fn one_of(value: &str, allowed: &[&str], what: &str) -> Result<(), String> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{what} {value:?} must be one of {}",
            allowed.join(", ")
        ))
    }
}

/// The statement kinds of CODEBOOK section 6.
pub const STATEMENT_KINDS: [&str; 6] = [
    "concern",
    "appeal",
    "condemnation",
    "threat",
    "call",
    "meeting",
];

fn statement_row(cols: &[&str]) -> Result<(), String> {
    one_of(cols[1], &STATEMENT_KINDS, "statement kind")
}

fn number_row(cols: &[&str]) -> Result<(), String> {
    match cols[1].parse::<u32>() {
        Ok(_) => Ok(()),
        Err(_) => Err(format!(
            "value {:?} must be a whole number (digits only)",
            cols[1]
        )),
    }
}

fn month_row(cols: &[&str]) -> Result<(), String> {
    match cols[1].parse::<u32>() {
        Ok(1..=12) => Ok(()),
        _ => Err(format!("month {:?} must be a number from 1 to 12", cols[1])),
    }
}

/// The weekday column's values, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn weekday_row(cols: &[&str]) -> Result<(), String> {
    one_of(cols[1], &WEEKDAYS, "weekday")
}

fn offset_row(cols: &[&str]) -> Result<(), String> {
    match cols[1].parse::<i32>() {
        Ok(-7..=7) => Ok(()),
        _ => Err(format!(
            "offset {:?} must be a whole number of days from -7 to 7",
            cols[1]
        )),
    }
}

/// The kinds of the `locators` list.
pub const LOCATOR_KINDS: [&str; 3] = ["direction", "unit", "link"];

fn locator_row(cols: &[&str]) -> Result<(), String> {
    one_of(cols[1], &LOCATOR_KINDS, "locator kind")
}

const PHRASE: &[&str] = &["phrase"];

/// A list of phrases alone (one column), any phrase allowed.
const fn plain(name: &'static str) -> ListSpec {
    ListSpec {
        name,
        columns: PHRASE,
        check: any_row,
    }
}

/// Lists matched as written (abbreviations, sentence starters, names of
/// institutions), whose phrases keep their capitals.
const ANY_CASE: &[&str] = &[
    "title-abbreviations",
    "number-abbreviations",
    "maybe-abbreviations",
    "sentence-starters",
    "institution-words",
];

/// Every list the rules read.
const LISTS: &[ListSpec] = &[
    ListSpec {
        name: "triggers",
        columns: &["phrase", "event_type", "sub_event_type", "strength"],
        check: trigger_row,
    },
    ListSpec {
        name: "statement-verbs",
        columns: &["phrase", "kind"],
        check: statement_row,
    },
    plain("modal-cues"),
    plain("aggregate-cues"),
    plain("history-cues"),
    plain("settlement-anaphora"),
    plain("recurrence-cues"),
    plain("report-verbs"),
    plain("report-fillers"),
    plain("incident-nouns"),
    plain("military-victims"),
    plain("civilian-victims"),
    plain("toll-words"),
    plain("recent-days"),
    plain("protest-words"),
    plain("never-alone"),
    plain("place-nouns"),
    plain("place-noun-modifiers"),
    plain("place-nouns-before"),
    plain("death-words"),
    plain("injury-words"),
    plain("unit-words"),
    plain("vague-words"),
    plain("person-nouns"),
    plain("toll-part-before"),
    plain("toll-subset-cues"),
    plain("singular-toll-words"),
    plain("toll-negations"),
    plain("article-counts"),
    plain("one-victim-blockers"),
    plain("kind-cues"),
    plain("victim-anaphora"),
    plain("participle-cues"),
    plain("victim-description-verbs"),
    plain("duration-units"),
    plain("occurrence-verbs"),
    ListSpec {
        name: "name-endings",
        columns: &["phrase", "base"],
        check: any_row,
    },
    ListSpec {
        name: "adjective-endings",
        columns: &["phrase", "base"],
        check: any_row,
    },
    plain("common-words"),
    plain("area-suffixes"),
    plain("district-words"),
    plain("city-part-nouns"),
    plain("destination-cues"),
    plain("region-words"),
    plain("locative-before"),
    plain("place-modifiers"),
    plain("area-of-nouns"),
    plain("institution-second"),
    plain("venue-verbs"),
    plain("seat-buildings"),
    plain("institution-after"),
    plain("speech-verbs"),
    plain("verb-adverbs"),
    plain("locative-speech-verbs"),
    plain("offices-before-of"),
    plain("passive-participles"),
    plain("stance-participles"),
    plain("one-victim-words"),
    plain("event-nouns-before-of"),
    plain("near-before"),
    plain("description-cues"),
    ListSpec {
        name: "locators",
        columns: &["phrase", "kind"],
        check: locator_row,
    },
    plain("relative-words"),
    plain("titles"),
    plain("place-suffixes"),
    plain("descriptors"),
    plain("function-words"),
    plain("wrap-words"),
    plain("care-cues"),
    plain("modified-nouns"),
    plain("strong-markers"),
    plain("weak-markers"),
    plain("weak-prefixes"),
    plain("tag-lines"),
    plain("social-words"),
    plain("labels"),
    plain("small-words"),
    plain("month-cues"),
    plain("count-markers"),
    plain("birth-year-before"),
    plain("birth-year-after"),
    plain("count-nouns"),
    plain("military-nouns"),
    plain("active-verbs"),
    plain("title-abbreviations"),
    plain("number-abbreviations"),
    plain("maybe-abbreviations"),
    plain("sentence-starters"),
    plain("institution-words"),
    plain("origin-cues"),
    plain("origin-openers"),
    plain("origin-closers"),
    plain("incident-anaphora"),
    ListSpec {
        name: "day-after-cues",
        columns: &["phrase", "offset"],
        check: offset_row,
    },
    ListSpec {
        name: "night-cues",
        columns: &["phrase", "offset"],
        check: offset_row,
    },
    ListSpec {
        name: "months",
        columns: &["phrase", "month"],
        check: month_row,
    },
    ListSpec {
        name: "weekdays",
        columns: &["phrase", "weekday"],
        check: weekday_row,
    },
    ListSpec {
        name: "day-words",
        columns: &["phrase", "offset"],
        check: offset_row,
    },
    ListSpec {
        name: "number-words",
        columns: &["phrase", "value"],
        check: number_row,
    },
];

/// The word lists, each a list of rows (the columns of its file).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Vocab {
    lists: FastMap<&'static str, Vec<Vec<&'static str>>>,
    /// The first column of each list.
    phrases: FastMap<&'static str, Vec<&'static str>>,
}

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_lexicon.rs"));
}

/// The bundled lexicon files as (path, contents).
pub fn bundled_files() -> Vec<(String, &'static str)> {
    bundled::FILES
        .iter()
        .map(|(p, c)| (p.to_string(), *c))
        .collect()
}

impl Vocab {
    /// The vocabulary compiled into the binary.
    pub fn bundled() -> Vocab {
        let (v, problems) = Vocab::from_files(&bundled_files());
        debug_assert!(problems.is_empty(), "{problems:?}");
        v
    }

    /// The bundled vocabulary extended by the lexicon files of `dirs`
    /// (each `DIR/lexicon/**/*.tsv`). Bad rows are reported and skipped.
    pub fn load(dirs: &[PathBuf]) -> Result<(Vocab, Vec<Problem>), VocabError> {
        let mut files = bundled_files();
        for d in dirs {
            files.extend(read_dir_files(d)?);
        }
        Ok(Vocab::from_files(&files))
    }

    /// Build from (path, contents) files, in order: a later row for the same
    /// phrase of a list replaces the earlier one.
    pub fn from_files(files: &[(String, &'static str)]) -> (Vocab, Vec<Problem>) {
        let mut v = Vocab::default();
        let mut problems = Vec::new();
        for (path, contents) in files {
            v.add_file(path, contents, &mut problems);
        }
        v.phrases = v
            .lists
            .iter()
            .map(|(k, rows)| (*k, rows.iter().map(|r| r[0]).collect()))
            .collect();
        (v, problems)
    }

    fn add_file(&mut self, path: &str, contents: &'static str, problems: &mut Vec<Problem>) {
        let mut err = |line: usize, message: String, is_error: bool| {
            problems.push(Problem {
                path: path.to_string(),
                line,
                message,
                is_error,
            })
        };
        let stem = Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        let Some(spec) = LISTS.iter().find(|s| s.name == stem) else {
            let known: Vec<&str> = LISTS.iter().map(|s| s.name).collect();
            err(
                1,
                format!(
                    "unknown lexicon list {stem:?}: name the file after one of {}",
                    known.join(", ")
                ),
                true,
            );
            return;
        };
        let mut lines = contents
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let Some((hline, header)) = lines.next() else {
            return;
        };
        let header = header.trim_start_matches('\u{feff}');
        if header.split('\t').collect::<Vec<_>>() != spec.columns {
            err(
                hline,
                format!(
                    "header {header:?} must be the columns {:?} separated by tabs",
                    spec.columns.join("\t")
                ),
                true,
            );
            return;
        }
        let rows = self.lists.entry(spec.name).or_default();
        let mut seen: std::collections::HashMap<&'static str, usize> =
            std::collections::HashMap::new();
        for (n, line) in lines {
            let mut cols: Vec<&'static str> = line.split('\t').collect();
            // "also on ": quotes keep the spaces around a phrase.
            let quoted = cols[0]
                .strip_prefix('"')
                .and_then(|p| p.strip_suffix('"'))
                .filter(|p| !p.trim().is_empty());
            if let Some(inner) = quoted {
                cols[0] = inner;
            }
            match check_row(spec, &cols, quoted.is_some()) {
                Ok(()) => {
                    // In one file a second row for a phrase is a slip (it
                    // would silently replace the first); across files it is
                    // an overlay's correction.
                    if let Some(first) = seen.insert(cols[0], n) {
                        err(
                            n,
                            format!(
                                "phrase {:?} repeats line {first}: merge the two rows into one",
                                cols[0]
                            ),
                            true,
                        );
                        continue;
                    }
                    rows.retain(|r| r[0] != cols[0]);
                    rows.push(cols);
                }
                Err(m) => err(n, format!("{m}; the row is skipped"), true),
            }
        }
    }

    /// The rows of a list (empty for an unknown list).
    pub fn rows(&self, list: &str) -> &[Vec<&'static str>] {
        self.lists.get(list).map_or(&[], |v| v.as_slice())
    }

    /// The phrases (first column) of a list.
    pub fn phrases(&self, list: &str) -> Vec<&'static str> {
        self.words(list).to_vec()
    }

    /// The phrases (first column) of a list, borrowed.
    pub fn words(&self, list: &str) -> &[&'static str] {
        self.phrases.get(list).map_or(&[], |v| v.as_slice())
    }
}

fn check_row(spec: &ListSpec, cols: &[&str], quoted: bool) -> Result<(), String> {
    if cols.len() != spec.columns.len() {
        return Err(format!(
            "{} column(s) where the header has {} ({}); separate columns with one tab",
            cols.len(),
            spec.columns.len(),
            spec.columns.join(", ")
        ));
    }
    let p = cols[0];
    if (p.trim() != p && !quoted) || p.is_empty() {
        return Err(format!(
            "phrase {p:?} is empty or has spaces around it; write the phrase alone"
        ));
    }
    if p.to_lowercase() != p && !ANY_CASE.contains(&spec.name) {
        return Err(format!(
            "phrase {p:?} has capitals; write it in lowercase ({:?}): text is matched lowercased",
            p.to_lowercase()
        ));
    }
    if p.trim_end_matches('*').contains('*') || p == "*" {
        return Err(format!(
            "phrase {p:?} has a `*` that is not its last character; `*` only ends a phrase"
        ));
    }
    (spec.check)(cols)
}

/// The lexicon files of a `--gazetteer` directory, sorted by path.
fn read_dir_files(dir: &Path) -> Result<Vec<(String, &'static str)>, VocabError> {
    let root = dir.join("lexicon");
    let mut paths = Vec::new();
    collect_tsv(&root, &mut paths, 0).map_err(|source| VocabError::Io {
        path: root.clone(),
        source,
    })?;
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let c = std::fs::read_to_string(&p).map_err(|source| VocabError::Io {
            path: p.clone(),
            source,
        })?;
        // Read once per process and kept for its life, like the bundled files.
        out.push((p.display().to_string(), &*Box::leak(c.into_boxed_str())));
    }
    Ok(out)
}

/// `*.tsv` files below `dir` (two levels: `lexicon/<lang>/`); no links followed.
fn collect_tsv(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if !dir.is_dir() || depth > 1 {
        return Ok(());
    }
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let ft = e.file_type()?;
        let p = e.path();
        if ft.is_dir() {
            collect_tsv(&p, out, depth + 1)?;
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "tsv") {
            out.push(p);
        }
    }
    Ok(())
}

/// Check the lexicon of a gazetteer directory (`None`: the bundled one).
pub fn check(dir: Option<&Path>) -> Result<Vec<Problem>, VocabError> {
    let files = match dir {
        Some(d) => read_dir_files(d)?,
        None => bundled_files(),
    };
    Ok(Vocab::from_files(&files).1)
}

/// The phrases of a list of the vocabulary in use.
pub fn words(list: &str) -> &'static [&'static str] {
    get().words(list)
}

static INSTALLED: OnceLock<Vocab> = OnceLock::new();

/// Make `v` the vocabulary of this process. Only the first call (or first
/// use) counts: a later different vocabulary is returned as the error.
pub fn install(v: Vocab) -> Result<(), Box<Vocab>> {
    let mut slot = Some(v);
    let cur = INSTALLED.get_or_init(|| slot.take().expect("set once"));
    match slot {
        Some(v) if v != *cur => Err(Box::new(v)),
        _ => Ok(()),
    }
}

/// The vocabulary in use: the installed one, else the bundled one.
pub fn get() -> &'static Vocab {
    INSTALLED.get_or_init(Vocab::bundled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(path: &str, contents: &'static str) -> Vec<String> {
        Vocab::from_files(&[(path.to_string(), contents)])
            .1
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn bundled_lexicon_is_clean_and_has_every_list() {
        let (v, problems) = Vocab::from_files(&bundled_files());
        assert!(problems.is_empty(), "{problems:?}");
        for spec in LISTS {
            assert!(!v.rows(spec.name).is_empty(), "no rows in {}", spec.name);
        }
    }

    #[test]
    fn bad_rows_are_reported_with_path_and_line() {
        let table: &[(&str, &'static str, &str)] = &[
            ("l/en/triggers.tsv", "phrase\tevent_type\tsub_event_type\tstrength\nshelled\tBattles\tShelling\tstrong\n", "l/en/triggers.tsv:2: \"Battles\" / \"Shelling\" is not an event type"),
            ("l/en/triggers.tsv", "phrase\tevent_type\tsub_event_type\tstrength\nShelled\tBattles\tArmed clash\tstrong\n", "l/en/triggers.tsv:2: phrase \"Shelled\" has capitals"),
            ("l/en/triggers.tsv", "# c\nphrase\tevent_type\tsub_event_type\tstrength\nshell*ed\tBattles\tArmed clash\tstrong\n", "l/en/triggers.tsv:3: phrase \"shell*ed\" has a `*`"),
            ("l/en/triggers.tsv", "phrase\tevent_type\tsub_event_type\tstrength\nshelled\tBattles\tArmed clash\tsure\n", "l/en/triggers.tsv:2: strength \"sure\""),
            ("l/en/triggers.tsv", "phrase\tevent_type\nshelled\tBattles\n", "l/en/triggers.tsv:1: header"),
            ("l/en/toll-words.tsv", "phrase\nkilled\textra\n", "l/en/toll-words.tsv:2: 2 column(s)"),
            ("l/en/statement-verbs.tsv", "phrase\tkind\nurged\tplea\n", "l/en/statement-verbs.tsv:2: statement kind \"plea\""),
            ("l/en/weapons.tsv", "phrase\ngrad\n", "l/en/weapons.tsv:1: unknown lexicon list \"weapons\""),
            ("l/en/toll-words.tsv", "phrase\nkilled \n", "l/en/toll-words.tsv:2: phrase \"killed \" is empty or has spaces"),
            ("l/en/toll-words.tsv", "phrase\nkilled\ndied\nkilled\n", "l/en/toll-words.tsv:4: phrase \"killed\" repeats line 2"),
        ];
        for (path, contents, want) in table {
            let got = problems(path, contents);
            assert_eq!(got.len(), 1, "{path}: {got:?}");
            assert!(
                got[0].starts_with(want),
                "{got:?} does not start with {want:?}"
            );
        }
    }

    #[test]
    fn good_rows_load_and_later_files_extend_and_replace() {
        let files = vec![
            ("a/en/toll-words.tsv".to_string(), "phrase\nkilled\ndied\n"),
            ("b/ru/toll-words.tsv".to_string(), "# Russian\nphrase\nпогиб*\n"),
            (
                "b/en/triggers.tsv".to_string(),
                "phrase\tevent_type\tsub_event_type\tstrength\nshelled\tBattles\tArmed clash\tweak\n",
            ),
            (
                "c/en/triggers.tsv".to_string(),
                "phrase\tevent_type\tsub_event_type\tstrength\r\nshelled\tExplosions/Remote violence\tShelling/artillery/missile attack\tstrong\r\n",
            ),
        ];
        let (v, problems) = Vocab::from_files(&files);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(v.phrases("toll-words"), vec!["killed", "died", "погиб*"]);
        assert_eq!(v.rows("triggers").len(), 1);
        assert_eq!(v.rows("triggers")[0][3], "strong");
        assert!(v.phrases("no-such-list").is_empty());
        let (q, problems) = Vocab::from_files(&[(
            "x/en/weak-markers.tsv".to_string(),
            "phrase\n\"also on \"\n",
        )]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(q.words("weak-markers"), ["also on "]);
    }
}
