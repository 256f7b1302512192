//! wfctl: run Simple Workflow cases, move a file store into PostgreSQL, diagnose and back up
//! that database.
//!
//! The library holds everything but the command line: `model` (journeys, SLA, case state),
//! `engine` (the synchronous workflow engine), `store` (memory, file and PostgreSQL stores),
//! `components` (exec programs and builtins), `config` (`wfctl.toml`), `process` (child
//! processes that die with wfctl); with the `postgres` feature `db` (connections, migrations,
//! set-up); with `ops` `backup`, `bulk` (one action on many cases), `diag` (database and case
//! diagnostics, metrics) and `import` (migrate-files); with `testing` `conformance`. It
//! returns data and errors and prints nothing (but for the child guardian of `process`); the
//! `wfctl` binary's `cli` module prints. `docs/architecture.md` shows the layers.
#![doc = ""]
#![doc = include_str!("../docs/embedding.md")]

#[cfg(feature = "ops")]
pub mod backup;
#[cfg(feature = "ops")]
pub mod bulk;
pub mod components;
pub mod config;
#[cfg(feature = "testing")]
pub mod conformance;
pub mod conventions;
#[cfg(feature = "ops")]
pub mod crypto;
#[cfg(feature = "postgres")]
pub mod db;
#[cfg(feature = "ops")]
pub mod diag;
pub mod engine;
#[cfg(feature = "ops")]
pub mod import;
pub mod model;
pub mod process;
#[cfg(feature = "ops")]
pub mod purge;
#[cfg(feature = "ops")]
pub mod repo;
#[cfg(feature = "ops")]
pub mod sla;
pub mod store;
pub mod temp_files;
