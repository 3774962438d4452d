//! limes-store (placeholder until its issue lands).
