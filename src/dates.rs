//! Dates: finding date expressions in sentences and resolving them against
//! the article's publication date (CODEBOOK section 3).
//!
//! [`find_dates`] tokenizes a sentence (words, numbers, punctuation; no
//! regular expressions), matches date patterns over the tokens and resolves
//! each one against a [`DateContext`]:
//!
//! - weekdays ("on Thursday", "late Sunday", "Thursday's attack") are the most
//!   recent such day on or before publication (publication day counts);
//!   "last Thursday" is strictly before, "next Thursday" strictly after;
//! - "today", "tonight", "this morning" = publication day; "yesterday",
//!   "last night", bare "overnight", "the day before" = the day before;
//!   "N days ago" = N days before;
//! - "this week" / "earlier this week" = `Week(published)`, "last week" =
//!   `Week(published - 7)`, "over the weekend" = `Week(last Saturday)`;
//! - "March 5", "5 March", "March 5th", "the 5th of March", "March the 5th",
//!   "Oct. 12", "April 7-8" / "April 7 to 8" / "overnight April 7-8" (first
//!   day), "March 24 and 25" (two days), "12 October 2020",
//!   "October 12, 2020"; without a year: the latest such date on or before
//!   publication + 1 day (a report filed after midnight);
//! - "November 2020", "March of 2016" = Month; "in March" (bare month names
//!   need a cue word before them: in/on/since/of/early/mid-/...) = the latest
//!   such month ("next March": the next one); "last month", "this month" = Month;
//! - "in 2010", "1991-1994", "between 1991 and 1994", "the early 1990s",
//!   "in the fall of 2020", "spring 2016", "last year" = Year (first year of
//!   a range; decades give their first year; seasons keep year precision);
//! - ISO "2023-03-05" and numeric "05.03.2023", "3/5/2023": when the
//!   day-first and month-first readings differ, (1) a weekday written next to
//!   the date, (2) a weekday named in the sentence, then in the article
//!   (`ctx.weekdays`) that agrees with exactly one reading wins, (3) else the
//!   only reading not after publication + 1 day, (4) else day-first (the
//!   default for non-US outlets);
//! - "in recent days/weeks/months", "recently", "over the past few days",
//!   "the past 48 hours", "a few days ago" = [`DateValue::Recent`];
//! - without a publication date, a month-day takes its year from
//!   `ctx.latest_year` or the year before, whichever makes a weekday named in
//!   the sentence (then the article) agree; weekdays are then resolved
//!   against the latest such date in the same sentence.
//!
//! Qualifiers: "since" up to ten words before the date in the same clause
//! ("since a cease-fire was declared in May 1994"); "until"/"till" and
//! "before"/"prior to"/"ahead of", "after"/"following" up to three words
//! before; "by" directly before ("by 2030", "by the end of 2030").
//!
//! Counts ("13 dead", "2,000 peacekeepers", "6,500 lives", "some 2000
//! people"), times ("19:02"), decimals, percentages, money and distances are
//! not dates; lowercase "may"/"march" are never months.

mod scan;

/// The value of a lowercase English number word ("four" -> 4, "a" -> 1).
pub fn number_word(word: &str) -> Option<u32> {
    scan::number_word(word).map(|n| n as u32)
}

/// The month (1-12) a full or abbreviated English month name stands for
/// ("March", "sept", "Oct."), ignoring case and a trailing period.
pub fn month_number(word: &str) -> Option<u32> {
    scan::month_number(&word.trim_end_matches('.').to_lowercase())
}

use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::record::DatePrecision;
use scan::{Kind, Raw, RawMention, Tok, WdRel};

/// What a date expression resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// One day ("on Thursday", "March 5", "the night of April 7-8" -> April 7).
    Day(NaiveDate),
    /// A few days ending on a known day ("this week", "over the weekend").
    Week(NaiveDate),
    /// A month ("last month", "in March 2016").
    Month { year: i32, month: u32 },
    /// A year ("in 2010", "1991-1994" -> 1991).
    Year(i32),
    /// A vague recent period with no date of its own ("in recent days",
    /// "over the past 48 hours", "repeatedly").
    Recent,
}

impl DateValue {
    /// The `event_date` and `date_precision` written for this value.
    pub fn to_event_date(self) -> (Option<String>, DatePrecision) {
        match self {
            DateValue::Day(d) => (Some(d.format("%Y-%m-%d").to_string()), DatePrecision::Day),
            DateValue::Week(d) => (Some(d.format("%Y-%m-%d").to_string()), DatePrecision::Week),
            DateValue::Month { year, month } => {
                (Some(format!("{year:04}-{month:02}")), DatePrecision::Month)
            }
            DateValue::Year(y) => (Some(format!("{y:04}")), DatePrecision::Year),
            DateValue::Recent => (None, DatePrecision::Unknown),
        }
    }

    /// The last day this value could mean (for background tests).
    pub fn latest_day(self) -> Option<NaiveDate> {
        match self {
            DateValue::Day(d) | DateValue::Week(d) => Some(d),
            DateValue::Month { year, month } => {
                let (y, m) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
            }
            DateValue::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            DateValue::Recent => None,
        }
    }

    /// Background: the whole value lies more than `days` before publication,
    /// or it is a past year as a whole ("recaptured last year" in February:
    /// a report dates a recent event by its day or month, not its year).
    pub fn is_before(self, published: NaiveDate, days: i64) -> bool {
        if let DateValue::Year(y) = self {
            if y < published.year() {
                return true;
            }
        }
        self.latest_day()
            .is_some_and(|d| (published - d).num_days() > days)
    }
}

/// A word that turns a date into a boundary rather than the event's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    None,
    /// "since May 1994"
    Since,
    /// "until 2044", "by 2030"
    Until,
    /// "before March 5"
    Before,
    /// "after the 2020 war"
    After,
}

/// One date expression in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte range within the sentence text passed to [`find_dates`].
    pub start: usize,
    pub end: usize,
    pub value: DateValue,
    pub qualifier: Qualifier,
}

/// What resolution needs to know about the article.
#[derive(Debug, Clone, Default)]
pub struct DateContext {
    /// Publication date (manifest, header line, or inferred).
    pub published: Option<NaiveDate>,
    /// Weekdays the article names ("on Saturday"), for day/month order and year inference.
    pub weekdays: Vec<Weekday>,
    /// The latest year the article names, for articles without a publication date.
    pub latest_year: Option<i32>,
    /// Every year the article names explicitly (not as an "until" bound),
    /// kept so that [`DateContext::with_published`] needs no second scan.
    years: Vec<i32>,
}

impl DateContext {
    /// Build the context from the article text and a known publication date:
    /// the weekdays the text names (in order of first appearance) and the
    /// latest year it names (ignoring "until 2044" / "by 2030" boundaries
    /// and, when `published` is known, years after it).
    pub fn new(published: Option<NaiveDate>, text: &str) -> DateContext {
        DateContext::from_tokens(published, &Tokens::new(text))
    }

    /// [`DateContext::new`] from the text's [`Tokens`].
    pub fn from_tokens(published: Option<NaiveDate>, tokens: &Tokens<'_>) -> DateContext {
        let toks = &tokens.toks;
        let mut weekdays = Vec::new();
        for t in toks {
            if let Some(wd) = scan::weekday_word(t) {
                if !weekdays.contains(&wd) {
                    weekdays.push(wd);
                }
            }
        }
        let raws = scan::scan(toks);
        let mut years = Vec::new();
        let mut floor = 0;
        for r in &raws {
            let q = qualifier(toks, r.first_tok, floor);
            floor = r.last_tok + 1;
            if q == Qualifier::Until {
                continue;
            }
            years.extend(r.raw.explicit_year());
        }
        DateContext {
            published: None,
            weekdays,
            latest_year: None,
            years,
        }
        .with_published(published)
    }

    /// The same article's context with another publication date: the same
    /// as [`DateContext::new`] with `published`, without scanning the text again.
    pub fn with_published(&self, published: Option<NaiveDate>) -> DateContext {
        let latest_year = self
            .years
            .iter()
            .copied()
            .filter(|&y| published.is_none_or(|p| y <= p.year()))
            .max();
        DateContext {
            published,
            weekdays: self.weekdays.clone(),
            latest_year,
            years: self.years.clone(),
        }
    }
}

/// Every date expression in a sentence, resolved against the context.
///
/// Offsets are byte offsets into `sentence`, in order, never overlapping.
/// Expressions that cannot be resolved (e.g. "on Thursday" with no
/// publication date and no dated anchor in the sentence) are left out.
pub fn find_dates(sentence: &str, ctx: &DateContext) -> Vec<DateMention> {
    dates_of_tokens(&scan::tokenize(sentence), 0, ctx)
}

/// A text split into date tokens once, so that the dates of each of its
/// sentences ([`Tokens::find_dates`]) and the article's [`DateContext`]
/// need no tokenizing of their own.
pub struct Tokens<'a> {
    text: &'a str,
    toks: Vec<Tok<'a>>,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Tokens<'a> {
        Tokens {
            text,
            toks: scan::tokenize(text),
        }
    }

    /// [`find_dates`] on `text[range]` (offsets relative to `range.start`).
    /// A token running across either end of the range (which a sentence
    /// boundary never should) makes it tokenize the range on its own.
    pub fn find_dates(&self, range: Range<usize>, ctx: &DateContext) -> Vec<DateMention> {
        let lo = self.toks.partition_point(|t| t.start < range.start);
        let hi = self.toks.partition_point(|t| t.start < range.end);
        let clean_start = lo == 0 || self.toks[lo - 1].end <= range.start;
        let clean_end = hi == lo || self.toks[hi - 1].end <= range.end;
        if clean_start && clean_end {
            dates_of_tokens(&self.toks[lo..hi], range.start, ctx)
        } else {
            find_dates(&self.text[range], ctx)
        }
    }
}

/// The dates of a run of tokens, offsets relative to `base`.
fn dates_of_tokens(toks: &[Tok<'_>], base: usize, ctx: &DateContext) -> Vec<DateMention> {
    let raws = scan::scan(toks);
    // Every weekday the sentence names, including one written with a date
    // ("Tuesday, July 16"), settles day/month order and a missing year.
    let sent_wds: Vec<Weekday> = toks.iter().filter_map(scan::weekday_word).collect();
    let mut values: Vec<Option<DateValue>> = raws
        .iter()
        .map(|r| match r.raw {
            Raw::Weekday { .. } => None,
            raw => resolve(raw, ctx, &sent_wds),
        })
        .collect();
    // Weekdays: against publication, or else the latest day in the sentence.
    let anchor = ctx.published.or_else(|| {
        values
            .iter()
            .filter_map(|v| match v {
                Some(DateValue::Day(d)) => Some(*d),
                _ => None,
            })
            .max()
    });
    for (r, v) in raws.iter().zip(values.iter_mut()) {
        if let (Raw::Weekday { wd, rel }, Some(a)) = (r.raw, anchor) {
            *v = weekday_from(a, wd, rel).map(DateValue::Day);
        }
    }
    let mut out = Vec::new();
    let mut floor = 0;
    for (r, v) in raws.iter().zip(values) {
        let q = qualifier(toks, r.first_tok, floor);
        floor = r.last_tok + 1;
        if let Some(value) = v {
            let value = night_before(toks, r.first_tok, value);
            let mut m = mention(toks, r, value, q);
            m.start -= base;
            m.end -= base;
            out.push(m);
        }
    }
    out
}

/// "в ночь на 12 июля" (the night into July 12) is July 11, the first day
/// of the night (CODEBOOK section 3): the words right before a day that the
/// vocabulary's `night-cues` list, with the days to add.
fn night_before(toks: &[Tok], first: usize, value: DateValue) -> DateValue {
    let DateValue::Day(d) = value else {
        return value;
    };
    static CUES: std::sync::OnceLock<Vec<(Vec<&'static str>, i64)>> = std::sync::OnceLock::new();
    let cues = CUES.get_or_init(|| {
        crate::vocab::get()
            .rows("night-cues")
            .iter()
            .map(|r| (r[0].split_whitespace().collect(), r[1].parse().unwrap_or(0)))
            .collect()
    });
    for (words, days) in cues {
        if words.len() > first {
            continue;
        }
        let before = &toks[first - words.len()..first];
        let same = before
            .iter()
            .zip(words.iter())
            .all(|(t, w)| t.kind == scan::Kind::Word && t.lower == *w);
        if same {
            return DateValue::Day(d + chrono::Duration::days(*days));
        }
    }
    value
}

fn mention(toks: &[Tok], r: &RawMention, value: DateValue, qualifier: Qualifier) -> DateMention {
    DateMention {
        start: toks[r.first_tok].start,
        end: toks[r.last_tok].end,
        value,
        qualifier,
    }
}

/// A publication date read from a header line ("HuffPost 2/04/2016",
/// "12 October 2020, 19:02", "April 8, 2016 - 10:57 AMT", "Feb 13 2024",
/// "Published: 2024-02-13", "Monday, 6 March 2023").
///
/// Needs a full date (day, month, year). A day and month without a year near
/// the start of the line ("YEREVAN, JULY 16, ARMENPRESS.") are used only when
/// the context supplies a year (`published` or `latest_year`). Ambiguous
/// numeric dates follow the rules of [`find_dates`].
pub fn header_date(line: &str, ctx: &DateContext) -> Option<NaiveDate> {
    let toks = scan::tokenize(line);
    let raws = scan::scan(&toks);
    let sent_wds: Vec<Weekday> = toks.iter().filter_map(scan::weekday_word).collect();
    for r in &raws {
        match r.raw {
            Raw::Full(d) => return Some(d),
            Raw::Ambiguous {
                day_first,
                month_first,
            } => return resolve_ambiguous(day_first, month_first, ctx, &sent_wds),
            _ => {}
        }
    }
    if ctx.published.is_none() && ctx.latest_year.is_none() {
        return None;
    }
    raws.iter()
        .filter(|r| r.first_tok < 8)
        .find_map(|r| match r.raw {
            Raw::MonthDay { month, day } => resolve_month_day(month, day, ctx, &sent_wds),
            _ => None,
        })
}

/// The publication date from an article's first lines: the first of (at most
/// eight) non-empty lines of up to 200 characters that [`header_date`] reads,
/// preferring a line that says "published"/"posted" over the others.
/// Build `ctx` with [`DateContext::new`]`(None, text)` so that the weekdays
/// the article names can settle "2/04/2016".
pub fn infer_publication_date(lines: &[&str], ctx: &DateContext) -> Option<NaiveDate> {
    let header: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(8)
        .filter(|l| l.len() <= 200)
        .collect();
    let marked = |l: &&&str| {
        let l = l.to_lowercase();
        l.contains("publish") || l.contains("posted")
    };
    header
        .iter()
        .filter(marked)
        .find_map(|l| header_date(l, ctx))
        .or_else(|| header.iter().find_map(|l| header_date(l, ctx)))
}

/// Resolve one raw expression (weekdays are resolved by the caller).
fn resolve(raw: Raw, ctx: &DateContext, sent_wds: &[Weekday]) -> Option<DateValue> {
    let p = ctx.published;
    let v = match raw {
        Raw::Full(d) => DateValue::Day(d),
        Raw::Ambiguous {
            day_first,
            month_first,
        } => DateValue::Day(resolve_ambiguous(day_first, month_first, ctx, sent_wds)?),
        Raw::MonthDay { month, day } => {
            DateValue::Day(resolve_month_day(month, day, ctx, sent_wds)?)
        }
        Raw::MonthYear { year, month } => DateValue::Month { year, month },
        Raw::MonthOnly { month, year_rel } => {
            let year = match (p, year_rel) {
                (Some(p), Some(r)) => p.year() + r,
                (Some(p), None) => {
                    let p1 = p.succ_opt().unwrap_or(p);
                    if month <= p1.month() {
                        p1.year()
                    } else {
                        p1.year() - 1
                    }
                }
                (None, _) => ctx.latest_year?,
            };
            DateValue::Month { year, month }
        }
        Raw::MonthNext { month } => {
            let p = p?;
            let year = if month > p.month() {
                p.year()
            } else {
                p.year() + 1
            };
            DateValue::Month { year, month }
        }
        Raw::Year(y) => DateValue::Year(y),
        Raw::Weekday { .. } => return None,
        Raw::DayRel(n) => DateValue::Day(add_days(p?, n)?),
        Raw::WeekRel(n) => DateValue::Week(add_days(p?, n)?),
        Raw::Weekend => DateValue::Week(weekday_from(p?, Weekday::Sat, WdRel::OnOrBefore)?),
        Raw::MonthRel(n) => {
            let p = p?;
            let first = p.with_day(1)?;
            let d = if n >= 0 {
                first.checked_add_months(Months::new(n as u32))?
            } else {
                first.checked_sub_months(Months::new(n.unsigned_abs()))?
            };
            DateValue::Month {
                year: d.year(),
                month: d.month(),
            }
        }
        Raw::YearRel(n) => DateValue::Year(p?.year() + n),
        Raw::Recent => DateValue::Recent,
    };
    Some(v)
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

/// The weekday `wd` relative to `base`.
fn weekday_from(base: NaiveDate, wd: Weekday, rel: WdRel) -> Option<NaiveDate> {
    let back =
        (7 + base.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
    match rel {
        WdRel::OnOrBefore => add_days(base, -back),
        WdRel::Last => add_days(base, if back == 0 { -7 } else { -back }),
        WdRel::Next => add_days(base, 7 - back),
        WdRel::EveOf => add_days(base, -back - 1),
    }
}

/// "March 5" without a year: the latest on or before publication + 1 day;
/// without publication, `latest_year` or the year before, by weekday.
fn resolve_month_day(
    month: u32,
    day: u32,
    ctx: &DateContext,
    sent_wds: &[Weekday],
) -> Option<NaiveDate> {
    if let Some(p) = ctx.published {
        let limit = p.succ_opt().unwrap_or(p);
        return (0..=8).find_map(|back| {
            NaiveDate::from_ymd_opt(limit.year() - back, month, day).filter(|d| *d <= limit)
        });
    }
    let y = ctx.latest_year?;
    let cands: Vec<NaiveDate> = [y, y - 1]
        .iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(*y, month, day))
        .collect();
    // A weekday written with the date may also point to the year after the
    // latest one named ("since 2023 ... Tuesday, July 16" in 2024).
    let with_next: Vec<NaiveDate> = cands
        .iter()
        .copied()
        .chain(NaiveDate::from_ymd_opt(y + 1, month, day))
        .collect();
    if let Some(d) = with_next.iter().find(|d| sent_wds.contains(&d.weekday())) {
        return Some(*d);
    }
    if let Some(d) = cands.iter().find(|d| ctx.weekdays.contains(&d.weekday())) {
        return Some(*d);
    }
    cands.first().copied()
}

/// Choose between the day-first and month-first readings of a numeric date.
fn resolve_ambiguous(
    day_first: Option<NaiveDate>,
    month_first: Option<NaiveDate>,
    ctx: &DateContext,
    sent_wds: &[Weekday],
) -> Option<NaiveDate> {
    let (a, b) = match (day_first, month_first) {
        (Some(a), Some(b)) if a != b => (a, b),
        (a, b) => return a.or(b),
    };
    for wds in [sent_wds, ctx.weekdays.as_slice()] {
        let ma = wds.contains(&a.weekday());
        let mb = wds.contains(&b.weekday());
        if ma != mb {
            return Some(if ma { a } else { b });
        }
    }
    if let Some(p) = ctx.published {
        let limit = p.succ_opt().unwrap_or(p);
        if (a <= limit) != (b <= limit) {
            return Some(if a <= limit { a } else { b });
        }
    }
    Some(a)
}

/// Clause punctuation that ends the look-back for a qualifier.
const CLAUSE_STOPS: &[&str] = &[
    ",", ";", ":", ".", "(", ")", "\"", "“", "”", "!", "?", "[", "]", "—", "–",
];

/// The qualifier governing a date that starts at token `first`, looking back
/// no further than token `floor` (the end of the previous date).
fn qualifier(toks: &[Tok], first: usize, floor: usize) -> Qualifier {
    const BY_FILLERS: &[&str] = &[
        "the",
        "end",
        "of",
        "early",
        "late",
        "mid",
        "middle",
        "start",
        "beginning",
        "close",
    ];
    // "before dawn on Sunday", "after 10 pm on Saturday": a time of day, not a boundary.
    const TIMES_OF_DAY: &[&str] = &[
        "dawn",
        "midnight",
        "noon",
        "midday",
        "dusk",
        "sunrise",
        "sunset",
        "daybreak",
        "nightfall",
        "dark",
        "pm",
        "am",
        "hours",
        "clock",
    ];
    let mut words = 0usize;
    let mut only_by_fillers = true;
    let mut time_of_day = false;
    let mut j = first;
    while j > floor {
        j -= 1;
        let t = &toks[j];
        match t.kind {
            Kind::Punct => {
                if CLAUSE_STOPS.contains(&t.text) {
                    break;
                }
                continue;
            }
            Kind::Num => {
                words += 1;
                only_by_fillers = false;
                time_of_day = true;
            }
            Kind::Word => {
                let w = t.lower.as_ref();
                match w {
                    "since" => {
                        return if words <= 10 {
                            Qualifier::Since
                        } else {
                            Qualifier::None
                        }
                    }
                    "until" | "till" | "til" | "untill" if words <= 3 && !time_of_day => {
                        return Qualifier::Until;
                    }
                    "by" if only_by_fillers => return Qualifier::Until,
                    "before" | "prior" | "ahead" if words <= 3 && !time_of_day => {
                        return Qualifier::Before
                    }
                    "after" | "following" if words <= 3 && !time_of_day => return Qualifier::After,
                    "but" | "while" | "whereas" | "although" | "though" | "because" | "when"
                    | "which" | "who" | "where" => break,
                    _ => {}
                }
                if TIMES_OF_DAY.contains(&w) {
                    time_of_day = true;
                }
                if !BY_FILLERS.contains(&w) {
                    only_by_fillers = false;
                }
                words += 1;
            }
        }
        if words > 10 {
            break;
        }
    }
    Qualifier::None
}

#[cfg(test)]
mod tests;
