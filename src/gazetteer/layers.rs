//! Collecting layers of parsed files into places and a name index, with the
//! override rules of [`Gazetteer::from_layers`](super::Gazetteer::from_layers).
//! Shared with `build.rs`, which builds the bundled snapshot with it.

use super::names::FastMap;
use std::ops::Range;

use super::first::{self, FirstWords};
use super::names::{IdIndex, KeyList, NameIndex};
use super::{normalize, parse, precedence, Demonym, Place, Problem, SourceFile};

/// Collects places while loading: duplicate ids within a layer are errors
/// (second skipped); a later layer replaces an earlier layer's row.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub places: Vec<Place>,
    pub by_id: IdIndex,
    pub layer_of: Vec<usize>,
    /// Normalized names of all places; `key_ranges[i]` are place i's.
    pub keys: KeyList,
    pub key_ranges: Vec<Range<usize>>,
    pub demonyms: FastMap<String, Demonym>,
    pub layer: usize,
    /// The first-word table of the gazetteer this builder was made from
    /// ([`Builder::from_built`]), merged with the added layers in
    /// [`Builder::finish`]; `None`: built from scratch there.
    pub base_first: Option<FirstWords>,
    /// The names (spans of `keys`) of places replaced by a later layer.
    pub dropped: Vec<Range<usize>>,
}

/// What a [`Builder`] made: the parts of a [`Gazetteer`](super::Gazetteer),
/// and the normalized names each place was indexed under (for a snapshot
/// that later layers are added to).
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub places: Vec<Place>,
    pub by_id: IdIndex,
    pub by_name: NameIndex,
    pub demonyms: FastMap<String, Demonym>,
    /// Spans of the normalized names in the arena of `by_name`.
    pub key_spans: Vec<(u32, u32)>,
    /// `key_ranges[i]`: the spans of place `i`.
    pub key_ranges: Vec<Range<usize>>,
    /// The first words of the names and demonyms.
    pub first: FirstWords,
}

impl parse::Sink for Builder {
    fn keys(&mut self) -> &mut KeyList {
        &mut self.keys
    }

    fn place(&mut self, place: Place, keys: Range<usize>, problems: &mut Vec<Problem>) {
        match self.by_id.get(&place.id, &self.places) {
            None => {
                self.by_id
                    .insert(self.places.len(), &place.id, &self.places);
                self.places.push(place);
                self.layer_of.push(self.layer);
                self.key_ranges.push(keys);
            }
            Some(i) if self.layer_of[i] < self.layer => {
                self.places[i] = place;
                self.layer_of[i] = self.layer;
                let old = std::mem::replace(&mut self.key_ranges[i], keys);
                self.dropped.push(old);
            }
            Some(i) => {
                let first = &self.places[i].origin;
                problems.push(Problem {
                    path: place.origin.path.to_string(),
                    line: place.origin.line,
                    message: format!(
                        "duplicate id {:?} (first defined at {}:{}); this entry is skipped: give it a different id or delete one of them",
                        place.id, first.path, first.line
                    ),
                    is_error: true,
                });
            }
        }
    }

    fn demonym(&mut self, key: String, demonym: Demonym) {
        if !key.is_empty() {
            self.demonyms.insert(key, demonym);
        }
    }
}

impl Builder {
    /// A builder holding what `b` was built from, as layer 0, to add more
    /// layers to. `b` must keep its names ([`Built::key_spans`] and
    /// [`Built::key_ranges`] for every place); its [`Built::first`] is
    /// merged with what the layers add and drop.
    pub fn from_built(b: Built) -> Builder {
        Builder {
            layer_of: vec![0; b.places.len()],
            places: b.places,
            by_id: b.by_id,
            keys: KeyList {
                arena: b.by_name.into_arena(),
                spans: b.key_spans,
            },
            key_ranges: b.key_ranges,
            demonyms: b.demonyms,
            layer: 0,
            base_first: Some(b.first),
            dropped: Vec::new(),
        }
    }

    /// Reserve room for about `bytes` of file contents: a places row is about
    /// 100 bytes, a third of it names. Saves repeated growing and copying.
    pub fn reserve(&mut self, bytes: usize) {
        self.places.reserve(bytes / 128);
        self.by_id.reserve(bytes / 128, &self.places);
        self.layer_of.reserve(bytes / 128);
        self.key_ranges.reserve(bytes / 128);
        self.keys.arena.reserve(bytes / 3);
        self.keys.spans.reserve(bytes / 24);
    }

    /// Parse the files of layer number `layer` (files the loader does not
    /// read are skipped, see [`parse::classify`]).
    pub fn add_layer(
        &mut self,
        layer: usize,
        files: &[SourceFile<'_>],
        problems: &mut Vec<Problem>,
    ) {
        self.layer = layer;
        for f in files {
            match parse::classify(f.path, f.contents) {
                Some(parse::FileKind::Places) => parse::parse_places_parallel(f, self, problems),
                Some(parse::FileKind::Features) => parse::parse_features(f, self, problems),
                Some(parse::FileKind::Demonyms) => parse::parse_demonyms(f, self, problems),
                None => {}
            }
        }
    }

    /// Index every place's names, candidates in [`precedence`] order, and
    /// their first words (with the demonyms').
    pub fn finish(self) -> Built {
        let KeyList { arena, spans } = self.keys;
        let mut by_name = NameIndex::build(arena, &spans, &self.key_ranges);
        let places = &self.places;
        // Of two places of one kind, the one whose own name this is comes
        // before one that has it as an alias ("Sisian" the town before a
        // village GeoNames gives the alias), then precedence.
        let alias_only = |key: &str, i: usize| normalize(&places[i].name) != key;
        by_name.sort_candidates_by_name(|key, x, y| {
            let (a, b) = (&places[x], &places[y]);
            a.kind
                .cmp(&b.kind)
                .then_with(|| alias_only(key, x).cmp(&alias_only(key, y)))
                .then_with(|| precedence(a, b))
        });
        let names = Names {
            index: &by_name,
            spans: &spans,
            demonyms: &self.demonyms,
        };
        let first = match self.base_first {
            None => first::Builder::from_phrases(names.all()).freeze(),
            Some(base) => {
                let mut first = base.thaw();
                let later = || {
                    let ranges = self.key_ranges.iter().zip(&self.layer_of);
                    ranges.filter(|&(_, &layer)| layer > 0).map(|(r, _)| r)
                };
                first.reserve(later().map(Range::len).sum::<usize>() + self.demonyms.len());
                let later = later().flat_map(|r| names.of(r));
                let demonyms = self.demonyms.keys().map(String::as_str);
                first.merge(
                    later.chain(demonyms),
                    self.dropped.iter().flat_map(|r| names.of(r)),
                    |k| names.has(k),
                    || names.all(),
                );
                first.freeze()
            }
        };
        Built {
            places: self.places,
            by_id: self.by_id,
            by_name,
            demonyms: self.demonyms,
            key_spans: spans,
            key_ranges: self.key_ranges,
            first,
        }
    }
}

/// The names and demonyms of a finished gazetteer, for its first-word
/// table: [`first::Builder::from_phrases`] over [`Names::all`], or the table of
/// the layer-0 gazetteer merged with the names of later layers (and of the
/// places they replaced, which may have gone).
struct Names<'a> {
    index: &'a NameIndex,
    /// The spans of the names in the arena of `index`.
    spans: &'a [(u32, u32)],
    demonyms: &'a FastMap<String, Demonym>,
}

impl<'a> Names<'a> {
    /// Every name (once) and every demonym.
    fn all(&self) -> impl Iterator<Item = &'a str> {
        let index = self.index;
        let demonyms = self.demonyms.keys().map(String::as_str);
        index.iter().map(|(k, _)| k).chain(demonyms)
    }

    /// The names of `spans[r]`.
    fn of(&self, r: &Range<usize>) -> impl Iterator<Item = &'a str> {
        let arena = self.index.arena();
        self.spans[r.clone()]
            .iter()
            .map(move |&(a, b)| &arena[a as usize..b as usize])
    }

    /// Whether `k` is a name or a demonym.
    fn has(&self, k: &str) -> bool {
        self.index.get(k).is_some() || self.demonyms.contains_key(k)
    }
}

/// Build from layers of files, as [`Gazetteer::from_layers`](super::Gazetteer::from_layers).
pub(crate) fn build_layers(layers: &[&[SourceFile<'_>]]) -> (Built, Vec<Problem>) {
    let mut b = Builder::default();
    let bytes: usize = layers
        .iter()
        .flat_map(|l| l.iter())
        .map(|f| f.contents.len())
        .sum();
    b.reserve(bytes);
    let mut problems = Vec::new();
    for (layer, files) in layers.iter().enumerate() {
        b.add_layer(layer, files, &mut problems);
    }
    (b.finish(), problems)
}
