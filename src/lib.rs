//! wfctl: run Simple Workflow cases, move a file store into PostgreSQL, diagnose and back up
//! that database.
//!
//! The library holds everything but the command line: `model` (journeys, SLA, case state),
//! `engine` (the synchronous workflow engine), `store` (file, PostgreSQL and memory stores),
//! `db` (connections, migrations, backups), `diag` (database and case diagnostics) and
//! `import` (migrate-files). The `wfctl` binary's `cli` module is the only place that prints.

#[cfg(feature = "ops")]
pub mod backup;
#[cfg(feature = "ops")]
pub mod bulk;
pub mod components;
pub mod config;
#[cfg(feature = "testing")]
pub mod conformance;
pub mod conventions;
#[cfg(feature = "postgres")]
pub mod db;
#[cfg(feature = "ops")]
pub mod diag;
pub mod engine;
#[cfg(feature = "ops")]
pub mod import;
pub mod model;
pub mod process;
pub mod store;
