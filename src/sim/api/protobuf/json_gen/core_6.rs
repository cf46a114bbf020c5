// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the core group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::core::v1::FileKeySelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumeName", &self.volume_name, false);
        val(&mut o, "path", &self.path, false);
        val(&mut o, "key", &self.key, false);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ExecAction {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "command", &self.command, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::HttpGetAction {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "path", &self.path, true);
        obj(&mut o, "port", &self.port);
        val(&mut o, "host", &self.host, true);
        val(&mut o, "scheme", &self.scheme, true);
        list(&mut o, "httpHeaders", &self.http_headers, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::TcpSocketAction {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "port", &self.port);
        val(&mut o, "host", &self.host, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::GrpcAction {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "port", &self.port, false);
        ptr(&mut o, "service", &self.service, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SleepAction {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "seconds", &self.seconds, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeSelectorRequirement {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "key", &self.key, false);
        val(&mut o, "operator", &self.operator, false);
        list(&mut o, "values", &self.values, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SecretProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        list(&mut o, "items", &self.items, true);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::DownwardAPIProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "items", &self.items, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ConfigMapProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        list(&mut o, "items", &self.items, true);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ServiceAccountTokenProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "audience", &self.audience, true);
        ptr(&mut o, "expirationSeconds", &self.expiration_seconds, true);
        val(&mut o, "path", &self.path, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ClusterTrustBundleProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "name", &self.name, true);
        ptr(&mut o, "signerName", &self.signer_name, true);
        ptr(&mut o, "labelSelector", &self.label_selector, true);
        ptr(&mut o, "optional", &self.optional, true);
        val(&mut o, "path", &self.path, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodCertificateProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "signerName", &self.signer_name, true);
        val(&mut o, "keyType", &self.key_type, true);
        ptr(
            &mut o,
            "maxExpirationSeconds",
            &self.max_expiration_seconds,
            true,
        );
        val(
            &mut o,
            "credentialBundlePath",
            &self.credential_bundle_path,
            true,
        );
        val(&mut o, "keyPath", &self.key_path, true);
        val(
            &mut o,
            "certificateChainPath",
            &self.certificate_chain_path,
            true,
        );
        map(&mut o, "userAnnotations", &self.user_annotations, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::HttpHeader {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "value", &self.value, false);
        Value::Object(o)
    }
}
