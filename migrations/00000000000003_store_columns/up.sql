-- What the PostgreSQL store needs beyond 0002 (issue 5).

-- When a queued milestone was set up (epoch ms), so the SLA queue reads back what it stored.
ALTER TABLE milestone ADD COLUMN enqueued_ts BIGINT;

-- The branches a route returned, when the process info was written right after a route
-- (the process-info document's `branches`; NULL otherwise).
ALTER TABLE workflow_info ADD COLUMN branches JSONB;

-- `sla due`: the waiting milestones by due time.
CREATE INDEX idx_milestone_due ON milestone(target_ts) WHERE status = 'enqueued';

-- The guide's foreign keys have no index on the referencing side: replacing a case's journey
-- (and any delete of a route) would scan these tables.
CREATE INDEX idx_step_def ON step(workflow_definition_hibid);
CREATE INDEX idx_route_def ON route(workflow_definition_hibid);
CREATE INDEX idx_route_branch_route ON route_branch(route_id);
