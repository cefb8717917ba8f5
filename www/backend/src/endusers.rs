//! End-users: the cookie that names them, how long a named end-user waits for a first
//! dossier, and the import of the file records earlier versions kept under
//! `<data>/host/endusers/{cookie}.json`.

use crate::storage::{self, DataDir};
use crate::store::{Imported, Notified, Store, Upload};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// The cookie that identifies an end-user of the demo.
pub const COOKIE: &str = "videoid_user";

/// How long an end-user named before their first capture (the demo page's first call) is
/// kept without a dossier; then the sweep removes them.
pub const UNCLAIMED_LIFETIME: Duration = Duration::from_secs(24 * 3600);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileUpload {
    token: String,
    dossier_id: String,
    process_id: String,
    expires_at_ms: u64,
    expires_at: String,
    steps: Vec<String>,
    #[serde(default)]
    received: BTreeMap<String, u64>,
    #[serde(default)]
    completed: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileNotified {
    event_id: String,
    status: String,
    received_at: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileEndUser {
    id: String,
    dossier_id: String,
    created_at: String,
    #[serde(default)]
    uploads: Vec<FileUpload>,
    #[serde(default)]
    notified: BTreeMap<String, FileNotified>,
}

fn imported(file: FileEndUser, steps: &[&str]) -> Imported {
    let key = crate::store::EndUserKey::of_cookie(&file.id);
    Imported {
        uploads: file
            .uploads
            .into_iter()
            .map(|u| {
                // Only the steps this version takes (sessions stored with a video step
                // complete with their stills).
                let kept: Vec<String> = u
                    .steps
                    .into_iter()
                    .filter(|s| steps.contains(&s.as_str()))
                    .collect();
                let received = u
                    .received
                    .into_iter()
                    .filter(|(s, _)| kept.contains(s))
                    .collect();
                let upload = Upload {
                    enduser: key.clone(),
                    dossier_id: u.dossier_id,
                    process_id: u.process_id,
                    steps: kept,
                    received,
                    completed: u.completed,
                    expires_at_ms: i64::try_from(u.expires_at_ms).unwrap_or(i64::MAX),
                    expires_at: u.expires_at,
                };
                (u.token, upload)
            })
            .collect(),
        notified: file
            .notified
            .into_iter()
            .map(|(process, n)| {
                let n = Notified {
                    event_id: n.event_id,
                    status: n.status,
                    received_at: n.received_at,
                };
                (process, n)
            })
            .collect(),
        cookie: file.id,
        dossier_id: file.dossier_id,
        created_at: file.created_at,
    }
}

/// Moves the end-user records of the file store into the database, one transaction each;
/// each file is removed once its record is in (or was there already). Returns how many
/// were imported.
pub async fn import_files(data: &DataDir, store: &dyn Store) -> usize {
    let Some(dir) = data.path(&["host", "endusers"]) else {
        return 0;
    };
    let mut count = 0;
    for name in storage::entries(&dir, true) {
        let path = dir.join(&name);
        // Read here rather than with `storage::read_json`, which names an unreadable file: the
        // name is an end-user's cookie, and must not reach the logs.
        let read = std::fs::read(&path).ok();
        let Some(file) = read.and_then(|bytes| serde_json::from_slice::<FileEndUser>(&bytes).ok())
        else {
            tracing::warn!("import: skipping an unreadable end-user file");
            continue;
        };
        if name.strip_suffix(".json") != Some(file.id.as_str())
            || !storage::is_safe_name(&file.id)
            || !crate::ids::is_valid_id(&file.dossier_id)
        {
            // Not the path: the file's name is an end-user's cookie.
            tracing::warn!("import: skipping a file that is not an end-user record");
            continue;
        }
        match store
            .import(
                &imported(file, crate::upload::STEPS),
                crate::store::now_ms(),
            )
            .await
        {
            Ok(new) => {
                count += usize::from(new);
                if let Err(e) = data.remove_file(&path) {
                    tracing::warn!(error = %e, "import: could not remove an imported file");
                }
            }
            Err(e) => tracing::error!(error = %e, "import: an end-user record failed"),
        }
    }
    // Gone once empty; a failed import leaves its file for the next start.
    let _ = std::fs::remove_dir(&dir);
    count
}
