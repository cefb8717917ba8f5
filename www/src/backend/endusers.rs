//! The end-users the reference backend knows: one dossier each, found by a cookie.
//!
//! Stored as `<data>/host/endusers/{id}.json`. The record also holds the
//! native upload sessions and the final statuses that webhook events
//! announced, so a restart loses neither.

use crate::storage::{self, DataDir};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::PathBuf;

/// The cookie that identifies an end-user of the demo.
pub const COOKIE: &str = "videoid_user";

/// A native upload session: the token the element uploads with, bound to one process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Upload {
    pub token: String,
    pub dossier_id: String,
    pub process_id: String,
    pub expires_at_ms: u64,
    pub expires_at: String,
    pub steps: Vec<String>,
    /// Steps received so far, with their sizes.
    #[serde(default)]
    pub received: BTreeMap<String, u64>,
    #[serde(default)]
    pub completed: bool,
}

/// What a `process.complete` event told about a process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notified {
    pub event_id: String,
    pub status: String,
    pub received_at: String,
}

/// One end-user: their dossier and what the backend remembers about its processes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndUser {
    pub id: String,
    pub dossier_id: String,
    pub created_at: String,
    #[serde(default)]
    pub uploads: Vec<Upload>,
    #[serde(default)]
    pub notified: BTreeMap<String, Notified>,
}

/// Every end-user, with indexes by dossier and upload token.
pub struct EndUsers {
    data: DataDir,
    users: HashMap<String, EndUser>,
    by_dossier: HashMap<String, String>,
    by_upload: HashMap<String, String>,
    /// Event ids already handled (from records, plus events about dossiers that are not ours).
    pub seen_events: HashSet<String>,
}

impl EndUsers {
    /// Loads the records under `<data>/host/endusers/`.
    pub fn load(data: DataDir) -> EndUsers {
        let mut all = EndUsers {
            data,
            users: HashMap::new(),
            by_dossier: HashMap::new(),
            by_upload: HashMap::new(),
            seen_events: HashSet::new(),
        };
        if let Some(dir) = all.data.path(&["host", "endusers"]) {
            for name in storage::entries(&dir, true) {
                let Some(user) = storage::read_json::<EndUser>(&dir.join(&name)) else {
                    continue;
                };
                if name.strip_suffix(".json") == Some(user.id.as_str()) {
                    all.index(&user);
                    all.users.insert(user.id.clone(), user);
                }
            }
        }
        all
    }

    fn index(&mut self, user: &EndUser) {
        self.by_dossier
            .insert(user.dossier_id.clone(), user.id.clone());
        for upload in &user.uploads {
            self.by_upload.insert(upload.token.clone(), user.id.clone());
        }
        for notified in user.notified.values() {
            self.seen_events.insert(notified.event_id.clone());
        }
    }

    fn file(&self, id: &str) -> io::Result<PathBuf> {
        self.data
            .path(&["host", "endusers", &format!("{id}.json")])
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad end-user id"))
    }

    /// An end-user by the value of their cookie.
    pub fn get(&self, id: &str) -> Option<&EndUser> {
        self.users.get(id)
    }

    /// The end-user who owns a dossier.
    pub fn by_dossier(&self, dossier_id: &str) -> Option<&EndUser> {
        self.users.get(self.by_dossier.get(dossier_id)?)
    }

    /// The end-user and upload session of an upload token.
    pub fn by_upload(&self, token: &str) -> Option<(&EndUser, &Upload)> {
        let user = self.users.get(self.by_upload.get(token)?)?;
        let upload = user.uploads.iter().find(|u| u.token == token)?;
        Some((user, upload))
    }

    /// Stores an end-user (new or changed).
    pub fn save(&mut self, user: EndUser) -> io::Result<()> {
        let file = self.file(&user.id)?;
        self.data.write_json(&file, &user)?;
        if let Some(old) = self.users.remove(&user.id) {
            self.by_dossier.remove(&old.dossier_id);
            for upload in &old.uploads {
                self.by_upload.remove(&upload.token);
            }
        }
        self.index(&user);
        self.users.insert(user.id.clone(), user);
        Ok(())
    }

    /// Forgets an end-user and removes their record.
    pub fn remove(&mut self, id: &str) -> io::Result<()> {
        if let Some(old) = self.users.remove(id) {
            self.by_dossier.remove(&old.dossier_id);
            for upload in &old.uploads {
                self.by_upload.remove(&upload.token);
            }
        }
        let file = self.file(id)?;
        self.data.remove_file(&file)
    }
}
