using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Claims that name no volume bind as the PV controller binds them: claimRef first, then selector, class, modes and size.</summary>
public class ClaimBindingTests
{
    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
          volumes: [{ name: logs, persistentVolumeClaim: { claimName: oss-logs } }]
        """;

    private static VolumeBacking Backing(string objects)
    {
        var bundle = Bundle.FromText("bind.yaml", objects + "\n---\n" + Pod);
        var pod = bundle.Pod("Pod", "s");
        return BackingResolver.Resolve(pod.Volumes[0], "airflow", bundle.Cluster, Packs.Default.Drivers);
    }

    private const string SelectorClaim = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: oss-logs, namespace: airflow }
        spec:
          accessModes: [ReadWriteMany]
          storageClassName: oss
          resources: { requests: { storage: 20Gi } }
          selector: { matchLabels: { alicloud-pvname: oss-logs-pv } }
        """;

    private static string Volume(string name, string labels, string size = "20Gi", string storageClass = "oss", string claimRef = "", string driver = "ossplugin.csi.alibabacloud.com") => $$"""
        apiVersion: v1
        kind: PersistentVolume
        metadata: { name: {{name}}, labels: { {{labels}} } }
        spec:
          capacity: { storage: {{size}} }
          accessModes: [ReadWriteMany]
          storageClassName: {{storageClass}}
          {{claimRef}}
          csi: { driver: {{driver}}, volumeHandle: {{name}} }
        """;

    [Fact]
    public void AClaimWithASelector_BindsTheVolumeWithThoseLabels_AsAlibabaDocumentsStaticOss()
    {
        var backing = Backing(SelectorClaim + "\n---\n" + Volume("other-pv", "alicloud-pvname: other", driver: "nasplugin.csi.alibabacloud.com") + "\n---\n" + Volume("oss-logs-pv", "alicloud-pvname: oss-logs-pv"));

        Assert.Equal(BackingClass.ObjectStorageFuse, backing.Class);
        Assert.Equal("oss-logs-pv", backing.PersistentVolume);
        Assert.Contains("matched by selector alicloud-pvname=oss-logs-pv", backing.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AVolumePreBoundByClaimRef_IsTheClaimsVolume_WhateverItsLabels()
    {
        var claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: oss-logs, namespace: airflow }\nspec: { accessModes: [ReadWriteMany], storageClassName: \"\" }\n";
        var backing = Backing(claim + "---\n" + Volume("pre-bound", "a: b", storageClass: "\"\"", claimRef: "claimRef: { namespace: airflow, name: oss-logs }"));

        Assert.Equal(BackingClass.ObjectStorageFuse, backing.Class);
        Assert.Contains("pre-bound by its claimRef", backing.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10Gi", "oss")] // too small for the 20Gi request
    [InlineData("20Gi", "nas")] // another class
    public void AVolumeThatDoesNotSatisfyTheClaim_IsNotBound_AndASelectorClaimIsNeverProvisioned(string size, string storageClass)
    {
        var backing = Backing(SelectorClaim + "\n---\n" + Volume("oss-logs-pv", "alicloud-pvname: oss-logs-pv", size, storageClass));

        Assert.Equal(BackingClass.Unknown, backing.Class);
        Assert.Contains("selects its volume by labels", backing.UnknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public void AVolumeReservedForAnotherClaim_IsNotBound()
    {
        var backing = Backing(SelectorClaim + "\n---\n" + Volume("oss-logs-pv", "alicloud-pvname: oss-logs-pv", claimRef: "claimRef: { namespace: airflow, name: someone-else }"));

        Assert.Equal(BackingClass.Unknown, backing.Class);
    }

    [Fact]
    public void TheSmallestMatchingVolume_IsChosen()
    {
        var claim = SelectorClaim.Replace("selector: { matchLabels: { alicloud-pvname: oss-logs-pv } }", "selector: { matchExpressions: [{ key: tier, operator: In, values: [logs] }] }", StringComparison.Ordinal);
        var backing = Backing(claim + "\n---\n" + Volume("big", "tier: logs", "1Ti", driver: "nasplugin.csi.alibabacloud.com") + "\n---\n" + Volume("small", "tier: logs", "25Gi"));

        Assert.Equal("small", backing.PersistentVolume);
    }

    [Theory]
    [InlineData("10Gi", 10L * 1024 * 1024 * 1024)]
    [InlineData("500M", 500_000_000L)]
    [InlineData("1.5Ti", 1649267441664L)]
    [InlineData("2e9", 2_000_000_000L)]
    [InlineData("1073741824", 1073741824L)]
    public void Quantities_AreReadAsKubernetesWritesThem(string text, long bytes) => Assert.Equal(bytes, Quantity.Parse(text));
}
