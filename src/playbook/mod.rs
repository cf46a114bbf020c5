//! Playbook format v1: schema types, loading with line:col errors, validation.

pub mod model;
