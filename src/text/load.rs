//! Loading articles and the manifest (`index.csv`).
//!
//! Bad input never stops the run: each problem becomes an [`InputError`] and
//! every readable article is still returned.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// One article and what the manifest says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file name (no directory): the `source_file` of its records.
    pub file: String,
    pub path: PathBuf,
    pub text: String,
    pub publisher: Option<String>,
    pub published: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
}

/// A problem with one input; the others are still processed.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read article: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: not valid UTF-8 text: convert it first (e.g. iconv -f WINDOWS-1252 -t UTF-8)"
    )]
    NotUtf8 { path: PathBuf },
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: no .txt articles in this directory")]
    NoArticles { path: PathBuf },
    #[error("{path}: cannot read manifest: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("{path}: manifest has no 'file' column: the header must name file,publisher,published,title,url")]
    ManifestNoFileColumn { path: PathBuf },
    #[error("{path}:{line}: manifest names {file:?}, which is not among the input articles")]
    ManifestMissingFile {
        path: PathBuf,
        line: u64,
        file: String,
    },
    #[error("{path}:{line}: published date {value:?} is not YYYY-MM-DD; the date will be read from the text")]
    ManifestBadDate {
        path: PathBuf,
        line: u64,
        value: String,
    },
}

/// Everything read from the command line's inputs.
#[derive(Debug, Default)]
pub struct Inputs {
    pub articles: Vec<Article>,
    pub errors: Vec<InputError>,
}

#[derive(Debug, Default, Clone)]
struct ManifestRow {
    line: u64,
    publisher: Option<String>,
    published: Option<NaiveDate>,
    title: Option<String>,
    url: Option<String>,
}

/// Read every `.txt` article named by `paths` (files, or directories scanned
/// one level deep, sorted by name) and apply the manifest: `manifest` when
/// given, else an `index.csv` inside an input directory.
pub fn load_inputs(paths: &[PathBuf], manifest: Option<&Path>) -> Inputs {
    let mut inputs = Inputs::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut found_manifest: Option<PathBuf> = manifest.map(Path::to_path_buf);
    for p in paths {
        if p.is_dir() {
            let mut here = Vec::new();
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    for e in rd.flatten() {
                        let f = e.path();
                        if f.is_file() && f.extension().is_some_and(|x| x == "txt") {
                            here.push(f);
                        }
                    }
                }
                Err(source) => {
                    inputs.errors.push(InputError::Read {
                        path: p.clone(),
                        source,
                    });
                    continue;
                }
            }
            if here.is_empty() {
                inputs
                    .errors
                    .push(InputError::NoArticles { path: p.clone() });
            }
            here.sort();
            files.extend(here);
            let idx = p.join("index.csv");
            if found_manifest.is_none() && idx.is_file() {
                found_manifest = Some(idx);
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            inputs.errors.push(InputError::NotFound { path: p.clone() });
        }
    }

    let rows = match &found_manifest {
        Some(m) => read_manifest(m, &mut inputs.errors),
        None => HashMap::new(),
    };

    let mut seen_names = std::collections::HashSet::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(source) => {
                inputs.errors.push(InputError::Read { path: f, source });
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                inputs.errors.push(InputError::NotUtf8 { path: f });
                continue;
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        seen_names.insert(name.clone());
        let row = rows.get(&name).cloned().unwrap_or_default();
        inputs.articles.push(Article {
            file: name,
            path: f,
            text,
            publisher: row.publisher,
            published: row.published,
            title: row.title,
            url: row.url,
        });
    }
    if let Some(m) = &found_manifest {
        let mut missing: Vec<(&String, &ManifestRow)> = rows
            .iter()
            .filter(|(name, _)| !seen_names.contains(*name))
            .collect();
        missing.sort_by_key(|(_, r)| r.line);
        for (name, r) in missing {
            // A file that exists but failed to load was already reported.
            let dir = m.parent().unwrap_or(Path::new("."));
            if !dir.join(name).exists() {
                inputs.errors.push(InputError::ManifestMissingFile {
                    path: m.clone(),
                    line: r.line,
                    file: name.clone(),
                });
            }
        }
    }
    inputs
}

fn read_manifest(path: &Path, errors: &mut Vec<InputError>) -> HashMap<String, ManifestRow> {
    let mut out = HashMap::new();
    let mut rdr = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(r) => r,
        Err(e) => {
            errors.push(InputError::Manifest {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
            return out;
        }
    };
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(InputError::Manifest {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
            return out;
        }
    };
    let col = |name: &str| {
        headers.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let Some(file_col) = col("file") else {
        errors.push(InputError::ManifestNoFileColumn {
            path: path.to_path_buf(),
        });
        return out;
    };
    let (pub_col, date_col, title_col, url_col) =
        (col("publisher"), col("published"), col("title"), col("url"));
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(InputError::Manifest {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |c: Option<usize>| {
            c.and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let Some(file) = get(Some(file_col)) else {
            continue;
        };
        let published = match get(date_col) {
            Some(v) => match parse_manifest_date(&v) {
                Some(d) => Some(d),
                None => {
                    errors.push(InputError::ManifestBadDate {
                        path: path.to_path_buf(),
                        line,
                        value: v,
                    });
                    None
                }
            },
            None => None,
        };
        out.insert(
            file,
            ManifestRow {
                line,
                publisher: get(pub_col),
                published,
                title: get(title_col),
                url: get(url_col),
            },
        );
    }
    out
}

/// `YYYY-MM-DD`, optionally followed by a time (`2023-03-06T10:00:00Z`, `2023-03-06 10:00`).
fn parse_manifest_date(v: &str) -> Option<NaiveDate> {
    let head = v.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &[u8]) {
        std::fs::write(dir.join(name), body).unwrap();
    }

    #[test]
    fn reads_directory_and_manifest() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "b.txt", b"Second.");
        write(d.path(), "a.txt", b"First.");
        write(
            d.path(),
            "index.csv",
            b"file,publisher,published,title,url,extra\na.txt,EFE,2014-08-02,T,,x\n",
        );
        let inp = load_inputs(&[d.path().to_path_buf()], None);
        assert!(inp.errors.is_empty(), "{:?}", inp.errors);
        let names: Vec<_> = inp.articles.iter().map(|a| a.file.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        assert_eq!(inp.articles[0].publisher.as_deref(), Some("EFE"));
        assert_eq!(
            inp.articles[0].published,
            NaiveDate::from_ymd_opt(2014, 8, 2)
        );
        assert_eq!(inp.articles[1].published, None);
    }

    #[test]
    fn bad_inputs_are_reported_and_the_rest_loads() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "good.txt", b"Fine.");
        write(d.path(), "latin1.txt", b"Xank\xe4ndi");
        write(
            d.path(),
            "index.csv",
            b"file,published\ngood.txt,2020-13-01\nghost.txt,2020-01-01\n",
        );
        let inp = load_inputs(&[d.path().to_path_buf(), d.path().join("nope.txt")], None);
        assert_eq!(inp.articles.len(), 1);
        let msgs: Vec<String> = inp.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("nope.txt") && m.contains("no such file")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("latin1.txt") && m.contains("UTF-8")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("ghost.txt")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("2020-13-01")), "{msgs:?}");
    }

    #[test]
    fn manifest_without_file_column_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a.txt", b"Text.");
        write(d.path(), "index.csv", b"name,published\na.txt,2020-01-01\n");
        let inp = load_inputs(&[d.path().to_path_buf()], None);
        assert_eq!(inp.articles.len(), 1);
        assert!(matches!(
            inp.errors[0],
            InputError::ManifestNoFileColumn { .. }
        ));
    }
}
