//! Table-driven tests for date finding and resolution.

use super::*;
use chrono::Weekday::*;

/// Expected value, written compactly.
#[derive(Debug, Clone, Copy)]
enum V {
    D(&'static str),
    W(&'static str),
    M(i32, u32),
    Y(i32),
    R,
}

use Qualifier as Q;
use V::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn value(v: V) -> DateValue {
    match v {
        D(s) => DateValue::Day(date(s)),
        W(s) => DateValue::Week(date(s)),
        M(year, month) => DateValue::Month { year, month },
        Y(y) => DateValue::Year(y),
        R => DateValue::Recent,
    }
}

fn ctx_pub(p: &str) -> DateContext {
    DateContext {
        published: Some(date(p)),
        weekdays: Vec::new(),
        latest_year: None,
        ..Default::default()
    }
}

type Want = &'static [(&'static str, V, Qualifier)];

/// Runs one case: every mention (text, value, qualifier), in order.
fn check(sentence: &str, ctx: &DateContext, want: Want) {
    let got: Vec<(&str, DateValue, Qualifier)> = find_dates(sentence, ctx)
        .iter()
        .map(|m| (&sentence[m.start..m.end], m.value, m.qualifier))
        .collect();
    let want: Vec<(&str, DateValue, Qualifier)> =
        want.iter().map(|(t, v, q)| (*t, value(*v), *q)).collect();
    assert_eq!(got, want, "sentence: {sentence:?}, ctx: {ctx:?}");
}

fn run(cases: &[(&str, &str, Want)]) {
    for (sentence, published, want) in cases {
        check(sentence, &ctx_pub(published), want);
    }
}

#[test]
fn weekdays() {
    // 2014-08-02 is a Saturday.
    run(&[
        (
            "The eight soldiers killed on Thursday",
            "2014-08-02",
            &[("Thursday", D("2014-07-31"), Q::None)],
        ),
        (
            "Russia on Saturday expressed concerns",
            "2014-08-02",
            &[("Saturday", D("2014-08-02"), Q::None)],
        ),
        (
            "four soldiers were killed Saturday in border clashes",
            "2014-08-02",
            &[("Saturday", D("2014-08-02"), Q::None)],
        ),
        (
            "Shelling resumed late Sunday.",
            "2014-08-02",
            &[("Sunday", D("2014-07-27"), Q::None)],
        ),
        (
            "The village was hit on Monday night.",
            "2014-08-02",
            &[("Monday", D("2014-07-28"), Q::None)],
        ),
        (
            "Thursday's attack killed eight.",
            "2014-08-02",
            &[("Thursday", D("2014-07-31"), Q::None)],
        ),
        (
            "It happened on Friday.",
            "2014-08-02",
            &[("Friday", D("2014-08-01"), Q::None)],
        ),
        (
            "It happened last Saturday.",
            "2014-08-02",
            &[("last Saturday", D("2014-07-26"), Q::None)],
        ),
        (
            "It happened last Thursday.",
            "2014-08-02",
            &[("last Thursday", D("2014-07-31"), Q::None)],
        ),
        (
            "Talks resume next Monday.",
            "2014-08-02",
            &[("next Monday", D("2014-08-04"), Q::None)],
        ),
        (
            "Talks resume next Saturday.",
            "2014-08-02",
            &[("next Saturday", D("2014-08-09"), Q::None)],
        ),
        (
            "Clashes on the night of Saturday to Sunday.",
            "2014-08-04",
            &[("Saturday to Sunday", D("2014-08-02"), Q::None)],
        ),
        (
            "Shelling overnight into Sunday.",
            "2014-08-04",
            &[("overnight into Sunday", D("2014-08-02"), Q::None)],
        ),
        (
            "Shelling overnight Saturday.",
            "2014-08-04",
            &[("Saturday", D("2014-08-02"), Q::None)],
        ),
        (
            "Clashes on Monday and Tuesday.",
            "2014-08-06",
            &[
                ("Monday", D("2014-08-04"), Q::None),
                ("Tuesday", D("2014-08-05"), Q::None),
            ],
        ),
        (
            "CLASHES ON MONDAY",
            "2014-08-06",
            &[("MONDAY", D("2014-08-04"), Q::None)],
        ),
        (
            "Since Monday, nine were killed.",
            "2014-08-06",
            &[("Monday", D("2014-08-04"), Q::Since)],
        ),
        ("a monday morning", "2014-08-06", &[]),
    ]);
}

#[test]
fn weekday_with_full_date_is_one_mention() {
    run(&[
        (
            "Monday, 6 March 2023",
            "2023-03-10",
            &[("Monday, 6 March 2023", D("2023-03-06"), Q::None)],
        ),
        (
            "on Sunday, March 5, two soldiers died",
            "2023-03-06",
            &[("Sunday, March 5", D("2023-03-05"), Q::None)],
        ),
        // A written weekday settles the order of a numeric date.
        (
            "Sunday 3/5/2023",
            "2023-12-01",
            &[("Sunday 3/5/2023", D("2023-03-05"), Q::None)],
        ),
    ]);
}

#[test]
fn relative_days_weeks_months() {
    // 2023-03-08 is a Wednesday.
    let p = "2023-03-08";
    run(&[
        (
            "Clashes erupted today.",
            p,
            &[("today", D("2023-03-08"), Q::None)],
        ),
        (
            "Talks will be held tonight.",
            p,
            &[("tonight", D("2023-03-08"), Q::None)],
        ),
        (
            "Shelling began this morning.",
            p,
            &[("this morning", D("2023-03-08"), Q::None)],
        ),
        (
            "Shelling began this afternoon.",
            p,
            &[("this afternoon", D("2023-03-08"), Q::None)],
        ),
        (
            "Shelling began earlier today.",
            p,
            &[("earlier today", D("2023-03-08"), Q::None)],
        ),
        (
            "A soldier was killed yesterday.",
            p,
            &[("yesterday", D("2023-03-07"), Q::None)],
        ),
        (
            "A soldier was killed last night.",
            p,
            &[("last night", D("2023-03-07"), Q::None)],
        ),
        (
            "Overnight shelling hit the town.",
            p,
            &[("Overnight", D("2023-03-07"), Q::None)],
        ),
        (
            "The town was shelled overnight.",
            p,
            &[("overnight", D("2023-03-07"), Q::None)],
        ),
        (
            "It was shelled the day before yesterday.",
            p,
            &[("the day before yesterday", D("2023-03-06"), Q::None)],
        ),
        (
            "A drone was downed the day before.",
            p,
            &[("the day before", D("2023-03-07"), Q::None)],
        ),
        ("He arrived the day before the vote.", p, &[]),
        (
            "Two soldiers died two days ago.",
            p,
            &[("two days ago", D("2023-03-06"), Q::None)],
        ),
        (
            "Two soldiers died 3 days ago.",
            p,
            &[("3 days ago", D("2023-03-05"), Q::None)],
        ),
        (
            "A post was seized a week ago.",
            p,
            &[("a week ago", W("2023-03-01"), Q::None)],
        ),
        (
            "A post was seized a few days ago.",
            p,
            &[("a few days ago", R, Q::None)],
        ),
        (
            "A post was seized days ago.",
            p,
            &[("days ago", R, Q::None)],
        ),
        (
            "Fighting flared earlier this week.",
            p,
            &[("earlier this week", W("2023-03-08"), Q::None)],
        ),
        (
            "Fighting flared this week.",
            p,
            &[("this week", W("2023-03-08"), Q::None)],
        ),
        (
            "Fighting flared last week.",
            p,
            &[("last week", W("2023-03-01"), Q::None)],
        ),
        (
            "Fighting flared over the weekend.",
            p,
            &[("the weekend", W("2023-03-04"), Q::None)],
        ),
        (
            "Fighting flared last weekend.",
            p,
            &[("last weekend", W("2023-03-04"), Q::None)],
        ),
        (
            "Similar violence was reported last month.",
            p,
            &[("last month", M(2023, 2), Q::None)],
        ),
        (
            "Similar violence was reported last month.",
            "2023-01-10",
            &[("last month", M(2022, 12), Q::None)],
        ),
        (
            "Talks were held earlier this month.",
            p,
            &[("earlier this month", M(2023, 3), Q::None)],
        ),
        (
            "Talks were held this month.",
            p,
            &[("this month", M(2023, 3), Q::None)],
        ),
        (
            "Talks were held two months ago.",
            p,
            &[("two months ago", M(2023, 1), Q::None)],
        ),
        (
            "Talks were held last year.",
            p,
            &[("last year", Y(2022), Q::None)],
        ),
        (
            "Talks were held earlier this year.",
            p,
            &[("earlier this year", Y(2023), Q::None)],
        ),
        (
            "Talks were held in January.",
            p,
            &[("January", M(2023, 1), Q::None)],
        ),
        (
            "Talks were held in April.",
            p,
            &[("April", M(2022, 4), Q::None)],
        ),
        (
            "Talks were held in April last year.",
            p,
            &[("April last year", M(2022, 4), Q::None)],
        ),
        (
            "Talks were held in mid-February.",
            p,
            &[("February", M(2023, 2), Q::None)],
        ),
        (
            "Fighting in March and April.",
            p,
            &[
                ("March", M(2023, 3), Q::None),
                ("April", M(2022, 4), Q::None),
            ],
        ),
    ]);
}

#[test]
fn month_day() {
    run(&[
        (
            "On March 5, an armed incident took place",
            "2023-03-06",
            &[("March 5", D("2023-03-05"), Q::None)],
        ),
        (
            "on 5 March two soldiers were killed",
            "2023-03-06",
            &[("5 March", D("2023-03-05"), Q::None)],
        ),
        (
            "on March 5th two soldiers were killed",
            "2023-03-06",
            &[("March 5th", D("2023-03-05"), Q::None)],
        ),
        (
            "on the 5th of March, two soldiers were killed",
            "2023-03-06",
            &[("5th of March", D("2023-03-05"), Q::None)],
        ),
        (
            "on March the 5th, two soldiers were killed",
            "2023-03-06",
            &[("March the 5th", D("2023-03-05"), Q::None)],
        ),
        (
            "On the morning of March 26 members of illegal groups attacked",
            "2022-03-26",
            &[("March 26", D("2022-03-26"), Q::None)],
        ),
        (
            "Shots were fired on the night of July 12.",
            "2023-07-13",
            &[("July 12", D("2023-07-12"), Q::None)],
        ),
        (
            "Heavy shelling overnight April 7-8.",
            "2016-04-08",
            &[("April 7-8", D("2016-04-07"), Q::None)],
        ),
        (
            "Heavy shelling overnight April 7–8.",
            "2016-04-08",
            &[("April 7–8", D("2016-04-07"), Q::None)],
        ),
        (
            "Heavy shelling on the night of April 7-8.",
            "2016-04-08",
            &[("April 7-8", D("2016-04-07"), Q::None)],
        ),
        (
            "Heavy shelling from April 7 to 8.",
            "2016-04-08",
            &[("April 7 to 8", D("2016-04-07"), Q::None)],
        ),
        (
            "Heavy shelling on 7-8 April.",
            "2016-04-08",
            &[("7-8 April", D("2016-04-07"), Q::None)],
        ),
        (
            "The attack on Oct. 12 killed two.",
            "2020-10-13",
            &[("Oct. 12", D("2020-10-12"), Q::None)],
        ),
        (
            "The attack on Sept 3 killed two.",
            "2020-09-10",
            &[("Sept 3", D("2020-09-03"), Q::None)],
        ),
        (
            "YEREVAN, JULY 16, ARMENPRESS.",
            "2023-07-17",
            &[("JULY 16", D("2023-07-16"), Q::None)],
        ),
        (
            "May 9 is Victory Day.",
            "2023-07-17",
            &[("May 9", D("2023-05-09"), Q::None)],
        ),
        (
            "Putin and Pashinian had held two phone calls on March 24 and March 25.",
            "2022-03-26",
            &[
                ("March 24", D("2022-03-24"), Q::None),
                ("March 25", D("2022-03-25"), Q::None),
            ],
        ),
        (
            "calls on March 24 and 25.",
            "2022-03-26",
            &[
                ("March 24", D("2022-03-24"), Q::None),
                ("25", D("2022-03-25"), Q::None),
            ],
        ),
        (
            "calls on 24 and 25 March.",
            "2022-03-26",
            &[
                ("24", D("2022-03-24"), Q::None),
                ("25 March", D("2022-03-25"), Q::None),
            ],
        ),
        (
            "calls on March 24 and 25, 2021.",
            "2022-03-26",
            &[
                ("March 24", D("2021-03-24"), Q::None),
                ("25, 2021", D("2021-03-25"), Q::None),
            ],
        ),
        (
            "on March 25 three ethnic Armenian soldiers were reportedly killed",
            "2022-03-26",
            &[("March 25", D("2022-03-25"), Q::None)],
        ),
        // Count after a bare month: "13 soldiers", not March 13.
        (
            "In March 13 soldiers died.",
            "2022-05-26",
            &[("March", M(2022, 3), Q::None)],
        ),
    ]);
}

#[test]
fn month_day_year_resolution() {
    run(&[
        // One day after publication is allowed (filed after midnight).
        (
            "clashes on March 7",
            "2023-03-06",
            &[("March 7", D("2023-03-07"), Q::None)],
        ),
        (
            "clashes on March 8",
            "2023-03-06",
            &[("March 8", D("2022-03-08"), Q::None)],
        ),
        (
            "clashes on December 31",
            "2024-01-01",
            &[("December 31", D("2023-12-31"), Q::None)],
        ),
        (
            "clashes on January 1",
            "2023-12-31",
            &[("January 1", D("2024-01-01"), Q::None)],
        ),
        (
            "clashes on February 29",
            "2023-03-01",
            &[("February 29", D("2020-02-29"), Q::None)],
        ),
        ("clashes on February 30", "2023-03-01", &[]),
        ("clashes on 30 February 2020", "2023-03-01", &[]),
    ]);
}

#[test]
fn explicit_years_and_months() {
    let p = "2023-03-06";
    run(&[
        (
            "on 12 October 2020, clashes",
            p,
            &[("12 October 2020", D("2020-10-12"), Q::None)],
        ),
        (
            "on October 12, 2020, clashes",
            p,
            &[("October 12, 2020", D("2020-10-12"), Q::None)],
        ),
        (
            "on October 12 2020 clashes",
            p,
            &[("October 12 2020", D("2020-10-12"), Q::None)],
        ),
        (
            "April 8, 2016 - 10:57 AMT",
            p,
            &[("April 8, 2016", D("2016-04-08"), Q::None)],
        ),
        (
            "12 October 2020, 19:02",
            p,
            &[("12 October 2020", D("2020-10-12"), Q::None)],
        ),
        (
            "fighting in March 2016 killed 200",
            p,
            &[("March 2016", M(2016, 3), Q::None)],
        ),
        (
            "fighting in March of 2016",
            p,
            &[("March of 2016", M(2016, 3), Q::None)],
        ),
        (
            "the trilateral statement of November 2020.",
            p,
            &[("November 2020", M(2020, 11), Q::None)],
        ),
        (
            "a January 2021 pact with Baku",
            p,
            &[("January 2021", M(2021, 1), Q::None)],
        ),
        (
            "the trilateral statements of November 2021, January 2021, and November 2021",
            p,
            &[
                ("November 2021", M(2021, 11), Q::None),
                ("January 2021", M(2021, 1), Q::None),
                ("November 2021", M(2021, 11), Q::None),
            ],
        ),
        (
            "a Nov. 2020 deal",
            p,
            &[("Nov. 2020", M(2020, 11), Q::None)],
        ),
    ]);
}

#[test]
fn years_decades_seasons_ranges() {
    let p = "2023-03-06";
    run(&[
        ("In 2010, Russia signed an agreement with Armenia that extends its lease on a military base in that country until 2044", p, &[
            ("2010", Y(2010), Q::None),
            ("2044", Y(2044), Q::Until),
        ]),
        ("leading to a 1991-1994 war that left more than 25,000 people dead.", p, &[("1991-1994", Y(1991), Q::None)]),
        ("a 1991–94 war", p, &[("1991–94", Y(1991), Q::None)]),
        ("the war fought between 1991 and 1994", p, &[("1991 and 1994", Y(1991), Q::None)]),
        ("the war lasted from 1991 to 1994", p, &[("1991 to 1994", Y(1991), Q::None)]),
        ("a war fought in the early 1990s.", p, &[("1990s", Y(1990), Q::None)]),
        ("in the 1990s", p, &[("1990s", Y(1990), Q::None)]),
        ("In the fall of 2020, in 44 days of clashes, Azerbaijan liberated several cities", p, &[("fall of 2020", Y(2020), Q::None)]),
        ("the autumn 2020 war", p, &[("autumn 2020", Y(2020), Q::None)]),
        ("fighting in spring 2016", p, &[("spring 2016", Y(2016), Q::None)]),
        ("fighting in winter 2022-23", p, &[("winter 2022-23", Y(2022), Q::None)]),
        ("fighting in mid-2020", p, &[("2020", Y(2020), Q::None)]),
        ("a six-week war in 2020.", p, &[("2020", Y(2020), Q::None)]),
        ("The war between Armenia and Azerbaijan in 2020 claimed more than 6,500 lives.", p, &[("2020", Y(2020), Q::None)]),
        ("2020 was a year of war.", p, &[("2020", Y(2020), Q::None)]),
        ("In 2020 Azerbaijani soldiers recaptured the town.", p, &[("2020", Y(2020), Q::None)]),
        ("the fall of the city", p, &[]),
    ]);
}

#[test]
fn birth_years_are_not_event_dates() {
    let p = "2023-03-06";
    run(&[
        (
            "Sergeant Tom Varga, born in 1998, was wounded on Sunday.",
            p,
            &[("Sunday", D("2023-03-05"), Q::None)],
        ),
        (
            "Lieutenant Ivo Maras (1987) was killed on 2 March.",
            p,
            &[("2 March", D("2023-03-02"), Q::None)],
        ),
        (
            "Рядовой Иван Петров, 2001 года рождения, погиб 2 марта.",
            p,
            &[("2 марта", D("2023-03-02"), Q::None)],
        ),
        ("Рядовой Петров родился в 2001 году.", p, &[]),
        // A bracketed year after a name without a toll stays a year.
        (
            "The Second Karabakh War (2020) changed the map.",
            p,
            &[("2020", Y(2020), Q::None)],
        ),
        (
            "Lieutenant Ivo Maras was killed in 2021.",
            p,
            &[("2021", Y(2021), Q::None)],
        ),
    ]);
}

#[test]
fn qualifiers() {
    let p = "2014-08-02";
    run(&[
        ("The eight soldiers killed on Thursday represent the biggest single-day death toll for Azerbaijani troops since a cease-fire was declared in May 1994, military expert Dzhasura Sumerinli told Efe.", p, &[
            ("Thursday", D("2014-07-31"), Q::None),
            ("May 1994", M(1994, 5), Q::Since),
        ]),
        ("The OSCE has been supervising that truce since then.", p, &[]),
        ("Relations have been tense since 1991, when the Armenian military occupied it.", p, &[("1991", Y(1991), Q::Since)]),
        ("The base will stay until 2044.", p, &[("2044", Y(2044), Q::Until)]),
        ("The base will stay till the end of 2044.", p, &[("2044", Y(2044), Q::Until)]),
        ("Troops must leave by 2030.", p, &[("2030", Y(2030), Q::Until)]),
        ("Troops must leave by the end of 2030.", p, &[("2030", Y(2030), Q::Until)]),
        ("They were killed by forces on Monday.", p, &[("Monday", D("2014-07-28"), Q::None)]),
        ("It was quiet before March 5.", p, &[("March 5", D("2014-03-05"), Q::Before)]),
        ("It was quiet prior to March 5.", p, &[("March 5", D("2014-03-05"), Q::Before)]),
        ("Troops massed ahead of the 2020 war.", p, &[("2020", Y(2020), Q::Before)]),
        ("Refugees fled after the 2020 war.", p, &[("2020", Y(2020), Q::After)]),
        ("Talks resumed following the May 2014 clashes.", p, &[("May 2014", M(2014, 5), Q::After)]),
        ("Russia made an effort after a fresh wave of fighting broke out in the region on Saturday.", p, &[("Saturday", D("2014-08-02"), Q::None)]),
        ("Since 1994, but on Monday, clashes erupted.", p, &[("1994", Y(1994), Q::Since), ("Monday", D("2014-07-28"), Q::None)]),
    ]);
}

#[test]
fn numeric_dates() {
    run(&[
        (
            "Clashes on 2023-03-05 killed two.",
            "2023-03-06",
            &[("2023-03-05", D("2023-03-05"), Q::None)],
        ),
        (
            "Clashes on 2023/03/05 killed two.",
            "2023-03-06",
            &[("2023/03/05", D("2023-03-05"), Q::None)],
        ),
        (
            "Clashes on 05.03.2023 killed two.",
            "2023-03-06",
            &[("05.03.2023", D("2023-03-05"), Q::None)],
        ),
        // Only month-first (March 5) is not after publication.
        (
            "Clashes on 03.05.2023 killed two.",
            "2023-03-06",
            &[("03.05.2023", D("2023-03-05"), Q::None)],
        ),
        // Both readings possible: day-first by default.
        (
            "Clashes on 3/5/2023 killed two.",
            "2023-12-01",
            &[("3/5/2023", D("2023-05-03"), Q::None)],
        ),
        // Only one valid reading.
        (
            "Clashes on 13/02/2024 killed two.",
            "2024-03-01",
            &[("13/02/2024", D("2024-02-13"), Q::None)],
        ),
        (
            "Clashes on 02/13/2024 killed two.",
            "2024-03-01",
            &[("02/13/2024", D("2024-02-13"), Q::None)],
        ),
        (
            "Clashes on 5/5/2023 killed two.",
            "2024-03-01",
            &[("5/5/2023", D("2023-05-05"), Q::None)],
        ),
        (
            "Clashes on 05.03.23 killed two.",
            "2023-03-06",
            &[("05.03.23", D("2023-03-05"), Q::None)],
        ),
        ("Clashes on 32/13/2024 killed two.", "2024-03-01", &[]),
    ]);
    // A weekday the article names settles the order.
    let mut ctx = ctx_pub("2023-12-01");
    ctx.weekdays = vec![Sun];
    check(
        "Clashes on 3/5/2023 killed two.",
        &ctx,
        &[("3/5/2023", D("2023-03-05"), Q::None)],
    );
    // A weekday in the sentence beats the article's.
    ctx.weekdays = vec![Wed];
    check(
        "Clashes on 3/5/2023, a Sunday.",
        &ctx,
        &[
            ("3/5/2023", D("2023-03-05"), Q::None),
            ("Sunday", D("2023-11-26"), Q::None),
        ],
    );
}

#[test]
fn vague_recent() {
    let p = "2014-08-02";
    run(&[
        (
            "clashes that have left 13 dead on the Azerbaijani side in recent days.",
            p,
            &[("recent days", R, Q::None)],
        ),
        (
            "Over the past few days, there have been repeated violations.",
            p,
            &[("past few days", R, Q::None)],
        ),
        (
            "troops who have died over the past 48 hours to 13.",
            p,
            &[("past 48 hours", R, Q::None)],
        ),
        ("in the last 24 hours", p, &[("last 24 hours", R, Q::None)]),
        (
            "over the past two days",
            p,
            &[("past two days", R, Q::None)],
        ),
        ("over the past week", p, &[("past week", R, Q::None)]),
        ("in the last week", p, &[("last week", R, Q::None)]),
        (
            "in the past couple of weeks",
            p,
            &[("past couple of weeks", R, Q::None)],
        ),
        (
            "Incidents have been frequent in recent months, and",
            p,
            &[("recent months", R, Q::None)],
        ),
        ("in recent weeks", p, &[("recent weeks", R, Q::None)]),
        (
            "Tensions have recently risen.",
            p,
            &[("recently", R, Q::None)],
        ),
        ("in the past, it was different", p, &[]),
    ]);
}

#[test]
fn not_dates() {
    let p = "2023-03-06";
    run(&[
        ("clashes that have left 13 dead", p, &[]),
        (
            "Moscow deployed almost 2,000 peacekeepers to the region",
            p,
            &[],
        ),
        ("in 44 days of clashes", p, &[]),
        ("claimed more than 6,500 lives", p, &[]),
        ("left more than 25,000 dead", p, &[]),
        ("some 2000 people fled", p, &[]),
        ("2000 troops were deployed", p, &[]),
        ("2000 Russian peacekeepers arrived", p, &[]),
        ("about 1995 soldiers", p, &[]),
        ("a man aged 25 was killed", p, &[]),
        ("at 19:02 local time", p, &[]),
        ("at 10:57 AMT", p, &[]),
        ("prices rose 20% and 2020%", p, &[]),
        ("a $2000 fine", p, &[]),
        ("2000 km away", p, &[]),
        ("a 3.5 km road", p, &[]),
        ("It may escalate.", p, &[]),
        ("May God help them.", p, &[]),
        ("a march on the capital", p, &[]),
        ("March on the capital!", p, &[]),
        ("the April War", p, &[]),
        ("Jan said nothing.", p, &[]),
        ("Oct 2020", p, &[("Oct 2020", M(2020, 10), Q::None)]),
        ("version 1.2.3 of the plan", p, &[]),
        ("Resolution No. 2020", p, &[]),
        ("in his 20s", p, &[]),
        ("the 5th brigade", p, &[]),
    ]);
}

#[test]
fn may_and_march_need_cues() {
    let p = "2023-07-06";
    run(&[
        (
            "Clashes in May killed two.",
            p,
            &[("May", M(2023, 5), Q::None)],
        ),
        (
            "Clashes since May killed two.",
            p,
            &[("May", M(2023, 5), Q::Since)],
        ),
        (
            "Clashes in early May killed two.",
            p,
            &[("May", M(2023, 5), Q::None)],
        ),
        (
            "May 2023 was quiet.",
            p,
            &[("May 2023", M(2023, 5), Q::None)],
        ),
        ("May troops withdraw?", p, &[]),
        (
            "the March 1 events",
            p,
            &[("March 1", D("2023-03-01"), Q::None)],
        ),
        ("a March on the capital", p, &[]),
    ]);
}

#[test]
fn no_publication_date() {
    // "March 5 ... on Sunday": the year in [latest-1, latest] where March 5 is a Sunday.
    let ctx = DateContext {
        published: None,
        weekdays: vec![],
        latest_year: Some(2024),
        ..Default::default()
    };
    check(
        "On March 5, on Sunday, two soldiers died.",
        &ctx,
        &[
            ("March 5", D("2023-03-05"), Q::None),
            ("Sunday", D("2023-03-05"), Q::None),
        ],
    );
    // The article's weekdays count when the sentence has none.
    let ctx2 = DateContext {
        published: None,
        weekdays: vec![Sun],
        latest_year: Some(2024),
        ..Default::default()
    };
    check(
        "On March 5, two soldiers died.",
        &ctx2,
        &[("March 5", D("2023-03-05"), Q::None)],
    );
    // No weekday agreement: the latest year.
    check(
        "On March 6, two soldiers died.",
        &ctx2,
        &[("March 6", D("2024-03-06"), Q::None)],
    );
    check(
        "Clashes in March.",
        &ctx2,
        &[("March", M(2024, 3), Q::None)],
    );
    // Nothing to resolve against: relative expressions are left out.
    let empty = DateContext::default();
    check(
        "On Sunday, yesterday, last week, in March, in recent days, in 2010.",
        &empty,
        &[("recent days", R, Q::None), ("2010", Y(2010), Q::None)],
    );
    // A weekday resolves against the latest dated day of its sentence.
    check(
        "On Sunday, 20 km from where fighting began on 12 October 2020.",
        &empty,
        &[
            ("Sunday", D("2020-10-11"), Q::None),
            ("12 October 2020", D("2020-10-12"), Q::None),
        ],
    );
}

#[test]
fn context_from_text() {
    let ctx = DateContext::new(None, SEED_000);
    assert_eq!(ctx.weekdays, vec![Sat, Thu]);
    // "until 2044" is a boundary, not a year the events happen in.
    assert_eq!(ctx.latest_year, Some(2010));
    let ctx = DateContext::new(
        Some(date("2017-08-02")),
        "In 2016 and 2025 and 1994; until 2030",
    );
    assert_eq!(ctx.latest_year, Some(2016));
    assert_eq!(ctx.published, Some(date("2017-08-02")));
    let ctx = DateContext::new(
        None,
        "On Wednesday and Saturday, then Wednesday again. March 2016.",
    );
    assert_eq!(ctx.weekdays, vec![Wed, Sat]);
    assert_eq!(ctx.latest_year, Some(2016));
}

const SEED_000: &str = "Russia on Saturday expressed concerns about clashes.\n\
In 2010, Russia signed an agreement with Armenia that extends its lease on a military base in that country until 2044.\n\
The eight soldiers killed on Thursday represent the biggest toll since a cease-fire was declared in May 1994.\n\
leading to a 1991-1994 war that left more than 25,000 people dead.";

#[test]
fn header_dates() {
    let sat_wed = DateContext {
        published: None,
        weekdays: vec![Sat, Wed],
        latest_year: None,
        ..Default::default()
    };
    let none = DateContext::default();
    let thu = DateContext {
        published: None,
        weekdays: vec![Thu],
        latest_year: None,
        ..Default::default()
    };
    let y2023 = DateContext {
        published: None,
        weekdays: vec![],
        latest_year: Some(2023),
        ..Default::default()
    };
    let cases: &[(&str, &DateContext, Option<&str>)] = &[
        (
            "HuffPost logo HuffPost 2/04/2016 Annum Masroor",
            &sat_wed,
            Some("2016-04-02"),
        ),
        (
            "HuffPost logo HuffPost 2/04/2016 Annum Masroor",
            &thu,
            Some("2016-02-04"),
        ),
        (
            "HuffPost logo HuffPost 2/04/2016 Annum Masroor",
            &none,
            Some("2016-04-02"),
        ),
        ("12 October 2020, 19:02", &none, Some("2020-10-12")),
        ("April 8, 2016 - 10:57 AMT", &none, Some("2016-04-08")),
        ("Feb 13 2024", &none, Some("2024-02-13")),
        ("Published: 2024-02-13", &none, Some("2024-02-13")),
        (
            "datePublished 2024-02-13T14:05:00Z",
            &none,
            Some("2024-02-13"),
        ),
        ("Posted on 2023/03/05 by staff", &none, Some("2023-03-05")),
        ("By John Smith | March 5, 2023", &none, Some("2023-03-05")),
        (
            "Updated: February 13, 2024 at 2:05 p.m. ET",
            &none,
            Some("2024-02-13"),
        ),
        ("BAKU, Sept 28 (Reuters) -", &y2023, Some("2023-09-28")),
        ("13 February 2024 | 14:05", &none, Some("2024-02-13")),
        ("Updated 13.02.2024 14:05", &none, Some("2024-02-13")),
        ("Monday, 6 March 2023", &none, Some("2023-03-06")),
        ("Mon, 6 Mar 2023 10:00:00 GMT", &none, Some("2023-03-06")),
        ("Sat 2/04/2016", &thu, Some("2016-04-02")),
        ("YEREVAN, JULY 16, ARMENPRESS.", &none, None),
        ("YEREVAN, JULY 16, ARMENPRESS.", &y2023, Some("2023-07-16")),
        ("Russia on Saturday expressed concerns", &sat_wed, None),
        ("In 2010, Russia signed an agreement", &none, None),
        ("November 2020", &none, None),
        ("ISTANBUL", &none, None),
        ("", &none, None),
    ];
    for (line, ctx, want) in cases {
        assert_eq!(header_date(line, ctx), want.map(date), "line {line:?}");
    }
}

#[test]
fn publication_from_header_lines() {
    let text = "You are using an older browser version.\n\nPutin Calls For End To Violence\n\nHuffPost logo HuffPost 2/04/2016 Annum Masroor\n\nBAKU (Reuters) - Fighting broke out on Saturday.\n\nOn Wednesday, Kerry called.";
    let ctx = DateContext::new(None, text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        infer_publication_date(&lines, &ctx),
        Some(date("2016-04-02"))
    );
    // A "Published" line wins over an earlier "Updated" one... only when marked.
    let lines = [
        "Title",
        "Updated 14.02.2024 09:00",
        "Published: 2024-02-13",
        "Body.",
    ];
    assert_eq!(
        infer_publication_date(&lines, &DateContext::default()),
        Some(date("2024-02-13"))
    );
    let lines = ["Title", "Body mentions November 2020 only."];
    assert_eq!(
        infer_publication_date(&lines, &DateContext::default()),
        None
    );
    // Long paragraphs are not headers.
    let long = format!("On 5 March 2023 {}", "fighting continued ".repeat(20));
    assert_eq!(
        infer_publication_date(&[long.as_str()], &DateContext::default()),
        None
    );
    assert_eq!(infer_publication_date(&[], &DateContext::default()), None);
}

#[test]
fn seed_sentences() {
    run(&[
        ("Azerbaijan's Defense Ministry said four of the country's soldiers were killed Saturday in border clashes with Armenia, raising the number of Azerbaijani troops who have died over the past 48 hours to 13.", "2014-08-02", &[
            ("Saturday", D("2014-08-02"), Q::None),
            ("past 48 hours", R, Q::None),
        ]),
        ("For its part, Armenia threatened Saturday to carry out punitive measures.", "2014-08-02", &[("Saturday", D("2014-08-02"), Q::None)]),
        ("Russia on Monday called on Azerbaijan and Armenia to defuse tensions in the Karabakh region.", "2023-03-06", &[("Monday", D("2023-03-06"), Q::None)]),
        ("Baku's Defense Ministry said at least two Azerbaijani soldiers were killed on Sunday when Armenian forces opened fire on them", "2023-03-06", &[("Sunday", D("2023-03-05"), Q::None)]),
        ("where a Russian peacekeeping contingent has been temporarily stationed since the aftermath of the fall 2020 conflict in the Karabakh region and a January 2021 pact with Baku and Yerevan.", "2023-03-06", &[
            ("fall 2020", Y(2020), Q::Since),
            ("January 2021", M(2021, 1), Q::None),
        ]),
        ("adding that Russia underlined the need to comply with the trilateral statement of November 2020.", "2023-03-06", &[("November 2020", M(2020, 11), Q::None)]),
        ("has run its own affairs with heavy military and financial backing from Armenia since a separatist war ended in 1994.", "2016-04-02", &[("1994", Y(1994), Q::Since)]),
        ("A ceasefire was called in 1994 but violence has sporadically broken out since.", "2016-04-02", &[("1994", Y(1994), Q::None)]),
        ("On Wednesday, U.S. Secretary of State John Kerry called for a resolution.", "2016-04-02", &[("Wednesday", D("2016-03-30"), Q::None)]),
        ("The announcement was the first time since the end of the hostilities over Karabakh in November 2020 that Moscow has accused one of the parties.", "2022-03-26", &[("November 2020", M(2020, 11), Q::Since)]),
        ("On March 26, Kremlin spokesman Dmitry Peskov confirmed that Putin and Pashinian had held two phone calls on March 24 and March 25.", "2022-03-26", &[
            ("March 26", D("2022-03-26"), Q::None),
            ("March 24", D("2022-03-24"), Q::None),
            ("March 25", D("2022-03-25"), Q::None),
        ]),
    ]);
}

#[test]
fn offsets_are_bytes_with_multibyte_text() {
    let s = "Ереван — «5 March» — Շուշի, on Thursday’s attack";
    let ctx = ctx_pub("2023-03-10");
    let got = find_dates(s, &ctx);
    assert_eq!(got.len(), 2);
    assert_eq!(&s[got[0].start..got[0].end], "5 March");
    assert_eq!(got[0].value, DateValue::Day(date("2023-03-05")));
    assert_eq!(&s[got[1].start..got[1].end], "Thursday");
    assert_eq!(got[1].value, DateValue::Day(date("2023-03-09")));
}

#[test]
fn value_helpers() {
    assert_eq!(
        DateValue::Month {
            year: 2024,
            month: 2
        }
        .latest_day(),
        Some(date("2024-02-29"))
    );
    assert_eq!(
        DateValue::Month {
            year: 2020,
            month: 12
        }
        .to_event_date(),
        (Some("2020-12".to_string()), DatePrecision::Month)
    );
    assert!(DateValue::Year(2010).is_before(date("2014-08-02"), 60));
    assert!(!DateValue::Day(date("2014-07-31")).is_before(date("2014-08-02"), 60));
    assert!(!DateValue::Recent.is_before(date("2014-08-02"), 60));
    // A past year as a whole is background, even when its last day is
    // within the window ("last year" in February); the current year is not.
    assert!(DateValue::Year(2023).is_before(date("2024-02-13"), 60));
    assert!(!DateValue::Year(2024).is_before(date("2024-02-13"), 60));
    assert!(!DateValue::Month {
        year: 2023,
        month: 12
    }
    .is_before(date("2024-02-13"), 60));
}

/// A tiny deterministic generator for the fuzz test.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn never_panics_on_arbitrary_text() {
    const PIECES: &[&str] = &[
        "March",
        "May",
        "may",
        "Sept",
        ".",
        ",",
        " ",
        "  ",
        "5",
        "31",
        "29",
        "2/04/2016",
        "1991-1994",
        "2023-02-30",
        "99.99.9999",
        "0",
        "00",
        "-",
        "–",
        "/",
        ":",
        "th",
        "s",
        "1990s",
        "Saturday",
        "last",
        "past",
        "overnight",
        "into",
        "the",
        "day",
        "before",
        "between",
        "and",
        "from",
        "to",
        "since",
        "by",
        "ago",
        "few",
        "a",
        "weeks",
        "recent",
        "fall",
        "of",
        "2044",
        "9999",
        "2100",
        "1800",
        "Ж",
        "日本",
        "🙂",
        "é",
        "\u{301}",
        "\n",
        "'",
        "’",
        "%",
        "$",
        "12345678901234567890",
        "4294967296",
        "-2147483648",
        "31/12/2100",
        "1/1/1800",
        "29.02.2100",
        "JULY",
        "this",
        "next",
        "week",
        "weekend",
        "tonight",
        "0th",
        "32nd",
        "7-8",
        "8-7",
        "and",
        "25,000",
    ];
    let wide = DateContext {
        published: Some(date("2100-12-31")),
        weekdays: vec![Mon, Sat],
        latest_year: Some(2100),
        ..Default::default()
    };
    let low = DateContext {
        published: Some(NaiveDate::MIN),
        weekdays: vec![],
        latest_year: Some(i32::MIN / 2),
        ..Default::default()
    };
    let ctxs = [ctx_pub("2014-08-02"), DateContext::default(), wide, low];
    let mut rng = Lcg(42);
    for _ in 0..3000 {
        let n = (rng.next() % 24) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[(rng.next() as usize) % PIECES.len()]);
            if rng.next() % 3 == 0 {
                s.push(' ');
            }
        }
        for ctx in &ctxs {
            let ms = find_dates(&s, ctx);
            let mut prev_end = 0;
            for m in &ms {
                assert!(m.start < m.end && m.end <= s.len(), "{s:?}");
                assert!(m.start >= prev_end, "overlap in {s:?}");
                assert!(
                    s.is_char_boundary(m.start) && s.is_char_boundary(m.end),
                    "{s:?}"
                );
                prev_end = m.end;
                let _ = m.value.to_event_date();
            }
            let _ = header_date(&s, ctx);
        }
        let _ = DateContext::new(None, &s);
        let _ = DateContext::new(Some(NaiveDate::MAX), &s);
        let _ = infer_publication_date(&[s.as_str()], &DateContext::default());
    }
}

#[test]
fn assorted_outlet_styles() {
    // 2020-09-29 is a Tuesday.
    let p = "2020-09-29";
    run(&[
        (
            "Fighting erupted on Sunday (Sept. 27) along the line.",
            p,
            &[
                ("Sunday", D("2020-09-27"), Q::None),
                ("Sept. 27", D("2020-09-27"), Q::None),
            ],
        ),
        (
            "BAKU, Sept 28 (Reuters) - Shelling continued.",
            p,
            &[("Sept 28", D("2020-09-28"), Q::None)],
        ),
        (
            "Clashes began on September 27, 2020.",
            p,
            &[("September 27, 2020", D("2020-09-27"), Q::None)],
        ),
        (
            "Clashes began on 27 September, 2020.",
            p,
            &[("27 September, 2020", D("2020-09-27"), Q::None)],
        ),
        (
            "Clashes began on 27.09.2020 at 07:10.",
            p,
            &[("27.09.2020", D("2020-09-27"), Q::None)],
        ),
        (
            "Clashes began 2020-09-27T07:10:00Z.",
            p,
            &[("2020-09-27T", D("2020-09-27"), Q::None)],
        ),
        (
            "Tension rose in late September.",
            p,
            &[("September", M(2020, 9), Q::None)],
        ),
        (
            "It recalled the four-day war of April 2016.",
            p,
            &[("April 2016", M(2016, 4), Q::None)],
        ),
        ("The 44-day war ended.", p, &[]),
        (
            "Shells fell at 3 a.m. on Sunday.",
            p,
            &[("Sunday", D("2020-09-27"), Q::None)],
        ),
        (
            "Shells fell in the early hours of Sunday.",
            p,
            &[("Sunday", D("2020-09-27"), Q::None)],
        ),
        (
            "Shells fell this past weekend.",
            p,
            &[("past weekend", W("2020-09-26"), Q::None)],
        ),
        (
            "Shells fell this past Sunday.",
            p,
            &[("past Sunday", D("2020-09-27"), Q::None)],
        ),
        ("The next day, shells fell.", p, &[]),
        (
            "Last Friday's attack killed two.",
            p,
            &[("Last Friday", D("2020-09-25"), Q::None)],
        ),
        (
            "In the year 2016 a war broke out.",
            p,
            &[("2016", Y(2016), Q::None)],
        ),
        ("Theresa May said it was grave.", p, &[]),
        (
            "Shells fell from 7 to 8 April.",
            p,
            &[("7 to 8 April", D("2020-04-07"), Q::None)],
        ),
        (
            "Fighting from March 30 to April 2.",
            p,
            &[
                ("March 30", D("2020-03-30"), Q::None),
                ("April 2", D("2020-04-02"), Q::None),
            ],
        ),
        (
            "The ceasefire took effect at midnight on Saturday-Sunday.",
            p,
            &[("Saturday-Sunday", D("2020-09-26"), Q::None)],
        ),
        (
            "Shells fell two weeks ago.",
            p,
            &[("two weeks ago", W("2020-09-15"), Q::None)],
        ),
        (
            "A year ago, shells fell.",
            p,
            &[("A year ago", Y(2019), Q::None)],
        ),
        (
            "Shells have fallen for the past two years.",
            p,
            &[("past two years", R, Q::None)],
        ),
        (
            "Talks are due next week.",
            p,
            &[("next week", W("2020-10-06"), Q::None)],
        ),
        (
            "The ceasefire must hold until Monday.",
            p,
            &[("Monday", D("2020-09-28"), Q::Until)],
        ),
        (
            "Shells fell shortly before dawn on Sunday.",
            p,
            &[("Sunday", D("2020-09-27"), Q::None)],
        ),
        (
            "Shells fell after 10 pm on Saturday.",
            p,
            &[("Saturday", D("2020-09-26"), Q::None)],
        ),
        (
            "Shells fell after midnight on Saturday.",
            p,
            &[("Saturday", D("2020-09-26"), Q::None)],
        ),
        (
            "Shells fell between March 5 and 7.",
            p,
            &[("March 5 and 7", D("2020-03-05"), Q::None)],
        ),
        (
            "Shells fell between 5 and 7 March.",
            p,
            &[("5 and 7 March", D("2020-03-05"), Q::None)],
        ),
        (
            "Memories of the 2020 armed conflict.",
            p,
            &[("2020", Y(2020), Q::None)],
        ),
        ("Some 2000 armed men attacked.", p, &[]),
        ("Armenia Today reported the attack.", p, &[]),
        (
            "Elections are due next March.",
            p,
            &[("next March", M(2021, 3), Q::None)],
        ),
        (
            "Elections are due next December.",
            p,
            &[("next December", M(2020, 12), Q::None)],
        ),
        (
            "Elections were held last March.",
            p,
            &[("March", M(2020, 3), Q::None)],
        ),
        (
            "Today, shells fell.",
            p,
            &[("Today", D("2020-09-29"), Q::None)],
        ),
        ("Then 2000 more troops arrived.", p, &[]),
    ]);
}

#[test]
fn weekday_written_with_a_date_can_point_past_the_latest_year_named() {
    // No publication date; the article names 2023 ("since October 2023"), and
    // "Tuesday, July 16" is a Tuesday only in 2024.
    let text = "Operation 1027 began in October 2023. Airstrikes hit Kyaukme on Tuesday, July 16.";
    let ctx = DateContext::new(None, text);
    let ds = find_dates("Airstrikes hit Kyaukme on Tuesday, July 16.", &ctx);
    assert_eq!(
        ds.last().map(|d| d.value),
        Some(DateValue::Day(
            NaiveDate::from_ymd_opt(2024, 7, 16).unwrap()
        ))
    );
}

/// Dates of a range of a tokenized text are the dates of that range on its
/// own, for every range, also ranges that cut a number or a word in two.
#[test]
fn tokens_find_dates_equals_find_dates_on_the_slice() {
    let text = "On Tuesday, July 16, 2024 shelling hit Tartar. 3 days ago, on 12.05.2023, \
                clashes; since October 7 and until 2030. Yesterday's drone strike—last week.";
    let toks = Tokens::new(text);
    for ctx in [ctx_pub("2024-07-20"), DateContext::new(None, text)] {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for (k, &s) in bounds.iter().enumerate() {
            for &e in &bounds[k..] {
                assert_eq!(
                    toks.find_dates(s..e, &ctx),
                    find_dates(&text[s..e], &ctx),
                    "{:?}",
                    &text[s..e]
                );
            }
        }
    }
}

/// weekday_word looks at a token only if it starts with a capital M, T, W,
/// F or S: every weekday name must start with one of them.
#[test]
fn weekday_names_start_with_the_letters_looked_for() {
    for (name, _) in scan::WEEKDAY_NAMES {
        assert!(
            matches!(name.as_bytes()[0], b'm' | b't' | b'w' | b'f' | b's'),
            "{name}"
        );
    }
}

/// Russian dates from the vocabulary (gazetteer/lexicon/ru): lowercase
/// months in their case forms, weekdays in the accusative, "вчера".
#[test]
fn russian_dates() {
    let ctx = DateContext::new(NaiveDate::from_ymd_opt(2021, 6, 12), "");
    let day = |s: &str| DateValue::Day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let table: &[(&str, &[DateValue])] = &[
        ("позиции обстреляли 11 июня в 13:45", &[day("2021-06-11")]),
        ("обстрел 3 мая 2020 года", &[day("2020-05-03")]),
        ("сообщило в пятницу министерство", &[day("2021-06-11")]),
        ("вчера вечером открыли огонь", &[day("2021-06-11")]),
        (
            "в среду и в четверг",
            &[day("2021-06-09"), day("2021-06-10")],
        ),
        ("маяк и июньский день", &[]),
        ("в ночь на 12 июня обстреляли позиции", &[day("2021-06-11")]),
    ];
    for (text, want) in table {
        let got: Vec<DateValue> = find_dates(text, &ctx).iter().map(|d| d.value).collect();
        assert_eq!(&got, want, "{text:?}");
    }
}
