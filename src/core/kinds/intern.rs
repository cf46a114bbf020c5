//! Shared strings for rows. At 100,000 pods most row text repeats: the
//! namespace, node names, phases, statuses, images, owners and label keys
//! and values are shared by many pods. Each watcher owns an `Interner`, so
//! equal text is stored once and a row holds a 16-byte `Text` handle.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::sanitize::line_cow;

/// Immutable, cheaply cloned row text. Compares, hashes and prints as the
/// `str` it holds, so rows read like they hold `String`s.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the same shared copy (not merely equal).
    pub fn ptr_eq(a: &Text, b: &Text) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Arc::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(Arc::from(s.as_str()))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Strings only the interner still holds are dropped once the set has
/// doubled since the last sweep, so churn (pods replaced, images rolled)
/// cannot grow it without bound and the sweeps cost O(1) per insert.
#[derive(Debug, Default)]
pub struct Interner {
    strings: HashSet<Text>,
    swept_at: usize,
}

const MIN_SWEEP: usize = 4096;

impl Interner {
    pub fn new() -> Interner {
        Interner::default()
    }

    /// The shared copy of `text`, sanitized for the terminal (see
    /// `sanitize::line`): everything from the cluster is untrusted.
    pub fn line(&mut self, text: &str) -> Text {
        let clean = line_cow(text);
        if let Some(s) = self.strings.get(clean.as_ref()) {
            return s.clone();
        }
        if self.strings.len() >= (self.swept_at * 2).max(MIN_SWEEP) {
            self.sweep();
        }
        let s = Text::from(clean.as_ref());
        self.strings.insert(s.clone());
        s
    }

    /// Drops the strings no row holds any more.
    pub fn sweep(&mut self) {
        self.strings.retain(|s| Arc::strong_count(&s.0) > 1);
        self.strings.shrink_to_fit();
        self.swept_at = self.strings.len();
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_text_is_stored_once_and_sanitized() {
        let mut i = Interner::new();
        let a = i.line("checkout");
        let b = i.line("checkout");
        assert!(Text::ptr_eq(&a, &b));
        assert_eq!(&*i.line("evil\x1b]0;title\x07name"), "evilname");
        assert_eq!(i.len(), 2);
    }

    #[test]
    fn strings_no_row_holds_are_swept_as_the_set_grows() {
        let mut i = Interner::new();
        let kept = i.line("kept");
        for n in 0..3 * MIN_SWEEP {
            i.line(&format!("pod-{n}"));
        }
        assert!(i.len() < 2 * MIN_SWEEP, "sweeps bound the set: {}", i.len());
        assert!(Text::ptr_eq(&kept, &i.line("kept")), "held text survives");
        i.sweep();
        assert_eq!(i.len(), 1);
    }
}
