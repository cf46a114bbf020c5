//! Compiling a check: CEL syntax, then a walk of the expression that knows
//! the data model, so typos in variables, fields and functions are caught
//! when the playbook is validated.

use std::collections::HashMap;

use cel::common::ast::Expr;
use cel::{IdedExpr, Program};

use super::fields::{FUNCTIONS, ROOTS, Ty};

#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    pub message: String,
    /// Byte offset into the expression, where known.
    pub offset: Option<usize>,
}

pub struct CompiledCheck {
    pub(crate) source: String,
    pub(crate) program: Program,
    /// Roots the expression reads (pods, nodes, ...).
    pub(crate) roots: Vec<&'static str>,
    /// For `LIST.exists(x, P)` and friends: the list, the macro and P, so
    /// the matching objects can be listed as evidence.
    pub(crate) evidence: Option<super::eval::EvidencePlan>,
}

impl std::fmt::Debug for CompiledCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledCheck")
            .field("source", &self.source)
            .field("roots", &self.roots)
            .finish()
    }
}

pub fn compile(expr: &str) -> Result<CompiledCheck, CheckError> {
    let program = Program::compile(expr).map_err(|errs| {
        let first = errs.errors.first();
        CheckError {
            message: first.map_or_else(|| "invalid expression".to_string(), |e| e.msg.clone()),
            offset: first.and_then(|e| offset_of(expr, e.pos.0, e.pos.1)),
        }
    })?;
    let mut walker = Walker {
        source: program.source_info(),
        scope: HashMap::new(),
        roots: Vec::new(),
    };
    walker.walk(program.expression())?;
    let roots = walker.roots;
    let evidence = super::eval::EvidencePlan::detect(expr)?;
    Ok(CompiledCheck {
        source: expr.to_string(),
        program,
        roots,
        evidence,
    })
}

/// (line 1-based, column 0-based) → byte offset.
fn offset_of(text: &str, line: isize, col: isize) -> Option<usize> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(usize::try_from(line - 1).ok()?)
        .map(str::len)
        .sum();
    let rest = &text[line_start..];
    let col = usize::try_from(col).ok()?;
    Some(line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i))
}

struct Walker<'a> {
    source: &'a cel::common::ast::SourceInfo,
    scope: HashMap<String, Ty>,
    roots: Vec<&'static str>,
}

impl Walker<'_> {
    fn err(&self, id: u64, message: String) -> CheckError {
        CheckError {
            message,
            offset: self.source.offset_for(id).map(|(start, _)| start as usize),
        }
    }

    fn walk(&mut self, e: &IdedExpr) -> Result<Ty, CheckError> {
        match &e.expr {
            Expr::Ident(name) => {
                if let Some(ty) = self.scope.get(name) {
                    return Ok(*ty);
                }
                if let Some((root, ty)) = ROOTS.iter().find(|(r, _)| r == name) {
                    if !self.roots.contains(root) {
                        self.roots.push(root);
                    }
                    return Ok(*ty);
                }
                // Macro accumulators are internal names.
                if name.starts_with('@') || name.starts_with("__") {
                    return Ok(Ty::Any);
                }
                let roots: Vec<&str> = ROOTS.iter().map(|(r, _)| *r).collect();
                Err(self.err(
                    e.id,
                    format!(
                        "unknown variable `{name}`{}; a check can read {}",
                        hint(name, roots.iter().copied()),
                        roots.join(", ")
                    ),
                ))
            }
            Expr::Select(sel) => {
                let operand = self.walk(&sel.operand)?;
                match operand.fields() {
                    Some((kind, fields)) => match fields.iter().find(|(f, _)| *f == sel.field) {
                        Some((_, ty)) => Ok(*ty),
                        None => Err(self.err(
                            e.id,
                            format!(
                                "unknown field `{}` on {kind}{}",
                                sel.field,
                                hint(&sel.field, fields.iter().map(|(f, _)| *f))
                            ),
                        )),
                    },
                    None => Ok(Ty::Any),
                }
            }
            Expr::Call(call) => {
                let named = call
                    .func_name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                if named && !FUNCTIONS.contains(&call.func_name.as_str()) {
                    return Err(self.err(
                        e.id,
                        format!(
                            "unknown function `{}`{}",
                            call.func_name,
                            hint(&call.func_name, FUNCTIONS.iter().copied())
                        ),
                    ));
                }
                if let Some(target) = &call.target {
                    self.walk(target)?;
                }
                for arg in &call.args {
                    self.walk(arg)?;
                }
                Ok(Ty::Any)
            }
            Expr::Comprehension(c) => {
                let range = self.walk(&c.iter_range)?;
                self.walk(&c.accu_init)?;
                let saved = self.scope.clone();
                self.scope.insert(c.iter_var.clone(), range.element());
                if let Some(v2) = &c.iter_var2 {
                    self.scope.insert(v2.clone(), Ty::Any);
                }
                self.scope.insert(c.accu_var.clone(), Ty::Any);
                let result = (|| {
                    self.walk(&c.loop_cond)?;
                    self.walk(&c.loop_step)?;
                    self.walk(&c.result)
                })();
                self.scope = saved;
                result.map(|_| Ty::Any)
            }
            Expr::List(list) => {
                for el in &list.elements {
                    self.walk(el)?;
                }
                Ok(Ty::Any)
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let cel::common::ast::EntryExpr::MapEntry(m) = &entry.expr {
                        self.walk(&m.key)?;
                        self.walk(&m.value)?;
                    }
                }
                Ok(Ty::Any)
            }
            Expr::Literal(_) | Expr::Struct(_) | Expr::Unspecified => Ok(Ty::Any),
        }
    }
}

fn hint<'a>(wrong: &str, known: impl Iterator<Item = &'a str>) -> String {
    crate::playbook::validate::did_you_mean(wrong, known)
}
