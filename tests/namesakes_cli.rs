//! Namesakes: place names that the bundled gazetteer gives to a place in
//! the South Caucasus and to another place abroad, or that are weapons,
//! common words or given names. Each name is put in a short South Caucasus
//! report (written for this test) where it must resolve to the Caucasus
//! place or to nothing, and, where the place abroad exists, in a report
//! about that place's own country, where it must still resolve there. The
//! reports run through the real binary in one `extract`.
//!
//! "Resolves to" is judged on the output: of the places the gazetteer
//! knows by the name, the ids found among the incidents' and statements'
//! places must be exactly the expected one (or none).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use eventmap::gazetteer::{normalize, Gazetteer, LoadOptions};
use serde_json::Value;

/// What a name must resolve to in a report.
#[derive(Debug)]
enum Want {
    /// This place.
    Id(&'static str),
    /// Any of its places in this country (a town and its same-named province).
    In(&'static str),
    /// None of its places.
    Nothing,
}
use Want::*;

/// (name, report, what the name must resolve to)
const CASES: &[(&str, &str, Want)] = &[
    // --- the six ---
    (
        "Kut",
        "Azerbaijani forces shelled the village of Kut in Armenia's Gegharkunik province \
         on Monday, wounding two soldiers, the Armenian defence ministry said. Positions \
         near Kut and Sotk also came under small-arms fire.",
        Id("am-kut"),
    ),
    (
        "Kut",
        "Shelling hit Kut in Wasit province, Iraq, on Monday, killing two people, \
         Iraqi police said.",
        Id("gn-99131"),
    ),
    (
        "Kut",
        "Azerbaijani forces shelled Kut on Monday, wounding two soldiers.",
        Id("am-kut"),
    ),
    (
        "Grad",
        "Armenian forces fired Grad rockets at Tartar on Monday, wounding three \
         civilians, Azerbaijan's defence ministry said.",
        Nothing,
    ),
    (
        "Grad",
        "A gunman shot two people in the municipality of Grad in north-eastern \
         Slovenia on Monday, Slovenian police said.",
        Id("adm1-si-grad"),
    ),
    (
        "Mission",
        "Azerbaijani troops fired at Armenian positions near Verin Shorzha on Monday, \
         the EU Mission in Armenia said, adding that one soldier was wounded.",
        Nothing,
    ),
    (
        "Mission",
        "A gunman opened fire at a shopping centre in Mission, Texas, on Sunday, \
         killing one person and wounding two, police said.",
        Id("gn-4711725"),
    ),
    (
        "The Villages",
        "The Villages of Tegh and Kornidzor in Armenia's Syunik province came under \
         Azerbaijani fire on Tuesday, and two residents were wounded.",
        Nothing,
    ),
    (
        "The Villages",
        "A man shot and killed two neighbours in The Villages, Florida, on Sunday, \
         the sheriff's office in the United States said.",
        Id("gn-4175179"),
    ),
    (
        "Sevan",
        "Azerbaijani drones struck a military post near Sevan in Armenia's \
         Gegharkunik province on Tuesday, wounding one soldier.",
        Id("gn-616250"),
    ),
    (
        "Hayk",
        "Armenian soldier Hayk Sargsyan was killed by sniper fire near Nerkin Hand in \
         Syunik province on Tuesday, Armenia's defence ministry said.",
        Nothing,
    ),
    (
        "Hayk",
        "Armenian soldier Hayk Petrosyan was wounded by sniper fire on Monday, the \
         defence ministry said.",
        Nothing,
    ),
    (
        "Hayk",
        "Tigrayan fighters shelled Hayk in the Amhara region of Ethiopia on Monday, \
         killing three civilians, local officials said.",
        Id("gn-334826"),
    ),
    // --- ten more ---
    (
        "Talin",
        "A shell fired from across the border hit a house in Talin, in Armenia's \
         Aragatsotn province, on Monday, wounding a woman.",
        Id("gn-616187"),
    ),
    (
        "Talin",
        "Azerbaijani forces fired on Talin on Monday, wounding a farmer.",
        Id("gn-616187"),
    ),
    (
        "Talin",
        "Syrian government aircraft bombed Talin in Tartus province, Syria, on \
         Monday, killing four people, activists said.",
        Id("gn-163774"),
    ),
    (
        "Kareli",
        "Russian border guards detained two farmers near Kareli, Georgia, on Monday, \
         and South Ossetian forces fired shots over the village of Ditsi.",
        Id("gn-7669163"),
    ),
    (
        "Kareli",
        "Police fired on protesters in Kareli, Madhya Pradesh, India, on Monday, \
         wounding five people.",
        Id("gn-1267794"),
    ),
    (
        "Khoni",
        "A grenade exploded outside a police station in Khoni, in Georgia's Imereti \
         region, on Monday, wounding two officers.",
        Id("gn-613902"),
    ),
    (
        "Khoni",
        "Rioters set fire to shops in Khoni, a town of Maharashtra, India, on Monday, \
         and twelve people were injured.",
        Id("gn-8468820"),
    ),
    (
        "Shaki",
        "Azerbaijani artillery shelled Shaki, a village near Sisian in Armenia's \
         Syunik province, on Tuesday, damaging two houses.",
        Id("gn-174780"),
    ),
    (
        "Shaki",
        "Gunmen killed four people in Shaki in Oyo State, Nigeria, on Monday, police \
         said.",
        Id("gn-2323390"),
    ),
    (
        "Madina",
        "Azerbaijani troops fired on farmers in Madina, a village of Armenia's \
         Gegharkunik province, on Monday, wounding one man.",
        Id("gn-616456"),
    ),
    (
        "Madina",
        "Police fired tear gas at rioters in Madina, a suburb of Accra, Ghana, on \
         Monday, and three people were wounded.",
        Id("gn-2298330"),
    ),
    (
        "Lahij",
        "Police clashed with armed smugglers near Lahij in Azerbaijan's Ismayilli \
         district on Monday, and one officer was killed.",
        Id("gn-585659"),
    ),
    (
        "Lahij",
        "Armenian saboteurs attacked a police post in Lahij on Monday, killing one \
         officer.",
        Id("gn-585659"),
    ),
    (
        "Lahij",
        "An air strike hit a market in Lahij, Yemen, on Monday, killing five people, \
         medics said.",
        In("YE"),
    ),
    (
        "Gagarin",
        "Azerbaijani troops shelled the outskirts of Gagarin in Armenia's Gegharkunik \
         province on Tuesday, wounding a shepherd.",
        Id("gn-616699"),
    ),
    (
        "Gagarin",
        "Azerbaijani troops shelled Gagarin on Tuesday, wounding a shepherd.",
        Id("gn-616699"),
    ),
    (
        "Gagarin",
        "A drone struck an oil depot in Gagarin in Russia's Smolensk region on \
         Monday, injuring two workers, the governor said.",
        Id("gn-562237"),
    ),
    (
        "Kabala",
        "Police in Azerbaijan clashed with protesters in Kabala on Monday, and twelve \
         people were detained after stones were thrown near Ismayilli.",
        Id("gn-585231"),
    ),
    (
        "Kabala",
        "Rebels attacked Kabala in northern Sierra Leone on Monday, killing six \
         villagers, the army said.",
        Id("gn-2408329"),
    ),
    (
        "Nikozi",
        "South Ossetian forces fired on Nikozi, a Georgian village near Tskhinvali, on \
         Monday, wounding a resident, Georgia's interior ministry said.",
        Id("ge-nikozi"),
    ),
    (
        "Poti",
        "Russian aircraft bombed the port of Poti in Georgia on Saturday, killing \
         two dock workers, Georgian officials said.",
        Id("gn-612366"),
    ),
    (
        "Saraj",
        "Police clashed with armed men in Saraj, near Skopje, North Macedonia, on \
         Monday, and two officers were wounded.",
        In("MK"),
    ),
    (
        "Martuni",
        "Azerbaijani troops shelled Martuni in Armenia's Gegharkunik province on \
         Tuesday, wounding two civilians, the Armenian defence ministry said.",
        Id("gn-616438"),
    ),
];

/// Source file -> gazetteer ids of its incidents and statements.
fn placed(arts: &Path, out: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let o = Command::new(env!("CARGO_BIN_EXE_eventmap"))
        .arg("extract")
        .arg(arts)
        .arg("--out-dir")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("run eventmap");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut got: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for layer in ["incidents.geojson", "statements.geojson"] {
        let Ok(text) = std::fs::read_to_string(out.join(layer)) else {
            continue;
        };
        let v: Value = serde_json::from_str(&text).unwrap();
        for f in v["features"].as_array().unwrap() {
            let p = &f["properties"];
            let file = p["source_file"].as_str().unwrap().to_string();
            let id = p["gazetteer_id"].as_str().unwrap_or("").to_string();
            got.entry(file).or_default().insert(id);
        }
    }
    got
}

#[test]
fn namesakes_resolve_to_the_articles_place_or_to_nothing() {
    let (g, _) = Gazetteer::load(&LoadOptions::default()).expect("bundled gazetteer");
    let dir = tempfile::tempdir().unwrap();
    let arts = dir.path().join("articles");
    std::fs::create_dir(&arts).unwrap();
    let mut manifest = String::from("file,published\n");
    for (k, (_, text, _)) in CASES.iter().enumerate() {
        let file = format!("n{k:02}.txt");
        std::fs::write(arts.join(&file), format!("{text}\n")).unwrap();
        manifest.push_str(&format!("{file},2021-05-04\n"));
    }
    std::fs::write(arts.join("index.csv"), manifest).unwrap();
    let got = placed(&arts, &dir.path().join("out"));
    let mut bad = Vec::new();
    for (k, (name, text, want)) in CASES.iter().enumerate() {
        // Every place the gazetteer knows by this name, and the country of each.
        let namesakes: BTreeMap<String, String> = g
            .candidates(&normalize(name))
            .iter()
            .map(|&i| (g.places[i].id.clone(), g.places[i].country.clone()))
            .collect();
        assert!(
            !namesakes.is_empty(),
            "{name:?}: the gazetteer has no place of this name"
        );
        if let Id(id) = want {
            assert!(
                namesakes.contains_key(*id),
                "{name:?}: {id} is not a candidate"
            );
        }
        let empty = BTreeSet::new();
        let ids = got.get(&format!("n{k:02}.txt")).unwrap_or(&empty);
        let resolved: BTreeSet<&String> =
            ids.iter().filter(|i| namesakes.contains_key(*i)).collect();
        let ok = match want {
            Id(id) => resolved.len() == 1 && resolved.contains(&id.to_string()),
            In(cc) => !resolved.is_empty() && resolved.iter().all(|i| namesakes[*i] == *cc),
            Nothing => resolved.is_empty(),
        };
        if !ok {
            bad.push(format!(
                "{name:?} want {want:?}, got {resolved:?} (all: {ids:?})\n    {text}"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} cases wrong:\n{}",
        bad.len(),
        CASES.len(),
        bad.join("\n")
    );
}
