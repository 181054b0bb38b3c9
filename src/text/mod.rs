//! Article text: loading (articles and manifest), cleaning, sentences,
//! datelines and bylines.
//!
//! [`layout`] never rewrites the text: it returns byte ranges into the
//! original, so every later stage can report offsets and evidence verbatim.

mod layout;
pub mod load;

pub use layout::layout;
pub use load::{
    cut_article, cut_point, list_inputs, load_inputs, parse_jsonl_line, Article, ArticleFiles,
    InputError, Inputs, JsonlError, MAX_ARTICLE_BYTES,
};

use std::ops::Range;

/// What a piece of the article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SentenceKind {
    /// Running text: incidents are read from these.
    Body,
    /// The headline (first line, or the manifest title).
    Title,
    /// Header lines: outlet name, date line, author line ("HuffPost 2/04/2016 Annum Masroor").
    Header,
    /// A byline or credit ("Reporting by ... in Baku; editing by ...").
    Byline,
}

/// One sentence (or header line) as a byte range into the article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// 0-based paragraph number (paragraphs are separated by blank lines or line breaks).
    pub paragraph: usize,
    pub kind: SentenceKind,
}

impl Sentence {
    /// The sentence text.
    pub fn text<'a>(&self, article: &'a str) -> &'a str {
        &article[self.start..self.end]
    }
}

/// The structure of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Sentences and header lines in text order; boilerplate and datelines are not in here.
    pub sentences: Vec<Sentence>,
    /// Datelines: "BAKU/YEREVAN (Reuters) -", a lone "ISTANBUL" line, "YEREVAN, JULY 16, ARMENPRESS.".
    pub datelines: Vec<Range<usize>>,
    /// Page boilerplate that was dropped (browser notices, "More from ...", image credits, "SEE ALSO: ...").
    pub dropped: Vec<Range<usize>>,
}
