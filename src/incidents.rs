//! Incident assembly (placeholder).
use crate::gazetteer::Gazetteer;
use crate::record::Record;
use crate::text::Article;

/// Everything extraction needs, built once and shared across articles.
pub struct Extractor {
    pub gazetteer: Gazetteer,
}

/// The records read from one article.
#[derive(Debug, Default)]
pub struct ArticleResult {
    pub incidents: Vec<Record>,
    pub statements: Vec<Record>,
}

impl Extractor {
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        Extractor { gazetteer }
    }

    /// Extract incidents and statements from one article.
    pub fn extract(&self, _article: &Article) -> ArticleResult {
        ArticleResult::default()
    }
}
