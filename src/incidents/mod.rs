//! Incident assembly: from sentences, place mentions and dates to coded
//! incidents and statements (CODEBOOK.md).
//!
//! Per article:
//! 1. [`crate::text::layout`] finds sentences, datelines and boilerplate;
//! 2. the place [`Matcher`] finds toponyms and [`assign_roles`] says what each
//!    is doing (location, dateline, attribution, metonym, party, adjective);
//! 3. each body sentence is read for triggers (event words), dates, counts,
//!    actors and attribution; hypothetical, aggregate and historical clauses
//!    are set aside;
//! 4. one candidate is made per trigger date and place; a candidate without a
//!    place of its own goes to the article's conflict region (precision 3);
//!    one without a date of its own takes the date of the incident it
//!    elaborates (same paragraph, else the lead), else the publication date;
//! 5. candidates that are the same incident (same day and place, or a
//!    placeless mention of an incident placed elsewhere) are merged;
//! 6. official reactions become statement records at the speaker's capital.

/// A word list of the vocabulary as a set, built once (for this module's
/// stages and its submodules).
macro_rules! word_set {
    ($(#[$doc:meta])* $vis:vis $name:ident, $list:literal) => {
        $(#[$doc])*
        $vis fn $name() -> &'static crate::gazetteer::FastSet<&'static str> {
            static S: std::sync::OnceLock<crate::gazetteer::FastSet<&'static str>> =
                std::sync::OnceLock::new();
            S.get_or_init(|| crate::vocab::get().phrases($list).into_iter().collect())
        }
    };
}

pub mod anaphora;
mod counts;
mod lexicon;
pub mod namesakes;
pub mod origin;
mod prune;
mod redate;
mod statements;
pub mod unknown;
mod variants;

use std::ops::Range;

use chrono::NaiveDate;

use crate::actors::{ActorKind, ActorMention, Actors};
use crate::dates::{self, DateContext, DateMention, DateValue, Qualifier as DateQualifier};
use crate::gazetteer::{FastMap, Gazetteer, PlaceIdx, PlaceKind};
use crate::places::{assign_roles, Matcher, Mention, NormText, Qualifier, Role, Target};
use crate::record::{DatePrecision, Record, RecordKind};
use crate::text::{layout, Article, Layout, SentenceKind};

pub use counts::{counts, Counts};
pub use lexicon::EventType;
use lexicon::Strength;

use crate::areas::holds;
pub use crate::areas::{haversine_km, DISTRICT_HOLDS_KM};

/// A focus town lies within this distance of the article's region point
/// (or in its country, when the region is a country).
pub const FOCUS_TOWN_KM: f64 = 150.0;

/// Days before publication after which an occurrence is background (CODEBOOK section 1).
pub const BACKGROUND_DAYS: i64 = 60;

/// Everything extraction needs, built once and shared across articles.
pub struct Extractor {
    pub gazetteer: Gazetteer,
    matcher: Matcher,
    actors: Actors,
    /// ISO2 -> adjective ("AZ" -> "Azerbaijani").
    adjectives: FastMap<String, String>,
    /// ISO2 -> the national capital.
    capitals: FastMap<String, PlaceIdx>,
    /// The word lists of the namesakes stage.
    namesake_lists: namesakes::Lists,
    /// The cues of the origin stage.
    origin_cues: origin::Cues,
    /// The cues of the care stage.
    care_cues: origin::CareCues,
    /// The nouns that introduce a place name.
    place_nouns: unknown::Nouns,
}

/// The records read from one article.
#[derive(Debug, Default)]
pub struct ArticleResult {
    pub incidents: Vec<Record>,
    pub statements: Vec<Record>,
    /// Human-readable trace of every decision (filled when asked for).
    pub explain: Vec<String>,
    /// The publication date used (manifest, header line, or none).
    pub published: Option<NaiveDate>,
    /// Names the text introduces as places ("Chiragli village") that the
    /// gazetteer lacks, in text order.
    pub unknown_places: Vec<String>,
}

/// Where a candidate's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateSource {
    Explicit,
    /// Taken from the candidate with this index.
    Inherited(usize),
    Published,
    None,
}

/// An incident before merging.
#[derive(Debug, Clone)]
struct Candidate {
    paragraph: usize,
    sentence: usize,
    date: Option<DateValue>,
    date_source: DateSource,
    event: EventType,
    strength: Strength,
    /// Place and whether the text named it (false: the article's region).
    place: PlaceIdx,
    explicit_place: bool,
    qualifier: Qualifier,
    place_text: Option<String>,
    killed: Option<u32>,
    killed_low: Option<u32>,
    killed_high: Option<u32>,
    injured: Option<u32>,
    actor1: Option<String>,
    actor2: Option<String>,
    /// actor1 is the side the text says acted (not just the first named).
    agent: bool,
    reported_by: Vec<String>,
    evidence: Vec<Range<usize>>,
    merged_into: Option<usize>,
    /// The date is the day of a statement ("MSF said on Saturday"), the
    /// sentence's only one: a later sentence may give the event's own day.
    statement_day: bool,
    /// Dated against another incident ("a day after ..."): an aside that
    /// later sentences do not take their date from.
    aside: bool,
}

impl Extractor {
    /// Build the matchers over a loaded gazetteer and the bundled actors dictionary.
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        Extractor::with_actor_files(gazetteer, &[]).0
    }

    /// Build with extra actors files (`path`, contents) on top of the bundled one.
    pub fn with_actor_files(
        gazetteer: Gazetteer,
        extra: &[(&str, &str)],
    ) -> (Extractor, Vec<crate::actors::ActorsError>) {
        let matcher = Matcher::new(&gazetteer);
        let mut files = vec![("gazetteer/actors.tsv", crate::actors::BUNDLED_ACTORS)];
        files.extend_from_slice(extra);
        let (actors, problems) = Actors::new(&gazetteer, &files);
        let mut adjectives: FastMap<String, String> = FastMap::default();
        for (_, d) in gazetteer.demonyms() {
            if d.kind != "adjective" || d.country.is_empty() {
                continue;
            }
            // The country's own adjective: the one sharing the start of the
            // country's name ("Russian", not the regional "Dagestani"), else
            // a written-out word ("British", not "UK"), else the longest.
            let cname = gazetteer
                .country(&d.country)
                .map(|c| crate::gazetteer::normalize(&c.name))
                .unwrap_or_default();
            let e = adjectives.entry(d.country.clone()).or_default();
            let key = |w: &str| {
                let nw = crate::gazetteer::normalize(w);
                let prefix = nw
                    .chars()
                    .zip(cname.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                (
                    prefix >= 4,
                    w.chars().any(char::is_lowercase),
                    !w.ends_with('s'),
                    prefix,
                    w.len(),
                )
            };
            if e.is_empty() || key(&d.word) > key(e) || (key(&d.word) == key(e) && d.word < *e) {
                *e = d.word.clone();
            }
        }
        let mut capitals: FastMap<String, PlaceIdx> = FastMap::default();
        for (i, p) in gazetteer.places.iter().enumerate() {
            if p.kind == PlaceKind::Capital {
                let e = capitals.entry(p.country.clone()).or_insert(i);
                if gazetteer.places[*e].population < p.population {
                    *e = i;
                }
            }
        }
        (
            Extractor {
                gazetteer,
                matcher,
                actors,
                adjectives,
                capitals,
                namesake_lists: namesakes::Lists::from_vocab(),
                origin_cues: origin::Cues::from_vocab(),
                care_cues: origin::CareCues::from_vocab(),
                place_nouns: unknown::Nouns::from_vocab(),
            },
            problems,
        )
    }

    /// Extract every article, in parallel over articles (rayon), returning
    /// results in input order: the output is the same for any thread count.
    pub fn extract_all(&self, articles: &[Article]) -> Vec<ArticleResult> {
        use rayon::prelude::*;
        articles.par_iter().map(|a| self.extract(a)).collect()
    }

    /// [`Extractor::extract_all`], calling `progress(done_bytes, done_articles)`
    /// after each article with the running totals of article text bytes and
    /// articles extracted so far (from the worker threads, in completion
    /// order). Results are in input order.
    pub fn extract_all_with<F>(&self, articles: &[Article], progress: F) -> Vec<ArticleResult>
    where
        F: Fn(u64, u64) + Sync,
    {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicU64, Ordering};
        let bytes = AtomicU64::new(0);
        let done = AtomicU64::new(0);
        articles
            .par_iter()
            .map(|a| {
                let r = self.extract(a);
                let b =
                    bytes.fetch_add(a.text.len() as u64, Ordering::Relaxed) + a.text.len() as u64;
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(b, n);
                r
            })
            .collect()
    }

    /// Extract incidents and statements from one article.
    pub fn extract(&self, article: &Article) -> ArticleResult {
        self.extract_with(article, false)
    }

    /// Extract, optionally recording an explanation of every decision.
    pub fn extract_with(&self, article: &Article, explain: bool) -> ArticleResult {
        let text = article.text.as_str();
        let lay = layout(text, article.title.as_deref());
        let mut trace = Vec::new();

        // Publication date: manifest, else a header line.
        let date_tokens = dates::Tokens::new(text);
        let mut dctx = DateContext::from_tokens(article.published, &date_tokens);
        let mut published = article.published;
        if published.is_none() {
            for s in lay.sentences.iter().take(6) {
                if matches!(s.kind, SentenceKind::Header | SentenceKind::Title) {
                    if let Some(d) = dates::header_date(s.text(text), &dctx) {
                        published = Some(d);
                        break;
                    }
                }
            }
            if published.is_none() {
                // No date anywhere in the header: the latest full date the
                // article reports stands in for the publication date.
                published = lay
                    .sentences
                    .iter()
                    .filter(|s| s.kind == SentenceKind::Body)
                    .flat_map(|s| date_tokens.find_dates(s.start..s.end, &dctx))
                    .filter(|d| d.qualifier == DateQualifier::None)
                    .filter_map(|d| match d.value {
                        DateValue::Day(x) => Some(x),
                        _ => None,
                    })
                    .max();
            }
            if published.is_some() {
                dctx = dctx.with_published(published);
            }
        }
        let report_day = dateline_day(&lay, &date_tokens, &dctx, published);
        if explain {
            trace.push(format!(
                "article {}: published {}",
                article.file,
                published.map_or("unknown".to_string(), |d| d.to_string())
            ));
            if report_day != published {
                trace.push(format!(
                    "dateline day (undated incidents take it): {}",
                    report_day.map_or("unknown".to_string(), |d| d.to_string())
                ));
            }
        }

        // The article normalized once, for places and actors.
        let norm = NormText::new(text);
        let mut mentions = self.mentions(text, &norm, &lay, explain.then_some(&mut trace));
        // A named group ("Hamas") is not a place, whatever aliases say.
        let actor_scan = self.actors.scan(&norm);
        let groups: Vec<(usize, usize)> = self
            .actors
            .find_scanned(text, &norm, &actor_scan, 0..text.len())
            .into_iter()
            .filter(|a| a.kind == ActorKind::Group)
            .map(|a| (a.start, a.end))
            .collect();
        mentions.retain(|m| {
            m.place().is_none() || !groups.iter().any(|&(a, b)| a <= m.start && m.end <= b)
        });
        let dropped =
            namesakes::drop_namesakes(&self.gazetteer, text, &mut mentions, &self.namesake_lists);
        if explain {
            for (m, why) in &dropped {
                trace.push(format!(
                    "namesakes: {:?} is not a place here ({why:?})",
                    m.text
                ));
            }
        }
        let unknown_spans = unknown::unknown_in_body(text, &lay, &mentions, &self.place_nouns);
        let mut unknown_places: Vec<String> = Vec::new();
        for u in &unknown_spans {
            if !unknown_places.contains(&u.name) {
                unknown_places.push(u.name.clone());
            }
        }
        if explain {
            for name in &unknown_places {
                trace.push(format!(
                    "unknown place: {name:?} is introduced as a place but is not in the gazetteer (add it in a --gazetteer folder)"
                ));
            }
        }
        for s in lay
            .sentences
            .iter()
            .filter(|s| s.kind == SentenceKind::Body)
        {
            let range = sentence_range(&mentions, s.start, s.end);
            let set = origin::set_aside_origins(
                text,
                (s.start, s.end),
                &mut mentions[range],
                &self.origin_cues,
            );
            if explain {
                for (name, cue) in set {
                    trace.push(format!("origin: {name:?} after {cue:?} is where fire came from, not the incident place"));
                }
            }
        }
        for (name, cue) in origin::set_aside_care(text, &mut mentions, &self.care_cues) {
            if explain {
                trace.push(format!(
                    "care: {name:?} after {cue:?} is where victims were taken, not the incident place"
                ));
            }
        }
        // The dates of every body sentence, found once (the region and the
        // incidents both need them).
        let sentence_dates: Vec<Vec<DateMention>> = lay
            .sentences
            .iter()
            .map(|s| {
                if s.kind == SentenceKind::Body {
                    date_tokens.find_dates(s.start..s.end, &dctx)
                } else {
                    Vec::new()
                }
            })
            .collect();
        let region = self.article_region(&lay, &mentions, &sentence_dates, &dctx);
        let town = self
            .focus_town(&lay, &mentions, region)
            .or_else(|| self.title_town(text, &lay, &mentions, region));
        // The only town is weaker evidence: a sentence naming the country
        // ("clashes in Armenia") keeps the country.
        let only_town = town
            .is_none()
            .then(|| self.only_town(&lay, &mentions, &sentence_dates, &dctx, region))
            .flatten();
        let region = town.or(only_town).or(region);
        if explain {
            trace.push(format!(
                "conflict region (fallback place): {}",
                region.map_or("none".to_string(), |r| {
                    let p = &self.gazetteer.places[r];
                    format!("{} [{}]", p.name, p.id)
                })
            ));
        }

        let mut cands: Vec<Candidate> = Vec::new();
        // Stage "just named": the one settlement the last body sentence
        // placed no incident in.
        let mut just_named: Option<(PlaceIdx, Qualifier)> = None;
        let mut just_dated: Option<DateValue> = None;
        let mut reader = statements::Reader::default();
        let mut stmts: Vec<Record> = Vec::new();
        for (si, s) in lay.sentences.iter().enumerate() {
            let st = s.text(text);
            let here: Vec<&Mention> = within(&mentions, s.start, s.end).collect();
            if explain {
                trace.push(String::new());
                trace.push(format!(
                    "[{si}] ({:?}, paragraph {}) {}",
                    s.kind, s.paragraph, st
                ));
                for m in &here {
                    let what = match m.place() {
                        Some(p) => format!(
                            "{} [{}]",
                            self.gazetteer.places[p].name, self.gazetteer.places[p].id
                        ),
                        None => "adjective".to_string(),
                    };
                    trace.push(format!(
                        "    place {:?} -> {} as {}",
                        m.text,
                        what,
                        m.role.as_str()
                    ));
                }
            }
            if s.kind != SentenceKind::Body {
                continue;
            }
            let sdates = &sentence_dates[si];
            if explain {
                for d in sdates {
                    trace.push(format!(
                        "    date {:?} -> {:?}{}",
                        &st[d.start..d.end],
                        d.value,
                        if d.qualifier == DateQualifier::None {
                            String::new()
                        } else {
                            format!(" ({:?})", d.qualifier)
                        }
                    ));
                }
            }
            let actors: Vec<ActorMention> = self
                .actors
                .find_scanned(text, &norm, &actor_scan, s.start..s.end)
                .into_iter()
                .map(|mut a| {
                    a.start -= s.start;
                    a.end -= s.start;
                    a
                })
                .collect();
            let lower = lower_same_len(st);
            let lex = lexicon::Lex::new(&lower);
            let verb = statements::statement_verb(&lex);
            let reported = reader.reported_by(st, &lex, s.paragraph, &here, self, text);
            // Statements.
            if let Some(rec) =
                reader.statement(self, article, st, s, verb, &here, sdates, published, &stmts)
            {
                if explain {
                    trace.push(format!(
                        "    statement: {} by {}",
                        rec.sub_event_type,
                        rec.actor1.clone().unwrap_or_default()
                    ));
                }
                stmts.push(rec);
            }
            let stmt_pos = verb.map(|(p, _)| p);
            let found = self.sentence_candidates(
                SentenceInput {
                    text,
                    st,
                    lex: &lex,
                    s_start: s.start,
                    paragraph: s.paragraph,
                    sentence: si,
                    mentions: &here,
                    dates: sdates,
                    actors: &actors,
                    reported: &reported,
                    stmt_pos,
                    published: report_day,
                    region,
                    region_is_only_town: only_town.is_some(),
                    just_named,
                    just_dated,
                },
                &cands,
                if explain { Some(&mut trace) } else { None },
            );
            let cue = found
                .is_empty()
                .then(|| {
                    lex.all(&lexicon::ANAPHORA_SET, 0..lower.len())
                        .first()
                        .copied()
                })
                .flatten();
            if let Some((_, a, b)) = cue {
                let own_date = sdates
                    .iter()
                    .find(|d| d.qualifier == DateQualifier::None)
                    .map(|d| &d.value);
                let moved = anaphora::refer_back(
                    &self.gazetteer,
                    &mut cands,
                    (si, s.start..s.end),
                    &here,
                    own_date,
                );
                if let (Some(name), true) = (moved, explain) {
                    trace.push(format!(
                        "    anaphora: {:?} places the last incident at {name}",
                        &lower[a..b]
                    ));
                }
            }
            if let Some(d) = redate::event_day(&lex, st, &here, s.start, sdates) {
                if let Some(name) = redate::redate(&mut cands, si, d, &self.gazetteer) {
                    if explain {
                        trace.push(format!(
                            "    statement day: the incident at {name} took place on {d:?}"
                        ));
                    }
                }
            }
            let placeless = !here.iter().any(|m| m.role == Role::Location);
            let undated = !sdates.iter().any(|d| d.qualifier == DateQualifier::None);
            if found.is_empty() && cue.is_none() && placeless && undated {
                let n = counts_for(&lex, &clauses_of(&lex));
                let sentence = (si, s.paragraph, s.start..s.end);
                if let Some(name) =
                    anaphora::toll_back(&self.gazetteer, &mut cands, sentence, n.killed, n.injured)
                {
                    if explain {
                        trace.push(format!(
                            "    toll back: the incident at {name} takes this toll"
                        ));
                    }
                }
            }
            let mut found = found;
            if !found.is_empty() && redate::back_reference(&lex).is_some() {
                if let Some(cue) = redate::day_after(&cands, si, &lex, &mut found) {
                    if explain {
                        trace.push(format!(
                            "    day after: {cue:?} the incident referred to, another incident"
                        ));
                    }
                } else if let Some(t) = redate::same_incident_type(&cands, si, &mut found) {
                    if explain {
                        trace.push(format!(
                            "    same incident: refers back, takes the type {t:?}"
                        ));
                    }
                }
            }
            just_dated = just_dated_of(&found, sdates, &dctx);
            just_named = if found.is_empty() && !is_background(sdates, &dctx) {
                self.one_settlement(&here)
            } else {
                None
            };
            cands.extend(found);
        }
        merge(&mut cands, &self.gazetteer);
        let pruned = prune::prune(&mut cands, &self.gazetteer);
        if explain {
            trace.push(String::new());
            for (i, why) in &pruned {
                let c = &cands[*i];
                trace.push(format!(
                    "prune: the region-level {} at {} (sentence {}) is folded: {why:?}",
                    c.event.sub_event_type, self.gazetteer.places[c.place].name, c.sentence
                ));
            }
        }
        let unplaced = prune::unknown_place(&cands, &self.gazetteer, &unknown_spans);
        if explain {
            for &i in &unplaced {
                let c = &cands[i];
                trace.push(format!(
                    "unknown place: the region-level {} at {} (sentence {}) is dropped: its place is a name the gazetteer lacks",
                    c.event.sub_event_type, self.gazetteer.places[c.place].name, c.sentence
                ));
            }
        }
        let cands: Vec<Candidate> = cands
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !unplaced.contains(i))
            .map(|(_, c)| c)
            .collect();
        let incidents = self.records(article, text, &cands);
        if explain {
            trace.push(String::new());
            for r in &incidents {
                trace.push(format!(
                    "incident {}: {} {} / {} at {} (precision {}), fatalities {}, actors {} | {}, reported by {}",
                    r.id,
                    r.event_date.clone().unwrap_or_else(|| "undated".into()),
                    r.event_type,
                    r.sub_event_type,
                    r.location,
                    r.geo_precision,
                    r.fatalities.map_or("unknown".into(), |f| f.to_string()),
                    r.actor1.clone().unwrap_or_default(),
                    r.actor2.clone().unwrap_or_default(),
                    r.reported_by.clone().unwrap_or_default()
                ));
            }
        }
        let mut statements = stmts;
        for (i, r) in statements.iter_mut().enumerate() {
            r.id = format!("{}#s{}", article.id_prefix(), i + 1);
        }
        ArticleResult {
            incidents,
            statements,
            explain: trace,
            published,
            unknown_places,
        }
    }

    /// All mentions of the article with their roles.
    fn mentions(
        &self,
        text: &str,
        norm: &NormText,
        lay: &Layout,
        trace: Option<&mut Vec<String>>,
    ) -> Vec<Mention> {
        let mut all = self.matcher.find_norm(&self.gazetteer, text, norm);
        // "Rustavi-2" (a channel), "Kyiv-1": a name and a number after a
        // hyphen name something else.
        all.retain(|m| {
            let after = &text.as_bytes()[m.end..];
            !(after.len() > 1 && after[0] == b'-' && after[1].is_ascii_digit())
        });
        let halves = crate::places::halves_of_one_name(&self.gazetteer, text, &all);
        let longer: Vec<bool> = (0..all.len())
            .map(|i| {
                halves[i]
                    || all[i].place().is_some() && crate::places::part_of_longer_name(text, i, &all)
            })
            .collect();
        let mut k = 0;
        all.retain(|_| {
            k += 1;
            !longer[k - 1]
        });
        self.disambiguate(&mut all);
        let found = self.spelling_variants(text, lay, &all);
        if let Some(trace) = trace {
            for m in &found {
                let p = &self.gazetteer.places[m.place().expect("a variant is a place")];
                trace.push(format!(
                    "spelling variant: {:?} is {} [{}], the one place so spelled in the article's countries and provinces",
                    m.text, p.name, p.id
                ));
            }
        }
        if !found.is_empty() {
            all.extend(found);
            all.sort_by_key(|m| m.start);
        }
        // Outside any sentence: in a dateline, or in dropped boilerplate.
        let outside = |m: &mut Mention| {
            m.role = if lay
                .datelines
                .iter()
                .any(|d| d.start <= m.start && m.end <= d.end)
            {
                Role::Dateline
            } else {
                Role::Other
            };
        };
        // Roles are set in place: every mention is outside all sentences or
        // inside the one it is matched to, in text order.
        let mut idx = 0;
        for s in &lay.sentences {
            while idx < all.len() && all[idx].start < s.start {
                outside(&mut all[idx]);
                idx += 1;
            }
            let begin = idx;
            while idx < all.len() && all[idx].end <= s.end {
                idx += 1;
            }
            let slice = &mut all[begin..idx];
            assign_roles(
                &self.gazetteer,
                text,
                (s.start, s.end),
                &lay.datelines,
                slice,
            );
            if s.kind != SentenceKind::Body {
                for m in slice.iter_mut() {
                    if m.role != Role::Dateline {
                        m.role = Role::Other;
                    }
                }
            }
        }
        all[idx..].iter_mut().for_each(outside);
        all
    }

    /// Stage "spelling variant": names introduced as places ("Shahjoy
    /// district") that the gazetteer spells otherwise ("Shah Joy"), looked
    /// up in the countries the article names (see [`variants`]).
    fn spelling_variants(&self, text: &str, lay: &Layout, all: &[Mention]) -> Vec<Mention> {
        let g = &self.gazetteer;
        let mut countries: Vec<&str> = Vec::new();
        let mut admin1s: Vec<&str> = Vec::new();
        let mut areas: Vec<PlaceIdx> = Vec::new();
        for m in all {
            match &m.target {
                Target::Demonym(c) if !c.is_empty() => countries.push(c),
                Target::Places(c) if !c.is_empty() => {
                    let first = &g.places[c[0]];
                    // A country keeps its precedence over towns so named
                    // ("Lebanon", Pennsylvania).
                    if first.kind == PlaceKind::Country
                        || c.iter().all(|&i| g.places[i].country == first.country)
                    {
                        countries.push(&first.country);
                    }
                    // An area is taken as disambiguated ("Karabakh" is the
                    // region before the villages so named).
                    if c.len() == 1 && first.kind.is_point() {
                        admin1s.push(&first.admin1);
                    } else if !first.kind.is_point() && first.kind != PlaceKind::Country {
                        areas.push(c[0]);
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for u in unknown::unknown_in_body(text, lay, all, &self.place_nouns) {
            let found = variants::find(g, &u.name, &countries, &admin1s, &areas).or_else(|| {
                variants::district_seat(g, text, &u, all)
                    .into_iter()
                    .find_map(|stem| variants::find(g, &stem, &countries, &admin1s, &areas))
            });
            let Some(p) = found else {
                continue;
            };
            out.push(Mention {
                start: u.start,
                end: u.end,
                text: u.name,
                target: Target::Places(vec![p]),
                role: Role::Location,
                qualifier: Qualifier::At,
                possessive: false,
            });
        }
        out
    }

    /// Choose among same-named places by what the article itself says, as
    /// geoparsers do: candidates in a country the article names (by name,
    /// adjective or an unambiguous place) come first, then the candidate
    /// nearest the article's unambiguous places. Countries and named regions
    /// keep their precedence ("Georgia" stays the country).
    fn disambiguate(&self, mentions: &mut [Mention]) {
        let g = &self.gazetteer;
        let mut evidence: FastMap<String, usize> = FastMap::default();
        let mut anchors: Vec<(f64, f64)> = Vec::new();
        for m in mentions.iter() {
            match &m.target {
                Target::Demonym(c) if !c.is_empty() => *evidence.entry(c.clone()).or_default() += 1,
                Target::Places(c) => {
                    let first = &g.places[c[0]];
                    // A country's own name names it, whatever towns abroad
                    // share the name ("Armenia", Colombia).
                    let unambiguous = first.kind == PlaceKind::Country
                        || c.iter().all(|&i| g.places[i].country == first.country);
                    if unambiguous && !first.country.is_empty() {
                        *evidence.entry(first.country.clone()).or_default() += 1;
                    }
                    if c.len() == 1 && first.kind != PlaceKind::Country {
                        anchors.push((first.lat, first.lon));
                    }
                }
                _ => {}
            }
        }
        // Each anchor once (a place named again adds no distance to the
        // minimum), then each place's nearness, computed once per article.
        let mut seen: FastMap<(u64, u64), ()> = FastMap::default();
        anchors.retain(|&(la, lo)| seen.insert((la.to_bits(), lo.to_bits()), ()).is_none());
        let mut nearness_of: FastMap<PlaceIdx, u64> = FastMap::default();
        for m in mentions.iter_mut() {
            let Target::Places(c) = &mut m.target else {
                continue;
            };
            if c.len() < 2 || matches!(g.places[c[0]].kind, PlaceKind::Country | PlaceKind::Region)
            {
                continue;
            }
            let near = |i: PlaceIdx| -> u64 {
                let p = &g.places[i];
                let d = anchors
                    .iter()
                    .map(|&(la, lo)| haversine_km(p.lat, p.lon, la, lo))
                    .fold(f64::INFINITY, f64::min);
                // 100 km buckets: nearness decides only between far-apart namesakes.
                if d.is_finite() {
                    (d / 100.0) as u64
                } else {
                    u64::MAX
                }
            };
            // Nearness decides between namesakes in different countries (or far
            // apart): each candidate counts as near as its country's nearest
            // candidate, so a city and its same-named province keep their order.
            // Candidates are distinct places, so (key, position) orders them
            // as the stable sort by key did.
            debug_assert!({
                let mut v = c.clone();
                v.sort_unstable();
                v.windows(2).all(|w| w[0] != w[1])
            });
            let nearness: Vec<u64> = c
                .iter()
                .map(|&i| *nearness_of.entry(i).or_insert_with(|| near(i)))
                .collect();
            let mut country_near: FastMap<&str, u64> = FastMap::default();
            for (k, &i) in c.iter().enumerate() {
                let e = country_near
                    .entry(g.places[i].country.as_str())
                    .or_insert(u64::MAX);
                *e = (*e).min(nearness[k]);
            }
            let mut keyed: Vec<((bool, u64, usize), PlaceIdx)> = c
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let country = g.places[i].country.as_str();
                    let named = evidence.get(country).copied().unwrap_or(0) > 0;
                    let same_country_far = nearness[k] > country_near[country].saturating_add(3);
                    let n = if same_country_far {
                        nearness[k]
                    } else {
                        country_near[country]
                    };
                    ((!named, n, k), i)
                })
                .collect();
            keyed.sort_unstable_by_key(|x| x.0);
            for (slot, (_, i)) in c.iter_mut().zip(keyed) {
                *slot = i;
            }
        }
    }

    /// Stage "title town": the one settlement the title places something in
    /// ("in", "near", "at" before it, or a place noun and "of": "villages of
    /// Tovuz"), inside the
    /// article's conflict region or its country ("5 killed in mortar attacks
    /// in Mogadishu"), when the body never names a settlement as a location.
    /// Placeless incidents go there.
    fn title_town(
        &self,
        text: &str,
        lay: &Layout,
        mentions: &[Mention],
        region: Option<PlaceIdx>,
    ) -> Option<PlaceIdx> {
        let g = &self.gazetteer;
        let settlement = |m: &&Mention| m.place().filter(|&p| g.places[p].kind.is_point());
        let body = lay
            .sentences
            .iter()
            .filter(|s| s.kind == SentenceKind::Body);
        if body
            .flat_map(|s| within(mentions, s.start, s.end))
            .any(|m| m.role == Role::Location && settlement(&m).is_some())
        {
            return None;
        }
        let locative = crate::vocab::words("locative-before");
        let nouns = crate::vocab::words("place-nouns");
        let mut towns = Vec::new();
        for s in lay
            .sentences
            .iter()
            .filter(|s| s.kind == SentenceKind::Title)
        {
            for m in within(mentions, s.start, s.end) {
                let Some(p) = settlement(&m) else { continue };
                // "... in Mogadishu": a locative word right before it; or
                // "... on villages of Tovuz": a place noun and "of".
                let mut before = text[s.start..m.start].split_whitespace().rev();
                let (w1, w2) = (before.next(), before.next());
                let w1 = w1.map(str::to_lowercase);
                let locative_word = w1
                    .as_deref()
                    .is_some_and(|w| w != "from" && locative.contains(&w));
                let noun_of = w1.as_deref() == Some("of")
                    && w2.is_some_and(|w| nouns.contains(&w.to_lowercase().as_str()));
                if locative_word || noun_of {
                    towns.push(p);
                }
            }
        }
        towns.dedup();
        let [p] = towns[..] else { return None };
        let pl = &g.places[p];
        // With no region, the title's town is the only place there is.
        let inside = region.is_none_or(|r| {
            let r = &g.places[r];
            haversine_km(pl.lat, pl.lon, r.lat, r.lon) <= FOCUS_TOWN_KM
                || (!r.country.is_empty() && pl.country == r.country)
        });
        inside.then_some(p)
    }

    /// Stage "only town": when the article places things in no area, only
    /// in its country, and its body names one settlement as a location
    /// (outside background passages), placeless incidents go to that
    /// settlement rather than the whole country ("an attack in the area of
    /// Martakert ... the soldiers killed in last night's attack").
    fn only_town(
        &self,
        lay: &Layout,
        mentions: &[Mention],
        sentence_dates: &[Vec<DateMention>],
        dctx: &DateContext,
        region: Option<PlaceIdx>,
    ) -> Option<PlaceIdx> {
        let g = &self.gazetteer;
        let country = region.map(|r| &g.places[r]);
        if country.is_some_and(|c| c.kind != PlaceKind::Country) {
            return None;
        }
        let mut towns: Vec<PlaceIdx> = Vec::new();
        for (s, ds) in lay
            .sentences
            .iter()
            .zip(sentence_dates)
            .filter(|(s, _)| s.kind == SentenceKind::Body)
        {
            if is_background(ds, dctx) {
                continue;
            }
            for m in within(mentions, s.start, s.end) {
                let Some(p) = m.place() else { continue };
                if m.role == Role::Location && g.places[p].kind.is_point() && !towns.contains(&p) {
                    towns.push(p);
                }
            }
        }
        let [p] = towns[..] else { return None };
        country
            .is_none_or(|c| g.places[p].country == c.country)
            .then_some(p)
    }

    /// The town an article is about, when it names one more often than any
    /// other (at least three times, once as a location) within its conflict
    /// region: "a strategic town in eastern Azerbaijan ... the town of
    /// Agdam ... the mayor of Agdam". Placeless incidents go there.
    fn focus_town(
        &self,
        lay: &Layout,
        mentions: &[Mention],
        region: Option<PlaceIdx>,
    ) -> Option<PlaceIdx> {
        let g = &self.gazetteer;
        let r = &g.places[region?];
        let mut count: FastMap<PlaceIdx, (usize, usize)> = FastMap::default();
        for s in lay
            .sentences
            .iter()
            .filter(|s| s.kind == SentenceKind::Body)
        {
            for m in within(mentions, s.start, s.end) {
                let Some(p) = m.place() else { continue };
                if !g.places[p].kind.is_point() {
                    continue;
                }
                // ("the mayor of Agdam" counts: an attribution names the town.)
                if matches!(m.role, Role::Dateline | Role::Other | Role::Description) {
                    continue;
                }
                let e = count.entry(p).or_default();
                e.0 += 1;
                e.1 += usize::from(m.role == Role::Location);
            }
        }
        let mut ranked: Vec<(PlaceIdx, (usize, usize))> = count.into_iter().collect();
        ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let (top, (n, located)) = *ranked.first()?;
        let runner_up = ranked.get(1).map_or(0, |x| x.1 .0);
        // A seat named by its speakers ("a spokesman in Jammu") is no focus
        // when another town is placed as often or more.
        let most_located = ranked[1..].iter().all(|x| x.1 .1 < located);
        let p = &g.places[top];
        let inside = haversine_km(p.lat, p.lon, r.lat, r.lon) <= FOCUS_TOWN_KM
            || (r.kind == PlaceKind::Country && p.country == r.country);
        (n >= 3 && most_located && n > runner_up && inside).then_some(top)
    }

    /// Stage "country within region": a sentence whose only place is a
    /// country ("an attack on a town in eastern Azerbaijan") says no more
    /// than the article's conflict region when that region lies in the
    /// country, so the incident goes to the region.
    fn country_within_region(&self, chosen: &[&&Mention], region: Option<PlaceIdx>) -> bool {
        let g = &self.gazetteer;
        let [only] = chosen else { return false };
        let (Some(c), Some(r)) = (only.place(), region) else {
            return false;
        };
        let (c, r) = (&g.places[c], &g.places[r]);
        c.kind == PlaceKind::Country && r.kind != PlaceKind::Country && holds(c, r)
    }

    /// The article's most specific conflict region: where placeless incidents go.
    fn article_region(
        &self,
        lay: &Layout,
        mentions: &[Mention],
        sentence_dates: &[Vec<DateMention>],
        dctx: &DateContext,
    ) -> Option<PlaceIdx> {
        let mut score: FastMap<PlaceIdx, (usize, usize)> = FastMap::default(); // count, first position
        let mut countries: FastMap<String, usize> = FastMap::default();
        for (s, ds) in lay
            .sentences
            .iter()
            .zip(sentence_dates)
            .filter(|(s, _)| s.kind == SentenceKind::Body)
        {
            let old = is_background(ds, dctx);
            for m in within(mentions, s.start, s.end) {
                let Some(p) = m.place() else {
                    continue;
                };
                let place = &self.gazetteer.places[p];
                if !place.country.is_empty() && !old {
                    let w = match m.role {
                        Role::Location => 2,
                        Role::Party => 1,
                        _ => 0,
                    };
                    *countries.entry(place.country.clone()).or_default() += w;
                }
                if m.role != Role::Location || old {
                    continue;
                }
                if place.kind.is_area() && place.kind != PlaceKind::Country {
                    let e = score.entry(p).or_insert((0, m.start));
                    e.0 += 1;
                }
            }
        }
        let rank = |k: PlaceKind| match k {
            PlaceKind::Region => 0,
            PlaceKind::Admin2 => 1,
            PlaceKind::Admin1 => 2,
            _ => 3,
        };
        // The focus country: where the article places things. Areas of other
        // countries named in passing ("shelling from the Belgorod region")
        // are not the conflict region.
        let focus = countries
            .iter()
            .filter(|c| *c.1 > 0)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(c, _)| c.clone());
        if let Some(f) = &focus {
            score.retain(|&p, _| self.gazetteer.places[p].country == *f);
        }
        if let Some((&p, _)) = score.iter().min_by(|a, b| {
            let (pa, pb) = (&self.gazetteer.places[*a.0], &self.gazetteer.places[*b.0]);
            rank(pa.kind)
                .cmp(&rank(pb.kind))
                .then(b.1 .0.cmp(&a.1 .0))
                .then(a.1 .1.cmp(&b.1 .1))
        }) {
            return Some(p);
        }
        // Else the focus country itself.
        self.gazetteer
            .idx_of(&format!("country-{}", focus?.to_ascii_lowercase()))
    }

    fn sentence_candidates(
        &self,
        inp: SentenceInput<'_>,
        prior: &[Candidate],
        mut trace: Option<&mut Vec<String>>,
    ) -> Vec<Candidate> {
        let st = inp.st;
        let lex = inp.lex;
        let lower = lex.text();
        let clauses = clauses_of(lex);
        // The sentence's tolls, read once if needed.
        let counts_cell = std::cell::OnceCell::new();
        let sentence_counts = || *counts_cell.get_or_init(|| counts_for(lex, &clauses));
        // The clause holding `pos` (clauses are in order and do not overlap),
        // else the first.
        let clause_of = |pos: usize| {
            let i = clauses.partition_point(|c| c.1 <= pos);
            if clauses.get(i).is_some_and(|c| c.0 <= pos) {
                i
            } else {
                0
            }
        };
        // Explanations are formatted only when asked for (explain mode).
        let mut note = |msg: &dyn Fn() -> String| {
            if let Some(t) = trace.as_deref_mut() {
                t.push(format!("    {}", msg()));
            }
        };

        // Triggers (longest at a position wins).
        let mut trig: Vec<(usize, usize, &lexicon::Trigger)> = Vec::new();
        for (p, a, b) in lex.all(&lexicon::TRIGGER_SET, 0..lower.len()) {
            trig.push((a, b, &lexicon::triggers()[p]));
        }
        trig.sort_by(|x, y| x.0.cmp(&y.0).then((y.1 - y.0).cmp(&(x.1 - x.0))));
        let mut kept: Vec<(usize, usize, EventType, Strength)> = Vec::new();
        let mut last_end = 0;
        for (a, b, t) in trig {
            if a < last_end {
                continue;
            }
            if in_proper_name(st, a, b) {
                note(&|| format!("trigger {:?}: part of a name", &st[a..b]));
                continue;
            }
            last_end = b;
            kept.push((a, b, t.event, t.strength));
        }
        // Deaths with a victim noun are a trigger of their own, in sentences
        // without an event word (whose fate then decides the sentence's).
        let explicit_triggers = !kept.is_empty();
        for (ci, c) in clauses.iter().enumerate() {
            if explicit_triggers {
                break;
            }
            // No toll word, no death below: skip reading the numbers.
            if !lex.contains(&lexicon::TOLL_SET, c.0..c.1) {
                continue;
            }
            // Stage "victims before an aside": a clause with no victim of
            // its own ("..., were killed in X") reads them in the sentence
            // before it ("Three civilians, two women and a child, were
            // killed in X").
            let own_victims = lex.contains(&lexicon::MILITARY_SET, c.0..c.1)
                || lex.contains(&lexicon::CIVILIAN_SET, c.0..c.1);
            let c = &if own_victims { *c } else { (0, c.1, c.2) };
            let cl = &lower[c.0..c.1];
            let cnt = counts(cl);
            // No number ("a couple and their child were killed in X"): a
            // weak trigger, which needs a date or a place of its own.
            let strength = if cnt.killed.is_none() && !cnt.killed_vague && cnt.injured.is_none() {
                Strength::Weak
            } else {
                Strength::Strong
            };
            let death = lex
                .first_each(&lexicon::TOLL_SET, c.0..c.1)
                .into_iter()
                .flatten()
                .min();
            let Some((da, db)) = death else { continue };
            if kept.iter().any(|k| clause_of(k.0) == ci) {
                continue;
            }
            let military = lex.contains(&lexicon::MILITARY_SET, c.0..c.1);
            // A plural demonym is people: "killed four Palestinians".
            let people = inp.mentions.iter().any(|m| {
                let at = m.start.wrapping_sub(inp.s_start);
                matches!(m.target, crate::places::Target::Demonym(_))
                    && m.text.ends_with('s')
                    && (c.0..c.1).contains(&at)
            });
            let civilian = people || lex.contains(&lexicon::CIVILIAN_SET, c.0..c.1);
            // The deaths of a report on fighting are of that fighting: the
            // latest earlier incident's type ("Russian forces shelled two
            // villages ... Four people were killed in X").
            let lead = prior
                .last()
                .map(|p| p.event)
                .filter(|e| prune::family(e.event_type) == 0);
            if military {
                kept.push((da, db, lead.unwrap_or(lexicon::ARMED_CLASH), strength));
            } else if civilian {
                kept.push((da, db, lead.unwrap_or(lexicon::CIV_ATTACK), strength));
            } else if let Some(lead) = lead.filter(|_| more_victims(cl)) {
                // Stage "more victims": "two more were killed in X" counts
                // victims of the kind the report before named.
                kept.push((da, db, lead, strength));
            }
        }
        kept.sort_by_key(|k| k.0);
        if kept.is_empty() {
            return Vec::new();
        }

        let sentence_history = lex.has(&lexicon::HISTORY_SET);
        let recent_date = inp.dates.iter().any(|d| {
            d.qualifier == DateQualifier::None
                && inp
                    .published
                    .is_none_or(|p| !d.value.is_before(p, BACKGROUND_DAYS))
                && d.value != DateValue::Recent
        });

        // Choose a date per trigger.
        struct Hit {
            pos: usize,
            event: EventType,
            strength: Strength,
            date: Option<DateValue>,
            explicit: bool,
        }
        let mut hits: Vec<Hit> = Vec::new();
        for (a, b, event, strength) in kept {
            let word = &st[a..b];
            let ci = clause_of(a);
            let clause = clauses[ci].0..clauses[ci].1;
            // Hypothetical or negated: a cue within the five words before.
            let window_start = word_window_start(lower, a, 5).max(clauses[ci].0);
            let window = &lower[window_start..a];
            if lex.contains(&lexicon::MODAL_SET, window_start..a) {
                note(&|| {
                    format!(
                        "trigger {word:?}: hypothetical or negated ({:?})",
                        window.trim()
                    )
                });
                continue;
            }
            // Stage "kind of event": "the second such attack this week",
            // "such strikes": a kind of event, not one of its own.
            let kind_word = words_of(window)
                .rev()
                .take(2)
                .any(|w| lexicon::kind_cues().contains(w));
            // Stage "participle as adjective": "the liberated territories",
            // "newly-liberated villages" name no event.
            let adjective = word.ends_with("ed")
                && (lower[..a].ends_with('-')
                    || words_of(window)
                        .next_back()
                        .is_some_and(|w| lexicon::participle_cues().contains(w)));
            if adjective {
                note(&|| format!("trigger {word:?}: an adjective ({:?})", window.trim()));
                continue;
            }
            if kind_word {
                note(&|| {
                    format!(
                        "trigger {word:?}: names a kind of event ({:?})",
                        window.trim()
                    )
                });
                continue;
            }
            if lex.contains(&lexicon::HISTORY_SET, clause.clone()) && !recent_date {
                note(&|| format!("trigger {word:?}: history passage"));
                continue;
            }
            if !recent_date && long_duration(&lower[clause.clone()]) {
                note(&|| format!("trigger {word:?}: a state that lasted years (duration)"));
                continue;
            }
            if lex.contains(&lexicon::RECURRENCE_SET, clause.clone())
                && !recent_date
                && !lex.contains(&lexicon::RECENT_DAYS_SET, clause.clone())
                && sentence_counts().killed.is_none()
                && sentence_counts().injured.is_none()
            {
                note(&|| {
                    format!("trigger {word:?}: a vague recurrence, no date or toll of its own")
                });
                continue;
            }
            if lex.contains(&lexicon::AGGREGATE_SET, clause.clone())
                && !lex.contains(&lexicon::RECENT_DAYS_SET, clause.clone())
                && !day_dated(inp.dates, lex, st, &clause)
            {
                note(&|| format!("trigger {word:?}: running total"));
                continue;
            }
            // Candidate dates: same clause, or main clauses; not those of the statement.
            let mut best: Option<(&DateMention, usize)> = None;
            let plain = |d: &&DateMention| d.qualifier == DateQualifier::None;
            let others = inp.dates.iter().filter(plain).count() > 1;
            for d in inp.dates {
                if d.qualifier != DateQualifier::None {
                    continue;
                }
                // "the government claimed on Saturday": the day of the claim,
                // when the sentence also dates the event.
                if others && reported_on(lex, st, d.start) {
                    note(&|| format!("date {:?}: the day of a statement", &st[d.start..d.end]));
                    continue;
                }
                let dc = clause_of(d.start);
                // A relative clause's date belongs to that clause, unless
                // the clause tells of the event word itself ("a shootout
                // which occurred late on May 12").
                let of_trigger = st
                    .get(b..clauses[dc].0)
                    .is_some_and(|g| g.trim().is_empty())
                    && tells_occurrence(&st[clauses[dc].0..clauses[dc].1]);
                if dc != ci && clauses[dc].2 && !of_trigger {
                    continue;
                }
                if let Some(sp) = inp.stmt_pos {
                    if a > sp && d.start < sp {
                        continue; // "Russia on Saturday expressed concern about clashes..."
                    }
                }
                let dist = if d.start >= b {
                    d.start - b
                } else {
                    a - d.end.min(a)
                } + if dc == ci { 0 } else { 60 };
                if best.is_none_or(|(_, bd)| dist < bd) {
                    best = Some((d, dist));
                }
            }
            let (date, explicit) = match best {
                Some((d, _)) => (Some(d.value), true),
                None => (None, false),
            };
            // "exchanged fire almost daily since October 7": a recurrence
            // bounded by a date, not an incident of that date (the date in
            // its own clause opened by "since" counts too).
            if !explicit
                && inp.dates.iter().any(|d| {
                    let dc = &clauses[clause_of(d.start)];
                    // "since October 2020" in a clause of its own; not "since
                    // dawn on Wednesday" (the day's toll).
                    let own_since_clause = lower[dc.0..dc.1].trim_start().starts_with("since ")
                        && inp
                            .published
                            .is_none_or(|p| d.value.is_before(p, BACKGROUND_DAYS));
                    d.qualifier == DateQualifier::Since
                        && (clause_of(d.start) == ci || !dc.2 || own_since_clause)
                })
            {
                note(&|| format!("trigger {word:?}: a recurrence since a date, not an incident"));
                continue;
            }
            // "following weeks of fighting last year", "after the 2020
            // war": an event of the past named to date another.
            if !explicit
                && inp.dates.iter().any(|d| {
                    d.qualifier == DateQualifier::After
                        && clause_of(d.start) == ci
                        && inp
                            .published
                            .is_some_and(|p| d.value.is_before(p, BACKGROUND_DAYS))
                })
            {
                note(&|| {
                    format!("trigger {word:?}: background (an event after which another came)")
                });
                continue;
            }
            // A large toll with no date of its own is a total, not one incident.
            if !explicit && !explicit_triggers && sentence_counts().killed.is_some_and(|k| k >= 100)
            {
                note(&|| format!("trigger {word:?}: an undated toll of 100 or more is a total"));
                continue;
            }
            if date == Some(DateValue::Recent) {
                note(&|| format!("trigger {word:?}: vague recurrence (no date of its own)"));
                continue;
            }
            if let (Some(dv), Some(p)) = (date, inp.published) {
                if dv.is_before(p, BACKGROUND_DAYS) {
                    note(&|| format!("trigger {word:?}: background ({dv:?})"));
                    continue;
                }
            }
            if !explicit && lex.has(&lexicon::AGGREGATE_SET) {
                note(&|| format!("trigger {word:?}: undated, in a sentence with a running total"));
                continue;
            }
            if !explicit && sentence_history {
                note(&|| format!("trigger {word:?}: undated in a history passage"));
                continue;
            }
            // A statement may condemn an attack it reports with its victims
            // ("condemned the provocation, in which a serviceman was
            // wounded"): that is an incident of the day.
            let casualties = || {
                let c = sentence_counts();
                c.killed.is_some() || c.injured.is_some()
            };
            if !explicit && inp.stmt_pos.is_some_and(|sp| a > sp) && !casualties() {
                note(&|| {
                    format!("trigger {word:?}: named inside a statement, with no date of its own")
                });
                continue;
            }
            hits.push(Hit {
                pos: a,
                event,
                strength,
                date,
                explicit,
            });
        }
        if hits.is_empty() {
            return Vec::new();
        }

        // Places of this sentence.
        // A place in a relative clause without an event word describes that
        // place ("Nagorno-Karabakh, which lies within Azerbaijan"): not the incident's.
        let locs: Vec<&&Mention> = inp
            .mentions
            .iter()
            .filter(|m| m.role == Role::Location && m.place().is_some())
            .filter(|m| {
                let ci = clause_of(m.start - inp.s_start);
                !clauses[ci].2 || hits.iter().any(|h| clause_of(h.pos) == ci)
            })
            .collect();
        // Places, and districts the text names as such ("Chiragli village of
        // Aghdam district and Alkhanli village of Fuzuli district": a village
        // the gazetteer lacks is placed at its district, one incident each).
        let specific: Vec<&&Mention> = locs
            .iter()
            .copied()
            .filter(|m| {
                !self.gazetteer.places[m.place().unwrap()].kind.is_area()
                    || m.qualifier == Qualifier::District
            })
            .collect();
        let g = &self.gazetteer;
        let specific = with_listed_areas(g, inp.text, &locs, specific);
        // ...unless the district holds another place of the sentence ("near
        // Horadiz in Fuzuli district"): then it only says where that is.
        let holds_one = |d: &Mention| {
            let dp = &g.places[d.place().unwrap()];
            dp.kind.is_area()
                && specific.iter().any(|m| {
                    let p = &g.places[m.place().unwrap()];
                    !p.kind.is_area() && holds(dp, p)
                })
        };
        let specific: Vec<&&Mention> = specific.iter().copied().filter(|m| !holds_one(m)).collect();
        let specific = one_area_of_fighting(g, inp.text, specific);
        let chosen: Vec<&&Mention> = if !specific.is_empty() {
            specific
        } else {
            // Only areas: the one nearest the first event word (one incident, one region).
            let first = hits
                .iter()
                .find(|h| h.strength == Strength::Strong)
                .or(hits.first())
                .map_or(0, |h| h.pos);
            let abs = inp.s_start + first;
            let best = locs.iter().copied().min_by_key(|m| {
                (
                    area_rank(self.gazetteer.places[m.place().unwrap()].kind),
                    m.start.abs_diff(abs),
                )
            });
            // ...and the areas coordinated with it: "the Belgorod and Kursk regions".
            let mut chosen: Vec<&&Mention> = best.into_iter().collect();
            if let Some(b) = best {
                let kind = self.gazetteer.places[b.place().unwrap()].kind;
                let mut sorted: Vec<&&Mention> = locs.to_vec();
                sorted.sort_by_key(|m| m.start);
                let k = sorted.iter().position(|m| std::ptr::eq(*m, b)).unwrap_or(0);
                let joined = |x: &Mention, y: &Mention| {
                    matches!(
                        inp.text[x.end..y.start].trim(),
                        "and" | "," | ", and" | "or"
                    )
                };
                for dir in [-1i64, 1] {
                    let mut at = k as i64;
                    loop {
                        let next = at + dir;
                        if next < 0 || next as usize >= sorted.len() {
                            break;
                        }
                        let (x, y) = if dir > 0 {
                            (sorted[at as usize], sorted[next as usize])
                        } else {
                            (sorted[next as usize], sorted[at as usize])
                        };
                        let same_kind =
                            self.gazetteer.places[sorted[next as usize].place().unwrap()].kind
                                == kind;
                        if !same_kind || !joined(x, y) {
                            break;
                        }
                        chosen.push(sorted[next as usize]);
                        at = next;
                    }
                }
            }
            chosen
        };
        let country_to_region =
            !inp.region_is_only_town && self.country_within_region(&chosen, inp.region);
        if country_to_region {
            note(&|| "the only place is a country holding the article's region: the region".into());
        }
        let in_statement = inp
            .stmt_pos
            .is_some_and(|sp| hits.iter().all(|h| h.pos > sp));

        // Group hits by date; one candidate per (date, place).
        let mut groups: Vec<(Option<DateValue>, bool, EventType, Strength)> = Vec::new();
        for h in &hits {
            if let Some(g) = groups.iter_mut().find(|g| g.0 == h.date) {
                if priority(h.event) < priority(g.2) {
                    g.2 = h.event;
                }
                g.3 = g.3.max(h.strength);
                g.1 |= h.explicit;
            } else {
                groups.push((h.date, h.explicit, h.event, h.strength));
            }
        }

        let c = sentence_counts();
        let (actor1, actor2, agent) =
            self.pick_actors(st, lower, inp.actors, inp.mentions, inp.s_start);
        let mut out = Vec::new();
        for (date, explicit, mut event, strength) in groups {
            let statement_day = explicit
                && inp
                    .dates
                    .iter()
                    .filter(|d| d.qualifier == DateQualifier::None && Some(d.value) == date)
                    .all(|d| reported_on(lex, st, d.start));
            // A border or front line runs for hundreds of kilometres: no
            // specific place ("the border runs through the mine").
            let has_specific_place = chosen.iter().any(|m| {
                let k = self.gazetteer.places[m.place().unwrap()].kind;
                !k.is_area() && !matches!(k, PlaceKind::Border | PlaceKind::Line)
            });
            if strength == Strength::Weak && !explicit && !has_specific_place {
                note(&|| {
                    format!(
                        "weak trigger ({}) without a date or place of its own",
                        event.sub_event_type
                    )
                });
                continue;
            }
            if in_statement && !explicit && !has_specific_place {
                note(&|| {
                    "incident mentioned inside a statement, with no date or place of its own: left to the sentences that report it".into()
                });
                continue;
            }
            // Clashes of protesters with police are riots, not battles; fire
            // on protesters with no clash is force against a protest.
            if event.event_type == "Battles" && lex.has(&lexicon::PROTEST_SET) {
                event = if lex.has(&lexicon::CLASH_SET) {
                    lexicon::RIOT
                } else {
                    lexicon::EXCESSIVE_FORCE
                };
            }
            // State forces taking ground: "Government regains territory" (ACLED).
            if event == lexicon::OVERTAKES
                && actor1
                    .as_deref()
                    .is_some_and(|a| a.starts_with("Military Forces of"))
            {
                event = lexicon::REGAINS;
            }
            // Civilians killed with no fighting: violence against civilians.
            if event == lexicon::ARMED_CLASH
                && c.killed.is_some()
                && hits.iter().all(|h| h.event == lexicon::ARMED_CLASH)
                && (inp.actors.iter().any(|a| a.kind == ActorKind::Civilians)
                    || lex.has(&lexicon::CIVILIAN_SET) && !lex.has(&lexicon::MILITARY_SET))
                && !inp.actors.iter().any(|a| a.kind == ActorKind::Military)
            {
                event = lexicon::CIV_ATTACK;
            }
            // A strategic development is coded where it happened: "air
            // defences shot down 45 drones" with no place and no toll is no record.
            if chosen.is_empty()
                && event.event_type == "Strategic developments"
                && c.killed.is_none()
                && c.injured.is_none()
            {
                note(&|| "strategic development without a place of its own: dropped".into());
                continue;
            }
            let again = if chosen.is_empty() {
                self.settlement_again(lex, prior, inp.mentions)
            } else {
                None
            };
            if let Some(p) = again {
                note(&|| format!("named again by its noun: {}", self.gazetteer.places[p].name));
            }
            let places: Vec<(PlaceIdx, bool, Qualifier, Option<String>)> = if let Some(p) = again {
                vec![(p, true, Qualifier::At, None)]
            } else if let (true, Some((p, q))) = (
                chosen.is_empty() && inp.mentions.iter().all(|m| m.place().is_none()),
                inp.just_named,
            ) {
                note(&|| {
                    format!(
                        "just named: the previous sentence's place {}",
                        self.gazetteer.places[p].name
                    )
                });
                vec![(p, true, q, None)]
            } else if chosen.is_empty() {
                match inp.region {
                    Some(r) => vec![(r, false, Qualifier::At, None)],
                    None => {
                        note(&|| {
                            "no place in the sentence and no conflict region in the article: dropped".into()
                        });
                        continue;
                    }
                }
            } else {
                chosen
                    .iter()
                    .map(|m| match inp.region {
                        Some(r) if country_to_region => {
                            (r, true, m.qualifier, Some(m.text.clone()))
                        }
                        _ => (m.place().unwrap(), true, m.qualifier, Some(m.text.clone())),
                    })
                    .collect()
            };
            // A toll shared by several places belongs to none of them alone
            // (an area named beside a place in it is no second place).
            let leaves = places
                .iter()
                .filter(|(p, ..)| {
                    let pl = &self.gazetteer.places[*p];
                    !pl.kind.is_area()
                        || !places.iter().any(|(q, ..)| {
                            let ql = &self.gazetteer.places[*q];
                            !ql.kind.is_area() && holds(pl, ql)
                        })
                })
                .count();
            let shared_toll = leaves > 1;
            // Of a shared toll, each place keeps only its own part, when the
            // sentence gives one ("including 10 in Rafah and eight in Khan Younis").
            let heads: Vec<&str> = if shared_toll && chosen.len() == places.len() {
                chosen
                    .iter()
                    .map(|m| &inp.text[inp.s_start..m.start])
                    .collect()
            } else {
                Vec::new()
            };
            let parts: Vec<Option<u32>> = if heads.is_empty() {
                vec![None; places.len()]
            } else {
                heads
                    .iter()
                    .map(|h| counts::part_before(h).or_else(|| counts::subset_before(h)))
                    .collect()
            };
            // A lone place named inside an "including" clause keeps that
            // part ("17 killed across Gaza, including eight in a strike in Nuseirat").
            let subset = match (shared_toll, chosen.as_slice(), places.len()) {
                (false, [m], 1) => counts::subset_before(&inp.text[inp.s_start..m.start]),
                _ => None,
            };
            // ...or the toll is said of one of them ("and a woman was wounded in Aygepar").
            let told: Vec<PlaceIdx> = heads
                .iter()
                .zip(&places)
                .filter(|(h, _)| counts::toll_before(h))
                .map(|(_, p)| p.0)
                .collect();
            let own = (!told.is_empty() && told.iter().all(|&p| p == told[0])).then(|| told[0]);
            let place_ids: Vec<PlaceIdx> = places.iter().map(|p| p.0).collect();
            // ...or each place has a clause and a toll of its own ("nine
            // were killed in X while two others died in Y").
            let own_clauses = (shared_toll && chosen.len() == places.len())
                .then(|| {
                    let of: Vec<usize> = chosen
                        .iter()
                        .map(|m| clause_of(m.start - inp.s_start))
                        .collect();
                    clause_tolls(lower, &clauses, &of)
                })
                .flatten();
            let toll_of = |k: usize| {
                if let Some(t) = &own_clauses {
                    return t[k];
                }
                match (shared_toll, c.killed, c.injured, parts[k]) {
                    (false, Some(all), _, _) if subset.is_some_and(|n| n < all) => (subset, None),
                    (false, killed, injured, _) => (killed, injured),
                    (true, killed, injured, None) if own.is_some() => {
                        if own == Some(place_ids[k]) {
                            (killed, injured)
                        } else {
                            (None, None)
                        }
                    }
                    (true, Some(all), None, Some(n)) if n <= all => (Some(n), None),
                    (true, None, Some(all), Some(n)) if n <= all => (None, Some(n)),
                    _ => (None, None),
                }
            };
            for (k, (place, explicit_place, qualifier, place_text)) in
                places.into_iter().enumerate()
            {
                let (killed, injured) = toll_of(k);
                let (date, source) = if explicit {
                    (date, DateSource::Explicit)
                } else if let Some(same) = explicit_place
                    .then(|| same_place_date(prior, place))
                    .flatten()
                {
                    same
                } else if let Some(d) = inp.just_dated {
                    (Some(d), DateSource::Explicit)
                } else {
                    inherit_date(prior, inp.paragraph, inp.published)
                };
                note(&|| {
                    format!(
                        "candidate: {} / {} on {:?} ({:?}) at {}{}; killed {:?}, injured {:?}",
                        event.event_type,
                        event.sub_event_type,
                        date,
                        source,
                        self.gazetteer.places[place].name,
                        if explicit_place {
                            ""
                        } else {
                            " (region fallback)"
                        },
                        killed,
                        injured
                    )
                });
                out.push(Candidate {
                    paragraph: inp.paragraph,
                    sentence: inp.sentence,
                    date,
                    date_source: source,
                    event,
                    strength,
                    place,
                    explicit_place,
                    qualifier,
                    place_text,
                    killed,
                    killed_low: killed,
                    killed_high: killed,
                    injured,
                    actor1: actor1.clone(),
                    actor2: actor2.clone(),
                    agent,
                    reported_by: inp.reported.iter().cloned().collect(),
                    evidence: std::iter::once(inp.s_start..inp.s_start + st.len()).collect(),
                    merged_into: None,
                    statement_day,
                    aside: false,
                });
            }
        }
        out
    }

    /// actor1 (the side said to act) and actor2.
    fn pick_actors(
        &self,
        st: &str,
        lower: &str,
        actors: &[ActorMention],
        mentions: &[&Mention],
        s_start: usize,
    ) -> (Option<String>, Option<String>, bool) {
        let mut list: Vec<(usize, String, bool)> = Vec::new(); // position, actor, is agent
        for a in actors {
            let after = crate::places::words_after(st, a.end, 3);
            let agent = after
                .iter()
                .take(3)
                .any(|w| crate::vocab::words("active-verbs").contains(&w.as_ref()))
                && !after
                    .iter()
                    .take(2)
                    .any(|w| matches!(w.as_ref(), "were" | "was" | "had" | "been"));
            let before = crate::places::words_before(st, a.start, 2);
            let by = before.first().is_some_and(|w| w == "by");
            list.push((a.start, a.actor.clone(), agent || by));
        }
        // Countries named as parties ("clashes with Armenia").
        for m in mentions {
            if m.role != Role::Party {
                continue;
            }
            let Some(p) = m.place() else { continue };
            let place = &self.gazetteer.places[p];
            if place.country.is_empty() {
                continue;
            }
            let Some(c) = self.gazetteer.country(&place.country) else {
                continue;
            };
            let pos = m.start - s_start;
            if list.iter().any(|(q, _, _)| *q <= pos && pos < *q + 30) {
                continue;
            }
            // Only countries named as participants: "clashes with Armenia",
            // "between Armenia and Azerbaijan", "attack by Russia", "forces of X".
            let before = crate::places::words_before(st, pos, 2);
            let b0 = before.first().map(AsRef::as_ref).unwrap_or("");
            let b1 = before.get(1).map(AsRef::as_ref).unwrap_or("");
            let participant = matches!(
                b0,
                "with" | "against" | "between" | "by" | "and" | "enemies" | "foes"
            ) || (b0 == "of"
                && matches!(b1, "forces" | "troops" | "army" | "military" | "units"));
            if !participant {
                continue;
            }
            let agent = b0 == "by";
            list.push((pos, format!("Military Forces of {}", c.name), agent));
        }
        let _ = lower;
        list.sort_by_key(|x| x.0);
        let mut uniq: Vec<(String, bool)> = Vec::new();
        for (_, a, ag) in list {
            if let Some(u) = uniq.iter_mut().find(|u| u.0 == a) {
                u.1 |= ag;
            } else {
                uniq.push((a, ag));
            }
        }
        if let Some(i) = uniq.iter().position(|u| u.1) {
            let first = uniq.remove(i);
            uniq.insert(0, first);
        }
        let agent = uniq.first().is_some_and(|u| u.1);
        let mut it = uniq.into_iter().map(|u| u.0);
        (it.next(), it.next(), agent)
    }

    /// Turn merged candidates into records.
    fn records(&self, article: &Article, text: &str, cands: &[Candidate]) -> Vec<Record> {
        let mut out = Vec::new();
        let mut live: Vec<&Candidate> = cands.iter().filter(|c| c.merged_into.is_none()).collect();
        live.sort_by_key(|c| c.evidence[0].start);
        // Character offsets counted on from the previous record's (the
        // records go in text order), not from the start for each.
        let (mut counted_to, mut chars_before) = (0, 0);
        for (n, c) in live.into_iter().enumerate() {
            let p = &self.gazetteer.places[c.place];
            let (event_date, date_precision) = match (c.date, c.date_source) {
                (Some(d), DateSource::Published) => (d.to_event_date().0, DatePrecision::Week),
                (Some(d), _) => d.to_event_date(),
                (None, _) => (None, DatePrecision::Unknown),
            };
            let geo_precision = geo_precision(c, p);
            let mut evidence = String::new();
            for r in &c.evidence {
                if !evidence.is_empty() {
                    evidence.push(' ');
                }
                evidence.push_str(&text[r.clone()]);
            }
            let first = &c.evidence[0];
            chars_before += text[counted_to..first.start].chars().count();
            counted_to = first.start;
            let char_start = chars_before;
            let char_end = char_start + text[first.clone()].chars().count();
            let mut confidence: f64 = 0.4;
            if c.date_source == DateSource::Explicit {
                confidence += 0.2;
            }
            if c.explicit_place {
                confidence += 0.2;
            }
            if c.strength == Strength::Strong {
                confidence += 0.1;
            }
            let reported_by = if c.reported_by.is_empty() {
                None
            } else {
                Some(c.reported_by.join("; "))
            };
            let point = (p.lon, p.lat);
            out.push(Record {
                id: format!("{}#{}", article.id_prefix(), n + 1),
                kind: RecordKind::Incident,
                source_file: article.file.clone(),
                event_date,
                date_precision,
                event_type: c.event.event_type.to_string(),
                sub_event_type: c.event.sub_event_type.to_string(),
                location: p.name.clone(),
                gazetteer_id: p.id.clone(),
                geo_precision,
                fatalities: c.killed,
                fatalities_low: c.killed_low,
                fatalities_high: c.killed_high,
                injured: c.injured,
                actor1: c.actor1.clone(),
                actor2: c.actor2.clone(),
                reported_by,
                evidence,
                char_start,
                char_end,
                matched_text: c.place_text.clone(),
                country: (!p.country.is_empty()).then(|| p.country.clone()),
                admin1: (!p.admin1.is_empty()).then(|| p.admin1.clone()),
                publisher: article.publisher.clone(),
                url: article.url.clone(),
                confidence: (confidence * 100.0).round() / 100.0,
                geometry: p.geometry.clone(),
                point,
            });
        }
        out
    }
}

/// Stage "one area": "shoot-outs near Kut and Norabak", "attacks in the
/// areas of Kupyansk and Sinkovka": places joined by "and" or a comma after
/// a "near" cue, all within [`SAME_AREA_KM`] of the first, name one area of
/// fighting, so one incident at the first. (Places said to be hit one by
/// one, "shells hit Kapan and Goris", stay one incident each.)
fn one_area_of_fighting<'m>(
    g: &Gazetteer,
    text: &str,
    specific: Vec<&'m &'m Mention>,
) -> Vec<&'m &'m Mention> {
    let Some(first) = specific.first() else {
        return specific;
    };
    if specific.len() < 2 || specific.iter().any(|m| m.qualifier != Qualifier::Near) {
        return specific;
    }
    let p0 = &g.places[first.place().unwrap()];
    let joined = specific.windows(2).all(|w| {
        w[0].end <= w[1].start
            && matches!(
                text[w[0].end..w[1].start].trim(),
                "and" | "," | ", and" | "or"
            )
    });
    let close = specific.iter().all(|m| {
        let p = &g.places[m.place().unwrap()];
        haversine_km(p.lat, p.lon, p0.lat, p0.lon) <= SAME_AREA_KM
    });
    if joined && close {
        vec![*first]
    } else {
        specific
    }
}

/// The farthest apart two places "near A and B" may lie and still name one
/// area of fighting.
const SAME_AREA_KM: f64 = 15.0;

/// CODEBOOK section 2: 1 a named place, 2 near it, in a district or along
/// a road, 3 a region (or the article's region when the text names none).
fn geo_precision(c: &Candidate, p: &crate::gazetteer::Place) -> u8 {
    if !c.explicit_place {
        return 3;
    }
    match p.kind {
        _ if p.kind.is_area() && c.qualifier == Qualifier::District => 2,
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Region => 3,
        PlaceKind::Admin2 | PlaceKind::Road | PlaceKind::Border | PlaceKind::Line => 2,
        _ if c.qualifier == Qualifier::Near => 2,
        _ => 1,
    }
}

/// What [`Extractor::sentence_candidates`] reads.
struct SentenceInput<'a> {
    text: &'a str,
    st: &'a str,
    /// `st` lowercased ([`lower_same_len`]) and its phrase occurrences.
    lex: &'a lexicon::Lex<'a>,
    s_start: usize,
    paragraph: usize,
    sentence: usize,
    mentions: &'a [&'a Mention],
    dates: &'a [DateMention],
    actors: &'a [ActorMention],
    reported: &'a Option<String>,
    stmt_pos: Option<usize>,
    published: Option<NaiveDate>,
    region: Option<PlaceIdx>,
    /// `region` is the stage "only town"'s town.
    region_is_only_town: bool,
    /// The one settlement the previous body sentence named as a location
    /// without placing an incident there (stage "just named").
    just_named: Option<(PlaceIdx, Qualifier)>,
    /// The day a sentence before, with no incident, gave ("just dated").
    just_dated: Option<DateValue>,
}

/// Lowercase without changing byte offsets (characters whose lowercase has
/// another UTF-8 length are kept as they are).
pub fn lower_same_len(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(x), None) if x.len_utf8() == c.len_utf8() => out.push(x),
            _ => out.push(c),
        }
    }
    out
}

/// The mentions (in text order, as the matcher gives them) that lie
/// within `start..end`.
/// The index range of the mentions (in text order) that start in the
/// sentence `start..end`.
fn sentence_range(mentions: &[Mention], start: usize, end: usize) -> Range<usize> {
    let lo = mentions.partition_point(|m| m.start < start);
    lo..lo + mentions[lo..].partition_point(|m| m.start < end)
}

fn within(mentions: &[Mention], start: usize, end: usize) -> impl Iterator<Item = &Mention> {
    debug_assert!(mentions.windows(2).all(|w| w[0].start <= w[1].start));
    let lo = mentions.partition_point(|m| m.start < start);
    let hi = mentions.partition_point(|m| m.start <= end);
    mentions[lo..hi.max(lo)]
        .iter()
        .filter(move |m| m.end <= end)
}

/// [`clause_spans`] of a sentence, with its verbs of reporting (looked up
/// only when a "that" asks).
fn clauses_of(lex: &lexicon::Lex<'_>) -> Vec<(usize, usize, bool)> {
    let lower = lex.text();
    let reports = std::cell::OnceCell::new();
    clause_spans(lower, |i| {
        reports
            .get_or_init(|| lex.all(&lexicon::REPORT_SET, 0..lower.len()))
            .iter()
            .any(|r| r.2 == i)
    })
}

/// Clause spans of a lowercased sentence: (start, end, is_relative).
/// Clauses break at , ; : ( ) dashes and before relative words. "that"
/// right after a verb of reporting (`reported_end(i)`: such a verb ends at
/// byte `i`) opens what was reported, a main clause ("it is reported that
/// in May the heights were retaken").
fn clause_spans(lower: &str, reported_end: impl Fn(usize) -> bool) -> Vec<(usize, usize, bool)> {
    // Each cut: where a clause starts and whether it is relative (None:
    // after punctuation, relative when it opens with a relative word).
    let mut cuts: Vec<(usize, Option<bool>)> = vec![(0, None)];
    let b = lower.as_bytes();
    for (i, &x) in b.iter().enumerate() {
        // , ; : ( ) and the em and en dashes (E2 80 94, E2 80 93).
        let len = match x {
            b',' | b';' | b':' | b'(' | b')' => 1,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x93 | 0x94)) => 3,
            _ => continue,
        };
        // "30,000" and "14:30" are numbers, not clause breaks.
        let in_number = matches!(x, b',' | b':')
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !in_number {
            cuts.push((i + len, None));
        }
    }
    // Before a relative word between spaces (" that ", " which ", ...),
    // and before a contrasting conjunction, which opens a main clause of
    // its own ("nine were killed in X while two died in Y").
    const RELATIVE: [&str; 6] = ["that ", "which ", "where ", "who ", "when ", "since "];
    const CONTRAST: [&str; 2] = ["whereas ", "while "];
    for i in memchr::memchr_iter(b' ', b) {
        let rest = &b[i + 1..];
        if !rest
            .first()
            .is_some_and(|c| matches!(c, b't' | b'w' | b's'))
        {
            continue;
        }
        if RELATIVE.iter().any(|w| rest.starts_with(w.as_bytes())) {
            let complement = rest.starts_with(b"that ") && reported_end(i);
            cuts.push((i + 1, Some(!complement)));
        } else if CONTRAST.iter().any(|w| rest.starts_with(w.as_bytes())) {
            cuts.push((i + 1, Some(false)));
        }
    }
    cuts.sort_by_key(|c| c.0);
    cuts.dedup_by_key(|c| c.0);
    let mut out = Vec::new();
    for (k, &(a, rel)) in cuts.iter().enumerate() {
        let b = cuts.get(k + 1).map_or(lower.len(), |c| c.0);
        if b > a {
            // A clause after a comma that starts with a relative word is
            // relative too; a word cut has decided already.
            let head = lower[a..b].trim_start();
            let rel = rel.unwrap_or_else(|| RELATIVE.iter().any(|w| head.starts_with(w)));
            out.push((a, b, rel));
        }
    }
    if out.is_empty() {
        out.push((0, lower.len(), false));
    }
    out
}

/// Byte offset where the `n` words before `pos` begin.
fn word_window_start(lower: &str, pos: usize, n: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in lower[..pos].char_indices().rev() {
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            in_word = true;
        } else if in_word {
            words += 1;
            in_word = false;
            if words == n {
                return i + c.len_utf8();
            }
        }
    }
    0
}

/// Counts over the clauses that are not history or running totals.
fn counts_for(lex: &lexicon::Lex<'_>, clauses: &[(usize, usize, bool)]) -> Counts {
    let lower = lex.text();
    // Read the kept clauses as one text, so "a serviceman of the army,
    // soldier X, was killed" still links the victim to the verb.
    let mut kept = String::with_capacity(lower.len());
    for c in clauses {
        let cl = &lower[c.0..c.1];
        if lex.contains(&lexicon::HISTORY_SET, c.0..c.1)
            || lex.contains(&lexicon::AGGREGATE_SET, c.0..c.1)
        {
            kept.push_str(" ; ");
            continue;
        }
        kept.push_str(cl);
        kept.push(' ');
    }
    counts(&kept)
}

/// Stage "clause tolls": when the places lie in different clauses, the
/// sentence is cut where each place's clause starts, and each place takes
/// the toll of its own piece ("nine people were killed in X while two
/// others died in Y"), provided two or more pieces give one; else `None`.
/// `of`: the clause of each place.
fn clause_tolls(
    lower: &str,
    clauses: &[(usize, usize, bool)],
    of: &[usize],
) -> Option<Vec<(Option<u32>, Option<u32>)>> {
    let distinct = of.iter().enumerate().all(|(k, c)| !of[..k].contains(c));
    if !distinct {
        return None;
    }
    let mut starts: Vec<usize> = of.to_vec();
    starts.sort_unstable();
    let piece = |ci: usize| {
        let k = starts.iter().position(|&c| c == ci).unwrap_or(0);
        let from = if k == 0 { 0 } else { clauses[ci].0 };
        let to = starts.get(k + 1).map_or(lower.len(), |&n| clauses[n].0);
        &lower[from..to]
    };
    let tolls: Vec<(Option<u32>, Option<u32>)> = of
        .iter()
        .map(|&ci| {
            let n = counts(piece(ci));
            (n.killed, n.injured)
        })
        .collect();
    let told = tolls
        .iter()
        .filter(|t| t.0.is_some() || t.1.is_some())
        .count();
    (told >= 2).then_some(tolls)
}

/// Whether a sentence with these dates is about the past: it has plain
/// dates and all of them are [`BACKGROUND_DAYS`] or more before publication.
fn is_background(ds: &[DateMention], dctx: &DateContext) -> bool {
    let Some(p) = dctx.published else {
        return false;
    };
    let plain: Vec<_> = ds
        .iter()
        .filter(|d| d.qualifier == DateQualifier::None && d.value != DateValue::Recent)
        .collect();
    !plain.is_empty() && plain.iter().all(|d| d.value.is_before(p, BACKGROUND_DAYS))
}

fn area_rank(k: PlaceKind) -> u8 {
    match k {
        PlaceKind::Region | PlaceKind::Admin2 => 0,
        PlaceKind::Admin1 => 1,
        _ => 2,
    }
}

/// Lower is preferred when one sentence has several event words.
fn priority(e: EventType) -> u8 {
    use lexicon::*;
    [
        DISRUPTED,
        AIR_DRONE,
        SHELLING,
        SUICIDE,
        IED,
        GRENADE,
        REGAINS,
        OVERTAKES,
        ARMED_CLASH,
        ABDUCTION,
        CIV_ATTACK,
        MOB,
        RIOT,
        PROTEST_INTERVENTION,
        PEACEFUL_PROTEST,
        TERRITORY,
        AGREEMENT,
        ARRESTS,
        LOOTING,
        BASE,
        OTHER_SD,
    ]
    .iter()
    .position(|x| *x == e)
    .unwrap_or(99) as u8
}

/// An undated mention of a place an earlier sentence gave a date for ("the
/// attacks on Gondar" after "on November 13 rockets hit Gondar") is that
/// incident again: it takes that date.
fn same_place_date(
    prior: &[Candidate],
    place: PlaceIdx,
) -> Option<(Option<DateValue>, DateSource)> {
    prior
        .iter()
        .enumerate()
        .rev()
        .find(|(_, c)| {
            c.explicit_place && c.place == place && c.date_source == DateSource::Explicit
        })
        .map(|(i, c)| (c.date, DateSource::Inherited(i)))
}

/// A capitalized word inside a capitalized run is part of a name ("the Sotk
/// Gold Mine", "Operation Iron Strike"), not an event word; the first word of
/// a sentence is not judged.
fn in_proper_name(st: &str, a: usize, b: usize) -> bool {
    let upper = |w: &str| w.starts_with(|c: char| c.is_uppercase());
    if a == 0 || !upper(&st[a..b]) {
        return false;
    }
    let before = st[..a].trim_end();
    if before.ends_with(['.', ':', '"', '\u{201c}', '(', '-', '\u{2014}']) || before.is_empty() {
        return false;
    }
    // A headline in title case capitalizes its event words too.
    let words = st.split_whitespace().filter(|w| w.len() > 3);
    let (n, caps) = words.fold((0, 0), |(n, c), w| (n + 1, c + usize::from(upper(w))));
    if caps * 4 > n * 3 {
        return false;
    }
    let prev = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let next = st[b..].split_whitespace().next().unwrap_or("");
    upper(prev) || upper(next)
}

/// Whether the date at `start` is that of a claim: right after a verb of
/// reporting, or after one and "on" ("said Saturday", "claimed on Saturday").
/// "killed dozens on Saturday in an attack on ...": an aggregate cue in a
/// clause that names the day of the event (not the day of a statement) is
/// one dated incident, not a running total.
fn day_dated(
    dates: &[DateMention],
    lex: &lexicon::Lex<'_>,
    st: &str,
    clause: &Range<usize>,
) -> bool {
    dates.iter().any(|d| {
        d.qualifier == DateQualifier::None
            && matches!(d.value, DateValue::Day(_))
            && clause.contains(&d.start)
            && !reported_on(lex, st, d.start)
    })
}

/// The date at `start` is the day of a statement: "said on Saturday",
/// "told AFP on Thursday", "said in a statement on Friday" (a verb of
/// report, then only capitalized names or `report-fillers` words).
pub(super) fn reported_on(lex: &lexicon::Lex<'_>, st: &str, start: usize) -> bool {
    let lower = lex.text();
    let before = lower[..start].trim_end();
    let mut end = before
        .strip_suffix(" on")
        .unwrap_or(before)
        .trim_end()
        .len();
    for _ in 0..5 {
        let word_start = lower[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        if word_start >= end {
            return false;
        }
        if lex.contains(&lexicon::REPORT_SET, word_start..end) {
            return true;
        }
        let word = &lower[word_start..end];
        if !lexicon::is_report_filler(word) && !st[word_start..].starts_with(char::is_uppercase) {
            return false;
        }
        let rest = lower[..word_start].trim_end_matches(' ');
        if rest.len() + 1 < word_start {
            return false; // not one space: punctuation ends the phrase
        }
        end = rest.len();
    }
    false
}

impl Extractor {
    /// Stage "just named": a sentence with no incident whose one location
    /// is a settlement ("a unit seized a post near the village of X") lends
    /// it to the next sentence's placeless report ("hours of fighting left
    /// eight dead").
    fn one_settlement(&self, here: &[&Mention]) -> Option<(PlaceIdx, Qualifier)> {
        let mut found: Option<(PlaceIdx, Qualifier)> = None;
        for m in here.iter().filter(|m| m.role == Role::Location) {
            let Some(p) = m.place() else { continue };
            // Cities are named for much else (speakers, hospitals, talks).
            if !matches!(
                self.gazetteer.places[p].kind,
                PlaceKind::Village | PlaceKind::Town
            ) {
                continue;
            }
            match found {
                Some((q, _)) if q != p => return None,
                _ => found = Some((p, m.qualifier)),
            }
        }
        found
    }

    /// Stage "named again": a sentence with no place of its own that names
    /// a settlement by its noun ("a facility in the city", not "the city of
    /// X") is at the place of the report's latest incident in a settlement.
    fn settlement_again(
        &self,
        lex: &lexicon::Lex<'_>,
        prior: &[Candidate],
        here: &[&Mention],
    ) -> Option<PlaceIdx> {
        let lower = lex.text();
        let named = lex
            .all(&lexicon::SETTLEMENT_SET, 0..lower.len())
            .iter()
            .any(|&(_, _, b)| !lower[b..].trim_start().starts_with("of "));
        if !named {
            return None;
        }
        let settlement = |p: PlaceIdx| self.gazetteer.places[p].kind.is_point();
        // "the regime in Khankendi said shelling of the town killed two":
        // the sentence's own town, named as a speaker's seat.
        let own = here.iter().rev().find_map(|m| {
            m.place()
                .filter(|&p| settlement(p))
                .filter(|_| matches!(m.role, Role::Attribution | Role::Metonym))
        });
        if own.is_some() {
            return own;
        }
        prior
            .iter()
            .rev()
            .find(|c| c.explicit_place && settlement(c.place))
            .map(|c| c.place)
    }
}

/// Stage "dateline day": the day a dateline gives ("ДОНЕЦК, 21 января.
/// /ТАСС/.", "KYIV, March 3 (Reuters) -") is the day of the report, and an
/// undated incident's fallback day, when it lies up to two days before
/// publication (a dispatch filed late, published the next day).
fn dateline_day(
    lay: &Layout,
    tokens: &dates::Tokens<'_>,
    dctx: &DateContext,
    published: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let first = lay.datelines.first().and_then(|r| {
        tokens
            .find_dates(r.clone(), dctx)
            .into_iter()
            .find_map(|d| match d.value {
                DateValue::Day(x) if d.qualifier == DateQualifier::None => Some(x),
                _ => None,
            })
    });
    match (first, published) {
        (Some(d), Some(p)) if d <= p && (p - d).num_days() <= 2 => Some(d),
        _ => published,
    }
}

/// Stage "just dated": a sentence with no incident and one plain date, a
/// day that is not background ("The tension remained on the border on the
/// night of July 12."), dates the next sentence's undated report ("During
/// the night battles a stronghold was destroyed").
fn just_dated_of(
    found: &[Candidate],
    dates: &[DateMention],
    dctx: &DateContext,
) -> Option<DateValue> {
    let mut plain = dates.iter().filter(|d| d.qualifier == DateQualifier::None);
    let d = plain.next()?;
    let day = matches!(d.value, DateValue::Day(_));
    (found.is_empty() && plain.next().is_none() && day && !is_background(dates, dctx))
        .then_some(d.value)
}

/// The date an undated mention takes: the latest incident of its paragraph,
/// else the article's lead incident, else the publication date.
fn inherit_date(
    prior: &[Candidate],
    paragraph: usize,
    published: Option<NaiveDate>,
) -> (Option<DateValue>, DateSource) {
    let pick = prior
        .iter()
        .enumerate()
        .rev()
        .find(|(_, c)| c.paragraph == paragraph && c.date.is_some() && !c.aside)
        .or_else(|| {
            prior
                .iter()
                .enumerate()
                .find(|(_, c)| c.date.is_some() && !c.aside)
        });
    if let Some((i, c)) = pick {
        let root = match c.date_source {
            DateSource::Inherited(j) => j,
            _ => i,
        };
        return (c.date, DateSource::Inherited(root));
    }
    match published {
        Some(p) => (Some(DateValue::Day(p)), DateSource::Published),
        None => (None, DateSource::None),
    }
}

/// Merge candidates that are one incident.
fn merge(cands: &mut [Candidate], g: &Gazetteer) {
    let n = cands.len();
    for i in 0..n {
        for j in 0..i {
            if cands[j].merged_into.is_some() {
                continue;
            }
            let (a, b) = (&cands[j], &cands[i]);
            let same_place = a.place == b.place;
            let near = |x: &Candidate, y: &Candidate| {
                // y is placeless (region) and x is placed within ~100 km of it.
                !y.explicit_place && x.explicit_place && {
                    let (p, q) = (&g.places[x.place], &g.places[y.place]);
                    haversine_km(p.lat, p.lon, q.lat, q.lon) <= 100.0
                }
            };
            let elaborates = match b.date_source {
                DateSource::Inherited(root) => {
                    let root = follow(cands, root);
                    root == j && (same_place || !b.explicit_place)
                }
                _ => false,
            };
            let same_day = a.date.is_some()
                && a.date == b.date
                && a.date_source == DateSource::Explicit
                && b.date_source == DateSource::Explicit;
            // CODEBOOK section 1: one incident per place, day and type family.
            let same_family =
                prune::family(a.event.event_type) == prune::family(b.event.event_type);
            let same_family_here = same_place
                && a.explicit_place
                && b.explicit_place
                && a.date.is_some()
                && a.date == b.date
                && same_family;
            let merges = elaborates
                || same_family_here
                || ((same_place || town_and_its_area(g, a, b))
                    && same_family
                    && undated_lead(a, b))
                || (same_day && same_family && (same_place || near(a, b) || near(b, a)))
                || (a.sentence == b.sentence && same_place && a.date == b.date);
            if !merges {
                continue;
            }
            // Keep the more specific place.
            let town_over_area = town_and_its_area(g, &cands[j], &cands[i])
                && g.places[cands[i].place].kind.is_point();
            let (keep, drop) =
                if (!cands[j].explicit_place && cands[i].explicit_place) || town_over_area {
                    (i, j)
                } else {
                    (j, i)
                };
            // A sentence without a place of its own that elaborates its
            // root report gives a detail of it ("one shell hit a house,
            // killing a farmer"): its toll fills a toll the root lacks, never
            // lowers the root's. ("In Rafah, four were killed" names its
            // place: a report of its own, and the lowest toll stays.)
            let root_toll = (elaborates && !cands[i].explicit_place).then(|| {
                let r = &cands[j];
                (r.killed, r.killed_low, r.injured)
            });
            absorb(cands, keep, drop);
            if let Some((killed, low, injured)) = root_toll {
                let k = &mut cands[keep];
                if killed.is_some() {
                    (k.killed, k.killed_low) = (killed, low);
                }
                k.injured = injured.or(k.injured);
            }
            if keep == i {
                // Re-point anything merged into j.
                for c in cands.iter_mut() {
                    if c.merged_into == Some(j) {
                        c.merged_into = Some(i);
                    }
                }
            }
            break;
        }
    }
}

/// Stage "undated lead": a report placed at a town but dated only by the
/// article's publication ("Goris is being shelled, the ministry says") and
/// one of the same town dated in the text a day either side ("on 13
/// September at 00:05 ... in the direction of Goris") are one incident,
/// dated by the text.
fn undated_lead(a: &Candidate, b: &Candidate) -> bool {
    let dated = |c: &Candidate| c.explicit_place && own_date(c);
    let lead = |c: &Candidate| {
        c.explicit_place && (c.date_source == DateSource::Published || c.statement_day)
    };
    let (Some(DateValue::Day(x)), Some(DateValue::Day(y))) = (a.date, b.date) else {
        return false;
    };
    ((lead(a) && dated(b)) || (dated(a) && lead(b))) && (x - y).num_days().abs() <= 1
}

/// A town and the district named after it that holds it ("the rocket
/// attack on Barda", "Barda district areas"): one place for the stage
/// "undated lead".
fn town_and_its_area(g: &Gazetteer, a: &Candidate, b: &Candidate) -> bool {
    let (p, q) = (&g.places[a.place], &g.places[b.place]);
    p.name == q.name
        && match (p.kind.is_point(), q.kind.is_point()) {
            (true, false) => holds(q, p),
            (false, true) => holds(p, q),
            _ => false,
        }
}

/// Stage "duration": "for more than six years", "for two decades" in a
/// clause (lowercased): "for", at most three qualifiers, a number and a
/// unit of `duration-units`.
fn long_duration(clause: &str) -> bool {
    let words: Vec<&str> = words_of(clause).collect();
    words.iter().enumerate().any(|(i, w)| {
        *w == "for"
            && (i + 2..=i + 5).any(|k| {
                words.get(k).is_some_and(|u| duration_units().contains(u))
                    && counts::number_value(words[k - 1]).is_some()
                    && !counts::is_article(words[k - 1])
            })
    })
}

word_set!(duration_units, "duration-units");

/// A number (digits or a word, not an article: "a more intense attack")
/// right before a word of `victim-anaphora` ("two more", "seven others") in
/// `clause` (lowercased).
fn more_victims(clause: &str) -> bool {
    let words: Vec<&str> = words_of(clause).collect();
    words.windows(2).any(|w| {
        let number = !counts::is_article(w[0]) && counts::number_value(w[0]).is_some();
        number && lexicon::victim_anaphora().contains(w[1])
    })
}

/// The text dates the candidate itself: not the article's day, another
/// candidate's, or the day a statement was made.
fn own_date(c: &Candidate) -> bool {
    c.date_source == DateSource::Explicit && !c.statement_day
}

/// A relative clause that opens with an occurrence verb after its relative
/// word ("which occurred", "that took place").
fn tells_occurrence(clause: &str) -> bool {
    let mut w = words_of(clause).skip(1);
    let (w1, w2) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
    let verbs = lexicon::occurrence_verbs();
    verbs.contains(w1) || verbs.contains(format!("{w1} {w2}").as_str())
}

/// The words of `s`: runs of letters and digits.
fn words_of(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Stage "listed area": an area named in one list with towns ("at Uri,
/// Keran and Gurez sectors", Gurez a valley) is a place of its own, like
/// them; a country is not, and an area holding one of the towns is dropped
/// later as only saying where that town is.
fn with_listed_areas<'a, 'm>(
    g: &Gazetteer,
    text: &str,
    locs: &[&'a &'m Mention],
    mut specific: Vec<&'a &'m Mention>,
) -> Vec<&'a &'m Mention> {
    let joined = |x: &Mention, y: &Mention| {
        x.end <= y.start && matches!(text[x.end..y.start].trim(), "and" | "," | ", and" | "or")
    };
    let town = |m: &Mention| !g.places[m.place().unwrap()].kind.is_area();
    let listed: Vec<&'a &'m Mention> = locs
        .iter()
        .copied()
        .filter(|m| {
            let p = &g.places[m.place().unwrap()];
            p.kind.is_area()
                && p.kind != PlaceKind::Country
                && !specific.iter().any(|s| std::ptr::eq(**s, **m))
                && locs
                    .iter()
                    .any(|t| town(t) && (joined(t, m) || joined(m, t)))
        })
        .collect();
    if !listed.is_empty() {
        specific.extend(listed);
        specific.sort_by_key(|m| m.start);
    }
    specific
}

fn follow(cands: &[Candidate], mut i: usize) -> usize {
    while let Some(j) = cands[i].merged_into {
        i = j;
    }
    i
}

fn absorb(cands: &mut [Candidate], keep: usize, drop: usize) {
    let d = cands[drop].clone();
    let k = &mut cands[keep];
    k.killed_low = min_opt(k.killed_low, d.killed_low);
    k.killed_high = max_opt(k.killed_high, d.killed_high);
    k.killed = k.killed_low;
    k.injured = min_opt(k.injured, d.injured);
    if (d.agent && !k.agent) || k.actor1.is_none() {
        k.agent |= d.agent;
        k.actor1 = d.actor1.clone();
        k.actor2 = k.actor2.clone().or(d.actor2.clone());
    } else if k.actor2.is_none() && d.actor1 != k.actor1 {
        k.actor2 = d.actor1.clone().or(d.actor2.clone());
    }
    let d_own_date = own_date(&d);
    for r in d.reported_by {
        if !k.reported_by.contains(&r) {
            k.reported_by.push(r);
        }
    }
    // The text's own date wins over the article's day and a statement's.
    if !own_date(k) && d_own_date {
        k.date = d.date;
        k.date_source = DateSource::Explicit;
        k.statement_day = false;
    }
    if k.strength < d.strength {
        k.strength = d.strength;
    }
    for e in d.evidence {
        if !k.evidence.contains(&e) && k.evidence.len() < 4 {
            k.evidence.push(e);
        }
    }
    k.evidence.sort_by_key(|r| r.start);
    cands[drop].merged_into = Some(keep);
}

fn min_opt(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// What the stage tests share: the bundled extractor on a one-off text.
#[cfg(test)]
pub(crate) mod testutil {
    use super::Extractor;
    use crate::gazetteer::Gazetteer;
    use crate::text::Article;

    /// Assert, for each (report, places) row, that the report's incident
    /// locations are those places, in order.
    pub fn assert_places(table: &[(&str, &[&str])]) {
        for (text, want) in table {
            let got = places_of(text);
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// Assert, for each (report, (place, value) rows) row, the report's
    /// incident locations and one field of each, in order.
    pub fn assert_fields<V, W>(
        table: &[(&str, &[(&str, W)])],
        field: impl Fn(&crate::record::Record) -> V,
    ) where
        V: PartialEq<W> + std::fmt::Debug,
        W: std::fmt::Debug,
    {
        for (text, want) in table {
            let got: Vec<(String, V)> = records_of(text)
                .iter()
                .map(|r| (r.location.clone(), field(r)))
                .collect();
            let same = got.len() == want.len()
                && got
                    .iter()
                    .zip(want.iter())
                    .all(|(g, w)| g.0 == w.0 && g.1 == w.1);
            assert!(same, "{text:?}\n  got: {got:?}\n want: {want:?}");
        }
    }

    /// The incident locations of `text`, published 4 May 2021 (a Tuesday).
    pub fn places_of(text: &str) -> Vec<String> {
        records_of(text)
            .iter()
            .map(|r| r.location.clone())
            .collect()
    }

    /// Assert, for each (report, (place, date) rows) row, the report's
    /// incidents and their event dates, in order.
    pub fn assert_dates(table: &[(&str, &[(&str, &str)])]) {
        for (text, want) in table {
            let got = dates_of(text);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// (location, event date) of each incident of `text`, published 4 May 2021.
    pub fn dates_of(text: &str) -> Vec<(String, String)> {
        records_of(text)
            .iter()
            .map(|r| (r.location.clone(), r.event_date.clone().unwrap_or_default()))
            .collect()
    }

    pub fn records_of(text: &str) -> Vec<crate::record::Record> {
        static EX: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        let ex = EX.get_or_init(|| Extractor::new(Gazetteer::load(&Default::default()).unwrap().0));
        let art = Article {
            file: "t.txt".into(),
            path: "t.txt".into(),
            text: text.into(),
            publisher: None,
            published: chrono::NaiveDate::from_ymd_opt(2021, 5, 4),
            title: None,
            url: None,
            cut_from: None,
        };
        ex.extract(&art).incidents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Russian reports written for this test: a locative case form of a
    /// city ("в Донецке", "в Херсоне"); an adjective before "районе" names a
    /// district, not the town of that stem ("в Кировском районе Донецка" is
    /// in Donetsk, not Kirov); "В Москве назвали" is Moscow speaking.
    #[test]
    fn russian_places_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "Украинские войска обстреляли рынок в Донецке, погибли 2 человека.",
                &["Donetsk"],
            ),
            ("В Херсоне в результате обстрела ранен один человек.", &["Kherson"]),
            (
                "Украинские войска нанесли удар по рынку в Кировском районе Донецка, погибли 27 мирных жителей.",
                &["Donetsk"],
            ),
            (
                "ВСУ обстреляли Горловку, ранен один человек. В Москве назвали удар террористическим актом.",
                &["Horlivka"],
            ),
            // "расположенного близ": a description; "мирный житель": a civilian.
            (
                "Житель поселка Чернобаевка, расположенного близ Херсона, погиб в результате обстрела.",
                &["Chornobaivka"],
            ),
            (
                "Мирный житель погиб при обстреле Горловки.",
                &["Horlivka"],
            ),
        ];
        testutil::assert_places(table);
    }

    /// The role rules read the words after a place in its own sentence only:
    /// a next paragraph opening "Prime Minister" does not make the last
    /// place of a list a speaker's ("Vardenis prime minister").
    #[test]
    fn words_after_stop_at_sentence_end_table() {
        testutil::assert_places(&[(
            "Artillery shelled Jermuk, Goris and Vardenis on Monday.\n\nPrime Minister Nikol Pashinyan said Armenia had asked for help.",
            &["Jermuk", "Goris", "Vardenis"],
        )]);
    }

    /// A township, tehsil or woreda is named for its seat town, like a
    /// district: "a village in Kanbalu Township" is at Kanbalu, not at the
    /// province around it. Reports written for this test.
    #[test]
    fn township_table() {
        testutil::assert_places(&[
            (
                "Junta jets bombed a village in Kanbalu Township of Sagaing Region on Tuesday, killing 12 people.",
                &["Kanbalu"],
            ),
            (
                "Militants attacked a checkpoint in Kalat tehsil on Friday, killing two policemen.",
                &["Kalat"],
            ),
        ]);
    }

    /// "the southern region of Kherson": the area of that name (the
    /// oblast, not the city); "the region of Gori", where the gazetteer
    /// has no area of that name, stays the town. Reports written for this test.
    #[test]
    fn region_of_a_name_table() {
        let table: &[(&str, &[(&str, u8)])] = &[
            (
                "Russian forces shelled two villages in the southern region of Kherson on Sunday.",
                &[("Kherson", 3)],
            ),
            (
                "Russian forces shelled the city of Kherson on Sunday.",
                &[("Kherson", 1)],
            ),
            (
                "Artillery shelled villages in the region of Gori on Sunday.",
                &[("Gori", 1)],
            ),
        ];
        testutil::assert_fields(table, |r| r.geo_precision);
    }

    /// Stage "spelling variant": a name introduced as a place that the
    /// gazetteer spells otherwise is that place when it lies in a province
    /// the report names; a look-alike elsewhere in the country is not.
    #[test]
    fn spelling_variant_table() {
        testutil::assert_places(&[
            (
                "Gunmen overran a police post in Shahjoy district of Zabul province on Monday, killing four officers.",
                &["‘Alāqahdārī Shāh Jōy"],
            ),
            (
                "Artillery shelled Shukurbayli village of Jabrayil district on Monday.",
                &["Shukurbeyli"],
            ),
            // Only the vowels differ: "Jebalya" (refugee camp) is Jabalya.
            (
                "Israeli shells hit a school in the Jebalya refugee camp in the Gaza Strip on Tuesday, killing 30 people.",
                &["Jabalya"],
            ),
            // Russian: "села X" introduces X; the region named in the
            // sentence (its polygon) holds the village.
            (
                "Военнослужащий погиб 3 мая при обстреле позиций у села Аггедик в Карабахе.",
                &["Aggedik"],
            ),
            // Stage "adjective district": "Khivsky district" is the
            // district of Khiv; a city's own district is not a seat's.
            (
                "Gunmen opened fire on police in Dagestan's Khivsky district on Monday, killing two officers.",
                &["Khiv"],
            ),
            (
                "Shells hit the Chuhuivsky district of Izium on Monday, killing two civilians.",
                &["Izyum"],
            ),
            // The same skeleton in a country the article names, when only
            // one place there has it.
            (
                "An airstrike hit a car near the town of Nabatiyeh in southern Lebanon on Monday.",
                &["Nabatiye et Tahta"],
            ),
            // Balaghat, far south in Madhya Pradesh, is not "Balakote"; the
            // village stays unknown, so no record (stage "unknown place"
            // drops the region-level one).
            (
                "Pakistani troops shelled the village of Balakote in Jammu and Kashmir on Monday.",
                &[],
            ),
        ]);
    }

    /// Stage "only town": an article that places things only in its
    /// country names one settlement as a location, so a placeless report
    /// goes to that settlement (precision 3), not the whole country; and
    /// ("prune") a placeless report sent there on the day of a report
    /// naming the settlement is that report said again.
    #[test]
    fn only_town_table() {
        let table: &[(&str, &[(&str, u8)])] = &[
            (
                "Armenian army units are deployed near Talish.\n\nArtillery shelling killed two soldiers on Monday, the ministry of Armenia said.",
                &[("Talish", 3)],
            ),
            (
                "Azerbaijani troops shelled Armenian positions near Talish.\n\nAzerbaijani units opened fire with mortars on Tuesday, the ministry said.",
                &[("Talish", 2)],
            ),
            // Two settlements: no single town, the country stays.
            (
                "Armenian army units are deployed near Talish and Madagiz.\n\nArtillery shelling killed two soldiers on Monday, the ministry of Armenia said.",
                &[("Azerbaijan", 3)],
            ),
        ];
        testutil::assert_fields(table, |r| r.geo_precision);
    }

    /// Stage "just named": a sentence that names one village as a location
    /// but reports no incident there lends it to the next sentence's
    /// placeless report; two villages lend nothing.
    #[test]
    fn just_named_table() {
        let table: &[(&str, &[(&str, u8)])] = &[
            (
                "An Azerbaijani unit crossed the line of contact near the village of Talish on Monday.\n\nHours of fighting left eight soldiers dead, the ministry said.",
                &[("Talish", 2)],
            ),
            (
                "Azerbaijani troops took positions in Talish and Madagiz on Monday.\n\nHours of fighting left eight soldiers dead, the ministry said.",
                &[("Azerbaijan", 3)],
            ),
        ];
        testutil::assert_fields(table, |r| r.geo_precision);
    }

    /// A place name with a number after a hyphen names something else
    /// (a channel, a weapon, a unit).
    #[test]
    fn name_with_number_table() {
        testutil::assert_places(&[(
            "The channel Rustavi-2 said a mortar shell hit a house in Tamarasheni on Monday.",
            &["Tamarasheni"],
        )]);
    }

    /// "the Kharkiv, Sumy and Dnipropetrovsk regions": every name of the
    /// list is a region (Kharkiv was the city), one incident each.
    #[test]
    fn list_of_regions_table() {
        testutil::assert_places(&[(
            "Russian forces struck the Kharkiv, Sumy and Dnipropetrovsk regions on Monday, killing four civilians.",
            &["Kharkiv", "Sumy", "Dnipropetrovs'k"],
        )]);
        let precision: Vec<u8> = testutil::records_of(
            "Russian forces struck the Kharkiv, Sumy and Dnipropetrovsk regions on Monday, killing four civilians.",
        )
        .iter()
        .map(|r| r.geo_precision)
        .collect();
        assert_eq!(precision, [3, 3, 3]);
    }

    /// A relative clause's date is its own, unless the clause opens with
    /// an occurrence verb right after the event word ("a shootout which
    /// occurred late on Sunday"). Reports written for this test.
    #[test]
    fn occurrence_clause_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "A policeman was wounded in a shootout which occurred in Tskhinvali late on Sunday, officials reported.",
                &[("Ts’khinvali", "2021-05-02")],
            ),
            (
                "A policeman was wounded in a shootout that took place in Tskhinvali on Sunday.",
                &[("Ts’khinvali", "2021-05-02")],
            ),
        ];
        testutil::assert_dates(table);
    }

    /// A trigger inside a statement, with no date of its own, is the
    /// statement's subject, not an incident, unless the sentence reports
    /// its victims. Reports written for this test.
    #[test]
    fn statement_with_victims_table() {
        testutil::assert_places(&[
            (
                "The foreign ministry condemned the provocation at the Lachin checkpoint, in which a border guard was wounded.",
                &["Lachin"],
            ),
            (
                "The foreign ministry condemned the provocation at the Lachin checkpoint.",
                &[],
            ),
        ]);
    }

    /// A sniper's shot that kills is an incident with one death: "fatally
    /// shot", "shot and killed", "by a sniper". Reports written for this test.
    #[test]
    fn fatal_shot_table() {
        type Row = (&'static str, &'static [(&'static str, Option<u32>)]);
        let table: &[Row] = &[
            (
                "A conscript was fatally shot by a sniper near Yeraskh on Wednesday.",
                &[("Yeraskh", Some(1))],
            ),
            (
                "Gunmen shot and killed a shepherd outside Tovuz on Monday.",
                &[("Tovuz", Some(1))],
            ),
        ];
        testutil::assert_fields(table, |r| r.fatalities);
    }

    /// Stage "area of a place": "in the southern countryside of Idlib" after
    /// an incident place says where it lies, and the toll stays with it.
    #[test]
    fn area_of_place_table() {
        type Row = (&'static str, &'static [(&'static str, Option<u32>)]);
        let table: &[Row] = &[
            (
                "Shelling killed four civilians in the town of Kafr Nabl in the southern countryside of Idlib on Monday.",
                &[("Kafranbel", Some(4))],
            ),
            (
                "Clashes on the Kabani axis in the northern countryside of Latakia killed eight fighters on Monday.",
                &[("Kabani", Some(8))],
            ),
            // No place before it: the area is the incident's place.
            (
                "Shelling hit the southern countryside of Idlib on Monday.",
                &[("Idlib", None)],
            ),
        ];
        testutil::assert_fields(table, |r| r.fatalities);
    }

    /// Stage "just dated": a sentence with no incident and one day dates
    /// the next sentence's undated report (published Tuesday 4 May 2021).
    #[test]
    fn just_dated_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "Artillery shelled Goris on Monday. The situation near Sotk stayed tense on Saturday night. During the night, troops shelled positions near Sotk.",
                &[("Goris", "2021-05-03"), ("Sotk", "2021-05-01")],
            ),
            // Two dates: which one is not said.
            (
                "Artillery shelled Goris on Monday. The situation near Sotk stayed tense on Saturday and Sunday. During the night, troops shelled positions near Sotk.",
                &[("Goris", "2021-05-03"), ("Sotk", "2021-05-03")],
            ),
        ];
        testutil::assert_dates(table);
    }

    /// Stage "listed area": an area in one list with towns is a place of
    /// its own; an area holding the town beside it is not.
    #[test]
    fn listed_area_table() {
        testutil::assert_places(&[
            (
                "Pakistani troops shelled Uri, Keran and Gurez sectors on Monday.",
                &["Uri", "Keran", "Gurez"],
            ),
            (
                "Pakistani troops shelled Uri and the Kashmir valley on Monday.",
                &["Uri"],
            ),
        ]);
    }

    /// Stage "undated lead": the lead's report dated only by the article's
    /// day and the body's report of the same town a day either side are
    /// one incident, on the body's day; a day further apart stays apart.
    #[test]
    fn undated_lead_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "Troops are shelling Goris, the ministry says.\n\nOn Monday night artillery opened fire on Goris from the east.",
                &[("Goris", "2021-05-03")],
            ),
            // The district named after the town is the town here.
            (
                "The ministry issued a statement on the rocket attack on Barda.\n\nOn Monday the enemy shelled Barda district with rockets.",
                &[("Barda", "2021-05-03")],
            ),
            (
                "Troops are shelling Goris, the ministry says.\n\nOn Saturday artillery opened fire on Goris from the east.",
                &[("Goris", "2021-05-04"), ("Goris", "2021-05-01")],
            ),
            // The day of a report is a lead's day too: the text's own day a
            // day before is the incident's.
            (
                "Two police officers were killed in Goris, the agency reported on Tuesday.\n\nThe officers came under fire in Goris late on Monday.",
                &[("Goris", "2021-05-03")],
            ),
        ];
        testutil::assert_dates(table);
    }

    /// Stage "two names as one": two far-apart namesakes one space apart
    /// are one name the gazetteer lacks; the area named after them stays.
    #[test]
    fn two_names_as_one_table() {
        testutil::assert_places(&[
            (
                "On Tuesday mortar fire hit the Goris Kandi sector in Poonch.",
                &["Punch"],
            ),
            (
                "On Tuesday mortar fire hit Goris and Sisian.",
                &["Goris", "Sisian"],
            ),
        ]);
    }

    /// Stage "kind of event": "the second such attack" names a kind of
    /// event, not an incident of its own.
    #[test]
    fn kind_of_event_table() {
        testutil::assert_places(&[
            // Stage "participle as adjective".
            (
                "Artillery shelled Goris on Monday. Demining of the newly-liberated territories of Kapan will come first.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. Demining of the liberated villages near Kapan will come first.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. On Sunday troops liberated villages near Kapan.",
                &["Goris", "Kapan"],
            ),
            (
                "Officials said missiles struck Goris overnight, killing four people, the second such attack this week.",
                &["Goris"],
            ),
            (
                "Missiles struck Goris overnight. Such strikes on Kapan are rare.",
                &["Goris"],
            ),
        ]);
    }

    /// A history passage ("in the 90s of the last century") with no date of
    /// its own gives no incident; the report beside it still does.
    #[test]
    fn history_passage_table() {
        testutil::assert_places(&[
            (
                "Artillery shelled Goris on Monday. In the 90s of the last century, Sotk and Vardenis were shelled every week.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. Sotk was shelled on Tuesday.",
                &["Goris", "Sotk"],
            ),
        ]);
    }

    /// Stage "dateline day": an undated incident takes the dateline's day
    /// (published Tuesday 4 May 2021) when it is up to two days earlier.
    #[test]
    fn dateline_day_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "ЕРЕВАН, 3 мая. /ТАСС/. Азербайджанские военные обстреляли Капан, ранен один военнослужащий.",
                &[("Kapan", "2021-05-03")],
            ),
            (
                "YEREVAN, May 3 (Reuters) - Azerbaijani forces shelled Kapan, wounding a soldier.",
                &[("Kapan", "2021-05-03")],
            ),
            // A dateline a week old is no report day.
            (
                "YEREVAN, April 27 (Reuters) - Azerbaijani forces shelled Kapan, wounding a soldier.",
                &[("Kapan", "2021-05-04")],
            ),
        ];
        testutil::assert_dates(table);
    }

    /// Type: an attack that kills civilians, with no armed force named as
    /// a party, is violence against civilians (ACLED); soldiers killed, or an
    /// army named, keep it a battle. Reports written for this test.
    #[test]
    fn civilians_killed_type_table() {
        for (text, want) in [
            (
                "Gunmen killed 20 villagers in an attack on Goris on Monday.",
                "Violence against civilians",
            ),
            (
                "Gunmen killed 20 soldiers in an attack on Goris on Monday.",
                "Battles",
            ),
            (
                "Azerbaijani troops killed two civilians in an attack on Goris on Monday.",
                "Battles",
            ),
        ] {
            let got: Vec<String> = testutil::records_of(text)
                .iter()
                .map(|r| r.event_type.to_string())
                .collect();
            assert_eq!(got, vec![want.to_string()], "{text:?}");
        }
    }

    /// A strategic development with no place and no toll of its own is no
    /// record ("air defences shot down 45 drones"); with a place it stays.
    #[test]
    fn placeless_strategic_development_table() {
        testutil::assert_places(&[
            (
                "Russian drones struck Kharkiv on Monday. \
                 Ukraine's air force said it shot down 45 of 62 drones on Monday.",
                &["Kharkiv"],
            ),
            (
                "Russian drones struck Kharkiv on Monday. \
                 Air defences shot down 12 drones over Kherson on Tuesday.",
                &["Kharkiv", "Kherson"],
            ),
        ]);
    }

    /// Deaths told without a number and without an event word are a weak
    /// trigger (an incident when the sentence names its place or day), of
    /// the type of the report's latest incident. Reports written for this test.
    #[test]
    fn deaths_without_number_table() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)]);
        let table: &[Row] = &[
            (
                "Artillery shelled Goris on Monday. \
                 A couple and their child were killed in the village of Kapan.",
                &[
                    ("Goris", "Explosions/Remote violence"),
                    ("Kapan", "Explosions/Remote violence"),
                ],
            ),
            (
                "A farmer and his son were killed in the village of Kapan on Monday.",
                &[("Kapan", "Violence against civilians")],
            ),
            // No place and no day of its own: no incident.
            (
                "Artillery shelled Goris on Monday. A couple and their child were killed.",
                &[("Goris", "Explosions/Remote violence")],
            ),
            // A plural demonym is people.
            (
                "Gunmen killed four Armenians in Kapan on Monday.",
                &[("Kapan", "Violence against civilians")],
            ),
            (
                "Troops shot dead two men in Kapan on Monday.",
                &[("Kapan", "Battles")],
            ),
        ];
        testutil::assert_fields(table, |r| r.event_type.clone());
    }

    /// A vague recurrence ("under constant bombardment", "the ongoing border
    /// skirmishes") with no date or toll of its own is no incident; a dated
    /// one or one with a toll is. Reports written for this test.
    #[test]
    fn vague_recurrence_table() {
        testutil::assert_places(&[
            // Stage "duration": a state that lasted years.
            (
                "Artillery shelled Goris on Monday. \
                 Armenia has been fighting a war over Kapan for more than six years.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 On Sunday troops that had waited for two years attacked Sisian.",
                &["Goris", "Sisian"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 The advance came after months of continuous attacks on Kapan by tanks.",
                &["Goris"],
            ),
            // A toll bounded by "since" a date is a running total.
            (
                "Artillery shelled Goris on Monday. \
                 Mine explosions have killed 120 people in Kapan since October 2020.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 Kapan has been under constant shelling.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 Its location near Kapan made it a flashpoint in the ongoing border skirmishes.",
                &["Goris"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 Repeated shelling hit Kapan on Sunday.",
                &["Goris", "Kapan"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 The army usually fired at Kapan in the evening.",
                &["Goris"],
            ),
            // A bare "fired" is a weak trigger: with a day and a place.
            (
                "On Sunday evening, the army fired the territory of Armenia in Kapan village.",
                &["Kapan"],
            ),
            (
                "Artillery shelled Goris on Monday. \
                 Repeated shelling killed two people in Kapan.",
                &["Goris", "Kapan"],
            ),
        ]);
    }

    /// Stage "named again": "in the city" with no place of its own is the
    /// latest incident's settlement; "the city of X" is X. Reports written
    /// for this test.
    #[test]
    fn named_again_table() {
        testutil::assert_places(&[
            (
                "A missile strike hit Kapan on Monday. \
                 The governor said a second missile hit a school in the city on Monday, killing two.",
                &["Kapan"],
            ),
            (
                "A missile strike hit Kapan on Monday, killing one civilian. \
                 A second missile hit the city of Goris on Monday.",
                &["Kapan", "Goris"],
            ),
            (
                "Azerbaijani forces shelled Syunik on Monday. \
                 A shell hit a school in the town on Monday.",
                &["Syunik"],
            ),
            // The sentence's own town, named as a speaker's seat.
            (
                "Drones struck Shusha on Monday. \
                 The separatist regime in Khankendi said shelling of the town killed two civilians on Monday.",
                &["Shusha", "Khankendi"],
            ),
        ]);
    }

    /// Of two towns of one country sharing a name, the one whose own name
    /// it is wins over one that has it only as an alias (GeoNames gives
    /// the village Hats'avan the alias "Sisian", and a larger population).
    #[test]
    fn own_name_before_alias_table() {
        testutil::assert_places(&[(
            "Azerbaijani artillery shelled Sisian on Monday, the ministry said.",
            &["Sisian"],
        )]);
    }

    /// Stage "title town": a body that names no settlement takes the one
    /// the title places the news in. Reports written for this test.
    #[test]
    fn title_town_table() {
        testutil::assert_places(&[
            (
                "Five killed in mortar attack in Kapan\n\n\
                 At least five people were killed when mortar shells landed near the market on Monday, Armenian police said.",
                &["Kapan"],
            ),
            (
                "Troops fire on villages of Kapan\n\n\
                 At least five people were killed when mortar shells landed near the market on Monday, Armenian police said.",
                &["Kapan"],
            ),
            // The title names it, but not as where things happened.
            (
                "Kapan mayor says five killed\n\n\
                 At least five people were killed when mortar shells landed near the market on Monday, Armenian police said.",
                &[],
            ),
        ]);
    }

    /// A weak trigger ("mine") needs a date or a specific place of its own;
    /// a border runs for hundreds of kilometres and is not one. Reports
    /// written for this test.
    #[test]
    fn weak_trigger_on_a_border_table() {
        testutil::assert_places(&[
            (
                "Shelling hit Goris on Monday. \
                 The Armenia-Azerbaijan border runs through the mine.",
                &["Goris"],
            ),
            (
                "Shelling hit Goris on Monday. \
                 A soldier stepped on a mine on the Armenia-Azerbaijan border on Sunday.",
                &["Goris", "Armenia-Azerbaijan border"],
            ),
        ]);
    }

    /// Stage "country within region": a sentence whose only place is a
    /// country holding the article's conflict region is an incident in that
    /// region; a country that does not hold it stays. Reports written for
    /// this test.
    #[test]
    fn country_within_region_table() {
        testutil::assert_places(&[
            (
                "Armenian forces shelled villages in Nagorno-Karabakh on Monday. \
                 Later on Monday, shelling of a town in eastern Azerbaijan killed two civilians.",
                &["Nagorno-Karabakh"],
            ),
            (
                "Israeli jets struck targets in Gaza on Monday. \
                 On Tuesday rockets were fired at southern Israel.",
                &["Gaza Strip", "Israel"],
            ),
            (
                "Artillery fire hit several villages in southern Lebanon on Monday.",
                &["Lebanon"],
            ),
        ]);
    }

    /// Stage "one area" and the merge of one place, day and type family:
    /// reports written for this test, and the places.
    #[test]
    fn one_area_table() {
        let table: &[(&str, &[&str])] = &[
            // Two villages 4 km apart after "near": one area of fighting.
            (
                "Shoot-outs took place near Kut and Norabak on Monday.",
                &["Kut"],
            ),
            // Hit one by one: one incident each.
            ("Shells hit Kapan and Goris on Monday.", &["Kapan", "Goris"]),
            // One place, one day, one type family: one incident.
            (
                "Artillery shelled Kapan on Monday. Later, clashes broke out in Kapan on Monday.",
                &["Kapan"],
            ),
            // Another day: two.
            (
                "Artillery shelled Kapan on Monday. Clashes broke out in Kapan on Sunday.",
                &["Kapan", "Kapan"],
            ),
            // "near" two towns far apart: two incidents.
            (
                "Fighting went on near Kapan and Jermuk on Monday.",
                &["Kapan", "Jermuk"],
            ),
        ];
        testutil::assert_places(table);
    }

    /// The toll of an incident told over several sentences: a detail
    /// without a place of its own never lowers the toll of the report it
    /// elaborates; a sentence naming the place is a report of its own.
    #[test]
    fn elaboration_toll_table() {
        type Row<'a> = (&'a str, &'a [(&'a str, Option<u32>)]);
        let table: &[Row] = &[
            (
                "Artillery fire killed nine civilians in Kapan on Monday. \
                 One shell hit a bakery, killing its owner.",
                &[("Kapan", Some(9))],
            ),
            // The detail fills a toll the first report lacks.
            (
                "Artillery shelled Kapan on Monday. One shell hit a bakery, killing three people.",
                &[("Kapan", Some(3))],
            ),
            // Stage "more victims": "two more" are victims of the kind
            // reported before, in a place of their own.
            (
                "Air strikes killed nine civilians in Kapan on Monday. Two more were killed in Goris.",
                &[("Kapan", Some(9)), ("Goris", Some(2))],
            ),
            // An article is no number: no second incident.
            (
                "Air strikes killed nine civilians in Kapan on Monday. A more exact list of those killed was read out in Goris.",
                &[("Kapan", Some(9))],
            ),
            // Named again with a lower toll: the lowest figure stays.
            (
                "Strikes killed 12 people in Kapan on Monday, officials said. \
                 In Kapan, four people were killed near a school, medics said.",
                &[("Kapan", Some(4))],
            ),
        ];
        testutil::assert_fields(table, |r| r.fatalities);
    }

    /// Event types set by the sentence: force against protesters, riots.
    #[test]
    fn event_type_table() {
        let table: &[(&str, &str)] = &[
            (
                "Security forces opened fire on protesters in Goris on Sunday, wounding four.",
                "Excessive force against protesters",
            ),
            (
                "In Kapan, protesters clashed with police on Sunday.",
                "Violent demonstration",
            ),
            (
                "Troops opened fire on positions near Goris on Sunday.",
                "Armed clash",
            ),
        ];
        for (text, want) in table {
            let got = testutil::records_of(text);
            assert!(
                got.iter().any(|r| r.sub_event_type == *want),
                "{text:?}: {:?}",
                got.iter().map(|r| &r.sub_event_type).collect::<Vec<_>>()
            );
        }
    }

    /// Words of killing and of bombs (triggers.tsv): each report makes an
    /// incident of its type, in English and Russian.
    #[test]
    fn violence_words_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "Two shepherds were stabbed near Goris on Sunday.",
                &[("Goris", "Violence against civilians")],
            ),
            (
                "A teacher was beaten to death in Kapan on Sunday.",
                &[("Kapan", "Violence against civilians")],
            ),
            (
                "Three farmers were hacked to death in Kapan on Sunday, the police said.",
                &[("Kapan", "Violence against civilians")],
            ),
            (
                "A mayor was assassinated in Goris on Sunday.",
                &[("Goris", "Violence against civilians")],
            ),
            (
                "Aircraft bombed Kapan on Sunday.",
                &[("Kapan", "Explosions/Remote violence")],
            ),
            (
                "A blast tore through the market of Goris on Sunday.",
                &[("Goris", "Explosions/Remote violence")],
            ),
            (
                "A device exploded beside a bus in Kapan on Sunday.",
                &[("Kapan", "Explosions/Remote violence")],
            ),
            (
                "В воскресенье в Капане прогремел взрыв.",
                &[("Kapan", "Explosions/Remote violence")],
            ),
            (
                "В воскресенье в Горисе неизвестный застрелил полицейского.",
                &[("Goris", "Battles")],
            ),
            // A weapon named beside a weak word of attack sets the type.
            (
                "On Sunday the enemy launched attacks on Kapan using cluster bombs.",
                &[("Kapan", "Explosions/Remote violence")],
            ),
            // "стрельба" (shooting) with places and a date of its own.
            (
                "В воскресенье стрельба велась по позициям у Гориса.",
                &[("Goris", "Battles")],
            ),
            (
                "On Monday a ceasefire was declared in Nagorno-Karabakh.",
                &[("Nagorno-Karabakh", "Strategic developments")],
            ),
            (
                "On Monday the parties announced a cessation of hostilities in Syunik.",
                &[("Syunik", "Strategic developments")],
            ),
        ];
        testutil::assert_fields(table, |r| r.event_type.clone());
    }

    /// Russian: a district's adjective inserts -ин- after a name in -ы/-и
    /// ("Хызинский район" of Хызы, "Физулинский" of Физули); "ракеты" is
    /// an event word.
    #[test]
    fn russian_district_adjective_table() {
        testutil::assert_places(&[
            (
                "В воскресенье ракеты упали в Физулинском районе.",
                &["Fuzuli"],
            ),
            ("В воскресенье ракеты упали в Хызинском районе.", &["Khizi"]),
        ]);
    }

    /// An undated event word beside a past date after "following" or
    /// "after" is background; a dated report keeps its day.
    #[test]
    fn after_background_table() {
        testutil::assert_places(&[
            (
                "Kapan lies near the border, with rebels claiming control of the town following weeks of fighting last year.",
                &[],
            ),
            (
                "Shells hit Goris on Monday following weeks of fighting last year.",
                &["Goris"],
            ),
        ]);
    }

    /// Stage "clause tolls": places in clauses of their own keep their own
    /// tolls; a contrasting "while" opens a main clause, not a relative one.
    #[test]
    fn clause_tolls_table() {
        type Row<'a> = (&'a str, &'a [(&'a str, Option<u32>)]);
        let table: &[Row] = &[
            (
                "Shelling killed nine people in Goris on Monday while two others were killed in Kapan.",
                &[("Goris", Some(9)), ("Kapan", Some(2))],
            ),
            // An official is a civilian victim, counted with the group before.
            (
                "Two journalists and a local official died in a mine blast in Kapan on Monday.",
                &[("Kapan", Some(3))],
            ),
            (
                "Nine people, among them a boy, died in the strikes on Goris on Monday, and two others were killed in the town of Kapan.",
                &[("Goris", Some(9)), ("Kapan", Some(2))],
            ),
            // One toll for both: neither place alone has it.
            (
                "Shelling of Goris and Kapan on Monday killed nine people.",
                &[("Goris", None), ("Kapan", None)],
            ),
            // Stage "victims before an aside": the victims stand before the
            // appositive, the death word after it.
            (
                "Three civilians, two women and a child, were killed in Kapan on Monday.",
                &[("Kapan", Some(3))],
            ),
            (
                "Two soldiers, both conscripts, died in Goris on Monday.",
                &[("Goris", Some(2))],
            ),
            // The toll of a whole war, in a clause of its own, is a total.
            (
                "Shelling hit Goris on Monday in a war that has already cost more than 1,000 lives.",
                &[("Goris", None)],
            ),
        ];
        testutil::assert_fields(table, |r| r.fatalities);
    }

    /// Role words: "the border in X" is a place, not a speaker's seat; a
    /// district named for its town says where a sector lies; where a
    /// visitor arrives is no incident place.
    #[test]
    fn role_words_table() {
        testutil::assert_places(&[
            (
                "A soldier was killed on the border in Horadiz on Monday.",
                &["Horadiz"],
            ),
            (
                "Troops exchanged fire in the Ramgarh sector of Samba district on Monday.",
                &["Ramgarh"],
            ),
            (
                "Shells hit Kapan on Monday, hours before the minister was to arrive in Goris.",
                &["Kapan"],
            ),
            // A district named for its seat is at the seat, not the province.
            (
                "Two customs officers were killed in a firefight in the Gali district on Sunday.",
                &["Gali"],
            ),
            // ...and after a place in it, says where that place lies.
            (
                "Mortar shells killed five civilians in Mendhar sector of the Line of Control in Jammu and Kashmir's Poonch district on Sunday.",
                &["Mendhar"],
            ),
        ]);
    }

    /// Villages the gazetteer lacks are placed at the districts the text
    /// names, one incident each; a district beside its own town, or before
    /// a settlement it holds, adds none.
    #[test]
    fn district_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "On Sunday troops shelled Zorbalan village of Aghdam district and Qorbalan village of Fuzuli district.",
                &["Aghdam", "Fuzuli"],
            ),
            (
                "On Sunday troops shelled a height near the town of Horadiz in Fuzuli district.",
                &["Horadiz"],
            ),
            // A district, a comma, then a settlement written as one: where
            // it lies (as regional bulletins list their places).
            (
                "On Sunday the shelling hit Izium district, Balakliia town.",
                &["Balakliya"],
            ),
            (
                "On Sunday the shelling hit Bohodukhiv district, the village of Krasnokutsk.",
                &["Krasnokutsk"],
            ),
            // A village the gazetteer lacks: the district stays.
            (
                "On Sunday the shelling hit Tovuz district, Qaraqoyunlu village.",
                &["Tovuz"],
            ),
            // A namesake far from the district's seat is not the village meant.
            (
                "On Sunday the shelling hit Tovuz district, Goris village.",
                &["Tovuz"],
            ),
        ];
        testutil::assert_places(table);
    }

    /// Capitalized event words inside names are not triggers; headlines in
    /// title case keep theirs.
    #[test]
    fn proper_name_table() {
        let table: &[(&str, usize, usize, bool)] = &[
            (
                "Villages lie near the Sotk Gold Mine, officials said.",
                32,
                36,
                true,
            ),
            (
                "The army said that Operation Iron Strike began near the border.",
                34,
                40,
                true,
            ),
            ("Clashes broke out on Monday.", 0, 7, false),
            (
                "Armenian Capital Comes Under Artillery Fire Again",
                29,
                38,
                false,
            ),
            ("A mine exploded near the road.", 2, 6, false),
        ];
        for (st, a, b, want) in table {
            assert_eq!(
                in_proper_name(st, *a, *b),
                *want,
                "{:?} in {st:?}",
                &st[*a..*b]
            );
        }
    }

    /// Placeless incidents go to the town the article is about, when it
    /// names one often; else to its region.
    #[test]
    fn focus_town_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "Fighting raged in Nagorno-Karabakh on Saturday. The situation around the town of Tartar was critical. The mayor of Tartar said Tartar was calm.\n\nAt least four civilians were killed in the fighting on Sunday.",
                &["Nagorno-Karabakh", "Tartar"],
            ),
            (
                "Fighting raged in Nagorno-Karabakh on Saturday. The mayor of Tartar said the town was calm.\n\nAt least four civilians were killed in the fighting on Sunday.",
                &["Nagorno-Karabakh", "Nagorno-Karabakh"],
            ),
            // The speakers' seat is named most, but another town is placed
            // more often: no focus town, the placeless report goes to the region.
            (
                "Fighting raged in Nagorno-Karabakh on Saturday. Schools in Goris stayed open. Officials in Goris and the mayor of Goris spoke to Reuters. Shells hit Tartar and later Tartar again, a spokesman in Goris said.\n\nAt least four civilians were killed in the fighting on Sunday.",
                &["Nagorno-Karabakh", "Tartar", "Nagorno-Karabakh"],
            ),
        ];
        testutil::assert_places(table);
    }

    /// Event dates, on reports written for this test (published Tuesday 4 May 2021).
    #[test]
    fn event_dates_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // The day of the claim is not the day of the event.
            (
                "Kapan came under artillery fire, the ministry said on Friday, early on Sunday.",
                &[("Kapan", "2021-05-02")],
            ),
            // "killed dozens" with the day of the attack is one incident, not
            // a running total; "told AFP on Monday" is the day of the claim.
            (
                "Gunmen killed dozens of villagers on Sunday in an attack on Kapan, officials told AFP on Monday.",
                &[("Kapan", "2021-05-02")],
            ),
            (
                "Drones struck Goris on Sunday, the ministry said in a statement on Monday.",
                &[("Goris", "2021-05-02")],
            ),
            // A word after a curly quote before the date (no panic).
            (
                "Artillery shelled Kapan and al-‘Eis on 2 May 2021, killing two people.",
                &[("Kapan", "2021-05-02")],
            ),
            // A place dated earlier keeps its date when named again.
            (
                "On Sunday, rockets hit Kapan. On Monday drones struck Vardenis.\n\nThe rebels said the attacks on Kapan were revenge.",
                &[("Kapan", "2021-05-02"), ("Vardenis", "2021-05-03")],
            ),
        ];
        testutil::assert_dates(table);
    }

    /// Clauses break after , ; : ( ) and dashes (not inside numbers) and
    /// before relative words; a clause after a break that opens with a
    /// relative word is relative too; "that" after a verb of reporting
    /// opens what was reported, a main clause.
    #[test]
    fn clause_spans_table() {
        let cases: &[(&str, &[(&str, bool)])] = &[
            ("two were killed", &[("two were killed", false)]),
            (
                "it was reported that in april the hill was taken",
                &[
                    ("it was reported ", false),
                    ("that in april the hill was taken", false),
                ],
            ),
            (
                "the hill that the army took in april",
                &[("the hill ", false), ("that the army took in april", true)],
            ),
            (
                "shelling, which began at 14:30, killed 30,000 people",
                &[
                    ("shelling,", false),
                    (" ", false),
                    ("which began at 14:30,", true),
                    (" killed 30,000 people", false),
                ],
            ),
            (
                "the army—it said—fired (again); troops who fled",
                &[
                    ("the army—", false),
                    ("it said—", false),
                    ("fired (", false),
                    ("again)", false),
                    (";", false),
                    (" troops ", false),
                    ("who fled", true),
                ],
            ),
            (
                "şuşa – the town where fighting began",
                &[
                    ("şuşa –", false),
                    (" the town ", false),
                    ("where fighting began", true),
                ],
            ),
            (
                "a 2–3 km zone: 5:2",
                &[("a 2–", false), ("3 km zone:", false), (" 5:2", false)],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<(&str, bool)> = clauses_of(&lexicon::Lex::new(text))
                .into_iter()
                .map(|(a, b, rel)| (&text[a..b], rel))
                .collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }
}
