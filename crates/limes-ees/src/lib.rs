//! limes-ees (placeholder until its issue lands).
