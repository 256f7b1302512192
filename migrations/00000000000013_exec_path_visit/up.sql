-- Each exec path counts the units it started (its idempotency keys name that visit) and the
-- starts of its next unit that an interruption cut short (the re-run's attempt). Only the
-- path's own thread changes them, so a unit re-run after a crash inside a parallel block gets
-- the key it had, whatever the other branches wrote meanwhile.
ALTER TABLE exec_path
    ADD COLUMN wfctl_visit BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN wfctl_interrupted_starts INTEGER NOT NULL DEFAULT 0;
