use super::output::{errln, outln};
use crate::playbook::catalog::{self, Catalog, Source};

pub fn run(json: bool) -> anyhow::Result<u8> {
    let catalog = Catalog::load(&catalog::user_folders());
    for d in &catalog.problems {
        errln!("{d}");
    }
    let summaries: Vec<_> = catalog.entries.iter().map(|e| e.summary()).collect();
    if json {
        outln!("{}", crate::sanitize::json_pretty(&summaries)?);
        return Ok(super::OK);
    }
    outln!("{:<24} {:<6} {:<44} SOURCE", "NAME", "SEV", "TITLE");
    for s in &summaries {
        let source = match &s.source {
            Source::Builtin(_) => "built-in".to_string(),
            Source::File(p) => crate::sanitize::line(&p.display().to_string()),
        };
        outln!(
            "{:<24} {:<6} {:<44} {}",
            s.name,
            s.severity.as_deref().unwrap_or("-"),
            crate::sanitize::line(&s.title),
            source
        );
    }
    Ok(super::OK)
}
