//! Import GeoNames dumps (`allCountries.txt`, `XX.txt`, `cities500.txt` ...)
//! as `places/*.tsv` rows.
//!
//! Input: the 19-column, tab-separated `geoname` layout (geonameid, name,
//! asciiname, alternatenames, latitude, longitude, feature class, feature
//! code, country code, cc2, admin1 code, admin2 code, admin3 code, admin4
//! code, population, elevation, dem, timezone, modification date), with or
//! without a header line.
//!
//! Mapping:
//! - class P: `PPLC` -> capital; otherwise by population: at least 100 000
//!   city, at least 5 000 town, else village. Only class P rows are filtered
//!   by `min_population`.
//! - class A: `ADM1` -> admin1, `ADM2` -> admin2; other A codes are skipped.
//! - classes T (mountains, hills), H (water) and S (spots, buildings) -> site.
//! - other classes (L, R, U, V) are skipped.
//! - id `gn-<geonameid>`, source `GeoNames <geonameid>`.
//! - aliases: the alternate names without codes (short all-capital strings
//!   such as "GYD"), strings with digits, strings of 1-2 characters, URLs,
//!   and duplicates after [`normalize`].
//! - admin1: the admin1 name from `admin_names` (key `CC.code`) or empty.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use super::parse::{check_lat_lon, PLACES_HEADER};
use super::{normalize, Problem};

/// GeoNames admin code -> name: `"AZ.61"` -> `"Xankandi"` (admin1) and
/// `"AZ.61.146971"` style keys for admin2.
pub type AdminNames = HashMap<String, String>;

/// Result of [`import_geonames`] with counts.
#[derive(Debug, Default)]
pub struct GeonamesImport {
    /// The places TSV text, header included.
    pub tsv: String,
    pub problems: Vec<Problem>,
    /// Rows written.
    pub written: usize,
    /// Rows skipped by the filters (country, population, class).
    pub filtered: usize,
}

/// Read admin code names, from either GeoNames `admin1CodesASCII.txt` /
/// `admin2Codes.txt` (`code<TAB>name<TAB>asciiname<TAB>geonameid`) or a
/// `level<TAB>code<TAB>name` table with a header.
pub fn read_admin_names(text: &str) -> AdminNames {
    let mut out = AdminNames::new();
    for line in text.lines() {
        let c: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if c.len() >= 3 && (c[0] == "ADM1" || c[0] == "ADM2") {
            out.insert(c[1].to_string(), c[2].to_string());
        } else if c.len() >= 2 && c[0].contains('.') && c[0] != "code" {
            out.insert(c[0].to_string(), c[1].to_string());
        }
    }
    out
}

/// Turn a GeoNames dump into places TSV rows. `countries`: keep only these
/// ISO2 codes (any case); `min_population`: drop class P rows below it.
/// Problems name the input as `geonames`; see [`import_geonames_from`].
pub fn import_geonames(
    reader: impl BufRead,
    countries: Option<&[String]>,
    min_population: u64,
    admin_names: Option<&AdminNames>,
) -> (String, Vec<Problem>) {
    let r = import_geonames_from(reader, "geonames", countries, min_population, admin_names);
    (r.tsv, r.problems)
}

/// [`import_geonames`] reporting problems against `path`, with counts.
pub fn import_geonames_from(
    reader: impl BufRead,
    path: &str,
    countries: Option<&[String]>,
    min_population: u64,
    admin_names: Option<&AdminNames>,
) -> GeonamesImport {
    let countries: Option<HashSet<String>> =
        countries.map(|cs| cs.iter().map(|c| c.trim().to_ascii_uppercase()).collect());
    let mut out = GeonamesImport {
        tsv: format!("{PLACES_HEADER}\n"),
        ..Default::default()
    };
    let mut seen: HashSet<u64> = HashSet::new();
    let bad = |line: usize, message: String, out: &mut GeonamesImport| {
        out.problems.push(Problem {
            path: path.to_string(),
            line,
            message,
            is_error: true,
        })
    };
    for (i, line) in reader.lines().enumerate() {
        let lineno = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                bad(
                    lineno,
                    format!("cannot read line: {e}; is the file UTF-8?"),
                    &mut out,
                );
                continue;
            }
        };
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if i == 0 && line.starts_with("geonameid") {
            continue; // header line
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() != 19 {
            bad(
                lineno,
                format!(
                    "expected the 19 tab-separated GeoNames columns, found {}; use a geoname table dump such as allCountries.txt, AZ.txt or cities500.txt",
                    c.len()
                ),
                &mut out,
            );
            continue;
        }
        let Ok(gid) = c[0].parse::<u64>() else {
            bad(
                lineno,
                format!(
                    "geonameid {:?} is not a number; the first column must be the GeoNames id",
                    c[0]
                ),
                &mut out,
            );
            continue;
        };
        let cc = c[8];
        if let Some(cs) = &countries {
            if !cs.contains(cc) {
                out.filtered += 1;
                continue;
            }
        }
        let population = if c[14].is_empty() {
            0
        } else if let Ok(p) = c[14].parse::<u64>() {
            p
        } else {
            bad(
                lineno,
                format!("population {:?} is not a whole number", c[14]),
                &mut out,
            );
            continue;
        };
        let (class, code) = (c[6], c[7]);
        let kind = match class {
            "P" => {
                if population < min_population {
                    out.filtered += 1;
                    continue;
                }
                if code == "PPLC" {
                    "capital"
                } else if population >= 100_000 {
                    "city"
                } else if population >= 5_000 {
                    "town"
                } else {
                    "village"
                }
            }
            "A" if code == "ADM1" => "admin1",
            "A" if code == "ADM2" => "admin2",
            "T" | "H" | "S" => "site",
            _ => {
                out.filtered += 1;
                continue;
            }
        };
        let name = c[1].trim();
        if name.is_empty() || name.contains('|') {
            bad(
                lineno,
                format!("name {name:?} is empty or contains '|'"),
                &mut out,
            );
            continue;
        }
        let (Ok(lat), Ok(lon)) = (c[4].parse::<f64>(), c[5].parse::<f64>()) else {
            bad(
                lineno,
                format!("coordinates {:?}, {:?} are not numbers", c[4], c[5]),
                &mut out,
            );
            continue;
        };
        if let Err(m) = check_lat_lon(lat, lon, "").and_then(|_| {
            if lat.is_finite() && lon.is_finite() {
                Ok(())
            } else {
                Err("coordinates are not finite".to_string())
            }
        }) {
            bad(lineno, m, &mut out);
            continue;
        }
        if !seen.insert(gid) {
            bad(
                lineno,
                format!("duplicate geonameid {gid}; the second row is skipped"),
                &mut out,
            );
            continue;
        }
        let admin1 = if kind == "admin1" || c[10].is_empty() {
            String::new()
        } else {
            admin_names
                .and_then(|a| a.get(&format!("{cc}.{}", c[10])))
                .map(|s| clean_field(s))
                .unwrap_or_default()
        };
        let aliases = filter_aliases(name, c[2], c[3]);
        out.tsv.push_str(&format!(
            "gn-{gid}\t{}\t{kind}\t{cc}\t{admin1}\t{lat}\t{lon}\t{}\t{}\tGeoNames {gid}\n",
            clean_field(name),
            if population > 0 {
                population.to_string()
            } else {
                String::new()
            },
            aliases.join("|"),
        ));
        out.written += 1;
    }
    out
}

fn clean_field(s: &str) -> String {
    s.replace(['\t', '|', '\n', '\r'], " ")
}

/// The alternate names worth keeping as aliases.
fn filter_aliases(name: &str, ascii: &str, alternates: &str) -> Vec<String> {
    let mut keys: HashSet<String> = HashSet::new();
    keys.insert(normalize(name));
    let mut out = Vec::new();
    for a in std::iter::once(ascii).chain(alternates.split(',')) {
        let a = a.trim();
        let chars = a.chars().count();
        if chars <= 2
            || a.chars().any(|c| c.is_numeric() || c == '|' || c == '\t')
            || a.contains("://")
            || a.starts_with("www.")
            || a.contains("  ")
            || is_code(a)
            || is_machine_romanization(a)
        {
            continue;
        }
        let k = normalize(a);
        if k.chars().count() <= 2 || !keys.insert(k) {
            continue;
        }
        out.push(a.to_string());
    }
    out
}

/// GeoNames lists mechanical romanizations of Arabic-script names in lower
/// case ("shwshy", "ba ku"); real names have a capital letter.
fn is_machine_romanization(s: &str) -> bool {
    s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase())
}

/// Airport, ISO and similar codes: short strings of capital letters.
fn is_code(s: &str) -> bool {
    s.len() <= 5 && s.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "587084\tBaku\tBaku\tBAK,Baki,Bakı,Baku,Bakou,GYD,baku,Баку,1,Bk\t40.37767\t49.89201\tP\tPPLC\tAZ\t\t09\t\t\t\t2181800\t\t-5\tAsia/Baku\t2023-01-01\n\
146970\tKhankendi\tXankandi\tStepanakert,Xankəndi,Степанакерт\t39.8177\t46.7528\tP\tPPL\tAZ\t\t61\t\t\t\t55000\t\t\tAsia/Baku\t\n\
616052\tYerevan\tYerevan\tErevan,Երևան\t40.17765\t44.5126\tP\tPPLC\tAM\t\t11\t\t\t\t1093485\t\t\tAsia/Yerevan\t\n\
1\tTiny\tTiny\t\t40.0\t46.0\tP\tPPL\tAZ\t\t61\t\t\t\t10\t\t\tAsia/Baku\t\n\
2\tMurovdag\tMurovdag\tMurov Dag\t40.3\t46.5\tT\tMT\tAZ\t\t\t\t\t\t\t\t\t\t\n\
147037\tXankandi\tXankandi\t\t39.8\t46.75\tA\tADM1\tAZ\t\t61\t\t\t\t\t\t\t\t\n\
3\tbroken\n";

    #[test]
    fn imports_sample() {
        let admin =
            read_admin_names("level\tcode\tname\nADM1\tAZ.61\tXankandi\nADM1\tAZ.09\tBaku\n");
        let (tsv, problems) = import_geonames(
            SAMPLE.as_bytes(),
            Some(&["az".to_string()]),
            100,
            Some(&admin),
        );
        let lines: Vec<&str> = tsv.lines().collect();
        assert_eq!(lines[0], PLACES_HEADER);
        assert_eq!(
            lines[1],
            "gn-587084\tBaku\tcapital\tAZ\tBaku\t40.37767\t49.89201\t2181800\tBaki|Bakou|Баку\tGeoNames 587084"
        );
        assert!(lines[2].starts_with("gn-146970\tKhankendi\ttown\tAZ\tXankandi\t"));
        assert!(lines[2].contains("\tXankandi|Stepanakert|Степанакерт\t"));
        assert!(lines[3].starts_with("gn-2\tMurovdag\tsite\t"));
        assert!(lines[4].starts_with("gn-147037\tXankandi\tadmin1\tAZ\t\t"));
        assert_eq!(lines.len(), 5, "{tsv}");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 7);
        assert!(problems[0].message.contains("found 2"));
        // The output loads cleanly.
        let (g, p) = crate::gazetteer::Gazetteer::from_sources(&[crate::gazetteer::SourceFile {
            path: "places/gn.tsv",
            contents: &tsv,
        }]);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(g.places.len(), 4);
    }

    #[test]
    fn header_line_is_skipped() {
        let text = format!("geonameid\tname\tasciiname\talternatenames\tlatitude\tlongitude\tfeature class\tfeature code\tcountry code\tcc2\tadmin1 code\tadmin2 code\tadmin3 code\tadmin4 code\tpopulation\televation\tdem\ttimezone\tmodification date\n{SAMPLE}");
        let (tsv, problems) = import_geonames(text.as_bytes(), None, 0, None);
        assert_eq!(tsv.lines().count(), 7);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 8);
    }
}
