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
mod engine;
mod engine_bugs;
mod engine_fuzz;
mod engine_support;
mod fuzz_parsers;
mod journey_cli;
mod store_contract;
mod validation;
