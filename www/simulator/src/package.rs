//! The `/pkg/` static files: the built npm package, which the hosted capture page loads (and the
//! demo site serves on its own origin too).

use crate::http::json_error;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::{Component, PathBuf};
use std::sync::Arc;

/// The built npm package directory served at `/pkg/`.
pub struct PackageDir {
    root: PathBuf,
}

impl PackageDir {
    /// Serves the files under `root`.
    pub fn new(root: PathBuf) -> PackageDir {
        PackageDir { root }
    }

    /// The file for a request path, or `None` for anything that is not a plain relative path.
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let relative = PathBuf::from(path);
        let plain = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        (plain && !path.is_empty() && !path.contains('\\')).then(|| self.root.join(relative))
    }
}

/// `/pkg/*` routes (used on both origins).
pub fn package_router(pkg: Arc<PackageDir>) -> Router {
    Router::new()
        .route("/pkg/{*path}", get(package_file))
        .with_state(pkg)
}

/// The content type of a package file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "html" => "text/html; charset=utf-8",
        "ts" | "md" | "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

async fn package_file(State(pkg): State<Arc<PackageDir>>, Path(path): Path<String>) -> Response {
    let Some(file) = pkg.resolve(&path) else {
        return json_error(StatusCode::NOT_FOUND, "not found");
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(&path)),
                (header::CACHE_CONTROL, "no-cache"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => json_error(StatusCode::NOT_FOUND, "not found"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_paths_stay_inside_the_root() {
        let pkg = PackageDir::new(PathBuf::from("/srv/pkg"));
        assert_eq!(
            pkg.resolve("a/b.js"),
            Some(PathBuf::from("/srv/pkg/a/b.js"))
        );
        assert_eq!(pkg.resolve("../secret"), None);
        assert_eq!(pkg.resolve("/etc/passwd"), None);
        assert_eq!(pkg.resolve("a/./b"), Some(PathBuf::from("/srv/pkg/a/b")));
        assert_eq!(pkg.resolve(""), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("videoid_capture_bg.wasm"), "application/wasm");
        assert!(content_type("videoid-capture.js").starts_with("text/javascript"));
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
