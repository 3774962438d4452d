//! One integration binary for the `limes` command line: each module drives the real binary.

mod foundation;
mod sis;
