//! EES statistics for the national authorities (Reg 2017/2226 Art 63): entries, exits and
//! refusals by reason and crossing point, and overstayers by nationality, per day, from the
//! national copy.
//!
//! **Small counts are suppressed:** a cell with 1 to 4 persons is published as `<5`. A day, a
//! crossing point and a nationality together can single out one traveller, and Art 63 statistics
//! must not allow identification (GDPR recital 26); 5 is the threshold national statistics
//! offices commonly use for frequency tables. Zero cells are left out. The rule is applied to
//! every published figure, CSV and chart alike, by [`publish`].

use std::collections::BTreeMap;

use limes_ees::{Day, OverstayRecord};
use limes_model::{Action, DataCategory};
use serde::Serialize;
use serde_json::json;
use time::Date;

use super::StoredRecord;
use crate::gate::Access;
use crate::{Hub, HubError};

/// Smallest count published as a number.
pub const SUPPRESS_BELOW: u64 = 5;
/// Longest period one request covers.
pub const MAX_DAYS: i64 = 366;

/// One cell: (day, metric, dimension value) → count.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StatKey {
    #[serde(with = "limes_ees::record::iso_date")]
    pub day: Date,
    /// entries, exits, refusals, overstayers.
    pub metric: &'static str,
    /// crossing_point, reason, nationality.
    pub dimension: &'static str,
    pub value: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct EesStatistics {
    pub cells: BTreeMap<StatKey, u64>,
}

/// How a count is published: `None` for zero (left out), `<5` for 1..=4, the number otherwise.
pub fn publish(count: u64) -> Option<String> {
    match count {
        0 => None,
        n if n < SUPPRESS_BELOW => Some(format!("<{SUPPRESS_BELOW}")),
        n => Some(n.to_string()),
    }
}

impl EesStatistics {
    /// The CSV (RFC 4180): `day,metric,dimension,value,count`, small counts suppressed.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("day,metric,dimension,value,count\n");
        for (key, count) in &self.cells {
            if let Some(shown) = publish(*count) {
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    limes_ees::record::iso_date::format(key.day),
                    key.metric,
                    key.dimension,
                    csv_field(&key.value),
                    shown
                ));
            }
        }
        out
    }

    /// Totals per day and metric (for the chart), before suppression.
    pub fn totals(&self) -> BTreeMap<(Date, &'static str), u64> {
        let mut totals = BTreeMap::new();
        for (key, count) in &self.cells {
            // Refusals have one cell per reason and per crossing point; count them once.
            if key.metric == "refusals" && key.dimension != "crossing_point" {
                continue;
            }
            *totals.entry((key.day, key.metric)).or_insert(0) += count;
        }
        totals
    }

    fn add(&mut self, day: Date, metric: &'static str, dimension: &'static str, value: &str) {
        *self
            .cells
            .entry(StatKey {
                day,
                metric,
                dimension,
                value: value.to_owned(),
            })
            .or_insert(0) += 1;
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

impl Hub {
    /// The statistics for `[from, to]` (inclusive), journalled; no personal data leaves.
    pub async fn ees_statistics(
        &self,
        access: &Access,
        from: Date,
        to: Date,
    ) -> Result<EesStatistics, HubError> {
        let query = json!({
            "from": limes_ees::record::iso_date::format(from),
            "to": limes_ees::record::iso_date::format(to),
        });
        self.authorize(
            access,
            Action::Read,
            DataCategory::Statistics,
            "ees.statistics",
            &query,
        )
        .await?;
        if to < from || (to - from).whole_days() >= MAX_DAYS {
            return Err(HubError::InvalidInput(format!(
                "from must not be after to, and the period is at most {MAX_DAYS} days"
            )));
        }
        let mut stats = EesStatistics::default();
        let in_range = |day: Date| day >= from && day <= to;
        let member_state_prefix = format!("{}:", self.member_state());
        let own = |authority: &str| authority.starts_with(&member_state_prefix);
        let mut open: Vec<(OverstayRecord, String)> = Vec::new();
        self.ees_national()
            .for_each_record(|stored| match stored {
                StoredRecord::Entry {
                    member_state,
                    nationality,
                    record,
                } => {
                    let entered = record.entry.at.date();
                    if member_state == self.member_state() && in_range(entered) {
                        stats.add(
                            entered,
                            "entries",
                            "crossing_point",
                            &record.entry.crossing_point,
                        );
                    }
                    if let Some(exit) = &record.exit
                        && own(&exit.authority)
                        && in_range(exit.at.date())
                    {
                        stats.add(
                            exit.at.date(),
                            "exits",
                            "crossing_point",
                            &exit.crossing_point,
                        );
                    }
                    open.push((
                        OverstayRecord::new(
                            record.file.0,
                            Day::from_date(record.end_of_authorised_stay),
                            record.exit.as_ref().map(|x| Day::from_date(x.at.date())),
                        ),
                        nationality.unwrap_or_else(|| "XXX".to_owned()),
                    ));
                }
                StoredRecord::Refusal { record, .. } => {
                    let day = record.refused.at.date();
                    if in_range(day) {
                        stats.add(
                            day,
                            "refusals",
                            "crossing_point",
                            &record.refused.crossing_point,
                        );
                        for letter in &record.reasons {
                            stats.add(day, "refusals", "reason", &letter.to_string());
                        }
                    }
                }
            })
            .await?;
        let mut day = from;
        while day <= to {
            let as_of = Day::from_date(day);
            for (record, nationality) in &open {
                if record.is_overstaying(as_of) {
                    stats.add(day, "overstayers", "nationality", nationality);
                }
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        self.answer(access, "ees.statistics", query, vec![]).await?;
        Ok(stats)
    }
}
