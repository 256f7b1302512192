-- The unit an interrupted run left and how many times it has been started: written only by
-- the resume that runs it again (never on the normal path), read only when a run was
-- interrupted. The key names an audit sequence, so the record goes stale by itself once the
-- case writes an audit record; nothing resets it.
ALTER TABLE workflow_info
    ADD COLUMN wfctl_attempt_key TEXT,
    ADD COLUMN wfctl_attempt INTEGER;
