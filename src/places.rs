//! Place mentions (placeholder).
