//! Fatality and injury counts from digits and number words.
//!
//! "at least two Azerbaijani soldiers were killed" -> 2, "four of the
//! country's soldiers were killed" -> 4, "killing 12 civilians" -> 12,
//! "numerous casualties" -> unknown (never a guess).

use std::borrow::Cow;

/// Counts read from one clause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// People reported killed, when a number is given.
    pub killed: Option<u32>,
    /// Deaths are mentioned without a number ("several were killed", "casualties").
    pub killed_vague: bool,
    pub injured: Option<u32>,
}

word_set!(death_words, "death-words");
word_set!(injury_words, "injury-words");
word_set!(unit_words, "unit-words");
word_set!(vague_words, "vague-words");
word_set!(person_nouns, "person-nouns");
word_set!(part_cues, "toll-part-before");
word_set!(subset_cues, "toll-subset-cues");
word_set!(singular_toll_words, "singular-toll-words");
word_set!(victim_description_verbs, "victim-description-verbs");
word_set!(toll_negations, "toll-negations");
word_set!(one_victim_words, "one-victim-words");
word_set!(article_counts, "article-counts");
word_set!(one_victim_blockers, "one-victim-blockers");

/// A word that counts one only before a person noun ("a soldier",
/// "another resident"), never as a count of its own: `article-counts`.
pub(super) fn is_article(t: &str) -> bool {
    article_counts().contains(t)
}

/// The value of a number token: digits ("25,000", "13") or a word ("four").
pub fn number_value(tok: &str) -> Option<u32> {
    let t = tok.trim_matches(|c: char| !c.is_alphanumeric());
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ',') {
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        return digits.parse().ok();
    }
    match t {
        "dozen" => Some(12),
        _ if is_article(t) => Some(1),
        _ => crate::dates::number_word(t),
    }
}

/// The non-ASCII characters whose lowercase has ASCII letters: "İ" (to
/// "i̇") and the Kelvin sign (to "k"). A test checks the list against every
/// character.
const LOWER_TO_ASCII: [char; 2] = ['\u{130}', '\u{212a}'];

/// The death and injury words and "casualties", in any ASCII case.
fn toll_words() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        let mut words: Vec<&str> = death_words()
            .iter()
            .chain(injury_words())
            .copied()
            .collect();
        words.sort_unstable();
        words.push("casualties");
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(words)
            .expect("toll words build an automaton")
    })
}

/// `clause` without thousands separators ("25,000" -> "25000").
fn join_numbers(clause: &str) -> Cow<'_, str> {
    let b = clause.as_bytes();
    let separator = |i: usize| {
        b[i] == b','
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    };
    if !(0..b.len()).any(separator) {
        return Cow::Borrowed(clause);
    }
    Cow::Owned(
        clause
            .char_indices()
            .filter(|&(i, _)| !separator(i))
            .map(|(_, c)| c)
            .collect(),
    )
}

/// The lowercased words of a clause (see [`join_numbers`]), borrowed where
/// they already are lowercase.
fn tokens(joined: &str) -> Vec<Cow<'_, str>> {
    joined
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\u{201c}' | '\u{201d}')
        })
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.trim_matches(|c: char| {
                matches!(c, '.' | ':' | '!' | '?' | '\'' | '\u{2019}' | '\u{2018}')
            });
            if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Read the numbers attached to death and injury words in one clause.
pub fn counts(clause: &str) -> Counts {
    // Most clauses name no death, injury or casualties: one automaton pass
    // says so without tokenizing. A token equal to one of the (ASCII) words
    // is that word in some ASCII case, inside the clause, unless it has one
    // of the only two other characters whose lowercase has ASCII letters.
    // Other scripts' words (Russian "погибли") are matched lowercased.
    let other_case = !clause.is_ascii()
        && (clause.contains(LOWER_TO_ASCII)
            || clause.chars().any(|c| c.is_uppercase() && !c.is_ascii()));
    if !other_case && !toll_words().is_match(clause) {
        return Counts::default();
    }
    let joined = join_numbers(clause);
    let toks = tokens(&joined);
    let mut out = Counts::default();
    let mut killed: Vec<u32> = Vec::new();
    let mut injured: Vec<u32> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        let is_death = death_words().contains(tok.as_ref());
        let is_injury = injury_words().contains(tok.as_ref());
        if !is_death && !is_injury {
            continue;
        }
        if victims_described(&toks, i) {
            continue;
        }
        let mut found = number_near(&toks, i);
        // "lives" counts only as "claimed N lives" / "N lives lost".
        if tok == "lives" && found.is_none() {
            continue;
        }
        if is_death && found.is_none() && vague_near(&toks, i) {
            out.killed_vague = true;
        }
        if found.is_none() && !out.killed_vague {
            found = singular(&toks, i).or_else(|| one_named(&toks, i));
        }
        if let Some(n) = found.take() {
            if is_death {
                killed.push(n);
            } else {
                injured.push(n);
            }
        }
    }
    if toks.iter().any(|t| t == "casualties") {
        out.killed_vague = true;
    }
    out.killed = killed.into_iter().max();
    out.injured = injured.into_iter().max();
    out
}

/// Stage "victims described": "the dead included a child", "among the
/// dead were two children": the words after the toll noun describe victims
/// counted elsewhere, not a toll of their own.
fn victims_described(toks: &[Cow<'_, str>], i: usize) -> bool {
    let noun = i > 0 && toks[i - 1] == "the";
    let among = i > 1 && subset_cues().contains(toks[i - 2].as_ref());
    let verb = toks
        .get(i + 1)
        .is_some_and(|w| victim_description_verbs().contains(w.as_ref()));
    noun && (among || verb)
}

/// A number before the death word (within 7 tokens, not separated by
/// another verb of the clause) or right after it ("killing 12 civilians").
fn number_near(toks: &[Cow<'_, str>], i: usize) -> Option<u32> {
    if toks[i].ends_with("ing") {
        if let Some(n) = number_after(toks, i) {
            return Some(n);
        }
    }
    let lo = i.saturating_sub(10);
    let mut sum: Option<u32> = None;
    let mut part: Option<u32> = None;
    let mut j = i;
    while j > lo {
        j -= 1;
        let t = toks[j].as_ref();
        if matches!(t, "and" | "but" | "while" | "after" | "when") {
            // "four employees and two road workers were killed": add the
            // counted victims of both conjuncts; "killing 12 civilians and
            // wounding 30": stop at the previous verb phrase.
            // "five were killed and two others wounded": the first
            // conjunct has a toll word of its own.
            let own_verb = j > 0
                && (death_words().contains(toks[j - 1].as_ref())
                    || injury_words().contains(toks[j - 1].as_ref()));
            if t == "and" && sum.is_some() && !own_verb {
                if let Some(n) = counted_victims_before(toks, j) {
                    return Some(sum.unwrap_or(0) + n);
                }
            }
            break;
        }
        // "four civilians, including a woman, were killed": the number
        // before "including" counts them all.
        if subset_cues().contains(t) && sum.is_some() {
            part = sum.take();
            continue;
        }
        if sum.is_some() {
            continue;
        }
        if let Some(n) = number_value(t) {
            if is_article(t) {
                // "a soldier was killed", "a 68-year-old man": before a victim
                // noun; "five members of a family": not a count.
                let partitive = j > 0 && toks[j - 1] == "of";
                if partitive || !person_noun_within(toks, j + 1, 3) {
                    continue;
                }
                sum = Some(1);
                continue;
            }
            if matches!(t, "one") && j > 0 && matches!(toks[j - 1].as_ref(), "no") {
                // "no one was hurt"
                return None;
            }
            let next = toks.get(j + 1).map(AsRef::as_ref).unwrap_or("");
            if unit_words().contains(next) || next.ends_with("-old") || t.contains('-') {
                continue;
            }
            // "on Sept. 27": a day of the month, not a count.
            let prev = if j > 0 { toks[j - 1].as_ref() } else { "" };
            if crate::dates::month_number(prev).is_some()
                || crate::dates::month_number(next).is_some()
            {
                continue;
            }
            // "since 1994", "in 2020": years are not counts.
            if (1900..=2100).contains(&n) && t.len() == 4 && !t.contains(',') {
                continue;
            }
            sum = Some(n);
        }
    }
    sum.or(part).or_else(|| number_after(toks, i))
}

/// A death or injury word in the singular ("погиб", "ранена": lexicon
/// `singular-toll-words`) reports one victim, unless negated right before
/// it (`toll-negations`: "никто не погиб").
fn singular(toks: &[Cow<'_, str>], i: usize) -> Option<u32> {
    let negated = i > 0 && toll_negations().contains(toks[i - 1].as_ref());
    (singular_toll_words().contains(toks[i].as_ref()) && !negated).then_some(1)
}

/// "Private Hayk Petrosyan was killed", "a sergeant, X, died": a word of
/// the `one-victim-words` list among the five tokens before "was" and the
/// death word (or before "died"), with no word of `one-victim-blockers`
/// ("no", "not", "and") among them.
fn one_named(toks: &[Cow<'_, str>], i: usize) -> Option<u32> {
    let verb = match toks[i].as_ref() {
        "died" => i,
        _ if i > 0 && toks[i - 1] == "was" => i - 1,
        _ => return None,
    };
    let window = &toks[verb.saturating_sub(5)..verb];
    let blocked = window
        .iter()
        .any(|w| one_victim_blockers().contains(w.as_ref()));
    (!blocked
        && window
            .iter()
            .any(|w| one_victim_words().contains(w.as_ref())))
    .then_some(1)
}

/// A person noun among the `n` tokens from `from` (skipping adjectives:
/// "a female soldier", "a 68-year-old man").
fn person_noun_within(toks: &[Cow<'_, str>], from: usize, n: usize) -> bool {
    toks.iter().skip(from).take(n).any(|w| is_person_noun(w))
}

/// "four employees of the company" right before an "and": a number followed
/// by a person noun within the previous few tokens.
fn counted_victims_before(toks: &[Cow<'_, str>], and: usize) -> Option<u32> {
    let lo = and.saturating_sub(10);
    // The nearest group: "three civilians, two women and a child" adds the
    // child to the two women, not to the three it sums up.
    // "a soldier and a civilian": an article before a person noun counts
    // one, unless partitive ("five members of a family and ...").
    (lo..and).rev().find_map(|j| {
        let n = number_value(&toks[j])?;
        let partitive = is_article(&toks[j]) && j > 0 && toks[j - 1] == "of";
        (!partitive && person_noun_within(toks, j + 1, 3)).then_some(n)
    })
}

/// "killed two soldiers", "killing at least 12 people".
fn number_after(toks: &[Cow<'_, str>], i: usize) -> Option<u32> {
    let hi = (i + 5).min(toks.len());
    for j in i + 1..hi {
        let t = toks[j].as_ref();
        if let Some(n) = number_value(t) {
            if is_article(t) {
                // "killing a female soldier"; "another three civilians"
                // counts the number after it.
                let number_next = toks.get(j + 1).is_some_and(|w| number_value(w).is_some());
                if !number_next && person_noun_within(toks, j + 1, 3) {
                    return Some(1);
                }
                continue;
            }
            let next = toks.get(j + 1).map(AsRef::as_ref).unwrap_or("");
            // "погиб 3 мая": a day of the month, not a count.
            if unit_words().contains(next)
                || (1900..=2100).contains(&n)
                || crate::dates::month_number(next).is_some()
            {
                continue;
            }
            let only_qualifiers = toks[i + 1..j].iter().all(|q| {
                matches!(
                    q.as_ref(),
                    "at" | "least"
                        | "more"
                        | "than"
                        | "about"
                        | "some"
                        | "nearly"
                        | "up"
                        | "to"
                        | "around"
                        | "almost"
                )
            });
            let noun = (j + 1..=j + 3).find(|&k| toks.get(k).is_some_and(|w| is_person_noun(w)));
            if only_qualifiers || noun.is_some() {
                // "killed 17 soldiers and 20 militants": both groups died.
                let more = noun.and_then(|k| second_group(toks, k));
                return Some(n + more.unwrap_or(0));
            }
        }
        if matches!(t, "and" | "in" | "on" | "when" | "after") {
            break;
        }
    }
    None
}

/// After a counted group ending at the person noun `k`: "and" and a
/// second counted group of people ("17 soldiers and 20 militants").
fn second_group(toks: &[Cow<'_, str>], k: usize) -> Option<u32> {
    if toks.get(k + 1)? != "and" {
        return None;
    }
    let w = toks.get(k + 2)?;
    let m = number_value(w).filter(|_| !is_article(w))?;
    person_noun_within(toks, k + 3, 3).then_some(m)
}

fn vague_near(toks: &[Cow<'_, str>], i: usize) -> bool {
    let lo = i.saturating_sub(6);
    toks[lo..i]
        .iter()
        .any(|t| vague_words().contains(t.as_ref()))
}

/// A place's own part of a toll its sentence shares among several places:
/// the number right before it in `head` (the sentence up to the place),
/// as in "including 10 in Rafah", "eight people in Khan Younis".
pub fn part_before(head: &str) -> Option<u32> {
    let joined = join_numbers(tail_of(head));
    let toks = tokens(&joined);
    let mut k = toks.len().checked_sub(1)?;
    if !part_cues().contains(toks[k].as_ref()) {
        return None;
    }
    k = k.checked_sub(1)?;
    if is_person_noun(&toks[k]) {
        k = k.checked_sub(1)?;
    }
    let w = toks[k].as_ref();
    let n = number_value(w)?;
    // "on May 12 in Rafah", "in 2014 in Gaza": a date, not a count.
    let prev = if k > 0 { toks[k - 1].as_ref() } else { "" };
    let year = (1900..=2100).contains(&n) && w.len() == 4;
    (crate::dates::month_number(prev).is_none() && !year).then_some(n)
}

/// The part of a toll a clause opening with "including" gives the place
/// that ends `head`: "17 were killed across Gaza, including eight people in
/// a strike on a house in " -> 8. The clause must hold that one number.
pub fn subset_before(head: &str) -> Option<u32> {
    let clause = head.rsplit([',', ';', ':', '(']).next().unwrap_or(head);
    let joined = join_numbers(clause);
    let toks = tokens(&joined);
    let (cue, rest) = toks.split_first()?;
    if !subset_cues().contains(cue.as_ref()) {
        return None;
    }
    let n = number_value(rest.first()?).filter(|_| !is_article(&rest[0]))?;
    let numbers = rest
        .iter()
        .filter(|t| !is_article(t) && number_value(t).is_some())
        .count();
    let year = (1900..=2100).contains(&n) && rest[0].len() == 4;
    (numbers == 1 && !year && rest.len() <= 14).then_some(n)
}

/// Whether the toll of a sentence is said of the place that follows
/// `head` (the sentence up to the place): a death or injury word among the
/// last four words, then a cue, with no comma between ("a woman was
/// wounded in ", "were killed at ").
pub fn toll_before(head: &str) -> bool {
    let tail = tail_of(head);
    let tail = tail.rsplit([',', ';', ':']).next().unwrap_or(tail);
    let toks = tokens(tail);
    let Some((cue, rest)) = toks.split_last() else {
        return false;
    };
    part_cues().contains(cue.as_ref())
        && rest
            .iter()
            .rev()
            .take(3)
            .any(|t| death_words().contains(t.as_ref()) || injury_words().contains(t.as_ref()))
}

/// The last 48 bytes or so of `head` (on a character boundary): the words
/// right before a place.
fn tail_of(head: &str) -> &str {
    let mut from = head.len().saturating_sub(48);
    while !head.is_char_boundary(from) {
        from -= 1;
    }
    &head[from..]
}

fn is_person_noun(w: &str) -> bool {
    super::lexicon::military_victims().contains(&w)
        || super::lexicon::civilian_victims().contains(&w)
        || person_nouns().contains(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter's premise: no other character lowercases to anything
    /// with an ASCII letter.
    #[test]
    fn only_two_characters_lowercase_to_ascii_letters() {
        let found: Vec<char> = (0x80..=0x10ffffu32)
            .filter_map(char::from_u32)
            .filter(|c| c.to_lowercase().any(|l| l.is_ascii_alphabetic()))
            .collect();
        assert_eq!(found, LOWER_TO_ASCII);
    }

    /// Clauses with curly quotes and other non-ASCII text count as the
    /// ASCII ones do, and "KİLLED" (dotted capital I) still is read.
    #[test]
    fn non_ascii_clauses_are_counted_as_before() {
        assert_eq!(
            counts("“two soldiers were killed”, it said").killed,
            Some(2)
        );
        assert_eq!(
            counts("the ‘ceasefire’ held in Xankəndi"),
            Counts::default()
        );
        assert_eq!(
            counts("12 people were wounded — Ստեփանակերտ").injured,
            Some(12)
        );
        let dotted = "three were KİLLED";
        assert_eq!(counts(dotted), counts_by_tokens(dotted));
    }

    /// [`counts`] without its prefilter.
    fn counts_by_tokens(clause: &str) -> Counts {
        let mut padded = String::from("\u{130}");
        padded.push(' ');
        padded.push_str(clause);
        counts(&padded)
    }

    #[test]
    fn counts_table() {
        let cases: &[(&str, Option<u32>, bool, Option<u32>)] = &[
            // "another" counts one before a person noun, never before a number.
            (
                "another resident had been killed and several wounded",
                Some(1),
                false,
                None,
            ),
            ("another two soldiers were killed", Some(2), false, None),
            // Stage "victims described": a part of a toll counted elsewhere.
            ("the dead included a child", None, false, None),
            ("among the dead were two children", None, false, None),
            ("the dead were buried on monday", None, false, None),
            ("a soldier and a civilian were killed", Some(2), false, None),
            (
                "five members of a family and a neighbour were killed",
                Some(6),
                false,
                None,
            ),
            // Civilians named by what they were doing.
            (
                "a shell hit a bus, killing a driver and wounding three passengers",
                Some(1),
                false,
                Some(3),
            ),
            ("killing another three civilians", Some(3), false, None),
            (
                "at least two Azerbaijani soldiers were killed on Sunday",
                Some(2),
                false,
                None,
            ),
            (
                "sparking fighting that killed at least 17 soldiers and 20 militants",
                Some(37),
                false,
                None,
            ),
            (
                "killing two soldiers and wounding five",
                Some(2),
                false,
                Some(5),
            ),
            (
                "Four civilians, including a woman, were killed and several others injured on Friday",
                Some(4),
                false,
                None,
            ),
            (
                "Five members of a family were killed and two others wounded",
                Some(5),
                false,
                Some(2),
            ),
            (
                "four of the country's soldiers were killed Saturday in border clashes",
                Some(4),
                false,
                None,
            ),
            (
                "The eight soldiers killed on Thursday represent the biggest toll",
                Some(8),
                false,
                None,
            ),
            (
                "three ethnic Armenian soldiers were reportedly killed and several more wounded",
                Some(3),
                false,
                None,
            ),
            ("Both sides report numerous casualties", None, true, None),
            (
                "killing 12 civilians and wounding 30",
                Some(12),
                false,
                Some(30),
            ),
            ("a soldier was killed by sniper fire", Some(1), false, None),
            // One named victim: a rank or a singular noun before "was killed".
            ("private hayk petrosyan was killed", Some(1), false, None),
            ("junior sergeant ali aliyev died of his wounds", Some(1), false, None),
            ("no soldier was killed", None, false, None),
            ("private a and private b were killed", None, false, None),
            ("Two days later a shepherd died", Some(1), false, None),
            ("the shelling killed 1,200 people", Some(1200), false, None),
            ("five people were injured", None, false, Some(5)),
            ("since 1994 the conflict", None, false, None),
            ("2,000 peacekeepers were deployed", None, false, None),
            ("killing a female soldier", Some(1), false, None),
            ("a 68-year-old man was killed", Some(1), false, None),
            ("no one was hurt", None, false, None),
            (
                "four employees of the company and two civilian road workers were killed",
                Some(6),
                false,
                None,
            ),
            (
                "the fighting, which began on Sept. 27, has killed",
                None,
                false,
                None,
            ),
            (
                "a serviceman of the army, soldier Elvin Mammadov, was killed",
                Some(1),
                false,
                None,
            ),
            (
                "a 1991-1994 war that left more than 25,000 people dead",
                Some(25000),
                false,
                None,
            ),
            // Russian: a day of the month is not a count; a singular verb
            // is one victim, unless negated.
            ("военнослужащий погиб 3 мая", Some(1), false, None),
            ("водитель был ранен", None, false, Some(1)),
            ("никто не погиб", None, false, None),
            ("погибли 4 военнослужащих", Some(4), false, None),
        ];
        for (text, killed, vague, injured) in cases {
            let c = counts(text);
            assert_eq!(c.killed, *killed, "killed in {text:?}");
            assert_eq!(c.killed_vague, *vague, "vague in {text:?}");
            assert_eq!(c.injured, *injured, "injured in {text:?}");
        }
    }

    /// A place's part of a shared toll: the number right before "in X".
    #[test]
    fn part_before_table() {
        let table: &[(&str, Option<u32>)] = &[
            ("Strikes killed 24 people, including 10 in ", Some(10)),
            ("killed 24, including 10 in Rafah and eight in ", Some(8)),
            ("eight civilians in ", Some(8)),
            ("killing a man in ", Some(1)),
            ("погибли 12 человек, из них 5 в ", Some(5)),
            // Not a count: a date, a year, a place noun.
            ("shelling on May 12 in ", None),
            ("in 2014 in ", None),
            ("a house in ", None),
            ("struck in ", None),
        ];
        for (head, want) in table {
            assert_eq!(part_before(head), *want, "{head:?}");
        }
    }

    #[test]
    fn toll_before_table() {
        for (head, want) in [
            ("and a woman was wounded in ", true),
            ("two soldiers were killed at ", true),
            ("двое военных погибли в ", true),
            ("the villages came under fire in ", false),
            ("a man was killed, and shells fell in ", false),
            ("killed near the border and in ", false),
        ] {
            assert_eq!(toll_before(head), want, "{head:?}");
        }
    }

    #[test]
    fn number_words_and_digits() {
        assert_eq!(number_value("25,000"), Some(25000));
        assert_eq!(number_value("four"), Some(4));
        assert_eq!(number_value("dozen"), Some(12));
        assert_eq!(number_value("several"), None);
    }
}
