//! Dates: finding date expressions in sentences and resolving them against
//! the article's publication date (CODEBOOK section 3).
//! (Placeholder resolution: the dates work replaces the internals.)

use chrono::{Datelike, NaiveDate, Weekday};

use crate::record::DatePrecision;

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

    /// Background: the whole value lies more than `days` before publication.
    pub fn is_before(self, published: NaiveDate, days: i64) -> bool {
        self.latest_day()
            .is_some_and(|d| (published - d).num_days() > days)
    }
}

/// A word that turns a date into a boundary rather than the event's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    None,
    /// "since May 1994", "since then"
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
}

impl DateContext {
    /// Build the context from the article text and a known publication date.
    pub fn new(published: Option<NaiveDate>, text: &str) -> DateContext {
        let mut weekdays = Vec::new();
        for (name, wd) in WEEKDAYS {
            if text.contains(name) {
                weekdays.push(*wd);
            }
        }
        DateContext {
            published,
            weekdays,
            latest_year: None,
        }
    }
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("Monday", Weekday::Mon),
    ("Tuesday", Weekday::Tue),
    ("Wednesday", Weekday::Wed),
    ("Thursday", Weekday::Thu),
    ("Friday", Weekday::Fri),
    ("Saturday", Weekday::Sat),
    ("Sunday", Weekday::Sun),
];

/// Every date expression in a sentence, resolved against the context.
pub fn find_dates(sentence: &str, ctx: &DateContext) -> Vec<DateMention> {
    let mut out = Vec::new();
    if let Some(p) = ctx.published {
        for (name, wd) in WEEKDAYS {
            if let Some(i) = sentence.find(name) {
                let mut d = p;
                while d.weekday() != *wd {
                    d = d.pred_opt().unwrap();
                }
                out.push(DateMention {
                    start: i,
                    end: i + name.len(),
                    value: DateValue::Day(d),
                    qualifier: Qualifier::None,
                });
            }
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// A publication date read from a header line ("HuffPost 2/04/2016",
/// "12 October 2020, 19:02", "April 8, 2016 - 10:57 AMT", "Feb 13 2024").
pub fn header_date(_line: &str, _ctx: &DateContext) -> Option<NaiveDate> {
    None
}
