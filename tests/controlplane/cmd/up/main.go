// up starts a real Kubernetes control plane on loopback for runbook's tests:
// etcd, kube-apiserver (TLS from a generated CA, Node and RBAC authorization,
// service-account keys, the default admission chain, a static token file, an
// audit log), kube-controller-manager and kube-scheduler. It writes
// DIR/admin.kubeconfig and DIR/viewer.kubeconfig (a user who may only read
// namespace shop), prints "ready DIR" and stays in the foreground until it is
// signalled (or, with --until-stdin-closes, until its stdin reaches EOF),
// then stops everything it started. SIGUSR1 restarts kube-apiserver with the
// same flags (etcd keeps the data); up prints "restarted DIR" once the new
// one is ready, so a test can see its clients survive an API server restart.
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

type component struct {
	name, path string
	args       []string
	proc       *process
}

// process is one run of a component: a restart replaces it.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// replaced: it is stopped on purpose and its exit is not a failure.
	replaced atomic.Bool
}

func main() {
	binDir := flag.String("bin", "", "directory holding etcd, kube-apiserver, kube-controller-manager and kube-scheduler")
	untilStdin := flag.Bool("until-stdin-closes", false, "also stop when stdin reaches EOF (a test's lifeline)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: up [--until-stdin-closes] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	dir, err := filepath.Abs(flag.Arg(0))
	must(err, "DIR")
	if *binDir == "" {
		self, err := os.Executable()
		must(err, "own path")
		*binDir = filepath.Dir(self)
	}
	started := time.Now()
	var running []*component
	stop := func(code int) {
		for i := len(running) - 1; i >= 0; i-- {
			terminate(running[i])
		}
		os.Exit(code)
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	// Caught from the start: SIGUSR1's default action would end up.
	restarts := make(chan os.Signal, 1)
	signal.Notify(restarts, syscall.SIGUSR1)
	failed := make(chan string, 8)

	cp, err := prepare(dir)
	must(err, "prepare "+dir)

	launch := func(name string, args ...string) *component {
		c := &component{name: name, path: filepath.Join(*binDir, name), args: args}
		p, err := start(dir, c, false, failed)
		if err != nil {
			fmt.Fprintf(os.Stderr, "up: %s: %v\n", name, err)
			stop(1)
		}
		c.proc = p
		running = append(running, c)
		return c
	}

	launch("etcd",
		"--name=default",
		"--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+cp.etcdURL,
		"--advertise-client-urls="+cp.etcdURL,
		"--listen-peer-urls="+cp.etcdPeerURL,
		"--initial-advertise-peer-urls="+cp.etcdPeerURL,
		"--initial-cluster=default="+cp.etcdPeerURL,
		"--unsafe-no-fsync=true",
		"--log-level=warn",
	)
	apiserver := launch("kube-apiserver",
		"--etcd-servers="+cp.etcdURL,
		"--bind-address=127.0.0.1",
		// The address the default/kubernetes Service's endpoints name. The
		// endpoint reconciler refuses loopback; nothing here dials it (the
		// tests reach the server on 127.0.0.1), so a documentation address.
		"--advertise-address=192.0.2.10",
		fmt.Sprintf("--secure-port=%d", cp.apiPort),
		"--cert-dir="+filepath.Join(dir, "pki"),
		"--tls-cert-file="+filepath.Join(dir, "pki", "apiserver.crt"),
		"--tls-private-key-file="+filepath.Join(dir, "pki", "apiserver.key"),
		"--client-ca-file="+filepath.Join(dir, "pki", "ca.crt"),
		"--token-auth-file="+filepath.Join(dir, "tokens.csv"),
		"--authorization-mode=Node,RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+filepath.Join(dir, "pki", "sa.pub"),
		"--service-account-signing-key-file="+filepath.Join(dir, "pki", "sa.key"),
		"--service-cluster-ip-range=10.96.0.0/12",
		"--allow-privileged=true",
		"--audit-policy-file="+filepath.Join(dir, "audit-policy.yaml"),
		"--audit-log-path="+filepath.Join(dir, "audit.log"),
		"--audit-log-mode=blocking",
		"--profiling=false",
	)
	waitReady(cp, failed, signals, stop)
	for _, name := range []string{"controller-manager", "scheduler"} {
		must(os.WriteFile(filepath.Join(dir, name+".kubeconfig"), kubeconfig(cp, "admin", cp.adminToken), 0o600), name)
	}
	launch("kube-controller-manager",
		"--kubeconfig="+filepath.Join(dir, "controller-manager.kubeconfig"),
		"--secure-port=0",
		"--leader-elect=false",
		"--controllers=*",
		"--use-service-account-credentials=false",
		"--service-account-private-key-file="+filepath.Join(dir, "pki", "sa.key"),
		"--root-ca-file="+filepath.Join(dir, "pki", "ca.crt"),
		"--cluster-signing-cert-file="+filepath.Join(dir, "pki", "ca.crt"),
		"--cluster-signing-key-file="+filepath.Join(dir, "pki", "ca.key"),
		"--profiling=false",
	)
	launch("kube-scheduler",
		"--kubeconfig="+filepath.Join(dir, "scheduler.kubeconfig"),
		"--secure-port=0",
		"--leader-elect=false",
		"--profiling=false",
	)
	if err := setUp(cp); err != nil {
		fmt.Fprintf(os.Stderr, "up: %v\n", err)
		stop(1)
	}
	must(os.WriteFile(filepath.Join(dir, "admin.kubeconfig"), kubeconfig(cp, "admin", cp.adminToken), 0o600), "admin.kubeconfig")
	must(os.WriteFile(filepath.Join(dir, "viewer.kubeconfig"), kubeconfig(cp, "shop-viewer", cp.viewerToken), 0o600), "viewer.kubeconfig")
	fmt.Fprintf(os.Stderr, "up: control plane ready in %.1f s (logs in %s)\n", time.Since(started).Seconds(), filepath.Join(dir, "logs"))
	fmt.Printf("ready %s\n", dir)

	stdinClosed := make(chan struct{})
	if *untilStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			close(stdinClosed)
		}()
	}
	for {
		select {
		case <-signals:
			stop(0)
		case <-stdinClosed:
			stop(0)
		case name := <-failed:
			fmt.Fprintf(os.Stderr, "up: %s exited; stopping the control plane (see %s)\n", name, filepath.Join(dir, "logs", name+".log"))
			stop(1)
		case <-restarts:
			began := time.Now()
			if err := restart(dir, apiserver, failed); err != nil {
				fmt.Fprintf(os.Stderr, "up: restart kube-apiserver: %v\n", err)
				stop(1)
			}
			waitReady(cp, failed, signals, stop)
			fmt.Fprintf(os.Stderr, "up: kube-apiserver restarted in %.1f s\n", time.Since(began).Seconds())
			fmt.Printf("restarted %s\n", dir)
		}
	}
}

// restart stops c (SIGTERM, SIGKILL after 5 s: kube-apiserver stops
// listening at once but can take 30 s more to exit) and starts it again with
// the same flags, its log continued.
func restart(dir string, c *component, failed chan<- string) error {
	old := c.proc
	old.replaced.Store(true)
	_ = old.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-old.exited:
	case <-time.After(5 * time.Second):
		_ = old.cmd.Process.Kill()
		<-old.exited
	}
	p, err := start(dir, c, true, failed)
	if err != nil {
		return err
	}
	c.proc = p
	return nil
}

type controlPlane struct {
	dir                  string
	etcdURL, etcdPeerURL string
	apiPort              int
	caPEM                []byte
	adminToken           string
	viewerToken          string
}

func (cp *controlPlane) server() string { return fmt.Sprintf("https://127.0.0.1:%d", cp.apiPort) }

// prepare writes the PKI, tokens and audit policy, and picks free ports.
func prepare(dir string) (*controlPlane, error) {
	for _, d := range []string{"pki", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	// A fresh cluster each time: tests expect an empty etcd.
	_ = os.RemoveAll(filepath.Join(dir, "etcd"))
	_ = os.Remove(filepath.Join(dir, "audit.log"))
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	cp := &controlPlane{
		dir:         dir,
		etcdURL:     fmt.Sprintf("http://127.0.0.1:%d", ports[0]),
		etcdPeerURL: fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		apiPort:     ports[2],
		adminToken:  token(),
		viewerToken: token(),
	}
	pki := filepath.Join(dir, "pki")
	caKey, caCert, caPEM, err := newCA()
	if err != nil {
		return nil, err
	}
	cp.caPEM = caPEM
	if err := writeKey(filepath.Join(pki, "ca.key"), caKey); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(pki, "ca.crt"), caPEM, 0o644); err != nil {
		return nil, err
	}
	if err := serving(pki, caKey, caCert); err != nil {
		return nil, err
	}
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	if err := writeKey(filepath.Join(pki, "sa.key"), saKey); err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(pki, "sa.pub"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644); err != nil {
		return nil, err
	}
	tokens := fmt.Sprintf("%s,admin,admin-uid,\"system:masters\"\n%s,shop-viewer,shop-viewer-uid\n", cp.adminToken, cp.viewerToken)
	if err := os.WriteFile(filepath.Join(dir, "tokens.csv"), []byte(tokens), 0o600); err != nil {
		return nil, err
	}
	// Every request at Metadata level: tests count the mutating ones.
	policy := "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n"
	if err := os.WriteFile(filepath.Join(dir, "audit-policy.yaml"), []byte(policy), 0o600); err != nil {
		return nil, err
	}
	return cp, nil
}

func start(dir string, c *component, appendLog bool, failed chan<- string) (*process, error) {
	mode := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendLog {
		mode = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	log, err := os.OpenFile(filepath.Join(dir, "logs", c.name+".log"), mode, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(c.path, c.args...)
	cmd.Stdout = log
	cmd.Stderr = log
	// Children die with up, even when up is killed with SIGKILL, and a
	// Ctrl-C at the terminal reaches up alone, which stops them in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		_ = log.Close()
		close(p.exited)
		if !p.replaced.Load() {
			failed <- c.name
		}
	}()
	return p, nil
}

func terminate(c *component) {
	p := c.proc
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
	}
}

func waitReady(cp *controlPlane, failed <-chan string, signals <-chan os.Signal, stop func(int)) {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cp.caPEM)
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case name := <-failed:
			fmt.Fprintf(os.Stderr, "up: %s exited before the API server was ready (see %s)\n", name, filepath.Join(cp.dir, "logs", name+".log"))
			stop(1)
		case <-signals:
			stop(0)
		default:
		}
		req, _ := http.NewRequest("GET", cp.server()+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+cp.adminToken)
		if resp, err := client.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Fprintln(os.Stderr, "up: the API server was not ready after 120 s")
	stop(1)
}

// setUp gives the cluster what the tests rely on: namespace shop, a viewer
// who may read it and nothing else, and the default service accounts.
func setUp(cp *controlPlane) error {
	cfg, err := clientcmd.RESTConfigFromKubeConfig(kubeconfig(cp, "admin", cp.adminToken))
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err = cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create namespace shop: %w", err)
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "shop-viewer", Namespace: "shop"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "view"},
		Subjects:   []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: "shop-viewer"}},
	}
	_, err = cs.RbacV1().RoleBindings("shop").Create(ctx, binding, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("bind shop-viewer: %w", err)
	}
	// Pods cannot be created in a namespace before its default service
	// account exists; wait for the controller manager to make both.
	for _, ns := range []string{"default", "shop"} {
		for {
			if _, err := cs.CoreV1().ServiceAccounts(ns).Get(ctx, "default", metav1.GetOptions{}); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("no default service account in %s after 60 s", ns)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	return nil
}

func kubeconfig(cp *controlPlane, user, tok string) []byte {
	ca := strings.TrimSpace(string(pemBase64(cp.caPEM)))
	return []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: controlplane
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    token: %s
contexts:
- name: %s
  context:
    cluster: controlplane
    user: %s
    namespace: %s
current-context: %s
`, cp.server(), ca, user, tok, user, user, namespaceFor(user), user))
}

func namespaceFor(user string) string {
	if user == "shop-viewer" {
		return "shop"
	}
	return "default"
}

func pemBase64(b []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(b))
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func token() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newCA() (*rsa.PrivateKey, *x509.Certificate, []byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "runbook-test-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, err
	}
	return key, cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

func serving(pki string, caKey *rsa.PrivateKey, ca *x509.Certificate) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1"), net.ParseIP("192.0.2.10")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	if err := writeKey(filepath.Join(pki, "apiserver.key"), key); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(pki, "apiserver.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func writeKey(path string, key *rsa.PrivateKey) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600)
}

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "up: %s: %v\n", what, err)
		os.Exit(1)
	}
}
