//! Place matching: find every toponym and demonym in an article's text with
//! the bundled gazetteer (no role assignment, no extraction).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventmap::gazetteer::{Gazetteer, LoadOptions};
use eventmap::places::Matcher;

fn corpus() -> String {
    let mut s = String::new();
    for dir in ["seeds", "tests/fixtures/articles"] {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            s.push_str(&std::fs::read_to_string(f).unwrap());
            s.push('\n');
        }
    }
    s
}

fn matching(c: &mut Criterion) {
    let (gaz, _) = Gazetteer::load(&LoadOptions::default()).unwrap();
    let m = Matcher::new(&gaz);
    let text = corpus();
    let mut g = c.benchmark_group("places");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("find_seeds_and_fixtures", |b| {
        b.iter(|| m.find(&gaz, &text))
    });
    g.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
