//! The integration test suite: one binary, real PostgreSQL, the built `wfctl`.

mod support;

mod cli_basics;
mod completions;
mod db_migrate;
mod db_setup;
mod import_files;
mod import_kill;
mod import_support;
mod validation;
