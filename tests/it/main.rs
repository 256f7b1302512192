//! The integration test suite: one binary, real PostgreSQL, the built `wfctl`.

mod support;

// The helpers' former module names, so test files written against them still compile.
#[allow(unused_imports)]
use support::{
    backup as backup_util, case_env as case_support, diag as diag_fixtures,
    engine_doubles as engine_support, import as import_support,
};

mod audit_points;
mod backup_attack;
mod backup_base;
mod backup_hardening;
mod backup_password;
mod backup_pitr;
mod backup_retention;
mod backup_roundtrip;
mod backup_safety;
mod case_bulk;
mod case_errors;
mod case_flow;
mod case_list_no_journey;
mod case_list_plan;
mod case_reading;
mod child_death;
mod cli_basics;
mod completions;
mod components_exec;
mod config_show;
mod conformance;
mod connection_strings;
mod contract;
mod crash;
mod db_migrate;
mod db_setup;
mod diag_advice;
mod diag_cases;
mod diag_doctor;
mod diag_explain;
mod diag_health;
mod diag_indexes;
mod diag_locks;
mod diag_metrics;
mod diag_sessions;
mod diag_settings;
mod diag_slow_queries;
mod diag_vacuum_run;
mod diag_wal;
mod engine;
mod engine_bugs;
mod engine_fuzz;
mod engine_limits;
mod file_store_safety;
mod fuzz_parsers;
mod import_conflict;
mod import_files;
mod import_kill;
mod import_resume;
mod journey_cli;
mod messages;
mod metrics_listen;
mod pool_settings;
mod recovery;
mod reliability;
mod store_contract;
mod table_wrap;
mod test_support;
mod tls;
mod validation;
