use serde_json::{json, Value};

use super::basemap::tests::gazetteer_point;
use super::data::{wkt_lines, wkt_parts};
use super::*;

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn incident(id: &str, evidence: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "id": id, "geometry": geometry, "properties": {
        "id": id, "kind": "incident", "event_type": "Battles", "event_date": "2020-10-04",
        "evidence": evidence, "location": "Stepanakert", "geo_precision": 1,
        "wkt": "POINT (46.75 39.82)"
    }})
}

/// The JSON of the `<script type="application/json" id=...>` element.
fn embedded(html: &str, id: &str) -> Value {
    let open = format!("<script type=\"application/json\" id=\"{id}\">");
    let start = html.find(&open).expect("element present") + open.len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

/// The properties of feature `i` of a layer as the page reads it.
fn page_feature(layer: &Value, i: usize) -> serde_json::Map<String, Value> {
    let keys = layer["keys"].as_array().unwrap();
    let vals = layer["features"][i][2].as_array().unwrap();
    keys.iter()
        .zip(vals)
        .map(|(k, v)| (k.as_str().unwrap().to_string(), v.clone()))
        .collect()
}

#[test]
fn layers_are_embedded_with_their_keys_once() {
    let a = incident(
        "a#1",
        "one",
        json!({"type": "Point", "coordinates": [1, 2]}),
    );
    let mut b = incident(
        "a#2",
        "two",
        json!({"type": "Point", "coordinates": [3, 4]}),
    );
    b["properties"]["extra"] = json!(7);
    b["properties"]["location"] = Value::Null;
    let layer = layer_from_str("i.geojson", &collection(vec![a, b])).unwrap();
    let html = render(&[layer], &MapOptions::default()).unwrap();
    let data = embedded(&html, "em-data");
    let l = &data["layers"][0];
    assert_eq!(html.matches("\"evidence\"").count(), 1, "each key once");
    assert_eq!(page_feature(l, 0)["evidence"], "one");
    assert!(
        page_feature(l, 0).get("extra").is_none(),
        "trailing missing values left out"
    );
    assert_eq!(page_feature(l, 1)["evidence"], "two");
    assert_eq!(page_feature(l, 1)["extra"], 7);
    assert_eq!(page_feature(l, 1)["location"], Value::Null);
}

#[test]
fn features_are_embedded_once_as_json_and_hostile_text_stays_text() {
    let evil =
        "Shelling hit </script><script>alert(1)</script> <!-- and <img src=x onerror=alert(2)>";
    let text = collection(vec![incident(
        "a#1",
        evil,
        json!({"type": "Point", "coordinates": [46.75, 39.82]}),
    )]);
    let layer = layer_from_str("incidents.geojson", &text).unwrap();
    let html = render(&[layer], &MapOptions::default()).unwrap();
    // the only script closers are the page's own five elements
    assert_eq!(html.matches("</script>").count(), 5);
    assert!(!html.contains("<img src=x"));
    assert_eq!(html.matches("Shelling hit").count(), 1, "features once");
    let data = embedded(&html, "em-data");
    let layer = &data["layers"][0];
    let f = page_feature(layer, 0);
    assert_eq!(f["evidence"], evil, "the text parses back unchanged");
    assert_eq!(layer["features"][0][0], json!([46.75, 39.82]));
    assert_eq!(layer["features"][0][1], Value::Null, "no lines");
    assert!(
        f.get("wkt").is_none(),
        "wkt is dropped: the geometry says it"
    );
    assert_eq!(f["id"], "a#1");
    assert_eq!(data["layers"][0]["kind"], "incidents");
}

#[test]
fn title_is_escaped_and_tiles_only_when_asked() {
    let opts = MapOptions {
        title: Some("<b>War & peace</b>".into()),
        tiles: None,
    };
    let html = render(&[], &opts).unwrap();
    assert!(html.contains("<title>&lt;b&gt;War &amp; peace&lt;/b&gt;</title>"));
    assert_eq!(embedded(&html, "em-config")["tiles"], Value::Null);
    assert!(html.contains("img-src data: ;"));
    let opts = MapOptions {
        title: None,
        tiles: Some("https://{s}.tiles.example.org/{z}/{x}/{y}.png".into()),
    };
    let html = render(&[], &opts).unwrap();
    assert!(html.contains("img-src data: https://*.tiles.example.org;"));
    assert_eq!(
        embedded(&html, "em-config")["tiles"],
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    );
    for bad in [
        "ftp://x/{z}/{x}/{y}",
        "https://x/{z}/{x}.png",
        "javascript:alert(1)//{z}{x}{y}",
        "https://x/{z}/{x}/{y}\" onload=\"",
    ] {
        let e = render(
            &[],
            &MapOptions {
                title: None,
                tiles: Some(bad.into()),
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
    }
}

#[test]
fn the_page_references_nothing_outside_itself() {
    let html = render(&[], &MapOptions::default()).unwrap();
    assert!(
        !html.contains("url(images/"),
        "leaflet's images are data URIs"
    );
    assert!(html.contains("url(data:image/png;base64,"));
    assert!(!html.contains(" src=\""), "no external script or image");
    assert!(!html.contains("<link"), "no external style sheet");
}

#[test]
fn kinds_come_from_properties_then_file_names() {
    let st = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.6, 55.7]},
        "properties": {"id": "a#s1", "kind": "statement", "event_type": "Statement"}});
    let ev = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.7, 39.8]},
        "properties": {"event_id": "ev-1", "sources": 2, "fatalities_low": 1, "fatalities_high": 3}});
    let kind = |name: &str, fs: Vec<Value>| layer_from_str(name, &collection(fs)).unwrap().kind;
    assert_eq!(kind("x.geojson", vec![st.clone()]), LayerKind::Statements);
    assert_eq!(kind("x.geojson", vec![ev.clone()]), LayerKind::Events);
    assert_eq!(kind("events.geojson", vec![]), LayerKind::Events);
    assert_eq!(kind("statements.geojson", vec![]), LayerKind::Statements);
    assert_eq!(kind("anything.geojson", vec![]), LayerKind::Incidents);
    let l = layer_from_str("e.geojson", &collection(vec![ev])).unwrap();
    assert_eq!(
        l.features[0]["p"]["id"], "ev-1",
        "an event's id is its event_id"
    );
}

#[test]
fn lines_come_from_the_geometry_or_the_wkt() {
    let road = "LINESTRING (46.7 39.8, 46.72 39.77, 46.75 39.7)";
    let mut f = incident(
        "a#1",
        "e",
        json!({"type": "Point", "coordinates": [46.72, 39.77]}),
    );
    f["properties"]["wkt"] = json!(road);
    let native = incident(
        "a#2",
        "e",
        json!({"type": "LineString", "coordinates": [[46.7, 39.8], [46.8, 39.8]]}),
    );
    let poly = incident(
        "a#3",
        "e",
        json!({"type": "Polygon", "coordinates": [[[46, 39], [47, 39], [47, 40], [46, 40], [46, 39]]]}),
    );
    let l = layer_from_str("i.geojson", &collection(vec![f, native, poly])).unwrap();
    assert_eq!(l.features[0]["c"], json!([46.72, 39.77]));
    assert_eq!(
        l.features[0]["l"],
        json!([[[46.7, 39.8], [46.72, 39.77], [46.75, 39.7]]])
    );
    assert_eq!(
        l.features[1]["c"],
        json!([46.75, 39.8]),
        "middle of the road"
    );
    assert_eq!(l.features[1]["l"][0].as_array().unwrap().len(), 2);
    let c = l.features[2]["c"].as_array().unwrap();
    let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
    assert!(
        x > 46.0 && x < 47.0 && y > 39.0 && y < 40.0,
        "inside the polygon"
    );
    assert!(l.features[2].get("l").is_none());
    assert_eq!(
        wkt_lines("MULTILINESTRING ((1 2, 3 4), (5 6, 7 8))"),
        vec![
            vec![geo::coord! {x: 1.0, y: 2.0}, geo::coord! {x: 3.0, y: 4.0}],
            vec![geo::coord! {x: 5.0, y: 6.0}, geo::coord! {x: 7.0, y: 8.0}]
        ]
    );
    assert!(wkt_lines("POLYGON ((1 2, 3 4, 5 6, 1 2))").is_empty());
    let (lines, rings) = wkt_parts("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.2 5.1, 5.8 5.1, 5.8 5.7, 5.2 5.1)))");
    assert!(lines.is_empty());
    assert_eq!(rings.len(), 3, "every ring, holes too");
    assert_eq!(rings[2][0], geo::coord! {x: 5.2, y: 5.1});
    assert_eq!(wkt_parts("POLYGON ((1 2, 3 4, 5 6, 1 2))").1.len(), 1);
    assert_eq!(wkt_parts("POINT (1 2)"), (vec![], vec![]));
    assert!(wkt_lines("LINESTRING (1 2, x 4)").is_empty());
    assert!(wkt_lines("LINESTRING (1 2, 300 4)").is_empty());
}

#[test]
fn region_outlines_are_embedded_once_per_place() {
    let square = "POLYGON ((46 39, 47 39, 47 40, 46 40, 46 39))";
    let region = |id: &str, gid: &str| {
        let mut f = incident(
            id,
            "e",
            json!({"type": "Point", "coordinates": [46.5, 39.5]}),
        );
        f["properties"]["wkt"] = json!(square);
        f["properties"]["gazetteer_id"] = json!(gid);
        f
    };
    let native = {
        let mut f = incident(
            "n",
            "e",
            json!({"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 10]]]}),
        );
        f["properties"]["gazetteer_id"] = json!("region-b");
        f
    };
    let mut village = incident(
        "v",
        "e",
        json!({"type": "Point", "coordinates": [46.7, 39.8]}),
    );
    village["properties"]["gazetteer_id"] = json!("gn-1");
    let fs = vec![
        region("a", "region-a"),
        region("b", "region-a"),
        native,
        village,
    ];
    let l = layer_from_str("i.geojson", &collection(fs)).unwrap();
    let keys: Vec<&str> = l.shapes.keys().map(String::as_str).collect();
    assert_eq!(keys, ["region-a", "region-b"]);
    let html = render(&[l], &MapOptions::default()).unwrap();
    assert_eq!(
        html.matches("[46.0,39.0],[47.0,39.0]").count(),
        1,
        "each outline once"
    );
    let shapes = &embedded(&html, "em-data")["shapes"];
    assert_eq!(shapes["region-a"][0][2], json!([47.0, 40.0]));
    assert_eq!(shapes["region-b"][0].as_array().unwrap().len(), 4);
}

#[test]
fn bad_features_are_reported_not_dropped_silently() {
    let fs = vec![
        incident("ok", "e", json!({"type": "Point", "coordinates": [1, 2]})),
        incident("nogeom", "e", Value::Null),
        incident(
            "bad",
            "e",
            json!({"type": "Point", "coordinates": [500, 2]}),
        ),
        incident("junk", "e", json!({"type": "Blob"})),
        json!(42),
    ];
    let l = layer_from_str("i.geojson", &collection(fs)).unwrap();
    assert_eq!(l.features.len(), 1);
    let skipped: Vec<(usize, &str)> = l
        .skipped
        .iter()
        .map(|(i, id, _)| (*i, id.as_str()))
        .collect();
    assert_eq!(skipped, [(1, "nogeom"), (2, "bad"), (3, "junk"), (4, "")]);
}

#[test]
fn sequences_and_bad_files() {
    let a = incident("a", "e", json!({"type": "Point", "coordinates": [1, 2]}));
    let b = incident("b", "e", json!({"type": "Point", "coordinates": [3, 4]}));
    let rs = format!("\u{1e}{a}\n\u{1e}{b}\n");
    assert_eq!(layer_from_str("i.geojsons", &rs).unwrap().features.len(), 2);
    let nl = format!("{a}\n{b}\n");
    assert_eq!(layer_from_str("i.geojsonl", &nl).unwrap().features.len(), 2);
    for (text, want) in [
        ("", "the file is empty"),
        (
            "{\"type\": \"FeatureCollection\",\n \"features\": [",
            "invalid JSON",
        ),
        (
            "{\"type\": \"Point\", \"coordinates\": [1, 2]}",
            "expected a GeoJSON FeatureCollection",
        ),
        ("{\"type\": \"FeatureCollection\"}", "no \"features\" array"),
        ("[1, 2]", "expected a GeoJSON FeatureCollection"),
    ] {
        let e = layer_from_str("x.geojson", text).unwrap_err();
        assert!(e.contains(want), "{text:?}: {e}");
    }
    let e = read_layer(std::path::Path::new("/nonexistent/x.geojson")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/x.geojson"), "{e}");
}

#[test]
fn layers_merge_by_kind_in_a_fixed_order() {
    let st = |id: &str| {
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},
        "properties": {"id": id, "kind": "statement"}})
    };
    let inc = |id: &str| incident(id, "e", json!({"type": "Point", "coordinates": [1, 2]}));
    let layers = vec![
        layer_from_str("s.geojson", &collection(vec![st("s1")])).unwrap(),
        layer_from_str("a.geojson", &collection(vec![inc("a1")])).unwrap(),
        layer_from_str("b.geojson", &collection(vec![inc("b1"), inc("b2")])).unwrap(),
    ];
    let merged = merge_layers(layers);
    let got: Vec<(LayerKind, usize, &str)> = merged
        .iter()
        .map(|l| (l.kind, l.features.len(), l.source.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (LayerKind::Incidents, 3, "a.geojson, b.geojson"),
            (LayerKind::Statements, 1, "s.geojson")
        ]
    );
}

#[test]
fn the_regional_base_map_only_where_the_data_are() {
    let at = |x: f64, y: f64| {
        let l = layer_from_str(
            "i.geojson",
            &collection(vec![incident(
                "a",
                "e",
                json!({"type": "Point", "coordinates": [x, y]}),
            )]),
        )
        .unwrap();
        let html = render(&[l], &MapOptions::default()).unwrap();
        embedded(&html, "em-basemap")
    };
    let [x, y] = gazetteer_point("region-nagorno-karabakh");
    let caucasus = at(x, y);
    assert!(caucasus["regional"]["features"].as_array().unwrap().len() > 50);
    assert!(caucasus["world"]["features"].as_array().unwrap().len() > 150);
    let [x, y] = gazetteer_point("adm1-ua-kiev-city");
    let kyiv = at(x, y);
    assert_eq!(kyiv["regional"], Value::Null);
    assert!(!kyiv["admin1"]["features"].as_array().unwrap().is_empty());
}

#[test]
fn write_map_replaces_the_file_whole() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("map.html");
    std::fs::write(&p, "old").unwrap();
    write_map(&p, "<!DOCTYPE html>new").unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "<!DOCTYPE html>new");
    let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left");
    let e = write_map(&d.path().join("missing/map.html"), "x").unwrap_err();
    assert!(e.to_string().contains("missing/map.html"), "{e}");
}
