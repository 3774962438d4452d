//! One integration binary for the `limes` command line: each module drives the real binary.

mod ees;
mod foundation;
mod mrz;
mod screen;
mod sis;
mod support;
