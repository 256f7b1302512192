DROP INDEX IF EXISTS idx_route_branch_route;
DROP INDEX IF EXISTS idx_route_def;
DROP INDEX IF EXISTS idx_step_def;
DROP INDEX IF EXISTS idx_milestone_due;
ALTER TABLE workflow_info DROP COLUMN branches;
ALTER TABLE milestone DROP COLUMN enqueued_ts;
