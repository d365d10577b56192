//! The diesel schema, matching `migrations/`.

diesel::table! {
    units (id) {
        id -> Int8,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    plans (id) {
        id -> Int8,
        year -> Int4,
        title -> Text,
        issuing_unit_id -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        previous_plan_id -> Nullable<Int8>,
        carryover_review_id -> Nullable<Int8>,
        published_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sections (id) {
        id -> Int8,
        plan_id -> Int8,
        number -> Int4,
        title -> Text,
    }
}

diesel::table! {
    tasks (id) {
        id -> Int8,
        plan_id -> Int8,
        section_id -> Int8,
        number -> Int4,
        requirement -> Text,
        units_inherited -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    task_units (task_id, unit_id) {
        task_id -> Int8,
        unit_id -> Int8,
        role -> Text,
        position -> Int4,
    }
}

diesel::table! {
    quotas (id) {
        id -> Int8,
        task_id -> Int8,
        kind -> Text,
        count_min -> Nullable<Int4>,
        period -> Nullable<Text>,
        due -> Nullable<Date>,
        threshold_min -> Nullable<Float8>,
        threshold_unit -> Nullable<Text>,
        days -> Nullable<Int4>,
        source -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        scope -> Text,
        scope_group_id -> Nullable<Int8>,
    }
}

diesel::table! {
    unit_groups (id) {
        id -> Int8,
        name -> Text,
        description -> Text,
        owner_unit_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    unit_group_members (group_id, unit_id) {
        group_id -> Int8,
        unit_id -> Int8,
    }
}

diesel::table! {
    evidence (id) {
        id -> Int8,
        task_id -> Int8,
        unit_id -> Int8,
        quota_id -> Nullable<Int8>,
        occurred_on -> Date,
        title -> Text,
        url -> Nullable<Text>,
        count -> Int4,
        value -> Nullable<Float8>,
        completes -> Bool,
        event_on -> Nullable<Date>,
        recorded_at -> Timestamptz,
        recorded_by -> Text,
        withdrawn_at -> Nullable<Timestamptz>,
        withdrawn_by -> Nullable<Text>,
        withdraw_reason -> Nullable<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Int4,
        holidays -> Array<Date>,
        workdays -> Array<Date>,
        loaded_at -> Timestamptz,
        loaded_by -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_sub -> Text,
        actor_role -> Text,
        actor_unit_id -> Nullable<Int8>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (subject, key) {
        subject -> Text,
        key -> Text,
        method -> Text,
        path -> Text,
        request_hash -> Text,
        status_code -> Int4,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        response_body -> Bytea,
        created_at -> Timestamptz,
        completed_at -> Timestamptz,
    }
}

diesel::table! {
    task_progress (task_id, unit_id) {
        task_id -> Int8,
        unit_id -> Int8,
        status -> Text,
        updated_at -> Timestamptz,
        updated_by -> Text,
    }
}

diesel::table! {
    progress_notes (id) {
        id -> Int8,
        task_id -> Int8,
        unit_id -> Int8,
        kind -> Text,
        text -> Text,
        links -> Array<Text>,
        status_from -> Nullable<Text>,
        status_to -> Nullable<Text>,
        author_sub -> Text,
        author_role -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reviews (id) {
        id -> Int8,
        plan_id -> Int8,
        as_of -> Date,
        rectification_due -> Date,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
        created_by -> Text,
    }
}

diesel::table! {
    review_entries (id) {
        id -> Int8,
        review_id -> Int8,
        task_id -> Int8,
        task_number -> Int4,
        unit_id -> Int8,
        unit_name -> Text,
        progress_status -> Text,
        done -> Bool,
        findings -> Jsonb,
        shortfall -> Nullable<Text>,
    }
}

diesel::table! {
    rectifications (id) {
        id -> Int8,
        review_id -> Int8,
        review_entry_id -> Int8,
        task_id -> Int8,
        unit_id -> Int8,
        finding -> Text,
        due -> Date,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    rectification_events (id) {
        id -> Int8,
        rectification_id -> Int8,
        action -> Text,
        status_from -> Text,
        status_to -> Text,
        note -> Nullable<Text>,
        url -> Nullable<Text>,
        actor_sub -> Text,
        actor_role -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(plans -> units (issuing_unit_id));
diesel::joinable!(sections -> plans (plan_id));
diesel::joinable!(tasks -> plans (plan_id));
diesel::joinable!(tasks -> sections (section_id));
diesel::joinable!(task_units -> tasks (task_id));
diesel::joinable!(task_units -> units (unit_id));
diesel::joinable!(quotas -> tasks (task_id));
diesel::joinable!(evidence -> tasks (task_id));
diesel::joinable!(evidence -> units (unit_id));
diesel::joinable!(quotas -> unit_groups (scope_group_id));
diesel::joinable!(unit_groups -> units (owner_unit_id));
diesel::joinable!(unit_group_members -> unit_groups (group_id));
diesel::joinable!(unit_group_members -> units (unit_id));

diesel::joinable!(task_progress -> tasks (task_id));
diesel::joinable!(task_progress -> units (unit_id));
diesel::joinable!(progress_notes -> tasks (task_id));
diesel::joinable!(reviews -> plans (plan_id));
diesel::joinable!(review_entries -> reviews (review_id));
diesel::joinable!(rectifications -> reviews (review_id));
diesel::joinable!(rectifications -> review_entries (review_entry_id));
diesel::joinable!(rectifications -> units (unit_id));
diesel::joinable!(rectification_events -> rectifications (rectification_id));

// Applications for disclosure (migration 000003_disclosure).
diesel::table! {
    disclosure_requests (id) {
        id -> Int8,
        unit_id -> Int8,
        channel -> Text,
        received_on -> Date,
        sent_on -> Nullable<Date>,
        signed_for_on -> Nullable<Date>,
        confirmed_on -> Nullable<Date>,
        applicant_kind -> Text,
        applicant_name -> Text,
        applicant_id_cipher -> Nullable<Bytea>,
        applicant_key -> Bytea,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_address -> Nullable<Text>,
        subject -> Text,
        item_count -> Int4,
        status -> Text,
        clock_start_on -> Date,
        reply_type -> Nullable<Text>,
        outcome -> Nullable<Text>,
        concluded_on -> Nullable<Date>,
        fee_method -> Nullable<Text>,
        fee_yuan -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    disclosure_request_events (id) {
        id -> Int8,
        request_id -> Int8,
        action -> Text,
        occurred_on -> Date,
        details -> Jsonb,
        recorded_at -> Timestamptz,
        recorded_by -> Text,
    }
}

diesel::table! {
    disclosure_appeals (id) {
        id -> Int8,
        unit_id -> Int8,
        request_id -> Nullable<Int8>,
        kind -> Text,
        filed_on -> Date,
        result -> Text,
        decided_on -> Nullable<Date>,
        case_number -> Nullable<Text>,
        note -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(disclosure_requests -> units (unit_id));
diesel::joinable!(disclosure_request_events -> disclosure_requests (request_id));
diesel::joinable!(disclosure_appeals -> units (unit_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    plans,
    sections,
    tasks,
    task_units,
    quotas,
    evidence,
    calendar_years,
    audit_events,
    unit_groups,
    unit_group_members,
    task_progress,
    progress_notes,
    reviews,
    review_entries,
    rectifications,
    rectification_events,
    disclosure_requests,
    disclosure_request_events,
    disclosure_appeals,
);

diesel::table! {
    service_tokens (id) {
        id -> Int8,
        name -> Text,
        role -> Text,
        unit_id -> Nullable<Int8>,
        token_hash -> Bytea,
        expires_on -> Date,
        created_at -> Timestamptz,
        created_by -> Text,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        revoked_by -> Nullable<Text>,
    }
}

// Changes pushed to other systems (migration events_and_push).
diesel::table! {
    events (id) {
        id -> Int8,
        #[sql_name = "type"]
        kind -> Text,
        occurred_at -> Timestamptz,
        plan_id -> Nullable<Int8>,
        unit_id -> Nullable<Int8>,
        reach_units -> Array<Int8>,
        path -> Text,
        resource_id -> Nullable<Int8>,
        data -> Jsonb,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Int8,
        url -> Text,
        types -> Array<Text>,
        unit_id -> Nullable<Int8>,
        secret_sealed -> Bytea,
        active -> Bool,
        created_at -> Timestamptz,
        created_by -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Int8,
        webhook_id -> Int8,
        event_id -> Int8,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        created_at -> Timestamptz,
        completed_at -> Nullable<Timestamptz>,
        redelivery_of -> Nullable<Int8>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Int8,
        delivery_id -> Int8,
        attempted_at -> Timestamptz,
        status_code -> Nullable<Int4>,
        error -> Nullable<Text>,
        duration_ms -> Int4,
    }
}

diesel::table! {
    reminders_sent (item, threshold, due) {
        item -> Text,
        threshold -> Text,
        due -> Date,
        event_id -> Int8,
        sent_at -> Timestamptz,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> Int8,
        token_hash -> Bytea,
        plan_id -> Int8,
        unit_id -> Nullable<Int8>,
        owner_sub -> Text,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::allow_tables_to_appear_in_same_query!(
    events,
    webhooks,
    webhook_deliveries,
    webhook_attempts,
    reminders_sent,
    calendar_feeds,
);

// The annual report (migration annual_reports).
diesel::table! {
    report_figures (unit_id, year) {
        unit_id -> Int8,
        year -> Int4,
        rules_issued -> Int8,
        rules_repealed -> Int8,
        rules_in_force -> Int8,
        normative_documents_issued -> Int8,
        normative_documents_repealed -> Int8,
        normative_documents_in_force -> Int8,
        licensing_decisions -> Int8,
        penalty_decisions -> Int8,
        enforcement_decisions -> Int8,
        fees_wan_yuan_hundredths -> Int8,
        updated_at -> Timestamptz,
        updated_by -> Text,
    }
}

diesel::table! {
    annual_report_sections (issuer_id, year, number) {
        issuer_id -> Int8,
        year -> Int4,
        number -> Int2,
        text -> Text,
        updated_at -> Timestamptz,
        updated_by -> Text,
    }
}

diesel::table! {
    annual_report_versions (issuer_id, year, version) {
        issuer_id -> Int8,
        year -> Int4,
        version -> Int4,
        snapshot -> Jsonb,
        published_at -> Timestamptz,
        published_by -> Text,
    }
}

diesel::table! {
    annual_report_drafts (issuer_id, year) {
        issuer_id -> Int8,
        year -> Int4,
        reopened_at -> Timestamptz,
    }
}

diesel::joinable!(report_figures -> units (unit_id));
diesel::allow_tables_to_appear_in_same_query!(report_figures, units);

// The opinion ledger (migration 2026-12-05-000002_opinion_ledger).
diesel::table! {
    opinion_cases (id) {
        id -> Int8,
        source -> Text,
        topic -> Text,
        received_on -> Date,
        summary -> Text,
        task_id -> Int8,
        lead_unit_id -> Int8,
        response_workdays -> Int4,
        writer_cipher -> Nullable<Bytea>,
        status -> Text,
        first_response_on -> Nullable<Date>,
        closed_on -> Nullable<Date>,
        created_by -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    opinion_case_units (case_id, unit_id) {
        case_id -> Int8,
        unit_id -> Int8,
        position -> Int4,
    }
}

diesel::table! {
    opinion_responses (id) {
        id -> Int8,
        case_id -> Int8,
        unit_id -> Int8,
        responded_on -> Date,
        channel -> Text,
        text -> Nullable<Text>,
        url -> Nullable<Text>,
        published -> Bool,
        evidence_id -> Nullable<Int8>,
        recorded_by -> Text,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    opinion_promises (id) {
        id -> Int8,
        case_id -> Int8,
        response_id -> Int8,
        text -> Text,
        unit_id -> Int8,
        due_on -> Date,
        status -> Text,
        settled_on -> Nullable<Date>,
        evidence_ref -> Nullable<Text>,
        fulfilment_published -> Bool,
        evidence_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        verified_on -> Nullable<Date>,
        verified_by -> Nullable<Text>,
    }
}

diesel::table! {
    opinion_promise_moves (id) {
        id -> Int8,
        promise_id -> Int8,
        status_from -> Text,
        status_to -> Text,
        occurred_on -> Date,
        evidence_ref -> Text,
        published -> Bool,
        note -> Nullable<Text>,
        actor_sub -> Text,
        actor_role -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(opinion_case_units -> opinion_cases (case_id));
diesel::joinable!(opinion_responses -> opinion_cases (case_id));
diesel::joinable!(opinion_promises -> opinion_cases (case_id));
diesel::joinable!(opinion_promises -> opinion_responses (response_id));
diesel::joinable!(opinion_promise_moves -> opinion_promises (promise_id));
diesel::allow_tables_to_appear_in_same_query!(
    opinion_cases,
    opinion_case_units,
    opinion_responses,
    opinion_promises,
    opinion_promise_moves,
);
diesel::allow_tables_to_appear_in_same_query!(opinion_cases, tasks);
