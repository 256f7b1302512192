SELECT /* wfctl:journey */ to_jsonb(d) AS row FROM workflow_definition d WHERE hibid = $1
