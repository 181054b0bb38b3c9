//! The name index: normalized name -> candidate places, kept in one string
//! arena with an open-addressing hash table, so loading a few hundred
//! thousand names costs no allocation per name.

use std::ops::Range;

use super::normalize::normalize_into;
use super::{Place, PlaceIdx};

/// Normalized names, appended to one arena.
#[derive(Debug, Default)]
pub(crate) struct KeyList {
    pub arena: String,
    /// Byte ranges into `arena`.
    pub spans: Vec<(u32, u32)>,
}

impl KeyList {
    pub fn key(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        &self.arena[a as usize..b as usize]
    }

    /// Normalize `name` and append it unless it is empty or equal to one of
    /// the keys from `since` on. Returns whether it was added.
    pub fn push_distinct(&mut self, name: &str, since: usize) -> bool {
        let start = self.arena.len();
        normalize_into(name, &mut self.arena);
        let new = &self.arena[start..];
        let dup = new.is_empty() || (since..self.spans.len()).any(|i| self.key(i) == new);
        if dup {
            self.arena.truncate(start);
            return false;
        }
        self.spans.push((start as u32, self.arena.len() as u32));
        true
    }

    pub fn range_from(&self, since: usize) -> Range<usize> {
        since..self.spans.len()
    }
}

/// An indexed name: its bytes in the arena and its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub start: u32,
    pub end: u32,
    /// A place index, or `MANY | i` for `many[i]`.
    pub cand: u32,
}

const MANY: u32 = 1 << 31;
/// A free slot of an open-addressing table of [`slot`]s.
pub(crate) const EMPTY: u64 = u64::MAX;

/// The slot of entry number `entry`, whose key hashes to `h`: the upper 32
/// bits of the hash, then the entry number.
#[inline]
pub(crate) fn slot(h: u64, entry: usize) -> u64 {
    (h & 0xffff_ffff_0000_0000) | entry as u64
}

#[inline]
fn tag_matches(slot: u64, h: u64) -> bool {
    (slot ^ h) >> 32 == 0
}

/// Look a key of hash `h` up in a table of `slots` [`slot`]s, slot `i`
/// being `at(i)`, from slot `start` on (wrapping around): `Ok` with the
/// first entry whose tag matches and that `is` accepts, else `Err` with the
/// free slot where the key would go (`None` if the table has none: a
/// damaged one; probing always ends).
#[inline]
pub(crate) fn probe(
    slots: usize,
    start: usize,
    at: impl Fn(usize) -> u64,
    h: u64,
    mut is: impl FnMut(usize) -> bool,
) -> Result<usize, Option<usize>> {
    let mut i = start;
    for _ in 0..slots {
        let sl = at(i);
        if sl == EMPTY {
            return Err(Some(i));
        }
        if tag_matches(sl, h) && is((sl & 0xffff_ffff) as usize) {
            return Ok((sl & 0xffff_ffff) as usize);
        }
        i += 1;
        if i == slots {
            i = 0;
        }
    }
    Err(None)
}

/// A table of [`slot`]s for `n_entries` entries from little-endian `u64`s,
/// checked so that [`probe`] cannot panic or loop: a power of two long (or
/// empty), one slot per entry, entry numbers in range, a free slot.
pub(crate) fn table_from_le(bytes: &[u8], n_entries: usize) -> Result<Vec<u64>, &'static str> {
    let slots = bytes.len() / 8;
    if bytes.len() % 8 != 0 || (slots > 0 && !slots.is_power_of_two()) {
        return Err("bad table size");
    }
    let (mut used, mut in_range) = (0, true);
    let table: Vec<u64> = bytes
        .chunks_exact(8)
        .map(|c| {
            let sl = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            if sl != EMPTY {
                used += 1;
                in_range &= ((sl & 0xffff_ffff) as usize) < n_entries;
            }
            sl
        })
        .collect();
    if !in_range || used != n_entries || (slots > 0 && used == slots) {
        return Err("table does not match the entries");
    }
    Ok(table)
}

/// normalized name -> candidates. Entries are 12 bytes and the table keeps
/// 32 bits of each hash, so building touches little memory per name.
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    arena: String,
    entries: Vec<Entry>,
    /// Candidate lists of names with more than one place.
    many: Vec<Vec<PlaceIdx>>,
    /// `0..n_places`, so that a single candidate can be returned as a slice.
    identity: Vec<PlaceIdx>,
    /// `(hash >> 32) << 32 | entry number`; `EMPTY` for a free slot. Length is
    /// a power of two.
    table: Vec<u64>,
}

/// place id -> place index, without a copy of the ids: an open-addressing
/// table of place numbers, the ids compared in the places themselves (only
/// when 32 bits of their hash match, so probing touches few places).
#[derive(Debug, Default, Clone)]
pub(crate) struct IdIndex {
    /// `(hash >> 32) << 32 | (place + 1)`, or 0 for a free slot. Length is
    /// a power of two (or 0).
    table: Vec<u64>,
    len: usize,
}

impl IdIndex {
    /// The table, for a snapshot ([`IdIndex::from_table`]).
    pub fn table(&self) -> &[u64] {
        &self.table
    }

    /// An index of `n_places` places from its [`IdIndex::table`]. Checks
    /// what lookups rely on (slots in range, a free slot so that probing
    /// ends); bad tables are an error, never a panic.
    pub fn from_table(table: Vec<u64>, n_places: usize) -> Result<IdIndex, &'static str> {
        if !table.is_empty() && !table.len().is_power_of_two() {
            return Err("bad id table size");
        }
        let mut len = 0;
        for &sl in &table {
            if sl != 0 && !(1..=n_places).contains(&((sl & 0xffff_ffff) as usize)) {
                return Err("id table slot out of range");
            }
            len += usize::from(sl != 0);
        }
        if len != n_places || (len > 0 && len >= table.len()) {
            return Err("id table does not match the places");
        }
        Ok(IdIndex { table, len })
    }

    /// The place with this id.
    #[inline]
    pub fn get(&self, id: &str, places: &[Place]) -> Option<PlaceIdx> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let h = hash(id.as_bytes());
        let mut i = h as usize & mask;
        loop {
            let sl = self.table[i];
            if sl == 0 {
                return None;
            }
            if tag_matches(sl, h) {
                let p = (sl & 0xffff_ffff) as usize - 1;
                if places.get(p).is_some_and(|p| p.id == id) {
                    return Some(p);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Add `place`, whose id is `id` and not in the index yet; `places` are
    /// the places before it.
    pub fn insert(&mut self, place: PlaceIdx, id: &str, places: &[Place]) {
        assert!(place < u32::MAX as usize, "too many places");
        self.reserve(1, places);
        self.put(place, hash(id.as_bytes()));
    }

    /// Make room for `more` places (`places` are the indexed ones): the
    /// table stays at most half full.
    pub fn reserve(&mut self, more: usize, places: &[Place]) {
        let want = (self.len + more) * 2;
        if want <= self.table.len() {
            return;
        }
        let mut grown = IdIndex {
            table: vec![0; want.next_power_of_two().max(16)],
            len: 0,
        };
        for &sl in self.table.iter().filter(|&&sl| sl != 0) {
            let p = (sl & 0xffff_ffff) as usize - 1;
            grown.put(p, hash(places[p].id.as_bytes()));
        }
        *self = grown;
    }

    fn put(&mut self, place: PlaceIdx, h: u64) {
        let mask = self.table.len() - 1;
        let mut i = h as usize & mask;
        while self.table[i] != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = (h & 0xffff_ffff_0000_0000) | (place as u64 + 1);
        self.len += 1;
    }
}

/// A `Hasher` around [`hash`], for maps keyed by trusted strings (the
/// place and actor matchers' word tables).
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(17) ^ hash(bytes);
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `HashMap` hasher state using [`FastHasher`].
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// `HashSet` hasher state using [`FastHasher`].
pub(crate) type FastSet<K> =
    std::collections::HashSet<K, std::hash::BuildHasherDefault<FastHasher>>;

/// Fx-style multiply-rotate hash with a final murmur3 mix.
pub(crate) fn hash(s: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl NameIndex {
    /// Index the names in `arena`: `places[i]` is the range of `spans`
    /// naming place `i`.
    pub fn build(arena: String, spans: &[(u32, u32)], places: &[Range<usize>]) -> NameIndex {
        assert!(places.len() < MANY as usize, "too many places");
        let slots = (spans.len() * 2).next_power_of_two().max(16);
        let mut ix = NameIndex {
            arena,
            entries: Vec::with_capacity(spans.len()),
            many: Vec::new(),
            identity: (0..places.len()).collect(),
            table: vec![EMPTY; slots],
        };
        let mask = slots - 1;
        let arena = ix.arena.as_bytes();
        for (place, r) in places.iter().enumerate() {
            for &(a, b) in &spans[r.clone()] {
                let key = &arena[a as usize..b as usize];
                let h = hash(key);
                let mut i = h as usize & mask;
                loop {
                    let sl = ix.table[i];
                    if sl == EMPTY {
                        ix.table[i] = slot(h, ix.entries.len());
                        ix.entries.push(Entry {
                            start: a,
                            end: b,
                            cand: place as u32,
                        });
                        break;
                    }
                    if tag_matches(sl, h) {
                        let e = &mut ix.entries[(sl & 0xffff_ffff) as usize];
                        if arena[e.start as usize..e.end as usize] == *key {
                            if e.cand & MANY != 0 {
                                let v = &mut ix.many[(e.cand & !MANY) as usize];
                                // Places come in order, so a place already
                                // listed is the last one (no scan of a long
                                // list: skeletons share keys by thousands).
                                if v.last() != Some(&place) {
                                    v.push(place);
                                }
                            } else if e.cand as usize != place {
                                let first = e.cand as usize;
                                e.cand = MANY | ix.many.len() as u32;
                                ix.many.push(vec![first, place]);
                            }
                            break;
                        }
                    }
                    i = (i + 1) & mask;
                }
            }
        }
        ix
    }

    fn key(&self, e: &Entry) -> &str {
        &self.arena[e.start as usize..e.end as usize]
    }

    fn cands(&self, e: &Entry) -> &[PlaceIdx] {
        if e.cand & MANY != 0 {
            &self.many[(e.cand & !MANY) as usize]
        } else {
            let i = e.cand as usize;
            &self.identity[i..i + 1]
        }
    }

    /// The stored key and candidates for a normalized name.
    pub fn get(&self, key: &str) -> Option<(&str, &[PlaceIdx])> {
        if self.table.is_empty() {
            return None;
        }
        let h = hash(key.as_bytes());
        let t = &self.table;
        let start = h as usize & (t.len() - 1);
        let e = probe(
            t.len(),
            start,
            |i| t[i],
            h,
            |e| self.key(&self.entries[e]) == key,
        )
        .ok()?;
        let e = &self.entries[e];
        Some((self.key(e), self.cands(e)))
    }

    /// Sort each list of several candidates with `cmp`, which also gets
    /// the list's key (the normalized name).
    pub fn sort_candidates_by_name(
        &mut self,
        mut cmp: impl FnMut(&str, PlaceIdx, PlaceIdx) -> std::cmp::Ordering,
    ) {
        let mut many = std::mem::take(&mut self.many);
        for e in &self.entries {
            if e.cand & MANY != 0 {
                let key = self.key(e);
                many[(e.cand & !MANY) as usize].sort_by(|&a, &b| cmp(key, a, b));
            }
        }
        self.many = many;
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[PlaceIdx])> {
        self.entries.iter().map(|e| (self.key(e), self.cands(e)))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The arena, entries, lists of several candidates and hash table, to
    /// be stored in a snapshot and given back to [`NameIndex::from_parts`].
    pub fn parts(&self) -> (&str, &[Entry], &[Vec<PlaceIdx>], &[u64]) {
        (&self.arena, &self.entries, &self.many, &self.table)
    }

    /// The arena the entries point into (the keys of a [`KeyList`]).
    pub fn arena(&self) -> &str {
        &self.arena
    }

    /// The arena the entries point into (the keys of a [`KeyList`]).
    pub fn into_arena(self) -> String {
        self.arena
    }

    /// The index of [`NameIndex::parts`] over `n_places` places, the table
    /// given as little-endian `u64`s. Checks what lookups rely on (names
    /// inside the arena on character boundaries, candidates and table slots
    /// in range, a free slot so that probing ends), so bad parts are an
    /// error, never a panic. (A table whose hashes do not match the names
    /// only makes lookups miss.)
    pub fn from_parts(
        arena: String,
        entries: Vec<Entry>,
        many: Vec<Vec<PlaceIdx>>,
        table: &[u8],
        n_places: usize,
    ) -> Result<NameIndex, &'static str> {
        if n_places >= MANY as usize {
            return Err("too many places");
        }
        for e in &entries {
            if arena.get(e.start as usize..e.end as usize).is_none() {
                return Err("name outside the arena");
            }
            let ok = if e.cand & MANY != 0 {
                ((e.cand & !MANY) as usize) < many.len()
            } else {
                (e.cand as usize) < n_places
            };
            if !ok {
                return Err("candidate out of range");
            }
        }
        if many.iter().flatten().any(|&p| p >= n_places) {
            return Err("candidate out of range");
        }
        Ok(NameIndex {
            table: table_from_le(table, entries.len())?,
            arena,
            entries,
            many,
            identity: (0..n_places).collect(),
        })
    }

    /// The key of entry `n` ([`NameIndex::iter`] order).
    pub fn key_at(&self, n: usize) -> &str {
        self.key(&self.entries[n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_finds_every_key() {
        let mut k = KeyList::default();
        let mut places = Vec::new();
        for i in 0..2000 {
            let s = k.spans.len();
            k.push_distinct(&format!("Place {i}"), s);
            k.push_distinct(&format!("PLACE {i}"), s); // same key: folded
            k.push_distinct(&format!("shared {}", i % 10), s);
            places.push(k.range_from(s));
        }
        let ix = NameIndex::build(k.arena, &k.spans, &places);
        assert_eq!(ix.len(), 2010);
        assert_eq!(ix.get("place 1999").unwrap().1, &[1999]);
        assert_eq!(ix.get("shared 3").unwrap().1.len(), 200);
        assert!(ix.get("place 2000").is_none());
        assert!(NameIndex::default().get("x").is_none());
    }
}
