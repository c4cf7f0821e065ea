using k8s.Models;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>The Airflow objects the scenarios send through the API server: a scheduler pod with its DAGs on one volume or another.</summary>
internal static class AirflowObjects
{
    private static readonly Dictionary<string, string> SchedulerLabels = new() { ["tier"] = "airflow", ["component"] = "scheduler" };

    /// <summary>DAGs on the node's own disk: denied by no-host-path-dags-or-logs.</summary>
    public static V1Volume HostPathDags => new() { Name = "dags", HostPath = new V1HostPathVolumeSource { Path = "/data/dags" } };

    public static V1Volume EmptyDirDags => new() { Name = "dags", EmptyDir = new V1EmptyDirVolumeSource() };

    /// <summary>DAGs on an OSS bucket through an inline CSI volume without uid/gid/umask: repaired by fuse-mount-options.</summary>
    public static V1Volume InlineOssDags => new()
    {
        Name = "dags",
        Csi = new V1CSIVolumeSource { Driver = "ossplugin.csi.alibabacloud.com", ReadOnlyProperty = true, VolumeAttributes = new Dictionary<string, string> { ["bucket"] = "airflow-dags" } },
    };

    public static V1Pod Scheduler(string name, V1Volume dags) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(SchedulerLabels) },
        Spec = SchedulerSpec(dags),
    };

    public static V1Deployment SchedulerDeployment(string name, V1Volume dags) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(SchedulerLabels) },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(SchedulerLabels) },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(SchedulerLabels) }, Spec = SchedulerSpec(dags) },
        },
    };

    /// <summary>An OSS PersistentVolume labelled as Airflow's: policies/examples/fuse-mount-options-persistent-volumes.yaml adds its mount options.</summary>
    public static V1PersistentVolume OssPersistentVolume(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "airflow" } },
        Spec = new V1PersistentVolumeSpec
        {
            AccessModes = ["ReadWriteMany"],
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
            Csi = new V1CSIPersistentVolumeSource { Driver = "ossplugin.csi.alibabacloud.com", VolumeHandle = name, VolumeAttributes = new Dictionary<string, string> { ["bucket"] = "logs" } },
        },
    };

    private static V1PodSpec SchedulerSpec(V1Volume dags) => new()
    {
        Containers =
        [
            new V1Container
            {
                Name = "scheduler",
                Image = "apache/airflow:2.9.3",
                Args = ["bash", "-c", "exec airflow scheduler"],
                VolumeMounts = [new V1VolumeMount { Name = "dags", MountPath = "/opt/airflow/dags", ReadOnlyProperty = true }],
            },
        ],
        Volumes = [dags],
    };
}
