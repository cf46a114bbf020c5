//! The path a drill's walk takes through its playbook: given, or the
//! shortest way from `start` to the scenario's answer. Pure.

use std::collections::{BTreeMap, VecDeque};

use crate::playbook::Playbook;

/// One move of a walk: from `from` to `to`, through a choice (its index
/// and its `when` check) or the step's `next`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
    /// `(label, when)` when the move is a choice.
    pub choice: Option<(String, Option<String>)>,
}

/// The moves between consecutive steps of `steps`, or why they are not a
/// way through the playbook.
pub fn moves(playbook: &Playbook, steps: &[String]) -> Result<Vec<Move>, String> {
    let mut out = Vec::new();
    if steps.first().map(String::as_str) != Some(playbook.start.value.as_str()) {
        return Err(format!(
            "the path must begin at the playbook's start step `{}`",
            playbook.start.value
        ));
    }
    for pair in steps.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        let Some(step) = playbook.steps.iter().find(|s| s.id.value == *from) else {
            return Err(format!("no step `{from}` in playbook {}", playbook.name()));
        };
        if let Some(choice) = step.choices.iter().find(|c| c.next.value == *to) {
            out.push(Move {
                from: from.clone(),
                to: to.clone(),
                choice: Some((
                    choice.label.clone(),
                    choice.when.as_ref().map(|w| w.value.clone()),
                )),
            });
        } else if step.next.as_ref().is_some_and(|n| n.value == *to) {
            out.push(Move {
                from: from.clone(),
                to: to.clone(),
                choice: None,
            });
        } else {
            return Err(format!("step `{from}` does not lead to `{to}`"));
        }
    }
    Ok(out)
}

/// The shortest way from the start step to `answer` (both included).
pub fn to_answer(playbook: &Playbook, answer: &str) -> Option<Vec<String>> {
    let start = playbook.start.value.clone();
    let mut came_from: BTreeMap<String, Option<String>> = BTreeMap::new();
    came_from.insert(start.clone(), None);
    let mut queue = VecDeque::from([start]);
    while let Some(id) = queue.pop_front() {
        if id == answer {
            let mut path = vec![id.clone()];
            let mut at = id;
            while let Some(Some(prev)) = came_from.get(&at) {
                path.push(prev.clone());
                at = prev.clone();
            }
            path.reverse();
            return Some(path);
        }
        let Some(step) = playbook.steps.iter().find(|s| s.id.value == id) else {
            continue;
        };
        let nexts = step
            .choices
            .iter()
            .map(|c| c.next.value.clone())
            .chain(step.next.iter().map(|n| n.value.clone()));
        for next in nexts {
            if !came_from.contains_key(&next) {
                came_from.insert(next.clone(), Some(id.clone()));
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn playbook() -> Playbook {
        let text = include_str!("../../../playbooks/pod-crashloop.yaml");
        crate::playbook::load::parse(text, std::path::Path::new("pod-crashloop.yaml")).unwrap()
    }

    #[test]
    fn the_answer_is_reached_the_shortest_way_and_moves_name_their_choice() {
        let p = playbook();
        let path = to_answer(&p, "oom").unwrap();
        assert_eq!(path, ["confirm", "why", "oom"]);
        let m = moves(&p, &path).unwrap();
        assert_eq!(m[0].choice, None);
        assert_eq!(
            m[1].choice.as_ref().and_then(|c| c.1.as_deref()),
            Some("oomkilled")
        );
        assert!(moves(&p, &["why".into()]).is_err());
        let err = moves(&p, &["confirm".into(), "oom".into()]).unwrap_err();
        assert!(err.contains("does not lead"), "{err}");
        assert_eq!(to_answer(&p, "nowhere"), None);
    }
}
