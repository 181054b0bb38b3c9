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
}
