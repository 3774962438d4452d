//! limes-journal (placeholder until its issue lands).
