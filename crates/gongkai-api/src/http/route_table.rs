//! The paths and methods the API answers, read from its OpenAPI document: what tells a
//! 405 (the path exists under other methods) from a 404, and which query parameters
//! each operation takes.

/// The paths of the API (from its OpenAPI document) with their methods.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
    /// Per path and method, the names of the operation's query parameters.
    parameters: Vec<(Vec<String>, String, Vec<String>)>,
}

impl RouteTable {
    /// Reads the paths and methods of an OpenAPI document, plus the documentation routes.
    pub fn from_openapi(doc: &serde_json::Value) -> Self {
        let mut routes = Vec::new();
        let mut parameters = Vec::new();
        let paths = doc.get("paths").and_then(serde_json::Value::as_object);
        for (path, value) in paths.into_iter().flatten() {
            let methods: Vec<String> =
                ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
                    .iter()
                    .filter(|m| value.get(**m).is_some())
                    .map(|m| m.to_ascii_uppercase())
                    .collect();
            for m in &methods {
                let names = value
                    .pointer(&format!("/{}/parameters", m.to_ascii_lowercase()))
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|p| p.get("in").and_then(serde_json::Value::as_str) == Some("query"))
                    .filter_map(|p| p.get("name").and_then(serde_json::Value::as_str))
                    .map(String::from)
                    .collect();
                parameters.push((segments(path), m.clone(), names));
            }
            routes.push((segments(path), methods));
        }
        for p in ["/openapi.json", "/docs"] {
            routes.push((segments(p), vec!["GET".into()]));
        }
        RouteTable { routes, parameters }
    }

    /// The query parameters of the operation answering `method` at `path`; None when no
    /// documented operation does. Where templates overlap (`/plans/import` and
    /// `/plans/{plan_id}`), the path with the most literal segments wins, as in routing.
    pub fn query_parameters(&self, method: &str, path: &str) -> Option<&[String]> {
        let wanted = segments(path);
        self.parameters
            .iter()
            .filter(|(pattern, m, _)| m == method && fits(pattern, &wanted))
            .min_by_key(|(pattern, _, _)| pattern.iter().filter(|p| p.starts_with('{')).count())
            .map(|(_, _, names)| names.as_slice())
    }

    /// The methods of the most literal documented path fitting `path` when they do not
    /// include `method`: a request routing would hand to a template it only fits by
    /// accident (`PATCH /plans/import` reaching `PATCH /plans/{plan_id}`) is refused with
    /// 405 and these methods in `Allow`. None when the method is answered there, for HEAD
    /// and OPTIONS (answered for every resource), and for paths the document lacks.
    pub fn refused(&self, method: &str, path: &str) -> Option<Vec<String>> {
        if method == "HEAD" || method == "OPTIONS" {
            return None;
        }
        let methods = self.allowed(path);
        (!methods.is_empty() && !methods.iter().any(|m| m == method)).then_some(methods)
    }

    /// The methods the path answers to: those of the most literal documented path that
    /// fits it (`/plans/import` is not `/plans/{plan_id}`); empty when none fits.
    pub fn allowed(&self, path: &str) -> Vec<String> {
        let wanted = segments(path);
        self.routes
            .iter()
            .filter(|(pattern, _)| fits(pattern, &wanted))
            .min_by_key(|(pattern, _)| pattern.iter().filter(|p| p.starts_with('{')).count())
            .map(|(_, methods)| methods.clone())
            .unwrap_or_default()
    }
}

fn fits(pattern: &[String], wanted: &[String]) -> bool {
    pattern.len() == wanted.len()
        && pattern.iter().zip(wanted).all(|(p, w)| p.starts_with('{') || p == w)
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/').split('/').filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_concrete_paths() {
        let doc = crate::openapi::openapi();
        let t = RouteTable::from_openapi(&doc);
        let a = t.allowed("/api/v1/units/7");
        assert!(a.contains(&"GET".to_string()) && a.contains(&"PATCH".to_string()), "{a:?}");
        assert!(!a.contains(&"DELETE".to_string()));
        assert!(t.allowed("/api/v1/nothing").is_empty());
        assert!(t.allowed("/api/v1/units/7/extra").is_empty());
    }

    #[test]
    fn query_parameters_of_the_most_literal_path() {
        let doc = crate::openapi::openapi();
        let t = RouteTable::from_openapi(&doc);
        let import = t.query_parameters("POST", "/api/v1/plans/import").unwrap();
        assert!(import.contains(&"dry_run".to_string()), "{import:?}");
        let tasks = t.query_parameters("GET", "/api/v1/plans/3/tasks").unwrap();
        assert!(tasks.contains(&"section".to_string()) && tasks.contains(&"limit".to_string()));
        assert_eq!(t.query_parameters("GET", "/api/v1/plans/3").map(<[String]>::len), Some(0));
        assert!(t.query_parameters("DELETE", "/api/v1/plans/3").is_none());
    }

    #[test]
    fn a_literal_path_refuses_the_methods_of_the_template_it_shadows() {
        let doc = crate::openapi::openapi();
        let t = RouteTable::from_openapi(&doc);
        assert_eq!(t.refused("PATCH", "/api/v1/plans/import"), Some(vec!["POST".to_string()]));
        assert_eq!(t.refused("GET", "/api/v1/plans/import"), Some(vec!["POST".to_string()]));
        assert_eq!(t.refused("POST", "/api/v1/plans/import"), None);
        assert_eq!(t.refused("PATCH", "/api/v1/plans/3"), None);
        assert_eq!(t.refused("HEAD", "/api/v1/plans/import"), None);
        assert_eq!(t.refused("GET", "/readyz"), None);
    }
}
