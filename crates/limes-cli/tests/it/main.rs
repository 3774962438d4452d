//! The one integration-test binary of limes-cli: each module drives the built `limes` binary.

mod mrz;
