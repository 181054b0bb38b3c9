//! Actors dictionary (placeholder).
