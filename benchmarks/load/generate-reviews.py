#!/usr/bin/env python3
"""Writes the small and large AdmissionReviews of the load benchmark, deterministically (no
randomness, no clock): run it again and the files come out byte for byte the same.

  small-review.json   a KubernetesExecutor task pod as the executor creates it (about 1.5 KB):
                      one container, remote logging on, secrets from Secrets
  large-review.json   the scheduler pod of scheduler-review.json (the medium review, 5.6 KB)
                      grown to about 208 KB: the scheduler container carries 150 more
                      settings, and 41 more Airflow containers (sidecar runners sharing the
                      logs, DAGs and config volumes) carry 60 env vars each

Both are allowed by the bundled pack (the large one with the medium one's warnings about
claims whose backing is unknown without a cluster). Usage:

  benchmarks/load/generate-reviews.py            # writes both next to this script
  benchmarks/load/generate-reviews.py --check    # exits 1 when the committed files differ
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UID = "705ab4f5-6393-11e8-b7cc-42010a800002"
IMAGE = "apache/airflow:2.9.3"
EXTRA_CONTAINERS = 41
ENV_PER_CONTAINER = 60
EXTRA_SCHEDULER_SETTINGS = 150


def review(pod):
    """An AdmissionReview v1 for creating this pod, as the API server sends it."""
    meta = pod["metadata"]
    gvk = {"group": "", "version": "v1", "kind": "Pod"}
    gvr = {"group": "", "version": "v1", "resource": "pods"}
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": UID,
            "kind": gvk, "resource": gvr, "requestKind": gvk, "requestResource": gvr,
            "name": meta["name"], "namespace": meta["namespace"],
            "operation": "CREATE",
            "userInfo": {
                "username": "system:serviceaccount:airflow:airflow-scheduler",
                "uid": "b2b9a8e0-7f2e-4a57-9d6c-2f1b8c3d4e5f",
                "groups": ["system:serviceaccounts", "system:serviceaccounts:airflow", "system:authenticated"],
            },
            "object": pod,
            "oldObject": None,
            "dryRun": False,
        },
    }


def secret(name, secret_name, key):
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret_name, "key": key}}}


def small_pod():
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "etl-daily-load-orders-7c1f0e2a",
            "namespace": "airflow",
            "labels": {
                "tier": "airflow", "component": "worker", "release": "airflow",
                "kubernetes_executor": "True",
                "dag_id": "etl_daily", "task_id": "load_orders", "try_number": "1",
            },
        },
        "spec": {
            "restartPolicy": "Never",
            "serviceAccountName": "airflow-worker",
            "securityContext": {"runAsUser": 50000, "fsGroup": 0},
            "containers": [{
                "name": "base",
                "image": IMAGE,
                "args": ["airflow", "tasks", "run", "etl_daily", "load_orders", "scheduled__2026-11-25", "--local"],
                "env": [
                    {"name": "AIRFLOW__CORE__EXECUTOR", "value": "LocalExecutor"},
                    {"name": "AIRFLOW_IS_K8S_EXECUTOR_POD", "value": "True"},
                    secret("AIRFLOW__CORE__FERNET_KEY", "airflow-fernet-key", "fernet-key"),
                    secret("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "airflow-metadata", "connection"),
                    {"name": "AIRFLOW__LOGGING__REMOTE_LOGGING", "value": "True"},
                    {"name": "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER", "value": "s3://acme-airflow-logs/airflow"},
                ],
                "volumeMounts": [
                    {"name": "logs", "mountPath": "/opt/airflow/logs"},
                    {"name": "config", "mountPath": "/opt/airflow/airflow.cfg", "subPath": "airflow.cfg", "readOnly": True},
                ],
            }],
            "volumes": [
                {"name": "logs", "emptyDir": {}},
                {"name": "config", "configMap": {"name": "airflow-config"}},
            ],
        },
    }


SECTIONS = ["CORE", "SCHEDULER", "KUBERNETES_EXECUTOR", "METRICS", "LOGGING", "CELERY", "WEBSERVER", "OPERATORS", "SMTP", "LINEAGE"]


def settings(prefix, count):
    """Plain (non-secret) settings and variables, as a site's values.yaml piles them up."""
    env = []
    for i in range(count):
        if i % 3 == 0:
            env.append({"name": f"AIRFLOW_VAR_{prefix}_DATASET_{i:03d}_PARTITIONS", "value": str(8 + i % 24)})
        elif i % 3 == 1:
            section = SECTIONS[i % len(SECTIONS)]
            env.append({"name": f"AIRFLOW__{section}__{prefix}_OPTION_{i:03d}", "value": f"value-{i % 7}"})
        else:
            env.append({"name": f"{prefix}_FEATURE_FLAG_{i:03d}", "value": "True" if i % 2 else "False"})
    return env


def runner(index, template):
    """An Airflow sidecar sharing the scheduler's volumes: the first env vars like the scheduler's
    (secrets from Secrets), then site settings."""
    env = [e for e in template["env"] if "valueFrom" in e]
    env += settings(f"RUNNER_{index:02d}", ENV_PER_CONTAINER - len(env))
    return {
        "name": f"runner-{index:02d}",
        "image": IMAGE,
        "imagePullPolicy": "IfNotPresent",
        "args": ["bash", "-c", f"exec airflow-runner --shard {index} --shards {EXTRA_CONTAINERS}"],
        "env": env,
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}},
        "volumeMounts": [m for m in template["volumeMounts"] if m["name"] in ("logs", "config", "dags")],
    }


def large_pod():
    with open(os.path.join(HERE, "scheduler-review.json"), encoding="utf-8") as f:
        pod = copy.deepcopy(json.load(f)["request"]["object"])
    spec = pod["spec"]
    scheduler = spec["containers"][0]
    scheduler["env"] = scheduler["env"] + settings("SCHEDULER", EXTRA_SCHEDULER_SETTINGS)
    spec["containers"] += [runner(i, scheduler) for i in range(EXTRA_CONTAINERS)]
    return pod


def render(value):
    # compact, as the API server sends it
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False) + "\n"


def main():
    files = {
        "small-review.json": render(review(small_pod())),
        "large-review.json": render(review(large_pod())),
    }
    check = "--check" in sys.argv[1:]
    stale = []
    for name, text in files.items():
        path = os.path.join(HERE, name)
        if check:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"{path}: {len(text.encode())} bytes")
    if stale:
        print(f"not as generated: {', '.join(stale)} (run {sys.argv[0]})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
