//! Compiling a check: CEL syntax, then a walk of the expression that knows
//! the data model, so typos in variables, fields and functions are caught
//! when the playbook is validated.

use std::collections::HashMap;

use cel::common::ast::Expr;
use cel::{IdedExpr, Program};

use super::fields::{FUNCTIONS, FieldUse, Ty, roots};

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
    /// The fields it reads of each kind of object.
    pub(crate) fields: FieldUse,
    /// For `LIST.exists(x, P)` and friends: the list, the macro and P, so
    /// the matching objects can be listed as evidence.
    pub(crate) evidence: Option<super::eval::EvidencePlan>,
}

impl CompiledCheck {
    /// Whether it reads an age, which grows with the clock: its outcome can
    /// change with no change in the cluster.
    pub fn timed(&self) -> bool {
        self.source.contains("ageSeconds")
    }
}

impl std::fmt::Debug for CompiledCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledCheck")
            .field("source", &self.source)
            .field("roots", &self.roots)
            .finish()
    }
}

/// Longest check accepted, in bytes: a check is a line or a few, and the
/// parser's work grows with the text (a million `&&` took 19 s and 3.8 GB).
pub const MAX_LEN: usize = 4096;
/// Deepest nesting of ( [ { accepted: the parser recurses per level.
pub const MAX_DEPTH: usize = 24;
/// Most operators in one check: a chain of them is parsed recursively too
/// (22,000 chained `+` overflowed the stack and aborted).
pub const MAX_OPERATORS: usize = 128;

/// Refuses an expression too long or too deep to parse safely, before the
/// parser sees it. String literals are skipped.
pub fn within_limits(expr: &str) -> Result<(), CheckError> {
    if expr.len() > MAX_LEN {
        return Err(CheckError {
            message: format!(
                "the check is {} bytes long; at most {MAX_LEN} are allowed (split it into several checks)",
                expr.len()
            ),
            offset: Some(MAX_LEN),
        });
    }
    let (mut depth, mut operators) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut chars = expr.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if let Some(q) = quote {
            if c == '\\' {
                chars.next();
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(CheckError {
                        message: format!("the check nests deeper than {MAX_DEPTH} levels"),
                        offset: Some(at),
                    });
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '+' | '-' | '*' | '/' | '%' | '<' | '>' | '?' | '!' | '&' | '|' | '=' => {
                // `&&`, `||`, `==`, `!=`, `<=`, `>=` count once.
                if matches!(chars.peek(), Some((_, '&' | '|' | '=')))
                    && matches!(c, '&' | '|' | '=' | '!' | '<' | '>')
                {
                    chars.next();
                }
                operators += 1;
                if operators > MAX_OPERATORS {
                    return Err(CheckError {
                        message: format!(
                            "the check has more than {MAX_OPERATORS} operators; split it into several checks"
                        ),
                        offset: Some(at),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn compile(expr: &str) -> Result<CompiledCheck, CheckError> {
    within_limits(expr)?;
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
        fields: FieldUse::default(),
    };
    walker.walk(program.expression(), Place::Value)?;
    let (roots, fields) = (walker.roots, walker.fields);
    let evidence = super::eval::EvidencePlan::detect(expr)?;
    Ok(CompiledCheck {
        source: expr.to_string(),
        program,
        roots,
        fields,
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
    fields: FieldUse,
}

/// Where an expression stands, for knowing which fields are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    /// The list a macro ranges over: its elements are each bound to a name.
    Range,
    /// The object a field is selected from.
    Operand,
    /// Anywhere else: the value is used as it is.
    Value,
}

impl Walker<'_> {
    fn err(&self, id: u64, message: String) -> CheckError {
        CheckError {
            message,
            offset: self.source.offset_for(id).map(|(start, _)| start as usize),
        }
    }

    /// An object used whole, or a list used other than by a macro, needs
    /// every field.
    fn used(&mut self, ty: Ty, place: Place) -> Ty {
        let list = ty.element() != Ty::Any;
        if list && place != Place::Range {
            self.fields.whole(ty.element());
        } else if ty.fields().is_some() && place != Place::Operand {
            self.fields.whole(ty);
        }
        ty
    }

    fn walk(&mut self, e: &IdedExpr, place: Place) -> Result<Ty, CheckError> {
        match &e.expr {
            Expr::Ident(name) => {
                if let Some(ty) = self.scope.get(name) {
                    let ty = *ty;
                    return Ok(self.used(ty, place));
                }
                let roots = roots();
                if let Some((root, ty)) = roots.iter().find(|(r, _)| r == name) {
                    if !self.roots.contains(root) {
                        self.roots.push(root);
                    }
                    return Ok(self.used(*ty, place));
                }
                // Macro accumulators are internal names.
                if name.starts_with('@') || name.starts_with("__") {
                    return Ok(Ty::Any);
                }
                let roots: Vec<&str> = roots.iter().map(|(r, _)| *r).collect();
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
                let operand = self.walk(&sel.operand, Place::Operand)?;
                match operand.fields() {
                    Some((kind, fields)) => {
                        match fields.iter().position(|(f, _)| *f == sel.field) {
                            Some(index) => {
                                self.fields.add(operand, index);
                                Ok(self.used(fields[index].1, place))
                            }
                            None => Err(self.err(
                                e.id,
                                format!(
                                    "unknown field `{}` on {kind}{}; {kind} have {}",
                                    sel.field,
                                    hint(&sel.field, fields.iter().map(|(f, _)| *f)),
                                    fields
                                        .iter()
                                        .map(|(f, _)| *f)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )),
                        }
                    }
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
                // `size()` counts a list's elements without reading them.
                let place = if call.func_name == "size" {
                    Place::Range
                } else {
                    Place::Value
                };
                if let Some(target) = &call.target {
                    self.walk(target, place)?;
                }
                for arg in &call.args {
                    self.walk(arg, place)?;
                }
                Ok(Ty::Any)
            }
            Expr::Comprehension(c) => {
                let range = self.walk(&c.iter_range, Place::Range)?;
                self.walk(&c.accu_init, Place::Value)?;
                let saved = self.scope.clone();
                self.scope.insert(c.iter_var.clone(), range.element());
                if let Some(v2) = &c.iter_var2 {
                    self.scope.insert(v2.clone(), Ty::Any);
                }
                self.scope.insert(c.accu_var.clone(), Ty::Any);
                let result = (|| {
                    self.walk(&c.loop_cond, Place::Value)?;
                    self.walk(&c.loop_step, Place::Value)?;
                    self.walk(&c.result, Place::Value)
                })();
                self.scope = saved;
                result.map(|_| Ty::Any)
            }
            Expr::List(list) => {
                for el in &list.elements {
                    self.walk(el, Place::Value)?;
                }
                Ok(Ty::Any)
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let cel::common::ast::EntryExpr::MapEntry(m) = &entry.expr {
                        self.walk(&m.key, Place::Value)?;
                        self.walk(&m.value, Place::Value)?;
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
