//! limes-match (placeholder until its issue lands).
