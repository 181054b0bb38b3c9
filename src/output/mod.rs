//! Writers: GeoJSON (RFC 7946) and CSV (RFC 4180).

pub mod csv;
pub mod geojson;

use std::path::{Path, PathBuf};

use crate::record::Record;

/// Errors writing output files.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create output directory {path:?}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path:?}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Write `incidents.geojson`, `incidents.csv`, `statements.geojson` and
/// `statements.csv` into `dir`. Returns the paths written.
pub fn write_all(
    dir: &Path,
    incidents: &[Record],
    statements: &[Record],
) -> Result<Vec<PathBuf>, OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (stem, recs) in [("incidents", incidents), ("statements", statements)] {
        let p = dir.join(format!("{stem}.geojson"));
        write_file(&p, geojson::feature_collection(recs).as_bytes())?;
        written.push(p);
        let p = dir.join(format!("{stem}.csv"));
        write_file(&p, &csv::to_bytes(recs))?;
        written.push(p);
    }
    Ok(written)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    std::fs::write(path, bytes).map_err(|source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    })
}
