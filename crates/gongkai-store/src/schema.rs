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

diesel::joinable!(plans -> units (issuing_unit_id));
diesel::joinable!(sections -> plans (plan_id));
diesel::joinable!(tasks -> plans (plan_id));
diesel::joinable!(tasks -> sections (section_id));
diesel::joinable!(task_units -> tasks (task_id));
diesel::joinable!(task_units -> units (unit_id));
diesel::joinable!(quotas -> tasks (task_id));
diesel::joinable!(evidence -> tasks (task_id));
diesel::joinable!(evidence -> units (unit_id));

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
);
