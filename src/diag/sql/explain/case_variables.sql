SELECT /* wfctl:case_variables */ p.name, p.type, p.value_string, p.value_long, p.value_boolean, p.value_double, p.value_json
FROM workflow_variables v
JOIN process_variable_value p ON p.workflow_variables_id = v.id
WHERE v.workflow_info_hibid = $1
