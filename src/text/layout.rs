//! Cleaning, sentence splitting, datelines, header lines and bylines.
//!
//! The article is cut into lines (`\n`, `\r\n`, `\r`, U+2028/9); every line
//! is its own paragraph. Each line is then, in this order:
//!
//! 1. dropped when it is page boilerplate (browser notices, share/follow
//!    lines, subscription footers, photo credits, "More from ...");
//! 2. a byline or credit ("(Reporting by ...)", "Editing by", "-- Reuters");
//! 3. near the top of the article (before the first body sentence): the
//!    title, a subtitle, a header line (date, outlet, author) or a lone
//!    dateline ("ISTANBUL");
//! 4. otherwise body text: a leading dateline prefix is cut off
//!    ("BAKU/YEREVAN (Reuters) -"), "SEE ALSO: <headline>" teasers are
//!    dropped (also when the headline is glued to the next sentence), and the
//!    rest is split into sentences, each of which may still be dropped
//!    (credits, boilerplate) or start a byline.
//!
//! Finally a lone agency sign-off at the very end ("... territory. EFE") is
//! dropped.
//!
//! Everything is plain scanning over the original text: all ranges are byte
//! offsets into it, on char boundaries, and the work is linear in its length
//! (look-behind and look-ahead windows are bounded). No sentence is longer
//! than [`MAX_SENTENCE_BYTES`]: text without sentence ends (a table, an
//! article that lost its punctuation) is cut at spaces, and a byline takes
//! the rest of its line only when that is short, so that the later,
//! per-sentence stages stay linear in the article's length too.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::{Layout, Sentence, SentenceKind};

/// Split an article into sentences, header lines, datelines and dropped boilerplate.
pub fn layout(text: &str, title: Option<&str>) -> Layout {
    let mut st = State::new(text, title);
    for (s, e) in join_wrapped(text, lines(text)) {
        st.line(s, e);
    }
    st.finish()
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

/// How many content lines at the top may still be title/header lines.
const TOP_LINES: usize = 8;

struct State<'a> {
    text: &'a str,
    title_norm: Option<String>,
    out: Layout,
    para: usize,
    emitted: bool,
    content_lines: usize,
    body_seen: bool,
    title_seen: bool,
    subtitle_done: bool,
    last_top: Option<SentenceKind>,
    /// A range of the text (the last line read) holding no boilerplate
    /// marker: its sentences need no marker search of their own.
    unmarked: (usize, usize),
}

impl<'a> State<'a> {
    fn new(text: &'a str, title: Option<&str>) -> Self {
        State {
            text,
            title_norm: title.map(norm_words).filter(|t| !t.is_empty()),
            out: Layout::default(),
            para: 0,
            emitted: false,
            content_lines: 0,
            body_seen: false,
            title_seen: false,
            subtitle_done: false,
            last_top: None,
            unmarked: (0, 0),
        }
    }

    fn push(&mut self, s: usize, e: usize, kind: SentenceKind) {
        let (s, e) = trim_range(self.text, s, e);
        if s >= e {
            return;
        }
        if kind == SentenceKind::Body {
            self.body_seen = true;
        }
        self.emitted = true;
        self.out.sentences.push(Sentence {
            start: s,
            end: e,
            paragraph: self.para,
            kind,
        });
    }

    fn drop_range(&mut self, s: usize, e: usize) {
        let (s, e) = trim_range(self.text, s, e);
        if s < e {
            self.out.dropped.push(s..e);
        }
    }

    fn dateline(&mut self, s: usize, e: usize) {
        let (s, e) = trim_range(self.text, s, e);
        if s < e {
            self.out.datelines.push(s..e);
        }
    }

    /// One trimmed, non-empty line `s..e`.
    fn line(&mut self, s: usize, e: usize) {
        self.emitted = false;
        self.classify_line(s, e);
        if self.emitted {
            self.para += 1;
        }
    }

    fn classify_line(&mut self, s: usize, e: usize) {
        let text = self.text;
        let line = &text[s..e];
        if !line.chars().any(char::is_alphanumeric) {
            // "___", "* * *", "—"
            self.drop_range(s, e);
            return;
        }
        // One marker search for the line; its parts read the answer.
        let marked = markers().ac.is_match(line);
        if !marked {
            self.unmarked = (s, e);
        }
        if boiler_kind(line, marked).is_some() {
            // The whole line goes when it opens with page boilerplate or each
            // of its sentences is boilerplate; otherwise ("Three were killed.
            // Click here ...", a caption with its credit) only the
            // boilerplate sentences go.
            let parts = split_sentences(text, s, e);
            let opens_with_page = parts
                .first()
                .is_some_and(|&(a, b)| self.boiler_kind(a, b) == Some(Boiler::Page));
            if parts.len() <= 1
                || (opens_with_page && word_count(line, 81) <= 80)
                || parts.iter().all(|&(a, b)| self.boiler_kind(a, b).is_some())
            {
                self.drop_range(s, e);
            } else {
                self.body(s, e);
            }
            return;
        }
        let top = !self.body_seen && self.content_lines < TOP_LINES;
        if let Some(kind) = byline_line(line, top) {
            self.push(s, e, kind);
            return;
        }
        if top {
            self.content_lines += 1;
            let wc = word_count(line, 61);
            let period = ends_with_period(line);
            if self.title_matches(line) {
                self.title_seen = true;
                self.last_top = Some(SentenceKind::Title);
                self.push(s, e, SentenceKind::Title);
                return;
            }
            // An all-caps first line of 3+ words is a headline, not "GAZA CITY".
            let caps_headline = !self.title_seen && self.content_lines == 1 && wc >= 3;
            if !caps_headline && lone_dateline(line) {
                self.dateline(s, e);
                return;
            }
            if is_header_line(line) {
                self.last_top = Some(SentenceKind::Header);
                self.push(s, e, SentenceKind::Header);
                return;
            }
            // A title or subtitle is one unpunctuated sentence, not a dateline lead.
            let bad_end = period
                || line.ends_with(':')
                || line.ends_with(',')
                || split_sentences(text, s, e).len() > 1
                || dateline_prefix(line, true).is_some();
            if !self.title_seen && self.content_lines <= 3 && !bad_end && (2..=30).contains(&wc) {
                self.title_seen = true;
                self.last_top = Some(SentenceKind::Title);
                self.push(s, e, SentenceKind::Title);
                return;
            }
            if self.last_top == Some(SentenceKind::Title)
                && !self.subtitle_done
                && !bad_end
                && wc <= 60
            {
                self.subtitle_done = true;
                let kind = if wc >= 5 {
                    SentenceKind::Title
                } else {
                    SentenceKind::Header
                };
                self.last_top = Some(kind);
                self.push(s, e, kind);
                return;
            }
            if !bad_end && wc <= 6 {
                self.last_top = Some(SentenceKind::Header);
                self.push(s, e, SentenceKind::Header);
                return;
            }
        } else if is_header_anywhere(line) || lone_caps(line) {
            self.push(s, e, SentenceKind::Header);
            return;
        }
        self.body(s, e);
    }

    /// The line's [`norm_words`] are the title's, alone or followed by at
    /// most six words. Compared as the words are produced, so a line that
    /// differs from the title early is not normalized any further.
    fn title_matches(&self, line: &str) -> bool {
        let Some(t) = self.title_norm.as_deref() else {
            return false;
        };
        let t = t.as_bytes();
        let mut pos = 0;
        // Words after the title (each starts with a space).
        let mut extra = 0;
        let mut ok = true;
        let mut buf = [0u8; 4];
        norm_words_each(line, |c| {
            if pos < t.len() {
                let enc = c.encode_utf8(&mut buf).as_bytes();
                ok = t[pos..].starts_with(enc);
                pos += enc.len();
            } else if pos == t.len() && extra == 0 && c != ' ' {
                ok = false;
            } else if c == ' ' {
                extra += 1;
                ok = extra <= 6;
            }
            ok
        });
        ok && pos >= t.len()
    }

    /// A body line: dateline prefix, teasers, sentences.
    fn body(&mut self, s: usize, e: usize) {
        let text = self.text;
        let mut cur = s;
        if let Some(len) = dateline_prefix(&text[s..e], !self.body_seen) {
            self.dateline(s, s + len);
            cur = skip_ws(text, s + len, e);
        }
        // Teaser labels ("SEE ALSO: ...") at the start or, in capitals, inside the line.
        let mut guard = 0;
        while cur < e && guard < 64 {
            guard += 1;
            let rest = &text[cur..e];
            if let Some(lab_end) = label_prefix(rest) {
                let (drop_end, body_start) = resolve_label(text, cur + lab_end, e);
                self.drop_range(cur, drop_end);
                cur = skip_ws(text, body_start.max(cur + lab_end), e);
                continue;
            }
            match find_upper_label(rest) {
                Some(p) if p > 0 => {
                    self.sentences(cur, cur + p);
                    cur += p;
                }
                _ => {
                    self.sentences(cur, e);
                    cur = e;
                }
            }
        }
        if cur < e {
            self.sentences(cur, e);
        }
    }

    fn sentences(&mut self, s: usize, e: usize) {
        let text = self.text;
        let parts = bounded(text, split_sentences(text, s, e));
        let mut first = true;
        for (a, b) in parts {
            let (a, b) = trim_range(text, a, b);
            if a >= b {
                continue;
            }
            let sent = &text[a..b];
            if is_inline_byline(sent, first) {
                // The rest of the line is the byline ("(Reporting by ...;
                // editing by ...)"), unless it is far longer than one (an
                // article that lost its line breaks): then only this sentence.
                if e - a <= MAX_SENTENCE_BYTES {
                    self.push(a, e, SentenceKind::Byline);
                    return;
                }
                self.push(a, b, SentenceKind::Byline);
                first = false;
                continue;
            }
            first = false;
            if self.boiler_kind(a, b).is_some() || !sent.chars().any(char::is_alphanumeric) {
                self.drop_range(a, b);
            } else {
                self.push(a, b, SentenceKind::Body);
            }
        }
    }

    /// [`boiler_kind`] of `text[a..b]`, without the marker search inside
    /// a range known to hold no marker.
    fn boiler_kind(&self, a: usize, b: usize) -> Option<Boiler> {
        let (ua, ub) = self.unmarked;
        boiler_kind(&self.text[a..b], !(ua <= a && b <= ub))
    }

    fn finish(mut self) -> Layout {
        // The last body/header sentence, followed by nothing but bylines.
        let last = self
            .out
            .sentences
            .iter()
            .rposition(|s| s.kind != SentenceKind::Byline);
        if let Some(i) = last {
            let s = &self.out.sentences[i];
            if i >= 1
                && matches!(s.kind, SentenceKind::Body | SentenceKind::Header)
                && is_signoff(s.text(self.text))
            {
                let r = s.start..s.end;
                self.out.sentences.remove(i);
                self.out.dropped.push(r);
            }
        }
        self.out.dropped.sort_by_key(|r| r.start);
        self.out.datelines.sort_by_key(|r| r.start);
        self.out
    }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

fn is_trim_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200e}' | '\u{200f}')
}

/// `s..e` without surrounding whitespace (and zero-width junk).
fn trim_range(text: &str, s: usize, e: usize) -> (usize, usize) {
    let sl = &text[s..e];
    let t = sl.trim_start_matches(is_trim_char);
    let s2 = s + (sl.len() - t.len());
    let t2 = t.trim_end_matches(is_trim_char);
    (s2, s2 + t2.len())
}

fn skip_ws(text: &str, s: usize, e: usize) -> usize {
    if s >= e {
        return e;
    }
    let sl = &text[s..e];
    s + (sl.len() - sl.trim_start_matches(is_trim_char).len())
}

/// Trimmed, non-empty lines.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut st = 0;
    let push = |a: usize, b: usize, v: &mut Vec<(usize, usize)>| {
        let (a, b) = trim_range(text, a, b);
        if a < b {
            v.push((a, b));
        }
    };
    // Line breaks: \n \r \x0b \x0c, U+0085 (C2 85), U+2028 and U+2029
    // (E2 80 A8, E2 80 A9), found byte by byte.
    let b = text.as_bytes();
    // The bytes that may start one (most bytes are passed over with one test).
    const STARTS: [bool; 256] = {
        let mut t = [false; 256];
        t[b'\n' as usize] = true;
        t[b'\r' as usize] = true;
        t[0x0b] = true;
        t[0x0c] = true;
        t[0xC2] = true;
        t[0xE2] = true;
        t
    };
    for (i, &x) in b.iter().enumerate() {
        if !STARTS[x as usize] {
            continue;
        }
        let len = match x {
            b'\n' | b'\r' | 0x0b | 0x0c => 1,
            0xC2 if b.get(i + 1) == Some(&0x85) => 2,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => 3,
            _ => continue,
        };
        push(st, i, &mut v);
        st = i + len;
    }
    push(st, text.len(), &mut v);
    v
}

/// Stage "wrapped lines": hard-wrapped paragraphs (archive copies and wire
/// feeds break lines at about 70 characters) read as one line each. A line
/// continues on the next (no blank line between) when it stops without
/// closing punctuation and either ends with a comma or a word that never
/// ends a paragraph (lexicon `wrap-words`: "near", "the") or the next line
/// starts in lowercase.
fn join_wrapped(text: &str, lines: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(lines.len());
    for (s, e) in lines {
        if let Some(last) = out.last_mut() {
            if continues(text, *last, s) {
                last.1 = e;
                continue;
            }
        }
        out.push((s, e));
    }
    out
}

/// Whether the line `a..b` continues on the line starting at `next`.
fn continues(text: &str, (a, b): (usize, usize), next: usize) -> bool {
    let gap = &text[b..next];
    let breaks = gap.matches('\n').count().max(gap.matches('\r').count());
    if breaks != 1
        || gap
            .chars()
            .any(|c| matches!(c, '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'))
    {
        return false;
    }
    let line = &text[a..b];
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    if matches!(
        last,
        '.' | '!' | '?' | ':' | ';' | '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '…'
    ) {
        return false;
    }
    if last == ',' || text[next..].starts_with(|c: char| c.is_lowercase()) {
        return true;
    }
    let word = line
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_lowercase();
    crate::vocab::words("wrap-words").contains(&word.as_str())
}

/// Word spans (start, end) of `s`, at most `max` words and scanning at most
/// about `max_bytes` bytes.
fn words(s: &str, max: usize, max_bytes: usize) -> Vec<(usize, usize)> {
    let mut v = Vec::with_capacity(max.min(16));
    let mut st: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if is_trim_char(c) {
            if let Some(a) = st.take() {
                v.push((a, i));
                if v.len() >= max {
                    return v;
                }
            }
            if i > max_bytes {
                return v;
            }
        } else if st.is_none() {
            if i > max_bytes {
                return v;
            }
            st = Some(i);
        }
    }
    if let Some(a) = st {
        v.push((a, s.len()));
    }
    v
}

/// Number of words, counting up to `cap`.
///
/// Runs of eight ASCII bytes are counted at once: a byte starts a word when
/// it is not whitespace and the byte before it is (or it starts the text).
fn word_count(s: &str, cap: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if x & HI == 0 {
                // High bit of each byte: whitespace (space, or \t..\r).
                let t = x ^ (LO * 0x20);
                let space = !(((t & !HI) + !HI) | t) & HI;
                let tab_to_cr = (x + LO * (0x80 - 9)) & !(x + LO * (0x80 - 14)) & HI;
                let ws = space | tab_to_cr;
                let prev_ws = (ws << 8) | if in_word { 0 } else { 0x80 };
                n += (!ws & prev_ws & HI).count_ones() as usize;
                if n >= cap {
                    return cap;
                }
                in_word = ws >> 63 == 0;
                i += 8;
                continue;
            }
        }
        // ASCII bytes directly; other characters decoded.
        let (trim, len) = if b[i] < 0x80 {
            (b[i].is_ascii_whitespace() || b[i] == 0x0b, 1)
        } else {
            let c = s[i..].chars().next().expect("a character starts here");
            (is_trim_char(c), c.len_utf8())
        };
        i += len;
        if trim {
            in_word = false;
        } else if !in_word {
            in_word = true;
            n += 1;
            if n >= cap {
                return n;
            }
        }
    }
    n
}

fn starts_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

/// `s` starts with `p` (ASCII case-insensitive) followed by a non-alphanumeric char or the end.
fn starts_word_ci(s: &str, p: &str) -> bool {
    starts_ci(s, p)
        && s[p.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && !matches!(c, '-' | '\'' | '’'))
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

fn starts_upper(s: &str) -> bool {
    first_char(s).is_some_and(char::is_uppercase)
}

fn starts_lower(s: &str) -> bool {
    first_char(s).is_some_and(char::is_lowercase)
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '„' | '‚')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
}

fn is_dash_str(w: &str) -> bool {
    matches!(w, "-" | "--" | "---" | "–" | "—" | "―" | "−" | ":" | "|")
}

/// Lowercased alphanumeric words joined by single spaces.
fn norm_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_words_each(s, |c| {
        out.push(c);
        true
    });
    out
}

/// The characters of [`norm_words`]`(s)`, one by one, until `f` returns false.
fn norm_words_each(s: &str, mut f: impl FnMut(char) -> bool) {
    let mut pending_space = false;
    let mut started = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if pending_space && started && !f(' ') {
                return;
            }
            pending_space = false;
            for l in c.to_lowercase() {
                started = true;
                if !f(l) {
                    return;
                }
            }
        } else if c.is_whitespace() || !matches!(c, '\'' | '’') {
            pending_space = true;
        }
    }
}

/// The line ends with a sentence-final period (maybe inside closing quotes).
fn ends_with_period(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| is_close_quote(c) || is_trim_char(c));
    t.ends_with('.') && !t.ends_with("..")
}

fn ends_with_terminal(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| is_close_quote(c) || is_trim_char(c));
    t.ends_with(['.', '!', '?', '…'])
}

/// A word without surrounding punctuation (keeps inner '.', '-', '/').
fn core(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric())
}

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

fn in_list_ci(w: &str, list: &[&str]) -> bool {
    list.iter().any(|m| w.eq_ignore_ascii_case(m))
}

fn is_month(w: &str) -> bool {
    crate::dates::month_number(core(w)).is_some()
}

fn is_weekday(w: &str) -> bool {
    in_list_ci(core(w), WEEKDAYS)
}

/// "2/04/2016", "2020-10-12", "12.10.2020", "19:02", a month name.
fn is_date_token(w: &str) -> bool {
    let c = core(w);
    if is_month(c) {
        return true;
    }
    if !first_char(c).is_some_and(|ch| ch.is_ascii_digit()) {
        return false;
    }
    let mut groups = 0;
    let mut seps = 0;
    let mut sep_kind = None;
    let mut in_digits = false;
    for ch in c.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                groups += 1;
                in_digits = true;
            }
        } else if matches!(ch, '/' | '-' | '.' | ':') {
            in_digits = false;
            seps += 1;
            sep_kind = Some(ch);
        } else {
            return false;
        }
    }
    match sep_kind {
        Some(':') => groups >= 2,
        Some(_) => {
            groups >= 3 || (groups == 2 && seps == 1 && c.len() <= 5 && sep_kind == Some('/'))
        }
        None => false,
    }
}

fn is_caps_token(c: &str) -> bool {
    let mut letters = 0;
    for ch in c.chars() {
        if ch.is_alphabetic() {
            if !ch.is_uppercase() {
                return false;
            }
            letters += 1;
        } else if !matches!(ch, '-' | '/' | '.' | '\'' | '’' | '&') {
            return false;
        }
    }
    letters >= 2
}

const CONNECTORS: &[&str] = &[
    "de", "del", "la", "le", "al", "el", "on", "upon", "am", "of", "di", "da", "van", "von", "and",
];

/// A word that may appear in a dateline's place/date part.
fn prefix_word_ok(w: &str) -> bool {
    if w.is_empty() || w.len() > 40 {
        return false;
    }
    if !w
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | ',' | '\'' | '’' | '–'))
    {
        return false;
    }
    let f = match first_char(w) {
        Some(f) => f,
        None => return false,
    };
    if f.is_uppercase() || f.is_ascii_digit() {
        // A word ending with '.' must be an abbreviation ("Oct.", "D.C.").
        if let Some(stem) = w.strip_suffix('.') {
            return is_month(stem)
                || stem.chars().count() <= 2
                || stem.contains('.')
                || is_caps_token(stem);
        }
        return true;
    }
    // Months other languages write in lowercase: "БАКУ, 11 июня. /ТАСС/."
    (!w.is_ascii() && is_month(w.trim_end_matches([',', '.'])))
        || in_list_ci(w.trim_end_matches(','), CONNECTORS)
}

/// "Reuters", "AP", "AFP, Reuters", "dpa": the inside of "(Reuters)".
fn agency_like(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.is_empty() || inner.len() > 32 {
        return false;
    }
    if !inner
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '-' | '.' | '&' | ',' | '\''))
    {
        return false;
    }
    let ws: Vec<&str> = inner.split_whitespace().collect();
    if ws.is_empty() || ws.len() > 4 {
        return false;
    }
    ws.iter().all(|w| {
        let c = core(w);
        starts_upper(c) || in_list_ci(c, &["dpa", "afp", "ap", "efe", "ria"]) || c.is_empty()
    })
}

/// After `pos`: optional whitespace then a dash/colon. Returns the end of the dash.
fn eat_dash(s: &str, pos: usize) -> Option<usize> {
    let rest = &s[pos..];
    let t = rest.trim_start_matches(is_trim_char);
    let off = pos + (rest.len() - t.len());
    for d in ["---", "--", "-", "–", "—", "―", "−", ":"] {
        if let Some(after) = t.strip_prefix(d) {
            // "-" must not start a word ("-based"): require a space or end after it.
            if after.is_empty() || after.starts_with(is_trim_char) || d != "-" {
                return Some(off + d.len());
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Datelines
// ---------------------------------------------------------------------------

/// The byte length of a dateline at the start of `s` (including its dash),
/// e.g. "BAKU/YEREVAN (Reuters) -", "YEREVAN, JULY 16, ARMENPRESS.",
/// "GAZA CITY —" (dash-only datelines only when `allow_dash`).
/// "STEPANAKERT ( —Azerbaijan said": a capitalized place and a parenthesis
/// whose agency was lost when the page was copied, then a dash: the end of
/// the dateline (after the dash).
fn emptied_agency(
    s: &str,
    inner_start: usize,
    k: usize,
    first_caps: bool,
    prefix_ok: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let inner = s[inner_start..].trim_start_matches(is_trim_char);
    let dashed = inner.starts_with(['—', '–']) || inner.starts_with("--");
    if k == 0 || !first_caps || !dashed || !(0..k).all(prefix_ok) {
        return None;
    }
    eat_dash(s, s.len() - inner.len())
}

fn dateline_prefix(s: &str, allow_dash: bool) -> Option<usize> {
    let ws = words(s, 14, 200);
    if ws.is_empty() {
        return None;
    }
    let w = |i: usize| &s[ws[i].0..ws[i].1];
    let first_caps = is_caps_token(core(w(0)).trim_end_matches('.'));

    // A: "PLACE, date (Agency) -" / "(Agency) -" ; B: "PLACE /TASS/."
    for k in 0..ws.len().min(9) {
        let wk = w(k);
        if let Some(inner_start) = wk.strip_prefix('(').map(|_| ws[k].0 + 1) {
            if let Some(d) =
                emptied_agency(s, inner_start, k, first_caps, &|i| prefix_word_ok(w(i)))
            {
                return Some(d);
            }
            let limit = ws[(k + 3).min(ws.len() - 1)].1;
            let close = s[inner_start..limit].find(')')? + inner_start;
            if !agency_like(&s[inner_start..close]) {
                return None;
            }
            if !(0..k).all(|i| prefix_word_ok(w(i))) {
                return None;
            }
            let end = close + 1;
            if let Some(d) = eat_dash(s, end) {
                return Some(d);
            }
            if let Some(after) = s[end..].strip_prefix(['.', ',']) {
                // "Baku, Aug 2 (EFE).- ...", "Kyiv, 5 March (Ukrinform). ..."
                if let Some(d) = eat_dash(s, end + 1) {
                    return Some(d);
                }
                let next = after.trim_start_matches(is_trim_char);
                if after.starts_with(is_trim_char)
                    && (starts_upper(next) || next.starts_with(is_open_quote))
                {
                    return Some(end + 1);
                }
                return None;
            }
            if s[end..].trim_matches(is_trim_char).is_empty() && (k > 0 || allow_dash) {
                return Some(end);
            }
            // "MOSCOW (Reuters) Russia said", "Jammu, Nov 9 (PTI) A BSF jawan":
            // a capitalized place, or a "Place, date" prefix, then the agency.
            if k > 0 && (first_caps || s[..ws[k].0].contains(',')) {
                return starts_upper(s[end..].trim_start_matches(is_trim_char)).then_some(end);
            }
            return None;
        }
        if wk.len() > 3 && wk.starts_with('/') {
            let inner = wk[1..].trim_end_matches(['.', ',', ':']);
            if let Some(agency) = inner.strip_suffix('/') {
                if k > 0 && is_caps_token(agency) && (0..k).all(|i| prefix_word_ok(w(i))) {
                    let end = ws[k].1;
                    return Some(eat_dash(s, end).unwrap_or(end));
                }
            }
            return None;
        }
        if !prefix_word_ok(wk) && !wk.contains(['—', '–']) {
            break;
        }
    }

    // D: "Baku, 12 October, AZERTAC" / "YEREVAN, JULY 16, ARMENPRESS."
    for i in 1..ws.len().min(9) {
        let wi = w(i);
        let c = core(wi);
        let prev = w(i - 1);
        if !(prev.ends_with(',') || prev.ends_with('.')) {
            if !prefix_word_ok(wi) {
                break;
            }
            continue;
        }
        if c.chars().filter(|ch| ch.is_alphabetic()).count() >= 3
            && is_caps_token(c)
            && !is_month(c)
            && !is_weekday(c)
            && starts_upper(w(0))
            && (0..i).all(|j| prefix_word_ok(w(j)))
            && (0..i).any(|j| w(j).ends_with(','))
            && (first_caps
                || (0..i).any(|j| {
                    is_date_token(w(j)) || core(w(j)).starts_with(|ch: char| ch.is_ascii_digit())
                }))
        {
            let end = ws[i].1;
            if wi.ends_with(['.', ':']) || i + 1 == ws.len() {
                return Some(eat_dash(s, end).unwrap_or(end));
            }
            if let Some(d) = eat_dash(s, end) {
                return Some(d);
            }
            let next = w(i + 1);
            if starts_upper(next) || next.starts_with(is_open_quote) {
                return Some(end);
            }
            return None;
        }
        if !prefix_word_ok(wi) {
            break;
        }
    }

    // E: "Srinagar: Five members of a family..." (South Asian papers): one
    // to three capitalized words and a colon opening the first paragraph.
    if allow_dash {
        for i in 0..ws.len().min(3) {
            let wi = w(i);
            if !starts_upper(wi) {
                break;
            }
            if let Some(name) = wi.strip_suffix(':') {
                let letters = name.chars().filter(|c| c.is_alphabetic()).count();
                if letters >= 3 && i + 1 < ws.len() && starts_upper(w(i + 1)) {
                    return Some(ws[i].1);
                }
                break;
            }
        }
    }

    // C: "GAZA CITY —", "KYIV, Ukraine —", "Baku, Oct. 12 —".
    if allow_dash {
        for i in 0..ws.len().min(9) {
            let wi = w(i);
            let dash_at = if is_dash_str(wi) && wi != ":" && wi != "|" {
                Some(ws[i].0)
            } else {
                wi.find(['—', '–']).map(|p| ws[i].0 + p)
            };
            if let Some(dp) = dash_at {
                if i == 0 && dp == ws[0].0 {
                    return None;
                }
                let pre = s[..dp].trim_end();
                let pre_ws: Vec<&str> = pre.split_whitespace().collect();
                if pre_ws.is_empty() || !pre_ws.iter().all(|x| prefix_word_ok(x)) {
                    return None;
                }
                let ok = if first_caps {
                    core(pre_ws[0])
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .count()
                        >= 3
                        || pre_ws[0].contains('/')
                } else {
                    pre.contains(',') && pre_ws.iter().any(|x| is_date_token(x))
                };
                if !ok {
                    return None;
                }
                let dash_len = s[dp..]
                    .chars()
                    .take_while(|c| matches!(c, '-' | '—' | '–' | '―' | '−'))
                    .map(char::len_utf8)
                    .sum::<usize>();
                return Some(dp + dash_len.max(1));
            }
            if !prefix_word_ok(wi) {
                return None;
            }
        }
    }
    None
}

/// A line that is only a dateline: "ISTANBUL", "GAZA CITY", "(Anadolu)",
/// "BAKU, Azerbaijan, Oct. 12", "Baku, 12 October 2020".
fn lone_dateline(line: &str) -> bool {
    if let Some(end) = dateline_prefix(line, true) {
        if line[end..]
            .trim_matches(|c: char| is_trim_char(c) || matches!(c, '.' | '-' | '—' | '–' | ':'))
            .is_empty()
        {
            return true;
        }
    }
    if lone_caps(line) {
        return true;
    }
    let ws: Vec<&str> = line.split_whitespace().take(9).collect();
    if ws.len() < 2 || ws.len() > 8 || !ws.iter().all(|w| prefix_word_ok(w)) {
        return false;
    }
    let w0 = ws[0];
    if !w0.ends_with(',') || is_month(w0) || is_weekday(w0) || !starts_upper(w0) {
        return false;
    }
    let caps0 = is_caps_token(core(w0));
    if caps0 {
        return true;
    }
    ws.len() <= 6 && ws[1..].iter().any(|w| is_date_token(w) || is_month(w))
}

/// 1-3 words in capitals: "ISTANBUL", "GAZA CITY".
fn lone_caps(line: &str) -> bool {
    let ws: Vec<&str> = line.split_whitespace().take(4).collect();
    if ws.is_empty() || ws.len() > 3 {
        return false;
    }
    ws.iter()
        .all(|w| is_caps_token(core(w)) && !w.contains(['(', ')', ':']))
        && ws
            .iter()
            .any(|w| core(w).chars().filter(|c| c.is_alphabetic()).count() >= 3)
}

// ---------------------------------------------------------------------------
// Header lines and bylines
// ---------------------------------------------------------------------------

const HEADER_PREFIXES: &[&str] = &[
    "updated",
    "last updated",
    "published",
    "first published",
    "posted",
    "modified",
    "last modified",
    "date:",
    "dated",
];

/// A header line near the top: date, "By John Smith", "X logo X ...", "Updated: ...".
fn is_header_line(line: &str) -> bool {
    let wc = word_count(line, 26);
    if is_header_anywhere(line) {
        return true;
    }
    if starts_word_ci(line, "by") && wc <= 12 {
        let rest = line[2..].trim_start();
        if starts_upper(rest) && !ends_with_period(line) {
            return true;
        }
    }
    if wc <= 15
        && line
            .split_whitespace()
            .any(|w| core(w).eq_ignore_ascii_case("logo"))
    {
        return true;
    }
    is_date_line(line)
}

/// Header lines recognised anywhere: "Updated: ...", a line that is only a date.
fn is_header_anywhere(line: &str) -> bool {
    let wc = word_count(line, 26);
    if wc <= 20
        && HEADER_PREFIXES
            .iter()
            .any(|p| starts_word_ci(line, p.trim_end_matches(':')))
    {
        let rest = &line[line
            .find(|c: char| !c.is_alphabetic() && c != ' ')
            .unwrap_or(line.len())..];
        if line.contains(':') || line.split_whitespace().any(is_date_token) || rest.is_empty() {
            return true;
        }
    }
    is_date_line(line)
        && line.split_whitespace().all(|w| {
            let c = core(w);
            c.is_empty()
                || is_date_token(w)
                || is_weekday(c)
                || c.chars().all(|ch| ch.is_ascii_digit())
                || is_time_word(c)
        })
}

fn is_time_word(c: &str) -> bool {
    in_list_ci(
        c,
        &[
            "am", "pm", "a.m", "p.m", "gmt", "utc", "amt", "azt", "msk", "cet", "cest", "est",
            "edt", "bst", "et", "local", "time", "hrs", "h",
        ],
    )
}

/// "12 October 2020, 19:02", "April 8, 2016 - 10:57 AMT", "Feb 13 2024".
fn is_date_line(line: &str) -> bool {
    // More than 12 words (most lines): no need to collect them.
    if line.split_whitespace().nth(12).is_some() {
        return false;
    }
    let ws: Vec<&str> = line.split_whitespace().take(13).collect();
    if ws.is_empty() || ws.len() > 12 {
        return false;
    }
    if !ws.iter().any(|w| is_date_token(w)) {
        return false;
    }
    let lower = ws
        .iter()
        .filter(|w| {
            let c = core(w);
            starts_lower(c)
                && !is_time_word(c)
                && !in_list_ci(
                    c,
                    &[
                        "on",
                        "at",
                        "by",
                        "of",
                        "and",
                        "the",
                        "st",
                        "nd",
                        "rd",
                        "th",
                        "updated",
                        "published",
                        "posted",
                    ],
                )
        })
        .count();
    lower <= 1
        && !ends_with_terminal(line.trim_end_matches('.'))
        && !line.trim_end().ends_with(['!', '?'])
}

const BYLINE_MARKERS: &[&str] = &[
    "reporting by",
    "additional reporting",
    "with reporting by",
    "with additional reporting",
    "reported by",
    "editing by",
    "edited by",
    "writing by",
    "written by",
    "compiled by",
    "compiled from",
    "contributed by",
    "text by",
    "story by",
    "translated by",
    "translation by",
    "produced by",
    "research by",
    "graphics by",
    "photos by",
];

fn strip_lead_punct(s: &str) -> &str {
    s.trim_start_matches(|c: char| {
        is_trim_char(c) || matches!(c, '(' | '[' | '{' | '*' | '•' | '|' | '>' | '»')
    })
}

fn starts_byline_marker(s: &str) -> bool {
    let t = strip_lead_punct(s);
    BYLINE_MARKERS.iter().any(|m| {
        starts_ci(t, m) && {
            let after = t[m.len()..].trim_start_matches(|c: char| is_trim_char(c) || c == ':');
            let after = ["by ", "from "]
                .iter()
                .find_map(|p| after.strip_prefix(p))
                .unwrap_or(after)
                .trim_start();
            starts_upper(after) || after.is_empty()
        }
    })
}

/// Whole-line bylines and credits. `top`: near the top ("By John Smith" is a Header there).
fn byline_line(line: &str, top: bool) -> Option<SentenceKind> {
    let wc = word_count(line, 61);
    if starts_byline_marker(line) && wc <= 60 {
        return Some(SentenceKind::Byline);
    }
    if starts_word_ci(line, "by") && wc <= 10 && !ends_with_period(line) {
        let rest = line[2..].trim_start();
        if starts_upper(rest) {
            return Some(if top {
                SentenceKind::Header
            } else {
                SentenceKind::Byline
            });
        }
    }
    // "-- Reuters", "— Associated Press"
    for d in ["--", "—", "–", "―"] {
        if let Some(rest) = line.strip_prefix(d) {
            let rest = rest.trim_start();
            if starts_upper(rest) && word_count(rest, 8) <= 6 && !ends_with_period(rest) {
                return Some(SentenceKind::Byline);
            }
        }
    }
    if wc <= 40 && contribution_line().is_match(line) {
        return Some(SentenceKind::Byline);
    }
    if is_initials_signoff(line) {
        return Some(SentenceKind::Byline);
    }
    // "Source: Reuters", "Sources: AFP, AP"
    if (starts_ci(line, "source:") || starts_ci(line, "sources:")) && wc <= 8 {
        return Some(SentenceKind::Byline);
    }
    None
}

/// "X contributed to this report" and the like, in any case.
fn contribution_line() -> &'static AhoCorasick {
    static M: OnceLock<AhoCorasick> = OnceLock::new();
    M.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            // Searched in most lines: the fastest kind (four phrases always build).
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build([
                "contributed to this report",
                "contributed reporting",
                "contributed to this story",
                "contributed to this article",
            ])
            .expect("fixed phrases build an automaton")
    })
}

/// DW-style sign-off: "ag/jp (AFP, Reuters)".
fn is_initials_signoff(line: &str) -> bool {
    let mut it = line.split_whitespace();
    let w0 = match it.next() {
        Some(w) => w,
        None => return false,
    };
    let parts: Vec<&str> = w0.split('/').collect();
    if parts.len() < 2
        || !parts
            .iter()
            .all(|p| (1..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()))
    {
        return false;
    }
    let rest: String = it.collect::<Vec<_>>().join(" ");
    rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')') && rest.len() <= 60)
}

/// A sentence inside a body line that starts a byline ("(Reporting by ...").
fn is_inline_byline(sent: &str, first_in_segment: bool) -> bool {
    let t = sent.trim_start();
    if t.starts_with(['(', '[']) && starts_byline_marker(t) {
        return true;
    }
    !first_in_segment && starts_byline_marker(t) && !ends_with_period(t) && word_count(t, 41) <= 40
}

/// A lone agency sign-off at the end of the text: "EFE", "(Reuters)", "— AFP".
fn is_signoff(s: &str) -> bool {
    if ends_with_period(s) || s.ends_with(['!', '?']) {
        return false;
    }
    let parenthesised = s.trim_start().starts_with('(') && s.trim_end().ends_with(')');
    let core_s = s.trim_matches(|c: char| {
        is_trim_char(c) || matches!(c, '(' | ')' | '[' | ']' | '/' | '-' | '–' | '—' | ':' | '*')
    });
    if core_s.is_empty() || core_s.len() > 30 {
        return false;
    }
    if !core_s
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | ',' | '.' | '-' | '&'))
    {
        return false;
    }
    let ws: Vec<&str> = core_s.split_whitespace().collect();
    !ws.is_empty() && ws.len() <= 3 && (parenthesised || ws.iter().all(|w| starts_upper(w)))
}

// ---------------------------------------------------------------------------
// Boilerplate
// ---------------------------------------------------------------------------

/// Photo credits: a sentence of at most 40 words with one of these is dropped.
const CREDIT_MARKERS: &[&str] = &[
    "getty images",
    "shutterstock",
    "ap photo",
    "photo credit",
    "image credit",
    "©",
    "afp photo",
    "reuters photo",
    "epa photo",
    "via getty",
    "afp via",
    "image source",
];

/// Prefixes of photo credits and captions (up to 40 words).
const CREDIT_PREFIXES: &[&str] = &[
    "photo:",
    "photo by",
    "photos:",
    "photograph:",
    "photograph by",
    "image:",
    "images:",
    "picture:",
    "pictured:",
    "caption:",
    "credit:",
    "credits:",
    "file photo",
];

/// Prefixes of boilerplate (any length up to 40 words).
const STRONG_PREFIXES: &[&str] = &[
    "copyright",
    "(c) ",
    "advertisement",
    "watch:",
    "video:",
    "listen:",
    "listen to this article",
    "listen to article",
    "tags:",
    "topics:",
    "keywords:",
    "filed under",
];

/// What kind of boilerplate a line or sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boiler {
    /// Page furniture: browser notices, footers, share lines. A whole line goes.
    Page,
    /// A photo credit or caption credit: only its sentence goes.
    Credit,
}

/// The automaton over crate::vocab::words("strong-markers"), crate::vocab::words("weak-markers"), CREDIT_MARKERS (in that order),
/// with the number of strong markers and of strong and weak ones.
struct Markers {
    ac: AhoCorasick,
    n_strong: usize,
    n_weak: usize,
}

fn markers() -> &'static Markers {
    static M: OnceLock<Markers> = OnceLock::new();
    M.get_or_init(|| {
        let pats: Vec<&str> = crate::vocab::words("strong-markers")
            .iter()
            .chain(crate::vocab::words("weak-markers"))
            .chain(CREDIT_MARKERS)
            .copied()
            .collect();
        // A DFA when it builds (the fastest search; every kind finds the same matches).
        let build = |kind| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(kind)
                .build(&pats)
        };
        let ac = build(Some(aho_corasick::AhoCorasickKind::DFA))
            .or_else(|_| build(None))
            .unwrap_or_else(|_| AhoCorasick::new(["\u{0}never\u{0}"]).expect("trivial automaton"));
        let n_strong = crate::vocab::words("strong-markers").len();
        let n_weak = n_strong + crate::vocab::words("weak-markers").len();
        Markers {
            ac,
            n_strong,
            n_weak,
        }
    })
}

/// What boilerplate `s` is. `scan`: whether `s` may hold a marker (false
/// when it is part of a text already searched without finding one).
fn boiler_kind(s: &str, scan: bool) -> Option<Boiler> {
    let wc = word_count(s, 42);
    let t = strip_lead_punct(s);
    if wc <= 40 {
        let &Markers {
            ref ac,
            n_strong,
            n_weak,
        } = markers();
        let mut credit = false;
        // Nothing to search when `s` is known to hold no marker.
        for m in ac.find_overlapping_iter(if scan { s } else { "" }) {
            let id = m.pattern().as_usize();
            if id < n_strong || (id < n_weak && wc <= 30) {
                return Some(Boiler::Page);
            }
            credit |= id >= n_weak;
        }
        if STRONG_PREFIXES.iter().any(|p| starts_ci(t, p)) {
            return Some(Boiler::Page);
        }
        if credit || CREDIT_PREFIXES.iter().any(|p| starts_ci(t, p)) || caps_slash_credit(s) {
            return Some(Boiler::Credit);
        }
    }
    is_page_furniture(s, wc, t).then_some(Boiler::Page)
}

/// Short navigation/tag/share lines.
fn is_page_furniture(s: &str, wc: usize, t: &str) -> bool {
    if wc <= 8
        && !ends_with_period(s)
        && crate::vocab::words("weak-prefixes")
            .iter()
            .any(|p| starts_word_ci(t, p))
    {
        return true;
    }
    if wc <= 4 {
        let n = norm_words(s);
        if crate::vocab::words("tag-lines").iter().any(|x| n == *x) {
            return true;
        }
    }
    if (1..=12).contains(&wc) {
        let all_social = s.split_whitespace().all(|w| {
            in_list_ci(core(w), crate::vocab::words("social-words")) || core(w).is_empty()
        });
        if all_social
            && s.split_whitespace()
                .any(|w| !in_list_ci(core(w), &["on", "this", "article", "x", "link", "copy"]))
        {
            return true;
        }
    }
    false
}

/// A wire photo credit at the end: "REUTERS/Stringer", "EPA-EFE/ABIR SULTAN".
fn caps_slash_credit(s: &str) -> bool {
    // A credit needs a slash (most lines have none).
    if memchr::memchr(b'/', s.as_bytes()).is_none() {
        return false;
    }
    let ws = words(s, 41, usize::MAX);
    for (i, &(a, b)) in ws.iter().enumerate() {
        if ws.len() - i > 4 {
            continue;
        }
        let w = s[a..b].trim_start_matches(['(', '[']);
        // "[File: Ricardo Franco/EPA]": a bracketed name/AGENCY at the end.
        if let (true, Some(p)) = (w.ends_with([']', ')']), w.rfind('/')) {
            let agency = w[p + 1..].trim_end_matches([']', ')']);
            let name = &w[..p];
            let mut nc = name.chars();
            let name_case = nc.next().is_some_and(char::is_uppercase)
                && nc.next().is_some_and(char::is_lowercase);
            if name_case && is_caps_token(agency) {
                return true;
            }
        }
        if let Some(p) = w.find('/') {
            let (agency, name) = (&w[..p], &w[p + 1..]);
            if !is_caps_token(agency) || agency.contains('/') {
                continue;
            }
            let mut nc = name.chars();
            let (c1, c2) = (nc.next(), nc.next());
            let name_case =
                c1.is_some_and(char::is_uppercase) && c2.is_some_and(char::is_lowercase);
            if name_case || (i > 0 && c1.is_some_and(char::is_uppercase)) {
                return true;
            }
        }
    }
    false
}

// ---------------------------------------------------------------------------
// Teasers: "SEE ALSO: <headline>"
// ---------------------------------------------------------------------------

/// The end of a teaser label ("SEE ALSO:", "Read more |") at the start of `s`.
fn label_prefix(s: &str) -> Option<usize> {
    for l in crate::vocab::words("labels") {
        if starts_ci(s, l) {
            let after = &s[l.len()..];
            let t = after.trim_start_matches([' ', '\t']);
            let off = l.len() + (after.len() - t.len());
            for sep in [":", "|", "»", ">", "—", "–", "- "] {
                if t.starts_with(sep) {
                    return Some(off + sep.len());
                }
            }
            if t.is_empty() {
                return Some(s.len());
            }
        }
    }
    None
}

const UPPER_LABELS: &[&str] = &[
    "SEE ALSO:",
    "READ MORE:",
    "READ ALSO:",
    "ALSO READ:",
    "RELATED:",
    "WATCH:",
];

/// A capitalised teaser label inside a line.
fn find_upper_label(s: &str) -> Option<usize> {
    // Every label ends with a colon; most lines have none.
    memchr::memchr(b':', s.as_bytes())?;
    UPPER_LABELS.iter().filter_map(|l| s.find(l)).min()
}

/// After a label ending at `lab_end`: (end of dropped teaser, start of the body text).
fn resolve_label(text: &str, lab_end: usize, e: usize) -> (usize, usize) {
    let rest_start = skip_ws(text, lab_end, e);
    let rest = &text[rest_start..e];
    if rest.is_empty() {
        return (e, e);
    }
    if let Some(j) = glued_join(rest) {
        return (rest_start + j, rest_start + j);
    }
    if let Some(j) = title_case_end(rest) {
        return (rest_start + j, rest_start + j);
    }
    let parts = split_sentences(text, rest_start, e);
    if parts.len() >= 2 {
        return (parts[0].1, parts[1].0);
    }
    (e, e)
}

/// "…Postwar Nagorno-KarabakhIncidents between…": the offset of "Incidents".
fn glued_join(s: &str) -> Option<usize> {
    let mut run = 0usize;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_lowercase() {
            run += 1;
        } else if c.is_uppercase() {
            if run >= 3 && it.peek().is_some_and(|&(_, n)| n.is_lowercase()) {
                return Some(i);
            }
            run = 0;
        } else {
            run = 0;
        }
    }
    None
}

/// A Title Case headline followed by a sentence: the start of the sentence,
/// i.e. the capitalised word right before the first ordinary lowercase word.
fn title_case_end(s: &str) -> Option<usize> {
    if !ends_with_terminal(s) {
        return None;
    }
    let ws = words(s, 40, usize::MAX);
    if ws.len() < 8 {
        return None;
    }
    for i in 0..ws.len() {
        let w = &s[ws[i].0..ws[i].1];
        let c = w.trim_start_matches(is_open_quote);
        if starts_lower(c) && !in_list_ci(core(c), crate::vocab::words("small-words")) {
            if i < 3 {
                return None;
            }
            let j = i - 1;
            let wj = s[ws[j].0..ws[j].1].trim_start_matches(is_open_quote);
            if !starts_upper(wj) {
                return None;
            }
            let all_title = (0..j).all(|k| {
                let x = s[ws[k].0..ws[k].1].trim_start_matches(is_open_quote);
                starts_upper(x)
                    || first_char(x).is_some_and(|ch| ch.is_ascii_digit())
                    || in_list_ci(core(x), crate::vocab::words("small-words"))
            });
            return all_title.then_some(ws[j].0);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Sentence splitting
// ---------------------------------------------------------------------------

const MONTH_ABBR: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

fn is_dotted(core: &str) -> bool {
    core.contains('.')
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.chars().count() <= 3 && p.chars().all(char::is_alphabetic))
}

fn is_starter(word: &str) -> bool {
    crate::vocab::words("sentence-starters").contains(&word)
}

/// Does a period after token `tok` end the sentence, given the next word?
fn period_splits(tok: &str, next_word: &str, next_digit: bool) -> bool {
    let c = tok.trim_start_matches(|ch: char| !ch.is_alphanumeric());
    if c.is_empty() {
        return true;
    }
    if crate::vocab::words("title-abbreviations").contains(&c) {
        return false;
    }
    if crate::vocab::words("number-abbreviations").contains(&c) || MONTH_ABBR.contains(&c) {
        return !next_digit && is_starter(next_word);
    }
    let single_letter = c.chars().count() == 1 && c.chars().all(char::is_alphabetic);
    if crate::vocab::words("maybe-abbreviations").contains(&c) || is_dotted(c) || single_letter {
        return is_starter(next_word);
    }
    true
}

/// The longest sentence, in bytes. Longer runs without a sentence end (a
/// table, a ticker, text that lost its punctuation) are cut at a space
/// before this length, so that the work per sentence stays bounded and an
/// article's time linear in its length.
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// `parts` with every range longer than [`MAX_SENTENCE_BYTES`] cut into
/// ranges of at most that length: after the last whitespace within it, else
/// (one unbroken word) at the last character boundary.
fn bounded(text: &str, parts: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    if parts.iter().all(|&(a, b)| b - a <= MAX_SENTENCE_BYTES) {
        return parts;
    }
    let mut out = Vec::with_capacity(parts.len());
    for (mut a, b) in parts {
        while b - a > MAX_SENTENCE_BYTES {
            let mut limit = a + MAX_SENTENCE_BYTES;
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            let cut = match text[a..limit]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
            {
                Some((i, c)) if i > 0 => a + i + c.len_utf8(),
                _ => limit,
            };
            out.push((a, cut));
            a = cut;
        }
        out.push((a, b));
    }
    out
}

/// Sentence ranges (untrimmed) of `text[s..e]`.
fn split_sentences(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let seg = &text[s..e];
    let b = seg.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    let is_term_at = |j: usize| -> usize {
        match b[j] {
            b'.' | b'!' | b'?' => 1,
            0xE2 if seg[j..].starts_with('…') => '…'.len_utf8(),
            _ => 0,
        }
    };
    // Where the next '…' (E2 80 A6) at or after `i` is (`n`: none), kept
    // between iterations; found first at 0.
    let ellipsis_after =
        |from: usize| memchr::memmem::find(&b[from..], "…".as_bytes()).map_or(n, |p| from + p);
    let mut ellipsis = ellipsis_after(0);
    while i < n {
        // Jump to the next terminator: . ! ? or …
        if ellipsis < i {
            ellipsis = ellipsis_after(i);
        }
        let stop = memchr::memchr3(b'.', b'!', b'?', &b[i..]).map_or(n, |p| i + p);
        i = stop.min(ellipsis);
        if i >= n {
            break;
        }
        let tl = is_term_at(i);
        debug_assert!(tl > 0);
        let term_start = i;
        let mut j = i;
        let mut bang = false;
        let mut dots = 0;
        loop {
            if j >= n {
                break;
            }
            let l = is_term_at(j);
            if l == 0 {
                break;
            }
            match b[j] {
                b'!' | b'?' => bang = true,
                b'.' => dots += 1,
                _ => dots += 3,
            }
            j += l;
        }
        let punct_end = j;
        let mut closers = 0;
        while j < n {
            match seg[j..].chars().next() {
                Some(c) if is_close_quote(c) => {
                    j += c.len_utf8();
                    closers += 1;
                }
                _ => break,
            }
        }
        let after_close = j;
        let k = after_close
            + (seg[after_close..].len()
                - seg[after_close..].trim_start_matches(is_trim_char).len());
        if k >= n {
            break;
        }
        let ws_after = k > after_close;
        // The next word, past opening quotes.
        let nxt = seg[k..].trim_start_matches(is_open_quote);
        let nf = first_char(nxt);
        let next_upper = nf.is_some_and(char::is_uppercase);
        let next_digit = nf.is_some_and(|c| c.is_ascii_digit());
        let mut next_word_end = nxt.len();
        for (count, (p, c)) in nxt.char_indices().enumerate() {
            if count >= 40 || !c.is_alphabetic() {
                next_word_end = p;
                break;
            }
        }
        let next_word = &nxt[..next_word_end];
        // The token before the punctuation (bounded look-behind).
        let mut tok_start = term_start;
        let lb = term_start.saturating_sub(40);
        while tok_start > lb {
            let prev = match seg[..tok_start].chars().next_back() {
                Some(c) => c,
                None => break,
            };
            if is_trim_char(prev) || matches!(prev, '(' | '[' | '"' | '“' | '‘' | '«') {
                break;
            }
            tok_start -= prev.len_utf8();
        }
        let tok = &seg[tok_start..term_start];

        let split = if ws_after {
            if !(next_upper || next_digit) {
                false
            } else if bang || dots >= 2 {
                true
            } else if closers > 0 {
                // `said."  The` — the token is inside the quote; abbreviations rarely end quotes.
                true
            } else {
                period_splits(tok, next_word, next_digit)
            }
        } else {
            // "killed.The army": glued sentence.
            let glued_ok = dots == 1 && !bang && closers == 0 && punct_end == term_start + 1;
            let mut tail = tok.chars().rev();
            let (t1, t2) = (tail.next(), tail.next());
            let lower_tail =
                t1.is_some_and(char::is_lowercase) && t2.is_some_and(char::is_lowercase);
            // Past opening quotes: "on Saturday.“In the late hours".
            let mut nn = nxt.chars();
            let (n1, n2) = (nn.next(), nn.next());
            glued_ok
                && lower_tail
                && n1.is_some_and(char::is_uppercase)
                && n2.is_some_and(char::is_lowercase)
                && !tok.contains(['.', '/', '@', ':'])
                && !crate::vocab::words("maybe-abbreviations")
                    .contains(&tok.trim_start_matches(|ch: char| !ch.is_alphanumeric()))
        };
        if split {
            out.push((s + start, s + after_close));
            start = k;
        }
        i = k.max(i + tl);
    }
    if start < n {
        out.push((s + start, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use SentenceKind::{Body, Byline, Header, Title};

    /// (kind, text) of every sentence.
    fn sents<'a>(text: &'a str, l: &Layout) -> Vec<(SentenceKind, &'a str)> {
        l.sentences.iter().map(|s| (s.kind, s.text(text))).collect()
    }

    fn body_texts<'a>(text: &'a str, l: &Layout) -> Vec<&'a str> {
        l.sentences
            .iter()
            .filter(|s| s.kind == Body)
            .map(|s| s.text(text))
            .collect()
    }

    fn dateline_texts<'a>(text: &'a str, l: &Layout) -> Vec<&'a str> {
        l.datelines.iter().map(|r| &text[r.clone()]).collect()
    }

    fn dropped_texts<'a>(text: &'a str, l: &Layout) -> Vec<&'a str> {
        l.dropped.iter().map(|r| &text[r.clone()]).collect()
    }

    /// All structural invariants of a layout.
    fn check_invariants(text: &str, l: &Layout) {
        let mut all: Vec<(usize, usize)> = Vec::new();
        let mut last_start = 0;
        for s in &l.sentences {
            assert!(s.start < s.end && s.end <= text.len(), "{s:?}");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let t = s.text(text);
            assert_eq!(t, t.trim_matches(is_trim_char), "untrimmed {t:?}");
            assert!(s.start >= last_start, "sentences out of order");
            last_start = s.start;
            all.push((s.start, s.end));
        }
        for w in l.sentences.windows(2) {
            assert!(w[0].paragraph <= w[1].paragraph);
        }
        for r in l.datelines.iter().chain(&l.dropped) {
            assert!(r.start < r.end && r.end <= text.len(), "{r:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            all.push((r.start, r.end));
        }
        all.sort();
        for w in all.windows(2) {
            assert!(w[0].1 <= w[1].0, "overlapping ranges {:?} {:?}", w[0], w[1]);
        }
    }

    fn run(text: &str, title: Option<&str>) -> Layout {
        let l = layout(text, title);
        check_invariants(text, &l);
        l
    }

    // ---- whole seed articles -------------------------------------------

    /// A photo caption ending in a bracketed "Name/AGENCY" credit is
    /// dropped with its credit; a slash in body text is not a credit.
    #[test]
    fn bracketed_credit_caption_dropped() {
        let t = "Troops shelled Talish on Monday.\n\nA family who fled the fighting took refuge in Ganja [File: Jane Doe/EPA]\n\nTalks resume in Moscow/Geneva today.";
        let l = run(t, None);
        assert_eq!(
            body_texts(t, &l),
            vec![
                "Troops shelled Talish on Monday.",
                "Talks resume in Moscow/Geneva today."
            ]
        );
        assert_eq!(
            dropped_texts(t, &l),
            vec!["A family who fled the fighting took refuge in Ganja [File: Jane Doe/EPA]"]
        );
    }

    /// Stage "wrapped lines": a hard-wrapped paragraph is one paragraph;
    /// header lines and one-paragraph-per-line text stay apart.
    #[test]
    fn wrapped_lines_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "Defence Ministry Reports Clash\n\nThe ministry said a unit crossed the line near\nthe village of Talish early on Monday. Two soldiers\nwere wounded,\nit said.\n\nTalks resume today.",
                &[
                    "The ministry said a unit crossed the line near\nthe village of Talish early on Monday.",
                    "Two soldiers\nwere wounded,\nit said.",
                    "Talks resume today.",
                ],
            ),
            (
                "Armenia and Azerbaijan trade fire\nThe ministry said shelling hit Talish on Monday.\nTwo soldiers were wounded.",
                &[
                    "The ministry said shelling hit Talish on Monday.",
                    "Two soldiers were wounded.",
                ],
            ),
        ];
        for (text, want) in table {
            let l = run(text, None);
            assert_eq!(body_texts(text, &l), *want, "{text:?}");
        }
    }

    #[test]
    fn seed_000_trailing_agency_signoff_dropped() {
        let t = SEED_000;
        let l = run(t, None);
        assert_eq!(dropped_texts(t, &l), vec!["EFE"]);
        assert!(l.datelines.is_empty());
        assert!(l.sentences.iter().all(|s| s.kind == Body));
        let b = body_texts(t, &l);
        assert_eq!(b.len(), 12);
        assert!(b[0].starts_with("Russia on Saturday expressed concerns"));
        assert!(b[11].ends_with("a third of Azerbaijani territory."));
        // paragraphs separated by blank lines are numbered consecutively
        let paras: Vec<usize> = l.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, (0..12).collect::<Vec<_>>());
    }

    #[test]
    fn seed_001_title_subtitle_lone_dateline_footer() {
        let t = SEED_001;
        let title = "Russia calls on Azerbaijan, Armenia to defuse tensions in Karabakh region";
        for title in [Some(title), None] {
            let l = run(t, title);
            let s = sents(t, &l);
            assert_eq!(s[0], (Title, title_line(t, 0)));
            assert_eq!(s[1].0, Title);
            assert!(s[1].1.starts_with("Moscow urged parties"));
            assert_eq!(dateline_texts(t, &l), vec!["ISTANBUL"]);
            assert_eq!(s[2].0, Body);
            assert!(s[2].1.starts_with("Russia on Monday called"));
            let d = dropped_texts(t, &l);
            assert_eq!(d.len(), 1);
            assert!(d[0].starts_with("Anadolu Agency website contains only a portion"));
            assert!(d[0].ends_with("Please contact us for subscription options."));
            let b = body_texts(t, &l);
            assert!(b.contains(&"Over the past few days, there have been repeated violations of the ceasefire regime."));
            assert_eq!(b.last(), Some(&"The Russian-brokered peace agreement is celebrated as a triumph in Azerbaijan."));
        }
    }

    fn title_line(t: &str, n: usize) -> &str {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .nth(n)
            .unwrap()
            .trim()
    }

    #[test]
    fn seed_002_reuters_via_huffpost() {
        let t = SEED_002;
        let l = run(
            t,
            Some("Putin Calls For End To Violence In Armenia-Azerbaijan Region"),
        );
        let s = sents(t, &l);
        assert_eq!(
            s[0],
            (
                Title,
                "Putin Calls For End To Violence In Armenia-Azerbaijan Region"
            )
        );
        assert_eq!(
            s[1],
            (Header, "HuffPost logo HuffPost 2/04/2016 Annum Masroor")
        );
        assert_eq!(dateline_texts(t, &l), vec!["BAKU/YEREVAN (Reuters) -"]);
        assert_eq!(s[2].0, Body);
        assert!(s[2].1.starts_with("Russia made a concerted effort"));
        assert_eq!(
            dropped_texts(t, &l),
            vec![
                "You are using an older browser version. Please use a supported version for the best MSN experience.",
                "ATHENA IMAGE © Mikhail Svetlov via Getty Images",
                "More from Huffington Post",
                "image beaconimage beaconimage beacon",
            ]
        );
        let last = s.last().unwrap();
        assert_eq!(last.0, Byline);
        assert!(last.1.starts_with("(Reporting by Nailia Bagirova in Baku"));
        assert!(last.1.ends_with("editing by Louise Heavens)"));
        let b = body_texts(t, &l);
        assert!(b.contains(&"Similar violence was reported last month."));
        assert!(b
            .iter()
            .any(|x| x.starts_with("On Wednesday, U.S. Secretary of State John Kerry")));
        assert!(b.contains(
            &"The enemy was thwarted,\" the Armenian Defense Ministry said in a statement."
        ));
        // the same without a manifest title
        let l2 = run(t, None);
        assert_eq!(sents(t, &l2)[0].0, Title);
        assert_eq!(l2.datelines, l.datelines);
    }

    #[test]
    fn seed_003_see_also_glued_headline() {
        let t = SEED_003;
        let l = run(t, None);
        assert_eq!(
            dropped_texts(t, &l),
            vec!["SEE ALSO: Report Warns Of 'Fragile' Prospects For Postwar Nagorno-Karabakh"]
        );
        let b = body_texts(t, &l);
        assert!(b
            .iter()
            .any(|x| x.starts_with("Incidents between the armed forces of arch enemies")));
        assert!(b.iter().any(|x| x.contains("Foreign Ministryexpressed")));
        assert!(b[0].starts_with("The Russian Defense Ministry says"));
        assert!(l.sentences.iter().all(|s| s.kind == Body));
        assert!(l.datelines.is_empty());
        assert_eq!(b.len(), 20);
    }

    #[test]
    fn seeds_with_crlf_line_endings_give_the_same_texts() {
        for t in [SEED_000, SEED_001, SEED_002, SEED_003] {
            let crlf = t.replace('\n', "\r\n");
            let a = run(t, None);
            let b = run(&crlf, None);
            assert_eq!(sents(t, &a), sents(&crlf, &b));
            assert_eq!(dateline_texts(t, &a), dateline_texts(&crlf, &b));
            assert_eq!(dropped_texts(t, &a), dropped_texts(&crlf, &b));
        }
    }

    // ---- sentence splitting --------------------------------------------

    #[test]
    fn sentence_splitting_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Two soldiers were killed. The army said so.",
                &["Two soldiers were killed.", "The army said so."],
            ),
            (
                "Was it shelling? Officials did not say! He left.",
                &["Was it shelling?", "Officials did not say!", "He left."],
            ),
            (
                "U.S. officials said troops moved. They left at 5 p.m. on Friday.",
                &[
                    "U.S. officials said troops moved.",
                    "They left at 5 p.m. on Friday.",
                ],
            ),
            (
                "The U.N. Security Council met. It called for calm.",
                &["The U.N. Security Council met.", "It called for calm."],
            ),
            (
                "Aid came from the U.S. The convoy arrived Monday.",
                &["Aid came from the U.S.", "The convoy arrived Monday."],
            ),
            (
                "Mr. Aliyev and Dr. Smith met Gen. Lt. Col. Ivanov.",
                &["Mr. Aliyev and Dr. Smith met Gen. Lt. Col. Ivanov."],
            ),
            (
                "Sgt. Maj. Capt. Rep. Sen. St. Petersburg hosted talks.",
                &["Sgt. Maj. Capt. Rep. Sen. St. Petersburg hosted talks."],
            ),
            (
                "The clash on Oct. 12 killed three. On Sept. 27 war began.",
                &[
                    "The clash on Oct. 12 killed three.",
                    "On Sept. 27 war began.",
                ],
            ),
            (
                "Jan. 5, Feb. 6, Aug. 7, Nov. 8 and Dec. 9 were quiet.",
                &["Jan. 5, Feb. 6, Aug. 7, Nov. 8 and Dec. 9 were quiet."],
            ),
            (
                "Resolution No. 822 was adopted. It demanded withdrawal.",
                &["Resolution No. 822 was adopted.", "It demanded withdrawal."],
            ),
            (
                "Weapons, e.g. drones, i.e. Bayraktars, vs. artillery etc. were used.",
                &["Weapons, e.g. drones, i.e. Bayraktars, vs. artillery etc. were used."],
            ),
            (
                "Acme Inc. Chief Smith and Foo Ltd. Director Jones spoke.",
                &["Acme Inc. Chief Smith and Foo Ltd. Director Jones spoke."],
            ),
            (
                "He cited tanks, guns, etc. The report was long.",
                &["He cited tanks, guns, etc.", "The report was long."],
            ),
            (
                "John F. Kennedy and S. Lavrov were named.",
                &["John F. Kennedy and S. Lavrov were named."],
            ),
            (
                "The front is 3.5 km away. About 1.2 million fled.",
                &["The front is 3.5 km away.", "About 1.2 million fled."],
            ),
            (
                "He paused... Then he spoke. It was over…  Nobody moved.",
                &[
                    "He paused...",
                    "Then he spoke.",
                    "It was over…",
                    "Nobody moved.",
                ],
            ),
            (
                "The shelling went on... and on.",
                &["The shelling went on... and on."],
            ),
            (
                "\"We will respond.\" The ministry said so.",
                &["\"We will respond.\"", "The ministry said so."],
            ),
            (
                "“We will respond.” The ministry said so.",
                &["“We will respond.”", "The ministry said so."],
            ),
            (
                "'Is this war?' he asked. 'Yes,' she said.",
                &["'Is this war?' he asked.", "'Yes,' she said."],
            ),
            (
                "\"It is over,\" he said. \"We won.\"",
                &["\"It is over,\" he said.", "\"We won.\""],
            ),
            (
                "\"We won!\" the general shouted.",
                &["\"We won!\" the general shouted."],
            ),
            (
                "Two were killed.The army said it returned fire.",
                &["Two were killed.", "The army said it returned fire."],
            ),
            (
                "The ministry said on Friday.\u{201c}Late on Thursday, shells fell.",
                &[
                    "The ministry said on Friday.",
                    "\u{201c}Late on Thursday, shells fell.",
                ],
            ),
            (
                "Visit example.com for more.",
                &["Visit example.com for more."],
            ),
            (
                "The war ended in 1994. 2020 saw new fighting.",
                &["The war ended in 1994.", "2020 saw new fighting."],
            ),
            (
                "Talks failed (again). Fighting resumed.",
                &["Talks failed (again).", "Fighting resumed."],
            ),
            (
                "Shelling hit the town. (Reuters could not verify.) Officials were silent.",
                &[
                    "Shelling hit the town.",
                    "(Reuters could not verify.)",
                    "Officials were silent.",
                ],
            ),
            ("No final punctuation here", &["No final punctuation here"]),
            (
                "It happened at 10 a.m. Residents fled.",
                &["It happened at 10 a.m. Residents fled."],
            ),
            (
                "It happened at 10 a.m. The residents fled.",
                &["It happened at 10 a.m.", "The residents fled."],
            ),
            (
                "Sergei V. Lavrov said Azerbaijan's Col. Gen. Zakir Hasanov agreed.",
                &["Sergei V. Lavrov said Azerbaijan's Col. Gen. Zakir Hasanov agreed."],
            ),
            (
                "Troops withdrew!!! Then calm returned?!",
                &["Troops withdrew!!!", "Then calm returned?!"],
            ),
        ];
        for (input, want) in cases {
            let text = format!("Lead paragraph one.\n{input}");
            let l = run(&text, None);
            let got: Vec<&str> = l
                .sentences
                .iter()
                .filter(|s| s.paragraph == 1)
                .map(|s| s.text(&text))
                .collect();
            assert_eq!(&got, want, "input: {input:?}");
        }
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        let cases: &[(&str, &[(usize, &str)])] = &[
            (
                "One was killed.\nTwo were hurt.",
                &[(0, "One was killed."), (1, "Two were hurt.")],
            ),
            (
                "One was killed.\r\n\r\nTwo were hurt.\r\n",
                &[(0, "One was killed."), (1, "Two were hurt.")],
            ),
            // A line stopping mid-sentence continues (stage "wrapped lines").
            (
                "Lead.\nOne was killed\nin the town.",
                &[(0, "Lead."), (1, "One was killed\nin the town.")],
            ),
            (
                "Lead.\nOne was killed\nTwo were hurt.",
                &[(0, "Lead."), (1, "One was killed"), (2, "Two were hurt.")],
            ),
            (
                "One was killed.\rTwo were hurt.",
                &[(0, "One was killed."), (1, "Two were hurt.")],
            ),
            (
                "  One was killed.   Two were hurt.  \n\n\n   Three fled.  ",
                &[
                    (0, "One was killed."),
                    (0, "Two were hurt."),
                    (1, "Three fled."),
                ],
            ),
            (
                "One was killed.\u{2029}Two were hurt.",
                &[(0, "One was killed."), (1, "Two were hurt.")],
            ),
        ];
        for (input, want) in cases {
            let l = run(input, None);
            let got: Vec<(usize, &str)> = l
                .sentences
                .iter()
                .map(|s| (s.paragraph, s.text(input)))
                .collect();
            assert_eq!(&got, want, "input: {input:?}");
            assert!(l.sentences.iter().all(|s| s.kind == Body), "{input:?}");
        }
    }

    // ---- datelines -------------------------------------------------------

    #[test]
    fn dateline_table() {
        // (paragraph, expected dateline, expected first sentence)
        let cases: &[(&str, &str, &str)] = &[
            ("BAKU/YEREVAN (Reuters) - Russia made an effort to end the conflict.", "BAKU/YEREVAN (Reuters) -", "Russia made an effort to end the conflict."),
            ("MOSCOW, March 5 (Reuters) - Russia said on Sunday it was concerned.", "MOSCOW, March 5 (Reuters) -", "Russia said on Sunday it was concerned."),
            ("KYIV, Ukraine (AP) — Russian forces shelled the city overnight.", "KYIV, Ukraine (AP) —", "Russian forces shelled the city overnight."),
            ("YEREVAN, JULY 16, ARMENPRESS. Azerbaijani forces opened fire on Armenian positions.", "YEREVAN, JULY 16, ARMENPRESS.", "Azerbaijani forces opened fire on Armenian positions."),
            ("BAKU, Azerbaijan, Oct. 12 (AP) — Shelling hit Ganja overnight.", "BAKU, Azerbaijan, Oct. 12 (AP) —", "Shelling hit Ganja overnight."),
            ("BAKU, Azerbaijan, Oct. 12 — Shelling hit Ganja overnight.", "BAKU, Azerbaijan, Oct. 12 —", "Shelling hit Ganja overnight."),
            ("Baku, 12 October, AZERTAC The Armenian armed forces shelled Tartar.", "Baku, 12 October, AZERTAC", "The Armenian armed forces shelled Tartar."),
            ("GAZA CITY — Israeli airstrikes hit the city on Tuesday.", "GAZA CITY —", "Israeli airstrikes hit the city on Tuesday."),
            ("Jammu: Two porters were killed in shelling on Monday.", "Jammu:", "Two porters were killed in shelling on Monday."),
            ("БАКУ, 11 июня. /ТАСС/. Армия открыла огонь по позициям.", "БАКУ, 11 июня. /ТАСС/.", "Армия открыла огонь по позициям."),
            ("GAZA CITY—Israeli airstrikes hit the city on Tuesday.", "GAZA CITY—", "Israeli airstrikes hit the city on Tuesday."),
            ("(Anadolu) - Turkey condemned the attack on Tuesday.", "(Anadolu) -", "Turkey condemned the attack on Tuesday."),
            ("Jammu, Nov 9 (PTI) A BSF jawan was killed in firing.", "Jammu, Nov 9 (PTI)", "A BSF jawan was killed in firing."),
            ("KHARTOUM, Jan. 12 (Xinhua) -- The army repelled an attack.", "KHARTOUM, Jan. 12 (Xinhua) --", "The army repelled an attack."),
            ("ANKARA (AA) – Turkey condemned the attack on Tuesday.", "ANKARA (AA) –", "Turkey condemned the attack on Tuesday."),
            ("TBILISI, March 5 /TASS/. Georgia called for calm.", "TBILISI, March 5 /TASS/.", "Georgia called for calm."),
            ("STEPANAKERT, Nagorno-Karabakh (AFP) -- Sirens sounded at dawn.", "STEPANAKERT, Nagorno-Karabakh (AFP) --", "Sirens sounded at dawn."),
            ("Baku (AFP) - Azerbaijan said two soldiers died.", "Baku (AFP) -", "Azerbaijan said two soldiers died."),
            ("UNITED NATIONS (Reuters) - The Security Council met.", "UNITED NATIONS (Reuters) -", "The Security Council met."),
            // The agency's name lost in copying.
            ("STEPANAKERT ( —Azerbaijan violated the ceasefire.", "STEPANAKERT ( —", "Azerbaijan violated the ceasefire."),
            ("STEPANAKERT (—Azerbaijan violated the ceasefire.", "STEPANAKERT (—", "Azerbaijan violated the ceasefire."),
        ];
        for (input, dl, first) in cases {
            let text = format!("Some headline about clashes\n{input}");
            let l = run(&text, None);
            assert_eq!(dateline_texts(&text, &l), vec![*dl], "input: {input:?}");
            assert_eq!(
                body_texts(&text, &l).first(),
                Some(first),
                "input: {input:?}"
            );
        }
    }

    #[test]
    fn lone_dateline_lines() {
        let cases: &[&str] = &[
            "ISTANBUL",
            "ANKARA",
            "GAZA CITY",
            "(Anadolu)",
            "BAKU, Azerbaijan, Oct. 12",
            "Baku, 12 October, AZERTAC",
            "YEREVAN, JULY 16, ARMENPRESS.",
        ];
        for dl in cases {
            let text =
                format!("Russia urges calm in Karabakh\n{dl}\nRussia on Monday called for calm.");
            let l = run(&text, None);
            assert_eq!(dateline_texts(&text, &l), vec![*dl], "dateline {dl:?}");
            assert_eq!(
                sents(&text, &l),
                vec![
                    (Title, "Russia urges calm in Karabakh"),
                    (Body, "Russia on Monday called for calm.")
                ],
                "dateline {dl:?}"
            );
        }
    }

    #[test]
    fn not_datelines() {
        let cases: &[&str] = &[
            "NATO officials said the alliance was watching closely.",
            "The OSCE (Organization for Security and Co-operation in Europe) said talks failed.",
            "Azerbaijan, Armenia and Russia signed the deal (in Moscow) - a first.",
            "Russia's Foreign Ministry (MFA) said it was concerned.",
            "In Baku, officials (who declined to be named) said so.",
            "Officials in Baku, Ganja and Tartar - all shelled - counted losses.",
            "Russia, Turkey, NATO officials met on Monday.",
        ];
        for input in cases {
            let text = format!("A headline here\n{input}");
            let l = run(&text, None);
            assert!(
                l.datelines.is_empty(),
                "input {input:?}: {:?}",
                dateline_texts(&text, &l)
            );
            assert_eq!(body_texts(&text, &l), vec![*input]);
        }
    }

    #[test]
    fn dash_dateline_only_in_first_body_paragraph() {
        let text =
            "Fighting broke out on Sunday.\nGAZA CITY — a later paragraph mentions the city.";
        let l = run(text, None);
        assert!(l.datelines.is_empty());
        assert_eq!(body_texts(text, &l).len(), 2);
    }

    // ---- boilerplate -----------------------------------------------------

    #[test]
    fn boilerplate_lines_table() {
        let cases: &[&str] = &[
            "You are using an older browser version. Please use a supported version for the best MSN experience.",
            "More from Huffington Post",
            "More from Reuters",
            "image beaconimage beaconimage beacon",
            "Anadolu Agency website contains only a portion of the news stories offered to subscribers in the AA News Broadcasting System (HAS), and in summarized form. Please contact us for subscription options.",
            "ATHENA IMAGE © Mikhail Svetlov via Getty Images",
            "Photo: Reuters",
            "Photo by Aziz Karimov/Getty Images",
            "(AP Photo/Hayk Baghdasaryan)",
            "© 2024 The Associated Press. All rights reserved.",
            "Copyright 2020 Thomson Reuters.",
            "Getty Images",
            "REUTERS/Stringer",
            "SEE ALSO: Report Warns Of 'Fragile' Prospects For Postwar Nagorno-Karabakh",
            "READ MORE: Azerbaijan says two soldiers killed in border clash",
            "Related: Armenia accuses Baku of shelling",
            "Share this article",
            "Share",
            "Facebook Twitter Email",
            "Follow us on Twitter",
            "Advertisement",
            "ADVERTISEMENT",
            "Story continues below advertisement",
            "This website uses cookies to improve your experience.",
            "Click here to read the full report.",
            "Sign up for our daily newsletter",
            "Subscribe to our newsletter for the latest news.",
            "Listen to this article",
            "Tags: Azerbaijan, Armenia, Karabakh",
            "BREAKING",
            "4 min read",
        ];
        for b in cases {
            let text = format!(
                "Two soldiers were killed on Sunday.\n{b}\nThe army said it returned fire."
            );
            let l = run(&text, None);
            assert_eq!(dropped_texts(&text, &l), vec![*b], "boilerplate {b:?}");
            assert_eq!(
                body_texts(&text, &l),
                vec![
                    "Two soldiers were killed on Sunday.",
                    "The army said it returned fire."
                ],
                "boilerplate {b:?}"
            );
        }
    }

    #[test]
    fn boilerplate_sentences_inside_paragraphs() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "Soldiers patrol near Tavush on July 14, 2020. (AP Photo/Hayk Baghdasaryan)",
                &["Soldiers patrol near Tavush on July 14, 2020."],
                &["(AP Photo/Hayk Baghdasaryan)"],
            ),
            (
                "Azerbaijani soldiers fire artillery near the front line. REUTERS/Aziz Karimov",
                &["Azerbaijani soldiers fire artillery near the front line."],
                &["REUTERS/Aziz Karimov"],
            ),
            (
                "Three were killed. Click here for more. The army said so.",
                &["Three were killed.", "The army said so."],
                &["Click here for more."],
            ),
            (
                "The report ended. SEE ALSO: Armenia Accuses Baku Of ShellingThe ministry denied it.",
                &["The report ended.", "The ministry denied it."],
                &["SEE ALSO: Armenia Accuses Baku Of Shelling"],
            ),
        ];
        for (input, body, dropped) in cases {
            let text = format!("Lead sentence is here.\n{input}");
            let l = run(&text, None);
            let b: Vec<&str> = body_texts(&text, &l).into_iter().skip(1).collect();
            assert_eq!(&b, body, "input {input:?}");
            assert_eq!(&dropped_texts(&text, &l), dropped, "input {input:?}");
        }
    }

    #[test]
    fn see_also_teasers() {
        // (line, dropped teaser, kept body)
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "SEE ALSO: Report Warns Of 'Fragile' Prospects For Postwar Nagorno-KarabakhIncidents between the armed forces have been frequent.",
                "SEE ALSO: Report Warns Of 'Fragile' Prospects For Postwar Nagorno-Karabakh",
                &["Incidents between the armed forces have been frequent."],
            ),
            (
                "Read more: Tensions Rise Along The Armenia-Azerbaijan BorderShelling resumed on Monday near Tavush.",
                "Read more: Tensions Rise Along The Armenia-Azerbaijan Border",
                &["Shelling resumed on Monday near Tavush."],
            ),
            (
                "SEE ALSO: Report Warns Of Fragile Prospects For Postwar Karabakh Incidents between the armed forces have been frequent in recent months.",
                "SEE ALSO: Report Warns Of Fragile Prospects For Postwar Karabakh",
                &["Incidents between the armed forces have been frequent in recent months."],
            ),
            (
                "READ ALSO: Azerbaijan says soldier killed near border. Shelling resumed on Monday.",
                "READ ALSO: Azerbaijan says soldier killed near border.",
                &["Shelling resumed on Monday."],
            ),
            ("SEE ALSO:", "SEE ALSO:", &[]),
        ];
        for (line, teaser, body) in cases {
            let text = format!("Two soldiers were killed.\n{line}");
            let l = run(&text, None);
            assert_eq!(dropped_texts(&text, &l), vec![*teaser], "line {line:?}");
            let b: Vec<&str> = body_texts(&text, &l).into_iter().skip(1).collect();
            assert_eq!(&b, body, "line {line:?}");
        }
    }

    #[test]
    fn trailing_agency_signoffs() {
        let cases: &[(&str, &str)] = &[
            ("The ceasefire held. EFE", "EFE"),
            ("The ceasefire held.\n\nAFP", "AFP"),
            ("The ceasefire held.\n(Reuters)", "(Reuters)"),
            ("The ceasefire held. (AP)", "(AP)"),
            ("The ceasefire held.\n/IANS", "/IANS"),
            ("The ceasefire held.\nXinhua", "Xinhua"),
            ("The ceasefire held. EFE\n\nAdvertisement", "EFE"),
        ];
        for (input, sign) in cases {
            let text = format!("Two soldiers were killed on Sunday in Tavush.\n{input}");
            let l = run(&text, None);
            assert!(
                dropped_texts(&text, &l).contains(sign),
                "input {input:?}: {:?}",
                dropped_texts(&text, &l)
            );
            assert_eq!(
                body_texts(&text, &l).last(),
                Some(&"The ceasefire held."),
                "input {input:?}"
            );
        }
        // a short agency name in the middle of the text is kept
        let text = "Two soldiers were killed.\nEFE\nThe ceasefire held.";
        let l = run(text, None);
        assert!(l.dropped.is_empty());
    }

    // ---- title and header lines -------------------------------------------

    #[test]
    fn title_and_header_table() {
        type Case<'a> = (&'a str, Option<&'a str>, &'a [(SentenceKind, &'a str)]);
        let cases: &[Case] = &[
            (
                "Putin Calls For End To Violence\nHuffPost logo HuffPost 2/04/2016 Annum Masroor\nRussia made an effort to end the conflict.",
                Some("Putin calls for end to violence"),
                &[(Title, "Putin Calls For End To Violence"), (Header, "HuffPost logo HuffPost 2/04/2016 Annum Masroor"), (Body, "Russia made an effort to end the conflict.")],
            ),
            (
                "Azerbaijan: Armenian shelling kills two!\n12 October 2020, 19:02\nTwo civilians were killed in Tartar.",
                Some("Azerbaijan - Armenian shelling kills two"),
                &[(Title, "Azerbaijan: Armenian shelling kills two!"), (Header, "12 October 2020, 19:02"), (Body, "Two civilians were killed in Tartar.")],
            ),
            (
                "Clashes erupt on the Armenia-Azerbaijan border\nApril 8, 2016 - 10:57 AMT\nTwo soldiers were killed overnight.",
                None,
                &[(Title, "Clashes erupt on the Armenia-Azerbaijan border"), (Header, "April 8, 2016 - 10:57 AMT"), (Body, "Two soldiers were killed overnight.")],
            ),
            (
                "Clashes erupt on the border\nFeb 13 2024\nBy John Smith\nTwo soldiers were killed overnight.",
                None,
                &[(Title, "Clashes erupt on the border"), (Header, "Feb 13 2024"), (Header, "By John Smith"), (Body, "Two soldiers were killed overnight.")],
            ),
            (
                "Clashes erupt on the border\nUpdated: 12 Oct 2020 10:02 GMT\nTwo soldiers were killed overnight.",
                None,
                &[(Title, "Clashes erupt on the border"), (Header, "Updated: 12 Oct 2020 10:02 GMT"), (Body, "Two soldiers were killed overnight.")],
            ),
            (
                "Clashes erupt on the border\nMoscow urges both sides to exercise restraint and return to talks\nAnnum Masroor\nTwo soldiers were killed overnight.",
                None,
                &[(Title, "Clashes erupt on the border"), (Title, "Moscow urges both sides to exercise restraint and return to talks"), (Header, "Annum Masroor"), (Body, "Two soldiers were killed overnight.")],
            ),
            (
                // a first line that is a full sentence is body text
                "Two soldiers were killed overnight.\nThe ministry said so.",
                None,
                &[(Body, "Two soldiers were killed overnight."), (Body, "The ministry said so.")],
            ),
            (
                // manifest title matching a line after a dropped browser notice
                "You are using an older browser version.\n\nRUSSIA URGES CALM\n\nMoscow urged calm on Monday.",
                Some("Russia urges calm"),
                &[(Title, "RUSSIA URGES CALM"), (Body, "Moscow urged calm on Monday.")],
            ),
            (
                // a date-only line later in the text is a header line, not body
                "Two soldiers were killed overnight.\n12 October 2020\nThe ministry said so.",
                None,
                &[(Body, "Two soldiers were killed overnight."), (Header, "12 October 2020"), (Body, "The ministry said so.")],
            ),
        ];
        for (input, title, want) in cases {
            let l = run(input, *title);
            assert_eq!(&sents(input, &l), want, "input {input:?}");
        }
    }

    #[test]
    fn caps_headline_and_word_boundaries() {
        let text = "RUSSIA URGES CALM\nISTANBUL\nMoscow urged calm on Monday.";
        let l = run(text, None);
        assert_eq!(
            sents(text, &l),
            vec![
                (Title, "RUSSIA URGES CALM"),
                (Body, "Moscow urged calm on Monday.")
            ]
        );
        assert_eq!(dateline_texts(text, &l), vec!["ISTANBUL"]);
        // "Follow-up", "Share-out" are words, not share/follow buttons
        let text =
            "Follow-up talks planned in Moscow\nShare-out of aid begins\nThe talks start Monday.";
        let l = run(text, None);
        assert!(l.dropped.is_empty(), "{:?}", dropped_texts(text, &l));
        assert_eq!(
            sents(text, &l)[0],
            (Title, "Follow-up talks planned in Moscow")
        );
        // teaser lines with a label are dropped
        let text = "Shelling hit Tartar.\nWATCH: Drone footage shows strikes on positions\nVideo: Aftermath of the attack\nOfficials counted losses.";
        let l = run(text, None);
        assert_eq!(
            dropped_texts(text, &l),
            vec![
                "WATCH: Drone footage shows strikes on positions",
                "Video: Aftermath of the attack"
            ]
        );
        assert_eq!(
            body_texts(text, &l),
            vec!["Shelling hit Tartar.", "Officials counted losses."]
        );
    }

    #[test]
    fn title_normalisation() {
        let text = "“Russia calls on Azerbaijan, Armenia to defuse tensions” — Anadolu\nRussia on Monday called for calm.";
        let l = run(
            text,
            Some("Russia calls on Azerbaijan Armenia to defuse tensions"),
        );
        assert_eq!(l.sentences[0].kind, Title);
        assert_eq!(
            norm_words("It's  the U.S.-Russia (deal)!"),
            "its the u s russia deal"
        );
    }

    /// Counting eight bytes at a time gives what counting character by
    /// character gives, for every cap, with non-ASCII text and all kinds of
    /// white space.
    #[test]
    fn overlong_sentences_are_cut_at_spaces_and_cover_the_text() {
        let words = "Shelling hit the village of Ağdam and nearby positions overnight ";
        let ascii = words.repeat(200);
        let unbroken = "Ստեփանակերտ".repeat(600);
        let mixed = format!("{} {unbroken} tail", words.repeat(70));
        let cases: &[(&str, &str)] = &[
            ("short sentences pass unchanged", "One. Two is here. Three?"),
            ("words without a sentence end", &ascii),
            ("one unbroken word of two-byte letters", &unbroken),
            ("words, then an unbroken word", &mixed),
        ];
        for (what, text) in cases {
            let whole = split_sentences(text, 0, text.len());
            let parts = bounded(text, whole.clone());
            // Each sentence is cut into pieces that cover it exactly.
            let mut pieces = parts.iter().peekable();
            for &(a0, b0) in &whole {
                let mut at = a0;
                while let Some(&&(a, b)) = pieces.peek().filter(|p| p.1 <= b0) {
                    pieces.next();
                    assert_eq!(a, at, "{what}: contiguous");
                    assert!(b - a <= MAX_SENTENCE_BYTES && b > a, "{what}: {a}..{b}");
                    assert!(text.is_char_boundary(b), "{what}");
                    if b < b0 && text[a..b].contains(' ') {
                        assert!(text[..b].ends_with(' '), "{what}: cut after a space");
                    }
                    at = b;
                }
                assert_eq!(at, b0, "{what}: the whole sentence");
            }
            assert!(pieces.next().is_none(), "{what}");
            if text.len() < 100 {
                assert_eq!(parts, split_sentences(text, 0, text.len()), "{what}");
            }
        }
    }

    #[test]
    fn an_article_without_line_breaks_keeps_its_sentences_after_a_byline() {
        // A scraped article flattened onto one line: the byline in the middle
        // takes only its own sentence, and no sentence is longer than the bound.
        let body = "Two soldiers were killed in shelling near Tartar on Monday, the ministry said ";
        let text = format!(
            "(Reporting by Nailia Bagirova in Baku.) {} {}",
            body.repeat(60),
            body.repeat(60)
        );
        let l = layout(&text, None);
        check_invariants(&text, &l);
        assert!(l
            .sentences
            .iter()
            .all(|s| s.end - s.start <= MAX_SENTENCE_BYTES));
        assert_eq!(l.sentences[0].kind, Byline);
        assert_eq!(
            l.sentences[0].text(&text),
            "(Reporting by Nailia Bagirova in Baku.)"
        );
        let body_bytes: usize = body_texts(&text, &l).iter().map(|s| s.len()).sum();
        assert!(body_bytes > body.len() * 115, "{body_bytes}");
        // A short line keeps the old rule: the rest of it is the byline.
        let text =
            "Two were killed. (Reporting by Nailia Bagirova; editing by Louise Heavens) More.";
        let l = layout(text, None);
        assert_eq!(
            sents(text, &l).last(),
            Some(&(
                Byline,
                "(Reporting by Nailia Bagirova; editing by Louise Heavens) More."
            ))
        );
    }

    #[test]
    fn word_count_equals_counting_characters() {
        let reference = |s: &str, cap: usize| {
            let mut n = 0;
            let mut in_word = false;
            for c in s.chars() {
                if is_trim_char(c) {
                    in_word = false;
                } else if !in_word {
                    in_word = true;
                    n += 1;
                    if n >= cap {
                        return n;
                    }
                }
            }
            n
        };
        let pieces = [
            "a",
            "word",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\x0b",
            "\x0c",
            "é",
            "Şuşa",
            "\u{a0}",
            "\u{200b}",
            "\u{feff}",
            "—",
            "12",
            "x\u{2028}y",
            ",",
            "\u{7f}",
            "\u{1f}",
            "\u{8}",
            "\u{e}",
            "!",
        ];
        let mut seed = 3u64;
        for _ in 0..3000 {
            let mut s = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for k in 0..(seed >> 59) as usize * 3 {
                s.push_str(pieces[((seed >> (k % 40)) as usize + k * 7) % pieces.len()]);
            }
            for cap in [1, 2, 5, 8, 42, usize::MAX] {
                assert_eq!(word_count(&s, cap), reference(&s, cap), "{s:?} cap {cap}");
            }
        }
    }

    /// Every line break kind ends a line; lines are trimmed and empty ones skipped.
    #[test]
    fn lines_break_at_every_line_break() {
        let text = "a\nb\r\nc\rd\x0be\x0cf\u{85}g\u{2028}h\u{2029}i \u{a0}\n\n  j…\u{2026}k";
        let got: Vec<&str> = lines(text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(got, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j……k"]);
    }

    /// The streaming title comparison agrees with comparing the whole
    /// normalized line: equal, or the title and then at most six words.
    #[test]
    fn title_match_equals_comparing_normalized_lines() {
        let reference = |title: &str, line: &str| {
            let t = norm_words(title);
            let n = norm_words(line);
            !t.is_empty()
                && (n == t
                    || (n.starts_with(t.as_str())
                        && n[t.len()..].starts_with(' ')
                        && word_count(&n[t.len()..], 7) <= 6))
        };
        let titles = [
            "Clashes erupt on the border",
            "Ülkə: Şuşa’s day",
            "İstanbul talks",
            "a",
            "",
        ];
        let lines = [
            "Clashes erupt on the border",
            "CLASHES ERUPT ON THE BORDER",
            "Clashes erupt on the border - Reuters",
            "Clashes erupt on the border | one two three four five six",
            "Clashes erupt on the border | one two three four five six seven",
            "Clashes erupt on the borders",
            "Clashes erupt on the",
            "“Clashes” erupt, on the border!",
            "ülkə şuşas day",
            "Ülkə: Şuşa's day 2024",
            "i̇stanbul talks",
            "İstanbul talks in Baku",
            "a b",
            "ab",
            "",
            "—",
        ];
        for title in titles {
            let st = State::new("", Some(title));
            for line in lines {
                assert_eq!(
                    st.title_matches(line),
                    reference(title, line),
                    "{title:?} / {line:?}"
                );
            }
        }
    }

    // ---- bylines ----------------------------------------------------------

    #[test]
    fn byline_table() {
        let cases: &[&str] = &[
            "(Reporting by Nailia Bagirova in Baku and Hasmik Mkrtchyan in Yerevan; writing by Vladimir Soldatkin, editing by Louise Heavens)",
            "Reporting by Nailia Bagirova; Editing by Louise Heavens",
            "Additional reporting by Jane Doe in Moscow",
            "Editing by Alex Richardson",
            "Compiled by Daily Sabah",
            "Contributed by John Smith",
            "-- Reuters",
            "— Associated Press",
            "Written by Jane Doe",
            "Associated Press writer Aida Sultanova in London contributed to this report.",
            "ag/jp (AFP, Reuters)",
            "By John Smith",
        ];
        for b in cases {
            let text = format!(
                "Two soldiers were killed on Sunday.\nThe army said it returned fire.\n{b}"
            );
            let l = run(&text, None);
            assert_eq!(sents(&text, &l).last(), Some(&(Byline, *b)), "byline {b:?}");
            assert!(l.dropped.is_empty(), "byline {b:?}");
        }
        // a byline glued to the end of a paragraph
        let text =
            "Lead.\nThe army said it returned fire. (Reporting by John Smith; Editing by Jane Doe)";
        let l = run(text, None);
        assert_eq!(
            sents(text, &l)[1..],
            [
                (Body, "The army said it returned fire."),
                (Byline, "(Reporting by John Smith; Editing by Jane Doe)")
            ]
        );
        // "reported by" inside body text is not a byline
        let text = "Lead.\nReported by local media, the attack killed two people.";
        let l = run(text, None);
        assert_eq!(sents(text, &l)[1].0, Body);
    }

    // ---- robustness -------------------------------------------------------

    #[test]
    fn degenerate_inputs() {
        let cases: &[&str] = &[
            "",
            " ",
            "\n",
            "\r\n\r\n",
            "\t \u{a0}\u{feff}",
            ".",
            "...",
            "?!",
            "(",
            ")",
            "—",
            "“",
            "A",
            "a.",
            "SEE ALSO:",
            "SEE ALSO: x",
            "READ MORE:\n",
            "(Reuters)",
            "BAKU (",
            "BAKU (Reuters",
            "/TASS/",
            "é.É",
            "日本語。中文。",
            "x.Y",
            "Mr.",
            "U.S.",
            "EFE",
            "\u{2028}\u{2029}\u{85}",
            "a\u{0}b. C\u{1}d.",
        ];
        for t in cases {
            run(t, None);
            run(t, Some(t));
            run(t, Some(""));
        }
        assert_eq!(layout("", None), Layout::default());
        assert!(layout(" \n\r\n\t ", None).sentences.is_empty());
    }

    #[test]
    fn very_long_lines_are_fine() {
        let long = "Shelling continued near the border. ".repeat(20_000);
        let l = run(&long, None);
        assert_eq!(l.sentences.len(), 20_000);
        let no_space = "a".repeat(200_000) + "." + &".".repeat(100_000);
        run(&no_space, None);
        let cjk = format!("He left. {}", "日".repeat(100));
        run(&cjk, None);
        let dots = "U.".repeat(50_000);
        run(&dots, None);
        let caps = "BAKU ".repeat(50_000);
        run(&caps, None);
    }

    /// xorshift64*: deterministic pseudo-random numbers for the fuzz test.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn random_inputs_never_panic_and_ranges_are_valid() {
        const PIECES: &[&str] = &[
            "a",
            "A",
            "Baku",
            "BAKU",
            "YEREVAN",
            "Oct.",
            "12",
            ".",
            ". ",
            "..",
            "…",
            "!",
            "?",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\r",
            "\t",
            "(",
            ")",
            "(Reuters)",
            " - ",
            "—",
            "–",
            "--",
            ",",
            "/",
            "/TASS/",
            "'",
            "\"",
            "“",
            "”",
            "’",
            "‘",
            "«",
            "»",
            "é",
            "É",
            "日",
            "😀",
            "\u{feff}",
            "\u{200b}",
            "\u{a0}",
            "\u{2028}",
            "©",
            "SEE ALSO:",
            "READ MORE: ",
            "Reporting by ",
            "EFE",
            "U.S.",
            "Mr.",
            "F.",
            "3.5",
            "Getty Images",
            "By ",
            "Updated: ",
            "logo",
            "ISTANBUL",
            ":",
            "|",
            "\u{0}",
            "killed",
            "The",
            "the",
            "said",
            "Incidents",
            "KarabakhIncidents",
            "AZERTAC",
            "ARMENPRESS.",
            "Photo:",
            "ag/jp",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let len = rng.below(60);
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let title = if round % 3 == 0 {
                Some(s.as_str())
            } else {
                None
            };
            run(&s, title);
            // arbitrary bytes, made valid UTF-8
            let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            run(&lossy, None);
            // arbitrary chars
            let chars: String = (0..rng.below(80))
                .filter_map(|_| char::from_u32((rng.next() % 0x3000) as u32))
                .collect();
            run(&chars, Some("x"));
        }
    }

    const AP_STYLE: &str = "Azerbaijan and Armenia trade fire as fighting enters second week\nBy AIDA SULTANOVA and AVET DEMOURIAN Associated Press\nOctober 4, 2020, 8:05 AM\n\nSTEPANAKERT, Nagorno-Karabakh -- Heavy shelling hit Stepanakert on Sunday. At least 2 civilians were killed, officials said.\n\nThe Associated Press could not independently verify the claims.\n\n___\n\nAssociated Press writer Daria Litvinova in Moscow contributed to this report.\n\nCopyright 2020 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.";

    const TREND_STYLE: &str = "Azerbaijani Army positions come under fire\n\nBaku, Azerbaijan, Sept. 28\n\nBy Nargiz Sadikhova – Trend:\n\nThe Armenian armed forces violated the ceasefire 25 times in the Tartar direction, the ministry said.\n\nFollow Trend on Telegram\n\nShare";

    const ARMENPRESS_STYLE: &str = "YEREVAN, SEPTEMBER 27. ARMENPRESS. Azerbaijan launched a missile attack on Stepanakert, the MoD spokesperson said.\nThe attack killed one woman and injured two children.\nREAD ALSO: Armenia declares martial law after Azerbaijani attack\n";

    const XINHUA_STYLE: &str = "BAKU, Sept. 27 (Xinhua) -- Azerbaijan's President Ilham Aliyev on Sunday declared martial law. Shelling was reported in Tartar and Agdam.\nEnditem";

    const GUARDIAN_STYLE: &str = "Armenia and Azerbaijan clash over Nagorno-Karabakh\nAndrew Roth in Moscow\nMon 28 Sep 2020 12.30 BST\nPhotograph: Azerbaijan defence ministry/AFP/Getty Images\nHeavy fighting continued for a second day.\nSoldiers were killed near Martakert, according to officials.";

    const EFE_STYLE: &str = "Baku, Aug 2 (EFE).- Russia on Saturday expressed concern about clashes. Thirteen soldiers died, the ministry said. EFE\n\nbb/ic";

    const KYIV_STYLE: &str = "KYIV — Russian drones struck Odesa overnight, killing two people, Gov. Oleh Kiper said on Telegram.\n\nThe attack damaged a port facility.\n\nWe’re bringing you independent journalism. Subscribe to our newsletter now.\n\nRead also: Ukraine war latest: Russia strikes Odesa\n\nNote from the author:\n\nHello, this is the editor.";

    #[test]
    fn outlet_styles_whole_articles() {
        type Want<'a> = (
            &'a str,
            &'a [(SentenceKind, &'a str)],
            &'a [&'a str],
            &'a [&'a str],
        );
        let cases: &[Want] = &[
            (
                AP_STYLE,
                &[
                    (Title, "Azerbaijan and Armenia trade fire as fighting enters second week"),
                    (Header, "By AIDA SULTANOVA and AVET DEMOURIAN Associated Press"),
                    (Header, "October 4, 2020, 8:05 AM"),
                    (Body, "Heavy shelling hit Stepanakert on Sunday."),
                    (Body, "At least 2 civilians were killed, officials said."),
                    (Body, "The Associated Press could not independently verify the claims."),
                    (Byline, "Associated Press writer Daria Litvinova in Moscow contributed to this report."),
                ],
                &["STEPANAKERT, Nagorno-Karabakh --"],
                &["___", "Copyright 2020 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."],
            ),
            (
                TREND_STYLE,
                &[
                    (Title, "Azerbaijani Army positions come under fire"),
                    (Header, "By Nargiz Sadikhova – Trend:"),
                    (Body, "The Armenian armed forces violated the ceasefire 25 times in the Tartar direction, the ministry said."),
                ],
                &["Baku, Azerbaijan, Sept. 28"],
                &["Follow Trend on Telegram", "Share"],
            ),
            (
                ARMENPRESS_STYLE,
                &[
                    (Body, "Azerbaijan launched a missile attack on Stepanakert, the MoD spokesperson said."),
                    (Body, "The attack killed one woman and injured two children."),
                ],
                &["YEREVAN, SEPTEMBER 27. ARMENPRESS."],
                &["READ ALSO: Armenia declares martial law after Azerbaijani attack"],
            ),
            (
                XINHUA_STYLE,
                &[
                    (Body, "Azerbaijan's President Ilham Aliyev on Sunday declared martial law."),
                    (Body, "Shelling was reported in Tartar and Agdam."),
                ],
                &["BAKU, Sept. 27 (Xinhua) --"],
                &["Enditem"],
            ),
            (
                GUARDIAN_STYLE,
                &[
                    (Title, "Armenia and Azerbaijan clash over Nagorno-Karabakh"),
                    (Header, "Andrew Roth in Moscow"),
                    (Header, "Mon 28 Sep 2020 12.30 BST"),
                    (Body, "Heavy fighting continued for a second day."),
                    (Body, "Soldiers were killed near Martakert, according to officials."),
                ],
                &[],
                &["Photograph: Azerbaijan defence ministry/AFP/Getty Images"],
            ),
            (
                EFE_STYLE,
                &[
                    (Body, "Russia on Saturday expressed concern about clashes."),
                    (Body, "Thirteen soldiers died, the ministry said."),
                    (Byline, "bb/ic"),
                ],
                &["Baku, Aug 2 (EFE).-"],
                &["EFE"],
            ),
            (
                KYIV_STYLE,
                &[
                    (Body, "Russian drones struck Odesa overnight, killing two people, Gov. Oleh Kiper said on Telegram."),
                    (Body, "The attack damaged a port facility."),
                    (Body, "We’re bringing you independent journalism."),
                    (Body, "Note from the author:"),
                    (Body, "Hello, this is the editor."),
                ],
                &["KYIV —"],
                &["Subscribe to our newsletter now.", "Read also: Ukraine war latest: Russia strikes Odesa"],
            ),
        ];
        for (t, want, datelines, dropped) in cases {
            let l = run(t, None);
            assert_eq!(&sents(t, &l), want, "article {t:?}");
            assert_eq!(&dateline_texts(t, &l), datelines, "article {t:?}");
            assert_eq!(&dropped_texts(t, &l), dropped, "article {t:?}");
        }
    }

    const SEED_000: &str = r#"Russia on Saturday expressed concerns about clashes between the Armenian and Azerbaijani armed forces in the disputed territory of Nagorno-Karabakh that have left 13 dead on the Azerbaijani side in recent days.

"We're expressing our concern over the sharp deterioration of the situation in the conflict zone," Maria Zakharova, spokesperson for Russia's Foreign Ministry, told local news agencies.

She said "a major escalation is unacceptable" and denounced the fighting as "a serious violation of cease-fire accords and the declared intentions of solving the dispute by political means."

"We urge all involved in the conflict to show restraint, renounce the use of force and take urgent measures to stabilize the situation," Zakharova added.

In 2010, Russia signed an agreement with Armenia that extends its lease on a military base in that country until 2044, while also pledging to safeguard Armenia - which is located between Turkey and Iran - from external threats.

Azerbaijan and Armenia have accused one another in recent days of carrying out attacks and making incursions into Nagorno-Karabakh, which lies within Azerbaijan but is populated mainly by ethnic Armenians.

Azerbaijan's Defense Ministry said four of the country's soldiers were killed Saturday in border clashes with Armenia, raising the number of Azerbaijani troops who have died over the past 48 hours to 13.

The eight soldiers killed on Thursday represent the biggest single-day death toll for Azerbaijani troops since a cease-fire was declared in May 1994, military expert Dzhasura Sumerinli told Efe.

The Organization for Security and Co-Operation in Europe has been supervising that truce since then.

For its part, Armenia threatened Saturday to carry out punitive measures against Azerbaijan's military forces if the neighboring country does not cease its incursions into the separatist enclave.

The conflict in Nagorno-Karabakh goes back to the collapse of the Soviet Union, when the region's Armenian population sought unification with Armenia, leading to a 1991-1994 war that left more than 25,000 people dead.

Nagorno-Karabakh and Armenian troops occupy the entire enclave and seven adjacent districts and have created a "security buffer" that represents a third of Azerbaijani territory. EFE"#;

    const SEED_001: &str = r#"Russia calls on Azerbaijan, Armenia to defuse tensions in Karabakh region
Moscow urged parties to 'exercise restraint, take steps to deescalate situation,' says Foreign Ministry spokeswoman
ISTANBUL
Russia on Monday called on Azerbaijan and Armenia to defuse tensions in the Karabakh region, where tensions have risen once again due to a skirmish between forces of Baku and Yerevan.
“We express our serious concern at the escalation of tension in the zone of the Nagorno-Karabakh conflict. Over the past few days, there have been repeated violations of the ceasefire regime. On March 5, an armed incident took place, resulting in casualties from both the Armenian and Azerbaijani sides,” Russian Foreign Ministry spokeswoman Maria Zakharova said in an official commentary.
She also said Moscow urged the parties involved to “exercise restraint and take steps to deescalate the situation,” adding that Russia underlined the need to comply with the trilateral statement of November 2020.
Zakharova further said any issues related to the area where Russia’s peacekeeping force is stationed "must be resolved peacefully in contact between the parties under the auspices of the Russian peacekeeping contingent."
She added that the incident “once again confirms the imperativeness of Baku and Yerevan returning to negotiations as soon as possible” as part of the trilateral statements of November 2021, January 2021, and November 2021.
Baku's Defense Ministry said at least two Azerbaijani soldiers were killed on Sunday when Armenian forces opened fire on them after Azerbaijani troops attempted to stop and check vehicles carrying out “illegal military transports” through the Khankendi-Khalfali-Turshsu road, where a Russian peacekeeping contingent has been temporarily stationed since the aftermath of the fall 2020 conflict in the Karabakh region and a January 2021 pact with Baku and Yerevan.
Relations between the two former Soviet republics of Armenia and Azerbaijan have been tense since 1991, when the Armenian military occupied Nagorno-Karabakh, a territory internationally recognized as part of Azerbaijan, and seven adjacent regions.
In the fall of 2020, in 44 days of clashes, Azerbaijan liberated several cities, villages and settlements from Armenian occupation. The Russian-brokered peace agreement is celebrated as a triumph in Azerbaijan.
Anadolu Agency website contains only a portion of the news stories offered to subscribers in the AA News Broadcasting System (HAS), and in summarized form. Please contact us for subscription options."#;

    const SEED_002: &str = r#"You are using an older browser version. Please use a supported version for the best MSN experience.

Putin Calls For End To Violence In Armenia-Azerbaijan Region

HuffPost logo HuffPost 2/04/2016 Annum Masroor

BAKU/YEREVAN (Reuters) - Russia made a concerted effort to end conflict between Azerbaijan and Armenia after a fresh wave of fighting broke out in the disputed Nagorno-Karabakh region on Saturday, raising concerns over violence spreading in South Caucasus.

Nagorno-Karabakh, which lies inside Azerbaijan but is controlled by ethnic Armenians, has run its own affairs with heavy military and financial backing from Armenia since a separatist war ended in 1994.

Azerbaijan frequently threatens to take Nagorno-Karabakh region back by force. Clashes around the region have fueled worries of a widening conflict breaking out in the region, which is crossed by oil and gas pipelines.

Both sides report numerous casualties, accusing each other on Saturday of violating a ceasefire, a sign that the two-decade-old conflict which has left some 30,000 people dead is far from a peaceful resolution.

ATHENA IMAGE © Mikhail Svetlov via Getty Images
Similar violence was reported last month.

"The enemy, using tanks, artillery and aviation made attempts to get deep into the defense lines of the Nagorno-Karabakh Army of Defense and capture tactical positions. The enemy was thwarted," the Armenian Defense Ministry said in a statement.

The wave of violence has forced Russia, a key mediator in the conflict, to step up diplomatic efforts to quench it.

Russia's President Vladimir Putin has urged both sides to observe an immediate ceasefire and "to exercise restraint so as to avert new human casualties," Kremlin spokesman Dmitry Peskov was quoted as saying by the Interfax news agency.

Russian Foreign Minister Sergei Lavrov and Defense Minister Sergei Shoigu have talked by phone with their Armenian and Azeri counterparts.

Lavrov has called on them to "deal with the situation to stop the violence", while Shoigu called for "immediate measures to stabilize the situation in the conflict zone".

War erupted over Nagorno-Karabakh in dying years of the Soviet Union, and killed about 30,000 people. A ceasefire was called in 1994 but violence has sporadically broken out since.

On Wednesday, U.S. Secretary of State John Kerry called for "an ultimate resolution" of the conflict between during talks with Azeri President Ilham Aliyev at the State Department.

(Reporting by Nailia Bagirova in Baku and Hasmik Mkrtchyan in Yerevan; writing by Vladimir Soldatkin, editing by Louise Heavens)

More from Huffington Post

image beaconimage beaconimage beacon"#;

    const SEED_003: &str = r#"The Russian Defense Ministry says Azerbaijani armed forces entered a zone policed by Russian peacekeepers in the Nagorno-Karabakh region in violation of a Moscow-brokered cease-fire agreement that ended a six-week war in 2020.
The Defense Ministry in Moscow also accused Azerbaijani troops of using Turkish-made drones to strike troops in Nagorno-Karabakh, while the Russian Foreign Ministryexpressed "extreme concern" over the spiraling tensions in the region.
Russia also said it had called on Azerbaijan to pull out its troops and called on the parties to the conflict to show restraint and ensure compliance with the agreements reached by Armenia, Azerbaijan, and Russia.
The announcement was the first time since the end of the hostilities over Karabakh in November 2020 that Moscow has accused one of the parties of violating the cease-fire.
The Azerbaijani Defense Ministry described Russia's statement as "one-sided," saying it “does not reflect the truth."
On the morning of March 26 “members of illegal Armenian armed groups attempted to sabotage units of the Azerbaijani Army,” the ministry said. “As a result of immediate measures, members of illegal Armenian armed groups were forced to withdraw."
The ministry requests that Russia "fully withdraw the remaining Armenian troops and illegal armed units from the internationally recognized territory of Azerbaijan."
It reiterated Azerbaijan's commitment to the cease-fire it signed with Armenia and Russia in November 2020 to end the military conflict in which Azerbaijan recaptured territory it had lost in a war fought in the early 1990s.
The two countries' defense ministers discussed the situation in the enclave and the "Azerbaijani side stated that it is clarifying the positions and deployment locations of its armed forces" on the ground, the ministry in Baku said.
The command of the Russian peacekeeping contingent is also taking measures to resolve the situation and return the troops to their original position, the Russian military said.
Moscow deployed almost 2,000 peacekeepers to the region after the cease-fire, reaffirming its role as chief power broker in a volatile part of the former Soviet Union where Turkey also wields influence through its alliance with Azerbaijan.
SEE ALSO: Report Warns Of 'Fragile' Prospects For Postwar Nagorno-KarabakhIncidents between the armed forces of arch enemies Azerbaijan and Armenia have been frequent in recent months, and on March 25 three ethnic Armenian soldiers were reportedly killed and several more wounded in clashes with Azerbaijani troops.
Armenian Prime Minister Nikol Pashinian discussed the latest escalation in Nagorno-Karabakh with Russian President Vladimir Putin.
Pashinian’s press office said that the two leaders discussed “the situation created after the invasion by Azerbaijani units into the zone of responsibility of the peacekeeping contingent of the Russian Federation in Nagorno-Karabakh.”
On March 26, Kremlin spokesman Dmitry Peskov confirmed that Putin and Pashinian had held two phone calls on March 24 and March 25.
"The situation on the contact line in Karabakh was discussed," Peskov told reporters.
“Prime Minister Pashinian raised the need to investigate the actions of Russian peacekeepers in the given situation and stressed that it is necessary that Russian peacekeepers demand that Azerbaijani armed forces withdraw to their initial positions,” the transcript of the phone call released by the Armenian side said.
“The leaders of the two countries agreed to make efforts to resolve the crisis situation in Nagorno-Karabakh,” it added.
The war between Armenia and Azerbaijan in 2020 claimed more than 6,500 lives."#;
}
