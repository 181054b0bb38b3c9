//! Stage "origin" (after roles): the place fire came from is not where the
//! incident happened (CODEBOOK section 2). "Shelling from Horlivka killed two
//! in Dzerzhynsk", "огонь со стороны Верин Шоржи по позициям в направлении
//! Кельбаджара": when a sentence names another incident place, a place after
//! an origin cue (the vocabulary's `origin-cues`: "from", "со стороны") is
//! set aside. Alone in its sentence, it stays the best place there is.

use crate::places::{Mention, Role};

/// Phrases that introduce the origin of fire, lowercased: right before a
/// place (`origin-cues`), or opening a clause that lists several
/// (`origin-openers`, up to one of `origin-closers`).
pub struct Cues(Vec<&'static str>, Vec<&'static str>, Vec<&'static str>);

impl Cues {
    /// From the vocabulary in use.
    pub fn from_vocab() -> Cues {
        let v = crate::vocab::get();
        let mut cues = v.phrases("origin-cues");
        // Longest first, so that "со стороны" is tried before "с".
        cues.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Cues(
            cues,
            v.phrases("origin-openers"),
            v.phrases("origin-closers"),
        )
    }

    /// The opener of an origin clause that `at` (a byte offset of `lower`,
    /// a lowercased sentence) lies in: the last opener before it with no
    /// closer between the two.
    fn clause_opener(&self, lower: &str, at: usize) -> Option<&'static str> {
        let head = &lower[..at];
        let (pos, opener) = self
            .1
            .iter()
            .filter_map(|o| head.rfind(o).map(|p| (p + o.len(), *o)))
            .max_by_key(|(p, _)| *p)?;
        let between = &head[pos..];
        (!self.2.iter().any(|c| between.contains(c))).then_some(opener)
    }

    /// The cue right before byte `start` of `text`, if any.
    fn before(&self, text: &str, start: usize) -> Option<&'static str> {
        cue_before(&self.0, text, start)
    }
}

/// The phrase of `cues` (longest first) that ends right before byte
/// `start` of `text`, as whole words, if any.
fn cue_before(cues: &[&'static str], text: &str, start: usize) -> Option<&'static str> {
    let head = text[..start].trim_end_matches([' ', '\u{a0}']);
    let tail: String = head
        .chars()
        .rev()
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    cues.iter().copied().find(|cue| {
        tail.strip_suffix(cue)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with(|c: char| !c.is_alphanumeric()))
    })
}

/// Stage "care": phrases right before a place that make it where victims
/// were taken or treated ("taken to hospital in Biu", "в больницу города
/// Исфары"), never the incident place (the vocabulary's `care-cues`).
pub struct CareCues(Vec<&'static str>);

impl CareCues {
    /// From the vocabulary in use.
    pub fn from_vocab() -> CareCues {
        let mut cues = crate::vocab::get().phrases("care-cues");
        cues.sort_by_key(|p| std::cmp::Reverse(p.len()));
        CareCues(cues)
    }
}

/// Set aside places of care: their role becomes `Other`, wherever they
/// are; returns each mention set aside with its cue.
pub fn set_aside_care(
    text: &str,
    mentions: &mut [Mention],
    cues: &CareCues,
) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for m in mentions.iter_mut() {
        if m.role != Role::Location || m.place().is_none() {
            continue;
        }
        if let Some(cue) = cue_before(&cues.0, text, m.start) {
            m.role = Role::Other;
            out.push((m.text.clone(), cue));
        }
    }
    out
}

/// Set aside origin places in the sentence `start..end`; returns each
/// mention set aside with its cue.
pub fn set_aside_origins(
    text: &str,
    (start, end): (usize, usize),
    mentions: &mut [Mention],
    cues: &Cues,
) -> Vec<(String, &'static str)> {
    let inside = |m: &Mention| start <= m.start && m.end <= end;
    // The sentence lowercased, only once a mention needs the clause test,
    // and only when it holds a clause opener at all (most hold none).
    let lower: std::cell::OnceCell<Option<String>> = std::cell::OnceCell::new();
    let cued: Vec<Option<&'static str>> = mentions
        .iter()
        .map(|m| {
            (inside(m) && m.role == Role::Location && m.place().is_some())
                .then(|| {
                    cues.before(text, m.start).or_else(|| {
                        let lower = lower.get_or_init(|| {
                            let l = super::lower_same_len(&text[start..end]);
                            cues.1.iter().any(|o| l.contains(o)).then_some(l)
                        });
                        cues.clause_opener(lower.as_deref()?, m.start - start)
                    })
                })
                .flatten()
        })
        .collect();
    let other_place = mentions
        .iter()
        .zip(&cued)
        .any(|(m, c)| inside(m) && m.role == Role::Location && m.place().is_some() && c.is_none());
    let mut out = Vec::new();
    if !other_place {
        return out;
    }
    for (m, c) in mentions.iter_mut().zip(cued) {
        if let Some(cue) = c {
            m.role = Role::Other;
            out.push((m.text.clone(), cue));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::incidents::testutil::assert_places;

    /// Stage "care": where the wounded were taken is no incident place;
    /// a hospital that is shelled is one.
    #[test]
    fn care_table() {
        assert_places(&[
            (
                "Azerbaijani shelling hit Talish on Monday, killing a soldier; two wounded soldiers were taken to hospital in Ganja.",
                &["Talish"],
            ),
            (
                "Shelling killed a soldier on Monday, and two wounded soldiers were taken to hospital in Ganja.",
                &[],
            ),
            (
                "В понедельник двое военных были ранены при обстреле, их доставили в больницу города Гянджа.",
                &[],
            ),
            (
                "Artillery shelled the hospital in Ganja on Monday, killing two patients.",
                &["Ganja"],
            ),
        ]);
    }

    /// Reports written for this test, and the incident places.
    #[test]
    fn origin_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "Shelling from Horlivka killed two civilians in Dzerzhynsk on Monday.",
                &["Toretsk"],
            ),
            (
                "Troops opened fire from Vardenis on positions toward Kalbajar on Monday.",
                &["Kalbajar"],
            ),
            // Where attackers came from.
            (
                "Gunmen coming from Vardenis attacked a house in Kalbajar on Monday.",
                &["Kalbajar"],
            ),
            // Alone in its sentence, the origin is the only place given.
            ("Rockets were fired from Horlivka on Monday.", &["Horlivka"]),
            (
                "В понедельник со стороны Вардениса был открыт огонь по позициям в направлении Кельбаджара.",
                &["Kalbajar"],
            ),
            // A reported clause that starts at the origin.
            (
                "The ministry said on Monday that from Goris the army had shelled the Fuzuli district.",
                &["Fuzuli"],
            ),
            // A clause listing the origins, closed by where the fire landed.
            (
                "On Monday, Armenian units from the positions in the directions of Vardenis and Sotk subjected to fire the positions stationed in the direction of Kalbajar.",
                &["Kalbajar"],
            ),
        ];
        assert_places(table);
    }
}
