-- `sla run`: what wfctl did with a due milestone. A milestone is fired when `status` is
-- 'fired' and `sla_fired_ts` says when its action was recorded; `sla_attempts` counts the
-- actions started (one more than the failures and the interrupted runs before it).
ALTER TABLE milestone
    ADD COLUMN sla_fired_ts BIGINT,
    ADD COLUMN sla_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN sla_failures INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN sla_failed_ts BIGINT,
    ADD COLUMN sla_error TEXT;

-- `sla due --fired` and the metrics' lag: the fired milestones by time.
CREATE INDEX idx_milestone_fired ON milestone(sla_fired_ts) WHERE status = 'fired';
