//! One integration binary for the server: the API through the router (no sockets) and the web UI
//! in a real headless Chromium.

mod api;
mod browser;
mod ees;
mod sis;
mod support;
