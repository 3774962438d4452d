//! limes-hub (placeholder until its issue lands).
