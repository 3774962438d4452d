//! Embedded migrations, one list per backend.
