//! The integration test suite: one binary, real PostgreSQL, the built `wfctl`.

mod support;

mod backup_base;
mod backup_password;
mod backup_pitr;
mod backup_retention;
mod backup_roundtrip;
mod backup_safety;
mod backup_util;
mod cli_basics;
mod completions;
mod db_migrate;
mod db_setup;
