//! Playbook format v1: schema types, loading with line:col errors, validation,
//! templates and params, the search path.

pub mod catalog;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod params;
pub mod placeholder;
pub mod template;
pub mod validate;
mod warnings;

#[cfg(test)]
mod tests;

pub use diagnostic::{Diagnostic, Severity};
pub use load::{load_file, parse};
pub use model::Playbook;
pub use validate::{validate, validate_checks};

/// SHA-256 of the exact playbook text, hex: pins a session to its playbook.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
