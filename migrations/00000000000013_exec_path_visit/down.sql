ALTER TABLE exec_path
    DROP COLUMN IF EXISTS wfctl_visit,
    DROP COLUMN IF EXISTS wfctl_interrupted_starts;
