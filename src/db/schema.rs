// @generated automatically by Diesel CLI.

diesel::table! {
    audit_log (id) {
        id -> Int8,
        #[max_length = 255]
        case_id -> Varchar,
        sequence -> Int4,
        #[max_length = 255]
        step_name -> Nullable<Varchar>,
        ts -> Nullable<Int8>,
        log_data -> Nullable<Jsonb>,
    }
}

diesel::table! {
    exec_path (id) {
        id -> Int8,
        #[max_length = 255]
        workflow_info_hibid -> Nullable<Varchar>,
        #[max_length = 500]
        name -> Varchar,
        #[max_length = 50]
        status -> Nullable<Varchar>,
        #[max_length = 255]
        step -> Nullable<Varchar>,
        #[max_length = 50]
        unit_response_type -> Nullable<Varchar>,
        #[max_length = 255]
        pend_workbasket -> Nullable<Varchar>,
        #[max_length = 255]
        prev_pend_workbasket -> Nullable<Varchar>,
        error_code -> Nullable<Int4>,
        error_desc -> Nullable<Text>,
        #[max_length = 255]
        comp_name -> Nullable<Varchar>,
        #[max_length = 255]
        ticket -> Nullable<Varchar>,
        error_details -> Nullable<Text>,
        error_retryable -> Nullable<Bool>,
        #[max_length = 255]
        tbc_sla_workbasket -> Nullable<Varchar>,
        wfctl_visit -> Int8,
        wfctl_interrupted_starts -> Int4,
    }
}

diesel::table! {
    milestone (id) {
        id -> Int8,
        #[max_length = 255]
        case_id -> Nullable<Varchar>,
        #[max_length = 255]
        name -> Varchar,
        target_ts -> Nullable<Int8>,
        actual_ts -> Nullable<Int8>,
        #[max_length = 50]
        status -> Nullable<Varchar>,
        sla_minutes -> Nullable<Int4>,
        #[max_length = 255]
        work_basket_name -> Nullable<Varchar>,
        #[max_length = 50]
        setup_on -> Nullable<Varchar>,
        #[max_length = 50]
        milestone_type -> Nullable<Varchar>,
        action -> Nullable<Text>,
        user_data -> Nullable<Text>,
        details -> Nullable<Jsonb>,
        enqueued_ts -> Nullable<Int8>,
        sla_fired_ts -> Nullable<Int8>,
        sla_attempts -> Int4,
        sla_failures -> Int4,
        sla_failed_ts -> Nullable<Int8>,
        sla_error -> Nullable<Text>,
    }
}

diesel::table! {
    process_variable_value (id) {
        id -> Int8,
        workflow_variables_id -> Nullable<Int8>,
        #[max_length = 255]
        name -> Varchar,
        #[sql_name = "type"]
        #[max_length = 50]
        type_ -> Nullable<Varchar>,
        value_string -> Nullable<Text>,
        value_long -> Nullable<Int8>,
        value_boolean -> Nullable<Bool>,
        value_double -> Nullable<Float8>,
        value_json -> Nullable<Jsonb>,
    }
}

diesel::table! {
    route (id) {
        id -> Int8,
        #[max_length = 255]
        workflow_definition_hibid -> Nullable<Varchar>,
        #[max_length = 255]
        name -> Varchar,
        #[sql_name = "type"]
        #[max_length = 50]
        type_ -> Nullable<Varchar>,
        #[max_length = 255]
        component_name -> Nullable<Varchar>,
        #[max_length = 255]
        join_name -> Nullable<Varchar>,
        user_data -> Nullable<Text>,
    }
}

diesel::table! {
    route_branch (id) {
        id -> Int8,
        route_id -> Nullable<Int8>,
        #[max_length = 255]
        name -> Varchar,
        #[max_length = 255]
        next_step -> Nullable<Varchar>,
    }
}

diesel::table! {
    step (id) {
        id -> Int8,
        #[max_length = 255]
        workflow_definition_hibid -> Nullable<Varchar>,
        #[max_length = 255]
        name -> Varchar,
        #[sql_name = "type"]
        #[max_length = 50]
        type_ -> Nullable<Varchar>,
        #[max_length = 255]
        next_step -> Nullable<Varchar>,
        #[max_length = 255]
        component_name -> Nullable<Varchar>,
        user_data -> Nullable<Text>,
    }
}

diesel::table! {
    wfctl_bulk_run (run_key) {
        run_key -> Text,
        selected_before -> Int8,
        started_ts -> Int8,
    }
}

diesel::table! {
    wfctl_import_ledger (path) {
        path -> Text,
        size -> Int8,
        #[max_length = 64]
        sha256 -> Bpchar,
        #[max_length = 20]
        status -> Varchar,
        #[max_length = 255]
        case_id -> Nullable<Varchar>,
        #[max_length = 50]
        error_class -> Nullable<Varchar>,
        error -> Nullable<Text>,
        imported_at -> Timestamptz,
        imported_xid -> Nullable<Int8>,
        imported_rows -> Nullable<Int8>,
    }
}

diesel::table! {
    workflow_counters (name) {
        #[max_length = 255]
        name -> Varchar,
        value -> Int8,
    }
}

diesel::table! {
    workflow_definition (hibid) {
        #[max_length = 255]
        hibid -> Varchar,
        #[max_length = 255]
        case_id -> Varchar,
        ts -> Nullable<Int8>,
        #[max_length = 255]
        def_name -> Nullable<Varchar>,
        #[max_length = 50]
        def_version -> Nullable<Varchar>,
        flow_json -> Nullable<Text>,
        sla_json -> Nullable<Text>,
    }
}

diesel::table! {
    workflow_info (hibid) {
        #[max_length = 255]
        hibid -> Varchar,
        #[max_length = 255]
        case_id -> Varchar,
        ts -> Nullable<Int8>,
        is_complete -> Nullable<Bool>,
        #[max_length = 500]
        pend_exec_path -> Nullable<Varchar>,
        #[max_length = 255]
        last_executed_step -> Nullable<Varchar>,
        #[max_length = 255]
        last_executed_comp_name -> Nullable<Varchar>,
        #[max_length = 255]
        ticket -> Nullable<Varchar>,
        #[max_length = 255]
        journey_name -> Nullable<Varchar>,
        #[max_length = 50]
        ticket_urt -> Nullable<Varchar>,
        is_pend_at_same_step -> Bool,
        #[max_length = 255]
        last_pend_workbasket -> Nullable<Varchar>,
        #[max_length = 255]
        last_pend_step -> Nullable<Varchar>,
        started_ts -> Nullable<Int8>,
        completed_ts -> Nullable<Int8>,
        version -> Int8,
        branches -> Nullable<Jsonb>,
        wfctl_attempt_key -> Nullable<Text>,
        wfctl_attempt -> Nullable<Int4>,
        wfctl_cancelled_ts -> Nullable<Int8>,
        wfctl_cancelled_by -> Nullable<Text>,
        wfctl_cancel_reason -> Nullable<Text>,
    }
}

diesel::table! {
    workflow_variables (id) {
        id -> Int8,
        #[max_length = 255]
        workflow_info_hibid -> Nullable<Varchar>,
    }
}

diesel::joinable!(exec_path -> workflow_info (workflow_info_hibid));
diesel::joinable!(route -> workflow_definition (workflow_definition_hibid));
diesel::joinable!(route_branch -> route (route_id));
diesel::joinable!(step -> workflow_definition (workflow_definition_hibid));
diesel::joinable!(workflow_variables -> workflow_info (workflow_info_hibid));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    exec_path,
    milestone,
    process_variable_value,
    route,
    route_branch,
    step,
    wfctl_bulk_run,
    wfctl_import_ledger,
    workflow_counters,
    workflow_definition,
    workflow_info,
    workflow_variables,
);
