-- Reverses the seed guide's schema (dependents first).
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS workflow_counters;
DROP TABLE IF EXISTS milestone;
DROP TABLE IF EXISTS route_branch;
DROP TABLE IF EXISTS route;
DROP TABLE IF EXISTS step;
DROP TABLE IF EXISTS workflow_variables;
DROP TABLE IF EXISTS process_variable_value;
DROP TABLE IF EXISTS exec_path;
DROP TABLE IF EXISTS workflow_info;
DROP TABLE IF EXISTS workflow_definition;
