//! limes-formats (placeholder until its issue lands).
