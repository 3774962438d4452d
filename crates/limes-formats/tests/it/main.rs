//! The one integration-test binary of limes-formats.

mod mrz;
