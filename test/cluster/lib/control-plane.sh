# etcd, kube-apiserver and kube-controller-manager: the control-plane tier.
# shellcheck shell=bash

start_etcd() {
  mkdir -p "$VIBE_STATE_DIR/etcd" && chmod 700 "$VIBE_STATE_DIR/etcd"
  start etcd "$BIN/etcd" --name vibe --data-dir "$VIBE_STATE_DIR/etcd" \
    --listen-client-urls "https://127.0.0.1:$ETCD_PORT" --advertise-client-urls "https://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "vibe=http://127.0.0.1:$ETCD_PEER_PORT" \
    --listen-metrics-urls "http://127.0.0.1:$ETCD_METRICS_PORT" \
    --client-cert-auth --trusted-ca-file "$PKI/ca.crt" \
    --cert-file "$PKI/etcd-server.crt" --key-file "$PKI/etcd-server.key" \
    --quota-backend-bytes 4294967296 --log-level warn
  wait_healthy etcd 30
}

start_kube_apiserver() {
  # On the veth's host end, the API server is the kubernetes Service's endpoint (the lease reconciler
  # publishes it) and pods reach it; on loopback (control plane alone) nothing could, so none is.
  local reconciler=none
  [ "$APISERVER_ADDRESS" = "$HOST_VETH_IP" ] && reconciler=lease
  start kube-apiserver "$BIN/kube-apiserver" \
    --bind-address "$APISERVER_ADDRESS" --secure-port "$APISERVER_PORT" --advertise-address "$HOST_VETH_IP" \
    --endpoint-reconciler-type "$reconciler" \
    --etcd-servers "https://127.0.0.1:$ETCD_PORT" --etcd-cafile "$PKI/ca.crt" \
    --etcd-certfile "$PKI/etcd-client.crt" --etcd-keyfile "$PKI/etcd-client.key" \
    --client-ca-file "$PKI/ca.crt" --tls-cert-file "$PKI/kube-apiserver.crt" --tls-private-key-file "$PKI/kube-apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=false --profiling=false --v=1
  wait_healthy kube-apiserver 90
}

start_kube_controller_manager() {
  local kc=$PKI/kube-controller-manager.kubeconfig
  start kube-controller-manager "$BIN/kube-controller-manager" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" \
    --kubeconfig "$kc" --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --use-service-account-credentials --leader-elect=false --profiling=false --v=1
  wait_healthy kube-controller-manager 60
}

start_kube_scheduler() {
  local kc=$PKI/kube-scheduler.kubeconfig
  start kube-scheduler "$BIN/kube-scheduler" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" \
    --kubeconfig "$kc" --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --leader-elect=false --profiling=false --v=1
  wait_healthy kube-scheduler 60
}
