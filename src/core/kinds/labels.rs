//! An object's labels as a row keeps them: a boxed slice sorted by key, of
//! shared strings. A `BTreeMap` would allocate a whole node (about half a
//! kilobyte) for two labels, and 100,000 pods have 100,000 label sets.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;

use super::intern::{Interner, Text};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Labels(Box<[(Text, Text)]>);

impl Labels {
    /// Projects an object's labels, sanitized and interned.
    pub fn project(labels: Option<&BTreeMap<String, String>>, strings: &mut Interner) -> Labels {
        // BTreeMap iterates in key order; sanitizing could reorder keys
        // that held control characters, so sort again.
        let mut pairs: Vec<(Text, Text)> = labels
            .into_iter()
            .flatten()
            .map(|(k, v)| (strings.line(k), strings.line(v)))
            .collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|a, b| a.0 == b.0);
        Labels(pairs.into_boxed_slice())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| &*self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Labels {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Labels {
        let map: BTreeMap<String, String> = iter
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
            .collect();
        Labels::project(Some(&map), &mut Interner::new())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> From<[(K, V); N]> for Labels {
    fn from(pairs: [(K, V); N]) -> Labels {
        pairs.into_iter().collect()
    }
}

/// A map, as checks see `p.labels.app`.
impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_looked_up_by_key_and_shared() {
        let mut strings = Interner::new();
        let map: BTreeMap<String, String> = [("app", "cart"), ("tier", "web"), ("a\x1b[2Jz", "x")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let a = Labels::project(Some(&map), &mut strings);
        let b = Labels::project(Some(&map), &mut strings);
        assert_eq!(a.get("app"), Some("cart"));
        assert_eq!(a.get("az"), Some("x"), "keys are sanitized");
        assert_eq!(a.get("missing"), None);
        assert!(Text::ptr_eq(&a.0[0].1, &b.0[0].1));
        let keys: Vec<&str> = a.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["app", "az", "tier"]);
        assert_eq!(
            Labels::from([("b", "2"), ("a", "1")])
                .iter()
                .collect::<Vec<_>>(),
            [("a", "1"), ("b", "2")]
        );
    }
}
