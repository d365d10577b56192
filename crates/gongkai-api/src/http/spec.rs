//! Finishing touches on the generated OpenAPI document, each made once for every
//! operation and schema, so that the document says exactly what the server does and SDK
//! generators get precise types:
//!
//! - every error answer is problem+json with the `Problem` schema, and every operation
//!   documents the refusals the extractors give all of them: 422 for a malformed path
//!   or query parameter, 400/413/415/422 for a body, 503 when the database is away;
//! - `Problem.code` lists every code a problem can carry;
//! - a `oneOf` whose members are told apart by `kind` gets each member as a named schema
//!   and a `discriminator` on `kind`;
//! - every path or query parameter that is an id is bounded to 1 … 2^63−1, as the
//!   extractors enforce;
//! - in the schemas that only answers use, every property the server always sends is
//!   `required` (nullable where it may be null); the few that are left out when empty are
//!   listed in [`MAY_BE_ABSENT`].

use std::collections::{BTreeMap, BTreeSet};

use crate::http::params::is_id_field;
use serde_json::{Map, Value, json};

/// The properties of answer schemas that are left out when they have no value
/// (`skip_serializing_if`); every other property of an answer is always sent.
pub const MAY_BE_ABSENT: &[(&str, &[&str])] = &[
    ("ImportedQuotaDto", &["min", "period", "due", "unit", "days"]),
    ("QuotaDto", &["min", "period", "due", "unit", "days", "group_id"]),
    ("Problem", &["errors"]),
    ("ContactDto", &["phone", "email", "address"]),
    ("ApplicantDto", &["name", "id_number_on_file", "id_number", "contact"]),
    ("DisclosureRequestSummaryDto", &["applicant_name", "subject"]),
    ("WriterDto", &["name", "contact"]),
    ("OpinionCaseDto", &["writer_on_file", "writer"]),
];

/// Applies every refinement to the document (as JSON).
pub fn refine(doc: &mut Value) {
    document_public(doc);
    document_conditional_reads(doc);
    shape_if_match(doc);
    document_problems(doc);
    list_problem_codes(doc);
    name_tagged_members(doc);
    bound_ids(doc);
    open_flattened_members(doc);
    require_answer_fields(doc);
}

/// A type flattened into another (`#[serde(flatten)]`) becomes a member of the outer
/// schema's `allOf`. When the inner schema is closed (`additionalProperties: false`, from
/// `deny_unknown_fields`, as request bodies are), validating the answer against it would
/// refuse the outer type's own properties: such members are inlined without the closure.
/// The inner schema stays closed where it is used alone.
fn open_flattened_members(doc: &mut Value) {
    let Some(all) = schemas(doc) else { return };
    let closed: Map<String, Value> = all
        .iter()
        .filter(|(_, s)| s.get("additionalProperties") == Some(&Value::Bool(false)))
        .map(|(name, s)| {
            let mut open = s.clone();
            if let Some(o) = open.as_object_mut() {
                o.remove("additionalProperties");
            }
            (format!("#/components/schemas/{name}"), open)
        })
        .collect();
    for schema in all.values_mut() {
        let Some(members) = schema.get_mut("allOf").and_then(Value::as_array_mut) else {
            continue;
        };
        for member in members.iter_mut() {
            let target = member.get("$ref").and_then(Value::as_str).map(str::to_string);
            if let Some(open) = target.and_then(|t| closed.get(&t)) {
                *member = open.clone();
            }
        }
    }
}

/// `If-Match` as [`crate::http::extract::IfMatch`] reads it: `*` or a list of quoted
/// ETags (weak ones allowed, never matching); anything else asks for a valid one (428).
fn shape_if_match(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                continue;
            };
            let mut takes_if_match = false;
            for p in params.iter_mut().filter(|p| p["in"] == "header" && p["name"] == "If-Match") {
                takes_if_match = true;
                p["schema"] = json!({
                    "type": "string",
                    "minLength": 1,
                    "pattern": r#"^\s*(\*|(W/)?"[\x21\x23-\x7e]*"(\s*,\s*(W/)?"[\x21\x23-\x7e]*")*)\s*$"#,
                });
            }
            if let Some(responses) =
                op.get_mut("responses").and_then(Value::as_object_mut).filter(|_| takes_if_match)
            {
                responses.entry("428").or_insert_with(
                    || json!({"description": "If-Match is missing, or names no ETag"}),
                );
                sort_responses(responses);
            }
        }
    }
}

/// The operations of the public API: no security (`security: []`), and the rate
/// limit's refusal.
fn document_public(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut().filter(|_| path.starts_with("/public/")) else {
            continue;
        };
        for op in item.values_mut().filter_map(Value::as_object_mut) {
            op.insert("security".into(), json!([]));
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                responses.entry("429").or_insert_with(|| {
                    json!({
                        "description": "Too many requests from this address; retry after `Retry-After` seconds",
                        "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
                    })
                });
            }
        }
    }
}

/// Every GET of the API answers `304 Not Modified` to a matching `If-None-Match` (the
/// conditional middleware), so each documents the header and the answer.
fn document_conditional_reads(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        if !(path.starts_with("/api/") || path.starts_with("/public/")) {
            continue;
        }
        let Some(op) = item.get_mut("get").and_then(Value::as_object_mut) else { continue };
        let params = op.entry("parameters").or_insert_with(|| json!([]));
        if let Some(params) = params.as_array_mut() {
            params.push(json!({
                "name": "If-None-Match",
                "in": "header",
                "required": false,
                "description": "ETags already held (a list, weak or strong, or `*`): when one matches, the answer is 304 without a body",
                "schema": {"type": "string"}
            }));
        }
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            responses.entry("304").or_insert_with(|| {
                json!({"description": "Not Modified: the `If-None-Match` tag matches the current `ETag`; no body"})
            });
        }
    }
}

/// The refusals every operation of a kind can give, whatever its handler does.
const PARAMETER_PROBLEMS: &[(&str, &str)] = &[(
    "422",
    "A path or query parameter is malformed, or a query parameter is unknown (the problem names it)",
)];
const BODY_PROBLEMS: &[(&str, &str)] = &[
    ("400", "The body is not well-formed JSON"),
    ("413", "The body is larger than the server accepts"),
    ("415", "The body's content type is not one this operation takes"),
    ("422", "A field of the body is invalid (the problem names it)"),
];
const NEGOTIATION_PROBLEMS: &[(&str, &str)] =
    &[("406", "The `Accept` header names no type this operation can answer with")];
const DATABASE_PROBLEMS: &[(&str, &str)] =
    &[("503", "The database is not available at the moment; retry after `Retry-After` seconds")];

/// Error answers carry `Problem` as `application/problem+json`; the routes state only
/// the status and its meaning. Operations also list the refusals common to all.
fn document_problems(doc: &mut Value) {
    let problem =
        json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for op in item.values_mut() {
            let Some(op) = op.as_object_mut() else { continue };
            let has_params = op.get("parameters").and_then(Value::as_array).is_some_and(|p| {
                p.iter()
                    .any(|p| matches!(p.get("in").and_then(Value::as_str), Some("path" | "query")))
            });
            let has_body = op.contains_key("requestBody");
            if let Some(text) = op
                .get_mut("requestBody")
                .and_then(|b| b.pointer_mut("/content/text~1plain/schema"))
                .and_then(Value::as_object_mut)
            {
                // A raw text body: generators then send the bytes as they are.
                text.insert("format".into(), json!("binary"));
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            let mut common: Vec<(&str, &str)> = Vec::new();
            // Unknown query parameters are refused everywhere the API answers.
            let api = path.starts_with("/api/") || path.starts_with("/public/");
            if has_params || api {
                common.extend(PARAMETER_PROBLEMS);
            }
            if has_body {
                common.extend(BODY_PROBLEMS);
            }
            if api {
                common.extend(NEGOTIATION_PROBLEMS);
                common.extend(DATABASE_PROBLEMS);
            }
            for (status, description) in common {
                responses.entry(status).or_insert_with(|| json!({"description": description}));
            }
            for (status, response) in responses.iter_mut() {
                let is_error = status.starts_with('4') || status.starts_with('5');
                if let Some(response) = response.as_object_mut().filter(|_| is_error) {
                    response.entry("content").or_insert_with(|| problem.clone());
                }
            }
            sort_responses(responses);
        }
    }
}

/// Responses in status order, as generators and readers expect.
fn sort_responses(responses: &mut Map<String, Value>) {
    let mut all: Vec<(String, Value)> = std::mem::take(responses).into_iter().collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    responses.extend(all);
}

/// `Problem.code` is one of [`crate::http::error::PROBLEM_CODES`].
fn list_problem_codes(doc: &mut Value) {
    if let Some(code) = doc.pointer_mut("/components/schemas/Problem/properties/code")
        && let Some(code) = code.as_object_mut()
    {
        code.insert("enum".into(), json!(crate::http::error::PROBLEM_CODES));
    }
}

fn schemas(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    doc.pointer_mut("/components/schemas")?.as_object_mut()
}

/// `count` → `Count`, `within_workdays` → `WithinWorkdays`.
fn camel(word: &str) -> String {
    word.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// The single `kind` value of an inline object schema, if it has one.
fn kind_of(member: &Value) -> Option<String> {
    let values = member.pointer("/properties/kind/enum")?.as_array()?;
    match values.as_slice() {
        [Value::String(k)] => Some(k.clone()),
        _ => None,
    }
}

/// Tagged unions (`#[serde(tag = "kind")]`): members become named schemas
/// (`RequiredDto` + `count` → `RequiredCount`) and the union gets a discriminator.
fn name_tagged_members(doc: &mut Value) {
    let Some(all) = schemas(doc) else { return };
    let mut added: Vec<(String, Value)> = Vec::new();
    for (name, schema) in all.iter_mut() {
        let Some(members) = schema.get("oneOf").and_then(Value::as_array) else { continue };
        let kinds: Option<Vec<String>> = members.iter().map(kind_of).collect();
        let Some(kinds) = kinds.filter(|k| k.len() > 1) else { continue };
        let base = name.strip_suffix("Dto").unwrap_or(name).to_string();
        let mut refs = Vec::new();
        let mut mapping = Map::new();
        for (member, kind) in members.iter().zip(&kinds) {
            let member_name = format!("{base}{}", camel(kind));
            let target = format!("#/components/schemas/{member_name}");
            refs.push(json!({"$ref": target}));
            mapping.insert(kind.clone(), Value::String(target));
            added.push((member_name, member.clone()));
        }
        if let Some(obj) = schema.as_object_mut() {
            obj.insert("oneOf".into(), Value::Array(refs));
            obj.insert("discriminator".into(), json!({"propertyName": "kind", "mapping": mapping}));
        }
    }
    for (name, member) in added {
        all.insert(name, member);
    }
}

/// Ids — path and query parameters, and the fields of request bodies — are 1 … 2^63−1,
/// as [`crate::http::params::Id`] and the stores enforce (no row has id 0 or less).
fn bound_ids(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                    continue;
                };
                for p in params {
                    let named_id = p.get("name").and_then(Value::as_str).is_some_and(is_id_field);
                    if let Some(schema) = p.get_mut("schema").filter(|_| named_id) {
                        bound_id(schema);
                    }
                }
            }
        }
    }
    let (requests, _) = schemas_in_use(doc);
    let Some(all) = schemas(doc) else { return };
    for name in requests {
        let props = all.get_mut(&name).and_then(|s| s.get_mut("properties"));
        let Some(props) = props.and_then(Value::as_object_mut) else { continue };
        for (field, schema) in props.iter_mut() {
            if is_id_field(field) {
                bound_id(schema);
            } else if field.ends_with("_ids")
                && let Some(items) = schema.get_mut("items")
            {
                bound_id(items);
            }
        }
    }
}

/// Bounds an integer schema (or a nullable one) to the ids' range.
fn bound_id(schema: &mut Value) {
    let Some(schema) = schema.as_object_mut() else { return };
    let integer = match schema.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    if integer {
        schema.insert("format".into(), json!("int64"));
        schema.insert("minimum".into(), json!(1));
        schema.insert("maximum".into(), json!(crate::http::params::MAX_ID));
    }
}

/// Names of the component schemas a value refers to.
fn refs_in(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && let Some(name) = r.strip_prefix("#/components/schemas/")
            {
                out.insert(name.to_string());
            }
            map.values().for_each(|v| refs_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

/// The schemas reachable from `roots`, following references.
fn closure(all: &Map<String, Value>, roots: BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = all.get(&name) {
            let mut next = BTreeSet::new();
            refs_in(schema, &mut next);
            todo.extend(next.into_iter().filter(|n| !seen.contains(n)));
        }
    }
    seen
}

/// The component schemas requests use (bodies and parameters) and those answers use,
/// each with everything they refer to.
fn schemas_in_use(doc: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut in_requests = BTreeSet::new();
    let mut in_answers = BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values() {
                if let Some(body) = op.get("requestBody") {
                    refs_in(body, &mut in_requests);
                }
                if let Some(params) = op.get("parameters") {
                    refs_in(params, &mut in_requests);
                }
                if let Some(responses) = op.get("responses") {
                    refs_in(responses, &mut in_answers);
                }
            }
        }
    }
    let empty = Map::new();
    let all = doc.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);
    (closure(all, in_requests), closure(all, in_answers))
}

/// Properties of answer-only schemas are required unless listed in [`MAY_BE_ABSENT`]:
/// the server serializes every other field, as null when it has no value.
fn require_answer_fields(doc: &mut Value) {
    let (requests, answers) = schemas_in_use(doc);
    let absent: BTreeMap<&str, &[&str]> = MAY_BE_ABSENT.iter().copied().collect();
    let Some(all) = schemas(doc) else { return };
    for name in answers.difference(&requests) {
        let Some(schema) = all.get_mut(name).and_then(Value::as_object_mut) else { continue };
        let Some(props) = schema.get("properties").and_then(Value::as_object) else { continue };
        let optional = absent.get(name.as_str()).copied().unwrap_or(&[]);
        let required: Vec<Value> = props
            .keys()
            .filter(|k| !optional.contains(&k.as_str()))
            .map(|k| Value::String(k.clone()))
            .collect();
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Rust files under `dir`, recursively.
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// utoipa names a component after its type alone: two types of one name in different
    /// modules would silently share one schema, and generated SDKs would read one as the
    /// other. Every type deriving `ToSchema` in the crates the document draws on has a
    /// name of its own.
    #[test]
    fn schema_names_are_unique() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for krate in ["gongkai-core/src", "gongkai-api/src"] {
            rust_files(&root.join(krate), &mut files);
        }
        let mut seen: std::collections::BTreeMap<String, String> = Default::default();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut derives_schema = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[") && line.contains("ToSchema") {
                    derives_schema = true;
                    continue;
                }
                if line.starts_with("#[") || line.starts_with("///") {
                    continue;
                }
                let item = line.strip_prefix("pub ").unwrap_or(line);
                let name = item
                    .strip_prefix("struct ")
                    .or_else(|| item.strip_prefix("enum "))
                    .map(|r| r.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap());
                if let Some(name) = name.filter(|_| derives_schema) {
                    let here = file.display().to_string();
                    if let Some(before) = seen.insert(name.to_string(), here.clone()) {
                        panic!("two schemas named {name}: {before} and {here}");
                    }
                }
                derives_schema = false;
            }
        }
        assert!(seen.len() > 50, "found only {} schema types", seen.len());
    }

    #[test]
    fn tagged_members_become_named_schemas_with_a_discriminator() {
        let mut doc = json!({"components": {"schemas": {"ActualDto": {"oneOf": [
            {"type": "object", "properties": {"count": {"type": "integer"}, "kind": {"type": "string", "enum": ["count"]}}},
            {"type": "object", "properties": {"done_on": {"type": "string"}, "kind": {"type": "string", "enum": ["within_workdays"]}}}
        ]}}}});
        name_tagged_members(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["ActualDto"]["discriminator"]["propertyName"], "kind");
        assert_eq!(
            s["ActualDto"]["discriminator"]["mapping"]["within_workdays"],
            "#/components/schemas/ActualWithinWorkdays"
        );
        assert_eq!(s["ActualDto"]["oneOf"][0]["$ref"], "#/components/schemas/ActualCount");
        assert!(s["ActualCount"]["properties"]["count"].is_object());
    }

    #[test]
    fn answer_only_schemas_require_what_is_always_sent() {
        let mut doc = json!({
            "paths": {"/x": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/QuotaDto"}}}}}
            }}},
            "components": {"schemas": {
                "In": {"type": "object", "properties": {"a": {"type": "string"}}},
                "QuotaDto": {"type": "object", "properties": {"id": {"type": "integer"}, "min": {"type": ["number", "null"]}, "next": {"type": ["string", "null"]}}}
            }}
        });
        require_answer_fields(&mut doc);
        assert_eq!(doc["components"]["schemas"]["QuotaDto"]["required"], json!(["id", "next"]));
        assert!(doc["components"]["schemas"]["In"].get("required").is_none());
    }

    /// Every field an answer leaves out when empty is listed, so that the document
    /// never calls it required.
    #[test]
    fn the_served_document_states_what_the_server_enforces() {
        let doc = crate::openapi::openapi();
        // Ids in request bodies are bounded as the body reader enforces them.
        let unit = &doc["components"]["schemas"]["CreateUnitRequest"]["properties"];
        assert_eq!(unit["parent_id"]["minimum"], 1, "{unit}");
        assert_eq!(unit["parent_id"]["maximum"], crate::http::params::MAX_ID);
        let patch = &doc["paths"]["/api/v1/units/{id}"]["patch"];
        let if_match = patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "If-Match")
            .unwrap();
        assert_eq!(if_match["schema"]["minLength"], 1);
        assert!(if_match["schema"]["pattern"].as_str().unwrap().contains("W/"));
        // A keyed POST may meet its key in progress.
        let keyed = &doc["paths"]["/api/v1/units"]["post"]["responses"]["409"]["description"];
        assert!(keyed.as_str().unwrap().contains("idempotency_key_in_progress"), "{keyed}");
        let cursor = doc["paths"]["/api/v1/units"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "cursor")
            .unwrap()
            .clone();
        assert_eq!(cursor["schema"]["minLength"], 1, "{cursor}");
    }

    #[test]
    fn every_skipped_field_is_listed() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut found: Vec<(String, String)> = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.extend(skipped_fields(&std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        assert!(!found.is_empty());
        for (schema, field) in found {
            if schema == "Claims" {
                continue; // a token's claims, not an answer
            }
            let listed = MAY_BE_ABSENT
                .iter()
                .any(|(s, fields)| *s == schema && fields.contains(&field.as_str()));
            assert!(listed, "{schema}.{field} is skipped when empty but not in MAY_BE_ABSENT");
        }
    }

    /// (struct, field) for each `skip_serializing_if` in a source file.
    fn skipped_fields(source: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut current = String::new();
        let mut pending = false;
        for line in source.lines() {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("pub struct ") {
                current = rest.split([' ', '<', '{']).next().unwrap_or("").to_string();
            }
            if !t.starts_with("//") && t.contains("skip_serializing_if = \"") {
                pending = true;
            }
            if pending
                && let Some(rest) = t.strip_prefix("pub ")
                && let Some((field, _)) = rest.split_once(':')
            {
                out.push((current.clone(), field.trim().to_string()));
                pending = false;
            }
        }
        out
    }
}
