//! Stage "anaphora" (after a sentence's candidates): "An officer was wounded
//! by a shot from Armenian territory, the border service said. The incident
//! took place near the village of Jijimli." The second sentence has no event
//! word, so no incident of its own, but it says where the first one
//! happened. When a sentence holds a phrase of the vocabulary's
//! `incident-anaphora` list and names a place, the article's last incident
//! takes that place if it had only the article's region (or a region that
//! holds the place) and no other date.

use crate::dates::DateValue;
use crate::gazetteer::Gazetteer;
use crate::places::{Mention, Qualifier, Role};

use super::{holds, Candidate};

/// Where the incident the sentence refers back to took place: its first
/// location mention naming a settlement or site (not a region).
fn place_of<'m>(g: &Gazetteer, mentions: &[&'m Mention]) -> Option<&'m Mention> {
    mentions.iter().copied().find(|m| {
        m.role == Role::Location
            && m.place()
                .is_some_and(|p| !g.places[p].kind.is_area() || m.qualifier == Qualifier::District)
    })
}

/// The sentences back an incident may be referred to from.
const MAX_SENTENCES_BACK: usize = 3;

/// Give the article's last incident the place a later sentence, one that
/// holds an `incident-anaphora` phrase (found by the caller), says it took
/// place at (`date`: the sentence's own date, if any). Returns the place's
/// name when it did.
pub(super) fn refer_back(
    g: &Gazetteer,
    cands: &mut [Candidate],
    sentence: (usize, std::ops::Range<usize>),
    mentions: &[&Mention],
    date: Option<&DateValue>,
) -> Option<String> {
    let m = place_of(g, mentions)?;
    let place = m.place()?;
    let last = cands.iter_mut().rev().find(|c| c.merged_into.is_none())?;
    let broad = !last.explicit_place
        || g.places[last.place].kind.is_area() && holds(&g.places[last.place], &g.places[place]);
    let close = sentence.0 >= last.sentence && sentence.0 - last.sentence <= MAX_SENTENCES_BACK;
    if !broad || !close || date.is_some_and(|d| last.date.as_ref() != Some(d)) {
        return None;
    }
    last.place = place;
    last.explicit_place = true;
    last.qualifier = m.qualifier;
    last.place_text = Some(m.text.clone());
    if last.evidence.len() < 4 {
        last.evidence.push(sentence.1);
    }
    Some(g.places[place].name.clone())
}

/// Stage "toll back": a sentence with no event word, no place and no date
/// of its own that reports deaths or injuries ("Private X was killed.")
/// tells the toll of the incident of the sentence right before it, in the
/// same paragraph, when that sentence made one incident at a place it
/// names and gave it no toll. Returns the incident's place when it took
/// the toll.
pub(super) fn toll_back(
    g: &Gazetteer,
    cands: &mut [Candidate],
    sentence: (usize, usize, std::ops::Range<usize>),
    killed: Option<u32>,
    injured: Option<u32>,
) -> Option<String> {
    let (si, paragraph, span) = sentence;
    if killed.is_none() && injured.is_none() || si == 0 {
        return None;
    }
    let mut before = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| c.merged_into.is_none() && c.sentence + 1 == si);
    let (k, _) = before.next()?;
    let c = &cands[k];
    if before.next().is_some()
        || !c.explicit_place
        || c.paragraph != paragraph
        || c.killed.is_some()
        || c.injured.is_some()
    {
        return None;
    }
    let c = &mut cands[k];
    c.killed = killed;
    c.injured = injured;
    if c.evidence.len() < 4 {
        c.evidence.push(span);
    }
    Some(g.places[c.place].name.clone())
}

#[cfg(test)]
mod tests {
    use crate::incidents::testutil::assert_places;

    /// Reports written for this test, and the incident places.
    #[test]
    fn anaphora_table() {
        let table: &[(&str, &[&str])] = &[
            // The first sentence has only the region; the second says where.
            (
                "A soldier was wounded by sniper fire from across the border in Armenia on Monday. The incident took place near the village of Kut.",
                &["Kut"],
            ),
            // A place of its own: the second sentence moves nothing.
            (
                "Artillery shelled Goris on Monday. The incident took place near Kapan.",
                &["Goris"],
            ),
            // Another date: another incident, not this one.
            (
                "A soldier was wounded by sniper fire in Armenia on Monday. Another incident took place near Kut on Sunday, the ministry said.",
                &["Armenia"],
            ),
        ];
        assert_places(table);
    }

    /// Stage "toll back": a toll alone in the next sentence is the last
    /// incident's, when that one named its place and had no toll.
    #[test]
    fn toll_back_table() {
        type Row<'a> = (&'a str, &'a [(&'a str, Option<u32>)]);
        let table: &[Row] = &[
            (
                "Troops opened fire on positions near Sotk on Monday. Private Hayk Petrosyan was killed.",
                &[("Sotk", Some(1))],
            ),
            // A place of its own: its own incident, not a toll of the one before.
            (
                "Troops opened fire on positions near Sotk on Monday. A man was killed in Goris.",
                &[("Sotk", None), ("Goris", Some(1))],
            ),
            // The incident before has its toll already.
            (
                "Shelling killed two soldiers near Sotk on Monday. Private Hayk Petrosyan was killed.",
                &[("Sotk", Some(2))],
            ),
        ];
        crate::incidents::testutil::assert_fields(table, |r| r.fatalities);
    }
}
