//! Integration tests: one binary, one module per area.
mod conformance;
mod crash;
mod engine;
mod engine_bugs;
mod engine_fuzz;
mod engine_support;
mod fuzz_parsers;
mod validation;
