//! Biometric templates and 1:N matching (later issue). Pure: no I/O.
