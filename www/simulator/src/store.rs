//! What the simulator remembers, in memory and on disk under `<data>/simulator/`.
//!
//! ```text
//! simulator/dossiers/{dossierId}/dossier.json
//! simulator/dossiers/{dossierId}/processes/{processId}/process.json
//! simulator/dossiers/{dossierId}/processes/{processId}/{front|back|selfie|video}.bin
//! simulator/dossiers/{dossierId}/events/{eventId}.json      (webhook deliveries not yet acknowledged)
//! simulator/configurations/{configurationId}.json
//! ```
//! Everything about a dossier lives in its directory, so deleting it is one
//! `remove_dir_all`. Access tokens stay in memory (a restart asks clients to
//! fetch a new one, as an expired token would).

use super::model::{Dossier, Media, Process};
use crate::storage::{self, DataDir, Staged};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::time::Instant;

/// A webhook event waiting for its receiver to acknowledge it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub dossier_id: String,
    pub event: Value,
    /// When the event stops being worth delivering (ms since the epoch).
    pub expires_at_ms: u64,
}

/// The simulator's state.
pub struct Store {
    data: DataDir,
    pub tokens: HashMap<String, Instant>,
    dossiers: HashMap<String, Dossier>,
    processes: HashMap<String, Process>,
    artifacts: HashMap<String, String>,
    authorizations: HashMap<String, String>,
    configurations: HashMap<String, Value>,
    deliveries: HashMap<String, Delivery>,
}

/// The most live access tokens kept (a client that asks for a token per call cannot grow the map).
pub const MAX_TOKENS: usize = 10_000;

/// The most capture configurations kept.
pub const MAX_CONFIGURATIONS: usize = 1000;

const SIM: &str = "simulator";
const DOSSIERS: &str = "dossiers";

fn missing() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a storable id")
}

impl Store {
    /// Loads everything found under `data`.
    pub fn load(data: DataDir) -> Store {
        let mut store = Store {
            data,
            tokens: HashMap::new(),
            dossiers: HashMap::new(),
            processes: HashMap::new(),
            artifacts: HashMap::new(),
            authorizations: HashMap::new(),
            configurations: HashMap::new(),
            deliveries: HashMap::new(),
        };
        let Some(root) = store.data.path(&[SIM, DOSSIERS]) else {
            return store;
        };
        for dossier_id in storage::entries(&root, false) {
            let dir = root.join(&dossier_id);
            let Some(dossier) = storage::read_json::<Dossier>(&dir.join("dossier.json")) else {
                continue;
            };
            if dossier.dossier_id != dossier_id {
                continue;
            }
            for process_id in storage::entries(&dir.join("processes"), false) {
                let file = dir.join("processes").join(&process_id).join("process.json");
                if let Some(process) = storage::read_json::<Process>(&file) {
                    if process.process_id == process_id && process.dossier_id == dossier_id {
                        store.index(&process);
                        store.processes.insert(process_id, process);
                    }
                }
            }
            for name in storage::entries(&dir.join("events"), true) {
                if let Some(delivery) =
                    storage::read_json::<Delivery>(&dir.join("events").join(&name))
                {
                    if let Some(id) = name.strip_suffix(".json") {
                        store.deliveries.insert(id.to_string(), delivery);
                    }
                }
            }
            store.dossiers.insert(dossier_id, dossier);
        }
        if let Some(dir) = store.data.path(&[SIM, "configurations"]) {
            for name in storage::entries(&dir, true) {
                if let (Some(id), Some(value)) = (
                    name.strip_suffix(".json"),
                    storage::read_json::<Value>(&dir.join(&name)),
                ) {
                    store.configurations.insert(id.to_string(), value);
                }
            }
        }
        store
    }

    /// Finds a process by its capture artifact and by its SDK authorization.
    fn index(&mut self, process: &Process) {
        if let Some(capture) = &process.capture {
            self.artifacts
                .insert(capture.artifact.clone(), process.process_id.clone());
        }
        if let Some(authorization) = &process.authorization {
            self.authorizations
                .insert(authorization.clone(), process.process_id.clone());
        }
    }

    /// Forgets a process's index entries.
    fn unindex(&mut self, process: &Process) {
        if let Some(capture) = &process.capture {
            self.artifacts.remove(&capture.artifact);
        }
        if let Some(authorization) = &process.authorization {
            self.authorizations.remove(authorization);
        }
    }

    fn dossier_dir(&self, dossier_id: &str) -> io::Result<PathBuf> {
        self.data
            .path(&[SIM, DOSSIERS, dossier_id])
            .ok_or_else(missing)
    }

    fn process_dir(&self, dossier_id: &str, process_id: &str) -> io::Result<PathBuf> {
        self.data
            .path(&[SIM, DOSSIERS, dossier_id, "processes", process_id])
            .ok_or_else(missing)
    }

    /// The file that holds an uploaded artifact's bytes.
    pub fn media_file(&self, process: &Process, step: &str) -> io::Result<PathBuf> {
        Ok(self
            .process_dir(&process.dossier_id, &process.process_id)?
            .join(format!("{step}.bin")))
    }

    /// Writes data to a flushed temporary file (outside the lock, for big uploads).
    pub fn data(&self) -> &DataDir {
        &self.data
    }

    /// A dossier by id.
    pub fn dossier(&self, dossier_id: &str) -> Option<&Dossier> {
        self.dossiers.get(dossier_id)
    }

    /// Stores a dossier (new or changed).
    pub fn save_dossier(&mut self, dossier: Dossier) -> io::Result<()> {
        let file = self.dossier_dir(&dossier.dossier_id)?.join("dossier.json");
        self.data.write_json(&file, &dossier)?;
        self.dossiers.insert(dossier.dossier_id.clone(), dossier);
        Ok(())
    }

    /// All dossiers, oldest first.
    pub fn dossiers(&self) -> Vec<&Dossier> {
        let mut all: Vec<&Dossier> = self.dossiers.values().collect();
        all.sort_by(|a, b| (&a.created_at, &a.dossier_id).cmp(&(&b.created_at, &b.dossier_id)));
        all
    }

    /// The dossier JSON with its processes.
    pub fn dossier_json(&self, dossier_id: &str) -> Option<Value> {
        let dossier = self.dossiers.get(dossier_id)?;
        let processes: Vec<Value> = dossier
            .process_ids
            .iter()
            .filter_map(|pid| self.processes.get(pid).map(Process::to_json))
            .collect();
        let mut answer = dossier.to_json();
        answer["processes"] = Value::Array(processes);
        Some(answer)
    }

    /// Deletes a dossier, its processes, media and pending events; false when unknown.
    pub fn delete_dossier(&mut self, dossier_id: &str) -> io::Result<bool> {
        let Some(dossier) = self.dossiers.remove(dossier_id) else {
            return Ok(false);
        };
        for pid in &dossier.process_ids {
            if let Some(process) = self.processes.remove(pid) {
                self.unindex(&process);
            }
        }
        self.deliveries.retain(|_, d| d.dossier_id != dossier_id);
        let dir = self.dossier_dir(dossier_id)?;
        self.data.remove_tree(&dir)?;
        Ok(true)
    }

    /// A process, only when it belongs to `dossier_id`.
    pub fn process(&self, dossier_id: &str, process_id: &str) -> Option<&Process> {
        self.processes
            .get(process_id)
            .filter(|p| p.dossier_id == dossier_id)
    }

    /// A process by id alone (timers and the capture page).
    pub fn process_by_id(&self, process_id: &str) -> Option<&Process> {
        self.processes.get(process_id)
    }

    /// Every process (to resume timers after a restart).
    pub fn processes(&self) -> impl Iterator<Item = &Process> {
        self.processes.values()
    }

    /// The process of a capture-page artifact.
    pub fn process_of_artifact(&self, artifact: &str) -> Option<&Process> {
        self.processes.get(self.artifacts.get(artifact)?)
    }

    /// The process an SDK authorization belongs to.
    pub fn process_of_authorization(&self, authorization: &str) -> Option<&Process> {
        let process = self
            .processes
            .get(self.authorizations.get(authorization)?)?;
        let known = process
            .authorization
            .as_deref()
            .is_some_and(|a| crate::ids::secrets_equal(a, authorization));
        known.then_some(process)
    }

    /// Stores a process; a new one is added to its dossier. Fails when the dossier is gone.
    pub fn save_process(&mut self, process: Process) -> io::Result<()> {
        let Some(mut dossier) = self.dossiers.get(&process.dossier_id).cloned() else {
            return Err(io::Error::new(io::ErrorKind::NotFound, "dossier is gone"));
        };
        let file = self
            .process_dir(&process.dossier_id, &process.process_id)?
            .join("process.json");
        self.data.write_json(&file, &process)?;
        if !dossier.process_ids.contains(&process.process_id) {
            dossier.process_ids.push(process.process_id.clone());
            dossier.updated_at = process.updated_at.clone();
            self.save_dossier(dossier)?;
        }
        self.index(&process);
        self.processes.insert(process.process_id.clone(), process);
        Ok(())
    }

    /// Deletes one process with its media and pending events.
    pub fn delete_process(&mut self, dossier_id: &str, process_id: &str) -> io::Result<bool> {
        if self.process(dossier_id, process_id).is_none() {
            return Ok(false);
        }
        if let Some(process) = self.processes.remove(process_id) {
            self.unindex(&process);
        }
        let gone: Vec<String> = self
            .deliveries
            .iter()
            .filter(|(_, d)| d.event["eventData"]["processId"] == process_id)
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.ack_delivery(&id)?;
        }
        if let Some(mut dossier) = self.dossiers.get(dossier_id).cloned() {
            dossier.process_ids.retain(|p| p != process_id);
            dossier.updated_at = crate::clock::now_rfc3339();
            self.save_dossier(dossier)?;
        }
        let dir = self.process_dir(dossier_id, process_id)?;
        self.data.remove_tree(&dir)?;
        Ok(true)
    }

    /// Moves an uploaded medium into place and records it on the process (a medium of the
    /// same name is replaced).
    pub fn put_media(
        &mut self,
        process: Process,
        name: &str,
        staged: Staged,
        media: Media,
    ) -> io::Result<()> {
        self.put_all_media(process, vec![(name.to_string(), staged, media)])
    }

    /// Moves several uploaded media into place at once and saves the process once.
    pub fn put_all_media(
        &mut self,
        mut process: Process,
        all: Vec<(String, Staged, Media)>,
    ) -> io::Result<()> {
        for (name, staged, media) in all {
            let file = self.media_file(&process, &name)?;
            staged.commit(&file)?;
            process.media.insert(name, media);
        }
        process.updated_at = crate::clock::now_rfc3339();
        self.save_process(process)
    }

    /// Dossiers whose last change (of the dossier or of one of its processes) is older than
    /// `before_ms` (ms since the epoch).
    pub fn idle_dossiers(&self, before_ms: u64) -> Vec<String> {
        let at = |text: &str| crate::clock::parse_rfc3339_ms(text).unwrap_or(u64::MAX);
        self.dossiers
            .values()
            .filter(|d| {
                let last = d
                    .process_ids
                    .iter()
                    .filter_map(|p| self.processes.get(p))
                    .map(|p| at(&p.updated_at))
                    .chain([at(&d.updated_at), at(&d.created_at)])
                    .max()
                    .unwrap_or(u64::MAX);
                last < before_ms
            })
            .map(|d| d.dossier_id.clone())
            .collect()
    }

    /// Remembers an access token until `expires`; beyond [`MAX_TOKENS`] live ones, the one that
    /// expires first goes.
    pub fn add_token(&mut self, token: String, expires: Instant) {
        let now = Instant::now();
        self.tokens.retain(|_, e| *e > now);
        while self.tokens.len() >= MAX_TOKENS {
            let Some(first) = self
                .tokens
                .iter()
                .min_by_key(|(_, e)| **e)
                .map(|(t, _)| t.clone())
            else {
                break;
            };
            self.tokens.remove(&first);
        }
        self.tokens.insert(token, expires);
    }

    /// Capture configurations by id.
    pub fn configurations(&self) -> &HashMap<String, Value> {
        &self.configurations
    }

    /// Stores a capture configuration.
    pub fn save_configuration(&mut self, id: &str, value: Value) -> io::Result<()> {
        let file = self
            .data
            .path(&[SIM, "configurations", &format!("{id}.json")])
            .ok_or_else(missing)?;
        self.data.write_json(&file, &value)?;
        self.configurations.insert(id.to_string(), value);
        Ok(())
    }

    /// Deletes a capture configuration; false when unknown.
    pub fn delete_configuration(&mut self, id: &str) -> io::Result<bool> {
        if self.configurations.remove(id).is_none() {
            return Ok(false);
        }
        if let Some(file) = self
            .data
            .path(&[SIM, "configurations", &format!("{id}.json")])
        {
            self.data.remove_file(&file)?;
        }
        Ok(true)
    }

    /// Remembers an event until its receiver acknowledges it.
    pub fn add_delivery(&mut self, id: &str, delivery: Delivery) -> io::Result<()> {
        let file = self
            .dossier_dir(&delivery.dossier_id)?
            .join("events")
            .join(format!("{id}.json"));
        if storage::is_safe_name(id) {
            self.data.write_json(&file, &delivery)?;
            self.deliveries.insert(id.to_string(), delivery);
        }
        Ok(())
    }

    /// A pending event by id.
    pub fn delivery(&self, id: &str) -> Option<&Delivery> {
        self.deliveries.get(id)
    }

    /// Ids of every pending event.
    pub fn delivery_ids(&self) -> Vec<String> {
        self.deliveries.keys().cloned().collect()
    }

    /// Forgets an acknowledged (or expired) event.
    pub fn ack_delivery(&mut self, id: &str) -> io::Result<()> {
        if let Some(delivery) = self.deliveries.remove(id) {
            let file = self
                .dossier_dir(&delivery.dossier_id)?
                .join("events")
                .join(format!("{id}.json"));
            self.data.remove_file(&file)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn access_tokens_stay_within_their_bound() {
        let dir =
            std::env::temp_dir().join(format!("videoid-www-sim-tokens-{}", crate::ids::uuid()));
        let mut store = Store::load(DataDir::open(dir.clone()).unwrap());
        let now = Instant::now();
        // Expired ones go first of all.
        store.add_token("expired".into(), now - Duration::from_secs(1));
        // Past the bound: each new token pushes out the one that expires first.
        for i in 0..MAX_TOKENS + 250 {
            let expires = now + Duration::from_secs(60) + Duration::from_millis(i as u64);
            store.add_token(format!("t{i}"), expires);
        }
        assert_eq!(store.tokens.len(), MAX_TOKENS);
        assert!(!store.tokens.contains_key("expired"));
        for i in 0..250 {
            assert!(!store.tokens.contains_key(&format!("t{i}")), "t{i} went");
        }
        for i in 250..MAX_TOKENS + 250 {
            assert!(store.tokens.contains_key(&format!("t{i}")), "t{i} stays");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
