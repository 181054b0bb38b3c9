//! Tokenizer and pattern matcher: finds raw (not yet resolved) date
//! expressions in a piece of text. Resolution against the publication date
//! lives in the parent module.
//!
//! The text is split into words (runs of alphabetic characters), numbers
//! (digit groups joined by `/ . - – — : ,` when a digit follows, plus an
//! attached ASCII suffix such as `th` or `s`) and single punctuation
//! characters. Patterns are then matched over tokens, so every offset is a
//! character boundary and no input can make the scanner panic.

use std::borrow::Cow;

use chrono::{NaiveDate, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone)]
pub(super) struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub kind: Kind,
    /// Words: the lowercased text (borrowed when the word is already lowercase ASCII).
    pub lower: Cow<'a, str>,
    /// Numbers: their parts (see [`Tok::groups`]); other tokens: none, so
    /// that tokens stay small (most are words).
    num: Option<Box<NumParts<'a>>>,
}

/// The parts of a number token.
#[derive(Debug, Clone, PartialEq)]
struct NumParts<'a> {
    groups: Vec<&'a str>,
    seps: Vec<char>,
    suffix: &'a str,
}

impl<'a> Tok<'a> {
    /// Numbers: the digit groups (empty for other tokens).
    pub fn groups(&self) -> &[&'a str] {
        self.num.as_ref().map_or(&[], |n| &n.groups)
    }

    /// Numbers: the separators between the groups.
    pub fn seps(&self) -> &[char] {
        self.num.as_ref().map_or(&[], |n| &n.seps)
    }

    /// Numbers: the attached suffix ("th", "s"), or "".
    pub fn suffix(&self) -> &'a str {
        self.num.as_ref().map_or("", |n| n.suffix)
    }
}

const NUM_SEPS: &[char] = &['/', '.', '-', '–', '—', ':', ','];
const DASHES: &[char] = &['-', '–', '—'];

pub(super) fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let bytes = s.as_bytes();
    let len = s.len();
    // About one token per five bytes of text.
    let mut toks = Vec::with_capacity(len / 5 + 4);
    let mut i = 0;
    while i < len {
        let c = if bytes[i] < 0x80 {
            bytes[i] as char
        } else {
            s[i..].chars().next().expect("a character starts here")
        };
        let cl = c.len_utf8();
        if c.is_ascii_digit() {
            let mut groups = Vec::new();
            let mut seps = Vec::new();
            let mut gs = i;
            let mut j = i;
            loop {
                while j < len && bytes[j].is_ascii_digit() {
                    j += 1;
                }
                groups.push(&s[gs..j]);
                if let Some(d) = s[j..].chars().next() {
                    let k = j + d.len_utf8();
                    if NUM_SEPS.contains(&d) && k < len && bytes[k].is_ascii_digit() {
                        seps.push(d);
                        gs = k;
                        j = k;
                        continue;
                    }
                }
                break;
            }
            let ss = j;
            while j < len && bytes[j].is_ascii_alphabetic() {
                j += 1;
            }
            toks.push(Tok {
                start: i,
                end: j,
                text: &s[i..j],
                kind: Kind::Num,
                lower: Cow::Borrowed(""),
                num: Some(Box::new(NumParts {
                    groups,
                    seps,
                    suffix: &s[ss..j],
                })),
            });
            i = j;
        } else if c.is_alphabetic() {
            let mut j = i + cl;
            while j < len {
                if bytes[j] < 0x80 {
                    if !bytes[j].is_ascii_alphabetic() {
                        break;
                    }
                    j += 1;
                    continue;
                }
                let d = s[j..].chars().next().expect("a character starts here");
                if !d.is_alphabetic() {
                    break;
                }
                j += d.len_utf8();
            }
            toks.push(Tok {
                start: i,
                end: j,
                text: &s[i..j],
                kind: Kind::Word,
                lower: lowercase(&s[i..j]),
                num: None,
            });
            i = j;
        } else if c.is_whitespace() {
            i += cl;
        } else {
            toks.push(Tok {
                start: i,
                end: i + cl,
                text: &s[i..i + cl],
                kind: Kind::Punct,
                lower: Cow::Borrowed(""),
                num: None,
            });
            i += cl;
        }
    }
    toks
}

/// `w` lowercased, without allocating when it already is (most words are).
fn lowercase(w: &str) -> Cow<'_, str> {
    if w.bytes().all(|b| b.is_ascii_lowercase()) {
        Cow::Borrowed(w)
    } else if w.is_ascii() {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Owned(w.to_lowercase())
    }
}

/// How a weekday relates to the reference day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WdRel {
    /// "on Thursday": the most recent one on or before the reference day.
    OnOrBefore,
    /// "last Thursday": the most recent one strictly before.
    Last,
    /// "next Thursday": the first one strictly after.
    Next,
    /// "overnight into Sunday": the day before the most recent Sunday.
    EveOf,
}

/// A date expression before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Raw {
    /// A complete, valid calendar date.
    Full(NaiveDate),
    /// A numeric date whose day/month order is open ("2/04/2016").
    Ambiguous {
        day_first: Option<NaiveDate>,
        month_first: Option<NaiveDate>,
    },
    /// "March 5" without a year.
    MonthDay {
        month: u32,
        day: u32,
    },
    MonthYear {
        year: i32,
        month: u32,
    },
    /// "in March"; `year_rel` from "in March last year" (-1) / "this year" (0).
    MonthOnly {
        month: u32,
        year_rel: Option<i32>,
    },
    /// "next March": the first such month after the reference month.
    MonthNext {
        month: u32,
    },
    Year(i32),
    Weekday {
        wd: Weekday,
        rel: WdRel,
    },
    /// Days relative to the reference day ("yesterday" = -1).
    DayRel(i64),
    /// A week ending this many days relative to the reference day.
    WeekRel(i64),
    /// "over the weekend".
    Weekend,
    /// Months relative to the reference month ("last month" = -1).
    MonthRel(i32),
    /// Years relative to the reference year ("last year" = -1).
    YearRel(i32),
    Recent,
}

impl Raw {
    /// The year this expression names explicitly, if any.
    pub fn explicit_year(self) -> Option<i32> {
        match self {
            Raw::Full(d) => Some(chrono::Datelike::year(&d)),
            Raw::Ambiguous {
                day_first,
                month_first,
            } => day_first
                .or(month_first)
                .map(|d| chrono::Datelike::year(&d)),
            Raw::MonthYear { year, .. } | Raw::Year(year) => Some(year),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RawMention {
    pub first_tok: usize,
    pub last_tok: usize,
    pub raw: Raw,
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1-12) a lowercase full or abbreviated month name stands for.
pub(crate) fn month_number(lower: &str) -> Option<u32> {
    if let Some(p) = MONTHS.iter().position(|m| *m == lower) {
        return Some(p as u32 + 1);
    }
    MONTH_ABBREVS
        .iter()
        .find(|(a, _)| *a == lower)
        .map(|(_, m)| *m)
        .or_else(|| other_month(lower))
}

/// A month name of the vocabulary's other languages (list `months`),
/// which dates use in lowercase ("11 июня").
fn other_month(lower: &str) -> Option<u32> {
    if lower.is_ascii() {
        return None;
    }
    static M: std::sync::OnceLock<crate::gazetteer::FastMap<&'static str, u32>> =
        std::sync::OnceLock::new();
    M.get_or_init(|| {
        crate::vocab::get()
            .rows("months")
            .iter()
            .filter_map(|r| Some((r[0], r[1].parse().ok()?)))
            .collect()
    })
    .get(lower)
    .copied()
}

/// A weekday name of the vocabulary's other languages (list `weekdays`).
fn other_weekday(lower: &str) -> Option<Weekday> {
    if lower.is_ascii() {
        return None;
    }
    static W: std::sync::OnceLock<crate::gazetteer::FastMap<&'static str, Weekday>> =
        std::sync::OnceLock::new();
    W.get_or_init(|| {
        let days = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        crate::vocab::get()
            .rows("weekdays")
            .iter()
            .filter_map(|r| {
                let k = crate::vocab::WEEKDAYS.iter().position(|w| *w == r[1])?;
                Some((r[0], days[k]))
            })
            .collect()
    })
    .get(lower)
    .copied()
}

/// A day word of the vocabulary's other languages (list `day-words`) and
/// its offset from the publication date ("вчера" -1).
fn other_day_word(lower: &str) -> Option<i32> {
    if lower.is_ascii() {
        return None;
    }
    static D: std::sync::OnceLock<crate::gazetteer::FastMap<&'static str, i32>> =
        std::sync::OnceLock::new();
    D.get_or_init(|| {
        crate::vocab::get()
            .rows("day-words")
            .iter()
            .filter_map(|r| Some((r[0], r[1].parse().ok()?)))
            .collect()
    })
    .get(lower)
    .copied()
}

const MONTH_ABBREVS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

pub(super) const WEEKDAY_NAMES: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

const SEASONS: &[&str] = &["spring", "summer", "fall", "autumn", "winter"];

/// Whether [`Scanner::match_word`] may start a date at this lowercase word
/// (besides capitalized months and weekdays): its keywords and the seasons.
fn is_date_word(w: &str) -> bool {
    matches!(
        w,
        "today"
            | "tonight"
            | "yesterday"
            | "tomorrow"
            | "recently"
            | "lately"
            | "recent"
            | "overnight"
            | "last"
            | "past"
            | "previous"
            | "next"
            | "this"
            | "earlier"
            | "later"
            | "the"
            | "weekend"
    ) || SEASONS.contains(&w)
}

fn month_word(t: &Tok) -> Option<(u32, bool)> {
    if t.kind != Kind::Word {
        return None;
    }
    if !t.text.starts_with(|c: char| c.is_uppercase()) {
        // Other languages write months in lowercase.
        return other_month(&t.lower).map(|m| (m, false));
    }
    let m = month_number(&t.lower)?;
    Some((m, !MONTHS.contains(&t.lower.as_ref())))
}

pub(super) fn weekday_word(t: &Tok) -> Option<Weekday> {
    // Every weekday name starts with M, T, W, F or S (no other capital
    // lowercases to those letters).
    if t.kind != Kind::Word {
        return None;
    }
    if !t.text.is_ascii() {
        return other_weekday(&t.lower);
    }
    if !matches!(
        t.text.as_bytes().first(),
        Some(b'M' | b'T' | b'W' | b'F' | b'S')
    ) {
        return None;
    }
    WEEKDAY_NAMES
        .iter()
        .find(|(n, _)| *n == t.lower)
        .map(|(_, w)| *w)
}

fn weekday_abbrev(t: &Tok) -> Option<Weekday> {
    if t.kind != Kind::Word || !t.text.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let wd = match t.lower.as_ref() {
        "mon" => Weekday::Mon,
        "tue" | "tues" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" | "thur" | "thurs" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    };
    Some(wd)
}

/// The value of an English number word ("a", "one" ... "twenty", "thirty" ...
/// "hundred"); shared with the fatality counts.
pub(crate) fn number_word(w: &str) -> Option<i64> {
    static WORDS: std::sync::OnceLock<crate::gazetteer::FastMap<&'static str, i64>> =
        std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| {
            crate::vocab::get()
                .rows("number-words")
                .iter()
                .filter_map(|r| Some((r[0], r[1].parse().ok()?)))
                .collect()
        })
        .get(w)
        .copied()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

fn unit_word(w: &str) -> Option<(Unit, bool)> {
    let u = match w {
        "hour" => (Unit::Hour, false),
        "hours" => (Unit::Hour, true),
        "day" => (Unit::Day, false),
        "days" => (Unit::Day, true),
        "week" => (Unit::Week, false),
        "weeks" => (Unit::Week, true),
        "month" => (Unit::Month, false),
        "months" => (Unit::Month, true),
        "year" => (Unit::Year, false),
        "years" => (Unit::Year, true),
        _ => return None,
    };
    Some(u)
}

/// A quantity before a unit: `Some(n)` for a number, `None` for a vague one.
struct Quantity {
    value: Option<i64>,
    next: usize,
}

struct Matched {
    mentions: Vec<RawMention>,
    next: usize,
}

impl Matched {
    fn one(first_tok: usize, last_tok: usize, raw: Raw) -> Matched {
        Matched {
            mentions: vec![RawMention {
                first_tok,
                last_tok,
                raw,
            }],
            next: last_tok + 1,
        }
    }
}

pub(super) struct Scanner<'a, 't> {
    t: &'t [Tok<'a>],
    /// Indices of the "ago" tokens, in order ("two days ago" needs one
    /// within a few tokens; most texts have none).
    agos: Vec<usize>,
}

/// Every raw date expression in the tokens, left to right, not overlapping.
pub(super) fn scan(toks: &[Tok]) -> Vec<RawMention> {
    let agos = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == Kind::Word && t.lower == "ago")
        .map(|(i, _)| i)
        .collect();
    let sc = Scanner { t: toks, agos };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match sc.match_at(i) {
            Some(m) if m.next > i => {
                out.extend(m.mentions);
                i = m.next;
            }
            _ => i += 1,
        }
    }
    out
}

impl<'a, 't> Scanner<'a, 't> {
    fn tok(&self, i: usize) -> Option<&'t Tok<'a>> {
        self.t.get(i)
    }

    fn lw(&self, i: usize) -> Option<&'t str> {
        self.t
            .get(i)
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.lower.as_ref())
    }

    fn is_w(&self, i: usize, w: &str) -> bool {
        self.lw(i) == Some(w)
    }

    fn is_any(&self, i: usize, ws: &[&str]) -> bool {
        self.lw(i).is_some_and(|w| ws.contains(&w))
    }

    fn punct(&self, i: usize) -> Option<char> {
        self.t
            .get(i)
            .filter(|t| t.kind == Kind::Punct)
            .and_then(|t| t.text.chars().next())
    }

    fn is_dash(&self, i: usize) -> bool {
        self.punct(i).is_some_and(|c| DASHES.contains(&c))
    }

    fn month_at(&self, i: usize) -> Option<(u32, bool)> {
        self.tok(i).and_then(month_word)
    }

    fn weekday_at(&self, i: usize) -> Option<Weekday> {
        self.tok(i).and_then(weekday_word)
    }

    /// A plain four-digit year token (no context check).
    fn year_at(&self, i: usize) -> Option<i32> {
        let t = self.tok(i)?;
        if t.kind != Kind::Num || t.groups().len() != 1 || !t.suffix().is_empty() {
            return None;
        }
        plain_year(t.groups()[0])
    }

    /// A year or the first year of a year range ("2022-23", "1991-1994").
    fn year_or_range_at(&self, i: usize) -> Option<i32> {
        self.year_at(i).or_else(|| {
            let t = self.tok(i)?;
            if t.kind == Kind::Num && t.suffix().is_empty() {
                year_range(t)
            } else {
                None
            }
        })
    }

    /// A day-of-month number: "5", "05", "5th", or a range "7-8" (first day).
    fn day_at(&self, i: usize) -> Option<u32> {
        let t = self.tok(i)?;
        if t.kind != Kind::Num {
            return None;
        }
        let ordinal = matches!(
            t.suffix().to_ascii_lowercase().as_str(),
            "" | "st" | "nd" | "rd" | "th"
        );
        if !ordinal {
            return None;
        }
        let day = |g: &str| -> Option<u32> {
            if g.len() > 2 {
                return None;
            }
            g.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
        };
        match t.groups().len() {
            1 => day(t.groups()[0]),
            2 if DASHES.contains(&t.seps()[0]) && t.suffix().is_empty() => {
                let a = day(t.groups()[0])?;
                let b = day(t.groups()[1])?;
                (b > a).then_some(a)
            }
            _ => None,
        }
    }

    fn ordinal_at(&self, i: usize) -> Option<u32> {
        let t = self.tok(i)?;
        if t.suffix().is_empty() {
            return None;
        }
        self.day_at(i)
    }

    fn is_count_noun(&self, i: usize) -> bool {
        match self.tok(i) {
            Some(t) if t.kind == Kind::Word => {
                crate::vocab::words("count-nouns").contains(&t.lower.as_ref())
            }
            Some(t) if t.kind == Kind::Punct => t.text == "%",
            _ => false,
        }
    }

    fn match_at(&self, i: usize) -> Option<Matched> {
        let t = self.tok(i)?;
        match t.kind {
            Kind::Word => {
                if !self.may_start_date(t, i) {
                    // Checked in debug builds (every test run): the quick
                    // test never skips a word that starts a date.
                    debug_assert!(self.match_word(i).is_none(), "{:?}", t.text);
                    return None;
                }
                self.match_word(i)
            }
            Kind::Num => self
                .day_first(i)
                .or_else(|| self.numeric(i))
                .or_else(|| self.ago(i)),
            Kind::Punct => None,
        }
    }

    /// A complete date starting at `i` (used after a weekday or "overnight").
    fn date_at(&self, i: usize) -> Option<Matched> {
        match self.tok(i)?.kind {
            Kind::Word => self.month_first(i, false),
            Kind::Num => self.day_first(i).or_else(|| self.numeric(i)),
            Kind::Punct => None,
        }
    }

    /// Whether [`Scanner::match_word`] can match at word `t` (at `i`): a
    /// capitalized month or weekday, one of the words it looks for in any
    /// case, or a word shortly before an "ago". Most words are none.
    fn may_start_date(&self, t: &Tok, i: usize) -> bool {
        if is_date_word(&t.lower) || self.ago_near(i) {
            return true;
        }
        if !t.text.is_ascii()
            && (other_month(&t.lower).is_some()
                || other_weekday(&t.lower).is_some()
                || other_day_word(&t.lower).is_some())
        {
            return true;
        }
        // Capitalized: a month or a weekday (full or abbreviated).
        t.text.starts_with(char::is_uppercase)
            && (month_word(t).is_some() || weekday_word(t).is_some() || weekday_abbrev(t).is_some())
    }

    /// An "ago" within five tokens after `i` ("a couple of days ago").
    fn ago_near(&self, i: usize) -> bool {
        let k = self.agos.partition_point(|&a| a <= i);
        self.agos.get(k).is_some_and(|&a| a <= i + 5)
    }

    fn match_word(&self, i: usize) -> Option<Matched> {
        if self.month_at(i).is_some() {
            return self.month_first(i, true);
        }
        if let Some(wd) = self.weekday_at(i) {
            return Some(self.weekday(i, i, wd, WdRel::OnOrBefore));
        }
        if let Some(wd) = self.tok(i).and_then(weekday_abbrev) {
            // "Sat 2/04/2016", "Mon, 6 Mar 2023": only as part of a date.
            let m = self.weekday(i, i, wd, WdRel::OnOrBefore);
            let absorbed = m
                .mentions
                .first()
                .is_some_and(|r| !matches!(r.raw, Raw::Weekday { .. }));
            return absorbed.then_some(m);
        }
        let w = self.lw(i)?;
        // "USA Today", "Armenia Today": outlet names, not dates.
        let in_name = self
            .tok(i)
            .is_some_and(|t| t.text.starts_with(char::is_uppercase))
            && i > 0
            && self
                .tok(i - 1)
                .is_some_and(|t| t.kind == Kind::Word && t.text.starts_with(char::is_uppercase));
        if in_name && matches!(w, "today" | "tonight" | "yesterday" | "tomorrow") {
            return None;
        }
        if let Some(off) = other_day_word(w) {
            return Some(Matched::one(i, i, Raw::DayRel(off as i64)));
        }
        match w {
            "today" | "tonight" => Some(Matched::one(i, i, Raw::DayRel(0))),
            "yesterday" => Some(Matched::one(i, i, Raw::DayRel(-1))),
            "tomorrow" => Some(Matched::one(i, i, Raw::DayRel(1))),
            "recently" | "lately" => Some(Matched::one(i, i, Raw::Recent)),
            "recent" => {
                let u = self.lw(i + 1).and_then(unit_word);
                if u.is_some_and(|(_, plural)| plural) || self.is_w(i + 1, "times") {
                    Some(Matched::one(i, i + 1, Raw::Recent))
                } else {
                    None
                }
            }
            "overnight" => self.overnight(i),
            "last" | "past" | "previous" | "next" => self.last_next(i, w),
            "this" => self.this(i, i + 1),
            "earlier" | "later" => {
                if self.is_w(i + 1, "this") {
                    self.this(i, i + 2)
                } else if self.is_w(i + 1, "today") {
                    Some(Matched::one(i, i + 1, Raw::DayRel(0)))
                } else {
                    None
                }
            }
            "the" => self.the(i),
            "weekend" if i > 0 && self.is_any(i - 1, &["over", "at", "during"]) => {
                Some(Matched::one(i, i, Raw::Weekend))
            }
            _ if SEASONS.contains(&w) => {
                let j = if self.is_w(i + 1, "of") { i + 2 } else { i + 1 };
                let y = self.year_or_range_at(j)?;
                Some(Matched::one(i, j, Raw::Year(y)))
            }
            _ => self.ago(i),
        }
    }

    /// A weekday at `wi`, the mention starting at `first` (a modifier).
    fn weekday(&self, first: usize, wi: usize, wd: Weekday, rel: WdRel) -> Matched {
        // "Monday, 6 March 2023": the weekday belongs to the date.
        let j = if matches!(self.punct(wi + 1), Some(',' | '.')) {
            wi + 2
        } else {
            wi + 1
        };
        let day_date = |m: &Matched| {
            m.mentions.first().is_some_and(|r| {
                matches!(
                    r.raw,
                    Raw::Full(_) | Raw::Ambiguous { .. } | Raw::MonthDay { .. }
                )
            })
        };
        if rel == WdRel::OnOrBefore {
            if let Some(mut m) = self.date_at(j).filter(day_date) {
                if let Some(first_m) = m.mentions.first_mut() {
                    first_m.first_tok = first;
                    if let Raw::Ambiguous {
                        day_first,
                        month_first,
                    } = first_m.raw
                    {
                        let agree =
                            |d: Option<NaiveDate>| d.filter(|d| chrono::Datelike::weekday(d) == wd);
                        if let Some(d) = agree(day_first).or(agree(month_first)) {
                            first_m.raw = Raw::Full(d);
                        }
                    }
                }
                return m;
            }
        }
        // "Saturday to Sunday", "Monday-Tuesday night": the first day.
        let joiner = self.is_any(wi + 1, &["to", "into"]) || self.is_dash(wi + 1);
        let last = if joiner && self.weekday_at(wi + 2) == Some(wd.succ()) {
            wi + 2
        } else {
            wi
        };
        Matched::one(first, last, Raw::Weekday { wd, rel })
    }

    fn overnight(&self, i: usize) -> Option<Matched> {
        if self.is_any(i + 1, &["into", "to"]) {
            if let Some(wd) = self.weekday_at(i + 2) {
                return Some(Matched::one(
                    i,
                    i + 2,
                    Raw::Weekday {
                        wd,
                        rel: WdRel::EveOf,
                    },
                ));
            }
        }
        let j = if self.is_any(i + 1, &["on", "of", "from", "between"]) {
            i + 2
        } else {
            i + 1
        };
        if self.weekday_at(j).is_some() || self.date_at(j).is_some() {
            // The day named after "overnight" is the date.
            return None;
        }
        Some(Matched::one(i, i, Raw::DayRel(-1)))
    }

    /// A quantity ("48", "two", "a few", "several", "a couple of").
    fn quantity(&self, i: usize) -> Option<Quantity> {
        let t = self.tok(i)?;
        if t.kind == Kind::Num {
            if t.groups().len() == 1 && t.suffix().is_empty() && t.groups()[0].len() <= 3 {
                let n = t.groups()[0].parse::<i64>().ok()?;
                return Some(Quantity {
                    value: Some(n),
                    next: i + 1,
                });
            }
            return None;
        }
        let w = self.lw(i)?;
        let vague = |j: usize| -> Option<usize> {
            match self.lw(j)? {
                "few" | "several" | "many" => Some(j + 1),
                "couple" => Some(if self.is_w(j + 1, "of") { j + 2 } else { j + 1 }),
                _ => None,
            }
        };
        if let Some(next) = vague(i) {
            return Some(Quantity { value: None, next });
        }
        if matches!(w, "a" | "an") {
            if let Some(next) = vague(i + 1) {
                return Some(Quantity { value: None, next });
            }
        }
        number_word(w).map(|n| Quantity {
            value: Some(n),
            next: i + 1,
        })
    }

    /// "two days ago", "a week ago", "several days ago", "days ago".
    fn ago(&self, i: usize) -> Option<Matched> {
        // The quantity takes at most three tokens ("a couple of"), then the
        // unit, then "ago".
        if !self.ago_near(i) {
            return None;
        }
        let (value, ui) = match self.quantity(i) {
            Some(q) => (q.value, q.next),
            None => (None, i),
        };
        let (unit, plural) = self.lw(ui).and_then(unit_word)?;
        if !self.is_w(ui + 1, "ago") {
            return None;
        }
        if ui == i && !plural {
            return None;
        }
        let raw = match (value, unit) {
            (None, _) => Raw::Recent,
            (Some(_), Unit::Hour) => Raw::DayRel(0),
            (Some(n), Unit::Day) => Raw::DayRel(-n),
            (Some(n), Unit::Week) => Raw::WeekRel(-7 * n),
            (Some(n), Unit::Month) => Raw::MonthRel(-(n as i32)),
            (Some(n), Unit::Year) => Raw::YearRel(-(n as i32)),
        };
        Some(Matched::one(i, ui + 1, raw))
    }

    /// "last week", "last night", "last Thursday", "past 48 hours", "next month".
    fn last_next(&self, i: usize, w: &str) -> Option<Matched> {
        let j = i + 1;
        // "in the last week" is the past seven days, not the previous week.
        let w = if w == "last" && i > 0 && self.is_w(i - 1, "the") {
            "past"
        } else {
            w
        };
        if let Some(wd) = self.weekday_at(j) {
            let rel = match w {
                "last" | "past" => WdRel::Last,
                "next" => WdRel::Next,
                _ => return None,
            };
            return Some(self.weekday(i, j, wd, rel));
        }
        if w == "last" && self.is_w(j, "night") {
            return Some(Matched::one(i, j, Raw::DayRel(-1)));
        }
        if self.is_w(j, "weekend") && w != "next" {
            return Some(Matched::one(i, j, Raw::Weekend));
        }
        if let Some(q) = self.quantity(j) {
            let (_, plural) = self.lw(q.next).and_then(unit_word)?;
            if w == "next" || (q.value.is_some_and(|n| n > 1) && !plural) {
                return None;
            }
            return Some(Matched::one(i, q.next, Raw::Recent));
        }
        let (unit, plural) = self.lw(j).and_then(unit_word)?;
        if plural {
            return (w != "next").then(|| Matched::one(i, j, Raw::Recent));
        }
        let raw = match (w, unit) {
            ("last", Unit::Week) => Raw::WeekRel(-7),
            ("last", Unit::Month) => Raw::MonthRel(-1),
            ("last", Unit::Year) => Raw::YearRel(-1),
            ("next", Unit::Week) => Raw::WeekRel(7),
            ("next", Unit::Month) => Raw::MonthRel(1),
            ("next", Unit::Year) => Raw::YearRel(1),
            ("past", Unit::Week | Unit::Month | Unit::Year) => Raw::Recent,
            _ => return None,
        };
        Some(Matched::one(i, j, raw))
    }

    /// "this morning", "this week", "this month", "this year", "this Monday";
    /// `first` is where the mention starts ("earlier this week").
    fn this(&self, first: usize, j: usize) -> Option<Matched> {
        if let Some(wd) = self.weekday_at(j) {
            return Some(self.weekday(first, j, wd, WdRel::OnOrBefore));
        }
        let raw = match self.lw(j)? {
            "morning" | "afternoon" | "evening" => Raw::DayRel(0),
            "week" => Raw::WeekRel(0),
            "weekend" => Raw::Weekend,
            "month" => Raw::MonthRel(0),
            "year" => Raw::YearRel(0),
            _ => return None,
        };
        Some(Matched::one(first, j, raw))
    }

    /// "the day before (yesterday)", "the weekend", "the 5th of March".
    fn the(&self, i: usize) -> Option<Matched> {
        if self.is_w(i + 1, "weekend") {
            return Some(Matched::one(i, i + 1, Raw::Weekend));
        }
        if self.is_w(i + 1, "day") && self.is_w(i + 2, "before") {
            if self.is_w(i + 3, "yesterday") {
                return Some(Matched::one(i, i + 3, Raw::DayRel(-2)));
            }
            // "the day before the vote" is relative to something else.
            let relative = match self.tok(i + 3) {
                Some(t) if t.kind == Kind::Word => {
                    matches!(
                        t.lower.as_ref(),
                        "the" | "a" | "an" | "his" | "her" | "its" | "their" | "this" | "that"
                    ) || t.text.starts_with(|c: char| c.is_uppercase())
                }
                Some(t) => t.kind == Kind::Num,
                None => false,
            };
            if !relative {
                return Some(Matched::one(i, i + 2, Raw::DayRel(-1)));
            }
        }
        None
    }

    /// True when a bare month name at `i` is used as a date ("in March").
    fn month_cued(&self, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        if self.is_any(i - 1, crate::vocab::words("month-cues")) {
            return true;
        }
        // "mid-March"
        if self.is_dash(i - 1) && i >= 2 && self.is_w(i - 2, "mid") {
            return true;
        }
        // "in March and April", "from March to May"
        if i >= 2
            && (self.is_any(i - 1, &["and", "or", "to", "through"]) || self.is_dash(i - 1))
            && self.month_at(i - 2).is_some()
        {
            return true;
        }
        false
    }

    /// Does a second day number at `k` (after "and") end the phrase?
    fn second_day_ends(&self, k: usize) -> bool {
        match self.tok(k) {
            None => true,
            Some(t) => match t.kind {
                Kind::Punct => t.text != "%",
                Kind::Num => false,
                Kind::Word => !self.is_count_noun(k),
            },
        }
    }

    /// Month first: "March 5", "March 5th, 2020", "Oct. 12", "March the 5th",
    /// "April 7-8", "March 24 and 25", "November 2020", "March of 2016",
    /// and (when `bare_ok` and cued) "in March".
    fn month_first(&self, i: usize, bare_ok: bool) -> Option<Matched> {
        let (month, abbrev) = self.month_at(i)?;
        let mut j = i + 1;
        if abbrev && self.punct(j) == Some('.') {
            j += 1;
        }
        let mut k = j;
        if self.is_w(k, "the") && self.ordinal_at(k + 1).is_some() {
            k += 1;
        }
        if let Some(day) = self.day_at(k) {
            let mut last = k;
            let mut second: Option<(usize, u32)> = None;
            let joiner =
                self.is_any(k + 1, &["to", "through", "till", "until"]) || self.is_dash(k + 1);
            let and = self.is_any(k + 1, &["and", "or"]) || self.punct(k + 1) == Some('&');
            if let Some(d2) = self.day_at(k + 2) {
                if joiner && d2 > day && self.month_at(k + 3).is_none() {
                    last = k + 2;
                } else if and && i > 0 && self.is_w(i - 1, "between") && d2 > day {
                    // "between March 5 and 7": one span, its first day.
                    last = k + 2;
                } else if and && self.second_day_ends(k + 3) && self.month_at(k + 3).is_none() {
                    second = Some((k + 2, d2));
                    last = k + 2;
                }
            }
            let mut yi = last + 1;
            if self.punct(yi) == Some(',') {
                yi += 1;
            }
            let year = self.year_at(yi);
            let count_cue = i > 0
                && self.is_any(
                    i - 1,
                    &[
                        "in",
                        "during",
                        "since",
                        "until",
                        "by",
                        "through",
                        "throughout",
                        "early",
                        "late",
                        "mid",
                    ],
                );
            if year.is_none() && second.is_none() && count_cue && self.is_count_noun(last + 1) {
                // "In March 13 soldiers died": the number is a count.
                return self.bare_month(i, month, abbrev, bare_ok);
            }
            let make = |d: u32| -> Option<Raw> {
                match year {
                    Some(y) => NaiveDate::from_ymd_opt(y, month, d).map(Raw::Full),
                    None => Some(Raw::MonthDay { month, day: d }),
                }
            };
            let end = if year.is_some() { yi } else { last };
            let mut mentions = Vec::new();
            let first_end = if second.is_some() { k } else { end };
            if let Some(raw) = make(day) {
                mentions.push(RawMention {
                    first_tok: i,
                    last_tok: first_end,
                    raw,
                });
            }
            if let Some((si, d2)) = second {
                if let Some(raw) = make(d2) {
                    mentions.push(RawMention {
                        first_tok: si,
                        last_tok: end,
                        raw,
                    });
                }
            }
            return Some(Matched {
                mentions,
                next: end + 1,
            });
        }
        if let Some(y) = self.year_at(j) {
            return Some(Matched::one(i, j, Raw::MonthYear { year: y, month }));
        }
        if self.is_w(j, "of") {
            if let Some(y) = self.year_at(j + 1) {
                return Some(Matched::one(i, j + 1, Raw::MonthYear { year: y, month }));
            }
        }
        self.bare_month(i, month, abbrev, bare_ok)
    }

    fn bare_month(&self, i: usize, month: u32, abbrev: bool, bare_ok: bool) -> Option<Matched> {
        if abbrev || !bare_ok || !self.month_cued(i) {
            return None;
        }
        if self.is_w(i - 1, "next") {
            return Some(Matched::one(i - 1, i, Raw::MonthNext { month }));
        }
        // "in March last year", "in March this year"
        if self.is_w(i + 1, "last") && self.is_w(i + 2, "year") {
            return Some(Matched::one(
                i,
                i + 2,
                Raw::MonthOnly {
                    month,
                    year_rel: Some(-1),
                },
            ));
        }
        if self.is_w(i + 1, "this") && self.is_w(i + 2, "year") {
            return Some(Matched::one(
                i,
                i + 2,
                Raw::MonthOnly {
                    month,
                    year_rel: Some(0),
                },
            ));
        }
        Some(Matched::one(
            i,
            i,
            Raw::MonthOnly {
                month,
                year_rel: None,
            },
        ))
    }

    /// Day first: "5 March", "5th of March", "12 October 2020", "7-8 April",
    /// "24 and 25 March".
    fn day_first(&self, i: usize) -> Option<Matched> {
        let day = self.day_at(i)?;
        let mut j = i + 1;
        let mut second: Option<(usize, u32)> = None;
        let joiner = self.is_any(j, &["to", "through", "till", "until"]) || self.is_dash(j);
        let and = self.is_any(j, &["and", "or"]) || self.punct(j) == Some('&');
        if joiner || and {
            if let Some(d2) = self.day_at(j + 1) {
                let mi = if self.is_w(j + 2, "of") { j + 3 } else { j + 2 };
                if self.month_at(mi).is_some() && (and || d2 > day) {
                    let between = i > 0 && self.is_w(i - 1, "between");
                    if and && !between {
                        second = Some((j + 1, d2));
                    }
                    j += 2;
                }
            }
        }
        if self.is_w(j, "of") {
            j += 1;
        }
        let (month, abbrev) = self.month_at(j)?;
        let mut last = j;
        if abbrev && self.punct(j + 1) == Some('.') && self.year_at(j + 2).is_some() {
            last = j + 1;
        }
        let mut yi = last + 1;
        if self.punct(yi) == Some(',') {
            yi += 1;
        }
        let year = self.year_at(yi);
        let end = if year.is_some() { yi } else { last };
        let make = |d: u32| -> Option<Raw> {
            match year {
                Some(y) => NaiveDate::from_ymd_opt(y, month, d).map(Raw::Full),
                None => Some(Raw::MonthDay { month, day: d }),
            }
        };
        let mut mentions = Vec::new();
        if let Some(raw) = make(day) {
            let last_tok = if second.is_some() { i } else { end };
            mentions.push(RawMention {
                first_tok: i,
                last_tok,
                raw,
            });
        }
        if let Some((si, d2)) = second {
            if let Some(raw) = make(d2) {
                mentions.push(RawMention {
                    first_tok: si,
                    last_tok: end,
                    raw,
                });
            }
        }
        Some(Matched {
            mentions,
            next: end + 1,
        })
    }

    /// Numeric forms: ISO and numeric dates, year ranges, decades, years.
    fn numeric(&self, i: usize) -> Option<Matched> {
        let t = self.tok(i)?;
        let g = t.groups();
        match g.len() {
            3 => {
                let sep = t.seps()[0];
                if t.seps()[1] != sep || !matches!(sep, '/' | '.' | '-') {
                    return None;
                }
                let n = |s: &str| s.parse::<u32>().ok();
                // "2024-02-13T14:05:00Z": ISO with a time part.
                let iso_t = matches!(t.suffix(), "T" | "t") && g[0].len() == 4;
                if !t.suffix().is_empty() && !iso_t {
                    return None;
                }
                if g[0].len() == 4 {
                    let d = NaiveDate::from_ymd_opt(n(g[0])? as i32, n(g[1])?, n(g[2])?)?;
                    return Some(Matched::one(i, i, Raw::Full(d)));
                }
                if g[0].len() > 2 || g[1].len() > 2 {
                    return None;
                }
                let year = match g[2].len() {
                    4 => plain_year(g[2])?,
                    2 if sep != '-' => 2000 + n(g[2])? as i32,
                    _ => return None,
                };
                let (a, b) = (n(g[0])?, n(g[1])?);
                let day_first = NaiveDate::from_ymd_opt(year, b, a);
                let month_first = NaiveDate::from_ymd_opt(year, a, b);
                let raw = match (day_first, month_first) {
                    (None, None) => return None,
                    (Some(d), None) | (None, Some(d)) => Raw::Full(d),
                    (Some(x), Some(y)) if x == y => Raw::Full(x),
                    _ => Raw::Ambiguous {
                        day_first,
                        month_first,
                    },
                };
                Some(Matched::one(i, i, raw))
            }
            2 => {
                if !t.suffix().is_empty() {
                    return None;
                }
                let y = year_range(t)?;
                Some(Matched::one(i, i, Raw::Year(y)))
            }
            1 => {
                if t.suffix() == "s" && g[0].len() == 4 && g[0].ends_with('0') {
                    let y = plain_year(g[0])?;
                    // "the early 1990s"
                    return Some(Matched::one(i, i, Raw::Year(y)));
                }
                let y = self.year_at(i)?;
                if !self.year_context(i) {
                    return None;
                }
                // "between 1991 and 1994", "from 1991 to 1994": the first year.
                let mut last = i;
                if i > 0 {
                    let to = self.is_any(i + 1, &["to", "until", "till", "through"])
                        || self.is_dash(i + 1);
                    if ((self.is_w(i - 1, "between") && self.is_w(i + 1, "and"))
                        || (self.is_w(i - 1, "from") && to))
                        && self.year_at(i + 2).is_some_and(|y2| y2 >= y)
                    {
                        last = i + 2;
                    }
                }
                Some(Matched::one(i, last, Raw::Year(y)))
            }
            _ => None,
        }
    }

    /// Is the year-like number at `i` used as a year (not a count)?
    fn year_context(&self, i: usize) -> bool {
        if self.birth_year(i) {
            return false;
        }
        if i > 0 {
            if let Some(c) = self.punct(i - 1) {
                if matches!(c, '$' | '€' | '£' | '#' | '№' | '+' | '~') {
                    return false;
                }
            }
            if self.is_any(i - 1, crate::vocab::words("count-markers")) {
                return false;
            }
            // "No. 2020"
            if self.punct(i - 1) == Some('.') && i >= 2 && self.is_any(i - 2, &["no", "nr", "nos"])
            {
                return false;
            }
            // Strong cues override a following count noun ("In 2020 soldiers ...").
            let strong = &[
                "in", "since", "until", "till", "during", "early", "late", "mid", "spring",
                "summer", "fall", "autumn", "winter", "year", "before", "after",
            ];
            if self.is_any(i - 1, strong) || self.month_at(i - 1).is_some() {
                return true;
            }
            if self.is_dash(i - 1) && i >= 2 && self.is_w(i - 2, "mid") {
                return true;
            }
        }
        if self.is_count_noun(i + 1) {
            return false;
        }
        // "2000 armed men", "2000 Russian peacekeepers"
        if self.tok(i + 1).is_some_and(|t| t.kind == Kind::Word) && self.is_count_noun(i + 2) {
            let w = self.lw(i + 1).unwrap_or("");
            if !matches!(w, "war" | "conflict" | "ceasefire" | "truce" | "agreement") {
                return false;
            }
        }
        true
    }
}

impl Scanner<'_, '_> {
    /// Is the year at `i` a birth year or a note on a name, not an event's
    /// date? "born in 1998", "1998 года рождения" (lexicons
    /// `birth-year-before`, `birth-year-after`), and a year in brackets right
    /// after a capitalised name in a toll: "Private A. Bedrosian (1998) was
    /// killed".
    fn birth_year(&self, i: usize) -> bool {
        let vocab = crate::vocab::get();
        let (before, after) = birth_year_phrases();
        if self.phrase_before(i, before) || self.phrase_after(i, after) {
            return true;
        }
        i >= 2
            && self.punct(i - 1) == Some('(')
            && self.punct(i + 1) == Some(')')
            && self
                .tok(i - 2)
                .is_some_and(|t| t.kind == Kind::Word && t.text.starts_with(char::is_uppercase))
            && self.toll_word_follows(i + 2, vocab)
    }

    /// Does a death or injury word ("killed", "погиб") come within four
    /// tokens from `from`? A bracketed year after a name is a birth year only
    /// in a toll ("A. Bedrosian (1998) was killed"), not in "the War (2020)".
    fn toll_word_follows(&self, from: usize, vocab: &crate::vocab::Vocab) -> bool {
        let deaths = vocab.words("death-words");
        let injuries = vocab.words("injury-words");
        (from..from + 4).filter_map(|j| self.tok(j)).any(|t| {
            t.kind == Kind::Word
                && (deaths.contains(&t.lower.as_ref()) || injuries.contains(&t.lower.as_ref()))
        })
    }

    /// Do the tokens of one of `phrases` end right before token `i`?
    fn phrase_before(&self, i: usize, phrases: &[Vec<Tok<'static>>]) -> bool {
        phrases
            .iter()
            .any(|pt| pt.len() <= i && same_tokens(&self.t[i - pt.len()..i], pt))
    }

    /// Do the tokens of one of `phrases` start right after token `i`?
    fn phrase_after(&self, i: usize, phrases: &[Vec<Tok<'static>>]) -> bool {
        phrases.iter().any(|pt| {
            self.t
                .get(i + 1..i + 1 + pt.len())
                .is_some_and(|w| same_tokens(w, pt))
        })
    }
}

/// The lexicons `birth-year-before` and `birth-year-after`, tokenized once.
type Phrases = Vec<Vec<Tok<'static>>>;
fn birth_year_phrases() -> &'static (Phrases, Phrases) {
    static P: std::sync::OnceLock<(Phrases, Phrases)> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let v = crate::vocab::get();
        let tok = |list| v.words(list).iter().map(|p| tokenize(p)).collect();
        (tok("birth-year-before"), tok("birth-year-after"))
    })
}

/// Same words (compared lowercased) and punctuation, spacing aside.
fn same_tokens(a: &[Tok], b: &[Tok]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.kind == y.kind
                && match x.kind {
                    Kind::Word => x.lower == y.lower,
                    _ => x.text == y.text,
                }
        })
}

fn plain_year(g: &str) -> Option<i32> {
    if g.len() != 4 {
        return None;
    }
    g.parse::<i32>().ok().filter(|y| (1800..=2100).contains(y))
}

/// "1991-1994", "1991–94", "2022/23": the first year.
fn year_range(t: &Tok) -> Option<i32> {
    if t.groups().len() != 2 || !(DASHES.contains(&t.seps()[0]) || t.seps()[0] == '/') {
        return None;
    }
    let y1 = plain_year(t.groups()[0])?;
    let g2 = t.groups()[1];
    let y2 = match g2.len() {
        4 => plain_year(g2)?,
        2 => {
            let tail = g2.parse::<i32>().ok()?;
            let mut y = y1 - y1 % 100 + tail;
            if y < y1 {
                y += 100;
            }
            y
        }
        _ => return None,
    };
    (y2 > y1 && y2 - y1 <= 100).then_some(y1)
}
