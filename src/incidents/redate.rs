//! Stage "statement day" (after a sentence's candidates): "An air strike on
//! a prison in Saada killed 70 people, the charity said on Saturday. The
//! strike on Friday came after ..." The first sentence's only date is the
//! day of the statement; the second sentence refers back to the incident
//! ("the" and a noun of the vocabulary's `incident-nouns` list) and gives
//! its own day. The incident takes that day when it is the same day or up
//! to a week before the statement.

use crate::dates::{DateMention, DateValue, Qualifier as DateQualifier};
use crate::gazetteer::{Gazetteer, PlaceIdx};
use crate::places::{Mention, Role};

use super::lexicon::{self, Lex};
use super::{reported_on, Candidate, DateSource};

/// The sentences back an incident may be referred to from.
const MAX_SENTENCES_BACK: usize = 3;
/// The bytes between the noun and its date ("took place early on").
const MAX_GAP: usize = 40;
/// How many days before its statement an incident may be.
const MAX_DAYS_BEFORE: i64 = 7;

/// A day a sentence gives to an incident named before: the sentence opens
/// with "the" and an incident noun, and a date follows the noun closely
/// (not a statement's day). With the place it names before that date, if any.
pub(super) fn event_day(
    lex: &Lex<'_>,
    st: &str,
    mentions: &[&Mention],
    s_start: usize,
    dates: &[DateMention],
) -> Option<(DateValue, Option<PlaceIdx>)> {
    let noun_end = back_reference(lex)?;
    let d = dates.iter().find(|d| {
        d.start >= noun_end
            && d.start - noun_end <= MAX_GAP
            && d.qualifier == DateQualifier::None
            && matches!(d.value, DateValue::Day(_))
            && !reported_on(lex, st, d.start)
    })?;
    let before: Vec<PlaceIdx> = mentions
        .iter()
        .filter(|m| m.role == Role::Location && m.start - s_start < d.start)
        .filter_map(|m| m.place())
        .collect();
    match before.as_slice() {
        [] => Some((d.value, None)),
        [p] => Some((d.value, Some(*p))),
        _ => None,
    }
}

/// Where the noun ends when the sentence opens with "the" and a noun of
/// `incident-nouns` ("The attack on Tuesday ..."): it refers back to an
/// incident already reported.
pub(super) fn back_reference(lex: &Lex<'_>) -> Option<usize> {
    let lower = lex.text();
    let lead = lower.len() - lower.trim_start_matches(['"', '“', '\'', ' ']).len();
    let rest = lower[lead..].strip_prefix("the ")?;
    Some(lower.len() - rest.len() + lexicon::incident_noun_len(rest)?)
}

/// Stage "same incident": the incidents of a sentence that refers back
/// ("The attack on Tuesday on Pazigyi village in Kanbalu township") take
/// the type of the incident it refers to, the article's last one of the
/// same day within [`MAX_SENTENCES_BACK`]: "the attack" names no type of
/// its own. Returns that type's sub-event when they took it.
pub(super) fn same_incident_type(
    cands: &[Candidate],
    sentence: usize,
    found: &mut [Candidate],
) -> Option<&'static str> {
    let last = referred(cands, sentence, found)?;
    for f in found.iter_mut() {
        f.event = last.event;
    }
    Some(last.event.sub_event_type)
}

/// Stage "day after": a sentence that refers back and dates its own
/// incidents against it ("The strike came a day after a drone hit Sumy"):
/// they are another, earlier incident, on the day of the one referred to
/// moved by the offset of the `day-after-cues` phrase. They keep their own
/// type. Returns the phrase.
pub(super) fn day_after(
    cands: &[Candidate],
    sentence: usize,
    lex: &Lex<'_>,
    found: &mut [Candidate],
) -> Option<&'static str> {
    let lower = lex.text();
    let (cue, offset) = crate::vocab::get()
        .rows("day-after-cues")
        .iter()
        .filter_map(|r| Some((r[0], r[1].parse::<i64>().ok()?)))
        .find(|(cue, _)| {
            lower.match_indices(cue).any(|(at, _)| {
                let end = at + cue.len();
                !lower[..at].ends_with(|c: char| c.is_alphanumeric())
                    && !lower[end..].starts_with(|c: char| c.is_alphanumeric())
            })
        })?;
    let last = referred(cands, sentence, found)?;
    let Some(DateValue::Day(day)) = last.date else {
        return None;
    };
    let moved = day + chrono::Duration::days(offset);
    for f in found.iter_mut() {
        f.date = Some(DateValue::Day(moved));
        f.date_source = DateSource::Explicit;
        f.aside = true;
    }
    Some(cue)
}

/// The incident a sentence refers back to: the article's last one, at most
/// [`MAX_SENTENCES_BACK`] sentences before, dated, with the sentence's
/// incidents on its day (they inherited it).
fn referred<'c>(
    cands: &'c [Candidate],
    sentence: usize,
    found: &[Candidate],
) -> Option<&'c Candidate> {
    let last = cands.iter().rev().find(|c| c.merged_into.is_none())?;
    let close = sentence > last.sentence && sentence - last.sentence <= MAX_SENTENCES_BACK;
    let same_day = last.date.is_some() && found.iter().all(|f| f.date == last.date);
    (close && same_day).then_some(last)
}

/// Move the incidents of the last statement-dated sentence (at most
/// [`MAX_SENTENCES_BACK`] before `sentence`) to `day`, with the incidents
/// that inherited their date. Returns the first one's place name.
pub(super) fn redate(
    cands: &mut [Candidate],
    sentence: usize,
    (day, place): (DateValue, Option<PlaceIdx>),
    g: &Gazetteer,
) -> Option<String> {
    let last = cands.iter().rposition(|c| c.merged_into.is_none())?;
    let target = &cands[last];
    let (DateValue::Day(new), Some(DateValue::Day(old))) = (day, target.date) else {
        return None;
    };
    let back = sentence.checked_sub(target.sentence)?;
    let days = (old - new).num_days();
    if !target.statement_day
        || back == 0
        || back > MAX_SENTENCES_BACK
        || !(0..=MAX_DAYS_BEFORE).contains(&days)
        || place.is_some_and(|p| p != target.place)
    {
        return None;
    }
    let from = target.sentence;
    let moved: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].sentence == from && cands[i].statement_day)
        .collect();
    for (i, c) in cands.iter_mut().enumerate() {
        let inherits = matches!(c.date_source, DateSource::Inherited(j) if moved.contains(&j));
        if moved.contains(&i) || inherits && c.date == Some(DateValue::Day(old)) {
            c.date = Some(day);
            c.statement_day = false;
        }
    }
    Some(g.places[cands[moved[0]].place].name.clone())
}

#[cfg(test)]
mod tests {
    use crate::incidents::testutil;

    /// Reports written for this test (published Tuesday 4 May 2021), and
    /// each incident's place and day.
    /// Stage "day after": an incident dated against the one referred to
    /// (published Tuesday 4 May 2021).
    #[test]
    fn day_after_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "Missiles struck Goris on Monday. The strike came a day after a drone hit Kapan. Shells also fell on Sisian.",
                &[
                    ("Goris", "2021-05-03"),
                    ("Kapan", "2021-05-02"),
                    ("Sisian", "2021-05-03"),
                ],
            ),
            (
                "Missiles struck Goris on Monday. The strike came two days after a drone hit Kapan.",
                &[("Goris", "2021-05-03"), ("Kapan", "2021-05-01")],
            ),
        ];
        testutil::assert_dates(table);
    }

    #[test]
    fn statement_day_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // The day of the statement, then the strike's own day.
            (
                "Artillery fire on Kapan killed two people, the ministry said on Monday. The shelling on Sunday also damaged a school.",
                &[("Kapan", "2021-05-02")],
            ),
            // "took place" with its day.
            (
                "A drone strike hit Goris, officials told reporters on Monday. The attack took place early on Saturday.",
                &[("Goris", "2021-05-01")],
            ),
            // The sentence's own date is the event's: nothing moves.
            (
                "Artillery fire on Kapan killed two people on Sunday, the ministry said on Monday. The incident on Saturday was the third this month.",
                &[("Kapan", "2021-05-02")],
            ),
            // Stage "same incident": "the attack" takes the strike's type,
            // and the region's toll goes to the town inside it ("located
            // by"; Kanbalu's admin-1 column says "Sagaing Region").
            (
                "A military airstrike on a village in the Sagaing region killed about 100 people, witnesses said on Monday. The attack on Sunday on a village in Kanbalu township was the deadliest this year.",
                &[("Kanbalu", "2021-05-02")],
            ),
            // Another place before the day: another incident, not this one.
            (
                "Artillery fire on Kapan killed two people, the ministry said on Monday. The attack on Goris on Saturday killed one.",
                &[("Kapan", "2021-05-03"), ("Goris", "2021-05-01")],
            ),
        ];
        testutil::assert_dates(table);
    }
}
