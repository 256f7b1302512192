//! The integration test suite: one binary, real PostgreSQL, the built `wfctl`.

mod support;

mod case_bulk;
mod case_errors;
mod case_flow;
mod case_support;
mod cli_basics;
mod completions;
mod components_exec;
mod conformance;
mod crash;
mod db_migrate;
mod db_setup;
mod diag_cases;
mod diag_doctor;
mod diag_explain;
mod diag_fixtures;
mod diag_health;
mod diag_indexes;
mod diag_locks;
mod diag_metrics;
mod diag_sessions;
mod diag_settings;
mod diag_slow_queries;
mod diag_wal;
mod engine;
mod engine_bugs;
mod engine_fuzz;
mod engine_support;
mod fuzz_parsers;
mod journey_cli;
mod reliability;
mod store_contract;
mod validation;
