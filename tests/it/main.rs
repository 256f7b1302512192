//! The integration test suite: one binary, real PostgreSQL, the built `wfctl`.

mod support;

mod cli_basics;
mod completions;
mod conformance;
mod crash;
mod db_migrate;
mod db_setup;
mod engine;
mod engine_bugs;
mod engine_support;
mod fuzz_parsers;
mod import_files;
mod import_kill;
mod import_resume;
mod import_support;
mod store_contract;
mod validation;
