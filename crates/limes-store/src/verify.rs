//! Verification shared by both backends.
