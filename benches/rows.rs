//! Memory per row: where the bytes of 100,000 pods go once they are
//! projected, kept in the store and published. Counts live heap bytes with a
//! counting allocator, so the figures are exact and do not depend on the
//! machine. Run: `cargo bench --bench rows` (SCALE_PODS to change the count).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use k8s_openapi::api::core::v1::{Node, Pod};
use runbook::cluster::store::{AnyRow, Change, Store};
use runbook::kinds::intern::Interner;
use runbook::kinds::intern::Text;
use runbook::kinds::project;
use runbook::kinds::{self, node::Nodes, pod::Pods};
use runbook::sim::generated_objects;
use runbook::sim::scenario::Generate;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let env = |name: &str, default: usize| -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let pods = env("SCALE_PODS", 100_000);
    let g = Generate {
        pods,
        nodes: 5000,
        events_per_second: 0.0,
        namespace: "load".into(),
        services: env("SCALE_SERVICES", 20_000),
        replica_sets: env("SCALE_REPLICASETS", 50_000),
    };
    let objects = generated_objects(&g, jiff::Timestamp::now());
    let now = jiff::Timestamp::now().as_second();

    // Project each object and drop it at once, as the watchers do (each
    // with its own interner), and keep only the rows.
    let before = live();
    let mut pod_strings = Interner::new();
    let mut node_strings = Interner::new();
    let mut pod_rows = Vec::with_capacity(pods);
    let mut node_rows = Vec::with_capacity(g.nodes);
    for o in &objects {
        match o["kind"].as_str() {
            Some("Pod") => {
                let p: Pod = serde_json::from_value(o.clone()).expect("pod");
                pod_rows.push(Arc::new(project::pod_row_in(&p, &mut pod_strings)));
            }
            Some("Node") => {
                let n: Node = serde_json::from_value(o.clone()).expect("node");
                node_rows.push(Arc::new(project::node_row_in(&n, &mut node_strings)));
            }
            _ => {}
        }
    }
    let vec_overhead =
        pod_rows.capacity() * size_of::<Arc<()>>() + node_rows.capacity() * size_of::<Arc<()>>();
    let rows_bytes = live() - before - vec_overhead;
    println!(
        "  interned strings: {} for pods, {} for nodes",
        pod_strings.len(),
        node_strings.len()
    );
    other_kinds(&objects);
    drop(objects);

    let mut store = Store::new(None, Some("load".into()));
    let before_store = live();
    let (pods_id, nodes_id) = (kinds::id::<Pods>(), kinds::id::<Nodes>());
    store.apply(Change::Init(pods_id), now);
    store.apply(Change::Init(nodes_id), now);
    for p in &pod_rows {
        let key = (p.namespace.clone(), p.name.clone());
        store.apply(Change::InitApply(pods_id, key, p.clone() as AnyRow), now);
    }
    for n in &node_rows {
        let key = (Text::default(), Text::from(n.name.as_str()));
        store.apply(Change::InitApply(nodes_id, key, n.clone() as AnyRow), now);
    }
    store.apply(Change::InitDone(pods_id), now);
    store.apply(Change::InitDone(nodes_id), now);
    let store_bytes = live() - before_store;
    let before_snapshot = live();
    let snapshot = store.publish();
    let snapshot_bytes = live() - before_snapshot;
    drop(pod_rows);
    drop(node_rows);

    println!("{pods} pods and {} nodes, live heap bytes:", g.nodes);
    println!(
        "  rows (pods and nodes): {:.1} MiB, {} B per pod",
        mib(rows_bytes),
        rows_bytes / pods.max(1)
    );
    println!(
        "  store (keyed maps of the rows): {:.1} MiB, {} B per pod",
        mib(store_bytes),
        store_bytes / pods.max(1)
    );
    println!(
        "  published snapshot (sorted vectors, pods per node): {:.1} MiB",
        mib(snapshot_bytes)
    );
    println!(
        "  all live: {:.1} MiB, {} B per pod",
        mib(rows_bytes + store_bytes + snapshot_bytes),
        (rows_bytes + store_bytes + snapshot_bytes) / pods.max(1)
    );
    assert_eq!(snapshot.rows::<Pods>().rows.len(), pods);
}

/// The rows of every other generated kind (Services, EndpointSlices,
/// ReplicaSets, Deployments), projected as their watchers do: live heap
/// bytes per row, the store's key included.
fn other_kinds(objects: &[serde_json::Value]) {
    for name in ["services", "endpointslices", "replicasets", "deployments"] {
        let Some(id) = kinds::id_of(name) else {
            continue;
        };
        let kind = kinds::get(id);
        let mut strings = Interner::new();
        let before = live();
        let rows: Vec<_> = objects
            .iter()
            .filter(|o| o["kind"].as_str() == Some(kind.kind()))
            .map(|o| kind.row_json(o, &mut strings).expect("projects"))
            .collect();
        let bytes =
            live() - before - rows.capacity() * size_of::<(runbook::cluster::store::Key, AnyRow)>();
        println!(
            "  {name}: {} rows, {:.1} MiB, {} B per row",
            rows.len(),
            mib(bytes),
            bytes / rows.len().max(1)
        );
    }
}
