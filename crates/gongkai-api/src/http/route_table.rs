//! The paths and methods the API answers, read from its OpenAPI document: what tells a
//! 405 (the path exists under other methods) from a 404.

/// The paths of the API (from its OpenAPI document) with their methods.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    /// Reads the paths and methods of an OpenAPI document, plus the documentation routes.
    pub fn from_openapi(doc: &serde_json::Value) -> Self {
        let mut routes = Vec::new();
        let paths = doc.get("paths").and_then(serde_json::Value::as_object);
        for (path, value) in paths.into_iter().flatten() {
            let methods: Vec<String> =
                ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
                    .iter()
                    .filter(|m| value.get(**m).is_some())
                    .map(|m| m.to_ascii_uppercase())
                    .collect();
            routes.push((segments(path), methods));
        }
        for p in ["/openapi.json", "/docs"] {
            routes.push((segments(p), vec!["GET".into()]));
        }
        RouteTable { routes }
    }

    /// The methods the path answers to; empty when no route has this path.
    pub fn allowed(&self, path: &str) -> Vec<String> {
        let wanted = segments(path);
        let mut out: Vec<String> = Vec::new();
        for (pattern, methods) in &self.routes {
            let fits = pattern.len() == wanted.len()
                && pattern.iter().zip(&wanted).all(|(p, w)| p.starts_with('{') || p == w);
            if fits {
                for m in methods {
                    if !out.contains(m) {
                        out.push(m.clone());
                    }
                }
            }
        }
        out
    }
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
}
