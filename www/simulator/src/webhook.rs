//! Delivery of `process.complete` events: POST until a 2xx, with exponential backoff (and the
//! `webhook` faults in effect).

use super::faults::Answer;
use super::{now_ms, Simulator};
use std::sync::Arc;
use std::time::Duration;

/// How long an event is worth delivering (its `expiresAt`).
pub const EVENT_LIFETIME: Duration = Duration::from_secs(3 * 24 * 3600);

/// Longest pause between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Delivers one pending event in the background until it is acknowledged, expires or the dossier goes.
pub fn spawn(sim: Arc<Simulator>, event_id: String) {
    tokio::spawn(async move {
        let mut stop = sim.stop.clone();
        let mut pause = sim.settings.webhook_retry;
        loop {
            if *stop.borrow() {
                return;
            }
            let Some(url) = sim.settings.webhook_url.clone() else {
                return;
            };
            let Some(delivery) = sim.store().delivery(&event_id).cloned() else {
                return;
            };
            if delivery.expires_at_ms <= now_ms() {
                let _ = sim.store().ack_delivery(&event_id);
                return;
            }
            let fault = sim.faults.decide(&axum::http::Method::POST, "", true);
            if !fault.delay.is_zero() {
                tokio::time::sleep(fault.delay).await;
            }
            let acknowledged = match fault.answer {
                // The attempt fails before it is sent.
                Some(Answer::Status(_) | Answer::TooMany { .. } | Answer::Down { .. }) => false,
                answer => {
                    let _slot = sim.webhook_slots.acquire().await;
                    let sent = sim
                        .http
                        .post(&url)
                        .timeout(Duration::from_secs(10))
                        .json(&delivery.event)
                        .send()
                        .await;
                    // `drop`: the receiver handled it, but its answer is lost.
                    answer.is_none() && matches!(sent, Ok(r) if r.status().is_success())
                }
            };
            if acknowledged {
                if let Err(e) = sim.store().ack_delivery(&event_id) {
                    eprintln!("videoid-www: simulator: could not forget a delivered event: {e}");
                }
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            pause = (pause * 2).min(MAX_BACKOFF);
        }
    });
}
