//! The one integration-test binary of limes-cli: runs the built `limes` binary as a user would.

mod ees;
