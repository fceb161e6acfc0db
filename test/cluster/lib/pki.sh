# Certificates and keys for the local cluster, made once with openssl.
# shellcheck shell=bash

# cert NAME SUBJECT [SANS]: a key and a certificate signed by the cluster CA.
cert() {
  local name=$1 subject=$2 sans=${3:-} ext
  [ -f "$PKI/$name.crt" ] && return 0
  ext=$(mktemp)
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } >"$ext"
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 365 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI/$name.csr"
}

# kubeconfig NAME CERT: a kubeconfig for a client certificate.
kubeconfig() {
  local file=$1 name=$2
  cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: vibe-local
  cluster:
    server: https://$APISERVER_ADDRESS:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$name.crt")
    client-key-data: $(base64 -w0 <"$PKI/$name.key")
contexts:
- name: vibe-local
  context: {cluster: vibe-local, user: $name}
current-context: vibe-local
YAML
  chmod 600 "$file"
}

make_pki() {
  mkdir -p "$PKI" && chmod 700 "$PKI"
  if [ ! -f "$PKI/ca.crt" ]; then
    openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=vibe-local-ca" -days 365 -out "$PKI/ca.crt" 2>/dev/null
  fi
  local loop="IP:127.0.0.1,DNS:localhost"
  cert etcd-server "/CN=etcd" "$loop"
  cert etcd-client "/CN=kube-apiserver-etcd-client"
  cert kube-apiserver "/CN=kube-apiserver" \
    "$loop,IP:10.96.0.1,IP:$HOST_VETH_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  cert admin "/O=system:masters/CN=vibe-admin"
  cert kube-controller-manager "/CN=system:kube-controller-manager"
  cert kube-scheduler "/CN=system:kube-scheduler"
  cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME"
  cert kubelet-server "/CN=$NODE_NAME" "$loop,IP:$HOST_VETH_IP,DNS:$NODE_NAME"
  # The user the built-in ClusterRoleBinding system:node-proxier grants kube-proxy's rights to.
  cert kube-proxy "/CN=system:kube-proxy"
  if [ ! -f "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  kubeconfig "$VIBE_CLUSTER_DIR/kubeconfig" admin
  kubeconfig "$PKI/kube-controller-manager.kubeconfig" kube-controller-manager
  kubeconfig "$PKI/kube-scheduler.kubeconfig" kube-scheduler
  kubeconfig "$PKI/kubelet.kubeconfig" kubelet-client
  kubeconfig "$PKI/kube-proxy.kubeconfig" kube-proxy
}
