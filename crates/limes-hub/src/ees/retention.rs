//! The Art 34 retention job on the injected clock: applies `limes_ees::retention::decide` to every
//! file of the central EES (simulated here) and deletes the same records from the national copy,
//! which may never keep data longer than the central system (Art 40). It warns from 3 months
//! before a no-exit record's 5-year deletion and reports what it deleted.

use limes_ees::record::RecordId;
use limes_ees::retention::decide;
use serde::Serialize;
use serde_json::json;
use time::Date;

use super::central::{self, CentralEes, EesArea};
use crate::gate::{Actor, actor_entry};
use crate::{Hub, HubError};

#[derive(Clone, Debug, Serialize)]
pub struct EesRetentionReport {
    #[serde(with = "limes_ees::record::iso_date")]
    pub today: Date,
    /// Records deleted (file/record keys).
    pub deleted_records: Vec<String>,
    /// Files deleted with all their records.
    pub deleted_files: Vec<String>,
    /// No-exit records within 3 months of their 5-year deletion: (record key, due date).
    pub warnings: Vec<(String, String)>,
}

impl Hub {
    /// Runs Art 34 retention on today's date (the clock's) and journals every deletion.
    pub async fn ees_retention(&self, actor: &Actor) -> Result<EesRetentionReport, HubError> {
        let today = self.now().date();
        let central = self.ees_central();
        let national = self.ees_national();
        let mut report = EesRetentionReport {
            today,
            deleted_records: Vec::new(),
            deleted_files: Vec::new(),
            warnings: Vec::new(),
        };
        let today_text = limes_ees::record::iso_date::format(today);
        for id in central.file_ids().await? {
            let Some(file) = central.file(id).await? else {
                continue;
            };
            let records = central.records(id).await?;
            let decision = decide(
                &records.entries,
                &records.refusals,
                file.family_member_of_union_citizen,
                today,
            );
            let mut delete_file = decision.delete_file;
            let total = records.entries.len() + records.refusals.len();
            if total == 0
                && let Some(due) = national.file_due(id).await?
            {
                delete_file = due <= today;
            }
            let mut delete: Vec<RecordId> = decision.delete_records.clone();
            if !delete_file
                && !delete.is_empty()
                && delete.len() == total
                && let Some(due) = limes_ees::retention::file_due(
                    &records.entries,
                    &records.refusals,
                    file.family_member_of_union_citizen,
                )
            {
                // The records go today and the file a day later: keep the date the records gave.
                national
                    .set_file_due(
                        id,
                        due,
                        actor_entry(
                            actor,
                            "ees.retention_file_due",
                            json!({"file": central::file_key(id), "due": limes_ees::record::iso_date::format(due)}),
                            vec![format!("ees_file:{}", central::file_key(id))],
                            "ok",
                        ),
                    )
                    .await?;
            }
            if delete_file {
                delete.extend(records.entries.iter().map(|r| r.id));
                delete.extend(records.refusals.iter().map(|r| r.id));
                delete.sort();
                delete.dedup();
            }
            for (record, due) in &decision.warn_records {
                report.warnings.push((
                    central::record_key(id, *record),
                    limes_ees::record::iso_date::format(*due),
                ));
            }
            if delete.is_empty() && !delete_file {
                continue;
            }
            let keys: Vec<String> = delete.iter().map(|r| central::record_key(id, *r)).collect();
            let whole = delete_file.then(|| file.clone());
            central.delete(id, delete.clone(), whole.clone()).await?;
            national
                .delete(id, &delete, whole.as_ref(), |kind: &str| {
                    actor_entry(
                        actor,
                        "ees.retention_delete",
                        json!({"kind": kind, "file": central::file_key(id), "today": today_text}),
                        keys.clone(),
                        "ok",
                    )
                })
                .await?;
            report.deleted_records.extend(keys);
            if delete_file {
                report.deleted_files.push(central::file_key(id));
            }
        }
        self.ees_national_orphans(&national, &central, actor, &mut report)
            .await?;
        if !report.warnings.is_empty() {
            let ids = report.warnings.iter().map(|(k, _)| k.clone()).collect();
            self.store
                .append(actor_entry(
                    actor,
                    "ees.retention_warning",
                    json!({"count": report.warnings.len(), "months_before": 3}),
                    ids,
                    "ok",
                ))
                .await?;
        }
        report.deleted_records.sort();
        report.deleted_files.sort();
        report.warnings.sort();
        Ok(report)
    }

    /// A national file whose central file is gone is deleted too (national copies are never
    /// kept longer than the central system, Art 40).
    async fn ees_national_orphans(
        &self,
        national: &EesArea,
        central: &dyn CentralEes,
        actor: &Actor,
        report: &mut EesRetentionReport,
    ) -> Result<(), HubError> {
        for id in national.file_ids().await? {
            if central.file(id).await?.is_some() {
                continue;
            }
            let Some(file) = national.file(id).await? else {
                continue;
            };
            let records = national.records(id).await?;
            let ids: Vec<RecordId> = records
                .entries
                .iter()
                .map(|r| r.id)
                .chain(records.refusals.iter().map(|r| r.id))
                .collect();
            let keys: Vec<String> = ids.iter().map(|r| central::record_key(id, *r)).collect();
            national
                .delete(id, &ids, Some(&file), |kind| {
                    actor_entry(
                        actor,
                        "ees.retention_delete",
                        json!({"kind": kind, "file": central::file_key(id), "reason": "deleted centrally"}),
                        keys.clone(),
                        "ok",
                    )
                })
                .await?;
            report.deleted_records.extend(keys);
            report.deleted_files.push(central::file_key(id));
        }
        Ok(())
    }
}

/// The housekeeping entry point: a plain async fn a periodic timer can call. Journals as the
/// operator `cli:housekeeping`.
pub async fn housekeeping(hub: &Hub) -> Result<EesRetentionReport, HubError> {
    hub.ees_retention(&Actor::Cli {
        os_user: "housekeeping".to_owned(),
    })
    .await
}
