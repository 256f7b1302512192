DROP INDEX IF EXISTS idx_milestone_fired;
ALTER TABLE milestone
    DROP COLUMN IF EXISTS sla_fired_ts,
    DROP COLUMN IF EXISTS sla_attempts,
    DROP COLUMN IF EXISTS sla_failures,
    DROP COLUMN IF EXISTS sla_failed_ts,
    DROP COLUMN IF EXISTS sla_error;
