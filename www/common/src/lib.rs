//! What the reference backend (`videoid-backend`) and the Assure simulator
//! (`assure-simulator`) share, so that neither depends on the other: the
//! enumerations the Assure API publishes, RFC 3339 times, ids and tokens,
//! and JSON files written atomically. Each crate re-exports these modules
//! under its own root (`crate::clock`, …).
#![deny(missing_docs)]

pub mod clock;
pub mod ids;
pub mod published;
pub mod storage;
