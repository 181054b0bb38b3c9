//! Statements (official reactions) and attribution ("who says so").

use chrono::NaiveDate;

use super::lexicon;
use super::Extractor;
use crate::dates::{DateMention, DateValue, Qualifier as DateQualifier};
use crate::places::{Mention, Role, Target};
use crate::record::{DatePrecision, Record, RecordKind};
use crate::text::{Article, Sentence};

/// The first statement verb in a lowercased sentence: (position, kind).
pub fn statement_verb(lex: &lexicon::Lex<'_>) -> Option<(usize, &'static str)> {
    lex.first_each(&lexicon::STATEMENT_SET, 0..lex.text().len())
        .into_iter()
        .zip(lexicon::statement_verbs())
        .filter_map(|(m, (_, k))| m.map(|(a, _)| (a, *k)))
        .min_by_key(|x| x.0)
}

/// The words that end an institution's name ("the Azerbaijani Defense Ministry").
const INSTITUTION_HEADS: &[&str] = &[
    "Ministry",
    "Army",
    "Government",
    "Command",
    "Service",
    "Office",
    "Kremlin",
];

/// [`INSTITUTION_HEADS`] in one automaton.
fn institution_heads() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::new(INSTITUTION_HEADS).expect("fixed words build an automaton")
    })
}

/// Reads attribution and statements sentence by sentence, remembering the
/// last speaker and institution for "she said" and "the ministry said".
#[derive(Debug, Default)]
pub struct Reader {
    last_speaker_country: Option<String>,
    last_institution: Option<String>,
    paragraph_source: Option<(usize, String)>,
}

impl Reader {
    /// Who makes the claim in this sentence, normalised ("Azerbaijani Defense Ministry").
    pub fn reported_by(
        &mut self,
        st: &str,
        lex: &lexicon::Lex<'_>,
        paragraph: usize,
        mentions: &[&Mention],
        ex: &Extractor,
        text: &str,
    ) -> Option<String> {
        let mut found: Option<String> = None;
        // "according to X"
        let lower = lex.text();
        if let Some((_, b)) = lex.first_each(&lexicon::ACCORDING_SET, 0..lower.len())[0] {
            let end = st[b..].find([',', '.', ';']).map_or(st.len(), |i| b + i);
            found = Some(st[b..end].trim().to_string());
        }
        if found.is_none() {
            for (a, _) in lex
                .first_each(&lexicon::REPORT_SET, 0..lower.len())
                .into_iter()
                .flatten()
            {
                // The phrase before the verb, back to a clause boundary or quote.
                let head = &st[..a];
                // "violence was reported": passive, no source named.
                let prev = head
                    .split_whitespace()
                    .next_back()
                    .unwrap_or("")
                    .to_lowercase();
                if matches!(
                    prev.as_str(),
                    "was" | "were" | "been" | "be" | "is" | "are" | "being"
                ) {
                    continue;
                }
                let cut = head
                    .rfind([',', ';', '"', '\u{201c}', '\u{201d}', ':', '(', ')'])
                    .map_or(0, |i| {
                        i + head[i..].chars().next().map_or(1, char::len_utf8)
                    });
                let mut phrase = head[cut..].trim();
                // "Azerbaijan and Armenia have accused": drop auxiliaries.
                while let Some((rest, last)) = phrase.rsplit_once(' ') {
                    if matches!(
                        last,
                        "has"
                            | "have"
                            | "had"
                            | "also"
                            | "was"
                            | "were"
                            | "is"
                            | "are"
                            | "later"
                            | "then"
                            | "further"
                            | "reportedly"
                    ) {
                        phrase = rest.trim_end();
                    } else {
                        break;
                    }
                }
                let words = phrase.split_whitespace().count();
                if words == 0 || words > 9 {
                    continue;
                }
                found = Some(phrase.to_string());
                break;
            }
        }
        self.note_institutions(st, mentions, ex, text);
        let mut out = found.map(|p| self.normalise_source(&p, mentions, ex, text));
        if let Some(o) = &out {
            if o.is_empty() {
                out = None;
            }
        }
        match &out {
            Some(o) => self.paragraph_source = Some((paragraph, o.clone())),
            None => {
                if let Some((p, s)) = &self.paragraph_source {
                    if *p == paragraph {
                        out = Some(s.clone());
                    }
                }
            }
        }
        out
    }

    /// Remember the last institution the text names ("The Azerbaijani
    /// Defense Ministry described ..."), for a later "the ministry said".
    fn note_institutions(&mut self, st: &str, mentions: &[&Mention], ex: &Extractor, text: &str) {
        // Most sentences name no institution: one automaton pass says so.
        if !institution_heads().is_match(st) {
            return;
        }
        let words: Vec<&str> = st.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if !INSTITUTION_HEADS.contains(&w) {
                continue;
            }
            let mut j = i;
            while j > 0 {
                let prev = words[j - 1]
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}');
                if prev.chars().next().is_some_and(char::is_uppercase)
                    && !prev.ends_with(',')
                    && j > 0
                {
                    j -= 1;
                } else {
                    break;
                }
            }
            if i > j {
                let phrase = words[j..=i].join(" ");
                let phrase = phrase
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_string();
                let saved = self.last_institution.clone();
                let n = self.normalise_source(&phrase, mentions, ex, text);
                self.last_institution = if n.is_empty() { saved } else { Some(n) };
            }
        }
    }

    fn normalise_source(
        &mut self,
        phrase: &str,
        mentions: &[&Mention],
        ex: &Extractor,
        text: &str,
    ) -> String {
        let mut p = phrase
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        for lead in ["The ", "the "] {
            if let Some(rest) = p.strip_prefix(lead) {
                p = rest.to_string();
            }
        }
        let lower = p.to_lowercase();
        // Pronouns and "the ministry": the last institution named.
        if matches!(
            lower.as_str(),
            "it" | "he"
                | "she"
                | "they"
                | "we"
                | "ministry"
                | "the ministry"
                | "officials"
                | "the military"
                | "military"
        ) {
            return self.last_institution.clone().unwrap_or_default();
        }
        if lower.starts_with("a ")
            || lower.starts_with("an ")
            || lower.contains(" was ")
            || lower.contains(" were ")
        {
            return String::new();
        }
        // "the Defense Ministry in Moscow" -> "Russian Defense Ministry".
        for m in mentions {
            let Some(pi) = m.place() else { continue };
            let place = &ex.gazetteer.places[pi];
            let Some(adj) = ex.adjectives.get(&place.country) else {
                continue;
            };
            // `p` ending with " in {m.text}".
            let head = p
                .strip_suffix(m.text.as_str())
                .and_then(|h| h.strip_suffix(" in "));
            if let Some(head) = head {
                if crate::vocab::words("institution-words")
                    .iter()
                    .any(|w| head.contains(w))
                {
                    p = format!(
                        "{adj} {}",
                        head.trim_start_matches("the ").trim_start_matches("The ")
                    );
                }
            }
        }
        // "Azerbaijan's Defense Ministry", "Baku's Defense Ministry" -> adjective form.
        for m in mentions {
            if !m.possessive {
                continue;
            }
            let Some(pi) = m.place() else { continue };
            let country = &ex.gazetteer.places[pi].country;
            let Some(adj) = ex.adjectives.get(country) else {
                continue;
            };
            // `p` starting with "{m.text}'s " (either apostrophe).
            for own in ["'s ", "\u{2019}s "] {
                let rest = p
                    .strip_prefix(m.text.as_str())
                    .and_then(|r| r.strip_prefix(own));
                if let Some(rest) = rest {
                    p = format!("{adj} {rest}");
                }
            }
        }
        let _ = text;
        if crate::vocab::words("institution-words")
            .iter()
            .any(|w| p.contains(w))
            && p.chars().next().is_some_and(char::is_uppercase)
        {
            self.last_institution = Some(p.clone());
        }
        p
    }

    /// A statement record for this sentence, if it holds an official
    /// reaction; `verb` is the sentence's [`statement_verb`].
    #[allow(clippy::too_many_arguments)]
    pub fn statement(
        &mut self,
        ex: &Extractor,
        article: &Article,
        st: &str,
        s: &Sentence,
        verb: Option<(usize, &'static str)>,
        mentions: &[&Mention],
        dates: &[DateMention],
        published: Option<NaiveDate>,
        existing: &[Record],
    ) -> Option<Record> {
        let (pos, kind) = verb?;
        let abs = s.start + pos;
        // The speaker: the last country-level mention before the verb.
        let mut speaker: Option<String> = None;
        for m in mentions.iter().filter(|m| m.end <= abs) {
            let c = match (&m.target, m.role) {
                (Target::Demonym(c), _) => c.clone(),
                (Target::Places(_), Role::Metonym | Role::Attribution | Role::Party) => {
                    let p = &ex.gazetteer.places[m.place()?];
                    if !(p.kind.is_area() || p.kind == crate::gazetteer::PlaceKind::Capital) {
                        continue;
                    }
                    p.country.clone()
                }
                _ => continue,
            };
            if !c.is_empty() {
                speaker = Some(c);
            }
        }
        if speaker.is_none() {
            speaker = self.last_speaker_country.clone();
        }
        let speaker = speaker?;
        self.last_speaker_country = Some(speaker.clone());
        let country = ex.gazetteer.country(&speaker)?;
        let seat = *ex.capitals.get(&speaker)?;
        let seat = &ex.gazetteer.places[seat];
        // To whom: the first other country after the verb.
        let target = mentions
            .iter()
            .filter(|m| m.start > abs)
            .filter_map(|m| m.place().map(|p| &ex.gazetteer.places[p]))
            .find(|p| p.kind == crate::gazetteer::PlaceKind::Country && p.country != speaker)
            .map(|p| format!("Government of {}", p.name));
        let date = dates
            .iter()
            .filter(|d| d.qualifier == DateQualifier::None && d.value != DateValue::Recent)
            .filter(|d| published.is_none_or(|p| !d.value.is_before(p, super::BACKGROUND_DAYS)))
            .min_by_key(|d| d.start.abs_diff(pos))
            .map(|d| d.value.to_event_date())
            .or_else(|| published.map(|p| DateValue::Day(p).to_event_date()))
            .unwrap_or((None, DatePrecision::Unknown));
        let actor1 = format!("Government of {}", country.name);
        if existing.iter().any(|r| {
            r.actor1.as_deref() == Some(actor1.as_str())
                && r.event_date == date.0
                && r.sub_event_type == kind
        }) {
            return None;
        }
        let char_start = article.text[..s.start].chars().count();
        Some(Record {
            id: String::new(),
            kind: RecordKind::Statement,
            source_file: article.file.clone(),
            event_date: date.0,
            date_precision: date.1,
            event_type: "Statement".into(),
            sub_event_type: kind.into(),
            location: seat.name.clone(),
            gazetteer_id: seat.id.clone(),
            geo_precision: 3,
            fatalities: None,
            fatalities_low: None,
            fatalities_high: None,
            injured: None,
            actor1: Some(actor1),
            actor2: target,
            reported_by: None,
            evidence: st.to_string(),
            char_start,
            char_end: char_start + st.chars().count(),
            matched_text: None,
            country: Some(seat.country.clone()),
            admin1: (!seat.admin1.is_empty()).then(|| seat.admin1.clone()),
            publisher: article.publisher.clone(),
            url: article.url.clone(),
            confidence: 0.6,
            geometry: seat.geometry.clone(),
            point: (seat.lon, seat.lat),
        })
    }
}
