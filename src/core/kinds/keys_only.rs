//! ConfigMaps and Secrets as the app reads them: metadata, type and the
//! names of their keys. The values are skipped while the JSON is parsed
//! (`IgnoredAny`), so a Secret's values are never held, shown or logged,
//! and a large ConfigMap costs its key names.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// A Secret without its values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeys {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub data: BTreeMap<String, IgnoredAny>,
    #[serde(default)]
    pub string_data: BTreeMap<String, IgnoredAny>,
}

/// A ConfigMap without its values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapKeys {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub data: BTreeMap<String, IgnoredAny>,
    #[serde(default)]
    pub binary_data: BTreeMap<String, IgnoredAny>,
}

macro_rules! resource {
    ($t:ty, $kind:literal, $plural:literal) => {
        impl k8s_openapi::Resource for $t {
            const API_VERSION: &'static str = "v1";
            const GROUP: &'static str = "";
            const KIND: &'static str = $kind;
            const VERSION: &'static str = "v1";
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = k8s_openapi::NamespaceResourceScope;
        }

        impl k8s_openapi::Metadata for $t {
            type Ty = ObjectMeta;
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    };
}

resource!(SecretKeys, "Secret", "secrets");
resource!(ConfigMapKeys, "ConfigMap", "configmaps");

impl SecretKeys {
    /// Every key, `data` and `stringData` together, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .data
            .keys()
            .chain(self.string_data.keys())
            .map(|k| crate::sanitize::line(k))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

impl ConfigMapKeys {
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .data
            .keys()
            .chain(self.binary_data.keys())
            .map(|k| crate::sanitize::line(k))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }
}
