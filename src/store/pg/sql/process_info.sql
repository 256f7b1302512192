SELECT /* wfctl:process_info */ to_jsonb(i) AS info,
  COALESCE((SELECT jsonb_agg(to_jsonb(e)) FROM exec_path e
            WHERE e.workflow_info_hibid = i.hibid), '[]'::jsonb) AS paths,
  COALESCE((SELECT jsonb_agg(to_jsonb(v)) FROM workflow_variables w
            JOIN process_variable_value v ON v.workflow_variables_id = w.id
            WHERE w.workflow_info_hibid = i.hibid), '[]'::jsonb) AS vars
FROM workflow_info i WHERE i.hibid = $1
