//! Time is injected: deadlines, retention and the 90/180 rule are tested by moving a clock, not by
//! waiting. Nothing in Limes calls `OffsetDateTime::now_utc()` except [`SystemClock`].

use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> OffsetDateTime;
    fn today(&self) -> time::Date {
        self.now().date()
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock the tests (and `--clock` in the demo) set and advance by hand.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    pub fn new(start: OffsetDateTime) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }
    pub fn set(&self, to: OffsetDateTime) {
        *self.now.lock().unwrap_or_else(|poison| poison.into_inner()) = to;
    }
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|poison| poison.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap_or_else(|poison| poison.into_inner())
    }
}
